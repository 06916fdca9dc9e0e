// Statistics core (lib/analyze/stats): reference values from published examples, simulations of the
// properties a comparison relies on (CI coverage, false-positive rate), and fast-check properties.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as aq from "arquero";
import {
  applyFdr,
  benjaminiHochberg,
  bootstrapRatioCI,
  changePoints,
  compareSamples,
  erfc,
  exactSf,
  mannWhitneyU,
  median,
  normalSf,
  percentiles,
  seededRandom,
  verdictOf,
  type CompareResult,
} from "../lib/analyze/stats/index.js";

const close = (actual: number, expected: number, tol: number, what = "") =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} ${actual} differs from ${expected} by more than ${tol}`);

/** Standard normal draws by Box-Muller over the seeded generator. */
function normalDraws(rng: () => number): () => number {
  return () => {
    let u = 0;
    while (u === 0) u = rng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  };
}

describe("seededRandom (mulberry32)", () => {
  it("is reproducible, seed-dependent and in [0, 1)", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
    assert.notDeepEqual(xs.slice(0, 10), Array.from({ length: 10 }, () => c()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    // the seed is truncated to an integer
    assert.equal(seededRandom(7.9)(), seededRandom(7)());
  });

  it("is uniform: chi-square over 20 bins of 100,000 draws below the 0.999 quantile (43.8, df 19)", () => {
    const rng = seededRandom(1);
    const bins = new Array<number>(20).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) bins[Math.floor(rng() * 20)]!++;
    const expected = n / 20;
    const chi2 = bins.reduce((s, o) => s + ((o - expected) ** 2) / expected, 0);
    assert.ok(chi2 < 43.8, `chi2 = ${chi2}`);
  });

  it("rejects a non-finite seed", () => {
    assert.throws(() => seededRandom(NaN), /seed must be a finite number/);
  });
});

describe("normal tail (erfc)", () => {
  it("matches Python's math.erfc to 1e-13 relative", () => {
    // python3 -c "import math; print(repr(math.erfc(x)))"
    const ref: Array<[number, number]> = [
      [0, 1.0],
      [0.1, 0.8875370839817152],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [1.2, 0.08968602177036465],
      [1.3, 0.06599205505934755],
      [2, 0.004677734981047265],
      [3, 2.2090496998585438e-5],
      [5, 1.5374597944280351e-12],
      [10, 2.088487583762545e-45],
      [26, 5.663192408856143e-296],
      [-1, 1.842700792949715],
      [-3, 1.9999779095030015],
    ];
    for (const [x, y] of ref) close(erfc(x), y, Math.abs(y) * 1e-13, `erfc(${x})`);
    close(normalSf(1.959963984540054), 0.025, 1e-15, "sf(z_0.975)");
  });
});

describe("mannWhitneyU", () => {
  // SciPy documentation, scipy.stats.mannwhitneyu, Examples (1.14–1.16), after Shier (2004), "Statistics: 2.3 The
  // Mann-Whitney U Test", Mathematics Learning Support Centre: age at type II diabetes diagnosis.
  const males = [19, 22, 16, 29, 24];
  const females = [20, 11, 17, 12];

  it("reproduces SciPy's documented example (exact, asymptotic, no continuity, one-sided)", () => {
    const auto = mannWhitneyU(males, females);
    assert.deepEqual(auto, { u: 17, p: 0.1111111111111111, method: "exact", ties: false });
    close(mannWhitneyU(males, females, { method: "normal" }).p, 0.11134688653314041, 1e-14, "asymptotic");
    close(mannWhitneyU(males, females, { method: "normal", continuity: false }).p, 0.0864107329737, 1e-12, "no continuity");
    const less = mannWhitneyU(females, males, { alternative: "less" });
    assert.equal(less.u, 3);
    close(less.p, 0.05555555555555555, 1e-15, "less");
  });

  it("matches R's wilcox.test as recorded in SciPy's test suite (gh-9184)", () => {
    // scipy/stats/tests/test_mannwhitneyu.py, test_gh_9184: values from R with options(digits=16).
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const cases: Array<[boolean, "less" | "greater" | "two-sided", "normal" | "exact", number]> = [
      [true, "less", "normal", 0.900775348204],
      [true, "greater", "normal", 0.1223118025635],
      [true, "two-sided", "normal", 0.244623605127],
      [false, "less", "normal", 0.8896643190401],
      [false, "greater", "normal", 0.1103356809599],
      [false, "two-sided", "normal", 0.2206713619198],
      [true, "less", "exact", 0.8967698967699],
      [true, "greater", "exact", 0.1272061272061],
      [true, "two-sided", "exact", 0.2544122544123],
    ];
    for (const [continuity, alternative, method, p] of cases) {
      const r = mannWhitneyU(x, y, { continuity, alternative, method });
      assert.equal(r.u, 35);
      close(r.p, p, 1e-11, `${alternative} ${method} continuity=${continuity}`);
    }
    // min size 5 ≤ 8 and no ties: "auto" is exact, as in SciPy
    assert.equal(mannWhitneyU(x, y).method, "exact");
  });

  it("applies the tie correction like SciPy (gh-11355 cases, with ties and infinities)", () => {
    // scipy/stats/tests/test_mannwhitneyu.py, cases_11355, method="asymptotic", atol 1e-12 there too.
    const I = Infinity;
    const cases: Array<[number[], number[], number, number]> = [
      [[1, 2, 3, 4], [3, 6, 7, 8, I, 3, 2, 1, 4, 4, 5], 10, 0.1297704873477],
      [[1, 2, 3, 4], [3, 6, 7, 8, I, I, 2, 1, 4, 4, 5], 8.5, 0.08735617507695],
      [[1, 2, I, 4], [3, 6, 7, 8, I, 3, 2, 1, 4, 4, 5], 17.5, 0.5988856695752],
      [[1, 2, I, 4], [3, 6, 7, 8, I, I, 2, 1, 4, 4, 5], 16, 0.4687165824462],
      [[1, I, I, 4], [3, 6, 7, 8, I, I, 2, 1, 4, 4, 5], 24.5, 0.7912517950119],
    ];
    for (const [x, y, u, p] of cases) {
      const r = mannWhitneyU(x, y);
      assert.equal(r.method, "normal"); // ties force the approximation under "auto"
      assert.equal(r.ties, true);
      assert.equal(r.u, u);
      close(r.p, p, 1e-12, `U=${u}`);
    }
  });

  it("keeps p ≤ 1 when U equals its mean (SciPy gh-2118 cases, checked there against R)", () => {
    const cases: Array<[number[], number[], "less" | "greater" | "two-sided", number, number]> = [
      [[1, 2, 3], [1.5, 2.5], "greater", 3, 0.6135850036578],
      [[1, 2, 3], [1.5, 2.5], "less", 3, 0.6135850036578],
      [[1, 2, 3], [1.5, 2.5], "two-sided", 3, 1.0],
      [[1, 2, 3], [2], "greater", 1.5, 0.681324055883],
      [[1, 2, 3], [2], "less", 1.5, 0.681324055883],
      [[1, 2, 3], [2], "two-sided", 1.5, 1],
      [[1, 2], [1, 2], "greater", 2, 0.667497228949],
      [[1, 2], [1, 2], "less", 2, 0.667497228949],
      [[1, 2], [1, 2], "two-sided", 2, 1],
    ];
    for (const [x, y, alternative, u, p] of cases) {
      const r = mannWhitneyU(x, y, { alternative, method: "normal" });
      assert.equal(r.u, u);
      close(r.p, p, 1e-11, `${JSON.stringify(x)} ${JSON.stringify(y)} ${alternative}`);
    }
  });

  it("reproduces the textbook critical values of U (two-tailed α = 0.05)", () => {
    // Standard table of critical values of the Mann-Whitney U (e.g. Siegel & Castellan 1988, Table J; the
    // same in most textbooks): reject when min(U) ≤ c. So P(U ≤ c) ≤ 0.025 < P(U ≤ c + 1) under H0.
    const table: Array<[number, number, number]> = [
      [5, 5, 2],
      [8, 8, 13],
      [10, 10, 23],
      [20, 20, 127],
      [6, 9, 10],
      [4, 12, 7],
    ];
    for (const [m, n, c] of table) {
      // P(U ≤ c) = P(U ≥ mn − c) by symmetry
      const atC = exactSf(m * n - c, m, n);
      const atC1 = exactSf(m * n - c - 1, m, n);
      assert.ok(2 * atC <= 0.05 && 2 * atC1 > 0.05, `${m}×${n}: 2P(U≤${c}) = ${2 * atC}, 2P(U≤${c + 1}) = ${2 * atC1}`);
    }
  });

  it("chooses the method by SciPy's rule and refuses an exact test on ties", () => {
    const big = (k: number) => Array.from({ length: 9 }, (_, i) => i * 10 + k);
    assert.equal(mannWhitneyU([1, 2, 3, 4, 5, 6, 7, 8], big(0.5)).method, "exact");
    assert.equal(mannWhitneyU(big(0.5), big(0.25)).method, "normal");
    assert.equal(mannWhitneyU([1, 2, 3], [3, 4, 5]).method, "normal");
    assert.throws(() => mannWhitneyU([1, 2, 3], [3, 4, 5], { method: "exact" }), /assumes no ties/);
    assert.throws(() => mannWhitneyU([], [1]), /at least one value/);
    assert.throws(() => mannWhitneyU([1, NaN], [1]), /a\[1\] is not a number/);
    assert.deepEqual(mannWhitneyU([3, 3, 3], [3, 3]), { u: 3, p: 1, method: "normal", ties: true });
  });

  it("exact distribution equals brute-force enumeration of rank arrangements (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 36 }), (m, n, k) => {
        // enumerate every subset of positions {0..m+n-1} of size m holding the first sample
        let count = 0;
        let total = 0;
        const N = m + n;
        for (let mask = 0; mask < 1 << N; mask++) {
          let bits = 0;
          for (let i = 0; i < N; i++) if (mask & (1 << i)) bits++;
          if (bits !== m) continue;
          total++;
          // U of the first sample = number of (first, second) pairs with first above second
          let u = 0;
          let below = 0;
          for (let i = 0; i < N; i++) {
            if (mask & (1 << i)) u += below;
            else below++;
          }
          if (u >= k) count++;
        }
        close(exactSf(k, m, n), count / total, 1e-14, `sf(${k}; ${m}, ${n})`);
      }),
      { numRuns: 150 },
    );
  });

  it("has p in [0, 1], U_a + U_b = n_a·n_b, and symmetric alternatives (property)", () => {
    const sample = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = mannWhitneyU(a, b);
        const ba = mannWhitneyU(b, a);
        assert.ok(ab.p >= 0 && ab.p <= 1);
        assert.equal(ab.u + ba.u, a.length * b.length);
        close(ab.p, ba.p, 1e-12, "two-sided symmetric");
        const greater = mannWhitneyU(a, b, { alternative: "greater" });
        const less = mannWhitneyU(b, a, { alternative: "less" });
        close(greater.p, less.p, 1e-12, "greater(a,b) = less(b,a)");
        assert.ok(greater.p >= 0 && greater.p <= 1);
      }),
      { numRuns: 300 },
    );
  });

  it("holds its level under H0: false-positive rate at α = 0.05 within 3–7 % over 2,000 pairs", () => {
    // Sizes 5–60 (both exact and normal paths), continuous lognormal data with no ties.
    const rng = seededRandom(2024);
    const z = normalDraws(rng);
    let rejections = 0;
    let exact = 0;
    const pairs = 2000;
    for (let k = 0; k < pairs; k++) {
      const na = 5 + Math.floor(rng() * 56);
      const nb = 5 + Math.floor(rng() * 56);
      const a = Array.from({ length: na }, () => Math.exp(0.3 * z()));
      const b = Array.from({ length: nb }, () => Math.exp(0.3 * z()));
      const r = mannWhitneyU(a, b);
      if (r.method === "exact") exact++;
      if (r.p < 0.05) rejections++;
    }
    const rate = rejections / pairs;
    assert.ok(exact > 50, `only ${exact} exact tests exercised`);
    assert.ok(rate >= 0.03 && rate <= 0.07, `false-positive rate ${rate}`);
  });
});

describe("benjaminiHochberg", () => {
  it("reproduces the worked example of Benjamini & Hochberg (1995), §4.2: 15 p-values, 4 rejections at 0.05", () => {
    // J. R. Statist. Soc. B 57(1):289–300, the 15 p-values of the myocardial infarction study. The paper's
    // procedure rejects the four smallest at q* = 0.05 (Bonferroni only three). Expected q-values are
    // min_{j≥i} m·p_(j)/j, the definition R's p.adjust(method = "BH") implements.
    const p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0];
    const expected = [
      0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714285714286, 0.06385714285714286, 0.0645, 0.0765, 0.486,
      0.5811818181818182, 0.714875, 0.7532307692307694, 0.8132142857142857, 1,
    ];
    const q = benjaminiHochberg(p);
    q.forEach((v, i) => close(v, expected[i]!, 1e-15, `q[${i}]`));
    assert.equal(q.filter((v) => v <= 0.05).length, 4);
    assert.equal(p.filter((v) => v <= 0.05 / 15).length, 3); // Bonferroni, as the paper contrasts
    // input order is kept
    const shuffled = [8, 3, 14, 0, 11, 5, 1, 13, 2, 9, 6, 12, 4, 10, 7];
    const qs = benjaminiHochberg(shuffled.map((i) => p[i]!));
    shuffled.forEach((i, k) => close(qs[k]!, expected[i]!, 1e-15, `shuffled q[${k}]`));
  });

  it("matches R's p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), 'BH') = all 0.05, and handles edge cases", () => {
    benjaminiHochberg([0.01, 0.02, 0.03, 0.04, 0.05]).forEach((v) => close(v, 0.05, 1e-15));
    assert.deepEqual(benjaminiHochberg([]), []);
    assert.deepEqual(benjaminiHochberg([0.3]), [0.3]);
    assert.throws(() => benjaminiHochberg([0.1, 1.2]), /p\[1\] = 1.2 is not a probability/);
    assert.throws(() => benjaminiHochberg([NaN]), /not a probability/);
  });

  it("gives q ≥ p, q ≤ 1, and q monotone in p (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }), (p) => {
        const q = benjaminiHochberg(p);
        assert.equal(q.length, p.length);
        for (let i = 0; i < p.length; i++) {
          assert.ok(q[i]! >= p[i]! && q[i]! <= 1);
          for (let j = 0; j < p.length; j++) if (p[i]! <= p[j]!) assert.ok(q[i]! <= q[j]!);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("percentiles (linear, Hyndman-Fan type 7)", () => {
  it("matches NumPy's and R's documented values", () => {
    // numpy.percentile docs: a = [[10, 7, 4], [3, 2, 1]]; np.percentile(a, 50) → 3.5
    assert.deepEqual(percentiles([10, 7, 4, 3, 2, 1], [50]), [3.5]);
    // R: quantile(1:10, c(0, .1, .25, .5, .9, 1)) → 1.00 1.90 3.25 5.50 9.10 10.00 (type 7 default)
    const r = percentiles([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], [0, 10, 25, 50, 90, 100]);
    [1, 1.9, 3.25, 5.5, 9.1, 10].forEach((v, i) => close(r[i]!, v, 1e-12, `p${i}`));
    assert.deepEqual(percentiles([42], [0, 50, 99.9]), [42, 42, 42]);
    assert.deepEqual(percentiles([1, Infinity, Infinity], [100, 90]), [Infinity, Infinity]);
    assert.throws(() => percentiles([], [50]), /no values/);
    assert.throws(() => percentiles([1], [101]), /not a percentage/);
    assert.throws(() => percentiles([1, NaN], [50]), /NaN/);
  });

  it("agrees exactly with Arquero's op.quantile, and p50 with median (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (values, pct) => {
          // the same fraction pct / 100 on both sides (p · 100 / 100 need not round-trip to p)
          const viaArquero = aq
            .table({ v: values })
            .params({ p: pct / 100 })
            .rollup({ q: (d: { v: number }, $: { p: number }) => aq.op.quantile(d.v, $.p) })
            .get("q", 0) as number;
          // === rather than Object.is: a typed-array sort puts −0 before 0, Arquero's sort keeps input order
          const ours = percentiles(values, [pct])[0];
          assert.ok(ours === viaArquero, `${ours} vs Arquero ${viaArquero}`);
          close(median(values), percentiles(values, [50])[0]!, 1e-9 * (1 + Math.abs(median(values))), "median");
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("bootstrapRatioCI", () => {
  const rng = seededRandom(99);
  const z = normalDraws(rng);
  const base = Array.from({ length: 60 }, () => 100 * Math.exp(0.2 * z()));
  const cand = Array.from({ length: 60 }, () => 110 * Math.exp(0.2 * z()));

  it("is reproducible from its seed and brackets the observed ratio", () => {
    const a = bootstrapRatioCI(base, cand, { seed: 5 });
    assert.deepEqual(a, bootstrapRatioCI(base, cand, { seed: 5 }));
    assert.notDeepEqual(a, bootstrapRatioCI(base, cand, { seed: 6 }));
    assert.deepEqual(bootstrapRatioCI(base, cand), bootstrapRatioCI(base, cand)); // default seed
    assert.equal(a.ratio, median(cand) / median(base));
    assert.ok(a.lower < a.ratio && a.ratio < a.upper);
    assert.equal(a.confidence, 0.95);
    assert.equal(a.resamples, 10_000);
    const wider = bootstrapRatioCI(base, cand, { seed: 5, confidence: 0.99 });
    assert.ok(wider.lower <= a.lower && wider.upper >= a.upper);
    const mean = bootstrapRatioCI(base, cand, { statistic: "mean", resamples: 500 });
    close(mean.ratio, cand.reduce((s, v) => s + v, 0) / 60 / (base.reduce((s, v) => s + v, 0) / 60), 1e-12);
  });

  it("scales exactly with the candidate (same seed, same resamples)", () => {
    const a = bootstrapRatioCI(base, cand, { seed: 3, resamples: 2000 });
    const b = bootstrapRatioCI(base, cand.map((v) => v * 2), { seed: 3, resamples: 2000 });
    assert.equal(b.ratio, 2 * a.ratio);
    assert.equal(b.lower, 2 * a.lower);
    assert.equal(b.upper, 2 * a.upper);
  });

  it("refuses empty input, zero medians and non-finite values with a clear error", () => {
    assert.throws(() => bootstrapRatioCI([], [1]), /base has no values/);
    assert.throws(() => bootstrapRatioCI([1], []), /cand has no values/);
    assert.throws(() => bootstrapRatioCI([0, 0, 1], [1, 2, 3]), /baseline median is 0/);
    assert.throws(() => bootstrapRatioCI([0, 0, 1, 1, 2], [1, 2, 3]), /resample of the baseline has median 0/);
    assert.throws(() => bootstrapRatioCI([1, NaN], [1]), /base\[1\] = NaN/);
    assert.throws(() => bootstrapRatioCI([1], [1], { resamples: 0 }), /resamples/);
    assert.throws(() => bootstrapRatioCI([1], [1], { confidence: 1 }), /confidence/);
  });

  it("covers the true ratio of medians in 93–97 % of 1,000 simulated lognormal cases (1,000 resamples each)", () => {
    // 1,000 resamples per case instead of the default 10,000 keep this test at ~3 s; the Monte-Carlo error of
    // the interval's ends at 1,000 resamples is small next to the binomial spread of the coverage (±1.4 %).
    // Each case: n_base, n_cand uniform in 30–100, log-sd 0.1–0.5, true ratio of medians e^U(−0.2, 0.2).
    const sim = seededRandom(1);
    const g = normalDraws(sim);
    let covered = 0;
    const cases = 1000;
    for (let c = 0; c < cases; c++) {
      const nb = 30 + Math.floor(sim() * 71);
      const nc = 30 + Math.floor(sim() * 71);
      const sigma = 0.1 + sim() * 0.4;
      const truth = Math.exp((sim() - 0.5) * 0.4);
      const b = Array.from({ length: nb }, () => 100 * Math.exp(sigma * g()));
      const k = Array.from({ length: nc }, () => 100 * truth * Math.exp(sigma * g()));
      const ci = bootstrapRatioCI(b, k, { resamples: 1000, seed: c });
      if (ci.lower <= truth && truth <= ci.upper) covered++;
    }
    const coverage = covered / cases;
    assert.ok(coverage >= 0.93 && coverage <= 0.97, `coverage ${coverage}`);
  });
});

describe("changePoints", () => {
  const noise = (seed: number) => normalDraws(seededRandom(seed));

  it("finds known steps in a synthetic step series (PELT and binary segmentation)", () => {
    const z = noise(3);
    const series = Array.from({ length: 120 }, (_, i) => (i < 40 ? 100 : i < 80 ? 105 : 98) + z());
    assert.deepEqual(changePoints(series), [40, 80]);
    assert.deepEqual(changePoints(series, { method: "binseg" }), [40, 80]);
    // a 5 % regression at commit 30 of 50 in a benchmark's medians with 1 % noise
    const z2 = noise(4);
    const history = Array.from({ length: 50 }, (_, i) => (i < 30 ? 1000 : 1050) * (1 + 0.01 * z2()));
    assert.deepEqual(changePoints(history), [30]);
  });

  it("returns none on flat noisy series", () => {
    for (const [seed, n] of [[10, 30], [11, 60], [12, 100], [13, 200], [14, 500]] as const) {
      const z = noise(seed);
      const flat = Array.from({ length: n }, () => 50 + 2 * z());
      assert.deepEqual(changePoints(flat), [], `seed ${seed}, n ${n}`);
      assert.deepEqual(changePoints(flat, { method: "binseg" }), [], `binseg seed ${seed}, n ${n}`);
    }
  });

  it("treats noiseless series exactly and respects minSegment and tiny inputs", () => {
    assert.deepEqual(changePoints([5, 5, 5, 5, 7, 7, 7, 7]), [4]);
    assert.deepEqual(changePoints([1, 1, 1, 1, 1]), []);
    assert.deepEqual(changePoints([]), []);
    assert.deepEqual(changePoints([3]), []);
    // One outlying run in a history of 100: at 4σ the default (minSegment 2, bar √(4·3·ln 100) ≈ 7.4σ) stays
    // quiet in ≥ 95 of 100 seeded series; a gross 20σ one is isolated as its own segment with minSegment 1.
    let quiet = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const z = noise(seed);
      const moderate = Array.from({ length: 100 }, (_, i) => (i === 50 ? 104 : 100) + z());
      if (changePoints(moderate).length === 0) quiet++;
      const gross = Array.from({ length: 100 }, (_, i) => (i === 50 ? 120 : 100) + z());
      const isolated = changePoints(gross, { minSegment: 1 });
      assert.ok(isolated.includes(50) && isolated.includes(51), `seed ${seed}: ${isolated}`);
    }
    assert.ok(quiet >= 95, `quiet in ${quiet} of 100`);
    assert.deepEqual(changePoints([1, 1, 1, 9, 9, 9], { minSegment: 4 }), []);
    assert.throws(() => changePoints([1, 2, NaN]), /series\[2\]/);
    assert.throws(() => changePoints([1, 2], { minSegment: 0 }), /minSegment/);
    assert.throws(() => changePoints([1, 2], { penalty: -1 }), /penalty/);
  });

  it("PELT finds the same optimum as brute-force optimal partitioning (property)", () => {
    // Optimal partitioning (Jackson et al. 2005): the same objective without pruning. changePoints minimises
    // SSE/σ̂² + penalty·k, which has the same minimisers as SSE + (penalty·σ̂²)·k on the raw scale used here.
    const sse = (xs: number[], s: number, e: number) => {
      const seg = xs.slice(s, e);
      const m = seg.reduce((a, v) => a + v, 0) / seg.length;
      return seg.reduce((a, v) => a + (v - m) ** 2, 0);
    };
    const optimal = (xs: number[], penalty: number, minSeg: number): number => {
      const n = xs.length;
      const f = new Array<number>(n + 1).fill(Infinity);
      f[0] = -penalty;
      for (let t = minSeg; t <= n; t++) for (let s = 0; s <= t - minSeg; s++) f[t] = Math.min(f[t]!, f[s]! + sse(xs, s, t) + penalty);
      return f[n]!;
    };
    const objective = (xs: number[], starts: number[], penalty: number) => {
      const bounds = [0, ...starts, xs.length];
      let total = 0;
      for (let i = 0; i + 1 < bounds.length; i++) total += sse(xs, bounds[i]!, bounds[i + 1]!);
      return total + penalty * starts.length;
    };
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 4, maxLength: 24 }),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0.5, max: 40, noNaN: true }),
        (xs, minSegment, rawPenalty) => {
          const sigma2 = estimateSigma2(xs);
          const starts = changePoints(xs, { penalty: rawPenalty, minSegment });
          const best = optimal(xs, rawPenalty * sigma2, minSegment);
          close(objective(xs, starts, rawPenalty * sigma2), best, 1e-6 * (1 + Math.abs(best)), "objective");
        },
      ),
      { numRuns: 300 },
    );
  });

  it("returns sorted indices in range, segments at least minSegment long (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom("pelt" as const, "binseg" as const),
        (xs, minSegment, method) => {
          const starts = changePoints(xs, { minSegment, method });
          if (xs.length < 2 * minSegment) return assert.deepEqual(starts, []);
          const bounds = [0, ...starts, xs.length];
          for (let i = 0; i + 1 < bounds.length; i++) assert.ok(bounds[i + 1]! - bounds[i]! >= minSegment, `${bounds}`);
          for (const s of starts) assert.ok(Number.isInteger(s) && s > 0 && s < xs.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The σ̂² changePoints uses, recomputed here from its documented definition (MAD of differences, fallbacks). */
function estimateSigma2(xs: number[]): number {
  const d = xs.slice(1).map((v, i) => v - xs[i]!);
  const m = median(d);
  const dev = d.map((v) => Math.abs(v - m));
  let s = (1.4826 * median(dev)) / Math.SQRT2;
  if (s === 0) s = ((dev.reduce((a, v) => a + v, 0) / dev.length) * Math.sqrt(Math.PI / 2)) / Math.SQRT2;
  if (s > 0) return s * s;
  const floor = (xs.reduce((a, v) => Math.max(a, Math.abs(v)), 0) || 1) * 1e-9;
  return floor * floor;
}

describe("compareSamples and verdicts", () => {
  const base: Pick<CompareResult, "kind" | "threshold" | "better"> = { kind: "time", threshold: 0.02, better: "lower" };

  it("follows the decision table", () => {
    const rows: Array<[number, number, number, string]> = [
      // p, lower, upper → verdict
      [0.001, 0.9, 0.95, "improved"],
      [0.001, 1.05, 1.1, "regressed"],
      [0.2, 1.05, 1.1, "inconclusive"], // beyond the floor but not significant
      [0.001, 0.97, 1.01, "inconclusive"], // significant, CI straddles the floor
      [0.001, 0.99, 1.01, "no change"], // significant but within the floor
      [0.6, 0.985, 1.019, "no change"],
      [0.6, 0.9, 1.1, "inconclusive"], // too noisy to say
      [0.001, 1.02, 1.1, "inconclusive"], // lower bound on the floor is not beyond it
    ];
    for (const [p, lower, upper, verdict] of rows) {
      assert.equal(verdictOf({ ...base, ratio: (lower + upper) / 2, lower, upper, p }, 0.05), verdict, `${p} [${lower}, ${upper}]`);
    }
    // throughput: higher is better
    assert.equal(verdictOf({ ...base, better: "higher", ratio: 1.07, lower: 1.05, upper: 1.1, p: 0.001 }, 0.05), "improved");
    // exact kind: tolerance 0
    const exact = { kind: "exact" as const, threshold: 0, better: "lower" as const };
    assert.equal(verdictOf({ ...exact, ratio: 1, lower: 1, upper: 1, p: 1 }, 0.05), "no change");
    assert.equal(verdictOf({ ...exact, ratio: 1.0001, lower: 1.0001, upper: 1.0001, p: 0 }, 0.05), "regressed");
    assert.equal(verdictOf({ ...exact, ratio: 0.5, lower: 0.5, upper: 0.5, p: 0 }, 0.05), "improved");
  });

  it("reaches the right verdict on simulated benchmarks", () => {
    const z = normalDraws(seededRandom(77));
    const sample = (n: number, scale: number) => Array.from({ length: n }, () => scale * Math.exp(0.03 * z()));
    const b = sample(100, 1000);
    const slower = compareSamples(b, sample(100, 1100));
    assert.equal(slower.verdict, "regressed");
    assert.ok(slower.p < 1e-6 && slower.lower > 1.02);
    assert.equal(compareSamples(b, sample(100, 900)).verdict, "improved");
    assert.equal(compareSamples(b, sample(100, 1000)).verdict, "no change");
    assert.equal(compareSamples(sample(5, 1000), sample(5, 1010)).verdict, "inconclusive"); // too few samples
    const c = sample(100, 1000);
    assert.deepEqual(compareSamples(b, c, { seed: 1 }), compareSamples(b, c, { seed: 1 })); // reproducible
  });

  it("compares deterministic counts exactly", () => {
    assert.equal(compareSamples([4096], [4096], { kind: "exact" }).verdict, "no change");
    const bigger = compareSamples([4096, 4096], [4097, 4097], { kind: "exact" });
    assert.equal(bigger.verdict, "regressed");
    assert.equal(bigger.p, 0);
    assert.equal(bigger.lower, bigger.ratio);
    assert.equal(compareSamples([0], [0], { kind: "exact" }).verdict, "no change");
    assert.equal(compareSamples([0], [8], { kind: "exact" }).ratio, Infinity);
    assert.equal(compareSamples([100], [99], { kind: "exact", threshold: 0.5 }).verdict, "improved"); // tolerance stays 0
    assert.throws(() => compareSamples([], [1], { kind: "exact" }), /at least one value/);
    assert.throws(() => compareSamples([1], [1], { alpha: 0 }), /alpha/);
  });

  it("applyFdr adds q-values and recomputes verdicts with q", () => {
    const mk = (p: number, lower: number, upper: number): CompareResult => ({
      ...base,
      ratio: (lower + upper) / 2,
      lower,
      upper,
      p,
      verdict: verdictOf({ ...base, ratio: 1, lower, upper, p }, 0.05),
      nBase: 10,
      nCand: 10,
    });
    const results = [mk(0.001, 1.05, 1.1), mk(0.04, 1.05, 1.1), mk(0.5, 0.99, 1.01), mk(0.7, 0.9, 1.1)];
    assert.deepEqual(results.map((r) => r.verdict), ["regressed", "regressed", "no change", "inconclusive"]);
    const adjusted = applyFdr(results);
    assert.deepEqual(adjusted.map((r) => r.q), [0.004, 0.08, 0.6666666666666666, 0.7]);
    // the second regression does not survive FDR control across four comparisons
    assert.deepEqual(adjusted.map((r) => r.verdict), ["regressed", "inconclusive", "no change", "inconclusive"]);
    // exact-kind verdicts are unaffected
    const exact = compareSamples([1], [2], { kind: "exact" });
    assert.equal(applyFdr([exact, ...results])[0]!.verdict, "regressed");
  });
});
