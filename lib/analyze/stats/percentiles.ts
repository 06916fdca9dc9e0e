/**
 * Percentiles by linear interpolation between order statistics: Hyndman & Fan (1996) definition 7, the default
 * of R's quantile(), NumPy's percentile() and Excel's PERCENTILE.INC, and exactly what Arquero's op.quantile
 * and d3.quantile compute. We chose it over nearest-rank so that a notebook's `op.quantile(d.x, 0.99)` and this
 * function agree to the last bit, and so that p50 is the usual median (mean of the two middle values).
 * Note for tails: with n samples, p99.9 interpolates between the two largest values once n < 1000; read it
 * as "near the maximum", not as a measured tail.
 *
 * h = (n − 1) · p/100; result = x_(⌊h⌋) + (h − ⌊h⌋) · (x_(⌊h⌋+1) − x_(⌊h⌋)) over the sorted values (0-based).
 */
import { LitlabError } from "../../errors.js";

/** `ps` are percentages in [0, 100] (p99.9 is 99.9), like numpy.percentile. Results follow the order of `ps`. */
export function percentiles(values: readonly number[], ps: readonly number[]): number[] {
  if (values.length === 0) throw new LitlabError("usage", "percentiles: no values");
  values.forEach((v, i) => {
    if (Number.isNaN(v)) throw new LitlabError("usage", `percentiles: values[${i}] is NaN`);
  });
  ps.forEach((p, i) => {
    if (!(p >= 0 && p <= 100)) throw new LitlabError("usage", `percentiles: ps[${i}] = ${p} is not a percentage in [0, 100]`);
  });
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => quantileSorted(sorted, p / 100));
}

/** Type-7 quantile of already sorted values, p in [0, 1]. Shared with the bootstrap's percentile interval. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const x0 = sorted[lo]!;
  if (lo + 1 >= n) return x0;
  const x1 = sorted[lo + 1]!;
  // Equal neighbours (including equal infinities) need no interpolation, and ∞ − ∞ would give NaN.
  return x0 === x1 ? x0 : x0 + (h - lo) * (x1 - x0);
}

/** Median (mean of the two middle values for even n) of `n` values in `buf`, which is reordered in place. */
export function medianInPlace(buf: Float64Array, n: number = buf.length): number {
  const mid = n >> 1;
  const upper = select(buf, n, mid);
  if (n % 2 === 1) return upper;
  // After selection everything left of `mid` is ≤ the upper middle; the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < mid; i++) if (buf[i]! > lower) lower = buf[i]!;
  return lower === upper ? upper : (lower + upper) / 2;
}

/** Median of a sample (type 7 at p = 0.5). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new LitlabError("usage", "median: no values");
  return medianInPlace(Float64Array.from(values));
}

/**
 * Quickselect (Hoare partition, median-of-three pivot): puts the k-th smallest of buf[0..n) at index k in O(n)
 * expected time. The bootstrap takes ~10^4 medians per comparison, where a full sort would dominate the cost.
 */
function select(buf: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median-of-three pivot guards against sorted input degrading to O(n²)
    const a = buf[lo]!;
    const b = buf[mid]!;
    const c = buf[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (buf[i]! < pivot) i++;
      while (buf[j]! > pivot) j--;
      if (i <= j) {
        const t = buf[i]!;
        buf[i] = buf[j]!;
        buf[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break; // k lies between j and i: all equal to the pivot
  }
  return buf[k]!;
}
