/**
 * `cargo bloat` tables (text output), function mode and crate mode (`--crates`):
 *
 *     File  .text    Size     Crate Name
 *      3.1%  17.7%  2.5KiB       std core::slice::sort::recurse
 *      2.5%  14.0%  1.9KiB [Unknown] main
 *      6.0%  34.1%  4.7KiB           And 69 smaller methods. Use -n N to show more.
 *     17.7% 100.0% 14.1KiB           .text section size, the file size is 80.1KiB
 *
 *     File  .text     Size Crate
 *      5.2%  74.9% 720.9KiB std
 *      0.2%   2.6%  25.5KiB And 56 more crates. Use -n N to show more.
 *
 * Sizes are printed rounded (`2.5KiB` = 2560 bytes ± 51): values are as printed, converted with 1 KiB = 1024 B.
 * Function names keep their spaces and generics (`<T as core::fmt::Debug>::fmt`). Pure: text in.
 */
import { ParseError } from "../../errors.js";
import type { TidyRow } from "../rows.js";
import { sizeRow } from "./rows.js";

export interface BloatEntry {
  /** `[Unknown]` when cargo bloat could not tell. */
  crate: string;
  /** Function name; null in crate mode. */
  name: string | null;
  size: number;
  /** Share of the whole file and of `.text`, in percent, as printed. */
  filePct: number;
  textPct: number;
}

export interface CargoBloat {
  mode: "function" | "crate";
  entries: BloatEntry[];
  /** The `And N smaller methods` / `And N more crates` line: how many items it folds and their total size. */
  rest: { count: number; size: number } | null;
  /** Footer `.text section size, the file size is X`. */
  textSection: number | null;
  fileSize: number | null;
  /** The binary cargo bloat analysed, when its `Analyzing target/...` line was saved too. */
  binary: string | null;
}

const HEADER = /^\s*File\s+\.text\s+Size\s+Crate(\s+Name)?\s*$/;
const ROW = /^\s*(\d+(?:\.\d+)?)%\s+(\d+(?:\.\d+)?)%\s+(\d+(?:\.\d+)?)(B|KiB|MiB|GiB)\s+(\S.*?)\s*$/;
const REST = /^And (\d+) (?:smaller methods|more crates)\b/;
const FOOTER = /^\.text section size, the file size is (\d+(?:\.\d+)?)(B|KiB|MiB|GiB)\s*$/;
const ANALYZING = /^\s*Analyzing\s+(\S+)\s*$/;
const UNIT: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

export function looksLikeCargoBloat(text: string): boolean {
  return text.split(/\r?\n/).some((l) => HEADER.test(l));
}

/** `2.5KiB` → 2560 (rounded to whole bytes). */
export function bloatSize(value: string, unit: string): number {
  return Math.round(Number(value) * UNIT[unit]!);
}

/** The first cargo bloat table in `text`. No table → ParseError. */
export function parseCargoBloat(text: string, source: string): { bloat: CargoBloat; warnings: string[] } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const warnings: string[] = [];
  const headerAt = lines.findIndex((l) => HEADER.test(l));
  if (headerAt < 0) throw new ParseError(source, "no `cargo bloat` table found (expected a `File .text Size Crate Name` or `File .text Size Crate` header)");
  const mode = HEADER.exec(lines[headerAt]!)![1] ? "function" : "crate";
  const analyzing = lines.slice(0, headerAt).map((l) => ANALYZING.exec(l)?.[1]).filter((b): b is string => b !== undefined);
  const bloat: CargoBloat = { mode, entries: [], rest: null, textSection: null, fileSize: null, binary: analyzing.at(-1) ?? null };
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const m = ROW.exec(line);
    if (!m) {
      // blank lines and cargo bloat's closing `Note: numbers above are a result of guesswork...` end the table
      if (line.trim() === "" || /^\s*Note:/.test(line)) break;
      warnings.push(`${source}:${i + 1}: skipped a line that is not a cargo bloat row: ${JSON.stringify(line.trim().slice(0, 80))}`);
      continue;
    }
    const size = bloatSize(m[3]!, m[4]!);
    const rest = m[5]!;
    const and = REST.exec(rest);
    const footer = FOOTER.exec(rest);
    if (and) bloat.rest = { count: Number(and[1]), size };
    else if (footer) {
      bloat.textSection = size;
      bloat.fileSize = bloatSize(footer[1]!, footer[2]!);
    } else if (mode === "crate") {
      bloat.entries.push({ crate: rest, name: null, size, filePct: Number(m[1]), textPct: Number(m[2]) });
    } else {
      // the crate column is one token (`std`, `[Unknown]`); the name is everything after it, spaces included
      const split = /^(\S+)\s+(\S.*)$/.exec(rest);
      if (!split) {
        warnings.push(`${source}:${i + 1}: a function row without a crate or a name: ${JSON.stringify(line.trim().slice(0, 80))}`);
        continue;
      }
      bloat.entries.push({ crate: split[1]!, name: split[2]!, size, filePct: Number(m[1]), textPct: Number(m[2]) });
    }
  }
  return { bloat, warnings };
}

/** The build label: the analysed binary's file name, else the source file name without its extension. */
function buildOf(bloat: CargoBloat, source: string): string {
  if (bloat.binary) return bloat.binary.split(/[\\/]/).at(-1)!;
  const base = source.split(/[\\/]/).at(-1)!;
  return base.replace(/\.(?:txt|log|out)$/, "");
}

/**
 * Rows: stat `function` (id `<build>/<crate>/<function>`) or `crate` (id `<build>/<crate>`) per entry; the
 * `And N ...` line as stat `others` (id `<build>/(N others)`), the footer as stats `text_section` and `file_size` (id
 * `<build>`), so a notebook can check that the listed rows plus others add up to the section.
 */
export function cargoBloatRows(text: string, options: { source: string; build?: string; target?: string }): { rows: TidyRow[]; warnings: string[]; bloat: CargoBloat } {
  const { bloat, warnings } = parseCargoBloat(text, options.source);
  const build = options.build ?? buildOf(bloat, options.source);
  const base = { source: options.source, format: "cargo-bloat" as const, ...(options.target === undefined ? {} : { target: options.target }) };
  const rows: TidyRow[] = bloat.entries.map((e) => e.name === null
    ? sizeRow({ ...base, id: `${build}/${e.crate}`, function: e.crate, stat: "crate", value: e.size })
    : sizeRow({ ...base, id: `${build}/${e.crate}/${e.name}`, function: e.name, stat: "function", value: e.size }));
  if (bloat.rest) rows.push(sizeRow({ ...base, id: `${build}/(${bloat.rest.count} others)`, function: null, stat: "others", value: bloat.rest.size }));
  if (bloat.textSection !== null) rows.push(sizeRow({ ...base, id: build, function: null, stat: "text_section", value: bloat.textSection }));
  if (bloat.fileSize !== null) rows.push(sizeRow({ ...base, id: build, function: null, stat: "file_size", value: bloat.fileSize }));
  return { rows, warnings, bloat };
}
