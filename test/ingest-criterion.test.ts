// Criterion on-disk trees from public projects (../shared/real-inputs/criterion), values read by hand from the files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ingestCriterionDir } from "../lib/ingest/readTree.js";
import { ingestPath } from "../lib/ingest/ingestPath.js";
import { criterionRows } from "../lib/ingest/criterion/criterionRows.js";
import { LitlabError, ParseError } from "../lib/errors.js";
import type { TidyRow } from "../lib/ingest/rows.js";

const REAL = resolve(import.meta.dirname, "../../shared/real-inputs/criterion");
const find = (rows: TidyRow[], id: string, metric: string, stat: string, baseline = "new") =>
  rows.find((r) => r.id === id && r.metric === metric && r.stat === stat && r.baseline === baseline);

test("ecs_bench_suite (0.3, lowercase, linear): typical = slope, six benchmarks, samples", async () => {
  const { rows, samples } = await ingestCriterionDir(join(REAL, "ecs_bench_suite-crit0.3"));
  const ids = [...new Set(rows.map((r) => r.id))].sort();
  assert.deepEqual(ids, ["schedule/bevy", "schedule/legion", "schedule/legion_0.2.4", "schedule/shipyard", "schedule/shipyard (packed)", "schedule/specs"]);
  const typical = find(rows, "schedule/bevy", "time", "typical")!;
  assert.equal(typical.value, 71113.92956807195);
  assert.equal(typical.lower, 70914.6109914909);
  assert.equal(typical.upper, 71367.31149909338);
  assert.equal(typical.confidence, 0.95);
  assert.equal(typical.unit, "ns");
  assert.equal(typical.group, "schedule");
  assert.equal(typical.function, "bevy");
  assert.equal(typical.param, null);
  assert.equal(typical.source, "schedule/bevy/new/estimates.json");
  assert.equal(typical.format, "criterion-json");
  assert.equal(find(rows, "schedule/bevy", "time", "mean")!.value, 72980.07293273642);
  assert.equal(find(rows, "schedule/bevy", "time", "slope")!.value, 71113.92956807195);
  const bevy = samples.filter((s) => s.id === "schedule/bevy" && s.baseline === "new");
  assert.equal(bevy.length, 100);
  assert.deepEqual(bevy[0], { id: "schedule/bevy", source: "schedule/bevy/new/sample.json", baseline: "new", sample: 0, iterations: 14, total_ns: 1046400, per_iter_ns: 1046400 / 14, sampling_mode: "Linear" });
});

test("aoc2024 (0.4, flat): slope null → typical = mean; id from benchmark.json, not the sanitised dir; change rows", async () => {
  const { rows, samples } = await ingestCriterionDir(join(REAL, "aoc2024-crit0.4-flat"));
  const id = "Individual/06.2: Guard Gallivant";
  const typical = find(rows, id, "time", "typical")!;
  assert.equal(typical.value, 16209898.23);
  assert.equal(typical.lower, 16101379.282062499);
  assert.equal(typical.upper, 16372736.501374999);
  assert.equal(find(rows, id, "time", "slope"), undefined);
  assert.equal(typical.source, "Individual/06.2_ Guard Gallivant/new/estimates.json");
  const change = find(rows, id, "change", "mean", "change")!;
  assert.equal(change.value, -0.007003967210067796);
  assert.equal(change.unit, "ratio");
  assert.ok(rows.some((r) => r.id === "Total: All Days"));
  assert.ok(rows.some((r) => r.id === id && r.baseline === "base"));
  assert.ok(samples.filter((s) => s.id === id && s.baseline === "new").every((s) => s.sampling_mode === "Flat" && s.iterations === 4));
});

test("stack-queue (0.4, three-level ids): tokio__mpsc dir → tokio::mpsc id; base + new, no change", async () => {
  const { rows } = await ingestCriterionDir(join(REAL, "stack-queue-crit0.4-3level"));
  const t = find(rows, "Batching/tokio::mpsc/64", "time", "typical")!;
  assert.equal(t.function, "tokio::mpsc");
  assert.equal(t.param, "64");
  assert.equal(t.value, 25426.96171368693);
  assert.equal(t.upper, 25639.338639478494);
  assert.ok(find(rows, "Batching/tokio::mpsc/64", "time", "typical", "base"));
  assert.equal(rows.filter((r) => r.metric === "change").length, 0);
});

test("szse (0.5.1): Elements and Bytes throughput = count × 1e9 / typical, bounds swapped", async () => {
  const { rows } = await ingestCriterionDir(join(REAL, "szse-crit0.5.1-throughput"));
  const batch = find(rows, "TickTrade_batch/parse_10k", "throughput", "typical")!;
  assert.equal(batch.unit, "elements/s");
  assert.ok(Math.abs(batch.value - 10000 * 1e9 / 122573.01232119107) < 1e-3); // 81_584_125.6 elements/s
  assert.ok(Math.abs(batch.lower! - 10000 * 1e9 / 123493.87096678765) < 1e-3);
  assert.ok(Math.abs(batch.upper! - 10000 * 1e9 / 121694.47894304345) < 1e-3);
  const bytes = find(rows, "TickTrade/parse", "throughput", "typical")!;
  assert.equal(bytes.unit, "bytes/s");
  assert.ok(Math.abs(bytes.value - 66 * 1e9 / 34.188741881022985) < 1e-3); // ≈ 1.93 GB/s
  const header = find(rows, "MsgHeader/parse", "throughput", "typical")!;
  assert.ok(Math.abs(header.value - 1e9 / 4.777658853349348) < 1e-6);
});

test("track (0.3.1) and gridgen (0.2.11): capitalised estimates and bare [iters, times] samples", async () => {
  const track = await ingestCriterionDir(join(REAL, "track-crit0.3.1"));
  const t = find(track.rows, "Monitoring Change", "time", "typical")!;
  assert.equal(t.value, 338.84161205438915);
  assert.equal(find(track.rows, "Monitoring Change", "time", "mean")!.value, 743.1296863819288);
  assert.equal(t.function, null);
  const s = track.samples.filter((x) => x.id === "Monitoring Change" && x.baseline === "new");
  assert.equal(s.length, 100);
  assert.equal(s[0]!.iterations, 2891);
  assert.equal(s[0]!.total_ns, 118174575);
  assert.equal(s[0]!.sampling_mode, "unknown");
  const grid = await ingestCriterionDir(join(REAL, "gridgen-crit0.2.11"));
  assert.equal(new Set(grid.rows.map((r) => r.id)).size, 5);
  assert.ok(grid.rows.some((r) => r.id === "Generate grid 128 (my method)" && r.metric === "change"));
});

test("a tree nested inside a workspace member is found at any depth; ingestPath picks Criterion", async () => {
  const ws = await mkdtemp(join(tmpdir(), "litlab-nested-"));
  await cp(join(REAL, "szse-crit0.5.1-throughput"), join(ws, "crates/parser/target/criterion"), { recursive: true });
  const r = await ingestPath(ws);
  assert.equal(r.kind, "criterion");
  assert.equal(new Set(r.rows.map((x) => x.id)).size, 3);
  assert.ok(r.rows[0]!.source.startsWith("crates/parser/target/criterion/"));
});

test("bad inputs: typed errors naming the file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "litlab-badcrit-"));
  await mkdir(join(dir, "g/f/new"), { recursive: true });
  await writeFile(join(dir, "g/f/new/benchmark.json"), JSON.stringify({ group_id: "g", function_id: "f", value_str: null, throughput: null, full_id: "g/f" }));
  await writeFile(join(dir, "g/f/new/estimates.json"), "{\"mean\": {\"confidence_interval\":");
  await assert.rejects(ingestCriterionDir(dir), (e: unknown) => e instanceof ParseError && e.message.startsWith(join(dir, "g/f/new/estimates.json") + ": invalid JSON"));
  await writeFile(join(dir, "g/f/new/estimates.json"), JSON.stringify({ median: { point_estimate: 1, standard_error: 0, confidence_interval: { lower_bound: 1, upper_bound: 1, confidence_level: 0.95 } } }));
  await assert.rejects(ingestCriterionDir(dir), (e: unknown) => e instanceof ParseError && /g\/f\/new\/estimates.json: missing "mean" estimate/.test(e.message));
  await writeFile(join(dir, "g/f/new/estimates.json"), JSON.stringify({ mean: { point_estimate: "fast" }, median: {} }));
  await assert.rejects(ingestCriterionDir(dir), /"mean" is not a Criterion estimate/);
  const empty = await mkdtemp(join(tmpdir(), "litlab-empty-"));
  await assert.rejects(ingestCriterionDir(empty), (e: unknown) => e instanceof ParseError && e.message === `${empty}: no Criterion benchmark found (expected <benchmark>/new/benchmark.json + estimates.json)`);
  await assert.rejects(ingestPath(join(empty, "nope")), (e: unknown) => e instanceof LitlabError && e.code === "not-found");
  await writeFile(join(empty, "notes.txt"), "hello");
  await assert.rejects(ingestPath(join(empty, "notes.txt")), (e: unknown) => e instanceof ParseError && /notes.txt: unrecognised format/.test(e.message));
  assert.throws(() => criterionRows([{ path: "g/new/benchmark.json", text: "{\"group_id\":\"g\",\"throughput\":{\"Furlongs\":3}}" }, { path: "g/new/estimates.json", text: "{}" }]), /unknown throughput kind "Furlongs"/);
});
