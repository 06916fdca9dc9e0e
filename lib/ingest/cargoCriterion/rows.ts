import type { SampleRow, TidyRow } from "../rows.js";

/** A benchmark id and its parts, as litlab's rows carry them. */
export interface IdParts {
  id: string;
  group: string;
  function: string | null;
  param: string | null;
}

/** One statistic with its interval; `confidence` null when the input does not say the level. */
export interface Interval {
  point: number;
  lower: number;
  upper: number;
  confidence: number | null;
}

/** Where rows come from: the same for every row of one benchmark result. */
export interface RowContext {
  source: string;
  format: string;
  baseline: string;
}

export type TimeStat = "mean" | "median" | "std_dev" | "median_abs_dev" | "slope";
export const TIME_STATS: readonly TimeStat[] = ["mean", "median", "std_dev", "median_abs_dev", "slope"];

export interface TimeEstimates {
  /** Criterion's typical: slope when estimated, else mean. cargo-criterion's messages state it; the CBOR records don't. */
  typical: Interval;
  stats: Partial<Record<TimeStat, Interval>>;
  unit: string;
}

/** Criterion's `BenchmarkId::new` rule for the full id: the present parts joined with `/`. */
export function joinId(group: string, fn: string | null, param: string | null): IdParts {
  const id = [group, fn, param].filter((p): p is string => p !== null).join("/");
  return { id, group, function: fn, param };
}

function row(idp: IdParts, ctx: RowContext, metric: string, stat: string, unit: string, e: Interval): TidyRow {
  return {
    id: idp.id, group: idp.group, function: idp.function, param: idp.param, source: ctx.source, format: ctx.format,
    metric, stat, value: e.point, unit, lower: e.lower, upper: e.upper, confidence: e.confidence, baseline: ctx.baseline,
  };
}

/**
 * The same rows lib/ingest/criterion/criterionRows.ts makes from estimates.json: time (typical first, then each
 * stat), then throughput (count × 1e9 / typical ns; bounds swap because a longer time is a lower rate). Throughput
 * needs a time in ns, so a custom measurement (cycles, ...) gets no throughput row.
 */
export function estimateRows(idp: IdParts, ctx: RowContext, est: TimeEstimates, throughput: readonly { unit: string; count: number }[]): TidyRow[] {
  const rows = [row(idp, ctx, "time", "typical", est.unit, est.typical)];
  for (const stat of TIME_STATS) {
    const e = est.stats[stat];
    if (e) rows.push(row(idp, ctx, "time", stat, est.unit, e));
  }
  const t = est.typical;
  if (est.unit !== "ns" || !(t.point > 0)) return rows;
  for (const tp of throughput) {
    const perSecond = (ns: number): number | null => (ns > 0 ? (tp.count * 1e9) / ns : null);
    rows.push({ ...row(idp, ctx, "throughput", "typical", tp.unit, t), value: perSecond(t.point)!, lower: perSecond(t.upper), upper: perSecond(t.lower) });
  }
  return rows;
}

/** Change rows: relative change of mean and median (0.05 = +5 %), baseline `change` as in criterionRows. */
export function changeRows(idp: IdParts, ctx: Omit<RowContext, "baseline">, mean: Interval, median: Interval | null): TidyRow[] {
  const c = { ...ctx, baseline: "change" };
  const rows = [row(idp, c, "change", "mean", "ratio", mean)];
  if (median) rows.push(row(idp, c, "change", "median", "ratio", median));
  return rows;
}

// Time units Criterion's measurements scale to; samples are kept in ns
const NS_PER: Readonly<Record<string, number>> = { ps: 1e-3, ns: 1, us: 1e3, "µs": 1e3, ms: 1e6, s: 1e9 };

/**
 * Samples from parallel iteration-count / measured-value arrays. Values in a time unit become ns; any other unit
 * (a custom measurement) is kept as is, like criterionRows does for estimates.json.
 */
export function sampleRows(
  base: { id: string; source: string; baseline: string },
  iterations: readonly number[],
  values: readonly number[],
  unit: string,
  mode: SampleRow["sampling_mode"] = "unknown",
): SampleRow[] {
  const scale = NS_PER[unit] ?? 1;
  return iterations.map((n, i) => {
    const total = values[i]! * scale;
    return { ...base, sample: i, iterations: n, total_ns: total, per_iter_ns: total / n, sampling_mode: mode };
  });
}
