import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { execa } from "execa";
import fc from "fast-check";
import { ParseError } from "../lib/errors.js";
import { elfHeader, readElf, SHT_NOBITS, SHT_STRTAB, SHT_SYMTAB, type ElfSection } from "../lib/ingest/footprint/elf.js";
import { elfFootprint, sectionRole, topSymbols } from "../lib/ingest/footprint/footprint.js";
import { parseSizeSysv, sizeSysvFootprint, sizeSysvRows, type SizeSysvFile } from "../lib/ingest/footprint/sizeSysv.js";
import { parseSizeBerkeley, sizeBerkeleyRows } from "../lib/ingest/footprint/sizeBerkeley.js";
import { cargoBloatRows, parseCargoBloat } from "../lib/ingest/footprint/cargoBloat.js";
import { cargoBloatReader, elfReader, footprintReaders, sizeBerkeleyReader, sizeSysvReader } from "../lib/ingest/footprint/readers.js";
import { hasCommand, requireTool } from "./helpers/tools.js";
import { buildFirmware as buildReferenceFirmware } from "../lib/trigger/firmwareBuild.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "footprint");
const REAL = "/work/shared/real-inputs";
const EMBEDDED = join(REAL, "embedded");
const HAS_ARM_GCC = hasCommand("arm-none-eabi-gcc");
const HAS_ARM_SIZE = hasCommand("arm-none-eabi-size");
const HAS_SIZE = hasCommand("size");

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), "litlab-footprint-"));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Compiles test/fixtures/footprint/firmware.c for a Cortex-M3 (little- or big-endian) into the temp folder. */
async function buildFirmware(name: string, extra: string[] = []): Promise<string> {
  const out = join(work, name);
  await execa("arm-none-eabi-gcc", [
    "-mcpu=cortex-m3", "-mthumb", ...extra, "-nostdlib", "-fno-common", "-O1", "-g",
    "-T", join(FIXTURES, "link.ld"), "-o", out, join(FIXTURES, "firmware.c"),
  ]);
  return out;
}

async function sizeA(tool: string, file: string): Promise<SizeSysvFile> {
  const { stdout } = await execa(tool, ["-A", file]);
  const { files, warnings } = parseSizeSysv(stdout, file);
  assert.deepEqual(warnings, []);
  assert.equal(files.length, 1);
  return files[0]!;
}

/**
 * The sections GNU `size -A` lists: BFD sections, i.e. every section header except the null one, the symbol and
 * string tables that are not loaded (`.dynstr` is), and relocations that are not loaded (`.rel.text` in objects; `.rela.dyn` is loaded and listed).
 */
function listedBySize(sections: ElfSection[]): ElfSection[] {
  return sections.filter((s, i) => i !== 0 && !([SHT_SYMTAB, SHT_STRTAB, 4, 9].includes(s.type) && !s.alloc));
}

/** readElf agrees with `size -A` section by section: same names, sizes and addresses, in order; Total = their sum. */
function assertMatchesSize(file: string, bytes: Uint8Array, listing: SizeSysvFile): void {
  const ours = listedBySize(readElf(bytes, file).sections).map(({ name, size, addr }) => ({ name, size, addr }));
  assert.deepEqual(ours, listing.sections);
  assert.equal(listing.total, ours.reduce((a, s) => a + s.size, 0));
}

// ---------------------------------------------------------------------------------------------------------------
// A synthetic ELF writer: the 64-bit big-endian case no installed toolchain produces, and a base for hostile files.

interface SynthSection { name: string; type: number; flags: number; addr: number; size: number }

function synthElf(o: { bits: 32 | 64; le: boolean; machine: number; entry: number; sections: SynthSection[] }): Uint8Array {
  const is64 = o.bits === 64;
  const ehsize = is64 ? 64 : 52;
  const shentsize = is64 ? 64 : 40;
  const all = [{ name: "", type: 0, flags: 0, addr: 0, size: 0 }, ...o.sections, { name: ".shstrtab", type: SHT_STRTAB, flags: 0, addr: 0, size: 0 }];
  const names: number[] = [];
  let strtab = "\0";
  for (const s of all) {
    if (s.name === "") { names.push(0); continue; }
    names.push(strtab.length);
    strtab += `${s.name}\0`;
  }
  const strOff = ehsize;
  const shoff = strOff + strtab.length + ((8 - ((strOff + strtab.length) % 8)) % 8);
  const buf = new Uint8Array(shoff + all.length * shentsize);
  const v = new DataView(buf.buffer);
  buf.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, o.le ? 1 : 2, 1], 0);
  v.setUint16(16, 2, o.le);
  v.setUint16(18, o.machine, o.le);
  v.setUint32(20, 1, o.le);
  const word = (at: number, x: number): void => (is64 ? v.setBigUint64(at, BigInt(x), o.le) : v.setUint32(at, x, o.le));
  word(24, o.entry);
  word(is64 ? 40 : 32, shoff);
  v.setUint16(is64 ? 52 : 40, ehsize, o.le);
  v.setUint16(is64 ? 58 : 46, shentsize, o.le);
  v.setUint16(is64 ? 60 : 48, all.length, o.le);
  v.setUint16(is64 ? 62 : 50, all.length - 1, o.le);
  buf.set(new TextEncoder().encode(strtab), strOff);
  all.forEach((s, i) => {
    const at = shoff + i * shentsize;
    v.setUint32(at, names[i]!, o.le);
    v.setUint32(at + 4, s.type, o.le);
    word(at + 8, s.flags);
    word(at + (is64 ? 16 : 12), s.addr);
    const isStr = i === all.length - 1;
    // PROGBITS contents are not needed by the reader: point them at the header (in bounds), NOBITS at nothing
    word(at + (is64 ? 24 : 16), isStr ? strOff : 0);
    word(at + (is64 ? 32 : 20), isStr ? strtab.length : s.size);
  });
  return buf;
}

const SYNTH_SECTIONS: SynthSection[] = [
  { name: ".text", type: 1, flags: 0x6, addr: 0x80000000, size: 1000 },
  { name: ".rodata", type: 1, flags: 0x2, addr: 0x80001000, size: 200 },
  { name: ".data", type: 1, flags: 0x3, addr: 0x80002000, size: 40 },
  { name: ".bss", type: SHT_NOBITS, flags: 0x3, addr: 0x80002028, size: 4096 },
  { name: ".comment", type: 1, flags: 0x30, addr: 0, size: 17 },
];

// ---------------------------------------------------------------------------------------------------------------

describe("readElf on a Cortex-M3 image built here (arm-none-eabi-gcc)", () => {
  test("little-endian: every section matches arm-none-eabi-size -A byte for byte", async (t) => {
    if (!requireTool(t, "arm-none-eabi-gcc", HAS_ARM_GCC) || !requireTool(t, "arm-none-eabi-size", HAS_ARM_SIZE)) return;
    const file = await buildFirmware("fw-le.elf");
    const bytes = await readFile(file);
    const listing = await sizeA("arm-none-eabi-size", file);
    assertMatchesSize(file, bytes, listing);

    const { header, sections, symbols } = readElf(bytes, file);
    assert.deepEqual({ bits: header.bits, littleEndian: header.littleEndian, machineName: header.machineName, type: header.type }, { bits: 32, littleEndian: true, machineName: "arm", type: 2 });
    // entry = Reset_Handler with the Thumb bit set
    const reset = symbols.find((s) => s.name === "Reset_Handler")!;
    assert.equal(header.entry, reset.addr);
    assert.equal(reset.addr & 1, 1);
    assert.equal(reset.type, "func");
    assert.equal(reset.section, ".text");

    // sizes from firmware.c / link.ld: 2 vectors × 4 B, 300 B table, 25 × u32, 512 + 64 B buffers, flash at 0x08000000
    const byName = new Map(sections.map((s) => [s.name, s]));
    assert.deepEqual([".vector_table", ".rodata", ".data", ".bss", ".uninit"].map((n) => byName.get(n)?.size), [8, 300, 100, 512, 64]);
    assert.equal(byName.get(".vector_table")!.addr, 0x0800_0000);
    assert.equal(byName.get(".data")!.addr, 0x2000_0000);
    assert.equal(byName.get(".bss")!.nobits, true);

    const fp = elfFootprint(bytes, file);
    const textSize = byName.get(".text")!.size; // compiler-dependent, checked against size -A above
    assert.deepEqual({ text: fp.text, rodata: fp.rodata, data: fp.data, bss: fp.bss }, { text: 8 + textSize, rodata: 300, data: 100, bss: 576 });
    assert.equal(fp.flash, 8 + textSize + 300 + 100);
    assert.equal(fp.ram, 100 + 576);
    assert.deepEqual(fp.sections.map((s) => s.name), [".vector_table", ".text", ".rodata", ".data", ".bss", ".uninit"]);
    // the name-only classification of the size -A listing agrees with the flag-based one on this image
    assert.deepEqual(sizeSysvFootprint(listing), fp);

    const top = topSymbols(symbols, 4);
    assert.deepEqual(top.map((s) => [s.name, s.size, s.type, s.section]), [
      ["rx_buffer", 512, "object", ".bss"], ["lookup_table", 300, "object", ".rodata"],
      ["counters", 100, "object", ".data"], ["noinit_log", 64, "object", ".uninit"],
    ]);
  });

  test("big-endian (-mbig-endian): the same sections as arm-none-eabi-size -A", async (t) => {
    if (!requireTool(t, "arm-none-eabi-gcc", HAS_ARM_GCC) || !requireTool(t, "arm-none-eabi-size", HAS_ARM_SIZE)) return;
    const file = await buildFirmware("fw-be.elf", ["-mbig-endian"]);
    const bytes = await readFile(file);
    assertMatchesSize(file, bytes, await sizeA("arm-none-eabi-size", file));
    const { header, symbols } = readElf(bytes, file);
    assert.equal(header.littleEndian, false);
    assert.equal(header.machineName, "arm");
    assert.equal(symbols.find((s) => s.name === "lookup_table")?.size, 300);
  });

  test("elfReader reads the image into footprint rows", async (t) => {
    if (!requireTool(t, "arm-none-eabi-gcc", HAS_ARM_GCC)) return;
    const file = await buildFirmware("fw-rows.elf");
    assert.equal(await elfReader.detect(file, false), true);
    assert.equal(await sizeSysvReader.detect(file, false), false);
    const { rows } = await elfReader.read(file, false);
    const get = (stat: string): number | undefined => rows.find((r) => r.stat === stat)?.value;
    assert.equal(get("rodata"), 300);
    assert.equal(get("bss"), 576);
    assert.equal(get(".uninit"), 64);
    assert.ok(rows.every((r) => r.id === "fw-rows.elf" && r.group === "footprint" && r.metric === "size" && r.unit === "bytes" && r.format === "elf"));
  });
});

describe("readElf on the reference firmware (workloads/firmware, built here)", () => {
  test("every section matches arm-none-eabi-size -A byte for byte", { timeout: 10 * 60_000 }, async (t) => {
    if (!requireTool(t, "arm-none-eabi-size", HAS_ARM_SIZE)) return;
    if (!requireTool(t, "/usr/bin/cargo", hasCommand("/usr/bin/cargo"), "apt-get install -y rustc-web cargo-web rust-web-src")) return;
    const { elf } = await buildReferenceFirmware({ dir: join(import.meta.dirname, "..", "workloads", "firmware"), target: "thumbv7m-none-eabi" });
    const bytes = await readFile(elf);
    const listing = await sizeA("arm-none-eabi-size", elf);
    assertMatchesSize(elf, bytes, listing);
    const fp = elfFootprint(bytes, elf);
    assert.deepEqual(sizeSysvFootprint(listing), fp);
    assert.ok(fp.text > 0 && fp.flash === fp.text + fp.rodata + fp.data && fp.ram === fp.data + fp.bss);
    assert.ok(readElf(bytes, elf).symbols.some((s) => s.type === "func" && s.section === ".text" && s.size > 0));
  });
});

describe("readElf on a 64-bit host executable", () => {
  test("/bin/true matches size -A section by section", async (t) => {
    if (!requireTool(t, "size", HAS_SIZE)) return;
    const bytes = await readFile("/bin/true");
    const listing = await sizeA("size", "/bin/true");
    assertMatchesSize("/bin/true", bytes, listing);
    const { header } = readElf(bytes, "/bin/true");
    assert.equal(header.bits, 64);
    if (process.arch === "x64") assert.deepEqual([header.machine, header.machineName, header.littleEndian], [62, "x86_64", true]);
    // flags-based and name-based classification agree on a glibc PIE (.init/.plt/.fini code, .got/.dynamic data)
    assert.deepEqual(sizeSysvFootprint(listing), elfFootprint(bytes, "/bin/true"));
  });

  test("a synthetic 64-bit big-endian RISC-V ELF, and a 32-bit one", () => {
    for (const [bits, le] of [[64, false], [32, false], [64, true]] as const) {
      const bytes = synthElf({ bits, le, machine: 243, entry: 0x80000000, sections: SYNTH_SECTIONS });
      const { header, sections, symbols } = readElf(bytes, "synth.elf");
      assert.deepEqual(header, { bits, littleEndian: le, machine: 243, machineName: "riscv", entry: 0x80000000, type: 2 });
      assert.deepEqual(sections.map((s) => [s.name, s.size, s.addr, sectionRole(s)]), [
        ["", 0, 0, null], [".text", 1000, 0x80000000, "text"], [".rodata", 200, 0x80001000, "rodata"], [".data", 40, 0x80002000, "data"],
        [".bss", 4096, 0x80002028, "bss"], [".comment", 17, 0, null],
        // "\0" + 6 names with their NULs: .text .rodata .data .bss .comment .shstrtab
        [".shstrtab", 1 + 6 + 8 + 6 + 5 + 9 + 10, 0, null],
      ]);
      assert.deepEqual(symbols, []);
      const fp = elfFootprint(bytes, "synth.elf");
      assert.deepEqual([fp.text, fp.rodata, fp.data, fp.bss, fp.flash, fp.ram], [1000, 200, 40, 4096, 1240, 4136]);
    }
    assert.equal(elfHeader(synthElf({ bits: 32, le: true, machine: 99, entry: 0, sections: [] }), "x").machineName, "unknown(99)");
  });
});

describe("broken and hostile ELF files are ParseErrors naming the file", () => {
  const base = (): Uint8Array => synthElf({ bits: 32, le: true, machine: 40, entry: 0x08000001, sections: SYNTH_SECTIONS });
  const patch = (bytes: Uint8Array, f: (v: DataView) => void): Uint8Array => {
    const copy = bytes.slice();
    f(new DataView(copy.buffer));
    return copy;
  };
  const cases: [string, () => Uint8Array, RegExp][] = [
    ["empty file", () => new Uint8Array(0), /not an ELF file/],
    ["garbage text", () => new TextEncoder().encode("Benchmarking foo: Warming up\n"), /not an ELF file/],
    ["magic only", () => new Uint8Array([0x7f, 0x45, 0x4c, 0x46]), /truncated/],
    ["bad class", () => patch(base(), (v) => v.setUint8(4, 7)), /EI_CLASS at offset 4 is 7/],
    ["truncated header", () => base().slice(0, 40), /shorter than the 52-byte ELF32 header/],
    ["e_shoff past the end", () => patch(base(), (v) => v.setUint32(32, 0x7fff_0000, true)), /section header table \(7 × 40 bytes\) at offset 2147418112/],
    ["shstrndx out of range", () => patch(base(), (v) => v.setUint16(50, 200, true)), /e_shstrndx is 200, but there are only 7 sections/],
    ["huge section count", () => patch(base(), (v) => v.setUint16(48, 0xfeff, true)), /section header table \(65279 × 40 bytes\)/],
    ["tiny e_shentsize", () => patch(base(), (v) => v.setUint16(46, 4, true)), /e_shentsize is 4/],
    ["truncated section table", () => base().slice(0, base().length - 10), /past the end of the file/],
  ];
  for (const [name, make, message] of cases) {
    test(name, () => {
      assert.throws(() => readElf(make(), "fw.elf"), (e: unknown) => e instanceof ParseError && e.file === "fw.elf" && message.test(e.message) && e.message.startsWith("fw.elf: "));
    });
  }

  test("a section name offset outside .shstrtab", () => {
    const bytes = base();
    const v = new DataView(bytes.buffer);
    const shoff = v.getUint32(32, true);
    v.setUint32(shoff + 40, 100_000, true); // section 1's sh_name
    assert.throws(() => readElf(bytes, "fw.elf"), /section 1 name: name offset 100000 is outside its string table/);
  });

  test("a 64-bit size field above 2^53 is refused, not rounded", () => {
    const bytes = synthElf({ bits: 64, le: true, machine: 62, entry: 0, sections: SYNTH_SECTIONS });
    const v = new DataView(bytes.buffer);
    v.setBigUint64(40, 0xffff_ffff_ffff_fff0n, true); // e_shoff
    assert.throws(() => readElf(bytes, "h.elf"), (e: unknown) => e instanceof ParseError && /e_shoff at offset 40 is 18446744073709551600/.test(e.message));
  });

  test("elfFootprint of a file without section headers says so", () => {
    const bytes = synthElf({ bits: 32, le: true, machine: 40, entry: 0, sections: [] });
    new DataView(bytes.buffer).setUint32(32, 0, true);
    assert.deepEqual(readElf(bytes, "s.elf").sections, []);
    assert.throws(() => elfFootprint(bytes, "s.elf"), /no section headers/);
  });

  test("property: random bytes and corrupted copies of real ELFs only ever throw ParseError", async () => {
    const real: Uint8Array[] = [new Uint8Array(await readFile("/bin/true")), base(), synthElf({ bits: 64, le: false, machine: 243, entry: 0, sections: SYNTH_SECTIONS })];
    if (HAS_ARM_GCC) real.push(new Uint8Array(await readFile(await buildFirmware("fw-prop.elf"))));
    const onlyParseErrors = (bytes: Uint8Array): boolean => {
      try {
        readElf(bytes, "p.elf");
        return true;
      } catch (e) {
        if (e instanceof ParseError) return true;
        throw e;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (raw, magic) => {
      const bytes = magic ? new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1 + (raw[0] ?? 0) % 2, 1 + (raw[1] ?? 0) % 2, ...raw]) : raw;
      return onlyParseErrors(bytes);
    }), { numRuns: 2000 });
    fc.assert(fc.property(
      fc.nat(real.length - 1),
      fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 12 }),
      fc.option(fc.nat(), { nil: undefined }),
      (which, edits, cut) => {
        const src = real[which]!;
        // corrupt the header and section table mostly (where the reader looks), sometimes anywhere, sometimes truncate
        const copy = src.slice(0, cut === undefined ? src.length : cut % (src.length + 1));
        const shoffHint = Math.max(0, copy.length - 2048);
        for (const { at, value } of edits) if (copy.length) copy[(at % 2 ? at : shoffHint + at) % copy.length] = value;
        for (const { at, value } of edits.slice(0, 3)) if (copy.length) copy[at % Math.min(64, copy.length)] = value;
        return onlyParseErrors(copy);
      },
    ), { numRuns: 1500 });
  });
});

describe("size -A (sysv) text", () => {
  test("GNU arm-none-eabi-size with decimal addresses (cortex-m-rt changelog excerpt)", async () => {
    const name = "arm-none-eabi-size-A-decimal-addr-cortex-m-rt-changelog.txt";
    const { files, warnings } = parseSizeSysv(await readFile(join(EMBEDDED, name), "utf8"), name);
    assert.deepEqual(warnings, []);
    // read by hand: `hello  :`, three rows, 134217728 = 0x08000000 (STM32 flash), no Total line (an excerpt)
    assert.deepEqual(files, [{ file: "hello", total: null, sections: [
      { name: ".vector_table", size: 1024, addr: 134217728 }, { name: ".text", size: 288, addr: 134218752 }, { name: ".rodata", size: 14, addr: 134219040 },
    ] }]);
    const fp = sizeSysvFootprint(files[0]!);
    assert.deepEqual([fp.text, fp.rodata, fp.data, fp.bss, fp.flash, fp.ram], [1024 + 288, 14, 0, 0, 1326, 0]);
  });

  test("cargo size -A with hex addresses and a Total line", async () => {
    const name = "cargo-size-A-release-total-line.txt";
    const { rows, warnings } = sizeSysvRows(await readFile(join(EMBEDDED, name), "utf8"), { source: name });
    assert.deepEqual(warnings, []); // Total 14570 equals the sum of the 16 rows
    const { files } = parseSizeSysv(await readFile(join(EMBEDDED, name), "utf8"), name);
    assert.equal(files[0]!.total, 14570);
    assert.equal(files[0]!.sections.length, 16);
    assert.deepEqual(files[0]!.sections.find((s) => s.name === ".data"), { name: ".data", size: 0, addr: 0x20000000 });
    const get = (stat: string): number | undefined => rows.find((r) => r.stat === stat)?.value;
    // .vector_table 1024 + .text 92; debug sections and .ARM.attributes (address 0) are not part of the image
    assert.deepEqual(["text", "rodata", "data", "bss", "flash", "ram"].map(get), [1116, 0, 0, 0, 1116, 0]);
    assert.equal(get(".debug_str"), undefined);
    assert.equal(get(".vector_table"), 1024);
    assert.ok(rows.every((r) => r.id === "app" && r.format === "size-sysv"));
  });

  test("several files, a mismatched Total and a stray line are reported", () => {
    const text = "$ size -A a.elf b.elf\na.elf  :\nsection size addr\n.text 10 0x0\n.bss 4 0x20000000\nTotal 15\n\n\nb.elf  :\nsection size addr\n.text 20 4096\nweird line\nTotal 20\n";
    const { files, warnings } = parseSizeSysv(text, "s.txt");
    assert.deepEqual(files.map((f) => [f.file, f.sections.length, f.total]), [["a.elf", 2, 15], ["b.elf", 1, 20]]);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /s\.txt:6: Total 15 differs from the sum of the listed sections \(14\)/);
    assert.match(warnings[1]!, /s\.txt:12: skipped a line/);
    assert.throws(() => parseSizeSysv("text data bss\n", "x.txt"), (e: unknown) => e instanceof ParseError && /no `size -A` table/.test(e.message));
  });
});

describe("size (Berkeley) text", () => {
  test("scapegoat's tab-separated default format", async () => {
    const name = "size-berkeley-default-format-scapegoat.txt";
    const text = await readFile(join(EMBEDDED, name), "utf8");
    const { files, warnings } = parseSizeBerkeley(text, name);
    assert.deepEqual(warnings, []); // dec 21366 = 17022 + 3616 + 728, hex 5376 = 0x5376 = 21366
    assert.deepEqual(files, [{ file: "min_size_no_std", text: 17022, data: 3616, bss: 728, dec: 21366 }]);
    const { rows } = sizeBerkeleyRows(text, { source: name });
    assert.deepEqual(rows.map((r) => [r.stat, r.value]), [["text", 17022], ["data", 3616], ["bss", 728], ["flash", 20638], ["ram", 4344]]);
    assert.ok(rows.every((r) => r.id === "min_size_no_std" && r.format === "size-berkeley"));
  });

  test("several files, (TOTALS) left out, a wrong dec warned about", () => {
    const text = "   text    data     bss     dec     hex filename\n    100      10       5     115      73 a.elf\n    200       0       0     201      c9 my firmware.elf\n    300      10       5     315     13b (TOTALS)\n";
    const { files, warnings } = parseSizeBerkeley(text, "b.txt");
    assert.deepEqual(files.map((f) => f.file), ["a.elf", "my firmware.elf"]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /b\.txt:3: dec 201 is not text \+ data \+ bss \(200\)/);
  });
});

describe("cargo bloat text", () => {
  test("scapegoat's function table: [Unknown], generics, spaces in names, And N smaller methods", async () => {
    const name = "cargo-bloat-functions-scapegoat.txt";
    const text = await readFile(join(EMBEDDED, name), "utf8");
    const { bloat, warnings } = parseCargoBloat(text, name);
    assert.deepEqual(warnings, []);
    assert.equal(bloat.mode, "function");
    assert.equal(bloat.entries.length, 10);
    // 2.5KiB = 2560, 1.9KiB = 1945.6 → 1946, 1.3KiB = 1331.2 → 1331, 651B; 4.7KiB = 4812.8 → 4813
    assert.deepEqual(bloat.entries.slice(0, 4).map((e) => [e.crate, e.name, e.size, e.textPct]), [
      ["std", "core::slice::sort::recurse", 2560, 17.7],
      ["[Unknown]", "main", 1946, 14],
      ["scapegoat", "scapegoat::tree::tree::SgTree<K,V,_>::rebuild", 1331, 9.1],
      ["std", "core::fmt::Formatter::pad_integral", 651, 4.6],
    ]);
    assert.equal(bloat.entries[4]!.name, "<core::fmt::builders::PadAdapter as core::fmt::Write>::write_str");
    assert.deepEqual(bloat.rest, { count: 69, size: 4813 });
    assert.equal(bloat.textSection, null); // the excerpt has no footer
    const { rows } = cargoBloatRows(text, { source: name });
    assert.equal(rows.length, 11);
    assert.deepEqual(rows[2], {
      id: "cargo-bloat-functions-scapegoat/scapegoat/scapegoat::tree::tree::SgTree<K,V,_>::rebuild", group: "footprint",
      function: "scapegoat::tree::tree::SgTree<K,V,_>::rebuild", param: null, source: name, format: "cargo-bloat",
      metric: "size", stat: "function", value: 1331, unit: "bytes", lower: null, upper: null, confidence: null, baseline: "new",
    });
    assert.deepEqual([rows.at(-1)!.id, rows.at(-1)!.stat, rows.at(-1)!.value], ["cargo-bloat-functions-scapegoat/(69 others)", "others", 4813]);
  });

  test("crate mode with the footer, the Analyzing line and the closing note", () => {
    const text = [
      "    Finished release [optimized] target(s) in 0.01s",
      "    Analyzing target/thumbv7m-none-eabi/release/fw",
      "",
      " File  .text     Size Crate",
      " 5.2%  74.9% 720.9KiB std",
      " 0.2%   2.2%  21.3KiB [Unknown]",
      " 0.2%   2.6%  25.5KiB And 56 more crates. Use -n N to show more.",
      " 6.9% 100.0% 962.4KiB .text section size, the file size is 13.9MiB",
      "",
      "Note: numbers above are a result of guesswork. They are not 100% correct and never will be.",
    ].join("\n");
    const { rows, warnings, bloat } = cargoBloatRows(text, { source: "bloat.txt" });
    assert.deepEqual(warnings, []);
    assert.equal(bloat.mode, "crate");
    // 720.9 × 1024 = 738201.6; 962.4 × 1024 = 985497.6; 13.9 × 1048576 = 14575206.4
    assert.deepEqual(rows.map((r) => [r.id, r.stat, r.value]), [
      ["fw/std", "crate", 738202], ["fw/[Unknown]", "crate", 21811], ["fw/(56 others)", "others", 26112],
      ["fw", "text_section", 985498], ["fw", "file_size", 14575206],
    ]);
  });

  test("no table is a ParseError", () => {
    assert.throws(() => parseCargoBloat("File  Size\n", "b.txt"), (e: unknown) => e instanceof ParseError && /no `cargo bloat` table/.test(e.message));
  });
});

describe("footprint readers claim only their own files", () => {
  const expected = new Map([
    ["arm-none-eabi-size-A-decimal-addr-cortex-m-rt-changelog.txt", "size-sysv"],
    ["cargo-size-A-release-total-line.txt", "size-sysv"],
    ["size-berkeley-default-format-scapegoat.txt", "size-berkeley"],
    ["cargo-bloat-functions-scapegoat.txt", "cargo-bloat"],
  ]);

  async function filesBelow(dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) out.push(...(await filesBelow(p)));
      else out.push(p);
    }
    return out;
  }

  test("every real input: the right reader or none (Criterion, bencher, dhat, massif, time -v, device logs)", async (t) => {
    if (!requireTool(t, "the real-inputs folder", await stat(REAL).then(() => true, () => false))) return;
    const files = await filesBelow(REAL);
    assert.ok(files.length > 20);
    for (const file of files) {
      const claimed: string[] = [];
      for (const r of footprintReaders) if (await r.detect(file, false)) claimed.push(r.kind);
      const want = expected.get(file.split("/").at(-1)!);
      assert.deepEqual(claimed, want ? [want] : [], file);
    }
    for (const r of footprintReaders) assert.equal(await r.detect(EMBEDDED, true), false);
  });

  test("the readers' rows for the real inputs, errors naming the given path", async () => {
    const sysv = await sizeSysvReader.read(join(EMBEDDED, "arm-none-eabi-size-A-decimal-addr-cortex-m-rt-changelog.txt"), false);
    assert.equal(sysv.rows.find((r) => r.stat === "flash")?.value, 1326);
    const berkeley = await sizeBerkeleyReader.read(join(EMBEDDED, "size-berkeley-default-format-scapegoat.txt"), false);
    assert.equal(berkeley.rows.find((r) => r.stat === "ram")?.value, 4344);
    const bloat = await cargoBloatReader.read(join(EMBEDDED, "cargo-bloat-functions-scapegoat.txt"), false);
    assert.equal(bloat.rows.filter((r) => r.stat === "function").length, 10);
    const fake = join(work, "not-really.elf");
    await import("node:fs/promises").then((fs) => fs.writeFile(fake, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0])));
    assert.equal(await elfReader.detect(fake, false), true);
    await assert.rejects(elfReader.read(fake, false), (e: unknown) => e instanceof ParseError && e.file === fake && e.message.startsWith(`${fake}: not a valid ELF file`));
  });
});
