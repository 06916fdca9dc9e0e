/**
 * Criterion's own change verdict, recomputed from two sample sets, so litlab's verdicts can be calibrated against
 * what Criterion users see (issue 6). Follows criterion 0.3.6 (src/analysis/compare.rs, src/report.rs), which 0.4/0.5
 * keep unchanged:
 * - per-iteration times (elapsed / iters) of the new and the base sample;
 * - t = Welch's t statistic of new vs base; its null distribution by a "mixed" bootstrap (both samples pooled,
 *   resampled, split again at n_new); p = 2 · min(#{t* < t}, N − #{t* < t}) / N;
 * - the change in the mean, mean(new) / mean(base) − 1, with a percentile bootstrap CI (each sample resampled
 *   on its own) at the confidence level (0.95);
 * - p < significance (0.05): the change CI entirely above +noise (0.01) → regressed, entirely below −noise →
 *   improved, else "within noise"; otherwise "no change".
 * Written here because it is Criterion's procedure, not a general statistic any package offers.
 */
import { LitlabError } from "../../errors.js";
import { seededRandom, DEFAULT_SEED } from "./seededRandom.js";
import { quantileSorted } from "./percentiles.js";

export type CriterionVerdict = "regressed" | "improved" | "within noise" | "no change";

export interface CriterionVerdictOptions {
  /** Criterion's `--noise-threshold` (default 0.01). */
  noise?: number;
  /** Criterion's `--significance-level` (default 0.05). */
  significance?: number;
  /** Criterion's `--nresamples` (default 100 000; 10 000 is plenty for a verdict). */
  resamples?: number;
  confidence?: number;
  seed?: number;
}

const mean = (x: ArrayLike<number>, from = 0, to = x.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]!;
  return s / (to - from);
};

const variance = (x: ArrayLike<number>, from: number, to: number, m: number): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i]! - m) ** 2;
  return s / (to - from - 1);
};

/** Welch's t of x[a0, a1) against x[b0, b1) (criterion's `Sample::t`). */
function welchT(x: ArrayLike<number>, a0: number, a1: number, b0: number, b1: number): number {
  const ma = mean(x, a0, a1), mb = mean(x, b0, b1);
  return (ma - mb) / Math.sqrt(variance(x, a0, a1, ma) / (a1 - a0) + variance(x, b0, b1, mb) / (b1 - b0));
}

export function criterionVerdict(base: readonly number[], cand: readonly number[], options: CriterionVerdictOptions = {}): { verdict: CriterionVerdict; p: number; change: number; lower: number; upper: number } {
  if (base.length < 2 || cand.length < 2) throw new LitlabError("usage", `criterionVerdict needs at least 2 samples on each side (got ${base.length} and ${cand.length})`);
  const noise = options.noise ?? 0.01;
  const significance = options.significance ?? 0.05;
  const n = options.resamples ?? 10_000;
  const confidence = options.confidence ?? 0.95;
  const rnd = seededRandom(options.seed ?? DEFAULT_SEED);
  const nc = cand.length, nb = base.length;

  const pooled = [...cand, ...base];
  const t = welchT(pooled, 0, nc, nc, nc + nb);
  const draw = new Float64Array(nc + nb);
  let below = 0, finite = 0;
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < draw.length; i++) draw[i] = pooled[Math.floor(rnd() * pooled.length)]!;
    const tr = welchT(draw, 0, nc, nc, nc + nb);
    if (!Number.isFinite(tr)) continue; // criterion drops non-finite t (all-equal resamples)
    finite++;
    if (tr < t) below++;
  }
  const p = finite === 0 ? 1 : (2 * Math.min(below, finite - below)) / finite;

  const changes = new Float64Array(n);
  const cs = new Float64Array(nc), bs = new Float64Array(nb);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < nc; i++) cs[i] = cand[Math.floor(rnd() * nc)]!;
    for (let i = 0; i < nb; i++) bs[i] = base[Math.floor(rnd() * nb)]!;
    changes[r] = mean(cs) / mean(bs) - 1;
  }
  changes.sort();
  const alpha = (1 - confidence) / 2;
  const lower = quantileSorted(changes, alpha), upper = quantileSorted(changes, 1 - alpha);
  const change = mean(cand) / mean(base) - 1;
  let verdict: CriterionVerdict = "no change";
  if (Number.isFinite(t) && p < significance) verdict = lower > noise && upper > noise ? "regressed" : lower < -noise && upper < -noise ? "improved" : "within noise";
  return { verdict, p, change, lower, upper };
}
