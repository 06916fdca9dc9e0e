import assert from "node:assert/strict";
import { test } from "node:test";
import * as vl from "vega-lite";
import { LitlabError } from "../lib/errors.js";
import { footprintTable, type FootprintBuild } from "../lib/analyze/footprintCompare.js";
import type { Footprint } from "../lib/ingest/footprint/footprint.js";
import { FOOTPRINT_SELECTION, footprintChart, footprintSummary, footprintSummaryRows, formatDelta } from "../lib/present/footprintChart.js";
import type { VegaLiteSpec } from "../lib/present/runtimeChart.js";
import { renderSvg } from "../lib/present/svg.js";

type Obj = Record<string, any>;

const fp = (text: number, rodata: number, data: number, bss: number): Footprint => ({
  text, rodata, data, bss, flash: text + rodata + data, ram: data + bss, sections: [],
});

/** Two hand-made builds: `tracing` adds 2048 B of code, 512 B of strings and 256 B of buffers to `release`. */
const BUILDS: FootprintBuild[] = [
  { label: "release", target: "thumbv7m-none-eabi", opt: "s", footprint: fp(10_000, 2_000, 100, 4_000) },
  { label: "tracing", target: "thumbv7m-none-eabi", opt: "s", features: "tracing", footprint: fp(12_048, 2_512, 100, 4_256) },
];

/** Paths inside data-mark groups of one mark type (not legend symbols): one per bar segment. */
function countRects(svg: string): number {
  let n = 0;
  for (const m of svg.matchAll(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)) n += (m[1]!.match(/<path/g) ?? []).length;
  return n;
}

test("footprintTable: one row per build × part, deltas against the first build", () => {
  const rows = footprintTable(BUILDS).objects() as Obj[];
  assert.equal(rows.length, 8);
  const tracing = rows.filter((r) => r["build"] === "tracing");
  assert.deepEqual(tracing.map((r) => [r["part"], r["bytes"], r["delta"]]), [["text", 12048, 2048], ["rodata", 2512, 512], ["data", 100, 0], ["bss", 4256, 256]]);
  // 2048 / 10000 = 20.48 %, 512 / 2000 = 25.6 %, 256 / 4000 = 6.4 %
  assert.deepEqual(tracing.map((r) => r["deltaPct"]), [20.48, 25.6, 0, 6.4]);
  // flash 12100 → 14660 (+2560, +21.157...%), RAM 4100 → 4356 (+256, +6.2439...%)
  assert.deepEqual([tracing[0]!["flash"], tracing[0]!["flashDelta"], tracing[0]!["ram"], tracing[0]!["ramDelta"]], [14660, 2560, 4356, 256]);
  assert.ok(Math.abs(tracing[0]!["flashDeltaPct"] - (2560 / 12100) * 100) < 1e-12);
  assert.equal(tracing[0]!["features"], "tracing");
  assert.ok(rows.filter((r) => r["build"] === "release").every((r) => r["delta"] === null && r["deltaPct"] === null && r["baseline"] === "release"));
});

test("footprintTable: a named baseline, a zero baseline part, bad options", () => {
  const three = [...BUILDS, { label: "minimal", footprint: fp(8_000, 1_000, 0, 4_000) }];
  const rows = footprintTable(three, { baseline: "minimal" }).objects() as Obj[];
  const release = rows.filter((r) => r["build"] === "release");
  assert.deepEqual(release.map((r) => r["delta"]), [2000, 1000, 100, 0]);
  assert.deepEqual(release.map((r) => r["deltaPct"]), [25, 100, null, 0]); // data: 0 → 100 has no percentage
  assert.throws(() => footprintTable(BUILDS, { baseline: "debug" }), (e: unknown) => e instanceof LitlabError && /baseline build "debug" is not one of the builds \(release, tracing\)/.test(e.message));
  assert.throws(() => footprintTable([BUILDS[0]!, BUILDS[0]!]), /two builds are both labelled "release"/);
  assert.throws(() => footprintTable([]), LitlabError);
});

test("footprintSummary: one row per build, bytes humanized, deltas with percentages", () => {
  const table = footprintTable(BUILDS);
  const rows = footprintSummaryRows(table);
  assert.deepEqual(rows.map((r) => [r["build"], r["text"], r["textDelta"], r["flash"], r["ramDelta"]]), [["release", 10000, null, 12100, null], ["tracing", 12048, 2048, 14660, 256]]);
  const { markdown, html } = footprintSummary(table);
  const lines = markdown.split("\n");
  assert.equal(lines[0], "**Static footprint; changes against release**");
  assert.equal(lines[2], "| build | target | features | opt-level | text | rodata | data | bss | flash | RAM |");
  // 12048 B = 11.77 KiB, +2048 B = +2.000 KiB, +20.48% → +20.5%; 100 B unchanged; flash 14660 B = 14.32 KiB, +2560 B = +2.500 KiB, +21.16% → +21.2%
  assert.equal(lines[5], "| tracing | thumbv7m-none-eabi | tracing | s | 11.77 KiB (+2.000 KiB, +20.5%) | 2.453 KiB (+512 B, +25.6%) | 100 B (±0) | 4.156 KiB (+256 B, +6.40%) | 14.32 KiB (+2.500 KiB, +21.2%) | 4.254 KiB (+256 B, +6.24%) |");
  assert.match(lines[4]!, /^\| release \| thumbv7m-none-eabi \| – \| s \| 9\.766 KiB \|/);
  assert.match(html, /<caption>Static footprint; changes against release<\/caption>/);
  assert.equal(formatDelta(-20, -0.118), "-20 B, -0.118%");
  assert.equal(formatDelta(0, 0), "±0");
  assert.equal(formatDelta(null, null), "–");
});

test("footprintChart: stacked bars per build coloured by part, legend selection, tooltips", () => {
  const spec = footprintChart(footprintTable(BUILDS));
  const enc = spec["encoding"] as Obj;
  assert.equal((spec["mark"] as Obj)["type"], "bar");
  assert.deepEqual(enc["x"].sort, ["release", "tracing"]);
  assert.equal(enc["y"].stack, "zero");
  assert.deepEqual(enc["color"].scale.domain, ["text", "rodata", "data", "bss"]);
  assert.equal((spec["params"] as Obj[])[0]!["name"], FOOTPRINT_SELECTION);
  assert.equal((spec["params"] as Obj[])[0]!["bind"], "legend");
  const values = (spec["data"] as Obj)["values"] as Obj[];
  assert.equal(values.length, 8);
  const tracingText = values.find((v) => v["build"] === "tracing" && v["part"] === "text")!;
  assert.equal(tracingText["bytesText"], "11.77 KiB");
  assert.equal(tracingText["deltaText"], "+2.000 KiB, +20.5%");
  assert.equal(tracingText["flashText"], "14.32 KiB (+2.500 KiB, +21.2%)");
  assert.ok((enc["tooltip"] as Obj[]).some((t) => t["field"] === "deltaText" && t["title"] === "vs release"));
  assert.equal(spec["title"], "Static footprint by build");
});

test("footprintChart: compiles with vega-lite and renders to SVG, one rect per build × part", async () => {
  for (const view of ["image", "region"] as const) {
    const spec: VegaLiteSpec = footprintChart(footprintTable(BUILDS), { view });
    const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
    assert.ok(compiled.marks && compiled.marks.length > 0);
    const svg = await renderSvg(spec);
    assert.match(svg, /^<svg /);
    // image: 2 builds × 4 parts; region: flash (text, rodata, data) + RAM (data, bss) = 5 per build
    assert.equal(countRects(svg), view === "image" ? 8 : 10);
    assert.match(svg, />tracing</);
    assert.match(svg, view === "image" ? />Static footprint by build</ : />Flash and RAM by build</);
  }
});
