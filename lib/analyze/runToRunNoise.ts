/**
 * Run-to-run noise per benchmark, from repeated runs of the same code on the same machine (an A/A set).
 *
 * Why: a single run's samples only show the noise *within* that run. Between two runs of the same code the median can
 * move much further (a 2-core VM: thread placement, frequency, memory layout): measured on the reference workload
 * here, both Criterion's verdict and a within-run test flagged 45–65 % of A/A comparisons. The spread between repeated
 * runs is what a change has to beat, so it becomes the benchmark's noise floor.
 *
 * Floor: a 95 % prediction interval for the ratio of two *new* runs' medians. With the K repeated runs' log medians
 * having standard deviation s, the difference of two new log medians over s·√2 follows Student's t with K − 1 degrees
 * of freedom, so |log ratio| stays below t(K−1, 0.975) · s · √2 in 95 % of A/A pairs (if log medians are roughly
 * normal). A comparison must then also be significant with its whole CI beyond the floor, so A/A false alarms stay
 * under 5 %. Checked on real repeated runs in bench/calibrate.ts.
 */
import type { LoadedRun } from "../store/runFolder.js";
import { median } from "./stats/percentiles.js";

export interface RunNoise {
  /** The floor as a fraction (0.08 = ±8 %). */
  floor: number;
  /** Runs that had samples of this benchmark. */
  runs: number;
  /** Standard deviation of the runs' log medians. */
  sd: number;
}

/** Student's t 0.975 quantile for 1–30 degrees of freedom (standard tables); beyond, the Cornish-Fisher expansion. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
  2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];

export function t975(df: number): number {
  if (df >= 1 && df <= 30) return T975[Math.round(df) - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

export function runToRunNoise(runs: readonly LoadedRun[], options: { minRuns?: number } = {}): Map<string, RunNoise> {
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
    if (m.length < Math.max(3, minRuns)) continue;
    const logs = m.map(Math.log);
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, x) => a + (x - mean) ** 2, 0) / (logs.length - 1));
    out.set(id, { floor: Math.expm1(t975(logs.length - 1) * sd * Math.SQRT2), runs: m.length, sd });
  }
  return out;
}

/**
 * The runs in `store` that repeat `base`'s code and setup: same commit and dirty state, same host, same profile and
 * Criterion flags, finished ok; `base` and `exclude` themselves left out (a compared run must not set its own floor).
 */
export function repeatedRunsOf(base: LoadedRun, store: readonly LoadedRun[], exclude: readonly LoadedRun[] = []): LoadedRun[] {
  const m = base.manifest;
  if (!m.git?.commit) return [];
  const skip = new Set([base, ...exclude].map((r) => r.dir));
  const same = (r: LoadedRun): boolean => {
    const o = r.manifest;
    return o.status === "ok" && o.kind === m.kind && o.git?.commit === m.git.commit && o.git?.dirty === m.git.dirty
      && o.host?.hostname === m.host?.hostname && o.profile === m.profile
      && JSON.stringify(o.criterionFlags ?? []) === JSON.stringify(m.criterionFlags ?? []);
  };
  return store.filter((r) => !skip.has(r.dir) && same(r));
}
