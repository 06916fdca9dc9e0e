// Many runs as one table (runsTable / loadRunsTable), runtime labels, and the runtime × param pivot.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadRunsTable, runsTable, RUN_COLUMNS } from "../lib/analyze/runsTable.js";
import { BUILT_IN_RUNTIMES, registerRuntime, resetRuntimes, runtimeOf } from "../lib/analyze/runtimeLabels.js";
import { pivotRuntimeByParam } from "../lib/analyze/pivot.js";
import { TIDY_COLUMNS } from "../lib/ingest/rows.js";
import { rowsTable } from "../lib/analyze/rowsTable.js";
import { loadRun } from "../lib/store/runFolder.js";
import { importRun } from "../lib/store/importRun.js";
import { benchIdsInStdout } from "../lib/store/targetOf.js";
import { litbitMessageThroughput, type GeneratedBench } from "../bench/criterionTree.js";
import { writeHostRunFolder } from "../bench/hostRunFixture.js";

const REAL = resolve(import.meta.dirname, "../../shared/real-inputs/criterion");

test("runtimeOf: lit-bit's function ids and leaderboard names, unknown → null, users can extend", () => {
  assert.equal(runtimeOf("tokio_single"), "Tokio current-thread");
  assert.equal(runtimeOf("tokio_multi"), "Tokio multi-thread");
  assert.equal(runtimeOf("futures_lite"), "futures-lite");
  assert.equal(runtimeOf("embassy"), "Embassy");
  assert.equal(runtimeOf("std_thread"), "std thread");
  assert.equal(runtimeOf("TokioSingleThread_1000"), "Tokio current-thread");
  assert.equal(runtimeOf("TokioMultiThread_10000"), "Tokio multi-thread");
  assert.equal(runtimeOf("FuturesLite_100000"), "futures-lite");
  assert.equal(runtimeOf("tokio_single_extra"), null); // exact ids only
  assert.equal(runtimeOf("crossbeam"), null);
  assert.equal(runtimeOf(null), null);
  try {
    registerRuntime("smol", "smol");
    registerRuntime(/^Smol_\d+$/g, "smol"); // a /g regex must not keep state between calls
    registerRuntime("tokio_single", "Tokio (1 thread)");
    assert.equal(runtimeOf("smol"), "smol");
    assert.equal(runtimeOf("Smol_1000"), "smol");
    assert.equal(runtimeOf("Smol_1000"), "smol");
    assert.equal(runtimeOf("tokio_single"), "Tokio (1 thread)");
  } finally {
    resetRuntimes();
  }
  assert.equal(runtimeOf("smol"), null);
  assert.ok(BUILT_IN_RUNTIMES.some((e) => e.pattern === "^TokioSingleThread_\\d+$"));
});

test("benchIdsInStdout reads ids from Criterion's piped stdout", () => {
  const text = [
    "Gnuplot not found, using plotters backend",
    "Benchmarking message_throughput/tokio_single/1000",
    "Benchmarking message_throughput/tokio_single/1000: Warming up for 1.0000 s",
    "message_throughput/tokio_single/1000",
    "                        time:   [34.390 µs 34.533 µs 34.827 µs]",
    "fib/20                  time:   [26.029 µs 26.251 µs 26.505 µs]\r",
    "Found 1 outliers among 10 measurements (10.00%)",
  ].join("\n");
  const ids = benchIdsInStdout(text);
  assert.ok(ids.has("message_throughput/tokio_single/1000"));
  assert.ok(ids.has("fib/20"));
});

// two host runs of lit-bit's message_throughput on different commits and machines, plus an import
async function store(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "litlab-runs-table-"));
  const mt = (slopes: Record<string, Record<string, number>>): GeneratedBench[] => litbitMessageThroughput(slopes);
  await writeHostRunFolder(root, "r1", {
    commit: "aaaaaaaaaa1111111111", dirty: false, hostname: "ci-1", cpuModel: "AMD EPYC 7B13",
    targets: {
      message_throughput: mt({ tokio_single: { "1000": 34533, "10000": 345000 }, tokio_multi: { "1000": 136880 }, futures_lite: { "1000": 19364, "10000": 190000 } }),
      statechart_throughput: [{ group: "statechart_throughput", function: "transition", param: "100", slopeNs: 812 }],
    },
  });
  await writeHostRunFolder(root, "r2", {
    commit: "bbbbbbbbbb2222222222", dirty: true, hostname: "laptop", cpuModel: "Apple M2", startedAt: "2026-12-02T09:00:00.000Z",
    targets: { message_throughput: mt({ tokio_single: { "1000": 30000 }, embassy: { "1000": 25000 } }) },
  });
  await importRun([join(REAL, "stack-queue-crit0.4-3level")], { id: "r3-import", runsRoot: root });
  // a broken folder under the root is skipped, not fatal
  await mkdir(join(root, "r4-broken"));
  await writeFile(join(root, "r4-broken", "manifest.json"), "{");
  return root;
}

test("loadRunsTable: many runs as one table with run metadata, runtime and target joined", async () => {
  const root = await store();
  const skipped: string[] = [];
  const t = await loadRunsTable(root, { onSkip: (dir) => skipped.push(dir) });
  assert.deepEqual(skipped, [join(root, "r4-broken")]);
  assert.deepEqual(t.columnNames(), [...TIDY_COLUMNS, ...RUN_COLUMNS]);
  const rows = t.objects() as Record<string, unknown>[];
  assert.deepEqual([...new Set(rows.map((r) => r["run"]))], ["r1", "r2", "r3-import"]);

  const pick = (run: string, id: string) => rows.find((r) => r["run"] === run && r["id"] === id && r["metric"] === "time" && r["stat"] === "typical")!;
  const a = pick("r1", "message_throughput/tokio_single/1000");
  assert.deepEqual(
    { value: a["value"], commit: a["commit"], dirty: a["dirty"], host: a["host"], cpu: a["cpu"], runtime: a["runtime"], target: a["target"] },
    { value: 34533, commit: "aaaaaaaaaa1111111111", dirty: false, host: "ci-1", cpu: "AMD EPYC 7B13", runtime: "Tokio current-thread", target: "message_throughput" },
  );
  const s = pick("r1", "statechart_throughput/transition/100");
  assert.equal(s["target"], "statechart_throughput"); // derived from that target's stdout
  assert.equal(s["runtime"], null);
  assert.equal(pick("r2", "message_throughput/embassy/1000")["runtime"], "Embassy");
  assert.equal(pick("r2", "message_throughput/embassy/1000")["dirty"], true);
  // the import: no host known, no target known; values from Batching/tokio__mpsc/64/new/estimates.json slope
  const q = pick("r3-import", "Batching/tokio::mpsc/64");
  assert.deepEqual({ value: q["value"], host: q["host"], cpu: q["cpu"], target: q["target"], commit: q["commit"] },
    { value: 25426.96171368693, host: null, cpu: null, target: null, commit: null });

  // filters: id exact or regex, run one or many
  const one = await loadRunsTable(root, { id: "message_throughput/tokio_single/1000", onSkip: () => {} });
  assert.deepEqual([...new Set(one.array("run") as string[])], ["r1", "r2"]);
  const rx = await loadRunsTable(root, { id: /\/1000$/, run: ["r2"], onSkip: () => {} });
  assert.deepEqual([...new Set(rx.array("id") as string[])].sort(), ["message_throughput/embassy/1000", "message_throughput/tokio_single/1000"]);
  const none = await loadRunsTable(root, { run: "nope", onSkip: () => {} });
  assert.equal(none.numRows(), 0);
  assert.deepEqual(none.columnNames(), [...TIDY_COLUMNS, ...RUN_COLUMNS]);

  // a run folder named directly, and a list, load the same way; a named broken folder is an error
  const single = await loadRunsTable(join(root, "r2"));
  assert.deepEqual([...new Set(single.array("run") as string[])], ["r2"]);
  await assert.rejects(loadRunsTable([join(root, "r1"), join(root, "r4-broken")]), /r4-broken\/manifest\.json: invalid JSON/);
  // runsTable over already loaded runs
  const fromLoaded = runsTable([await loadRun(join(root, "r1"))], { id: /^statechart/ });
  assert.equal(fromLoaded.numRows(), 6); // one benchmark without throughput: typical + mean, median, std_dev, median_abs_dev, slope
});

test("pivotRuntimeByParam: one row per (group, param), one column per runtime", async () => {
  const root = await store();
  const t = await loadRunsTable(join(root, "r1"));
  const p = pivotRuntimeByParam(t.filter((d: { group: string }) => d.group === "message_throughput"));
  assert.deepEqual(p.columnNames(), ["group", "param", "Tokio current-thread", "Tokio multi-thread", "futures-lite"]);
  assert.deepEqual(p.objects(), [
    { group: "message_throughput", param: "1000", "Tokio current-thread": 34533, "Tokio multi-thread": 136880, "futures-lite": 19364 },
    { group: "message_throughput", param: "10000", "Tokio current-thread": 345000, "Tokio multi-thread": null, "futures-lite": 190000 },
  ]);
  // throughput: Elements(1000) × 1e9 / 34533 ns
  const thr = pivotRuntimeByParam(t, { metric: "throughput" });
  assert.equal((thr.objects()[0] as Record<string, number>)["Tokio current-thread"], 1000 * 1e9 / 34533);
  // several runs: one row per run as well
  const both = pivotRuntimeByParam(await loadRunsTable([join(root, "r1"), join(root, "r2")], { id: /\/1000$/ }));
  assert.deepEqual(both.columnNames(), ["group", "param", "run", "Embassy", "Tokio current-thread", "Tokio multi-thread", "futures-lite"]);
  assert.deepEqual(both.objects().map((o) => [o["run"], o["Tokio current-thread"], o["Embassy"]]), [["r1", 34533, null], ["r2", 30000, 25000]]);
  // an unknown runtime keeps its function id as the column
  const imp = pivotRuntimeByParam(await loadRunsTable(join(root, "r3-import")));
  assert.ok(imp.columnNames().includes("tokio::mpsc"));
  // two values for one cell are an error, not silently averaged
  const dup = rowsTable([1, 2].map((value, i) => ({ id: "g/tokio_single/1", group: "g", function: "tokio_single", param: "1", metric: "time", stat: "typical", value, baseline: `b${i}` })));
  assert.throws(() => pivotRuntimeByParam(dup), /2 values for group g, param 1, runtime Tokio current-thread \(metric time, stat typical\); filter by run or baseline first/);
  assert.deepEqual(pivotRuntimeByParam(dup, { baseline: "b1" }).objects(), [{ group: "g", param: "1", "Tokio current-thread": 2 }]);
});
