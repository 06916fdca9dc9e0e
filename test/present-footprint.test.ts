import assert from "node:assert/strict";
import { test } from "node:test";
import * as vl from "vega-lite";
import { LitlabError } from "../lib/errors.js";
import { footprintTable, type FootprintBuild } from "../lib/analyze/footprintCompare.js";
import type { Footprint } from "../lib/ingest/footprint/footprint.js";
import { FOOTPRINT_SELECTION, footprintChart, footprintSummary, footprintSummaryRows, formatDelta, formatExactBytes, formatExactDelta } from "../lib/present/footprintChart.js";
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

test("footprintSummary: one row per build, exact bytes (as size -A counts them), deltas with percentages", () => {
  const table = footprintTable(BUILDS);
  const rows = footprintSummaryRows(table);
  assert.deepEqual(rows.map((r) => [r["build"], r["text"], r["textDelta"], r["flash"], r["ramDelta"]]), [["release", 10000, null, 12100, null], ["tracing", 12048, 2048, 14660, 256]]);
  const { markdown, html } = footprintSummary(table);
  const lines = markdown.split("\n");
  assert.equal(lines[0], "**Static footprint; changes against release**");
  assert.equal(lines[2], "| build | target | features | opt-level | text | rodata | data | bss | flash | RAM |");
  // +2048 B of 10000 = +20.48% → +20.5%; 100 B unchanged; flash 14660 B = 14.316 KiB, +2560 B of 12100 = +21.16% → +21.2%;
  // RAM 4356 B = 4.2539 KiB, +256 B of 4100 = +6.244%
  assert.equal(lines[5], "| tracing | thumbv7m-none-eabi | tracing | s | 12,048 B (+2,048 B, +20.5%) | 2,512 B (+512 B, +25.6%) | 100 B (±0) | 4,256 B (+256 B, +6.40%) | 14,660 B (14.32 KiB; +2,560 B, +21.2%) | 4,356 B (4.254 KiB; +256 B, +6.24%) |");
  // the baseline: flash 12100 B = 11.816 KiB, RAM 4100 B = 4.0039 KiB
  assert.equal(lines[4], "| release | thumbv7m-none-eabi | – | s | 10,000 B | 2,000 B | 100 B | 4,000 B | 12,100 B (11.82 KiB) | 4,100 B (4.004 KiB) |");
  assert.match(html, /<caption>Static footprint; changes against release<\/caption>/);
  assert.equal(formatDelta(-20, -0.118), "-20 B, -0.118%");
  assert.equal(formatDelta(0, 0), "±0");
  assert.equal(formatDelta(null, null), "–");
  assert.equal(formatExactBytes(1_234_567), "1,234,567 B");
  assert.equal(formatExactBytes(-1024), "-1,024 B");
  assert.equal(formatExactBytes(999), "999 B");
  assert.equal(formatExactDelta(-20, -0.118), "-20 B, -0.118%");
  assert.equal(formatExactDelta(2048, null), "+2,048 B");
  // a RAM total under 1 KiB has no binary size to add
  const tiny = footprintSummary(footprintTable([{ label: "t", footprint: fp(3_000, 0, 8, 500) }])).markdown.split("\n");
  assert.equal(tiny[4], "| t | 3,000 B | 0 B | 8 B | 500 B | 3,008 B (2.938 KiB) | 508 B |");
});

test("footprintChart: by default two panels, flash and RAM, stacked by part, legend selection, tooltips", () => {
  const spec = footprintChart(footprintTable(BUILDS));
  const enc = spec["encoding"] as Obj;
  assert.deepEqual(enc["column"], { field: "region", type: "nominal", title: null, sort: ["flash", "RAM"] });
  assert.equal(spec["title"], "Flash and RAM by build");
  assert.equal((spec["mark"] as Obj)["type"], "bar");
  assert.deepEqual(enc["x"].sort, ["release", "tracing"]);
  assert.equal(enc["y"].stack, "zero");
  assert.deepEqual(enc["color"].scale.domain, ["text", "rodata", "data", "bss"]);
  assert.equal((spec["params"] as Obj[])[0]!["name"], FOOTPRINT_SELECTION);
  assert.equal((spec["params"] as Obj[])[0]!["bind"], "legend");
  const values = (spec["data"] as Obj)["values"] as Obj[];
  // per build: flash = text, rodata, data; RAM = data, bss
  assert.equal(values.length, 10);
  assert.deepEqual(values.filter((v) => v["build"] === "tracing").map((v) => [v["region"], v["part"], v["bytes"]]),
    [["flash", "text", 12048], ["flash", "rodata", 2512], ["flash", "data", 100], ["RAM", "data", 100], ["RAM", "bss", 4256]]);
  const tracingText = values.find((v) => v["build"] === "tracing" && v["part"] === "text")!;
  // y is in KiB (1024 B): 12048 / 1024 = 11.765625
  assert.equal(tracingText["kib"], 11.765625);
  assert.equal(tracingText["bytesText"], "12,048 B (11.77 KiB)");
  assert.equal(tracingText["deltaText"], "+2,048 B, +20.5%");
  assert.equal(tracingText["flashText"], "14,660 B (14.32 KiB; +2,560 B, +21.2%)");
  assert.ok((enc["tooltip"] as Obj[]).some((t) => t["field"] === "deltaText" && t["title"] === "vs release"));
  assert.equal(enc["y"].field, "kib");
  assert.match(enc["y"].axis.labelExpr, / KiB'/);
  // short labels fit under their 60 px bars flat
  assert.equal(enc["x"].axis.labelAngle, 0);

  const image = footprintChart(footprintTable(BUILDS), { view: "image" });
  assert.equal(((image["data"] as Obj)["values"] as Obj[]).length, 8);
  assert.equal((image["encoding"] as Obj)["column"], undefined);
  assert.equal(image["title"], "Static footprint by build");
});

test("footprintChart: axis ticks in KiB, long build labels angled so they do not overlap", async () => {
  const labels = ["thumbv7m-release", "thumbv7m-release-tracing", "riscv32imac-release", "opt-z"];
  const builds = labels.map((label, i) => ({ label, footprint: fp(10_000 + 1_000 * i, 2_000, 100, 4_000) }));
  const spec = footprintChart(footprintTable(builds));
  assert.deepEqual((spec["encoding"] as Obj)["x"].axis, { labelAngle: -40, labelAlign: "right", labelBaseline: "top", labelLimit: 260 });
  const svg = await renderSvg(spec);
  assert.doesNotMatch(svg, /kB/);
  const axisLabels = [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/gs)].map((m) =>
    [...m[1]!.matchAll(/<text[^>]*transform="translate\(([\d.-]+),([\d.-]+)\)( rotate\((\d+)\))?[^"]*"[^>]*>([^<]*)<\/text>/g)]
      .map((t) => ({ x: Number(t[1]), rotate: t[4] === undefined ? 0 : Number(t[4]), text: t[5]! })));
  // flash panel: x labels, then y ticks; the same for the RAM panel
  const x = axisLabels.filter((a) => a.some((l) => l.text === "opt-z"));
  const y = axisLabels.filter((a) => a.every((l) => / KiB$/.test(l.text)));
  assert.equal(x.length, 2);
  assert.equal(y.length, 2);
  // flash tops out at 10000 + 3000 + 2000 + 100 = 15100 B = 14.75 KiB: ticks 0, 2, ..., 16 KiB
  assert.deepEqual(y[0]!.map((l) => l.text), ["0 KiB", "2 KiB", "4 KiB", "6 KiB", "8 KiB", "10 KiB", "12 KiB", "14 KiB", "16 KiB"]);
  for (const panel of x) {
    assert.deepEqual(panel.map((l) => l.text), labels); // whole names (under the 260 px limit)
    // rotated by 320° = -40°: parallel lines of text 60 px apart horizontally are 60 · sin 40° ≈ 38.6 px apart, > 10 px font
    assert.ok(panel.every((l) => l.rotate === 320));
    for (let i = 1; i < panel.length; i++) assert.ok((panel[i]!.x - panel[i - 1]!.x) * Math.sin((40 * Math.PI) / 180) > 12);
  }
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
