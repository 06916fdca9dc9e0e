import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { LitlabError } from "../lib/errors.js";
import type { TidyRow } from "../lib/ingest/rows.js";
import type { MemoryTimelineRow } from "../lib/ingest/memoryRows.js";
import { jemallocStats } from "../lib/ingest/memory/jemalloc.js";
import { linearFit, studentTCdf, studentTQuantile } from "../lib/analyze/linearFit.js";
import { fitPerCount, memoryPerActor, perMessageOverhead } from "../lib/analyze/memoryPerActor.js";
import { fragmentationOf, growthVerdict, heapOverheadTimeline, jemallocFragmentation } from "../lib/analyze/fragmentation.js";

const close = (actual: number | null, expected: number, tol: number, what: string) => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `${what}: ${actual} is not within ${tol} of ${expected}`);
};
const isUsage = (e: unknown) => e instanceof LitlabError && e.code === "usage";

test("t quantiles match the published table (two-sided 95 %: 0.975 quantile)", () => {
  // Standard t table values (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
  close(studentTQuantile(0.975, 1), 12.706, 0.001, "df=1");
  close(studentTQuantile(0.975, 2), 4.303, 0.001, "df=2");
  close(studentTQuantile(0.975, 3), 3.182, 0.001, "df=3");
  close(studentTQuantile(0.975, 10), 2.228, 0.001, "df=10");
  close(studentTQuantile(0.975, 30), 2.042, 0.001, "df=30");
  close(studentTQuantile(0.95, 2), 2.920, 0.001, "0.95, df=2");
  close(studentTQuantile(0.995, 5), 4.032, 0.001, "0.995, df=5");
  // Large df tends to the normal 1.960; symmetric; the median is 0.
  close(studentTQuantile(0.975, 100000), 1.960, 0.001, "df=1e5");
  close(studentTQuantile(0.025, 10), -2.228, 0.001, "lower tail");
  assert.equal(studentTQuantile(0.5, 7), 0);
  // df=1 is the Cauchy distribution: P(T ≤ 1) = 3/4 exactly.
  close(studentTCdf(1, 1), 0.75, 1e-12, "Cauchy cdf");
  assert.throws(() => studentTQuantile(1, 3), isUsage);
});

test("linearFit: y = 3 + 2x plus residuals (+1, −1, 0, −1, +1) orthogonal to 1 and x", () => {
  // Σe = 0 and Σx·e = 0·1 + 1·(−1) + 0 + 3·(−1) + 4·1 = 0, so OLS returns exactly a = 3, b = 2.
  const xs = [0, 1, 2, 3, 4];
  const ys = [4, 4, 7, 8, 12];
  const f = linearFit(xs, ys);
  close(f.slope, 2, 1e-12, "slope");
  close(f.intercept, 3, 1e-12, "intercept");
  assert.equal(f.n, 5);
  // SSE = 4, df = 3 → s = √(4/3); Sxx = 4+1+0+1+4 = 10; SST = 9+9+0+1+25 = 44 (ȳ = 7) → R² = 1 − 4/44 = 10/11.
  close(f.residualStdError, Math.sqrt(4 / 3), 1e-12, "s");
  close(f.r2, 10 / 11, 1e-12, "R²");
  // slope half-width = t(0.975, 3) · s/√Sxx = 3.18245 · 0.365148 = 1.16206
  close(f.slopeUpper - f.slope, 1.16206, 1e-4, "slope CI half-width");
  close(f.slope - f.slopeLower, 1.16206, 1e-4, "slope CI symmetric");
  // intercept half-width = t · s · √(1/5 + x̄²/Sxx) = 3.18245 · 1.154701 · √0.6 = 2.84645
  close(f.interceptUpper - f.intercept, 2.84645, 1e-4, "intercept CI half-width");
  // A 90 % interval is narrower: t(0.95, 3) = 2.353.
  close(linearFit(xs, ys, { confidence: 0.9 }).slopeUpper - 2, 2.353 * 2 / Math.sqrt(30), 1e-3, "90 % half-width");
});

test("linearFit: an exact line has a zero-width interval and R² = 1; bad input is a usage error", () => {
  const f = linearFit([1, 2, 3], [5, 7, 9]);
  assert.deepEqual([f.slope, f.slopeLower, f.slopeUpper, f.r2], [2, 2, 2, 1]);
  assert.throws(() => linearFit([1, 2], [1, 2]), (e: unknown) => isUsage(e) && /at least 3 points/.test((e as Error).message));
  assert.throws(() => linearFit([5, 5, 5], [1, 2, 3]), (e: unknown) => isUsage(e) && /x values are equal/.test((e as Error).message));
  assert.throws(() => linearFit([1, 2, 3], [1, 2]), isUsage);
  assert.throws(() => linearFit([1, 2, NaN], [1, 2, 3]), isUsage);
  assert.throws(() => linearFit([1, 2, 3], [1, 2, 3], { confidence: 1.5 }), isUsage);
});

test("memoryPerActor: one fit per runtime × method, with poorFit flags", () => {
  const sweep = [100, 1000, 10_000, 100_000];
  const points = [
    // bytes = 5000 + 120·N exactly: slope 120, R² 1, span 1000×.
    ...sweep.map((n) => ({ runtime: "tokio_single", method: "dhat-peak", actors: n, bytes: 5000 + 120 * n })),
    // Same runtime, second method: a separate fit.
    ...sweep.map((n) => ({ runtime: "tokio_single", method: "jemalloc-allocated", actors: n, bytes: 9000 + 128 * n })),
    // 3 points only (span 100×): fitted, flagged for the count.
    ...[100, 1000, 10_000].map((n) => ({ runtime: "std_thread", method: "dhat-peak", actors: n, bytes: 10_000 * n })),
    // 4 points over 10×: flagged for the span.
    ...[100, 200, 500, 1000].map((n) => ({ runtime: "futures_lite", method: "dhat-peak", actors: n, bytes: 300 * n })),
    // Noise, no trend: flagged for R².
    ...sweep.map((n, i) => ({ runtime: "tokio_multi", method: "dhat-peak", actors: n, bytes: i % 2 === 0 ? 1000 : 0 })),
  ];
  const fits = memoryPerActor(points);
  assert.deepEqual(fits.map((f) => `${f.runtime}/${f.method}`), [
    "tokio_single/dhat-peak", "tokio_single/jemalloc-allocated", "std_thread/dhat-peak", "futures_lite/dhat-peak", "tokio_multi/dhat-peak",
  ]);
  const [dhat, jem, std, fl, multi] = fits;
  close(dhat!.bytesPerActor, 120, 1e-9, "dhat slope");
  close(dhat!.intercept, 5000, 1e-6, "dhat intercept");
  close(dhat!.lower, 120, 1e-9, "exact fit lower");
  assert.equal(dhat!.r2, 1);
  assert.equal(dhat!.spanRatio, 1000);
  assert.equal(dhat!.poorFit, false);
  assert.deepEqual(dhat!.reasons, []);
  close(jem!.bytesPerActor, 128, 1e-9, "jemalloc slope");
  assert.equal(std!.n, 3);
  assert.equal(std!.poorFit, true);
  assert.match(std!.reasons.join("; "), /3 points/);
  close(std!.bytesPerActor, 10_000, 1e-6, "3-point slope still reported");
  assert.equal(fl!.spanRatio, 10);
  assert.equal(fl!.poorFit, true);
  assert.match(fl!.reasons.join("; "), /span 10×/);
  assert.equal(multi!.poorFit, true);
  assert.ok(multi!.r2! < 0.98);
  assert.match(multi!.reasons.join("; "), /R²/);
  // minR2 is an option: the noisy fit passes a threshold of 0.
  assert.equal(memoryPerActor(points.filter((p) => p.runtime === "tokio_multi"), { minR2: 0 })[0]!.poorFit, false);
});

test("memoryPerActor: unfittable groups are reported with nulls, not thrown; no method → 'unspecified'", () => {
  const fits = memoryPerActor([
    { runtime: "a", actors: 100, bytes: 1 },
    { runtime: "a", actors: 10_000, bytes: 2 },
    { runtime: "b", actors: 5, bytes: 1 },
    { runtime: "b", actors: 5, bytes: 2 },
    { runtime: "b", actors: 5, bytes: 3 },
  ]);
  assert.equal(fits[0]!.method, "unspecified");
  assert.equal(fits[0]!.bytesPerActor, null);
  assert.equal(fits[0]!.poorFit, true);
  assert.equal(fits[1]!.bytesPerActor, null);
  assert.match(fits[1]!.reasons.join("; "), /same count/);
});

test("perMessageOverhead fits over the queued-message count", () => {
  const fits = perMessageOverhead([10, 100, 1000, 10_000].map((m) => ({ runtime: "tokio_single", messages: m, bytes: 2000 + 40 * m })));
  close(fits[0]!.bytesPerMessage, 40, 1e-9, "bytes per message");
  assert.equal(fits[0]!.spanRatio, 1000);
  assert.equal(fits[0]!.poorFit, false);
  // The generic form takes `count` directly.
  assert.equal(fitPerCount([{ runtime: "r", count: 1, bytes: 1 }, { runtime: "r", count: 2, bytes: 2 }, { runtime: "r", count: 300, bytes: 300 }])[0]!.slope, 1);
});

function jemallocRow(id: string, stat: string, value: number, metric = "jemalloc"): TidyRow {
  return { id, group: id, function: null, param: null, source: `${id}.txt`, format: "jemalloc-text", metric, stat, value, unit: "bytes", lower: null, upper: null, confidence: null, baseline: "new" };
}

test("jemalloc fragmentation from summary rows (hand numbers)", () => {
  const hand = fragmentationOf({ allocated: 800, active: 1000, resident: 1250, retained: 4096 });
  close(hand.internal, 0.2, 1e-12, "1 − 800/1000");
  close(hand.pages, 0.2, 1e-12, "1 − 1000/1250");
  assert.equal(hand.retained_bytes, 4096);
  const rows = [
    jemallocRow("p", "allocated_bytes", 750),
    jemallocRow("p", "active_bytes", 1000),
    jemallocRow("p", "resident_bytes", 4000),
    jemallocRow("p", "retained_bytes", 65536),
    jemallocRow("p", "peak_bytes", 1, "heap"), // another metric: ignored
    jemallocRow("q", "allocated_bytes", 1), // no active/resident: skipped
  ];
  const out = jemallocFragmentation(rows);
  assert.equal(out.length, 1);
  assert.deepEqual(out[0], { id: "p", source: "p.txt", allocated_bytes: 750, active_bytes: 1000, resident_bytes: 4000, internal: 0.25, pages: 0.75, retained_bytes: 65536 });
  assert.deepEqual(fragmentationOf({ allocated: 0, active: 0, resident: 0, retained: null }), { internal: null, pages: null, retained_bytes: null });
});

test("jemalloc fragmentation of a real stats text (StarRocks, jemalloc 5.2.1)", () => {
  const file = "/work/shared/real-inputs/jemalloc/starrocks-memz-jemalloc-5.2.1-text-excerpt.txt";
  const r = jemallocStats(readFileSync(file, "utf8"), { source: "starrocks.txt" });
  const [f] = jemallocFragmentation(r.rows);
  // Line 62: "Allocated: 23549031352, active: 25295286272, ... resident: 26613735424, ... retained: 160729759744"
  assert.equal(f!.allocated_bytes, 23549031352);
  close(f!.internal, 1 - 23549031352 / 25295286272, 1e-12, "internal"); // 0.0690
  close(f!.pages, 1 - 25295286272 / 26613735424, 1e-12, "pages"); // 0.0495
  assert.equal(f!.retained_bytes, 160729759744);
});

test("massif extra-heap / heap over time", () => {
  const row = (index: number, heap: number | null, extra: number | null, tool: MemoryTimelineRow["tool"] = "massif"): MemoryTimelineRow => ({
    id: "m", source: "massif.out", tool, index, t: index * 10, t_unit: "ms", heap_bytes: heap, extra_heap_bytes: extra, stacks_bytes: 0, rss_bytes: null, peak: false,
  });
  const out = heapOverheadTimeline([row(0, 0, 0), row(1, 1000, 100), row(2, 4000, 1000), row(3, null, null), row(4, 10, 10, "rss")]);
  assert.deepEqual(out.map((p) => [p.t, p.ratio]), [[0, null], [10, 0.1], [20, 0.25]]);
});

test("growthVerdict: growing, plateau and inconclusive", () => {
  const times = Array.from({ length: 20 }, (_, i) => i); // 0..19 s
  // Leak: 1 MB + 10 kB/s with a small alternating wiggle: growth over 19 s = 190 kB ≈ 17 % of the mean.
  const leak = growthVerdict(times.map((t) => ({ t, bytes: 1_000_000 + 10_000 * t + (t % 2 === 0 ? 500 : -500) })));
  assert.equal(leak.verdict, "growing");
  close(leak.slopeBytesPerSecond, 10_000, 100, "leak slope");
  assert.ok(leak.lower > 0);
  // Flat with noise: the CI includes 0.
  const flat = growthVerdict(times.map((t) => ({ t, bytes: 1_000_000 + (t % 2 === 0 ? 5000 : -5000) })));
  assert.equal(flat.verdict, "plateau");
  assert.ok(flat.lower <= 0 && flat.upper >= 0);
  // A clear but tiny trend: 10 B/s over 19 s on 1 MB is 0.02 % < 1 %: plateau.
  assert.equal(growthVerdict(times.map((t) => ({ t, bytes: 1_000_000 + 10 * t }))).verdict, "plateau");
  // A clear trend of 3 % over the window: between 1 % and 5 %: inconclusive.
  const mid = growthVerdict(times.map((t) => ({ t, bytes: 1_000_000 + (30_000 / 19) * t })));
  assert.equal(mid.verdict, "inconclusive");
  close(mid.growthFraction, 0.03, 0.001, "3 % growth");
  // Milliseconds (churn's t_ms): the slope is still per second.
  const ms = growthVerdict(times.map((t) => ({ t: t * 1000, bytes: 1_000_000 + 10_000 * t })), { secondsPerT: 0.001 });
  close(ms.slopeBytesPerSecond, 10_000, 1e-6, "per second from ms");
  assert.throws(() => growthVerdict([{ t: 0, bytes: 1 }, { t: 1, bytes: 2 }]), isUsage);
});
