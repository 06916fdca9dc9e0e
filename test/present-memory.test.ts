import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { memoryPerActor } from "../lib/analyze/memoryPerActor.js";
import type { AllocationSiteRow, MemoryTimelineRow } from "../lib/ingest/memoryRows.js";
import { massifProfile } from "../lib/ingest/memory/massif.js";
import { dhatProfile } from "../lib/ingest/memory/dhat.js";
import { fragmentationSpec, heapTimelineSpec, memoryPerActorSpec } from "../lib/present/memoryCharts.js";
import { abbreviateSite, allocationSitesTable, formatBytes, memoryFitTable } from "../lib/present/memoryTables.js";
import { RUNTIME_SELECTION, VEGA_LITE_SCHEMA, type VegaLiteSpec } from "../lib/present/runtimeChart.js";
import { renderSvg } from "../lib/present/svg.js";

type Obj = Record<string, any>;
const REAL = "/work/shared/real-inputs";
const layers = (spec: VegaLiteSpec): Obj[] => ((spec["layer"] ?? (spec["spec"] as Obj)["layer"]) as Obj[]);
const valuesOf = (layer: Obj): Obj[] => layer["data"].values as Obj[];

/** Paths inside data-mark groups of one mark type (not legend symbols): one per plotted point/bar. */
function countMarks(svg: string, mark: "symbol" | "rect"): number {
  let n = 0;
  const re = new RegExp(`<g class="mark-${mark} role-mark[^"]*"[^>]*>(.*?)</g>`, "gs");
  for (const m of svg.matchAll(re)) n += (m[1]!.match(/<path/g) ?? []).length;
  return n;
}

/** Hand-built fits: bytes = 10000 + 300·N (tokio) and 50000 + 72·N (std). */
const HAND_FITS = [
  { runtime: "tokio", method: "dhat-peak", bytesPerActor: 300, intercept: 10000, lower: 290, upper: 310, r2: 0.999, poorFit: false },
  { runtime: "std", method: "dhat-peak", bytesPerActor: 72, intercept: 50000, lower: null, upper: null, r2: 0.97, poorFit: true },
];
const NS = [100, 1000, 10000];
const HAND_POINTS = [
  ...NS.map((actors) => ({ runtime: "tokio", method: "dhat-peak", actors, bytes: 10000 + 300 * actors })),
  ...NS.map((actors) => ({ runtime: "std", method: "dhat-peak", actors, bytes: 50000 + 72 * actors })),
];
const STAKKER = { label: "Stakker empty actor (72 B)", bytesPerActor: 72, source: "https://uazu.github.io/stakker/d-overh.html" };

test("formatBytes: binary prefixes, whole bytes below 1 KiB", () => {
  assert.equal(formatBytes(72), "72 B");
  assert.equal(formatBytes(2616), "2.555 KiB"); // Erlang process, 2616 / 1024 = 2.5547
  assert.equal(formatBytes(1536), "1.500 KiB");
  assert.equal(formatBytes(3 * 1024 ** 2), "3.000 MiB");
  assert.equal(formatBytes(1024 * 1024 - 1), "1.000 MiB"); // 1023.999 KiB rounds up a unit
  assert.equal(formatBytes(null), "–");
});

test("memoryPerActorSpec: linear scale draws each fit as its two endpoints from intercept + slope·N", () => {
  const spec = memoryPerActorSpec(HAND_POINTS, HAND_FITS, [STAKKER], { logScale: false, title: "T" });
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec, "plain JSON");
  assert.equal(spec["$schema"], VEGA_LITE_SCHEMA);
  assert.equal(spec["title"], "T");
  const [ref, refLabel, fitLine, points] = layers(spec);
  // tokio: 10000 + 300·100 = 40000, 10000 + 300·10000 = 3010000; std: 50000 + 72·100 = 57200, 50000 + 72·10000 = 770000
  assert.deepEqual(valuesOf(fitLine!).map((v) => [v["runtime"], v["actors"], v["bytes"]]),
    [["tokio", 100, 40000], ["tokio", 10000, 3010000], ["std", 100, 57200], ["std", 10000, 770000]]);
  assert.equal(valuesOf(fitLine!)[0]!["perActorText"], "300 B [290 B – 310 B]");
  assert.equal(valuesOf(fitLine!)[2]!["perActorText"], "72 B (poor fit)");
  // reference through the origin: 72·100 = 7200, 72·10000 = 720000; dashed, labelled once at the right end
  assert.deepEqual(valuesOf(ref!).map((v) => [v["actors"], v["bytes"]]), [[100, 7200], [10000, 720000]]);
  assert.ok(Array.isArray(ref!["mark"].strokeDash));
  assert.deepEqual(valuesOf(refLabel!).map((v) => v["label"]), ["Stakker empty actor (72 B)"]);
  assert.equal(points!["mark"].type, "point");
  assert.equal(valuesOf(points!).length, 6);
  assert.equal(valuesOf(points!)[0]!["bytesText"], "39.06 KiB"); // 40000 / 1024
  assert.deepEqual(points!["params"], [{ name: RUNTIME_SELECTION, select: { type: "point", fields: ["runtime"] }, bind: "legend" }]);
  assert.equal(points!["encoding"].color.field, "runtime");
  assert.equal(points!["encoding"].shape.field, "method");
  assert.equal(fitLine!["encoding"].opacity.condition.param, RUNTIME_SELECTION);
  assert.deepEqual((points!["encoding"].tooltip as Obj[]).map((t) => t["title"]), ["runtime", "method", "N", "bytes", "bytes/actor (95% CI)", "R²"]);
  assert.equal(points!["encoding"].x.scale.type, undefined);
});

test("memoryPerActorSpec: log-log by default, fit sampled between the same endpoints; fits from memoryPerActor()", () => {
  const spec = memoryPerActorSpec(HAND_POINTS, HAND_FITS, [STAKKER]);
  const [, , fitLine, points] = layers(spec);
  assert.equal(points!["encoding"].x.scale.type, "log");
  assert.equal(points!["encoding"].y.scale.type, "log");
  // y ticks at powers of 4 spanning the smallest plotted bytes (Stakker 72·100 = 7200) to the largest (3010000)
  assert.deepEqual(points!["encoding"].y.axis.values, [4096, 16384, 65536, 262144, 1048576, 4194304]);
  assert.deepEqual(points!["encoding"].x.axis.values, [100, 1000, 10000]);
  const tokio = valuesOf(fitLine!).filter((v) => v["runtime"] === "tokio");
  assert.equal(tokio.length, 24);
  assert.deepEqual([tokio[0]!["actors"], tokio[0]!["bytes"]], [100, 40000]);
  assert.deepEqual([tokio.at(-1)!["actors"], tokio.at(-1)!["bytes"]], [10000, 3010000]);
  for (const v of tokio) assert.ok(Math.abs(v["bytes"] - (10000 + 300 * v["actors"])) < 1e-6);

  // Real fit output: 4 exact points bytes = 2000 + 128·N give slope 128, intercept 2000.
  const sweep = [10, 100, 1000, 10000].map((actors) => ({ runtime: "lit-bit", actors, bytes: 2000 + 128 * actors, method: "jemalloc-allocated" }));
  const fits = memoryPerActor(sweep);
  const line = valuesOf(layers(memoryPerActorSpec(sweep, fits, [], { logScale: false }))[2]!);
  assert.equal(line.length, 2);
  assert.ok(Math.abs(line[0]!["bytes"] - 3280) < 1e-6); // 2000 + 128·10
  assert.ok(Math.abs(line[1]!["bytes"] - 1282000) < 1e-6); // 2000 + 128·10000
});

test("memoryPerActorSpec: reference figures from data/reference/actor-memory.json", () => {
  const refs = (JSON.parse(readFileSync("data/reference/actor-memory.json", "utf8")) as { lines: { label: string; bytesPerActor: number }[] }).lines;
  const spec = memoryPerActorSpec(HAND_POINTS, HAND_FITS, refs);
  const ref = valuesOf(layers(spec)[0]!);
  assert.equal(ref.length, 8); // 4 lines × 2 endpoints
  const erlang = ref.filter((v) => v["label"] === "Erlang process (327 words)");
  assert.deepEqual(erlang.map((v) => v["bytes"]), [261600, 26160000]); // 2616 B × 100 and × 10000
  assert.equal(erlang[0]!["perActorText"], "2.555 KiB");
});

test("renderSvg: memory-per-actor chart has one symbol per point", async () => {
  const svg = await renderSvg(memoryPerActorSpec(HAND_POINTS, HAND_FITS, [STAKKER]));
  assert.match(svg, /^<svg /);
  assert.equal(countMarks(svg, "symbol"), 6);
  assert.match(svg, />Stakker empty actor \(72 B\)</);
  assert.match(svg, />tokio</);
  const linear = await renderSvg(memoryPerActorSpec(HAND_POINTS, HAND_FITS, [], { logScale: false }));
  assert.equal(countMarks(linear, "symbol"), 6);
});

/** msparser-massif.out.0: 17 snapshots, time_unit ms; snapshot 16 is the peak (heap 32000, extra 120, stacks 0, t=185). */
function massifTimeline(): MemoryTimelineRow[] {
  return massifProfile(readFileSync(`${REAL}/massif/msparser-massif.out.0`, "utf8"), { source: "msparser-massif.out.0" }).timeline;
}

test("heapTimelineSpec: one massif file: stacked heap series, peak marked at the massif peak snapshot", async () => {
  const timeline = massifTimeline();
  assert.equal(timeline.length, 17);
  const spec = heapTimelineSpec(timeline);
  assert.equal(spec["facet"], undefined);
  const [area, rss, rule, peak] = layers(spec);
  assert.equal(area!["mark"].type, "area");
  assert.equal(area!["encoding"].y.stack, "zero");
  assert.equal(rss!["mark"].type, "line");
  assert.equal(rule!["mark"].type, "rule");
  assert.equal(peak!["transform"][0].filter, "datum.series === 'peak'");
  const values = (spec["data"] as Obj)["values"] as Obj[];
  const peaks = values.filter((v) => v["series"] === "peak");
  assert.deepEqual(peaks.map((p) => [p["t"], p["bytes"], p["totalText"]]), [[185, 32120, "31.37 KiB"]]); // 32000 + 120
  assert.equal(values.length, 17 * 3 + 1); // heap, extra-heap, stacks per snapshot, the peak; no rss
  assert.equal(area!["encoding"].x.title, "time (ms)");
  const svg = await renderSvg(spec);
  assert.equal(countMarks(svg, "symbol"), 1);
});

test("heapTimelineSpec: massif + rss sampler facet into panels; rss peak is its largest sample", async () => {
  // RSS samples by hand: 3 samples, max 9 MiB at t=20
  const rssRows: MemoryTimelineRow[] = [[0, 4], [20, 9], [40, 7]].map(([t, mib], index) => ({
    id: "lit-bit", source: "rss.csv", tool: "rss", index, t: t!, t_unit: "ms",
    heap_bytes: null, extra_heap_bytes: null, stacks_bytes: null, rss_bytes: mib! * 1024 ** 2, peak: false,
  }));
  const spec = heapTimelineSpec([...massifTimeline(), ...rssRows]);
  assert.deepEqual((spec["facet"] as Obj)["row"].sort, ["./a.out · massif · time (ms)", "lit-bit · rss · time (ms)"]);
  const peaks = ((spec["data"] as Obj)["values"] as Obj[]).filter((v) => v["series"] === "peak");
  assert.deepEqual(peaks.map((p) => [p["t"], p["bytes"]]), [[185, 32120], [20, 9 * 1024 ** 2]]);
  assert.equal(peaks[1]!["totalText"], "9.000 MiB");
  const svg = await renderSvg(spec);
  assert.equal(countMarks(svg, "symbol"), 2);
});

test("fragmentationSpec: grouped bars per id, null figures left out", async () => {
  const rows = [
    { id: "tokio/1000", internal: 0.125, pages: 0.25 },
    { id: "std/1000", internal: 0.05, pages: null },
    { id: "lit-bit/1000", internal: 0.2, pages: 0.01 },
  ];
  const spec = fragmentationSpec(rows);
  const values = (spec["data"] as Obj)["values"] as Obj[];
  assert.equal(values.length, 5);
  assert.deepEqual(values[0], { id: "tokio/1000", kind: "internal", fraction: 0.125, percentText: "12.50%" });
  assert.equal((spec["encoding"] as Obj)["xOffset"].field, "kind");
  const svg = await renderSvg(spec);
  assert.equal(countMarks(svg, "rect"), 5);
});

const HOSTILE: AllocationSiteRow = {
  id: "evil", source: "dhat.json", tool: "dhat",
  frames: ["0x1: malloc (in vgpreload_dhat.so)", "0x2: <script>alert(1)</script> (x.rs:1)", "0x3: main (main.rs:2)"],
  site: "", total_bytes: 3 * 1024 ** 2, total_blocks: 12, peak_bytes: 2048, end_bytes: 0, avg_lifetime: 1500.4, lifetime_unit: "instrs",
};

test("allocationSitesTable: escapes hostile frames, humanizes bytes, skips allocator plumbing", () => {
  const { html, markdown } = allocationSitesTable([HOSTILE]);
  assert.ok(!html.includes("<script>"));
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; \(x\.rs:1\) ← main \(main\.rs:2\)/);
  assert.ok(!html.includes("malloc"), "malloc is plumbing");
  assert.match(html, />3\.000 MiB</);
  assert.match(html, />2\.000 KiB</);
  assert.match(html, />0 B</);
  assert.match(html, />1500 instrs</);
  assert.ok(!markdown.includes("<script>"));
  assert.match(markdown, /\\<script\\>/);
  assert.match(markdown, /\| 3\.000 MiB \| 12 \| 2\.000 KiB \| 0 B \| 1500 instrs \|/);
});

test("allocationSitesTable: real dhat-rs file, top 2 by total bytes, Rust alloc frames skipped, µs lifetimes", () => {
  const { sites } = dhatProfile(readFileSync(`${REAL}/dhat/yt-dhat-example-rust-heap.json`, "utf8"), { source: "yt.json" });
  assert.ok(sites.length > 2);
  const { markdown } = allocationSitesTable(sites, { top: 2 });
  const body = markdown.split("\n").slice(4); // caption, blank line, header, rule
  assert.equal(body.length, 2);
  // the 1024-byte BufWriter site (tb 1024, tl/tbk 26 µs): first frame past alloc::raw_vec / alloc::vec
  assert.match(body[0]!, /^\| std::io::buffered::bufwriter::BufWriter\\<W\\>::with_capacity/);
  assert.match(body[0]!, /\| 1\.000 KiB \| 1 \| 1\.000 KiB \| 1\.000 KiB \| 26\.00 µs \|$/);
  assert.match(markdown, new RegExp(`top 2 of ${sites.length} allocation sites`));
  assert.equal(abbreviateSite(sites.find((s) => s.total_bytes === 13)!.frames), "yt_dhat_example::main (yt-dhat-example/src/main.rs:9:16)");
});

test("memoryFitTable: bytes/actor with CI, R², n, span, poor-fit reasons", () => {
  const fits = memoryPerActor([
    ...[10, 100, 1000, 10000].map((actors) => ({ runtime: "lit-bit", actors, bytes: 2000 + 128 * actors, method: "dhat-peak" })),
    ...[10, 20].map((actors) => ({ runtime: "<b>tokio</b>", actors, bytes: 1000 * actors, method: "dhat-peak" })),
  ]);
  const { html, markdown } = memoryFitTable(fits);
  assert.match(markdown, /\| lit-bit \| dhat-peak \| 128 B \[128 B – 128 B\] \| 1\.0000 \| 4 \| 1000× \|  \|/);
  assert.match(markdown, /2 points \(at least 4 wanted\); counts span 2× \(at least 100× wanted\); too few points/);
  assert.ok(!html.includes("<b>"));
  assert.match(html, /&lt;b&gt;tokio&lt;\/b&gt;/);
});
