/**
 * Berkeley `size` output (the default of GNU `size`, `llvm-size`, `cargo size`): a header, then one line per file,
 * tab- or space-separated, hex without `0x`:
 *
 *        text    data     bss     dec     hex filename
 *       17022    3616     728   21366    5376 min_size_no_std
 *
 * `text` includes read-only data (Berkeley has no rodata column) and `data` is counted in flash and RAM. Pure: text in.
 */
import { ParseError } from "../../errors.js";
import type { TidyRow } from "../rows.js";
import type { Footprint } from "./footprint.js";
import { footprintRows } from "./rows.js";

export interface SizeBerkeleyRow {
  file: string;
  text: number;
  data: number;
  bss: number;
  dec: number;
}

const HEADER = /^\s*text\s+data\s+bss\s+dec\s+hex\s+filename\s*$/;
const ROW = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([0-9a-fA-F]+)\s+(\S.*?)\s*$/;

export function looksLikeSizeBerkeley(text: string): boolean {
  return text.split(/\r?\n/).some((l) => HEADER.test(l));
}

/** Every file line under a Berkeley header; `(TOTALS)` lines (`size -t`) are left out. No header → ParseError. */
export function parseSizeBerkeley(text: string, source: string): { files: SizeBerkeleyRow[]; warnings: string[] } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const files: SizeBerkeleyRow[] = [];
  const warnings: string[] = [];
  let inTable = false;
  let sawHeader = false;
  lines.forEach((line, i) => {
    const where = `${source}:${i + 1}`;
    if (HEADER.test(line)) {
      inTable = sawHeader = true;
      return;
    }
    if (!inTable) return;
    const m = ROW.exec(line);
    if (!m) {
      if (line.trim() !== "") warnings.push(`${where}: skipped a line that is not a \`text data bss dec hex filename\` row: ${JSON.stringify(line.trim().slice(0, 80))}`);
      else inTable = false;
      return;
    }
    const [text_, data, bss, dec] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    if (text_ + data + bss !== dec) warnings.push(`${where}: dec ${dec} is not text + data + bss (${text_ + data + bss})`);
    if (parseInt(m[5]!, 16) !== dec) warnings.push(`${where}: hex ${m[5]} is not dec ${dec} in hexadecimal`);
    if (m[6] === "(TOTALS)") return;
    files.push({ file: m[6]!, text: text_, data, bss, dec });
  });
  if (!sawHeader) throw new ParseError(source, "no Berkeley `size` table found (expected a `text data bss dec hex filename` header)");
  return { files, warnings };
}

/** As a Footprint: rodata is 0 because Berkeley's text already contains it. */
export function sizeBerkeleyFootprint(r: SizeBerkeleyRow): Footprint {
  return { text: r.text, rodata: 0, data: r.data, bss: r.bss, flash: r.text + r.data, ram: r.data + r.bss, sections: [] };
}

/** Rows `text data bss flash ram` per file (no rodata row: it is inside text). */
export function sizeBerkeleyRows(text: string, options: { source: string; target?: string }): { rows: TidyRow[]; warnings: string[] } {
  const { files, warnings } = parseSizeBerkeley(text, options.source);
  const rows = files.flatMap((f) => footprintRows(sizeBerkeleyFootprint(f), {
    build: f.file, source: options.source, format: "size-berkeley", ...(options.target === undefined ? {} : { target: options.target }),
  }, ["text", "data", "bss", "flash", "ram"]));
  return { rows, warnings };
}
