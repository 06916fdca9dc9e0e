/**
 * A minimal ELF reader: file header, section headers and the symbol table, for 32- and 64-bit, little- and big-endian
 * files. Pure (bytes in). Every read goes through `Reader`, which bounds-checks the offset first, so a truncated or
 * hostile file is a ParseError naming the file and the offset — never a RangeError from DataView.
 * Field layouts: System V ABI, "ELF header" / "Sections" / "Symbol Table" (Elf32_* and Elf64_* structs).
 */
import { ParseError } from "../../errors.js";

export interface ElfHeader {
  bits: 32 | 64;
  littleEndian: boolean;
  /** e_machine. */
  machine: number;
  /** `arm`, `riscv`, `x86_64`, `aarch64`, `x86`, or `unknown(N)`. */
  machineName: string;
  /** e_entry (addresses above 2^53 are rounded: they only label things). */
  entry: number;
  /** e_type: 1 relocatable, 2 executable, 3 shared object / PIE, 4 core. */
  type: number;
}

export interface ElfSection {
  name: string;
  /** sh_type: 1 PROGBITS, 2 SYMTAB, 3 STRTAB, 8 NOBITS, ... */
  type: number;
  flags: number;
  addr: number;
  size: number;
  /** SHF_ALLOC: occupies memory at run time. */
  alloc: boolean;
  /** SHF_WRITE. */
  write: boolean;
  /** SHF_EXECINSTR. */
  exec: boolean;
  /** SHT_NOBITS: no bytes in the file (`.bss`). */
  nobits: boolean;
}

export interface ElfSymbol {
  name: string;
  size: number;
  type: "func" | "object" | "other";
  /** Name of the section the symbol is defined in; null for undefined, absolute and common symbols. */
  section: string | null;
  addr: number;
}

export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;
const SHF_WRITE = 0x1;
const SHF_ALLOC = 0x2;
const SHF_EXECINSTR = 0x4;
const SHN_LORESERVE = 0xff00;
const SHN_XINDEX = 0xffff;

const MACHINES: ReadonlyMap<number, string> = new Map([[3, "x86"], [40, "arm"], [62, "x86_64"], [183, "aarch64"], [243, "riscv"]]);

/** Bounds-checked reads in the file's byte order; `what` names the field for the error message. */
class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly file: string, readonly le: boolean, readonly bits: 32 | 64) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fail(problem: string): never {
    throw new ParseError(this.file, `not a valid ELF file: ${problem}`);
  }
  check(offset: number, length: number, what: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > this.bytes.length) {
      this.fail(`${what} at offset ${offset} (${length} bytes) lies past the end of the file (${this.bytes.length} bytes); the file is truncated or corrupt`);
    }
  }
  u8(offset: number, what: string): number {
    this.check(offset, 1, what);
    return this.view.getUint8(offset);
  }
  u16(offset: number, what: string): number {
    this.check(offset, 2, what);
    return this.view.getUint16(offset, this.le);
  }
  u32(offset: number, what: string): number {
    this.check(offset, 4, what);
    return this.view.getUint32(offset, this.le);
  }
  /** A 64-bit field that is an offset or size: must fit a safe integer (else the file is hostile). */
  u64(offset: number, what: string): number {
    this.check(offset, 8, what);
    const v = this.view.getBigUint64(offset, this.le);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} at offset ${offset} is ${v}, larger than any file`);
    return Number(v);
  }
  /** A 64-bit address: may legitimately be huge (kernel addresses); rounded to the nearest double. */
  addr64(offset: number, what: string): number {
    this.check(offset, 8, what);
    return Number(this.view.getBigUint64(offset, this.le));
  }
  /** A word-sized offset/size field: u32 in ELF32, u64 in ELF64. */
  word(offset: number, what: string): number {
    return this.bits === 64 ? this.u64(offset, what) : this.u32(offset, what);
  }
  address(offset: number, what: string): number {
    return this.bits === 64 ? this.addr64(offset, what) : this.u32(offset, what);
  }
  /** NUL-terminated string at `table + index`, the NUL within the table's `size` bytes. */
  cstring(table: number, size: number, index: number, what: string): string {
    if (index >= size) this.fail(`${what}: name offset ${index} is outside its string table (${size} bytes at offset ${table})`);
    const start = table + index;
    const end = this.bytes.indexOf(0, start);
    if (end < 0 || end >= table + size) this.fail(`${what}: the name at offset ${start} has no terminating NUL inside its string table`);
    return DECODER.decode(this.bytes.subarray(start, end));
  }
}

const DECODER = new TextDecoder("utf-8");

function machineName(machine: number): string {
  return MACHINES.get(machine) ?? `unknown(${machine})`;
}

function openReader(bytes: Uint8Array, file: string): Reader {
  if (bytes.length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ParseError(file, "not an ELF file (it does not start with the bytes 7f 45 4c 46, \"\\x7fELF\")");
  }
  if (bytes.length < 6) throw new ParseError(file, `not a valid ELF file: truncated to ${bytes.length} bytes inside the ELF identification`);
  const cls = bytes[4];
  const data = bytes[5];
  if (cls !== 1 && cls !== 2) throw new ParseError(file, `not a valid ELF file: EI_CLASS at offset 4 is ${cls} (expected 1 for 32-bit or 2 for 64-bit)`);
  if (data !== 1 && data !== 2) throw new ParseError(file, `not a valid ELF file: EI_DATA at offset 5 is ${data} (expected 1 little-endian or 2 big-endian)`);
  const r = new Reader(bytes, file, data === 1, cls === 1 ? 32 : 64);
  const headerSize = r.bits === 64 ? 64 : 52;
  if (bytes.length < headerSize) r.fail(`truncated to ${bytes.length} bytes, shorter than the ${headerSize}-byte ELF${r.bits} header`);
  return r;
}

/** The ELF file header: class, byte order, machine, entry, type. Not an ELF or truncated → ParseError. */
export function elfHeader(bytes: Uint8Array, file: string): ElfHeader {
  return headerOf(openReader(bytes, file));
}

function headerOf(r: Reader): ElfHeader {
  const machine = r.u16(18, "e_machine");
  return {
    bits: r.bits,
    littleEndian: r.le,
    machine,
    machineName: machineName(machine),
    entry: r.address(24, "e_entry"),
    type: r.u16(16, "e_type"),
  };
}

interface RawSection extends ElfSection {
  offset: number;
  link: number;
  entsize: number;
}

/** Section header table, names resolved through .shstrtab. */
function readSections(r: Reader): RawSection[] {
  const is64 = r.bits === 64;
  const shoff = r.word(is64 ? 40 : 32, "e_shoff");
  const shentsize = r.u16(is64 ? 58 : 46, "e_shentsize");
  let shnum = r.u16(is64 ? 60 : 48, "e_shnum");
  let shstrndx = r.u16(is64 ? 62 : 50, "e_shstrndx");
  if (shoff === 0) return []; // no section header table (e.g. `strip --strip-sections`)
  const minEnt = is64 ? 64 : 40;
  if (shentsize < minEnt) r.fail(`e_shentsize is ${shentsize}, smaller than an ELF${r.bits} section header (${minEnt} bytes)`);
  // Extended numbering (more than 0xff00 sections): the real count / string table index sit in section 0.
  if (shnum === 0) shnum = r.word(shoff + (is64 ? 32 : 20), "section 0 sh_size (extended section count)");
  if (shstrndx === SHN_XINDEX) shstrndx = r.u32(shoff + (is64 ? 40 : 24), "section 0 sh_link (extended string table index)");
  // Checked before the loop: a hostile count (millions of sections) fails here instead of allocating.
  r.check(shoff, shnum * shentsize, `section header table (${shnum} × ${shentsize} bytes)`);

  const raw: (Omit<RawSection, "name"> & { nameIndex: number })[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    const what = (f: string): string => `section ${i} ${f}`;
    const type = r.u32(at + 4, what("sh_type"));
    const flags = is64 ? r.addr64(at + 8, what("sh_flags")) : r.u32(at + 8, what("sh_flags"));
    // the low 32 bits read exactly (an ELF64 flags word above 2^53 is rounded as a number)
    const low = r.u32(at + 8 + (is64 && !r.le ? 4 : 0), what("sh_flags"));
    const section = {
      nameIndex: r.u32(at, what("sh_name")),
      type,
      flags,
      addr: r.address(at + (is64 ? 16 : 12), what("sh_addr")),
      offset: r.word(at + (is64 ? 24 : 16), what("sh_offset")),
      size: r.word(at + (is64 ? 32 : 20), what("sh_size")),
      link: r.u32(at + (is64 ? 40 : 24), what("sh_link")),
      entsize: r.word(at + (is64 ? 56 : 36), what("sh_entsize")),
      alloc: (low & SHF_ALLOC) !== 0,
      write: (low & SHF_WRITE) !== 0,
      exec: (low & SHF_EXECINSTR) !== 0,
      nobits: type === SHT_NOBITS,
    };
    raw.push(section);
  }
  if (shstrndx === 0) return raw.map(({ nameIndex: _, ...s }) => ({ ...s, name: "" })); // SHN_UNDEF: no section names
  const strtab = raw[shstrndx];
  if (!strtab) r.fail(`e_shstrndx is ${shstrndx}, but there are only ${shnum} sections`);
  if (strtab.nobits) r.fail(`the section name table (section ${shstrndx}) has no bytes in the file (SHT_NOBITS)`);
  r.check(strtab.offset, strtab.size, `section name table (section ${shstrndx})`);
  return raw.map(({ nameIndex, ...s }, i) => ({ ...s, name: r.cstring(strtab.offset, strtab.size, nameIndex, `section ${i} name`) }));
}

/** .symtab (or .dynsym when the file is stripped), symbols without a name or of type SECTION/FILE left out. */
function readSymbols(r: Reader, sections: RawSection[]): ElfSymbol[] {
  const is64 = r.bits === 64;
  const table = sections.find((s) => s.type === SHT_SYMTAB) ?? sections.find((s) => s.type === SHT_DYNSYM);
  if (!table) return [];
  const index = sections.indexOf(table);
  const minEnt = is64 ? 24 : 16;
  const entsize = table.entsize === 0 ? minEnt : table.entsize;
  if (entsize < minEnt) r.fail(`symbol table (section ${index}) has sh_entsize ${entsize}, smaller than an ELF${r.bits} symbol (${minEnt} bytes)`);
  if (table.nobits) r.fail(`symbol table (section ${index}) has no bytes in the file (SHT_NOBITS)`);
  r.check(table.offset, table.size, `symbol table (section ${index})`);
  const strtab = sections[table.link];
  if (!strtab || strtab.nobits) r.fail(`symbol table (section ${index}) links to string table section ${table.link}, which does not exist`);
  r.check(strtab.offset, strtab.size, `symbol string table (section ${table.link})`);

  const symbols: ElfSymbol[] = [];
  const count = Math.floor(table.size / entsize);
  for (let i = 1; i < count; i++) { // entry 0 is the reserved null symbol
    const at = table.offset + i * entsize;
    const what = `symbol ${i}`;
    const nameIndex = r.u32(at, `${what} st_name`);
    const info = r.u8(at + (is64 ? 4 : 12), `${what} st_info`);
    const shndx = r.u16(at + (is64 ? 6 : 14), `${what} st_shndx`);
    const addr = is64 ? r.addr64(at + 8, `${what} st_value`) : r.u32(at + 4, `${what} st_value`);
    const size = r.word(at + (is64 ? 16 : 8), `${what} st_size`);
    const stt = info & 0xf;
    // STT_SECTION (3) and STT_FILE (4) name sections and source files, not code or data
    if (nameIndex === 0 || stt === 3 || stt === 4) continue;
    const name = r.cstring(strtab.offset, strtab.size, nameIndex, `${what} name`);
    // SHN_UNDEF (0) and the reserved range (ABS, COMMON, XINDEX) have no section of their own here
    const section = shndx === 0 || shndx >= SHN_LORESERVE ? null : sections[shndx]?.name ?? null;
    symbols.push({ name, size, type: stt === 2 ? "func" : stt === 1 ? "object" : "other", section, addr });
  }
  return symbols;
}

/** Header, section headers and symbols of an ELF file. Truncated or malformed → ParseError naming the bad offset. */
export function readElf(bytes: Uint8Array, file: string): { header: ElfHeader; sections: ElfSection[]; symbols: ElfSymbol[] } {
  const r = openReader(bytes, file);
  const header = headerOf(r);
  const raw = readSections(r);
  const symbols = readSymbols(r, raw);
  const sections = raw.map(({ offset: _o, link: _l, entsize: _e, ...s }): ElfSection => s);
  return { header, sections, symbols };
}
