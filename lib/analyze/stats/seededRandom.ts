/**
 * A seeded uniform PRNG, so every bootstrap in a report can be reproduced bit for bit from its seed.
 *
 * Algorithm: mulberry32 (Tommy Ettinger, 2017; public domain), a 32-bit state generator with period 2^32 that
 * passes gjrand and PractRand up to 2^32 outputs. Period 2^32 is ample here: a default bootstrap draws
 * 10,000 resamples × (n_base + n_cand) indices, ~10^6–10^7 numbers, far below the period. We want a small,
 * well-known, dependency-free generator with identical output on every Node version; Math.random cannot be
 * seeded, and the seedable npm generators (seedrandom, pure-rand) would add a dependency for ~10 lines.
 */
import { LitlabError } from "../../errors.js";

/** Default seed used by the bootstrap when the caller gives none, so an unseeded call is still reproducible. */
export const DEFAULT_SEED = 0x5eed;

/**
 * Returns a function producing uniform numbers in [0, 1) (multiples of 2^-32). The seed is truncated to an
 * integer and taken modulo 2^32, so `seededRandom(1)` and `seededRandom(1.9)` give the same stream.
 */
export function seededRandom(seed: number): () => number {
  if (!Number.isFinite(seed)) throw new LitlabError("usage", `seededRandom: seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
