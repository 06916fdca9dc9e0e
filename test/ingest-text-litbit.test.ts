// lit-bit's own prints (litbit-bench-spec.md §2.1, §2.2) read alongside Criterion's results. The fixtures in
// test/fixtures/text/ are HAND-MADE from the spec's templates (no real lit-bit stdout exists): see their README.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { criterionStdout } from "../lib/ingest/text/criterionStdout.js";
import { bencherLines } from "../lib/ingest/text/bencher.js";
import type { TidyRow } from "../lib/ingest/rows.js";

const FIX = resolve(import.meta.dirname, "fixtures/text");
const fixture = (name: string): string => readFileSync(resolve(FIX, name), "utf8");
const KPI_ID = "kpi_validation/single_actor_512b_target";

const memory = (rows: TidyRow[]): TidyRow[] => rows.filter((r) => r.metric === "memory");
const statValues = (rows: TidyRow[]): Record<string, number> => Object.fromEntries(rows.map((r) => [r.stat, r.value]));

test("memory_usage stdout: the LAST KPI block before the kpi result is attached to it, nothing else gets one", () => {
  const { rows, warnings } = criterionStdout(fixture("litbit-memory-usage.stdout.txt"), { source: "memory_usage.stdout.txt", target: "memory_usage" });
  assert.deepEqual(warnings, []);
  // five Criterion results, time only
  assert.equal(rows.filter((r) => r.format === "criterion-stdout").length, 5);
  // `kpi_validation/single_actor_512b_target` / `time:   [1.0412 µs 1.0447 µs 1.0486 µs]`
  const time = rows.find((r) => r.id === KPI_ID && r.metric === "time")!;
  assert.deepEqual([time.value, time.lower, time.upper], [1044.7, 1041.2, 1048.6]);
  const mem = memory(rows);
  assert.ok(mem.every((r) => r.id === KPI_ID), "only the kpi benchmark has memory rows");
  // third block: `Current memory: 864 bytes`, `Peak memory:    864 bytes`, `KPI target:     512 bytes` (not 1104 / 880)
  assert.deepEqual(statValues(mem), { cumulative_allocated_bytes: 864, peak_bytes: 864, kpi_target_bytes: 512 });
  assert.deepEqual(mem[0], {
    id: KPI_ID, group: "kpi_validation", function: "single_actor_512b_target", param: null, source: "memory_usage.stdout.txt",
    format: "litbit-print", metric: "memory", stat: "cumulative_allocated_bytes", value: 864, unit: "bytes",
    lower: null, upper: null, confidence: null, baseline: "new", target: "memory_usage",
  });
});

test("KPI blocks are not carried forward, and a block after the last result is a warning", () => {
  const block = (n: number): string[] => [
    "", "🎯 Memory Usage KPI Validation", "=".repeat(30), `Current memory: ${n} bytes`, `Peak memory:    ${n} bytes`,
    "KPI target:     512 bytes", `Status:         ${n <= 512 ? "✅ PASS" : "❌ FAIL"}`,
  ];
  const text = [
    ...block(400),
    "a/one                   time:   [1.0 ns 2.0 ns 3.0 ns]",
    "a/two                   time:   [1.0 ns 2.0 ns 3.0 ns]",
    ...block(600),
    ...block(500),
    "a/three                 time:   [1.0 ns 2.0 ns 3.0 ns]",
    ...block(700),
  ].join("\n");
  const { rows, warnings } = criterionStdout(text);
  const byId = (id: string): Record<string, number> => statValues(memory(rows).filter((r) => r.id === id));
  assert.deepEqual(byId("a/one"), { cumulative_allocated_bytes: 400, peak_bytes: 400, kpi_target_bytes: 512 });
  assert.deepEqual(byId("a/two"), {});
  assert.deepEqual(byId("a/three"), { cumulative_allocated_bytes: 500, peak_bytes: 500, kpi_target_bytes: 512 });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /1 memory KPI block\(s\) after the last benchmark result/);
});

test("bencher format: the KPI block printed between `test <id> ... ` and `bench:` (spec §2.2) is joined and attached", () => {
  // the memory fixture's blocks, re-framed the way `--output-format bencher` prints them
  const lines = fixture("litbit-memory-usage.stdout.txt").split("\n");
  const firstBlock = lines.findIndex((l) => l.startsWith("🎯"));
  const lastStatus = lines.map((l, i) => (l.startsWith("Status:") ? i : -1)).filter((i) => i >= 0).pop()!;
  const blocks = lines.slice(firstBlock - 1, lastStatus + 1);
  const text = [
    "test zero_allocation/async_tokio_mailbox_operation ... bench:          39 ns/iter (+/- 1)",
    `test ${KPI_ID} ... ${blocks[0]}`,
    ...blocks.slice(1),
    "bench:        1,045 ns/iter (+/- 7)",
    "",
  ].join("\n");
  const { rows, warnings } = bencherLines(text, { target: "memory_usage" });
  assert.deepEqual(warnings, []);
  assert.equal(rows.find((r) => r.id === KPI_ID && r.stat === "median")!.value, 1045);
  assert.deepEqual(statValues(memory(rows)), { cumulative_allocated_bytes: 864, peak_bytes: 864, kpi_target_bytes: 512 });
  assert.ok(memory(rows).every((r) => r.id === KPI_ID && r.target === "memory_usage"));
});

test("message_throughput stdout: Criterion rows plus the leaderboard and its regression line", () => {
  const { rows, warnings } = criterionStdout(fixture("litbit-message-throughput.stdout.txt"), { target: "message_throughput" });
  assert.deepEqual(warnings, []);
  const crit = rows.filter((r) => r.format === "criterion-stdout");
  assert.equal(crit.length, 18); // 9 results × (time, throughput)
  // `message_throughput/futures_lite/10000`: `thrpt:  [57.218 Melem/s 57.504 Melem/s 57.777 Melem/s]`
  const q = crit.find((r) => r.id === "message_throughput/futures_lite/10000" && r.metric === "throughput")!;
  assert.deepEqual([q.value, q.lower, q.upper, q.unit], [57504000, 57218000, 57777000, "elements/s"]);
  // `message_throughput/tokio_single/100000`: `time:   [1.8012 ms 1.8106 ms 1.8207 ms]`
  assert.equal(crit.find((r) => r.id === "message_throughput/tokio_single/100000" && r.metric === "time")!.value, 1810600);

  const board = rows.filter((r) => r.format === "litbit-print");
  assert.ok(board.every((r) => r.group === "leaderboard" && r.target === "message_throughput" && r.stat !== undefined));
  const pick = (metric: string): TidyRow => board.find((r) => r.metric === metric)!;
  // `🥇 Highest Throughput: FuturesLite_10000 (61234567 msg/s)`
  const gold = pick("leaderboard_throughput");
  assert.deepEqual([gold.id, gold.function, gold.param, gold.value, gold.unit], ["FuturesLite_10000", "FuturesLite", "10000", 61234567, "msg/s"]);
  // `🥈 Best Latency: FuturesLite_1000 (p99: 0µs)`
  const silver = pick("leaderboard_latency_p99");
  assert.deepEqual([silver.id, silver.value, silver.unit], ["FuturesLite_1000", 0, "ns"]);
  // `🥉 Most Memory Efficient: FuturesLite_1000 (4 bytes/actor)`
  const bronze = pick("leaderboard_bytes_per_actor");
  assert.deepEqual([bronze.id, bronze.value, bronze.unit], ["FuturesLite_1000", 4, "bytes"]);
  // `- TokioMultiThread_1000: throughput regressed by 12.5% (24000000.00 -> 21000000.00)`
  const reg = pick("leaderboard_regression");
  assert.deepEqual([reg.id, reg.value, reg.unit], ["TokioMultiThread_1000", 0.125, "ratio"]);
  assert.equal(board.length, 4);
});

test("a leaderboard with a µs latency converts to ns; a header-only leaderboard (filter matched nothing) gives no rows", () => {
  const withLatency = "\n🏆 Performance Leaderboard\n=======================\n\n🥈 Best Latency: TokioSingleThread_1000 (p99: 17µs)\n\n";
  const { rows } = criterionStdout(withLatency);
  assert.deepEqual(rows.map((r) => [r.id, r.metric, r.value, r.unit]), [["TokioSingleThread_1000", "leaderboard_latency_p99", 17000, "ns"]]);
  const headerOnly = criterionStdout("\n🏆 Performance Leaderboard\n=======================\n\n\n");
  assert.deepEqual(headerOnly, { rows: [], warnings: [] });
});
