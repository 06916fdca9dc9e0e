/**
 * Benjamini-Hochberg step-up adjustment (Benjamini & Hochberg 1995, J. R. Statist. Soc. B 57:289–300):
 * q_(i) = min_{j ≥ i} min(1, m · p_(j) / j) over the p-values sorted ascending, returned in input order.
 * Identical to R's `p.adjust(p, method = "BH")`. Rejecting every comparison with q ≤ α controls the false
 * discovery rate at α for independent (or positively dependent) tests, which is what a review of a whole
 * runtime × benchmark × metric grid needs: at α = 0.05 about 1 in 20 flagged changes may be noise, instead of
 * 1 in 20 of *all* comparisons.
 *
 * Why not a package: @stdlib/stats-padjust has this function, but it brings eleven @stdlib dependencies for
 * a dozen lines; the test checks the formula against the worked example of the 1995 paper.
 */
import { LitlabError } from "../../errors.js";

export function benjaminiHochberg(p: readonly number[]): number[] {
  const m = p.length;
  p.forEach((v, i) => {
    if (!(v >= 0 && v <= 1)) throw new LitlabError("usage", `benjaminiHochberg: p[${i}] = ${v} is not a probability in [0, 1]`);
  });
  // Stable order so equal p-values keep input order (their q-values are equal anyway).
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => p[i]! - p[j]! || i - j);
  const q = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1]!;
    // (m / rank) · p, as R computes it: m/rank ≥ 1 exactly, so rounding can never give q < p.
    running = Math.min(running, (m / rank) * p[i]!);
    q[i] = running;
  }
  return q;
}
