// Criterion on-disk trees from public projects (../shared/real-inputs/criterion). Every expected number was read
// by hand from the JSON file named next to it; throughputs were worked out by hand from benchmark.json + estimates.json.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { ingestCriterionDir, readCriterionTree } from "../lib/ingest/readTree.js";
import { ingestPath } from "../lib/ingest/ingestPath.js";
import { criterionRows } from "../lib/ingest/criterion/criterionRows.js";
import type { SampleRow, TidyRow } from "../lib/ingest/rows.js";
import { idsOf, oneRow } from "./helpers/rows.js";

const REAL = resolve(import.meta.dirname, "../../shared/real-inputs/criterion");
const tree = (name: string): string => join(REAL, name);

const one = (rows: TidyRow[], id: string, metric: string, stat: string, baseline = "new"): TidyRow => oneRow(rows, id, metric, stat, baseline);
const ids = (rows: TidyRow[]): string[] => idsOf(rows).sort();
const samplesOf = (s: SampleRow[], id: string, baseline = "new"): SampleRow[] => s.filter((x) => x.id === id && x.baseline === baseline);
const close = (actual: number | null, expected: number, rel = 1e-12): void =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= Math.abs(expected) * rel, `${actual} ≉ ${expected}`);

test("ecs_bench_suite (0.3, lowercase schema, Linear): typical = slope, change rows, 6 benchmarks", async () => {
  const { rows, samples } = await ingestCriterionDir(tree("ecs_bench_suite-crit0.3"));
  assert.deepEqual(ids(rows), ["schedule/bevy", "schedule/legion", "schedule/legion_0.2.4", "schedule/shipyard", "schedule/shipyard (packed)", "schedule/specs"]);
  // per benchmark: new and base (typical + 5 stats) + change (mean, median)
  assert.equal(rows.length, 6 * (6 + 6 + 2));
  // schedule/shipyard (packed)/new/estimates.json
  const id = "schedule/shipyard (packed)";
  const typical = one(rows, id, "time", "typical");
  assert.deepEqual(typical, {
    id, group: "schedule", function: "shipyard (packed)", param: null, source: "schedule/shipyard (packed)/new/estimates.json",
    format: "criterion-json", metric: "time", stat: "typical", value: 307342.8039751736, unit: "ns",
    lower: 305870.2425010975, upper: 308876.7309719497, confidence: 0.95, baseline: "new",
  });
  assert.equal(one(rows, id, "time", "slope").value, 307342.8039751736);
  const mean = one(rows, id, "time", "mean");
  assert.deepEqual([mean.value, mean.lower, mean.upper], [307849.7908188483, 306144.99882386805, 309666.9491058045]);
  assert.equal(one(rows, id, "time", "median").value, 306787.1132323897);
  assert.equal(one(rows, id, "time", "std_dev").value, 9045.230576745926);
  assert.equal(one(rows, id, "time", "median_abs_dev").value, 7389.686660842611);
  // schedule/shipyard (packed)/change/estimates.json: -12.3 %
  const change = one(rows, id, "change", "mean", "change");
  assert.deepEqual([change.value, change.lower, change.upper, change.unit, change.source],
    [-0.12303943387837268, -0.13265086482197544, -0.11312455635482259, "ratio", "schedule/shipyard (packed)/change/estimates.json"]);
  assert.equal(one(rows, id, "change", "median", "change").value, -0.13090594936643685);
  assert.equal(rows.filter((r) => r.metric === "throughput").length, 0);
  // sample.json {"sampling_mode":"Linear","iters":[4.0,8.0,...],"times":[1166200.0,2357200.0,...]}
  assert.equal(samples.length, 6 * 2 * 100);
  const s = samplesOf(samples, id);
  assert.equal(s.length, 100);
  assert.deepEqual(s[1], { id, source: "schedule/shipyard (packed)/new/sample.json", baseline: "new", sample: 1, iterations: 8, total_ns: 2357200, per_iter_ns: 294650, sampling_mode: "Linear" });
});

test("aoc2024 (0.4, Flat, slope null): typical = mean, no slope row; id from benchmark.json with ':' the dir name lost", async () => {
  const { rows, samples } = await ingestCriterionDir(tree("aoc2024-crit0.4-flat"));
  assert.deepEqual(ids(rows), ["Individual/01.1: Historian Hysteria", "Individual/06.2: Guard Gallivant", "Total: All Days"]);
  // day 01.1 ran Linear (slope present), the other two Flat (slope null): 14 + 12 + 12 rows
  assert.equal(rows.length, 14 + 12 + 12);
  assert.deepEqual(rows.filter((r) => r.stat === "slope").map((r) => r.id), ["Individual/01.1: Historian Hysteria", "Individual/01.1: Historian Hysteria"]);
  // Individual/06.2_ Guard Gallivant/new/estimates.json: "slope":null, mean 16209898.23 [16101379.28…, 16372736.50…]
  const id = "Individual/06.2: Guard Gallivant";
  const typical = one(rows, id, "time", "typical");
  assert.deepEqual([typical.value, typical.lower, typical.upper, typical.confidence], [16209898.23, 16101379.282062499, 16372736.501374999, 0.95]);
  assert.deepEqual([typical.group, typical.function, typical.param], ["Individual", "06.2: Guard Gallivant", null]);
  assert.equal(typical.source, "Individual/06.2_ Guard Gallivant/new/estimates.json");
  assert.deepEqual(one(rows, id, "time", "mean").value, typical.value);
  // day 01.1 is Linear: its typical is the slope 28490.085840681084 [28184.508141344784, 29071.370522756766]
  const linear = one(rows, "Individual/01.1: Historian Hysteria", "time", "typical");
  assert.deepEqual([linear.value, linear.lower, linear.upper], [28490.085840681084, 28184.508141344784, 29071.370522756766]);
  // negative change: -0.7 % mean, -1.3 % median
  assert.equal(one(rows, id, "change", "mean", "change").value, -0.007003967210067796);
  assert.equal(one(rows, id, "change", "median", "change").upper, -0.008456413036086241);
  // top-level benchmark "Total_ All Days" is group-only: group "Total: All Days", no function
  const total = one(rows, "Total: All Days", "time", "typical", "base");
  assert.deepEqual([total.value, total.lower, total.upper, total.function], [55053291.3, 54916750.42874999, 55195261.494, null]);
  // Flat sampling: constant iteration counts (4.0 for day 6.2, 1.0 for the total)
  assert.equal(samples.length, 600);
  const flat = samplesOf(samples, id);
  assert.equal(flat.length, 100);
  assert.ok(flat.every((s) => s.sampling_mode === "Flat" && s.iterations === 4));
  assert.deepEqual([flat[0]!.total_ns, flat[0]!.per_iter_ns], [65998500, 16499625]);
  assert.equal(samplesOf(samples, "Total: All Days")[0]!.total_ns, 56892084);
});

test("stack-queue (0.4, three-level ids): tokio__mpsc dir → tokio::mpsc id; base + new, no change folder", async () => {
  const { rows, samples } = await ingestCriterionDir(tree("stack-queue-crit0.4-3level"));
  assert.deepEqual(ids(rows), ["Batching/crossbeam/1", "Batching/stack-queue/1", "Batching/tokio::mpsc/64"]);
  assert.equal(rows.length, 3 * (6 + 6));
  assert.equal(rows.filter((r) => r.metric === "change").length, 0);
  // Batching/tokio__mpsc/64/new/estimates.json
  const id = "Batching/tokio::mpsc/64";
  const t = one(rows, id, "time", "typical");
  assert.deepEqual([t.group, t.function, t.param], ["Batching", "tokio::mpsc", "64"]);
  assert.deepEqual([t.value, t.lower, t.upper], [25426.96171368693, 25249.96843494154, 25639.338639478494]);
  assert.equal(t.source, "Batching/tokio__mpsc/64/new/estimates.json");
  assert.equal(one(rows, id, "time", "mean").value, 25499.10986378302);
  assert.equal(one(rows, id, "time", "typical", "base").source, "Batching/tokio__mpsc/64/base/estimates.json");
  // 10 samples per baseline: iters [3557, 7114, ...], times [90424037, ...]
  assert.equal(samples.length, 60);
  const s = samplesOf(samples, id, "base");
  assert.equal(s.length, 10);
  assert.deepEqual([s[0]!.iterations, s[0]!.total_ns, s[0]!.sampling_mode], [3557, 90424037, "Linear"]);
});

test("szse (0.5.1): Bytes and Elements throughput = count × 1e9 / typical ns, bounds swapped", async () => {
  const { rows, samples } = await ingestCriterionDir(tree("szse-crit0.5.1-throughput"));
  assert.deepEqual(ids(rows), ["MsgHeader/parse", "TickTrade/parse", "TickTrade_batch/parse_10k"]);
  assert.equal(rows.length, 3 * 2 * (6 + 1));
  assert.equal(samples.length, 600);
  // TickTrade/parse: {"Bytes":66}, slope 34.188741881022985 ns [33.647076463270935, 34.77257093357362]
  // 66 B / 34.1887 ns = 1.9305 GB/s; lower = 66/34.7726 = 1.8980 GB/s; upper = 66/33.6471 = 1.9615 GB/s
  const bytes = one(rows, "TickTrade/parse", "throughput", "typical");
  assert.equal(bytes.unit, "bytes/s");
  close(bytes.value, 1.9304600394387245e9);
  close(bytes.lower, 1.8980477493620026e9);
  close(bytes.upper, 1.9615374331866674e9);
  assert.equal(bytes.confidence, 0.95);
  assert.equal(one(rows, "TickTrade/parse", "time", "typical").value, 34.188741881022985);
  // TickTrade_batch/parse_10k: {"Elements":10000}, slope 122573.01232119107 ns → 81.58 M elements/s
  const batch = one(rows, "TickTrade_batch/parse_10k", "throughput", "typical");
  assert.equal(batch.unit, "elements/s");
  close(batch.value, 81584027.43497843);
  close(batch.lower, (10000 * 1e9) / 123493.87096678765);
  close(batch.upper, (10000 * 1e9) / 121694.47894304345);
  // MsgHeader/parse base: {"Elements":1}, slope 4.777658853349348 ns → 209.3 M elements/s
  const header = one(rows, "MsgHeader/parse", "throughput", "typical", "base");
  close(header.value, 209307535.48863292);
  close(header.lower, 206276726.8849758);
  close(header.upper, 212168209.82698748);
});

test("track (0.3.1): capitalised estimates, bare [iters, times] samples, change on one benchmark only", async () => {
  const { rows, samples } = await ingestCriterionDir(tree("track-crit0.3.1"));
  assert.deepEqual(ids(rows), ["Monitoring Change", "Serialisation with bincode", "Serialisation with rmp-serde"]);
  assert.equal(rows.length, 3 * 12 + 2);
  // Serialisation with bincode/new/estimates.json: "Slope" 17.6388566656702 [17.416263117359367, 17.880000430809677], "Mean" 17.47861971882483
  const id = "Serialisation with bincode";
  const t = one(rows, id, "time", "typical");
  assert.deepEqual([t.value, t.lower, t.upper, t.confidence], [17.6388566656702, 17.416263117359367, 17.880000430809677, 0.95]);
  assert.deepEqual([t.group, t.function, t.param], ["Serialisation with bincode", null, null]);
  const mean = one(rows, id, "time", "mean");
  assert.deepEqual([mean.value, mean.lower, mean.upper], [17.47861971882483, 17.29403824005325, 17.678215494516365]);
  assert.equal(one(rows, id, "time", "median_abs_dev").value, 0.4861534253500064);
  assert.equal(one(rows, id, "time", "std_dev").value, 0.9881493101696871);
  // Monitoring Change/change/estimates.json: "Mean" -0.0972237659062617, "Median" 0.0005357428879377846
  assert.equal(one(rows, "Monitoring Change", "change", "mean", "change").value, -0.0972237659062617);
  assert.equal(one(rows, "Monitoring Change", "change", "median", "change").value, 0.0005357428879377846);
  // sample.json [[55840.0, 111680.0, ...], [898687.0, 1805561.0, ...]]
  assert.equal(samples.length, 600);
  const s = samplesOf(samples, id);
  assert.equal(s.length, 100);
  assert.deepEqual([s[0]!.iterations, s[0]!.total_ns, s[1]!.iterations, s[1]!.total_ns], [55840, 898687, 111680, 1805561]);
  assert.ok(s.every((x) => x.sampling_mode === "unknown"));
});

test("gridgen (0.2.11): capitalised schema, names with spaces and parentheses, positive and negative change", async () => {
  const { rows, samples } = await ingestCriterionDir(tree("gridgen-crit0.2.11"));
  assert.equal(ids(rows).length, 5);
  assert.ok(ids(rows).includes("Generate grid 128 (my method)"));
  assert.equal(rows.length, 5 * 14);
  // Generate grid 50 (my method)/new/estimates.json: "Slope" 6531.880923864058 [6530.435808603147, 6533.660464402843]
  const id = "Generate grid 50 (my method)";
  const t = one(rows, id, "time", "typical");
  assert.deepEqual([t.value, t.lower, t.upper], [6531.880923864058, 6530.435808603147, 6533.660464402843]);
  assert.equal(one(rows, id, "time", "mean").value, 6531.20443508967);
  assert.equal(one(rows, id, "change", "mean", "change").value, -0.1754412897684149);
  // sample.json [[151.0, 302.0, ...], [986395.0, 1971890.0, ...]]
  assert.equal(samples.length, 1000);
  const s = samplesOf(samples, id);
  assert.deepEqual([s.length, s[0]!.iterations, s[0]!.total_ns], [100, 151, 986395]);
});

test("baselines option keeps only the named baseline folders", async () => {
  const files = await readCriterionTree(tree("stack-queue-crit0.4-3level"));
  const { rows, samples } = criterionRows(files, { baselines: ["base"] });
  assert.ok(rows.length === 18 && rows.every((r) => r.baseline === "base"));
  assert.equal(samples.length, 30);
  const aoc = criterionRows(await readCriterionTree(tree("aoc2024-crit0.4-flat")), { baselines: ["change"] });
  assert.equal(aoc.rows.length, 6);
  assert.deepEqual(new Set(aoc.rows.map((r) => r.metric)), new Set(["change"]));
});

test("readCriterionTree reads only benchmark/estimates/sample JSON and raw.csv, posix paths relative to the root", async () => {
  const files = await readCriterionTree(tree("track-crit0.3.1"));
  // 3 benchmarks × 2 baselines × 4 files + 1 change/estimates.json; tukey.json is left out
  assert.equal(files.length, 25);
  assert.ok(files.some((f) => f.path === "Monitoring Change/change/estimates.json"));
  assert.ok(files.every((f) => /^[^/].*\/((benchmark|estimates|sample)\.json|raw\.csv)$/.test(f.path)));
});

test("a tree nested in a workspace member: found at any depth, report/ node_modules/ and .git/ skipped", async () => {
  const ws = await mkdtemp(join(tmpdir(), "litlab-ws-"));
  try {
    const home = join(ws, "crates/actors-bench/target/criterion");
    await cp(tree("stack-queue-crit0.4-3level"), home, { recursive: true });
    await cp(tree("szse-crit0.5.1-throughput"), join(ws, "crates/parser/target/criterion"), { recursive: true });
    execFileSync("chmod", ["-R", "u+w", ws]); // shared/ is read-only and cp keeps the modes
    // junk where Criterion keeps HTML, and in folders that are never a Criterion tree: must not be read
    for (const junk of [join(home, "report"), join(home, "Batching/report"), join(ws, "node_modules/x/new"), join(ws, ".git/y/new")]) {
      await mkdir(junk, { recursive: true });
      await writeFile(join(junk, "benchmark.json"), "{ not json");
      await writeFile(join(junk, "estimates.json"), "{ not json");
    }
    await writeFile(join(ws, "Cargo.toml"), "[workspace]\nmembers = [\"crates/*\"]\n");
    const r = await ingestPath(ws);
    assert.equal(r.kind, "criterion");
    assert.equal(ids(r.rows).length, 6);
    const t = one(r.rows, "Batching/tokio::mpsc/64", "time", "typical");
    assert.equal(t.value, 25426.96171368693);
    assert.equal(t.source, "crates/actors-bench/target/criterion/Batching/tokio__mpsc/64/new/estimates.json");
    assert.equal(one(r.rows, "TickTrade/parse", "throughput", "typical").source, "crates/parser/target/criterion/TickTrade/parse/new/estimates.json");
    assert.equal(r.samples.length, 60 + 600);
    // the same tree read from its own root gives the same values with shorter sources
    const direct = await ingestCriterionDir(home);
    assert.equal(one(direct.rows, "Batching/tokio::mpsc/64", "time", "typical").source, "Batching/tokio__mpsc/64/new/estimates.json");
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
});
