/**
 * Heap fragmentation and growth (issue 4):
 * - jemalloc: `internal = 1 − allocated/active` is what size-class rounding wastes inside the pages in use;
 *   `pages = 1 − active/resident` is resident memory not backing any live allocation (dirty/muzzy pages,
 *   metadata); `retained` is virtual memory jemalloc kept mapped for reuse (not resident).
 * - massif: extra-heap / heap over time (allocator headers and alignment padding relative to what was asked).
 * - growthVerdict: the slope of bytes over time with its CI, and a leak/plateau call.
 */
import { LitlabError } from "../errors.js";
import type { TidyRow } from "../ingest/rows.js";
import type { MemoryTimelineRow } from "../ingest/memoryRows.js";
import { linearFit } from "./linearFit.js";

export interface JemallocStats {
  allocated: number;
  active: number;
  resident: number;
  retained: number | null;
}

export interface Fragmentation {
  /** 1 − allocated/active; null when active is 0. */
  internal: number | null;
  /** 1 − active/resident; null when resident is 0. */
  pages: number | null;
  retained_bytes: number | null;
}

export function fragmentationOf(s: JemallocStats): Fragmentation {
  return {
    internal: s.active > 0 ? 1 - s.allocated / s.active : null,
    pages: s.resident > 0 ? 1 - s.active / s.resident : null,
    retained_bytes: s.retained,
  };
}

export interface JemallocFragmentationRow extends Fragmentation {
  id: string;
  source: string;
  allocated_bytes: number;
  active_bytes: number;
  resident_bytes: number;
}

/**
 * One row per (id, source) that has jemalloc summary rows (`metric: "jemalloc"`, stats `allocated_bytes`,
 * `active_bytes`, `resident_bytes`, optional `retained_bytes`). Ids missing one of the three required stats are
 * skipped; other metrics are ignored, so a whole run's rows can be passed in.
 */
export function jemallocFragmentation(rows: readonly TidyRow[]): JemallocFragmentationRow[] {
  const groups = new Map<string, { id: string; source: string; stats: Map<string, number> }>();
  for (const r of rows) {
    if (r.metric !== "jemalloc") continue;
    const key = JSON.stringify([r.id, r.source]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { id: r.id, source: r.source, stats: new Map() }));
    g.stats.set(r.stat, r.value);
  }
  const out: JemallocFragmentationRow[] = [];
  for (const g of groups.values()) {
    const allocated = g.stats.get("allocated_bytes");
    const active = g.stats.get("active_bytes");
    const resident = g.stats.get("resident_bytes");
    if (allocated === undefined || active === undefined || resident === undefined) continue;
    const retained = g.stats.get("retained_bytes") ?? null;
    out.push({
      id: g.id,
      source: g.source,
      allocated_bytes: allocated,
      active_bytes: active,
      resident_bytes: resident,
      ...fragmentationOf({ allocated, active, resident, retained }),
    });
  }
  return out;
}

export interface HeapOverheadPoint {
  id: string;
  source: string;
  index: number;
  t: number;
  t_unit: string;
  heap_bytes: number;
  extra_heap_bytes: number;
  /** extra-heap / heap; null when heap is 0 (the program has nothing allocated yet). */
  ratio: number | null;
}

/** extra-heap / heap for every massif snapshot that has both figures. */
export function heapOverheadTimeline(timeline: readonly MemoryTimelineRow[]): HeapOverheadPoint[] {
  const out: HeapOverheadPoint[] = [];
  for (const r of timeline) {
    if (r.tool !== "massif" || r.heap_bytes === null || r.extra_heap_bytes === null) continue;
    out.push({
      id: r.id,
      source: r.source,
      index: r.index,
      t: r.t,
      t_unit: r.t_unit,
      heap_bytes: r.heap_bytes,
      extra_heap_bytes: r.extra_heap_bytes,
      ratio: r.heap_bytes > 0 ? r.extra_heap_bytes / r.heap_bytes : null,
    });
  }
  return out;
}

export type GrowthVerdictKind = "plateau" | "growing" | "inconclusive";

export interface GrowthVerdict {
  /** Slope of bytes over time (per second when `t` is in seconds; see `secondsPerT`). */
  slopeBytesPerSecond: number;
  lower: number;
  upper: number;
  /** slope × window / mean bytes: the fitted growth over the whole window, relative to the mean. */
  growthFraction: number;
  n: number;
  verdict: GrowthVerdictKind;
}

export interface GrowthOptions {
  /** Seconds per unit of `t`: 1 (default) for seconds, 0.001 for milliseconds (churn's `t_ms`). */
  secondsPerT?: number;
  confidence?: number;
  /** Growth above this fraction of the mean (with a CI above 0) is "growing"; default 0.05. */
  growingFraction?: number;
  /** Growth below this fraction of the mean (or a CI including 0) is "plateau"; default 0.01. */
  plateauFraction?: number;
}

/**
 * Leak or plateau? Fits bytes = a + b·t. "growing": the slope's CI lies above 0 and the fitted growth over the
 * window exceeds 5 % of the mean; "plateau": the CI includes 0 or the growth is under 1 % (a shrinking heap is a
 * plateau too); in between, "inconclusive". Needs at least 3 samples at 2 or more distinct times.
 */
export function growthVerdict(timeline: readonly { t: number; bytes: number }[], options: GrowthOptions = {}): GrowthVerdict {
  const secondsPerT = options.secondsPerT ?? 1;
  if (!(secondsPerT > 0)) throw new LitlabError("usage", `growthVerdict: secondsPerT must be > 0, got ${secondsPerT}`);
  const growing = options.growingFraction ?? 0.05;
  const plateau = options.plateauFraction ?? 0.01;
  const xs = timeline.map((p) => p.t * secondsPerT);
  const ys = timeline.map((p) => p.bytes);
  const fit = linearFit(xs, ys, options.confidence === undefined ? {} : { confidence: options.confidence });
  const window = Math.max(...xs) - Math.min(...xs);
  const meanBytes = ys.reduce((a, b) => a + b, 0) / ys.length;
  // A zero mean (nothing allocated at any sample) means no growth at all.
  const growthFraction = meanBytes === 0 ? 0 : (fit.slope * window) / Math.abs(meanBytes);
  const ciIncludesZero = fit.slopeLower <= 0 && fit.slopeUpper >= 0;
  let verdict: GrowthVerdictKind;
  if (fit.slopeLower > 0 && growthFraction > growing) verdict = "growing";
  else if (ciIncludesZero || growthFraction < plateau) verdict = "plateau";
  else verdict = "inconclusive";
  return { slopeBytesPerSecond: fit.slope, lower: fit.slopeLower, upper: fit.slopeUpper, growthFraction, n: fit.n, verdict };
}
