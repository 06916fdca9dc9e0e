// cargo-criterion's two outputs. There is no real file of either in ../shared/real-inputs, so the fixtures below are
// written to the shape of cargo-criterion's own serde structs (bheisler/cargo-criterion @ 4d14e0d:
// src/message_formats/json.rs + mod.rs for the messages; src/model.rs, src/estimate.rs, src/connection.rs for the
// CBOR records), with round numbers so every expected value below can be checked by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { encode } from "cbor2";
import { cargoCriterionMessages } from "../lib/ingest/cargoCriterion/messages.js";
import { splitJsonObjects } from "../lib/ingest/cargoCriterion/jsonStream.js";
import { cargoCriterionDataRows } from "../lib/ingest/cargoCriterion/cborData.js";
import { ingestCargoCriterionData } from "../lib/ingest/cargoCriterion/dataFolder.js";
import { cargoCriterionDataReader, cargoCriterionJsonReader } from "../lib/ingest/cargoCriterion/readers.js";
import { criterionDirName } from "../lib/ingest/criterion/dirName.js";
import { ParseError } from "../lib/errors.js";
import type { TidyRow } from "../lib/ingest/rows.js";
import { idsOf, oneRow } from "./helpers/rows.js";

const REAL = resolve(import.meta.dirname, "../../shared/real-inputs/criterion");

const one = (rows: TidyRow[], id: string, metric: string, stat: string, baseline = "new"): TidyRow => oneRow(rows, id, metric, stat, baseline);

const ci = (estimate: number, lower_bound: number, upper_bound: number, unit = "ns") => ({ estimate, lower_bound, upper_bound, unit });

// BenchmarkComplete as json.rs serialises it, with the "reason" spliced in first
const tokioSingle = {
  reason: "benchmark-complete",
  id: "message_throughput/tokio_single/1000",
  report_directory: "/work/target/criterion/reports/message_throughput/tokio_single/1000",
  iteration_count: [10, 20, 30],
  measured_values: [500000, 1000000, 1500000],
  unit: "ns",
  throughput: [{ per_iteration: 1000, unit: "elements" }],
  typical: ci(50000, 40000, 62500),
  mean: ci(50100, 49000, 51000),
  median: ci(49900, 49500, 50500),
  median_abs_dev: ci(120, 80, 160),
  slope: ci(50000, 40000, 62500),
  change: { mean: ci(0.0523, 0.01, 0.09, "%"), median: ci(0.04, 0.02, 0.06, "%"), change: "Regressed" },
};
const futuresLite = {
  ...tokioSingle,
  id: "message_throughput/futures_lite/1000",
  iteration_count: [5, 5],
  measured_values: [1000, 1100],
  throughput: [{ per_iteration: 64, unit: "bytes" }],
  typical: ci(210, 200, 220), // Flat sampling: typical is the mean, slope null
  mean: ci(210, 200, 220),
  slope: null,
  change: null,
};
// a group whose name has a "/": only group-complete says where the group ends
const ioRead = { ...futuresLite, id: "io/read/buf", throughput: [], iteration_count: [1], measured_values: [7] };

const MESSAGES = [
  "Gnuplot not found, using plotters backend",
  JSON.stringify({ reason: "compiler-artifact", package_id: "host-actors 0.1.0", target: { name: "x" } }),
  "[memory] current={ 1024 } peak=2048",
  "{ ticks: 45 }",
  JSON.stringify(tokioSingle),
  JSON.stringify(futuresLite, null, 2), // pretty-printed over many lines
  JSON.stringify({ reason: "group-complete", group_name: "message_throughput", benchmarks: [tokioSingle.id, futuresLite.id], report_directory: "/work/target/criterion/reports/message_throughput" }),
  // two messages back to back on one line
  JSON.stringify(ioRead) + JSON.stringify({ reason: "group-complete", group_name: "io/read", benchmarks: ["io/read/buf"], report_directory: "r" }),
  "",
].join("\r\n"); // Windows line endings on top

test("splitJsonObjects: one per line, pretty, back to back; prints with braces are not values", () => {
  const chunks = splitJsonObjects(MESSAGES);
  const values = chunks.filter((c) => c.kind === "value");
  // compiler-artifact, tokio_single, futures_lite (pretty), group-complete, io/read/buf, group-complete
  assert.equal(values.length, 6);
  const pretty = JSON.stringify(futuresLite, null, 2).split("\n").length; // lines 6 .. 6 + pretty - 1
  assert.deepEqual(values.map((v) => v.line), [2, 5, 6, 6 + pretty, 7 + pretty, 7 + pretty]);
  // "{ ticks: 45 }" opens its line and is not JSON: reported as bad, not thrown
  assert.deepEqual(chunks.filter((c) => c.kind === "bad").map((c) => c.line), [4]);
});

test("cargoCriterionMessages: time, throughput, change rows and samples, hand-checked", () => {
  const { rows, samples } = cargoCriterionMessages(MESSAGES, { source: "bench.jsonl" });
  assert.deepEqual([...new Set(rows.map((r) => r.id))], [tokioSingle.id, futuresLite.id, "io/read/buf"]);

  const t = one(rows, tokioSingle.id, "time", "typical");
  assert.deepEqual(
    { ...t },
    {
      id: "message_throughput/tokio_single/1000", group: "message_throughput", function: "tokio_single", param: "1000",
      source: "bench.jsonl", format: "cargo-criterion-json", metric: "time", stat: "typical", value: 50000, unit: "ns",
      lower: 40000, upper: 62500, confidence: 0.95, baseline: "new",
    },
  );
  assert.equal(one(rows, tokioSingle.id, "time", "mean").value, 50100);
  assert.equal(one(rows, tokioSingle.id, "time", "median_abs_dev").upper, 160);
  assert.equal(one(rows, tokioSingle.id, "time", "slope").value, 50000);
  // no std_dev in the messages
  assert.equal(rows.filter((r) => r.id === tokioSingle.id && r.stat === "std_dev").length, 0);
  // 1000 elements / 50000 ns = 2e7 /s; bounds from the time bounds, swapped: 1e12/62500 = 1.6e7, 1e12/40000 = 2.5e7
  const thr = one(rows, tokioSingle.id, "throughput", "typical");
  assert.deepEqual([thr.value, thr.lower, thr.upper, thr.unit], [2e7, 1.6e7, 2.5e7, "elements/s"]);
  // the change numbers are ratios although the message says "%" (from_percent copies new/old - 1 unscaled)
  const ch = one(rows, tokioSingle.id, "change", "mean", "change");
  assert.deepEqual([ch.value, ch.lower, ch.upper, ch.unit], [0.0523, 0.01, 0.09, "ratio"]);
  assert.equal(one(rows, tokioSingle.id, "change", "median", "change").value, 0.04);

  // Flat: slope null → no slope row, typical = mean 210; 64 bytes / 210 ns
  assert.equal(rows.filter((r) => r.id === futuresLite.id && r.stat === "slope").length, 0);
  assert.equal(one(rows, futuresLite.id, "throughput", "typical").value, (64 * 1e9) / 210);
  assert.equal(one(rows, futuresLite.id, "throughput", "typical").unit, "bytes/s");
  assert.equal(rows.filter((r) => r.id === futuresLite.id && r.metric === "change").length, 0);

  // the group from group-complete, not from the first "/"
  const io = one(rows, "io/read/buf", "time", "typical");
  assert.deepEqual([io.group, io.function, io.param], ["io/read", "buf", null]);

  // samples: 500000 ns over 10 iterations = 50000 ns each
  const s = samples.filter((x) => x.id === tokioSingle.id);
  assert.equal(s.length, 3);
  assert.deepEqual({ ...s[1]! }, {
    id: tokioSingle.id, source: "bench.jsonl", baseline: "new", sample: 1, iterations: 20, total_ns: 1000000, per_iter_ns: 50000, sampling_mode: "unknown",
  });
  assert.equal(samples.filter((x) => x.id === futuresLite.id)[1]!.per_iter_ns, 220);
});

test("cargoCriterionMessages: custom measurement units stay, get no throughput row", () => {
  const msg = { ...tokioSingle, id: "alloc/small", unit: "cycles", typical: ci(300, 290, 310, "cycles"), mean: ci(301, 291, 311, "cycles"),
    median: ci(300, 290, 310, "cycles"), median_abs_dev: ci(2, 1, 3, "cycles"), slope: null, change: null };
  const { rows } = cargoCriterionMessages(JSON.stringify(msg));
  assert.equal(one(rows, "alloc/small", "time", "typical").unit, "cycles");
  assert.equal(rows.filter((r) => r.metric === "throughput").length, 0);
  // no group-complete: the group ends at the first "/"
  assert.equal(one(rows, "alloc/small", "time", "mean").group, "alloc");
  assert.equal(one(rows, "alloc/small", "time", "mean").source, "<messages>");
});

test("cargoCriterionMessages: bad input is a ParseError naming the file and line", () => {
  const lines = [JSON.stringify(tokioSingle), JSON.stringify(futuresLite).slice(0, 120)].join("\n");
  assert.throws(() => cargoCriterionMessages(lines, { source: "cut.jsonl" }), (e: unknown) => {
    assert.ok(e instanceof ParseError);
    assert.equal(e.message, "cut.jsonl: line 2: message is cut short (the input ends before it closes)");
    return true;
  });
  const { mean: _dropped, ...noMean } = tokioSingle;
  assert.throws(() => cargoCriterionMessages(JSON.stringify(noMean), { source: "m.jsonl" }),
    { name: "ParseError", message: `m.jsonl: line 1: benchmark-complete message has no "mean" estimate` });
  // serde_json writes NaN as null
  assert.throws(() => cargoCriterionMessages(JSON.stringify({ ...tokioSingle, median: ci(Number.NaN, 1, 2) }), { source: "nan.jsonl" }),
    { name: "ParseError", message: /^nan\.jsonl: line 1: "median" needs finite estimate/ });
  assert.throws(() => cargoCriterionMessages(`{"reason":"benchmark-complete","id":"a",}\n`, { source: "bad.jsonl" }),
    { name: "ParseError", message: /^bad\.jsonl: line 1: message is not valid JSON/ });
  assert.throws(() => cargoCriterionMessages("running 0 tests\n", { source: "empty.txt" }),
    { name: "ParseError", message: /^empty\.txt: no cargo-criterion "benchmark-complete" message/ });
});

// ---- the CBOR data folder ----

// SavedStatistics::estimates: Estimate { confidence_interval: { confidence_level, lower_bound, upper_bound },
// point_estimate, standard_error }
const est = (point_estimate: number, lower_bound: number, upper_bound: number) => ({
  confidence_interval: { confidence_level: 0.95, lower_bound, upper_bound }, point_estimate, standard_error: 1.5,
});
function measurement(datetime: string, mean: number, options: { slope?: boolean; changes?: boolean } = {}) {
  return {
    datetime,
    iterations: [4, 8],
    values: [4 * mean, 8 * mean],
    avg_values: [mean, mean],
    estimates: {
      mean: est(mean, mean - 10, mean + 10), median: est(mean - 1, mean - 5, mean + 5), median_abs_dev: est(3, 2, 4),
      slope: options.slope ? est(mean - 2, mean - 12, mean + 8) : null, std_dev: est(6, 5, 7),
    },
    throughput: null,
    changes: options.changes ? { mean: est(-0.25, -0.3, -0.2), median: est(-0.2, -0.25, -0.15) } : null,
    change_direction: options.changes ? "Improved" : null,
    history_id: null,
    history_description: null,
  };
}

/** Writes CRITERION_HOME/data/main/<dir>/{benchmark.cbor, measurement_*.cbor} the way model.rs does. */
async function writeDataFolder(home: string): Promise<void> {
  const benches = [
    {
      id: { group_id: "message_throughput", function_id: "tokio_single", value_str: "1000", throughput: { Elements: 1000 } },
      measurements: {
        "measurement_250101120000.cbor": measurement("2025-01-01T12:00:00.000000001Z", 400, { slope: true }),
        "measurement_250102120000.cbor": measurement("2025-01-02T12:00:00Z", 300, { slope: true, changes: true }),
      },
      latest: "measurement_250102120000.cbor",
    },
    {
      id: { group_id: "Total: All Days", function_id: null, value_str: null, throughput: null },
      measurements: { "measurement_250101120500.cbor": measurement("2025-01-01T12:05:00Z", 1000) },
      latest: "measurement_250101120500.cbor",
    },
  ];
  for (const b of benches) {
    const dir = join(home, "data", "main", criterionDirName({ group: b.id.group_id, function: b.id.function_id, param: b.id.value_str }));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "benchmark.cbor"), encode({ id: b.id, latest_record: b.latest }));
    for (const [name, m] of Object.entries(b.measurements)) await writeFile(join(dir, name), encode(m));
  }
  await mkdir(join(home, "reports"), { recursive: true });
  await writeFile(join(home, "reports", "index.html"), "<html></html>");
}

test("cargo-criterion data folder: latest measurement per benchmark, ids from benchmark.cbor", async (t) => {
  const home = await mkdtemp(join(tmpdir(), "litlab-cc-"));
  t.after(() => rm(home, { recursive: true, force: true }));
  await writeDataFolder(home);

  assert.equal(await cargoCriterionDataReader.detect(home, true), true);
  assert.equal(await cargoCriterionDataReader.detect(join(REAL, "track-crit0.3.1"), true), false);
  const { rows, samples } = await cargoCriterionDataReader.read(home, true);

  assert.deepEqual([...new Set(rows.map((r) => r.id))], ["Total: All Days", "message_throughput/tokio_single/1000"]);
  const tokio = "message_throughput/tokio_single/1000";
  // latest: mean 300, slope 298 [288, 308] → typical = slope
  const typical = one(rows, tokio, "time", "typical");
  assert.deepEqual([typical.value, typical.lower, typical.upper, typical.confidence, typical.unit, typical.format], [298, 288, 308, 0.95, "ns", "cargo-criterion-cbor"]);
  assert.equal(typical.source, "data/main/message_throughput/tokio_single/1000/measurement_250102120000.cbor");
  assert.equal(one(rows, tokio, "time", "std_dev").value, 6);
  // 1000 elements / 298 ns; bounds from 308 and 288
  const thr = one(rows, tokio, "throughput", "typical");
  assert.deepEqual([thr.value, thr.lower, thr.upper], [1e12 / 298, 1e12 / 308, 1e12 / 288]);
  assert.deepEqual([one(rows, tokio, "change", "mean", "change").value, one(rows, tokio, "change", "median", "change").value], [-0.25, -0.2]);
  assert.equal(rows.filter((r) => r.baseline !== "new" && r.baseline !== "change").length, 0);

  // no slope: typical = mean 1000; group-only id with ":" (folder "Total_ All Days")
  const total = one(rows, "Total: All Days", "time", "typical");
  assert.deepEqual([total.value, total.group, total.function, total.param], [1000, "Total: All Days", null, null]);
  assert.equal(total.source, "data/main/Total_ All Days/measurement_250101120500.cbor");

  // values are totals: 8 iterations × 300 ns
  const s = samples.filter((x) => x.id === tokio);
  assert.deepEqual(s.map((x) => [x.iterations, x.total_ns, x.per_iter_ns]), [[4, 1200, 300], [8, 2400, 300]]);
});

test("cargo-criterion data folder: all measurements, oldest named by file; one file stands for its folder", async (t) => {
  const home = await mkdtemp(join(tmpdir(), "litlab-cc-"));
  t.after(() => rm(home, { recursive: true, force: true }));
  await writeDataFolder(home);
  const tokio = "message_throughput/tokio_single/1000";
  const { rows } = await ingestCargoCriterionData(home, { all: true });
  assert.equal(one(rows, tokio, "time", "mean", "measurement_250101120000").value, 400);
  assert.equal(one(rows, tokio, "time", "mean").value, 300);

  const file = join(home, "data/main/message_throughput/tokio_single/1000/benchmark.cbor");
  assert.equal(await cargoCriterionDataReader.detect(file, false), true);
  const single = await cargoCriterionDataReader.read(file, false);
  assert.deepEqual([...new Set(single.rows.map((r) => r.id))], [tokio]);
  assert.equal(one(single.rows, tokio, "time", "mean").source, "measurement_250102120000.cbor");
});

test("cargo-criterion data: corrupt or wrong records are ParseErrors naming the file", async (t) => {
  const home = await mkdtemp(join(tmpdir(), "litlab-cc-"));
  t.after(() => rm(home, { recursive: true, force: true }));
  await writeDataFolder(home);
  const dir = join(home, "data/main/Total_ All Days");
  const good = encode(measurement("2025-01-01T12:05:00Z", 1000));
  await writeFile(join(dir, "measurement_250101120500.cbor"), good.subarray(0, good.length - 20));
  await assert.rejects(ingestCargoCriterionData(home), (e: unknown) => {
    assert.ok(e instanceof ParseError);
    assert.equal(e.file, join(dir, "measurement_250101120500.cbor"));
    assert.match(e.message, /measurement_250101120500\.cbor: not a readable CBOR record/);
    return true;
  });
  // a CBOR value that is not a record
  await writeFile(join(dir, "benchmark.cbor"), encode([1, 2, 3]));
  await assert.rejects(ingestCargoCriterionData(dir), { name: "ParseError", message: /benchmark\.cbor: CBOR record is not a map/ });
  // a record pointing at a measurement that is gone
  await writeFile(join(dir, "benchmark.cbor"), encode({ id: { group_id: "g", function_id: null, value_str: null, throughput: null }, latest_record: "measurement_990101000000.cbor" }));
  await assert.rejects(ingestCargoCriterionData(dir), { name: "ParseError", message: /latest_record measurement_990101000000\.cbor is missing/ });
  // pure reader: a measurement without estimates
  const files = [
    { path: "b/benchmark.cbor", bytes: encode({ id: { group_id: "g", function_id: "f", value_str: null, throughput: { Bits: 3 } }, latest_record: "m.cbor" }) },
  ];
  assert.throws(() => cargoCriterionDataRows(files, { root: "/x" }), { name: "ParseError", message: /^\/x\/b\/benchmark\.cbor: throughput \{"Bits":3\}/ });
  assert.throws(() => cargoCriterionDataRows([]), { name: "ParseError", message: /no cargo-criterion benchmark\.cbor found/ });
});

test("cargoCriterionJsonReader: detects messages by content and reads them", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "litlab-ccj-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, "out.txt");
  await writeFile(file, MESSAGES);
  assert.equal(await cargoCriterionJsonReader.detect(file, false), true);
  assert.equal(await cargoCriterionJsonReader.detect(dir, true), false);
  assert.equal(await cargoCriterionJsonReader.detect(join(REAL, "track-crit0.3.1/Monitoring Change/new/estimates.json"), false), false);
  const { rows } = await cargoCriterionJsonReader.read(file, false);
  assert.equal(one(rows, tokioSingle.id, "time", "typical").source, file);
});
