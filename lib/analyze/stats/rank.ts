/**
 * Mid-ranks of a sample (ties share the average of the ranks they span) and the tie-group sizes, as the
 * Mann-Whitney statistic and its tie correction need them. ±Infinity are ordinary values for a rank test;
 * NaN has no rank and is rejected by the callers.
 */
export interface Ranking {
  /** 1-based mid-ranks, in input order. */
  ranks: Float64Array;
  /** Size of every group of equal values (groups of 1 included). */
  tieGroups: number[];
}

export function midRanks(values: readonly number[]): Ranking {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i]! - values[j]! || 0);
  // `a - b` is NaN for Infinity - Infinity; the `|| 0` above keeps equal infinities as a tie.
  const ranks = new Float64Array(n);
  const tieGroups: number[] = [];
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const mid = (start + 1 + end) / 2; // average of ranks start+1 … end
    for (let k = start; k < end; k++) ranks[order[k]!] = mid;
    tieGroups.push(end - start);
    start = end;
  }
  return { ranks, tieGroups };
}
