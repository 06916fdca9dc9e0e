/**
 * valgrind massif's `massif.out` text: a header (`desc:`, `cmd:`, `time_unit:`), then `snapshot=N` blocks with
 * `time=`, `mem_heap_B=`, `mem_heap_extra_B=`, `mem_stacks_B=`, `heap_tree=empty|detailed|peak`, and after a detailed
 * or peak one its allocation tree, one node a line, indented one space per depth:
 *   `n2: 4634188 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.`   (the root)
 *   ` n1: 4603904 0x11FC9B: work (main.rs:5)`                                       (a call site)
 *   `  n0: 0 in 3 places, all below massif's threshold (01.00%)`                    (what was cut off)
 * Pure: text in, rows out. ms_print's rendering of the same data is read by msPrintProfile.
 */
import { ParseError } from "../../errors.js";
import type { MemoryIngestResult } from "../memoryRows.js";
import { massifResult, type MassifNode, type MassifSnapshot } from "./massifRows.js";
import { looksLikeMsPrint, msPrintProfile } from "./msPrint.js";
import { parseCount, textLines, type ProfileOptions } from "./valgrindCommon.js";

export type MassifOptions = ProfileOptions;

const TREE_LINE = /^( *)n(\d+): (\d+)(?: (.*))?$/;
const KEYS: Record<string, "time" | "heap" | "extra" | "stacks"> = {
  time: "time", mem_heap_B: "heap", mem_heap_extra_B: "extra", mem_stacks_B: "stacks",
};

/** Parses a massif.out file (or, recognised by its layout, ms_print's output) into a timeline, summary and sites. */
export function massifProfile(text: string, options: MassifOptions = {}): MemoryIngestResult {
  const source = options.source ?? "massif.out";
  const lines = textLines(text);
  if (!lines.some((l) => l.startsWith("snapshot="))) {
    if (looksLikeMsPrint(lines)) return msPrintProfile(text, options);
    throw new ParseError(source, "not a massif.out file: no `snapshot=` lines");
  }
  const header: Record<string, string> = {};
  const snapshots: MassifSnapshot[] = [];
  const warnings: string[] = [];
  let current: MassifSnapshot | null = null;
  // ancestors of the next tree line: stack[d] is the last node seen at depth d
  let stack: MassifNode[] = [];
  const count = (token: string, lineNo: number, what: string): number => {
    const c = parseCount(token);
    if (c === null) throw new ParseError(source, `line ${lineNo}: ${what} "${token}" is not a byte/time count`);
    if ("tooBig" in c) throw new ParseError(source, `line ${lineNo}: ${what} ${token} is above 2^53 and cannot be held exactly`);
    return c.value;
  };

  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line.trim() === "" || line.startsWith("#")) return;
    if (current === null) {
      const h = /^(desc|cmd|time_unit):\s?(.*)$/.exec(line);
      if (h) { header[h[1]!] = h[2]!; return; }
    }
    const snap = /^snapshot=(\d+)\s*$/.exec(line);
    if (snap) {
      current = { index: count(snap[1]!, lineNo, "snapshot number"), line: lineNo, time: null, heap: null, extra: null, stacks: null, tree: null, root: null };
      snapshots.push(current);
      stack = [];
      return;
    }
    if (current === null) throw new ParseError(source, `line ${lineNo}: unexpected "${line}" before the first snapshot`);
    const kv = /^(\w+)=(.*)$/.exec(line);
    if (kv) {
      const key = Object.hasOwn(KEYS, kv[1]!) ? KEYS[kv[1]!] : undefined;
      if (key !== undefined) current[key] = count(kv[2]!.trim(), lineNo, kv[1]!);
      else if (kv[1] === "heap_tree") {
        const t = kv[2]!.trim();
        if (t !== "empty" && t !== "detailed" && t !== "peak") throw new ParseError(source, `line ${lineNo}: unknown heap_tree "${t}"`);
        current.tree = t;
      } else warnings.push(`${source}: line ${lineNo}: unknown key "${kv[1]}" ignored`);
      return;
    }
    const m = TREE_LINE.exec(line);
    if (!m) throw new ParseError(source, `line ${lineNo}: cannot read "${line}" (expected a key=value or a tree line \`nN: bytes ...\`)`);
    if (current.tree !== "detailed" && current.tree !== "peak") {
      throw new ParseError(source, `line ${lineNo}: a tree line in snapshot ${current.index}, whose heap_tree is not detailed or peak`);
    }
    const depth = m[1]!.length;
    const node: MassifNode = {
      bytes: count(m[3]!, lineNo, "tree bytes"), label: m[4] ?? "", children: [], expectedChildren: Number(m[2]), line: lineNo,
    };
    if (depth === 0) {
      if (current.root !== null) throw new ParseError(source, `line ${lineNo}: a second tree root in snapshot ${current.index}`);
      current.root = node;
    } else {
      const parent = stack[depth - 1];
      if (parent === undefined || depth > stack.length) {
        throw new ParseError(source, `line ${lineNo}: tree line indented ${depth} deep under a node at depth ${stack.length - 1}`);
      }
      parent.children.push(node);
    }
    stack = stack.slice(0, depth);
    stack[depth] = node;
  });

  snapshots.forEach((s) => {
    if (s.heap === null) throw new ParseError(source, `line ${s.line}: snapshot ${s.index} has no mem_heap_B`);
    if (s.time === null) throw new ParseError(source, `line ${s.line}: snapshot ${s.index} has no time`);
    if ((s.tree === "detailed" || s.tree === "peak") && s.root === null) warnings.push(`${source}: snapshot ${s.index} says heap_tree=${s.tree} but has no tree`);
    if (s.root !== null) checkChildCounts(s.root, source, warnings);
  });

  const timeUnit = header["time_unit"] ?? "i";
  if (header["time_unit"] === undefined) warnings.push(`${source}: no time_unit line, assuming i (instructions)`);
  else if (!["i", "ms", "B"].includes(timeUnit)) warnings.push(`${source}: unusual time_unit "${timeUnit}"`);
  const id = options.id ?? (header["cmd"] !== undefined && header["cmd"] !== "" ? header["cmd"] : "massif");
  return massifResult(snapshots, { id, source, timeUnit, format: "massif", warnings });
}

function checkChildCounts(node: MassifNode, source: string, warnings: string[]): void {
  if (node.expectedChildren !== node.children.length) {
    warnings.push(`${source}: line ${node.line}: node says n${node.expectedChildren} but has ${node.children.length} children (truncated file?)`);
  }
  node.children.forEach((c) => checkChildCounts(c, source, warnings));
}

