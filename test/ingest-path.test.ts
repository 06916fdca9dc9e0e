// ingestPath dispatch and the errors a user sees for bad Criterion input: typed, one line, naming the file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { ingestCriterionDir, readCriterionTree } from "../lib/ingest/readTree.js";
import { ingestPath } from "../lib/ingest/ingestPath.js";
import { criterionRows, NO_BENCHMARK_PROBLEM } from "../lib/ingest/criterion/criterionRows.js";
import type { CriterionFile } from "../lib/ingest/criterion/files.js";
import { LitlabError, ParseError } from "../lib/errors.js";

const REAL = resolve(import.meta.dirname, "../../shared/real-inputs/criterion");

async function scratch(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "litlab-ingest-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A ParseError about exactly `file`, whose message is `<file>: <problem matching re>`. */
const parseErrorAbout = (file: string, re: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof ParseError, `expected ParseError, got ${String(e)}`);
  assert.equal(e.code, "parse");
  assert.equal(e.file, file);
  assert.ok(e.message.startsWith(`${file}: `), e.message);
  assert.match(e.message.slice(file.length + 2), re);
  return true;
};

/** Copies a real tree (shared/ is read-only) and makes the copy writable, so a test can damage it. */
async function copyTree(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true });
  execFileSync("chmod", ["-R", "u+w", to]);
}

const est = (point: number, lower: number, upper: number) => ({ confidence_interval: { confidence_level: 0.95, lower_bound: lower, upper_bound: upper }, point_estimate: point, standard_error: 1 });
const bench = (extra: Record<string, unknown>) => JSON.stringify({ group_id: "g", function_id: "f", value_str: null, throughput: null, full_id: "g/f", ...extra });
const estimates = (extra: Record<string, unknown> = {}) => JSON.stringify({ mean: est(100, 90, 110), median: est(99, 95, 105), median_abs_dev: est(2, 1, 3), slope: est(50, 40, 80), std_dev: est(4, 3, 5), ...extra });

test("truncated estimates.json in a real tree: that benchmark is a warning naming the file, the others load", async (t) => {
  const dir = await scratch(t);
  await copyTree(join(REAL, "szse-crit0.5.1-throughput"), dir);
  const file = join(dir, "TickTrade/parse/new/estimates.json");
  const text = await readFile(file, "utf8");
  await writeFile(file, text.slice(0, text.length / 2));
  for (const r of [await ingestCriterionDir(dir), await ingestPath(dir)]) {
    assert.deepEqual([...new Set(r.rows.map((x) => x.id))].sort(), ["MsgHeader/parse", "TickTrade_batch/parse_10k"]);
    assert.equal(r.warnings?.length, 1);
    assert.match(r.warnings![0]!, new RegExp(`^${file.replace(/[.]/g, "\\.")}: invalid JSON \\(.*\\(benchmark skipped\\)$`));
  }
  // when every benchmark is broken, the first problem is the error
  for (const b of ["MsgHeader/parse", "TickTrade_batch/parse_10k"]) await writeFile(join(dir, b, "new/estimates.json"), "{");
  await assert.rejects(ingestCriterionDir(dir), parseErrorAbout(join(dir, "MsgHeader/parse/new/estimates.json"), /^invalid JSON \(/));
});

test("estimates.json without mean (either schema), or with NaN written as null: ParseError naming the file", async (t) => {
  const dir = await scratch(t);
  await mkdir(join(dir, "g/f/new"), { recursive: true });
  await writeFile(join(dir, "g/f/new/benchmark.json"), bench({}));
  const file = join(dir, "g/f/new/estimates.json");
  const { mean: _drop, ...noMean } = JSON.parse(estimates()) as Record<string, unknown>;
  await writeFile(file, JSON.stringify(noMean));
  await assert.rejects(ingestCriterionDir(dir), parseErrorAbout(file, /^missing "mean" estimate/));
  await writeFile(file, JSON.stringify({ Median: est(1, 1, 1) }));
  await assert.rejects(ingestCriterionDir(dir), parseErrorAbout(file, /^missing "mean" estimate \(no "mean" or "Mean" key\)/));
  // serde_json writes a NaN f64 as null
  await writeFile(file, estimates({ mean: { ...est(1, 1, 1), point_estimate: null } }));
  await assert.rejects(ingestCriterionDir(dir), parseErrorAbout(file, /^"mean"\.point_estimate is null, not a finite number/));
  await writeFile(file, "[1, 2]");
  await assert.rejects(ingestCriterionDir(dir), parseErrorAbout(file, /must be a JSON object/));
  // the estimates file is gone entirely: the error names where it should be
  await rm(file);
  await assert.rejects(ingestCriterionDir(dir), parseErrorAbout(file, /^missing: the folder has benchmark.json but no estimates.json/));
});

test("bad sample.json and benchmark.json are named too", async (t) => {
  const dir = await scratch(t);
  await mkdir(join(dir, "g/f/new"), { recursive: true });
  await writeFile(join(dir, "g/f/new/estimates.json"), estimates());
  await writeFile(join(dir, "g/f/new/benchmark.json"), JSON.stringify({ full_id: "g/f" }));
  await assert.rejects(ingestCriterionDir(dir), parseErrorAbout(join(dir, "g/f/new/benchmark.json"), /missing "group_id"/));
  await writeFile(join(dir, "g/f/new/benchmark.json"), bench({ throughput: { Furlongs: 3 } }));
  await assert.rejects(ingestCriterionDir(dir), parseErrorAbout(join(dir, "g/f/new/benchmark.json"), /unknown throughput kind "Furlongs"/));
  await writeFile(join(dir, "g/f/new/benchmark.json"), bench({}));
  await writeFile(join(dir, "g/f/new/sample.json"), JSON.stringify({ sampling_mode: "Linear", iters: [1, 2], times: [10] }));
  await assert.rejects(ingestCriterionDir(dir), parseErrorAbout(join(dir, "g/f/new/sample.json"), /same length/));
});

test("empty folder, folder without Criterion files, missing path", async (t) => {
  const empty = await scratch(t);
  await assert.rejects(ingestCriterionDir(empty), parseErrorAbout(empty, new RegExp(`^${NO_BENCHMARK_PROBLEM.replace(/[()+.]/g, "\\$&")}$`)));
  assert.equal(NO_BENCHMARK_PROBLEM, "no Criterion benchmark found (expected <dir>/new/benchmark.json + estimates.json)");
  await assert.rejects(ingestPath(empty), parseErrorAbout(empty, /^unrecognised format: nothing below this folder/));
  // forcing the kind skips detection: the Criterion reader's own error
  await assert.rejects(ingestPath(empty, { kind: "criterion" }), parseErrorAbout(empty, /^no Criterion benchmark found/));
  await mkdir(join(empty, "report"));
  await writeFile(join(empty, "report/index.html"), "<html></html>");
  await assert.rejects(ingestCriterionDir(empty), parseErrorAbout(empty, /^no Criterion benchmark found/));

  const missing = join(empty, "no/such/target/criterion");
  // start each call only when it is awaited: a rejection nobody awaits yet fails the run as unhandled
  for (const call of [() => ingestPath(missing), () => ingestCriterionDir(missing)]) {
    await assert.rejects(call(), (e: unknown) => e instanceof LitlabError && !(e instanceof ParseError) && e.code === "not-found" && e.file === missing && e.message === `${missing} does not exist`);
  }
});

test("ingestPath on a single file: a Criterion estimates/benchmark.json reads that baseline; anything else is unrecognised", async (t) => {
  const dir = await scratch(t);
  await copyTree(join(REAL, "track-crit0.3.1"), dir);
  const newEst = await ingestPath(join(dir, "Monitoring Change/new/estimates.json"));
  assert.equal(newEst.kind, "criterion");
  assert.equal(newEst.rows.length, 6);
  assert.ok(newEst.rows.every((r) => r.id === "Monitoring Change" && r.baseline === "new" && r.source === "new/estimates.json"));
  assert.equal(newEst.rows.find((r) => r.stat === "typical")!.value, 338.84161205438915);
  assert.equal(newEst.samples.length, 100);
  const base = await ingestPath(join(dir, "Monitoring Change/base/benchmark.json"));
  assert.ok(base.rows.length === 6 && base.rows.every((r) => r.baseline === "base"));
  const change = await ingestPath(join(dir, "Monitoring Change/change/estimates.json"));
  assert.deepEqual(change.rows.map((r) => [r.metric, r.stat, r.value]), [["change", "mean", -0.0972237659062617], ["change", "median", 0.0005357428879377846]]);

  const notes = join(dir, "notes.txt");
  await writeFile(notes, "hello");
  await assert.rejects(ingestPath(notes), parseErrorAbout(notes, /^unrecognised format \(litlab reads criterion, /));
  // an estimates.json with no benchmark.json beside it is not a Criterion tree
  await mkdir(join(dir, "stray"));
  await writeFile(join(dir, "stray/estimates.json"), estimates());
  await assert.rejects(ingestPath(join(dir, "stray/estimates.json")), parseErrorAbout(join(dir, "stray/estimates.json"), /^unrecognised format/));
  await assert.rejects(ingestPath(join(dir, "stray/estimates.json"), { kind: "criterion" }), parseErrorAbout(join(dir, "stray/estimates.json"), /not part of a Criterion tree/));
});

test("criterionRows (pure): title fallback, BytesDecimal and ElementsAndBytes throughput, ./ paths, typical = slope", () => {
  const files: CriterionFile[] = [
    { path: "./a/new/benchmark.json", text: JSON.stringify({ group_id: "a", function_id: null, value_str: null, throughput: { BytesDecimal: 1000 }, title: "a" }) },
    { path: "./a/new/estimates.json", text: estimates() },
    { path: "b/x/7/v1/benchmark.json", text: JSON.stringify({ group_id: "b", function_id: "x", value_str: "7", throughput: { ElementsAndBytes: { elements: 2, bytes: 64 } } }) },
    { path: "b/x/7/v1/estimates.json", text: estimates({ slope: null }) },
  ];
  const { rows, samples } = criterionRows(files);
  assert.equal(samples.length, 0);
  // slope 50 ns [40, 80]: 1000 B → 2e10 B/s [1.25e10, 2.5e10]
  const a = rows.find((r) => r.id === "a" && r.metric === "throughput")!;
  assert.deepEqual([a.unit, a.value, a.lower, a.upper, a.source, a.baseline], ["bytes/s", 2e10, 1.25e10, 2.5e10, "a/new/estimates.json", "new"]);
  // no full_id or title: the id is joined from the parts; a named baseline `v1`; slope null → typical = mean 100 ns [90, 110]
  const b = rows.filter((r) => r.id === "b/x/7");
  assert.deepEqual(b.find((r) => r.stat === "typical" && r.metric === "time")!.value, 100);
  assert.deepEqual(b.filter((r) => r.metric === "throughput").map((r) => [r.unit, r.value, r.lower, r.upper]), [
    ["elements/s", 2e7, 2e9 / 110, 2e9 / 90],
    ["bytes/s", 6.4e8, 64e9 / 110, 64e9 / 90],
  ]);
  assert.ok(b.every((r) => r.baseline === "v1" && r.param === "7"));
  assert.throws(() => criterionRows([]), (e: unknown) => e instanceof ParseError && e.message === `.: ${NO_BENCHMARK_PROBLEM}`);
  assert.throws(() => criterionRows(files, { baselines: ["nope"] }), /no baseline named nope \(found: new, v1\)/);
  // root only names files in errors; sources stay relative
  assert.equal(criterionRows(files, { root: "/data/crit" }).rows[0]!.source, "a/new/estimates.json");
  assert.throws(() => criterionRows([{ path: "a/new/benchmark.json", text: "{" }, files[1]!], { root: "/data/crit/" }), (e: unknown) => e instanceof ParseError && e.file === "/data/crit/a/new/benchmark.json");
});

test("files over the size limit are not read: a huge sample.json is left out, a huge estimates.json is an error", async (t) => {
  const dir = await scratch(t);
  await copyTree(join(REAL, "track-crit0.3.1/Monitoring Change"), join(dir, "Monitoring Change"));
  // sample.json here is 1962 bytes, estimates.json 979, benchmark.json 181
  const files = await readCriterionTree(dir, { maxFileBytes: 1500 });
  assert.ok(files.length > 0 && files.every((f) => !f.path.endsWith("sample.json")));
  await assert.rejects(readCriterionTree(dir, { maxFileBytes: 900 }), parseErrorAbout(join(dir, "Monitoring Change/base/estimates.json"), /^979 bytes is too large for a Criterion file \(limit 900\); not read$/));
});
