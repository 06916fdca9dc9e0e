/**
 * Run-to-run noise per benchmark, from repeated runs of the same code on the same machine (an A/A set).
 *
 * Why: a single run's samples only show the noise *within* that run. Between two runs of the same code the median can
 * move much further (a 2-core VM shared with other work: thread placement, frequency, memory layout): measured on the
 * reference workload here, both Criterion's verdict and a within-run test flagged 40–50 % of A/A comparisons. The
 * spread between repeated runs is what a change has to beat, so it becomes the benchmark's noise floor.
 *
 * Floor of a benchmark = the `quantile` (default 0.95, nearest rank) of |ratio − 1| over every pair of runs' medians (median of the
 * per-iteration samples), taken on the log scale so a pair counts the same in both directions. With the 95th
 * percentile, an A/A pair from the same machine exceeds the floor about 5 % of the time: by construction, and
 * checked by leave-pair-out in bench/calibrate.ts.
 */
import type { LoadedRun } from "../store/runFolder.js";
import { median } from "./stats/percentiles.js";

export interface RunNoise {
  /** The floor as a fraction (0.08 = ±8 %). */
  floor: number;
  /** Runs that had samples of this benchmark. */
  runs: number;
  pairs: number;
}

export function runToRunNoise(runs: readonly LoadedRun[], options: { quantile?: number; minRuns?: number } = {}): Map<string, RunNoise> {
  const q = options.quantile ?? 0.95;
  const minRuns = options.minRuns ?? 3;
  const medians = new Map<string, number[]>();
  for (const run of runs) {
    if (run.manifest.status !== "ok") continue;
    const byId = new Map<string, number[]>();
    for (const s of run.samples) {
      if ((s.baseline ?? "new") !== "new" || !(s.per_iter_ns > 0)) continue;
      (byId.get(s.id) ?? byId.set(s.id, []).get(s.id)!).push(s.per_iter_ns);
    }
    for (const [id, values] of byId) (medians.get(id) ?? medians.set(id, []).get(id)!).push(median(values));
  }
  const out = new Map<string, RunNoise>();
  for (const [id, m] of medians) {
    if (m.length < minRuns) continue;
    const logRatios: number[] = [];
    for (let i = 0; i < m.length; i++) for (let j = i + 1; j < m.length; j++) logRatios.push(Math.abs(Math.log(m[j]! / m[i]!)));
    logRatios.sort((a, b) => a - b);
    // nearest rank (ceil(q·n)), not interpolation: with few pairs the floor is the largest spread seen, the
    // conservative choice when the estimate itself rests on a handful of runs
    const rank = Math.min(logRatios.length, Math.max(1, Math.ceil(q * logRatios.length)));
    out.set(id, { floor: Math.expm1(logRatios[rank - 1]!), runs: m.length, pairs: logRatios.length });
  }
  return out;
}
