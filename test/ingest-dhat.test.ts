import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ParseError } from "../lib/errors.js";
import { dhatProfile, dhatSummaryText } from "../lib/ingest/memory/dhat.js";
import type { MemoryIngestResult } from "../lib/ingest/memoryRows.js";
import { hasCommand, requireTool } from "./helpers/tools.js";

const DIR = "/work/shared/real-inputs/dhat";
const read = (f: string): string => readFileSync(join(DIR, f), "utf8");
const stats = (r: MemoryIngestResult): Record<string, number> => Object.fromEntries(r.rows.map((x) => [x.stat, x.value]));

test("dhat-rs heap file (yt-dhat-example): totals, t-gmax, t-end, µs lifetimes, frames from ftbl", () => {
  const r = dhatProfile(read("yt-dhat-example-rust-heap.json"), { source: "yt.json" });
  // pps tb = 1024 + 13 + 64, tbk 1+1+1; gb the same (every pp live at t-gmax); eb = 1024 + 0 + 64, ebk 1+0+1
  assert.deepEqual(stats(r), {
    total_bytes: 1101, total_blocks: 3, peak_bytes: 1101, peak_blocks: 3, end_bytes: 1088, end_blocks: 2,
  });
  const row = r.rows[0]!;
  assert.equal(row.id, "target/debug/yt-dhat-example"); // "cmd"
  assert.equal(row.group, "dhat");
  assert.equal(row.metric, "heap"); // mode "rust-heap"
  assert.equal(row.format, "dhat");
  assert.equal(row.source, "yt.json");
  assert.equal(row.baseline, "new");
  assert.equal(row.lower, null);
  assert.equal(row.confidence, null);
  assert.equal(r.rows.find((x) => x.stat === "peak_blocks")!.unit, "blocks");
  assert.equal(r.sites.length, 3);
  const [a, b, c] = r.sites;
  // pp 1: tb 1024, tl 26, fs 1..21; ftbl[1] is the allocator entry, ftbl[21] is shared with pp 3
  assert.equal(a!.total_bytes, 1024);
  assert.equal(a!.peak_bytes, 1024);
  assert.equal(a!.end_bytes, 1024);
  assert.equal(a!.avg_lifetime, 26);
  assert.equal(a!.lifetime_unit, "µs"); // non-ASCII micro sign read intact
  assert.equal(a!.frames.length, 21);
  assert.equal(a!.frames[0], "0x104b7beb8: <alloc::alloc::Global as core::alloc::Allocator>::allocate (alloc/src/alloc.rs:241:9)");
  assert.equal(a!.site, a!.frames.join(" ← "));
  // pp 2: tb 13, tl 50, eb 0
  assert.deepEqual([b!.total_bytes, b!.avg_lifetime, b!.end_bytes, b!.frames.length], [13, 50, 0, 13]);
  // pp 3: fs ends with 21, the same frame string as pp 1's last
  assert.equal(c!.frames[c!.frames.length - 1], a!.frames[20]);
  assert.deepEqual(r.warnings, []);
});

test("dhat-rs small files: box-str (2 pps) and dh_test rust_heap (1 pp)", () => {
  const box = dhatProfile(read("memory-playground-box-str-rust-heap.json"));
  // pps: tb 5 (tl 63, eb 0) and tb 1024 (tl 32, eb 1024)
  assert.deepEqual(stats(box), { total_bytes: 1029, total_blocks: 2, peak_bytes: 1029, peak_blocks: 2, end_bytes: 1024, end_blocks: 1 });
  assert.equal(box.rows[0]!.id, "target/debug/box-str-dhat");
  assert.deepEqual(box.sites.map((s) => [s.avg_lifetime, s.frames.length]), [[63, 6], [32, 18]]);
  const one = dhatProfile(read("valgrind-dh_test-rust_heap.json"), { id: "dhatter" });
  assert.deepEqual(stats(one), { total_bytes: 1000, total_blocks: 1, peak_bytes: 1000, peak_blocks: 1, end_bytes: 0, end_blocks: 0 });
  assert.equal(one.rows[0]!.id, "dhatter"); // options.id wins over "cmd"
  assert.equal(one.sites[0]!.frames[5], "0x10e067a08: dhatter::main (main.rs:8:23)"); // ftbl[6]
});

test("valgrind ad-hoc mode: totals only, in the file's own units, no lifetimes", () => {
  const r = dhatProfile(read("valgrind-dh_test-ad_hoc.json"));
  // tb 30+20+30+10+30+20+30 = 170 units in 7 events; bklt false → no peak/end
  assert.deepEqual(stats(r), { total_bytes: 170, total_blocks: 7 });
  assert.equal(r.rows[0]!.metric, "ad-hoc");
  assert.equal(r.rows[0]!.id, "./ad-hoc");
  assert.deepEqual(r.rows.map((x) => x.unit), ["units", "events"]); // "bsu", "bksu"
  assert.equal(r.sites.length, 7);
  assert.equal(r.sites[3]!.site, "0x109486: main (ad-hoc.c:15)"); // pp 4: fs [6]
  assert.equal(r.sites[0]!.avg_lifetime, null);
  assert.equal(r.sites[0]!.peak_bytes, null);
  assert.equal(r.sites[0]!.lifetime_unit, null);
});

test("gungraun minimal DHAT file: its frame table is cut short, a clear ParseError", () => {
  // the file is real DHAT JSON (heap mode, bkacc) but pp 0 has fs [1,2] and ftbl only ["[root]", malloc]
  assert.throws(() => dhatProfile(read("valgrind-gungraun-dhat.minimal.out"), { source: "g.out" }),
    (e: unknown) => e instanceof ParseError && e.message === "g.out: program point 0: frame index 2 is out of range (ftbl has 2 entries)");
  // with the missing frame supplied, it loads: tb 1024, gb 1024, eb 0, rb 9456, wb 5093, tl 160000 instrs
  const fixed = read("valgrind-gungraun-dhat.minimal.out").replace(/\n \]\n\}/, '\n ,"0x1: main (m.c:1)"\n ]\n}');
  const r = dhatProfile(fixed);
  assert.deepEqual(stats(r), {
    total_bytes: 1024, total_blocks: 1, peak_bytes: 1024, peak_blocks: 1, end_bytes: 0, end_blocks: 0, read_bytes: 9456, write_bytes: 5093,
  });
  assert.equal(r.sites[0]!.avg_lifetime, 160000);
  assert.equal(r.sites[0]!.lifetime_unit, "instrs");
});

test("bad DHAT input gives one-line ParseErrors", () => {
  const bad = (text: string, re: RegExp): void => {
    assert.throws(() => dhatProfile(text, { source: "x.json" }), (e: unknown) => e instanceof ParseError && re.test(e.message) && !e.message.includes("\n"));
  };
  bad("not json", /^x\.json: not DHAT JSON/);
  bad(read("valgrind-dhat-summary-basic.stderr.txt"), /dhatSummaryText/);
  bad("[1,2]", /top level is not an object/);
  bad('{"a":1}', /no "dhatFileVersion"/);
  bad('{"dhatFileVersion":1,"pps":[],"ftbl":[]}', /unsupported dhatFileVersion 1/);
  bad('{"dhatFileVersion":2,"mode":"heap","ftbl":["[root]"]}', /no "pps"/);
  bad('{"dhatFileVersion":2,"mode":"heap","pps":[]}', /no "ftbl"/);
  bad('{"dhatFileVersion":2,"mode":"heap","bklt":true,"pps":[{"tb":1,"tbk":1,"fs":[]}],"ftbl":["[root]"]}', /program point 0: "gb" is missing/);
  bad('{"dhatFileVersion":2,"mode":"ad-hoc","pps":[{"tb":1,"tbk":1,"fs":[-1]}],"ftbl":["[root]"]}', /frame index -1 is out of range/);
  bad('{"dhatFileVersion":2,"mode":"ad-hoc","pps":[{"tb":1e300,"tbk":1,"fs":[]}],"ftbl":["[root]"]}', /above 2\^53/);
});

test("copy mode and large counts: exact above 2^32", () => {
  const big = 6_000_000_000; // > 2^32, < 2^53
  const r = dhatProfile(JSON.stringify({
    dhatFileVersion: 2, mode: "copy", verb: "Copied", bklt: false, bkacc: false, tu: "instrs", cmd: "./c", pps: [{ tb: big, tbk: 3, fs: [1] }], ftbl: ["[root]", "0x1: memcpy"],
  }));
  assert.deepEqual(stats(r), { total_bytes: big, total_blocks: 3 });
  assert.equal(r.rows[0]!.metric, "copy");
});

test("DHAT stderr summary (bare lines, no ==PID== prefix)", () => {
  const r = dhatSummaryText(read("valgrind-dhat-summary-basic.stderr.txt"), { source: "s.txt" });
  // Total: 7,000 bytes in 4 blocks / At t-gmax: 5,000 in 2 / At t-end: 3,000 in 1 / Reads 3,008 / Writes 3,516
  assert.deepEqual(stats(r), {
    total_bytes: 7000, total_blocks: 4, peak_bytes: 5000, peak_blocks: 2, end_bytes: 3000, end_blocks: 1, read_bytes: 3008, write_bytes: 3516,
  });
  assert.equal(r.rows[0]!.id, "dhat"); // no Command: line
  assert.equal(r.rows[0]!.metric, "heap");
  assert.equal(r.rows[0]!.format, "dhat-summary");
  assert.match(r.warnings[0]!, /no `Command:` line/);
  assert.throws(() => dhatSummaryText("hello\n", { source: "s.txt" }), (e: unknown) => e instanceof ParseError && /s\.txt: no DHAT summary/.test(e.message));
});

test("real valgrind DHAT run: JSON and stderr summary agree", (t) => {
  if (!requireTool(t, "valgrind", hasCommand("valgrind"))) return;
  const dir = mkdtempSync(join(tmpdir(), "litlab-dhat-"));
  try {
    const out = join(dir, "dhat.json");
    const run = spawnSync("valgrind", ["--tool=dhat", `--dhat-out-file=${out}`, "ls", "/"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const json = dhatProfile(readFileSync(out, "utf8"), { source: out });
    const text = dhatSummaryText(run.stderr, { source: "stderr" });
    assert.equal(json.rows[0]!.id, "ls /");
    assert.equal(text.rows[0]!.id, "ls /"); // from `==PID== Command: ls /`
    assert.deepEqual(stats(text), stats(json)); // all eight figures, computed two ways
    assert.ok(stats(json)["total_bytes"]! > 0);
    assert.ok(json.sites.every((s) => s.frames.length > 0 && s.lifetime_unit === "instrs"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
