// Run-to-run noise floors from repeated runs, and compare using them, on runs built in memory with known medians.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runToRunNoise } from "../lib/analyze/runToRunNoise.js";
import { compareRunRows } from "../lib/analyze/compareRuns.js";
import type { LoadedRun } from "../lib/store/runFolder.js";

/** A run whose benchmark `g/f/1` has 10 samples spread ±1 % around `level` ns (median exactly `level`). */
function run(name: string, level: number): LoadedRun {
  const per = [0.99, 0.992, 0.994, 0.996, 0.998, 1.002, 1.004, 1.006, 1.008, 1.01].map((f) => level * f);
  const row = { id: "g/f/1", group: "g", function: "f", param: "1", source: "x", format: "criterion-json", metric: "time", stat: "typical", value: level, unit: "ns", lower: null, upper: null, confidence: null, baseline: "new", run: name };
  return {
    dir: `/runs/${name}`,
    manifest: { status: "ok", id: name } as LoadedRun["manifest"],
    rows: [row],
    samples: per.map((v, i) => ({ id: "g/f/1", source: "x", baseline: "new", sample: i, iterations: 1, total_ns: v, per_iter_ns: v, sampling_mode: "Linear" as const, run: name })),
    deviceSamples: [],
  };
}

test("runToRunNoise: the 95th percentile of pairwise |log ratio| of run medians", () => {
  // medians 100, 110, 100, 105: |log| ratios 0.0953 ×2 (100↔110), 0 (100↔100), 0.0488 ×2 (100↔105), 0.0465 (110↔105)
  const noise = runToRunNoise([run("a", 100), run("b", 110), run("c", 100), run("d", 105)]);
  const n = noise.get("g/f/1")!;
  assert.equal(n.runs, 4);
  assert.equal(n.pairs, 6);
  // sorted: 0, 0.0465, 0.0488, 0.0488, 0.0953, 0.0953 → type-7 quantile at 0.95 = 0.0953 (both top values equal)
  assert.ok(Math.abs(n.floor - 0.1) < 1e-12, String(n.floor));
  assert.equal(runToRunNoise([run("a", 100), run("b", 110)]).size, 0, "two runs are not enough to learn a floor");
});

test("compare with a learned floor: a +8 % A/A drift is not a regression, +20 % still is", () => {
  const noise = runToRunNoise([run("a", 100), run("b", 110), run("c", 100), run("d", 105)]);
  const plain = compareRunRows(run("x", 100), run("y", 108))[0]!;
  assert.equal(plain.verdict, "regressed"); // within-run noise is ±1 %: 8 % looks real
  const floored = compareRunRows(run("x", 100), run("y", 108), { noise })[0]!;
  assert.notEqual(floored.verdict, "regressed");
  assert.ok(Math.abs(floored.threshold - 0.1) < 1e-12);
  assert.match(floored.note!, /noise floor ±10\.0 % from 4 repeated runs/);
  assert.equal(compareRunRows(run("x", 100), run("y", 120), { noise })[0]!.verdict, "regressed");
});
