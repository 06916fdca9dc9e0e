import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ParseError } from "../lib/errors.js";
import { massifProfile } from "../lib/ingest/memory/massif.js";
import type { MemoryIngestResult } from "../lib/ingest/memoryRows.js";
import { hasCommand, requireTool } from "./helpers/tools.js";

const DIR = "/work/shared/real-inputs/massif";
const read = (f: string): string => readFileSync(join(DIR, f), "utf8");
const stats = (r: MemoryIngestResult): Record<string, number> => Object.fromEntries(r.rows.map((x) => [x.stat, x.value]));

interface OracleNode { nbytes: number; children: OracleNode[]; details: { function: string; file: string; line: number } | null }
interface Oracle {
  cmd: string; time_unit: string; peak_snapshot_index: number; detailed_snapshot_indices: number[];
  snapshots: { id: number; time: number; mem_heap: number; mem_heap_extra: number; mem_stack: number; heap_tree: OracleNode | null }[];
}

test("msparser-massif.out.0 matches msparser's own parse (oracle JSON)", () => {
  const oracle = JSON.parse(read("msparser-massif.out.0.expected-msparser.json")) as Oracle;
  const r = massifProfile(read("msparser-massif.out.0"), { source: "m0" });
  assert.equal(r.timeline.length, oracle.snapshots.length); // 17
  assert.deepEqual(
    r.timeline.map((s) => [s.index, s.t, s.heap_bytes, s.extra_heap_bytes, s.stacks_bytes]),
    oracle.snapshots.map((s) => [s.id, s.time, s.mem_heap, s.mem_heap_extra, s.mem_stack]),
  );
  assert.deepEqual(r.timeline.filter((s) => s.peak).map((s) => s.index), [oracle.peak_snapshot_index]); // [16]
  assert.ok(r.timeline.every((s) => s.t_unit === oracle.time_unit && s.id === oracle.cmd && s.tool === "massif")); // ms, ./a.out
  // top-level sites = children of the oracle's peak tree root, same bytes, same innermost function
  const peakTree = oracle.snapshots[oracle.peak_snapshot_index]!.heap_tree!;
  assert.deepEqual(r.sites.map((s) => s.peak_bytes), peakTree.children.map((c) => c.nbytes)); // 12000, 10000, 8000, 2000
  r.sites.forEach((s, i) => assert.ok(s.frames[0]!.includes(`: ${peakTree.children[i]!.details!.function} (`)));
});

test("msparser-massif.out.0: summary rows and frame chains, hand-checked", () => {
  const r = massifProfile(read("msparser-massif.out.0"));
  // snapshot 16 (peak): heap 32000, extra 120, stacks 0; last snapshot is 16 too
  assert.deepEqual(stats(r), {
    peak_heap_bytes: 32000, peak_total_bytes: 32120, peak_extra_heap_bytes: 120, peak_stacks_bytes: 0, end_heap_bytes: 32000,
  });
  const row = r.rows[0]!;
  assert.deepEqual([row.id, row.group, row.metric, row.format, row.unit, row.baseline, row.lower], ["./a.out", "massif", "heap", "massif", "bytes", "new", null]);
  // ` n1: 12000 h (prog.c:4)` has the single child `n2: 12000 g (prog.c:9)`, which branches: the chain stops there
  assert.deepEqual(r.sites[0]!.frames, ["0x8048404: h (prog.c:4)", "0x804841D: g (prog.c:9)"]);
  assert.equal(r.sites[0]!.site, "0x8048404: h (prog.c:4) ← 0x804841D: g (prog.c:9)");
  assert.deepEqual(r.sites[3]!.frames, ["0x8048431: f (prog.c:13)", "0x8048472: main (prog.c:24)"]); // n1: 2000 → n0: 2000
  assert.deepEqual(r.warnings, []);
});

test("msparser-massif.out.1 (time_unit B, C++ frames, no peak tree)", () => {
  const r = massifProfile(read("msparser-massif.out.1"));
  assert.equal(r.timeline.length, 15); // snapshots 0..14
  assert.ok(r.timeline.every((s) => s.t_unit === "B" && !s.peak));
  // largest mem_heap_B is 212 (hand-checked with grep); biggest heap+extra 296; extra max 84; last snapshot 14: heap 140
  assert.deepEqual(stats(r), {
    peak_heap_bytes: 212, peak_total_bytes: 296, peak_extra_heap_bytes: 84, peak_stacks_bytes: 0, end_heap_bytes: 140,
  });
  // only detailed snapshot is 13 (time 16592, heap 29), root `n10: 29`: 10 top-level sites, the first 29 bytes
  assert.equal(r.timeline[13]!.t, 16592);
  assert.equal(r.sites.length, 10);
  assert.equal(r.sites[0]!.peak_bytes, 29);
  assert.equal(r.sites[0]!.frames[0], "0xA08D04: std::string::_Rep::_S_create(unsigned int, unsigned int, std::allocator<char> const&) (in /usr/lib/libstdc++.so.6.0.14)");
  assert.ok(r.warnings.some((w) => /no heap_tree=peak/.test(w)));
  assert.ok(r.warnings.some((w) => /detailed snapshot 13/.test(w)));
});

test("msparser-massif.out.2 (time_unit i): below-threshold nodes end the frame chain", () => {
  const r = massifProfile(read("msparser-massif.out.2"));
  assert.equal(r.timeline[0]!.t_unit, "i");
  assert.equal(r.timeline.length, 24);
  // detailed snapshot 23: time 1765962, heap 296, extra 96; root n8 → 8 sites
  assert.deepEqual([r.timeline[23]!.t, r.timeline[23]!.heap_bytes, r.timeline[23]!.extra_heap_bytes], [1765962, 296, 96]);
  assert.equal(stats(r)["end_heap_bytes"], 296);
  assert.equal(r.sites.length, 8);
  assert.deepEqual(r.sites.map((s) => s.peak_bytes), [72, 72, 72, 28, 20, 16, 16, 0]);
  // parse_branch → parse_regexp → parse → regex_test (n2: branches into main and "in 3 places")
  assert.equal(r.sites[0]!.frames.length, 4);
  assert.match(r.sites[0]!.frames[3]!, /regex_test\(std::string const&, std::string const&, bool\) \(thompson\.cpp:731\)$/);
  assert.equal(r.sites[7]!.site, "in 4 places, all below massif's threshold (01.00%)");
});

test("kde-massif.out.32406: the two-snapshot minimal file", () => {
  const r = massifProfile(read("kde-massif.out.32406"), { id: "kde" });
  // snapshot 1: time 123667, heap 100, extra 20
  assert.deepEqual(r.timeline.map((s) => [s.index, s.t, s.heap_bytes, s.extra_heap_bytes]), [[0, 0, 0, 0], [1, 123667, 100, 20]]);
  assert.deepEqual(stats(r), { peak_heap_bytes: 100, peak_total_bytes: 120, peak_extra_heap_bytes: 20, peak_stacks_bytes: 0, end_heap_bytes: 100 });
  assert.equal(r.rows[0]!.id, "kde");
  assert.deepEqual(r.sites, []);
});

test("values above 2^32 stay exact; above 2^53 is refused", () => {
  const big = `desc: x\ncmd: ./huge\ntime_unit: i\n#-----------\nsnapshot=0\n#-----------\ntime=9007199254740991\nmem_heap_B=5021305210\n`
    + `mem_heap_extra_B=4294967297\nmem_stacks_B=5000000000\nheap_tree=peak\nn1: 5021305210 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n`
    + ` n0: 5021305210 0x1: big (b.c:1)\n`;
  const r = massifProfile(big);
  assert.equal(r.timeline[0]!.t, 9007199254740991); // 2^53 - 1
  assert.equal(stats(r)["peak_heap_bytes"], 5021305210);
  assert.equal(stats(r)["peak_total_bytes"], 5021305210 + 4294967297 + 5000000000);
  assert.equal(r.sites[0]!.peak_bytes, 5021305210);
  assert.throws(() => massifProfile(big.replace("9007199254740991", "9007199254740993"), { source: "h" }),
    (e: unknown) => e instanceof ParseError && e.message === "h: line 7: time 9007199254740993 is above 2^53 and cannot be held exactly");
});

test("bad massif input gives ParseErrors with line numbers", () => {
  const bad = (text: string, re: RegExp): void => {
    assert.throws(() => massifProfile(text, { source: "m" }), (e: unknown) => e instanceof ParseError && re.test(e.message) && !e.message.includes("\n"));
  };
  const head = "desc: x\ncmd: ./a\ntime_unit: i\n#-----------\nsnapshot=0\n#-----------\ntime=0\n";
  bad("hello\n", /^m: not a massif.out file: no `snapshot=` lines$/);
  bad(read("msparser-massif.out.0.expected-msparser.json"), /no `snapshot=` lines/);
  bad(`${head}mem_heap_extra_B=0\nheap_tree=empty\n`, /^m: line 5: snapshot 0 has no mem_heap_B$/);
  bad(`${head}mem_heap_B=abc\n`, /^m: line 8: mem_heap_B "abc" is not/);
  bad(`${head}mem_heap_B=1\nheap_tree=detailed\nn1: 1 (heap allocation functions)\n  n0: 1 0x1: f (a.c:1)\n`, /^m: line 11: tree line indented 2 deep/);
  bad(`${head}mem_heap_B=1\nheap_tree=detailed\nn1: 1 (heap allocation functions)\n n0: x 0x1: f\n`, /^m: line 11: cannot read " n0: x 0x1: f"/);
  bad(`${head}mem_heap_B=1\nheap_tree=empty\nn0: 1 (heap allocation functions)\n`, /^m: line 10: a tree line in snapshot 0/);
  bad(`${head}mem_heap_B=1\nheap_tree=sideways\n`, /^m: line 9: unknown heap_tree "sideways"/);
});

test("ms_print output (valgrind tests basic.post.exp) is read from its table", () => {
  const r = massifProfile(read("valgrind-tests-ms_print-basic.post.exp.txt"), { source: "ms" });
  // "Number of snapshots: 73", "Detailed snapshots: [9, 19, 29, 37 (peak), 47, 57, 67]"
  assert.equal(r.timeline.length, 73);
  assert.deepEqual(r.timeline.filter((s) => s.peak).map((s) => s.index), [37]);
  // row 37: time 14,688, total 14,688, useful-heap 14,400, extra 288; row 72: time 28,968, heap 400, extra 8
  assert.deepEqual([r.timeline[37]!.t, r.timeline[37]!.heap_bytes, r.timeline[37]!.extra_heap_bytes], [14688, 14400, 288]);
  assert.deepEqual([r.timeline[72]!.t, r.timeline[72]!.heap_bytes], [28968, 400]);
  assert.equal(r.timeline[0]!.t_unit, "B"); // time(B)
  assert.deepEqual(stats(r), { peak_heap_bytes: 14400, peak_total_bytes: 14688, peak_extra_heap_bytes: 288, peak_stacks_bytes: 0, end_heap_bytes: 400 });
  assert.equal(r.rows[0]!.id, "./basic"); // Command:
  assert.equal(r.rows[0]!.format, "ms_print");
  // peak tree: ->98.04% (14,400B) 0x........: main (basic.c:14)
  assert.deepEqual(r.sites.map((s) => [s.peak_bytes, s.site]), [[14400, "0x........: main (basic.c:14)"]]);
});

test("real valgrind massif run: massif.out and ms_print of it agree", (t) => {
  if (!requireTool(t, "valgrind", hasCommand("valgrind"))) return;
  // ms_print exits 255 even for --version, so only "could it be started" tells whether it is there
  if (!requireTool(t, "ms_print", spawnSync("ms_print", ["--version"]).error === undefined)) return;
  const dir = mkdtempSync(join(tmpdir(), "litlab-massif-"));
  try {
    const out = join(dir, "massif.out");
    const run = spawnSync("valgrind", ["--tool=massif", `--massif-out-file=${out}`, "--time-unit=B", "ls", "/"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const text = readFileSync(out, "utf8");
    const raw = massifProfile(text, { source: out });
    const printed = spawnSync("ms_print", [out], { encoding: "utf8" });
    assert.equal(printed.status, 0, printed.stderr);
    const viaPrint = massifProfile(printed.stdout, { source: "ms_print" });
    assert.equal(raw.rows[0]!.id, "ls /");
    assert.deepEqual(stats(viaPrint), stats(raw));
    assert.deepEqual(viaPrint.timeline.map((s) => [s.index, s.t, s.heap_bytes, s.peak]), raw.timeline.map((s) => [s.index, s.t, s.heap_bytes, s.peak]));
    assert.deepEqual(viaPrint.sites.map((s) => s.peak_bytes), raw.sites.map((s) => s.peak_bytes));
    assert.ok(raw.timeline.some((s) => s.peak));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
