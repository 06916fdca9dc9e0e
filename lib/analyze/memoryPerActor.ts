/**
 * Memory per actor (and per queued message): fit bytes = a + b·count over a sweep, one fit per runtime × method
 * (method = how the bytes were measured, e.g. `dhat-peak`, `jemalloc-allocated`, `max-rss`). b is the cost of one
 * more actor (or message), a the fixed cost of the runtime and the program.
 *
 * A slope is only trusted when the sweep is wide and straight: at least 4 points, counts spanning ≥ 100× and
 * R² ≥ minR2 (issue 4). Anything else is still reported, with `poorFit` set and the reasons spelled out.
 */
import { linearFit } from "./linearFit.js";

export interface CountPoint {
  runtime: string;
  /** How many actors (or queued messages) the program held. */
  count: number;
  bytes: number;
  method?: string;
}

export interface MemoryFitOptions {
  /** R² below this flags a poor fit; default 0.98. */
  minR2?: number;
  /** Fewer points than this flags a poor fit; default 4. */
  minPoints?: number;
  /** max count / min count below this flags a poor fit; default 100. */
  minSpan?: number;
  /** Confidence level of [lower, upper]; default 0.95. */
  confidence?: number;
}

/** One fit; numbers are null when the points cannot be fitted at all (fewer than 3, or one count only). */
export interface CountFit {
  runtime: string;
  /** The points' `method`, or "unspecified" when they had none. */
  method: string;
  /** Bytes per unit of count (the slope) and its confidence interval. */
  slope: number | null;
  lower: number | null;
  upper: number | null;
  intercept: number | null;
  r2: number | null;
  n: number;
  /** Largest positive count / smallest positive count (0 when there is no positive count). */
  spanRatio: number;
  poorFit: boolean;
  /** Why poorFit is set, in words (empty when it is not). */
  reasons: string[];
}

export interface ActorMemoryFit extends CountFit {
  bytesPerActor: number | null;
}

export interface MessageMemoryFit extends CountFit {
  bytesPerMessage: number | null;
}

export const UNSPECIFIED_METHOD = "unspecified";

/** Bytes per actor from `{runtime, actors, bytes, method?}` points (a sweep over the actor count). */
export function memoryPerActor(
  points: readonly { runtime: string; actors: number; bytes: number; method?: string }[],
  options: MemoryFitOptions = {},
): ActorMemoryFit[] {
  return fitPerCount(points.map((p) => ({ runtime: p.runtime, count: p.actors, bytes: p.bytes, ...methodOf(p) })), options)
    .map((f) => ({ ...f, bytesPerActor: f.slope }));
}

/** Mailbox overhead per queued message from `{runtime, messages, bytes, method?}` points (a sweep over M). */
export function perMessageOverhead(
  points: readonly { runtime: string; messages: number; bytes: number; method?: string }[],
  options: MemoryFitOptions = {},
): MessageMemoryFit[] {
  return fitPerCount(points.map((p) => ({ runtime: p.runtime, count: p.messages, bytes: p.bytes, ...methodOf(p) })), options)
    .map((f) => ({ ...f, bytesPerMessage: f.slope }));
}

function methodOf(p: { method?: string }): { method?: string } {
  return p.method === undefined ? {} : { method: p.method };
}

/** The generic fit behind both: one line per runtime × method, in order of first appearance. */
export function fitPerCount(points: readonly CountPoint[], options: MemoryFitOptions = {}): CountFit[] {
  const minR2 = options.minR2 ?? 0.98;
  const minPoints = options.minPoints ?? 4;
  const minSpan = options.minSpan ?? 100;
  const groups = new Map<string, { runtime: string; method: string; xs: number[]; ys: number[] }>();
  for (const p of points) {
    const method = p.method ?? UNSPECIFIED_METHOD;
    const key = JSON.stringify([p.runtime, method]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { runtime: p.runtime, method, xs: [], ys: [] }));
    g.xs.push(p.count);
    g.ys.push(p.bytes);
  }
  const out: CountFit[] = [];
  for (const g of groups.values()) {
    const n = g.xs.length;
    const positive = g.xs.filter((x) => x > 0);
    const spanRatio = positive.length === 0 ? 0 : Math.max(...positive) / Math.min(...positive);
    const reasons: string[] = [];
    if (n < minPoints) reasons.push(`${n} points (at least ${minPoints} wanted)`);
    if (spanRatio < minSpan) reasons.push(`counts span ${fmt(spanRatio)}× (at least ${minSpan}× wanted)`);
    const distinct = new Set(g.xs).size;
    if (n < 3 || distinct < 2) {
      reasons.push(n < 3 ? "too few points to fit a line with an interval" : "every point has the same count");
      out.push({ runtime: g.runtime, method: g.method, slope: null, lower: null, upper: null, intercept: null, r2: null, n, spanRatio, poorFit: true, reasons });
      continue;
    }
    const fit = linearFit(g.xs, g.ys, options.confidence === undefined ? {} : { confidence: options.confidence });
    if (fit.r2 < minR2) reasons.push(`R² ${fit.r2.toFixed(4)} < ${minR2}`);
    out.push({
      runtime: g.runtime,
      method: g.method,
      slope: fit.slope,
      lower: fit.slopeLower,
      upper: fit.slopeUpper,
      intercept: fit.intercept,
      r2: fit.r2,
      n,
      spanRatio,
      poorFit: reasons.length > 0,
      reasons,
    });
  }
  return out;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(3);
}
