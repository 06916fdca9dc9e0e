/**
 * `size -A` (System V format) as printed by GNU `size -A` / `arm-none-eabi-size -A` (addresses in DECIMAL),
 * `llvm-size -A` and `cargo size -- -A` (addresses in hex `0x...`):
 *
 *     app  :
 *     section             size        addr
 *     .vector_table       1024         0x0
 *     ...
 *     Total              14570
 *
 * Several files give several blocks. Lines before a block (`$ cargo size ...` echoes, cargo's `Finished` lines) are
 * ignored. Pure: text in.
 */
import { ParseError } from "../../errors.js";
import type { TidyRow } from "../rows.js";
import { footprintOf, sectionRoleByName, type Footprint } from "./footprint.js";
import { footprintRows } from "./rows.js";

export interface SizeSysvSection {
  name: string;
  size: number;
  addr: number;
}

export interface SizeSysvFile {
  /** The file name `size` printed above the table (`app`), or the source name when there was none. */
  file: string;
  sections: SizeSysvSection[];
  /** The `Total` line, when present (the sum over every listed section, debug info included). */
  total: number | null;
}

const HEADER = /^section\s+size\s+addr\s*$/;
const FILE_LINE = /^(\S.*?)\s*:\s*$/;
const ROW = /^(\S+)\s+(\d+)\s+(0[xX][0-9a-fA-F]+|\d+)\s*$/;
const TOTAL = /^Total\s+(\d+)\s*$/;

/** True when `text` holds a `size -A` table header followed by a section row (cheap: for detect()). */
export function looksLikeSizeSysv(text: string): boolean {
  const lines = text.split(/\r?\n/);
  return lines.some((l, i) => HEADER.test(l.trim()) && ROW.test((lines[i + 1] ?? "").trim()));
}

function parseAddr(token: string): number {
  // 64-bit addresses may exceed 2^53; a rounded address still labels the section
  return token.startsWith("0x") || token.startsWith("0X") ? Number(BigInt(token)) : Number(token);
}

/** Every `size -A` block in `text`. No block at all → ParseError. */
export function parseSizeSysv(text: string, source: string): { files: SizeSysvFile[]; warnings: string[] } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).map((l) => l.trim());
  const files: SizeSysvFile[] = [];
  const warnings: string[] = [];
  let current: SizeSysvFile | null = null;
  let pendingName: string | null = null;
  lines.forEach((line, i) => {
    const where = `${source}:${i + 1}`;
    if (HEADER.test(line)) {
      current = { file: pendingName ?? source, sections: [], total: null };
      files.push(current);
      pendingName = null;
      return;
    }
    if (current) {
      const row = ROW.exec(line);
      const total = TOTAL.exec(line);
      if (total) {
        current.total = Number(total[1]);
        const sum = current.sections.reduce((a, s) => a + s.size, 0);
        if (current.total !== sum) warnings.push(`${where}: Total ${current.total} differs from the sum of the listed sections (${sum})`);
        current = null;
      } else if (row) {
        current.sections.push({ name: row[1]!, size: Number(row[2]), addr: parseAddr(row[3]!) });
      } else if (line === "") {
        current = null; // a block ends at its blank line (excerpts may have no Total)
      } else {
        warnings.push(`${where}: skipped a line that is not a \`section size addr\` row: ${JSON.stringify(line.slice(0, 80))}`);
      }
      return;
    }
    const name = FILE_LINE.exec(line);
    if (name && !line.startsWith("$")) pendingName = name[1]!;
    else if (line !== "") pendingName = null;
  });
  if (files.length === 0) throw new ParseError(source, "no `size -A` table found (expected a `section size addr` header line followed by rows)");
  return { files, warnings };
}

/** Footprint from a listing: sections classified by name (the listing has no flags; see sectionRoleByName). */
export function sizeSysvFootprint(file: SizeSysvFile): Footprint {
  return footprintOf(file.sections, (s) => sectionRoleByName(s.name, s.addr));
}

/** Tidy rows for every block: the parts, flash, ram and one row per loaded section; id = the printed file name. */
export function sizeSysvRows(text: string, options: { source: string; target?: string }): { rows: TidyRow[]; warnings: string[] } {
  const { files, warnings } = parseSizeSysv(text, options.source);
  const rows = files.flatMap((f) => footprintRows(sizeSysvFootprint(f), {
    build: f.file, source: options.source, format: "size-sysv", ...(options.target === undefined ? {} : { target: options.target }),
  }));
  return { rows, warnings };
}
