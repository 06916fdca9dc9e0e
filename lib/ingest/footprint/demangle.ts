/**
 * Rust symbol demangling for footprint tables (`topSymbols`, `litlab footprint`): the legacy scheme
 * (`_ZN4core3fmt9Formatter3pad17h0123456789abcdefE` → `core::fmt::Formatter::pad`) and the v0 scheme
 * (`_RNvMsa_NtCsdgPDZm3BxTQ_4core3fmtNtB5_9Formatter3pad` → `<core::fmt::Formatter>::pad`).
 *
 * Output follows rustc-demangle's alternate form (`{:#}`), the one backtraces use: no legacy `17h<hash>` element,
 * no crate disambiguators, integer const generics without a type suffix. A vendor suffix such as `.0` or
 * `.llvm.1234ABCD` is kept as in rustc-demangle (the `.llvm.<hex>` one dropped). Pure and total: a name that is not
 * a Rust symbol, or uses a part of the grammar not handled here, comes back unchanged; nothing throws.
 */

/** Internal: aborts a demangling attempt (the caller falls back to the mangled name). */
class Invalid extends Error {}

/** Longest output produced before giving up: backrefs can make output exponential in the input. */
const MAX_OUTPUT = 16_384;
/** Deepest nesting of paths/types followed (rustc-demangle uses 500 as well). */
const MAX_DEPTH = 500;

/** `name` demangled when it is a Rust legacy or v0 symbol this module understands; otherwise `name` itself. */
export function demangle(name: string): string {
  return demangleRust(name) ?? name;
}

/** The demangled form of a Rust symbol, or null when `name` is not one (or uses something unsupported). */
export function demangleRust(name: string): string | null {
  try {
    let s = name;
    // LLVM adds `.llvm.<hex>` to promoted local symbols: not part of the name
    const llvm = s.indexOf(".llvm.");
    if (llvm >= 0 && /^[0-9A-F@]+$/.test(s.slice(llvm + 6))) s = s.slice(0, llvm);
    let rest: string;
    let out: string;
    if (s.startsWith("_R")) [out, rest] = demangleV0(s.slice(2));
    else if (s.startsWith("__R")) [out, rest] = demangleV0(s.slice(3)); // Mach-O adds an underscore
    else {
      const inner = s.startsWith("_ZN") ? s.slice(3) : s.startsWith("__ZN") ? s.slice(4) : s.startsWith("ZN") ? s.slice(2) : null;
      if (inner === null) return null;
      [out, rest] = demangleLegacy(inner);
    }
    if (rest !== "") {
      // a vendor-specific suffix (`.0`, `.cold`, `$...`): kept if it looks like part of a symbol, else not Rust
      if (!/^[.$][\x21-\x7e]*$/.test(rest)) return null;
      out += rest;
    }
    return out;
  } catch {
    // Invalid: not Rust or not supported; anything else (a RangeError from a huge code point...) likewise
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Legacy: `_ZN` {<len><bytes>} `E`, Itanium-like paths with `$..$` escapes and a final `h<16 hex>` hash element.

const LEGACY_ESCAPES: Record<string, string> = {
  SP: "@", BP: "*", RF: "&", LT: "<", GT: ">", LP: "(", RP: ")", C: ",",
};

function demangleLegacy(inner: string): [string, string] {
  if (!/^[\x00-\x7f]*$/.test(inner)) throw new Invalid();
  const elements: string[] = [];
  let i = 0;
  while (inner[i] !== "E") {
    const m = /^\d+/.exec(inner.slice(i));
    if (!m) throw new Invalid();
    const len = Number(m[0]);
    i += m[0].length;
    if (len === 0 || i + len > inner.length) throw new Invalid();
    elements.push(inner.slice(i, i + len));
    i += len;
  }
  if (elements.length === 0) throw new Invalid();
  const rest = inner.slice(i + 1);
  if (elements.length > 1 && /^h[0-9a-fA-F]{16}$/.test(elements[elements.length - 1]!)) elements.pop();
  return [elements.map(legacyElement).join("::"), rest];
}

function legacyElement(element: string): string {
  let rest = element.startsWith("_$") ? element.slice(1) : element;
  let out = "";
  while (rest.length > 0) {
    if (rest.startsWith(".")) {
      if (rest[1] === ".") { out += "::"; rest = rest.slice(2); } else { out += "."; rest = rest.slice(1); }
    } else if (rest.startsWith("$")) {
      const end = rest.indexOf("$", 1);
      const escape = end > 0 ? rest.slice(1, end) : null;
      let ch: string | undefined = escape === null ? undefined : LEGACY_ESCAPES[escape];
      if (ch === undefined && escape !== null && /^u[0-9a-f]+$/.test(escape)) {
        const code = parseInt(escape.slice(1), 16);
        if (code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) {
          const c = String.fromCodePoint(code);
          if (!/\p{Cc}/u.test(c)) ch = c;
        }
      }
      if (ch === undefined) { out += rest; break; } // unknown escape: the rest verbatim, as rustc-demangle does
      out += ch;
      rest = rest.slice(end + 1);
    } else {
      const next = rest.search(/[$.]/);
      const cut = next < 0 ? rest.length : next;
      out += rest.slice(0, cut);
      rest = rest.slice(cut);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// v0: `_R` <path> [<instantiating-crate>] [<vendor-specific-suffix>] (RFC 2603, as implemented by rustc-demangle).

const BASIC_TYPES: Record<string, string> = {
  a: "i8", b: "bool", c: "char", d: "f64", e: "str", f: "f32", h: "u8", i: "isize", j: "usize", l: "i32",
  m: "u32", n: "i128", o: "u128", s: "i16", t: "u16", u: "()", v: "...", x: "i64", y: "u64", z: "!", p: "_",
};
const UNSIGNED = "htmyoj";
const SIGNED = "aslxni";

function demangleV0(sym: string): [string, string] {
  // paths always start with an uppercase letter (a leading decimal would be an encoding version: not supported)
  if (!/^[A-Z]/.test(sym)) throw new Invalid();
  const p = new V0(sym);
  p.path(true);
  // the instantiating crate, when present, is a path too; not printed
  if (/^[A-Z]/.test(sym.slice(p.pos))) p.silently(() => p.path(false));
  return [p.out, sym.slice(p.pos)];
}

class V0 {
  pos = 0;
  out = "";
  private silent = 0;
  private depth = 0;
  private boundLifetimes = 0;

  constructor(private readonly sym: string) {}

  silently(f: () => void): void {
    this.silent++;
    try { f(); } finally { this.silent--; }
  }

  private print(s: string): void {
    if (this.silent > 0) return;
    this.out += s;
    if (this.out.length > MAX_OUTPUT) throw new Invalid();
  }

  private peek(): string | undefined { return this.sym[this.pos]; }
  private next(): string {
    const c = this.sym[this.pos];
    if (c === undefined) throw new Invalid();
    this.pos++;
    return c;
  }
  private eat(c: string): boolean {
    if (this.sym[this.pos] === c) { this.pos++; return true; }
    return false;
  }

  private enter<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new Invalid();
    try { return f(); } finally { this.depth--; }
  }

  /** `_` = 0, `<base62>_` = value + 1 (digits 0-9 a-z A-Z); BigInt because crate hashes use the full 64 bits. */
  private base62Big(): bigint {
    if (this.eat("_")) return 0n;
    let x = 0n;
    for (;;) {
      const c = this.next();
      if (c === "_") break;
      const d = c >= "0" && c <= "9" ? c.charCodeAt(0) - 48 : c >= "a" && c <= "z" ? c.charCodeAt(0) - 87 : c >= "A" && c <= "Z" ? c.charCodeAt(0) - 29 : -1;
      if (d < 0) throw new Invalid();
      x = x * 62n + BigInt(d);
      if (x > 0xffff_ffff_ffff_ffffn) throw new Invalid();
    }
    return x + 1n;
  }

  /** A base-62 number used as a position or count (backrefs, lifetimes, binders): must be a safe integer. */
  private base62(): number {
    const x = this.base62Big();
    if (x > BigInt(Number.MAX_SAFE_INTEGER)) throw new Invalid();
    return Number(x);
  }

  /** `s<base62>` → value + 1; absent → 0. */
  private disambiguator(): bigint {
    return this.eat("s") ? this.base62Big() + 1n : 0n;
  }

  private decimal(): number {
    const m = /^(?:0|[1-9]\d*)/.exec(this.sym.slice(this.pos));
    if (!m) throw new Invalid();
    this.pos += m[0].length;
    const n = Number(m[0]);
    if (!Number.isSafeInteger(n)) throw new Invalid();
    return n;
  }

  /** `[u]<decimal>[_]<bytes>`: an identifier, punycode-decoded when `u`-prefixed. */
  private ident(): string {
    const puny = this.eat("u");
    const len = this.decimal();
    this.eat("_");
    if (this.pos + len > this.sym.length) throw new Invalid();
    const raw = this.sym.slice(this.pos, this.pos + len);
    this.pos += len;
    if (!puny) return raw;
    const cut = raw.lastIndexOf("_");
    return punycodeDecode(cut < 0 ? "" : raw.slice(0, cut), cut < 0 ? raw : raw.slice(cut + 1));
  }

  /** Runs `f` at the position a `B<base62>` backref points to (strictly before the `B`), then comes back. */
  private backref(f: () => void): void {
    const start = this.pos - 1;
    const target = this.base62();
    if (target >= start) throw new Invalid();
    const saved = this.pos;
    this.pos = target;
    try { this.enter(f); } finally { this.pos = saved; }
  }

  path(inValue: boolean): void {
    this.enter(() => {
      const tag = this.next();
      switch (tag) {
        case "C": {
          this.disambiguator();
          this.print(this.ident());
          break;
        }
        case "N": {
          const ns = this.next();
          if (!/[A-Za-z]/.test(ns)) throw new Invalid();
          this.path(inValue);
          const dis = this.disambiguator();
          const name = this.ident();
          if (ns >= "A" && ns <= "Z") {
            this.print(`::{${ns === "C" ? "closure" : ns === "S" ? "shim" : ns}${name ? `:${name}` : ""}#${dis}}`);
          } else if (name) {
            this.print(`::${name}`);
          }
          break;
        }
        case "M": case "X": case "Y": {
          if (tag !== "Y") {
            this.disambiguator();
            this.silently(() => this.path(false)); // the impl's own path: where it is written, not printed
          }
          this.print("<");
          this.type();
          if (tag !== "M") {
            this.print(" as ");
            this.path(false);
          }
          this.print(">");
          break;
        }
        case "I": {
          this.path(inValue);
          if (inValue) this.print("::");
          this.print("<");
          for (let i = 0; !this.eat("E"); i++) {
            if (i > 0) this.print(", ");
            this.genericArg();
          }
          this.print(">");
          break;
        }
        case "B": {
          this.backref(() => this.path(inValue));
          break;
        }
        default:
          throw new Invalid();
      }
    });
  }

  private genericArg(): void {
    if (this.eat("L")) this.lifetime(this.base62());
    else if (this.eat("K")) this.constant();
    else this.type();
  }

  private lifetime(index: number): void {
    if (index === 0) { this.print("'_"); return; }
    const depth = this.boundLifetimes - index;
    if (depth < 0) throw new Invalid();
    this.print(depth < 26 ? `'${String.fromCharCode(97 + depth)}` : `'_${depth}`);
  }

  /** `G<base62>` before a fn signature or dyn bounds: `for<'a, 'b> `, and runs `f` with those lifetimes bound. */
  private binder(f: () => void): void {
    const count = this.eat("G") ? this.base62() + 1 : 0;
    if (count > 0) {
      this.print("for<");
      for (let i = 0; i < count; i++) {
        if (i > 0) this.print(", ");
        this.boundLifetimes++;
        this.lifetime(1);
      }
      this.print("> ");
    }
    try { f(); } finally { this.boundLifetimes -= count; }
  }

  private type(): void {
    this.enter(() => {
      const tag = this.next();
      const basic = BASIC_TYPES[tag];
      if (basic !== undefined) { this.print(basic); return; }
      switch (tag) {
        case "R": case "Q": {
          this.print("&");
          if (this.eat("L")) {
            const lt = this.base62();
            if (lt !== 0) { this.lifetime(lt); this.print(" "); }
          }
          if (tag === "Q") this.print("mut ");
          this.type();
          return;
        }
        case "P": this.print("*const "); this.type(); return;
        case "O": this.print("*mut "); this.type(); return;
        case "A": this.print("["); this.type(); this.print("; "); this.constant(); this.print("]"); return;
        case "S": this.print("["); this.type(); this.print("]"); return;
        case "T": {
          this.print("(");
          let n = 0;
          for (; !this.eat("E"); n++) {
            if (n > 0) this.print(", ");
            this.type();
          }
          if (n === 1) this.print(",");
          this.print(")");
          return;
        }
        case "F": {
          this.binder(() => {
            if (this.eat("U")) this.print("unsafe ");
            if (this.eat("K")) {
              const abi = this.eat("C") ? "C" : this.ident().replace(/_/g, "-");
              this.print(`extern "${abi}" `);
            }
            this.print("fn(");
            for (let i = 0; !this.eat("E"); i++) {
              if (i > 0) this.print(", ");
              this.type();
            }
            this.print(")");
            if (this.eat("u")) return; // returns (): nothing printed
            this.print(" -> ");
            this.type();
          });
          return;
        }
        case "D": {
          this.print("dyn ");
          this.binder(() => {
            for (let i = 0; !this.eat("E"); i++) {
              if (i > 0) this.print(" + ");
              this.dynTrait();
            }
          });
          if (!this.eat("L")) throw new Invalid();
          const lt = this.base62();
          if (lt !== 0) { this.print(" + "); this.lifetime(lt); }
          return;
        }
        case "B": this.backref(() => this.type()); return;
        default: {
          // a named type is a path
          this.pos--;
          this.path(false);
        }
      }
    });
  }

  /** A trait in `dyn` bounds with its associated-type bindings: `Iterator<Item = u8>`. */
  private dynTrait(): void {
    let open = this.pathMaybeOpenGenerics();
    while (this.eat("p")) {
      this.print(open ? ", " : "<");
      open = true;
      this.print(this.ident());
      this.print(" = ");
      this.type();
    }
    if (open) this.print(">");
  }

  /** Prints a path; when it ends in generic args, leaves the `<...` open (returns true) for assoc bindings. */
  private pathMaybeOpenGenerics(): boolean {
    if (this.eat("B")) {
      let open = false;
      this.backref(() => { open = this.pathMaybeOpenGenerics(); });
      return open;
    }
    if (this.eat("I")) {
      this.enter(() => {
        this.path(false);
        this.print("<");
        for (let i = 0; !this.eat("E"); i++) {
          if (i > 0) this.print(", ");
          this.genericArg();
        }
      });
      return true;
    }
    this.path(false);
    return false;
  }

  /** A const generic: `p` (placeholder `_`), a backref, or a basic-type tag and its hex value. */
  private constant(): void {
    this.enter(() => {
      const tag = this.next();
      if (tag === "p") { this.print("_"); return; }
      if (tag === "B") { this.backref(() => this.constant()); return; }
      if (UNSIGNED.includes(tag)) { this.print(this.constUint()); return; }
      if (SIGNED.includes(tag)) {
        const neg = this.eat("n");
        this.print((neg ? "-" : "") + this.constUint());
        return;
      }
      if (tag === "b") {
        const v = this.hex();
        if (v === "") this.print("false");
        else if (v === "1") this.print("true");
        else throw new Invalid();
        return;
      }
      if (tag === "c") {
        const code = Number.parseInt(this.hex() || "0", 16);
        if (!(code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) throw new Invalid();
        this.print(`'${escapeChar(String.fromCodePoint(code))}'`);
        return;
      }
      throw new Invalid(); // structured consts (arrays, tuples, ADTs, &str) are not handled here
    });
  }

  /** Hex nibbles up to `_`, without leading zeros (`""` for zero). */
  private hex(): string {
    const m = /^([0-9a-f]*)_/.exec(this.sym.slice(this.pos));
    if (!m) throw new Invalid();
    this.pos += m[0].length;
    return m[1]!.replace(/^0+/, "");
  }

  private constUint(): string {
    const h = this.hex();
    if (h === "") return "0";
    return h.length <= 16 ? BigInt(`0x${h}`).toString() : `0x${h}`;
  }
}

function escapeChar(c: string): string {
  switch (c) {
    case "'": return "\\'";
    case "\\": return "\\\\";
    case "\n": return "\\n";
    case "\r": return "\\r";
    case "\t": return "\\t";
    case "\0": return "\\0";
  }
  const code = c.codePointAt(0)!;
  return /\p{Cc}/u.test(c) ? `\\u{${code.toString(16)}}` : c;
}

/** RFC 3492 punycode with v0's spelling: `_` instead of `-` between the ASCII part and the deltas (split by the caller). */
function punycodeDecode(ascii: string, encoded: string): string {
  if (encoded === "") throw new Invalid();
  const BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700;
  const output = [...ascii].map((c) => c.codePointAt(0)!);
  let n = 128, i = 0, bias = 72, pos = 0;
  const digit = (c: string): number => {
    if (c >= "a" && c <= "z") return c.charCodeAt(0) - 97;
    if (c >= "0" && c <= "9") return c.charCodeAt(0) - 22;
    throw new Invalid();
  };
  const adapt = (delta: number, numPoints: number, first: boolean): number => {
    delta = first ? Math.floor(delta / DAMP) : Math.floor(delta / 2);
    delta += Math.floor(delta / numPoints);
    let k = 0;
    while (delta > ((BASE - TMIN) * TMAX) >> 1) { delta = Math.floor(delta / (BASE - TMIN)); k += BASE; }
    return k + Math.floor(((BASE - TMIN + 1) * delta) / (delta + SKEW));
  };
  while (pos < encoded.length) {
    const oldI = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (pos >= encoded.length) throw new Invalid();
      const d = digit(encoded[pos++]!);
      i += d * w;
      if (!Number.isSafeInteger(i)) throw new Invalid();
      const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
      if (d < t) break;
      w *= BASE - t;
    }
    const len = output.length + 1;
    bias = adapt(i - oldI, len, oldI === 0);
    n += Math.floor(i / len);
    i %= len;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) throw new Invalid();
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}
