/**
 * False discovery rate control across a review: adds Benjamini-Hochberg q-values to every comparison and
 * recomputes each verdict with q in place of p, so that among the changes a review reports as improved or
 * regressed, at most a fraction alpha are expected to be noise, however many benchmarks × runtimes × metrics
 * the grid holds. Exact-kind results carry p ∈ {0, 1}, whose q stays 0 or is irrelevant, so their verdicts
 * do not change.
 */
import { benjaminiHochberg } from "./benjaminiHochberg.js";
import { verdictOf, type CompareResult } from "./compareSamples.js";

export function applyFdr<T extends CompareResult>(results: readonly T[], alpha = 0.05): Array<T & { q: number }> {
  const q = benjaminiHochberg(results.map((r) => r.p));
  return results.map((r, i) => {
    const qi = q[i]!;
    return { ...r, q: qi, verdict: verdictOf({ ...r, p: qi }, alpha) };
  });
}
