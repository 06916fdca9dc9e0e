/**
 * The device record protocol, version 1 (README "Device record protocol"): one ASCII line per record, the marker
 * `@LB ` anywhere in the line, then a record type and `key=value` fields. This module turns ONE line into a record;
 * the capture (capture.ts) keeps the state between lines (begin/end, counts, restarts). Pure: strings in, values out.
 *
 * Rules applied here (each failure is a string naming the line, which the capture turns into a warning):
 * - everything before the marker is ignored (defmt `0.000012 INFO `, `UART: `, timestamps); ANSI colour codes and a
 *   trailing `\r` are removed first;
 * - fields are separated by spaces or tabs; every token must be printable ASCII (a record with a control character,
 *   a U+FFFD from bytes that were not UTF-8, or any other garbage inside it is skipped, never half-read);
 * - numbers are decimal integers (`-` only on `hist lo` and `end code`), at most Number.MAX_SAFE_INTEGER (a bigger
 *   value would be silently rounded by a double, so the record is refused instead);
 * - an empty value (`commit=`) counts as absent; a key given twice is refused (which one would be meant?);
 * - string values (ids, names) are percent-decoded (`%20` → space, `%3D` → `=`); unknown extra fields are ignored
 *   (kept in `extra` on begin); an unknown record type is reported as such so newer firmware still reads.
 */

export const DEVICE_MARKER = "@LB ";
export const DEVICE_PROTOCOL_VERSION = 1;

export interface DeviceBegin {
  proto: number;
  fw: string;
  commit: string | null;
  target: string;
  clock: string;
  hz: number;
  icount: boolean;
  board: string | null;
  line: number;
  /** Fields this version does not know, as written (not percent-decoded). */
  extra: Record<string, string>;
}

export interface DeviceEnd {
  records: number;
  status: string;
  code: number | null;
  line: number;
}

export type DeviceRecord =
  | { type: "bench"; line: number; id: string; iters: number; ticks: number; min: number | null; max: number | null; elements: number | null }
  | { type: "lat"; line: number; id: string; n: number; min: number; max: number; sum: number; sumsq: number | null }
  | { type: "sample"; line: number; id: string; seq: number; ticks: number }
  | { type: "hist"; line: number; id: string; lo: number; width: number; counts: number[] }
  | { type: "heap"; line: number; id: string; peak: number; current: number | null; allocs: number | null; frees: number | null; size: number | null }
  | { type: "stack"; line: number; id: string; used: number; size: number }
  | { type: "size"; line: number; section: string; bytes: number };

export type DeviceRecordType = DeviceRecord["type"];
export type ParsedLine = { begin: DeviceBegin } | { end: DeviceEnd } | { record: DeviceRecord } | { unknownType: string };

// CSI sequences (colours, erase-line) and two-character escapes, as a terminal or probe-rs may print them
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;
const PRINTABLE = /^[\x21-\x7e]+$/;
const TYPE = /^[a-z][a-z0-9_]*$/;
const KEY = /^[a-z][a-z0-9_]*$/;
const INTEGER = /^-?[0-9]+$/;

/** Thrown inside this module only: one thing wrong with the record; parseRecordLine returns its message. */
class Bad extends Error {}

/** The fields of one record with typed getters that say what is wrong with a value. */
class Fields {
  constructor(private readonly type: string, private readonly values: Map<string, string>) {}

  private raw(key: string): string | undefined {
    const v = this.values.get(key);
    return v === undefined || v === "" ? undefined : v;
  }

  private int(key: string, v: string, signed: boolean): number {
    if (!INTEGER.test(v)) throw new Bad(`${key}=${v} is not a decimal integer`);
    if (!signed && v.startsWith("-")) throw new Bad(`${key}=${v} must not be negative`);
    const n = Number(v);
    // Number() rounds anything past 2^53 to the nearest double: such a value would be wrong without a sign of it
    if (!Number.isSafeInteger(n)) throw new Bad(`${key}=${v} is larger than ${Number.MAX_SAFE_INTEGER} (cannot be held exactly)`);
    return n === 0 ? 0 : n; // no -0
  }

  num(key: string, opts: { signed?: boolean; atLeast?: number } = {}): number {
    const v = this.raw(key);
    if (v === undefined) throw new Bad(`missing field ${key}`);
    const n = this.int(key, v, opts.signed ?? false);
    if (opts.atLeast !== undefined && n < opts.atLeast) throw new Bad(`${key}=${v} must be at least ${opts.atLeast}`);
    return n;
  }

  optNum(key: string, signed = false): number | null {
    const v = this.raw(key);
    return v === undefined ? null : this.int(key, v, signed);
  }

  str(key: string): string {
    const v = this.optStr(key);
    if (v === null) throw new Bad(`missing field ${key}`);
    return v;
  }

  optStr(key: string): string | null {
    const v = this.raw(key);
    if (v === undefined) return null;
    try {
      return decodeURIComponent(v);
    } catch {
      throw new Bad(`${key}=${v} has a broken percent-escape`);
    }
  }

  list(key: string): number[] {
    const v = this.raw(key);
    if (v === undefined) throw new Bad(`missing field ${key}`);
    return v.split(",").map((part) => this.int(key, part, false));
  }

  /** Fields not in `known`, as written. */
  extra(known: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.values) if (!known.includes(k)) out[k] = v;
    return out;
  }

  get recordType(): string {
    return this.type;
  }
}

function parseBegin(f: Fields, line: number): DeviceBegin {
  const icount = f.num("icount");
  if (icount !== 0 && icount !== 1) throw new Bad(`icount=${icount} must be 0 or 1`);
  return {
    proto: f.num("proto"), fw: f.str("fw"), commit: f.optStr("commit"), target: f.str("target"), clock: f.str("clock"),
    hz: f.num("hz"), icount: icount === 1, board: f.optStr("board"), line,
    extra: f.extra(["proto", "fw", "commit", "target", "clock", "hz", "icount", "board"]),
  };
}

function parseEnd(f: Fields, line: number): DeviceEnd {
  return { records: f.num("records"), status: f.str("status"), code: f.optNum("code", true), line };
}

function parseKnown(f: Fields, line: number): DeviceRecord | null {
  switch (f.recordType) {
    case "bench":
      // iters=0 has no per-iteration time: refused rather than turned into a division by zero
      return { type: "bench", line, id: f.str("id"), iters: f.num("iters", { atLeast: 1 }), ticks: f.num("ticks"), min: f.optNum("min"), max: f.optNum("max"), elements: f.optNum("elements") };
    case "lat":
      return { type: "lat", line, id: f.str("id"), n: f.num("n"), min: f.num("min"), max: f.num("max"), sum: f.num("sum"), sumsq: f.optNum("sumsq") };
    case "sample":
      return { type: "sample", line, id: f.str("id"), seq: f.num("seq"), ticks: f.num("ticks") };
    case "hist":
      return { type: "hist", line, id: f.str("id"), lo: f.num("lo", { signed: true }), width: f.num("width", { atLeast: 1 }), counts: f.list("counts") };
    case "heap":
      return { type: "heap", line, id: f.str("id"), peak: f.num("peak"), current: f.optNum("current"), allocs: f.optNum("allocs"), frees: f.optNum("frees"), size: f.optNum("size") };
    case "stack":
      return { type: "stack", line, id: f.str("id"), used: f.num("used"), size: f.num("size") };
    case "size":
      return { type: "size", line, section: f.str("section"), bytes: f.num("bytes") };
    default:
      return null;
  }
}

/** The text of `line` from the marker on (marker excluded), or null when the line holds no marker. */
export function afterMarker(line: string): string | null {
  const clean = line.replace(ANSI, "");
  const at = clean.indexOf(DEVICE_MARKER);
  if (at === -1) return null;
  return clean.slice(at + DEVICE_MARKER.length).replace(/\r+$/, "");
}

/** Quotes a token for a warning: at most 40 characters, control characters shown as escapes. */
function show(token: string): string {
  const short = token.length > 40 ? `${token.slice(0, 40)}…` : token;
  return JSON.stringify(short);
}

/**
 * One line → a record, `null` when the line has no marker, or a string saying what is wrong with it (line is 1-based).
 * Never throws.
 */
/**
 * defmt/probe-rs formats that print the source location on the message's line put it after the record:
 * `… ticks=1 (src/main.rs:12)` or `… ticks=1 @ src/main.rs:12`. Those trailing tokens are not fields; drop them.
 */
function stripLocationSuffix(tokens: string[]): string[] {
  const last = tokens[tokens.length - 1];
  if (last === undefined) return tokens;
  if (/^\(\S+:\d+\)$/.test(last)) return tokens.slice(0, -1);
  if (tokens.length >= 2 && tokens[tokens.length - 2] === "@" && /^\S+:\d+$/.test(last)) return tokens.slice(0, -2);
  return tokens;
}

export function parseRecordLine(line: string, lineNo: number): ParsedLine | null | string {
  const rest = afterMarker(line);
  if (rest === null) return null;
  const tokens = stripLocationSuffix(rest.split(/[ \t]+/).filter((t) => t !== ""));
  const where = `line ${lineNo}`;
  if (tokens.length === 0) return `${where}: "@LB " marker with no record after it`;
  const type = tokens[0]!;
  if (!TYPE.test(type)) return `${where}: "@LB " followed by ${show(type)}, not a record type`;
  const values = new Map<string, string>();
  for (const token of tokens.slice(1)) {
    if (!PRINTABLE.test(token)) return `${where}: ${type} record with garbage (non-ASCII or control characters) in ${show(token)}: skipped`;
    const eq = token.indexOf("=");
    const key = eq === -1 ? token : token.slice(0, eq);
    if (eq === -1 || !KEY.test(key)) return `${where}: ${type} record: ${show(token)} is not a key=value field: skipped`;
    if (values.has(key)) return `${where}: ${type} record gives ${key} twice: skipped`;
    values.set(key, token.slice(eq + 1));
  }
  const f = new Fields(type, values);
  try {
    if (type === "begin") return { begin: parseBegin(f, lineNo) };
    if (type === "end") return { end: parseEnd(f, lineNo) };
    const record = parseKnown(f, lineNo);
    return record === null ? { unknownType: type } : { record };
  } catch (e) {
    if (e instanceof Bad) return `${where}: ${type} record: ${e.message}: skipped`;
    throw e;
  }
}
