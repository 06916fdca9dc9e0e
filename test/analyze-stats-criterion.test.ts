// Criterion's change verdict recomputed (criterion 0.3.6 analysis/compare.rs + report.rs), on constructed samples.
import { test } from "node:test";
import assert from "node:assert/strict";
import { criterionVerdict } from "../lib/analyze/stats/criterionVerdict.js";
import { seededRandom } from "../lib/analyze/stats/seededRandom.js";

const rnd = seededRandom(11);
// 30 per-iteration times around 1000 ns with ±1 % uniform noise
const BASE = Array.from({ length: 30 }, () => 1000 * (1 + (rnd() - 0.5) * 0.02));

test("same samples: t = 0, p = 1, no change", () => {
  const r = criterionVerdict(BASE, BASE);
  assert.equal(r.verdict, "no change");
  assert.equal(r.change, 0);
  assert.ok(r.p > 0.9, String(r.p));
});

test("20 % slower: regressed, the change is the ratio of means − 1", () => {
  const slow = BASE.map((x) => x * 1.2);
  const r = criterionVerdict(BASE, slow);
  assert.equal(r.verdict, "regressed");
  assert.ok(Math.abs(r.change - 0.2) < 1e-12);
  assert.ok(r.lower > 0.19 && r.upper < 0.21, `${r.lower} ${r.upper}`);
  assert.equal(criterionVerdict(slow, BASE).verdict, "improved");
});

test("0.5 % slower with little noise: significant but within Criterion's 1 % noise threshold", () => {
  const r = criterionVerdict(BASE, BASE.map((x) => x * 1.005));
  assert.ok(r.p < 0.05, String(r.p));
  assert.equal(r.verdict, "within noise");
});

test("too few samples is a usage error", () => {
  assert.throws(() => criterionVerdict([1], [1, 2]), /at least 2 samples/);
});
