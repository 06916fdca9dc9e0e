/**
 * The verdict for one benchmark: did the candidate get better, worse, or neither, beyond a noise floor?
 *
 * Wall time (kind "time", default): ratio = median(cand) / median(base) with a seeded 95 % percentile-bootstrap
 * CI [lower, upper] (bootstrapRatioCI), and p = two-sided Mann-Whitney U p-value (mannWhitneyU, SciPy "auto"
 * rule). With threshold t (default 0.02) and "lower is better" (default):
 *
 * | condition (checked in this order)             | verdict      |
 * |-----------------------------------------------|--------------|
 * | p < alpha and upper < 1 − t                   | "improved"   |
 * | p < alpha and lower > 1 + t                   | "regressed"  |
 * | 1 − t ≤ lower and upper ≤ 1 + t               | "no change"  |
 * | anything else                                 | "inconclusive" |
 *
 * So a change is claimed only when it is both statistically significant and larger than the noise floor with
 * 95 % confidence; "no change" needs the CI to exclude any effect beyond the floor (a significant but tiny
 * shift is "no change", like Criterion's noise threshold); too few or too noisy samples give "inconclusive"
 * rather than a guess. With `better: "higher"` (throughput) improved and regressed swap.
 *
 * Deterministic counts (kind "exact": instruction counts, bytes, section sizes): tolerance 0, no statistics.
 * ratio = median(cand) / median(base), lower = upper = ratio, p = 0 when the medians differ and 1 when they are
 * equal (a deterministic difference is certain), so applyFdr leaves these verdicts unchanged:
 *
 * | condition           | verdict (lower is better) |
 * |---------------------|---------------------------|
 * | ratio = 1           | "no change"               |
 * | ratio < 1           | "improved"                |
 * | ratio > 1           | "regressed"               |
 *
 * Across a review, pass all results to applyFdr, which adds Benjamini-Hochberg q-values and recomputes each
 * verdict with q in place of p.
 */
import { LitlabError } from "../../errors.js";
import { bootstrapRatioCI } from "./bootstrapRatioCI.js";
import { mannWhitneyU } from "./mannWhitneyU.js";
import { median } from "./percentiles.js";

export type Verdict = "improved" | "regressed" | "no change" | "inconclusive";
export type MetricKind = "time" | "exact";

export interface CompareOptions {
  /** Noise floor as a fraction of the baseline; default 0.02 (2 %). Ignored for kind "exact" (tolerance 0). */
  threshold?: number;
  /** Significance level for p (or q after applyFdr); default 0.05. */
  alpha?: number;
  kind?: MetricKind;
  /** Seed of the bootstrap; default bootstrapRatioCI's default seed. */
  seed?: number;
  /** Bootstrap resamples; default 10,000. */
  resamples?: number;
  /** "lower" (default: times, bytes) or "higher" (throughput) is better. */
  better?: "lower" | "higher";
}

export interface CompareResult {
  ratio: number;
  lower: number;
  upper: number;
  p: number;
  verdict: Verdict;
  /** The settings the verdict used, kept so applyFdr can recompute it. */
  kind: MetricKind;
  threshold: number;
  better: "lower" | "higher";
  nBase: number;
  nCand: number;
}

export function compareSamples(base: readonly number[], cand: readonly number[], options: CompareOptions = {}): CompareResult {
  const kind = options.kind ?? "time";
  const alpha = options.alpha ?? 0.05;
  const better = options.better ?? "lower";
  const threshold = kind === "exact" ? 0 : options.threshold ?? 0.02;
  if (!(alpha > 0 && alpha < 1)) throw new LitlabError("usage", `compareSamples: alpha must be in (0, 1), got ${alpha}`);
  if (!(threshold >= 0 && threshold < 1)) throw new LitlabError("usage", `compareSamples: threshold must be in [0, 1), got ${threshold}`);
  const common = { kind, threshold, better, nBase: base.length, nCand: cand.length };

  if (kind === "exact") {
    if (base.length === 0 || cand.length === 0) throw new LitlabError("usage", "compareSamples: base and cand need at least one value each");
    const b = median(base);
    const c = median(cand);
    // 0 → 0 is no change; 0 → x > 0 is an infinite ratio, still a definite change.
    const ratio = b === c ? 1 : c / b;
    const p = b === c ? 1 : 0;
    const partial = { ratio, lower: ratio, upper: ratio, p, ...common };
    return { ...partial, verdict: verdictOf(partial, alpha) };
  }

  const ci = bootstrapRatioCI(base, cand, { seed: options.seed, resamples: options.resamples });
  const { p } = mannWhitneyU(cand, base);
  const partial = { ratio: ci.ratio, lower: ci.lower, upper: ci.upper, p, ...common };
  return { ...partial, verdict: verdictOf(partial, alpha) };
}

/** The decision tables above, as a pure function of a result's numbers and settings. */
export function verdictOf(
  r: Pick<CompareResult, "ratio" | "lower" | "upper" | "p" | "kind" | "threshold" | "better">,
  alpha: number,
): Verdict {
  let verdict: Verdict;
  if (r.kind === "exact") {
    verdict = r.ratio === 1 ? "no change" : r.ratio < 1 ? "improved" : "regressed";
  } else {
    const significant = r.p < alpha;
    if (significant && r.upper < 1 - r.threshold) verdict = "improved";
    else if (significant && r.lower > 1 + r.threshold) verdict = "regressed";
    else if (r.lower >= 1 - r.threshold && r.upper <= 1 + r.threshold) verdict = "no change";
    else verdict = "inconclusive";
  }
  if (r.better === "higher") {
    if (verdict === "improved") return "regressed";
    if (verdict === "regressed") return "improved";
  }
  return verdict;
}
