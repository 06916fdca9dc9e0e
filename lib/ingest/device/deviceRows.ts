/**
 * Device records → tidy rows (format `device-records`), following the table in the README's "Device record protocol":
 *
 * | record | metric | stat | unit |
 * |---|---|---|---|
 * | bench | `time` | `mean` = ticks / iters (+ `min`, `max` when given) | `ticks` |
 * | bench with elements, hz > 0, not icount | `throughput` | `mean` = elements · iters · hz / ticks | `elements/s` |
 * | lat | `latency` | `min` `max` `mean` = sum / n (+ `std_dev` from sumsq) (+ `p50` `p90` `p99` `p99.9`) | `ticks` |
 * | heap | `heap` | `peak` (+ `current`, `allocs`, `frees`, `capacity`) | `bytes` / `count` |
 * | stack | `stack` | `used` (+ `size`) | `bytes` |
 * | size | `size` | the section name | `bytes` |
 *
 * Choices the table leaves open, made here:
 * - `std_dev` is the sample standard deviation (n − 1, like Criterion's), computed exactly in BigInt from n, sum
 *   and sumsq; none when n < 2 or when the figures are inconsistent (sumsq < sum²/n).
 * - A `lat` with n = 0 gives no rows (its min/max are whatever the firmware initialised them to).
 * - Percentiles are nearest-rank (the value at rank ceil(p·N), always a measured event) over the id's `sample`
 *   records. Only when an id has no samples do they come from its `hist` records: then each percentile is the UPPER
 *   edge of the bin the rank falls in (`lo + (i+1)·width`), an upper bound of the true value (conservative: latency
 *   is never understated). Ids with samples or a histogram but no `lat` record still get their percentile rows.
 * - A `bench` with ticks = 0 gives no throughput (it would be infinite).
 * - `size` records carry no id: their rows use the firmware name (`fw` of the begin record, else `firmware`).
 * - Every row carries `clock`: `icount` when the begin says icount=1 or the runner says QEMU ran with -icount,
 *   else the begin's clock, else `unknown`. After a restart the last begin's clock applies to all rows.
 * No row ever holds NaN or an infinity.
 */
import type { TidyRow } from "../rows.js";
import { splitId } from "../text/common.js";
import type { DeviceCaptureResult } from "./capture.js";
import type { DeviceRecord } from "./records.js";

export const DEVICE_RECORDS_FORMAT = "device-records";

export interface DeviceSampleRow {
  id: string;
  source: string;
  seq: number;
  ticks: number;
  clock: string;
}

type Lat = Extract<DeviceRecord, { type: "lat" }>;
type Hist = Extract<DeviceRecord, { type: "hist" }>;

/** Percentile name → permille (integer arithmetic keeps ceil(p·N) exact: 0.999·N in doubles is not). */
const PERCENTILES: readonly (readonly [string, number])[] = [["p50", 500], ["p90", 900], ["p99", 990], ["p99.9", 999]];

const rankOf = (permille: number, total: number): number => Math.max(1, Math.ceil((permille * total) / 1000));

/** Nearest-rank percentiles of `ticks` (already sorted ascending). */
function samplePercentiles(sorted: readonly number[]): [string, number][] {
  if (sorted.length === 0) return [];
  return PERCENTILES.map(([name, pm]) => [name, sorted[Math.min(sorted.length, rankOf(pm, sorted.length)) - 1]!]);
}

/** Percentiles from histogram bins: the upper edge of the bin holding the nearest rank (bins of all hists of the id). */
function histPercentiles(hists: readonly Hist[]): [string, number][] {
  const bins = hists.flatMap((h) => h.counts.map((count, i) => ({ upper: h.lo + (i + 1) * h.width, count })));
  bins.sort((a, b) => a.upper - b.upper);
  const total = bins.reduce((s, b) => s + b.count, 0);
  if (total === 0 || !Number.isFinite(total)) return [];
  return PERCENTILES.map(([name, pm]) => {
    const rank = rankOf(pm, total);
    let seen = 0;
    for (const b of bins) {
      seen += b.count;
      if (seen >= rank) return [name, b.upper];
    }
    return [name, bins[bins.length - 1]!.upper];
  });
}

/** Sample standard deviation from n, sum and sum of squares, exact up to the final division; null when undefined. */
export function stdDevFromSums(n: number, sum: number, sumsq: number): number | null {
  if (n < 2) return null;
  const num = BigInt(n) * BigInt(sumsq) - BigInt(sum) * BigInt(sum);
  if (num < 0n) return null;
  const sd = Math.sqrt(Number(num) / (n * (n - 1)));
  return Number.isFinite(sd) ? sd : null;
}

/** The clock every row of this capture carries. */
export function deviceClock(result: DeviceCaptureResult, icount = false): string {
  if (icount || result.begin?.icount) return "icount";
  return result.begin?.clock ?? "unknown";
}

export function deviceRows(
  result: DeviceCaptureResult,
  options: { source: string; icount?: boolean /* runner says QEMU ran with -icount: clock becomes "icount" */ },
): { rows: TidyRow[]; samples: DeviceSampleRow[] } {
  const clock = deviceClock(result, options.icount);
  const hz = result.begin?.hz ?? 0;
  const realTime = clock !== "icount" && hz > 0;
  const fw = result.begin?.fw || "firmware";
  const rows: TidyRow[] = [];
  const samples: DeviceSampleRow[] = [];

  const row = (id: string, metric: string, stat: string, value: number, unit: string, parts = splitId(id)): void => {
    if (!Number.isFinite(value)) return; // never NaN or ±Infinity in a row
    rows.push({
      id, group: parts.group, function: parts.function, param: parts.param, source: options.source, format: DEVICE_RECORDS_FORMAT,
      metric, stat, value, unit, lower: null, upper: null, confidence: null, baseline: "new", clock,
    });
  };

  // events per id, for the percentiles
  const sampleTicks = new Map<string, number[]>();
  const hists = new Map<string, Hist[]>();
  for (const r of result.records) {
    if (r.type === "sample") {
      (sampleTicks.get(r.id) ?? sampleTicks.set(r.id, []).get(r.id)!).push(r.ticks);
      samples.push({ id: r.id, source: options.source, seq: r.seq, ticks: r.ticks, clock });
    } else if (r.type === "hist") {
      (hists.get(r.id) ?? hists.set(r.id, []).get(r.id)!).push(r);
    }
  }
  const percentilesDone = new Set<string>();
  const percentiles = (id: string): void => {
    if (percentilesDone.has(id)) return;
    percentilesDone.add(id);
    const ticks = sampleTicks.get(id);
    const pairs = ticks?.length ? samplePercentiles([...ticks].sort((a, b) => a - b)) : histPercentiles(hists.get(id) ?? []);
    for (const [stat, value] of pairs) row(id, "latency", stat, value, "ticks");
  };
  const latency = (r: Lat): void => {
    if (r.n > 0) {
      row(r.id, "latency", "min", r.min, "ticks");
      row(r.id, "latency", "max", r.max, "ticks");
      row(r.id, "latency", "mean", r.sum / r.n, "ticks");
      const sd = r.sumsq === null ? null : stdDevFromSums(r.n, r.sum, r.sumsq);
      if (sd !== null) row(r.id, "latency", "std_dev", sd, "ticks");
    }
    percentiles(r.id);
  };

  for (const r of result.records) {
    switch (r.type) {
      case "bench":
        row(r.id, "time", "mean", r.ticks / r.iters, "ticks");
        if (r.min !== null) row(r.id, "time", "min", r.min, "ticks");
        if (r.max !== null) row(r.id, "time", "max", r.max, "ticks");
        if (r.elements !== null && realTime && r.ticks > 0) row(r.id, "throughput", "mean", (r.elements * r.iters * hz) / r.ticks, "elements/s");
        break;
      case "lat":
        latency(r);
        break;
      case "heap":
        row(r.id, "heap", "peak", r.peak, "bytes");
        if (r.current !== null) row(r.id, "heap", "current", r.current, "bytes");
        if (r.allocs !== null) row(r.id, "heap", "allocs", r.allocs, "count");
        if (r.frees !== null) row(r.id, "heap", "frees", r.frees, "count");
        if (r.size !== null) row(r.id, "heap", "capacity", r.size, "bytes");
        break;
      case "stack":
        row(r.id, "stack", "used", r.used, "bytes");
        row(r.id, "stack", "size", r.size, "bytes");
        break;
      case "size":
        row(fw, "size", r.section, r.bytes, "bytes", { group: fw, function: null, param: null });
        break;
      case "sample":
      case "hist":
        break;
    }
  }
  // samples or a histogram with no lat record: their percentiles still count
  for (const id of [...sampleTicks.keys(), ...hists.keys()]) percentiles(id);
  return { rows, samples };
}
