import { test } from "node:test";
import assert from "node:assert/strict";
import type { TidyRow } from "../lib/ingest/rows.js";
import { TIDY_COLUMNS } from "../lib/ingest/rows.js";
import { rowsTable } from "../lib/analyze/rowsTable.js";
import { parseSize, runtimeComparison } from "../lib/analyze/runtimeComparison.js";

/** A tidy row as the Criterion parser emits it for `group/function/param`. */
function row(id: string, metric: string, stat: string, value: number, lower: number | null, upper: number | null, extra: Partial<TidyRow> = {}): TidyRow {
  const [group, fn, param] = id.split("/");
  return {
    id, group: group!, function: fn ?? null, param: param ?? null, source: `${id}/new/estimates.json`, format: "criterion-json",
    metric, stat, value, unit: metric === "time" ? "ns" : "elements/s", lower, upper, confidence: lower === null ? null : 0.95,
    baseline: "new", ...extra,
  };
}

// Deliberately unsorted, with a mean row, a throughput row, an old baseline and a non-numeric param mixed in.
const rows: TidyRow[] = [
  row("message_throughput/tokio_single/1000", "time", "typical", 1654600, 1549400, 1764600),
  row("message_throughput/tokio_single/1000", "time", "mean", 1700000, 1600000, 1800000),
  row("message_throughput/tokio_single/1000", "time", "typical", 9999999, 1, 2, { baseline: "base" }),
  row("message_throughput/tokio_single/1000", "throughput", "typical", 604380, 566700, 645420),
  row("message_throughput/std_thread/100", "time", "typical", 41000, 40000, 42500),
  row("message_throughput/tokio_single/100", "time", "typical", 165000, 160000, 171000),
  row("message_throughput/std_thread/1000", "time", "typical", 398000, 390000, 407000),
  row("message_throughput/std_thread/8KiB", "time", "typical", 5000, null, null),
  row("pingpong/std_thread/100", "time", "typical", 120500, 118000, 123000),
  row("fib/20", "time", "typical", 26.5, 26.1, 26.9, { function: null, param: "20" }), // BenchmarkId::from_parameter
];

test("rowsTable keeps every tidy column, fills missing fields with null and tolerates []", () => {
  const empty = rowsTable([]);
  assert.equal(empty.numRows(), 0);
  assert.deepEqual(empty.columnNames(), [...TIDY_COLUMNS]);
  const t = rowsTable([{ id: "a/b", value: "12.5", run: "r1" }]);
  assert.deepEqual(t.columnNames(), [...TIDY_COLUMNS, "run"]);
  const [o] = t.objects() as Record<string, unknown>[];
  assert.equal(o!["value"], 12.5); // numeric column coerced
  assert.equal(o!["lower"], null);
  assert.equal(o!["run"], "r1");
  assert.equal(rowsTable(rows).numRows(), rows.length);
});

test("runtimeComparison: one row per group/runtime/param, values and CI carried over, sorted by group, size, runtime", () => {
  const t = runtimeComparison(rowsTable(rows));
  assert.deepEqual(t.columnNames(), ["group", "runtime", "param", "size", "value", "lower", "upper", "unit", "id"]);
  const got = t.objects() as Record<string, unknown>[];
  assert.deepEqual(got.map((r) => r["id"]), [
    "fib/20",
    "message_throughput/std_thread/100",
    "message_throughput/tokio_single/100",
    "message_throughput/std_thread/1000",
    "message_throughput/tokio_single/1000",
    "message_throughput/std_thread/8KiB", // non-numeric size sorts after the numeric ones
    "pingpong/std_thread/100",
  ]);
  const tokio1000 = got[4]!;
  // The `new` baseline wins over `base`; the typical stat, not the mean.
  assert.deepEqual(tokio1000, {
    group: "message_throughput", runtime: "tokio_single", param: "1000", size: 1000,
    value: 1654600, lower: 1549400, upper: 1764600, unit: "ns", id: "message_throughput/tokio_single/1000",
  });
  assert.equal(got[0]!["runtime"], "fib", "an id without a function part is its own runtime, named after the group");
  assert.equal(got[5]!["size"], null);
  assert.equal(got[5]!["lower"], null);
});

test("runtimeComparison options: metric, stat, group, and the run column", () => {
  const thr = runtimeComparison(rowsTable(rows), { metric: "throughput" }).objects() as Record<string, unknown>[];
  assert.equal(thr.length, 1);
  assert.equal(thr[0]!["unit"], "elements/s");
  assert.equal(thr[0]!["value"], 604380);
  const mean = runtimeComparison(rowsTable(rows), { stat: "mean" }).objects() as Record<string, unknown>[];
  assert.deepEqual(mean.map((r) => r["value"]), [1700000]);
  const ping = runtimeComparison(rowsTable(rows), { group: "pingpong" });
  assert.equal(ping.numRows(), 1);
  const base = runtimeComparison(rowsTable(rows), { group: "message_throughput", baseline: "base" }).objects() as Record<string, unknown>[];
  assert.deepEqual(base.map((r) => r["value"]), [9999999]);

  const twoRuns = [...rows.map((r) => ({ ...r, run: "2026-12-04T10-00-00" })), ...rows.map((r) => ({ ...r, run: "2026-12-03T09-00-00", value: r.value * 2 }))];
  const t = runtimeComparison(rowsTable(twoRuns), { group: "pingpong" });
  assert.ok(t.columnNames().includes("run"));
  assert.deepEqual((t.objects() as Record<string, unknown>[]).map((r) => [r["run"], r["value"]]), [
    ["2026-12-03T09-00-00", 241000], ["2026-12-04T10-00-00", 120500],
  ]);
});

test("runtimeComparison of an empty table has the comparison columns and no rows", () => {
  const t = runtimeComparison(rowsTable([]));
  assert.equal(t.numRows(), 0);
  assert.deepEqual(t.columnNames(), ["group", "runtime", "param", "size", "value", "lower", "upper", "unit", "id"]);
});

test("parseSize reads numeric params only", () => {
  assert.equal(parseSize("1000"), 1000);
  assert.equal(parseSize("1_000"), 1000);
  assert.equal(parseSize("1e3"), 1000);
  assert.equal(parseSize("2.5"), 2.5);
  assert.equal(parseSize("8KiB"), null);
  assert.equal(parseSize("w/ cache"), null);
  assert.equal(parseSize(""), null);
  assert.equal(parseSize(null), null);
});
