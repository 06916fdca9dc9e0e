/**
 * Static footprint of a firmware image: how many bytes go to code, read-only data, initialised data and zeroed RAM,
 * and what that costs in flash and RAM. Pure: sections (from the ELF reader or a `size -A` listing) in, numbers out.
 */
import { ParseError } from "../../errors.js";
import { demangle } from "./demangle.js";
import { readElf, type ElfSection, type ElfSymbol } from "./elf.js";

export interface Footprint {
  text: number;
  rodata: number;
  data: number;
  bss: number;
  /** text + rodata + data: `.data` is stored in flash too (its initial image, copied to RAM at reset). */
  flash: number;
  /** data + bss (stack and heap sections count as bss when the linker script reserves them). */
  ram: number;
  /** The allocated sections the parts were summed from, in file order. */
  sections: { name: string; size: number; addr: number }[];
}

export type FootprintPart = "text" | "rodata" | "data" | "bss";
export const FOOTPRINT_PARTS: readonly FootprintPart[] = ["text", "rodata", "data", "bss"];

/**
 * Sections that are code by role though not executable: cortex-m-rt's `.vector_table` and the `.isr_vector` of
 * C startup files are flagged `A` (a table of addresses, not instructions), but they are the part of the image the
 * core runs from and every size tool's "text" column counts them as such. `.init`/`.fini` glue is code too.
 */
const TEXT_NAMES = /^\.(?:vector_table|isr_vector|vectors|init|fini)(?:\.|$)/;
/** Reserved RAM the startup code does not load or zero from flash (NOLOAD); counted as bss even when PROGBITS. */
const RAM_ONLY_NAMES = /^\.(?:uninit|noinit|stack|heap)(?:\.|$)|^\.(?:t?bss)(?:\.|$)/;

/**
 * Role of one section from its ELF flags (the reliable source):
 * - not SHF_ALLOC (debug info, symbol tables, `.comment`, `.ARM.attributes`) → not part of the image: null;
 * - SHT_NOBITS (`.bss`, `.uninit`, `.stack`, `.heap` reserved with NOLOAD) or a RAM-only name → bss: RAM, no flash;
 * - executable, or a vector table / init section by name → text;
 * - writable with bytes in the file (`.data`, `.init_array` on hosts, `.got`) → data: flash image + RAM copy;
 * - the rest of the allocated sections (`.rodata`, `.ARM.exidx`, `.eh_frame`, `.dynsym` ...) → rodata.
 */
export function sectionRole(s: Pick<ElfSection, "name" | "alloc" | "write" | "exec" | "nobits">): FootprintPart | null {
  if (!s.alloc) return null;
  if (s.nobits || RAM_ONLY_NAMES.test(s.name)) return "bss";
  if (s.exec || TEXT_NAMES.test(s.name)) return "text";
  if (s.write) return "data";
  return "rodata";
}

/** Sections that never load (`size -A` lists them with address 0): debug info, notes for tools, attributes. */
const NOT_LOADED_NAMES = /^\.(?:debug|zdebug|comment|ARM\.attributes|riscv\.attributes|symtab|strtab|shstrtab|stab|gnu_debuglink|gnu_debugaltlink|gnu\.build\.attributes|note\.gnu\.gold-version|defmt)(?:[._]|$)/;

/**
 * Role of a section known only by name and address (a `size -A` listing has no flags): the common names of
 * GNU ld / LLD / cortex-m-rt / riscv-rt; an unknown section counts only if it has an address (it is loaded), and
 * then by what its name says (`bss`/`uninit`/`stack`/`heap` → bss, `data` → data, else rodata). A best guess: the ELF
 * reader, which sees the flags, is the exact one.
 */
export function sectionRoleByName(name: string, addr: number): FootprintPart | null {
  if (NOT_LOADED_NAMES.test(name)) return null;
  if (RAM_ONLY_NAMES.test(name)) return "bss";
  if (TEXT_NAMES.test(name) || /^\.(?:text|plt|iram|ramfunc|trampolines)(?:[._]|$)/.test(name)) return "text";
  if (/^\.(?:data|sdata|tdata|got|init_array|fini_array|preinit_array|dynamic)(?:[._]|$)/.test(name)) return "data";
  if (/^\.(?:rodata|srodata|ARM\.ex|eh_frame|gcc_except_table)/.test(name)) return "rodata";
  if (/^\.sbss(?:[._]|$)/.test(name)) return "bss";
  if (addr === 0) return null;
  if (/bss|uninit|noinit|stack|heap/i.test(name)) return "bss";
  if (/data/i.test(name)) return "data";
  return "rodata";
}

/** Sums sections by role (`role` null = not in the image). */
export function footprintOf<S extends { name: string; size: number; addr: number }>(sections: readonly S[], role: (s: S) => FootprintPart | null): Footprint {
  const fp: Footprint = { text: 0, rodata: 0, data: 0, bss: 0, flash: 0, ram: 0, sections: [] };
  for (const s of sections) {
    const part = role(s);
    if (part === null) continue;
    fp[part] += s.size;
    fp.sections.push({ name: s.name, size: s.size, addr: s.addr });
  }
  fp.flash = fp.text + fp.rodata + fp.data;
  fp.ram = fp.data + fp.bss;
  return fp;
}

/** Footprint of an ELF image from its section headers. A file without section headers is a ParseError. */
export function elfFootprint(bytes: Uint8Array, file: string): Footprint {
  const { sections } = readElf(bytes, file);
  if (sections.length === 0) {
    throw new ParseError(file, "has no section headers (stripped with --strip-sections?), so its footprint cannot be computed; use the unstripped ELF from target/<triple>/<profile>/");
  }
  return footprintOf(sections, sectionRole);
}

/** A symbol of a "what takes the space" table: `name` as in the ELF (mangled), `demangled` as a reader wants it. */
export interface TopSymbol extends ElfSymbol {
  /** Rust legacy / v0 names demangled (`<core::fmt::Formatter>::pad`); any other name as it is. */
  demangled: string;
}

/** The `n` largest defined symbols (by st_size, then mangled name), for a "what takes the space" table. */
export function topSymbols(symbols: readonly ElfSymbol[], n: number): TopSymbol[] {
  return symbols
    .filter((s) => s.size > 0 && s.section !== null)
    .sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, Math.max(0, n))
    .map((s) => ({ ...s, demangled: demangle(s.name) }));
}
