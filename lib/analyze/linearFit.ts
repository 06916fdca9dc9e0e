/**
 * Ordinary least squares y = a + b·x with Student-t confidence intervals for a and b. Memory per actor is the
 * slope of a sweep (bytes against actor count); heap growth over time is the slope of a timeline.
 *
 * The t quantile is exact up to floating point: the t CDF through the regularized incomplete beta function
 * (continued fraction, Numerical Recipes §6.4) inverted by bisection. Small df matter here (a 4-point sweep has
 * df = 2, t = 4.303), where normal approximations are far off.
 */
import { LitlabError } from "../errors.js";

export interface LinearFit {
  intercept: number;
  slope: number;
  slopeLower: number;
  slopeUpper: number;
  interceptLower: number;
  interceptUpper: number;
  /** Coefficient of determination; 1 when every y is equal (the line fits exactly). */
  r2: number;
  n: number;
  /** sqrt(SSE / (n − 2)). */
  residualStdError: number;
  /** Level of the intervals, e.g. 0.95. */
  confidence: number;
}

export interface LinearFitOptions {
  /** Two-sided confidence level of the intervals; default 0.95. */
  confidence?: number;
}

export function linearFit(xs: readonly number[], ys: readonly number[], options: LinearFitOptions = {}): LinearFit {
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new LitlabError("usage", `linearFit: confidence must be in (0, 1), got ${confidence}`);
  if (xs.length !== ys.length) throw new LitlabError("usage", `linearFit: ${xs.length} x values but ${ys.length} y values`);
  const n = xs.length;
  // Two points always fit exactly and leave no degree of freedom for an interval.
  if (n < 3) throw new LitlabError("usage", `linearFit: needs at least 3 points, got ${n}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) {
      throw new LitlabError("usage", `linearFit: point ${i} is not a finite number (x=${xs[i]}, y=${ys[i]})`);
    }
  }
  const xbar = mean(xs);
  const ybar = mean(ys);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - xbar;
    const dy = ys[i]! - ybar;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new LitlabError("usage", `linearFit: all ${n} x values are equal (${xs[0]}): no slope to fit`);
  const slope = sxy / sxx;
  const intercept = ybar - slope * xbar;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = ys[i]! - (intercept + slope * xs[i]!);
    sse += r * r;
  }
  const df = n - 2;
  const residualStdError = Math.sqrt(sse / df);
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  const slopeHalf = t * residualStdError / Math.sqrt(sxx);
  const interceptHalf = t * residualStdError * Math.sqrt(1 / n + (xbar * xbar) / sxx);
  return {
    intercept,
    slope,
    slopeLower: slope - slopeHalf,
    slopeUpper: slope + slopeHalf,
    interceptLower: intercept - interceptHalf,
    interceptUpper: intercept + interceptHalf,
    r2: syy === 0 ? 1 : Math.max(0, 1 - sse / syy),
    n,
    residualStdError,
    confidence,
  };
}

function mean(v: readonly number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df > 0, not necessarily whole). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new LitlabError("usage", `studentTCdf: df must be > 0, got ${df}`);
  if (t === 0) return 0.5;
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with `df` degrees of freedom: studentTQuantile(0.975, 2) = 4.3027. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new LitlabError("usage", `studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new LitlabError("usage", `studentTQuantile: df must be > 0, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e12) return Infinity;
  }
  // The CDF is monotone: bisection to full double precision (≈ 60 halvings) is cheap and cannot diverge.
  for (let i = 0; i < 200 && hi - lo > 1e-14 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** I_x(a, b), the regularized incomplete beta function. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const front = Math.exp(lnFront);
  // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Modified Lentz evaluation of the incomplete beta continued fraction. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(z) for z > 0 (Lanczos, g = 7: about 15 significant digits). */
export function lnGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  const zz = z - 1;
  let x = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) x += LANCZOS[i]! / (zz + i);
  const t = zz + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (zz + 0.5) * Math.log(t) - t + Math.log(x);
}
