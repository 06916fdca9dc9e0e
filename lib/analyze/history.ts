/**
 * A benchmark's history across many runs (commits), and the steps in it (issue 6): one point per run and benchmark,
 * oldest first, then change points on each benchmark's series with PELT (stats/changePoints.ts).
 *
 * The value of a point is the median per-iteration time of the run's samples when it has samples (robust to one slow
 * sample, the same statistic `litlab compare` tests), else the run's headline estimate (Criterion's typical; a device
 * run's mean ticks). The interval is Criterion's 95 % CI for that estimate when there is one.
 */
import type { LoadedRun } from "../store/runFolder.js";
import { changePoints, type ChangePointOptions } from "./stats/changePoints.js";
import { median } from "./stats/percentiles.js";

export interface HistoryPoint {
  id: string;
  run: string;
  /** Position of the run in the history (0 = oldest). */
  index: number;
  commit: string | null;
  dirty: boolean | null;
  startedAt: string;
  value: number;
  lower: number | null;
  upper: number | null;
  unit: string;
  /** `samples` (median of per-iteration samples) or `estimate` (the run's own point estimate). */
  basis: "samples" | "estimate";
}

export interface HistoryStep {
  id: string;
  /** The first run of the new level. */
  run: string;
  commit: string | null;
  index: number;
  /** Median of the segment before and of the segment from this run on. */
  before: number;
  after: number;
  /** after / before − 1 (0.05 = 5 % slower for times). */
  change: number;
  unit: string;
}

/** Time-like rows: Criterion typical (ns) or device mean ticks. */
function headline(rows: LoadedRun["rows"], id: string): LoadedRun["rows"][number] | undefined {
  return rows.find((r) => r.id === id && r.metric === "time" && ((r.stat === "typical" && (r.baseline ?? "new") === "new") || (r.stat === "mean" && r.unit === "ticks")));
}

/**
 * Runs (any order) → one point per run × benchmark matching `id`, sorted by the run's start time. Runs that failed are
 * skipped (their numbers are not a level of the code); a benchmark missing from a run just has no point there.
 */
export function benchmarkHistory(runs: readonly LoadedRun[], options: { id?: RegExp } = {}): HistoryPoint[] {
  const ordered = runs.filter((r) => r.manifest.status !== "failed").slice().sort((a, b) => (a.manifest.startedAt < b.manifest.startedAt ? -1 : a.manifest.startedAt > b.manifest.startedAt ? 1 : 0));
  const points: HistoryPoint[] = [];
  ordered.forEach((run, index) => {
    const runKey = run.rows[0]?.run ?? run.manifest.id;
    const ids = [...new Set(run.rows.map((r) => r.id))].filter((id) => !options.id || options.id.test(id)).sort();
    for (const id of ids) {
      const head = headline(run.rows, id);
      if (!head) continue;
      const perIter = run.samples.filter((s) => s.id === id && (s.baseline ?? "new") === "new" && Number.isFinite(s.per_iter_ns)).map((s) => s.per_iter_ns);
      const fromSamples = perIter.length > 0 && head.unit === "ns";
      points.push({
        id, run: runKey, index, commit: run.manifest.git?.commit ?? null, dirty: run.manifest.git?.dirty ?? null,
        startedAt: run.manifest.startedAt,
        value: fromSamples ? median(perIter) : head.value,
        lower: head.lower ?? null, upper: head.upper ?? null, unit: head.unit,
        basis: fromSamples ? "samples" : "estimate",
      });
    }
  });
  return points;
}

/** Change points per benchmark over its history: where a new level starts, with the medians either side. */
export function historySteps(points: readonly HistoryPoint[], options: ChangePointOptions = {}): HistoryStep[] {
  const byId = new Map<string, HistoryPoint[]>();
  for (const p of points) (byId.get(p.id) ?? byId.set(p.id, []).get(p.id)!).push(p);
  const steps: HistoryStep[] = [];
  for (const [id, series] of [...byId].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const minSegment = options.minSegment ?? 2;
    // two segments of minSegment points, and enough points besides to estimate the noise the steps are judged against
    if (series.length < Math.max(2 * minSegment, 6)) continue;
    const values = series.map((p) => p.value);
    const cuts = changePoints(values, options);
    const bounds = [0, ...cuts, values.length];
    cuts.forEach((cut, k) => {
      const before = median(values.slice(bounds[k]!, cut));
      const after = median(values.slice(cut, bounds[k + 2]!));
      const at = series[cut]!;
      steps.push({ id, run: at.run, commit: at.commit, index: at.index, before, after, change: after / before - 1, unit: at.unit });
    });
  }
  return steps;
}
