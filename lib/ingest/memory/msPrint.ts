/**
 * ms_print's rendering of a massif.out file, for when only that was kept: the header (`Command:`), the
 * `Detailed snapshots: [9, 19, 37 (peak), …]` line, the snapshot table
 * `n time(B) total(B) useful-heap(B) extra-heap(B) stacks(B)` with `,` separators, and after each detailed
 * row its tree as `->98.04% (14,400B) 0x…: main (basic.c:14)` lines. The ASCII chart is skipped. Pure.
 */
import { ParseError } from "../../errors.js";
import type { MemoryIngestResult } from "../memoryRows.js";
import { massifResult, type MassifNode, type MassifSnapshot } from "./massifRows.js";
import { parseCount, textLines, type ProfileOptions } from "./valgrindCommon.js";

const TABLE_HEADER = /^\s*n\s+time\((\w+)\)\s+total\(B\)\s+useful-heap\(B\)\s+extra-heap\(B\)\s+stacks\(B\)\s*$/;
const TABLE_ROW = /^\s*(\d+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s*$/;
// the root and top-level lines of a tree: `98.04% (3,600B) (heap allocation functions) …` / `->98.04% (3,600B) 0x…: main (…)`
const TREE_ROOT = /^\d+(?:\.\d+)?% \(([\d,]+)B\) (.*)$/;
const TREE_TOP = /^->\d+(?:\.\d+)?% \(([\d,]+)B\) (.*)$/;

/** True for ms_print output: its table header or its `Massif arguments:` line. */
export function looksLikeMsPrint(lines: readonly string[]): boolean {
  return lines.some((l) => TABLE_HEADER.test(l) || /^Massif arguments:/.test(l));
}

export function msPrintProfile(text: string, options: ProfileOptions = {}): MemoryIngestResult {
  const source = options.source ?? "ms_print.txt";
  const lines = textLines(text);
  const warnings: string[] = [`${source}: read from ms_print output (the table and top-level tree lines; no deeper frames)`];
  let command: string | null = null;
  let timeUnit: string | null = null;
  let peakIndex: number | null = null;
  const snapshots: MassifSnapshot[] = [];
  // the snapshot whose tree the next tree lines belong to (ms_print prints a tree right after its row)
  let last: MassifSnapshot | null = null;
  const count = (token: string, lineNo: number): number => {
    const c = parseCount(token);
    if (c === null || "tooBig" in c) throw new ParseError(source, `line ${lineNo}: "${token}" is not an exact byte count`);
    return c.value;
  };

  lines.forEach((line, i) => {
    const lineNo = i + 1;
    const cmd = /^Command:\s+(.+?)\s*$/.exec(line);
    if (cmd) { command = cmd[1]!; return; }
    const detailed = /^\s*Detailed snapshots:\s*\[(.*)\]/.exec(line);
    if (detailed) {
      const peak = /(\d+) \(peak\)/.exec(detailed[1]!);
      if (peak) peakIndex = Number(peak[1]);
      return;
    }
    const header = TABLE_HEADER.exec(line);
    if (header) { timeUnit = header[1]!; return; }
    if (timeUnit === null) return; // the chart and preamble come before the first table
    const row = TABLE_ROW.exec(line);
    if (row) {
      last = {
        index: Number(row[1]), line: lineNo, time: count(row[2]!, lineNo), heap: count(row[4]!, lineNo),
        extra: count(row[5]!, lineNo), stacks: count(row[6]!, lineNo), tree: "empty", root: null,
      };
      snapshots.push(last);
      return;
    }
    if (last === null) return;
    const root = TREE_ROOT.exec(line);
    if (root) {
      last.tree = "detailed";
      last.root = { bytes: count(root[1]!, lineNo), label: root[2]!, children: [], expectedChildren: 0, line: lineNo };
      return;
    }
    const top = TREE_TOP.exec(line);
    if (top && last.root !== null) {
      const node: MassifNode = { bytes: count(top[1]!, lineNo), label: top[2]!, children: [], expectedChildren: 0, line: lineNo };
      last.root.children.push(node);
      last.root.expectedChildren += 1;
    }
  });

  if (timeUnit === null || snapshots.length === 0) {
    throw new ParseError(source, "ms_print output without its snapshot table (`n time(..) total(B) useful-heap(B) ...`)");
  }
  for (const s of snapshots) if (s.index === peakIndex) s.tree = "peak";
  const id = options.id ?? command ?? "massif";
  return massifResult(snapshots, { id, source, timeUnit, format: "ms_print", warnings });
}
