import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { test } from "node:test";
import { ParseError } from "../lib/errors.js";
import type { FormatReader } from "../lib/ingest/ingestPath.js";
import { jemallocStats } from "../lib/ingest/memory/jemalloc.js";
import { perfStat } from "../lib/ingest/memory/perfStat.js";
import { memoryReaders } from "../lib/ingest/memory/readers.js";
import { timeVerbose } from "../lib/ingest/memory/time.js";

const REAL = "/work/shared/real-inputs";
const FIX = new URL("./fixtures/memory/", import.meta.url).pathname;

/** The kind of the first memory reader that claims `path` (the order ingestPath will use), or null. */
async function kindOf(path: string, isDir = false): Promise<string | null> {
  for (const r of memoryReaders) if (await r.detect(path, isDir)) return r.kind;
  return null;
}

const reader = (kind: string): FormatReader => {
  const r = memoryReaders.find((x) => x.kind === kind);
  assert.ok(r, kind);
  return r;
};

function* filesBelow(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* filesBelow(p);
    else yield p;
  }
}

test("memoryReaders: the five kinds, in detection order", () => {
  assert.deepEqual(memoryReaders.map((r) => r.kind), ["dhat", "massif", "jemalloc", "perf-stat", "time"]);
  assert.ok(memoryReaders.every((r) => r.expects.startsWith(`${r.kind}: `)));
});

test("every real memory/perf/time input is claimed by the right reader", async () => {
  const expected: Record<string, string | null> = {
    "dhat/memory-playground-box-str-rust-heap.json": "dhat",
    "dhat/valgrind-dh_test-ad_hoc.json": "dhat",
    "dhat/valgrind-dh_test-rust_heap.json": "dhat",
    "dhat/valgrind-dhat-summary-basic.stderr.txt": "dhat",
    "dhat/valgrind-gungraun-dhat.minimal.out": "dhat",
    "dhat/yt-dhat-example-rust-heap.json": "dhat",
    "massif/kde-massif.out.32406": "massif",
    "massif/msparser-massif.out.0": "massif",
    "massif/msparser-massif.out.1": "massif",
    "massif/msparser-massif.out.2": "massif",
    // msparser's own JSON rendering of massif.out.0 (a test oracle): no profiler wrote it
    "massif/msparser-massif.out.0.expected-msparser.json": null,
    "massif/valgrind-tests-ms_print-basic.post.exp.txt": "massif",
    "jemalloc/jemalloc-pr697-json-stats-fragment.txt": "jemalloc",
    "jemalloc/starrocks-memz-jemalloc-5.2.1-text-excerpt.txt": "jemalloc",
    "perf-time/bash-time-builtin-real-user-sys.txt": "time",
    "perf-time/gnu-time-v-slurm-python.txt": "time",
    "perf-time/perf-stat-not-counted-not-supported-lkml.txt": "perf-stat",
    "perf-time/perf-stat-u-suffix-multiplexed-algorithmica.txt": "perf-stat",
    "perf-time/perf-stat-x-csv-not-supported-FIXTURE.csv": "perf-stat",
  };
  const seen: Record<string, string | null> = {};
  for (const dir of ["dhat", "massif", "jemalloc", "perf-time"]) {
    for (const f of filesBelow(join(REAL, dir))) seen[f.slice(REAL.length + 1)] = await kindOf(f);
  }
  assert.deepEqual(seen, expected);
  for (const [f, kind] of Object.entries({
    "jemalloc-python.stderr.txt": "jemalloc", "jemalloc-process-tree.stderr.txt": "jemalloc", "gnu-time-v-exit3.txt": "time",
    "macos-time-l-FIXTURE.txt": "time", "perf-stat-software.txt": "perf-stat", "README.md": null,
  })) assert.equal(await kindOf(join(FIX, f)), kind, f);
});

test("no benchmark input (or documentation quoting the formats) is claimed by a memory reader", async () => {
  const claimed: string[] = [];
  for (const f of filesBelow(REAL)) {
    if (/^(dhat|massif|jemalloc|perf-time)\//.test(f.slice(REAL.length + 1))) continue;
    const k = await kindOf(f);
    if (k !== null) claimed.push(`${f}: ${k}`);
  }
  for (const f of filesBelow(new URL("./fixtures/text/", import.meta.url).pathname)) {
    const k = await kindOf(f);
    if (k !== null) claimed.push(`${f}: ${k}`);
  }
  assert.deepEqual(claimed, []); // REAL/README.md mentions `Maximum resident set size (kbytes)` in a table cell
  assert.equal(await kindOf(REAL, true), null); // folders are never claimed
});

test("read: the pure parsers' rows with the file name as source, no samples", async () => {
  const cases: Array<[string, string, (t: string, o: { source: string }) => { rows: unknown[]; warnings: string[] }]> = [
    [`${REAL}/jemalloc/starrocks-memz-jemalloc-5.2.1-text-excerpt.txt`, "jemalloc", jemallocStats],
    [`${FIX}jemalloc-python.stderr.txt`, "jemalloc", jemallocStats],
    [`${REAL}/perf-time/gnu-time-v-slurm-python.txt`, "time", timeVerbose],
    [`${REAL}/perf-time/perf-stat-x-csv-not-supported-FIXTURE.csv`, "perf-stat", perfStat],
  ];
  for (const [path, kind, parse] of cases) {
    const got = await reader(kind).read(path, false);
    const want = parse(readFileSync(path, "utf8"), { source: basename(path) });
    assert.deepEqual(got, { rows: want.rows, samples: [], warnings: want.warnings }, path);
  }
  const je = await reader("jemalloc").read(`${FIX}jemalloc-python.stderr.txt`, false);
  // "allocated":1397352 in the captured JSON
  assert.equal(je.rows.find((r) => r.stat === "allocated_bytes")?.value, 1397352);
  assert.equal(je.rows[0]?.source, "jemalloc-python.stderr.txt");
  assert.equal(je.rows[0]?.id, "jemalloc-python");
});

test("read: valgrind files go to the DHAT and massif parsers (rows only)", async () => {
  const dhat = await reader("dhat").read(`${REAL}/dhat/memory-playground-box-str-rust-heap.json`, false);
  assert.ok(dhat.rows.length > 0 && dhat.rows.every((r) => r.source === "memory-playground-box-str-rust-heap.json"));
  const summary = await reader("dhat").read(`${REAL}/dhat/valgrind-dhat-summary-basic.stderr.txt`, false);
  // `Total:     7,000 bytes in 4 blocks`
  assert.ok(summary.rows.some((r) => r.value === 7000));
  const massif = await reader("massif").read(`${REAL}/massif/kde-massif.out.32406`, false);
  assert.ok(massif.rows.length > 0);
  assert.deepEqual(massif.samples, []);
});

test("bad files: ParseError naming the path", async () => {
  const dir = mkdtempSync(join(tmpdir(), "litlab-memreaders-"));
  const empty = join(dir, "empty.stderr.txt");
  writeFileSync(empty, "");
  assert.equal(await kindOf(empty), null);
  await assert.rejects(reader("jemalloc").read(empty, false), (e: unknown) => e instanceof ParseError && e.file === empty && e.message.startsWith(`${empty}: empty`));

  const truncated = join(dir, "cut.stderr.txt");
  writeFileSync(truncated, readFileSync(`${FIX}jemalloc-python.stderr.txt`, "utf8").slice(0, 3000));
  assert.equal(await kindOf(truncated), "jemalloc");
  await assert.rejects(reader("jemalloc").read(truncated, false), (e: unknown) => e instanceof ParseError && e.message.startsWith(`${truncated}: `) && /truncated/.test(e.message));

  const noTime = join(dir, "run.log");
  writeFileSync(noTime, "program output\nreal work\n");
  assert.equal(await kindOf(noTime), null);
  await assert.rejects(reader("time").read(noTime, false), (e: unknown) => e instanceof ParseError && e.message.startsWith(`${noTime}: no \`time\` report found`));
  await assert.rejects(reader("perf-stat").read(noTime, false), (e: unknown) => e instanceof ParseError && e.file === noTime);
  await assert.rejects(reader("time").read(dir, true), (e: unknown) => e instanceof ParseError && /is a folder/.test(e.message));
});
