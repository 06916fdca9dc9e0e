import { test } from "node:test";
import assert from "node:assert/strict";
import type { TidyRow } from "../lib/ingest/rows.js";
import { rowsTable } from "../lib/analyze/rowsTable.js";
import { runtimeComparison } from "../lib/analyze/runtimeComparison.js";
import { RUNTIME_SELECTION, runtimeComparisonSpec, VEGA_LITE_SCHEMA, type VegaLiteSpec } from "../lib/present/runtimeChart.js";
import { renderSvg } from "../lib/present/svg.js";
import { chartBundle, tableBundle } from "../lib/present/bundle.js";

const RUNTIMES = ["tokio_single", "tokio_multi", "async_std", "std_thread"];
const SIZES = [10, 100, 1000, 10000];

/** 4 runtimes × 4 batch sizes of one group: 16 points, ±5% CIs. */
function sixteen(group = "message_throughput"): TidyRow[] {
  return RUNTIMES.flatMap((rt, i) => SIZES.map((n): TidyRow => {
    const id = `${group}/${rt}/${n}`;
    const value = n * (50 + 10 * i);
    return {
      id, group, function: rt, param: String(n), source: `${id}/new/estimates.json`, format: "criterion-json", metric: "time",
      stat: "typical", value, unit: "ns", lower: value * 0.95, upper: value * 1.05, confidence: 0.95, baseline: "new",
    };
  }));
}

type Obj = Record<string, any>;
const layers = (spec: VegaLiteSpec): Obj[] => ((spec["layer"] ?? (spec["spec"] as Obj)["layer"]) as Obj[]);

/** Symbol paths of the data marks (not legend symbols): one per plotted point. */
function countPoints(svg: string): number {
  let n = 0;
  for (const m of svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)) n += (m[1]!.match(/<path/g) ?? []).length;
  return n;
}

test("spec: plain JSON with inlined values, error bars from lower/upper, legend-bound selection", () => {
  const spec = runtimeComparisonSpec(runtimeComparison(rowsTable(sixteen())));
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec, "spec survives JSON round trip unchanged");
  assert.equal(spec["$schema"], VEGA_LITE_SCHEMA);
  assert.equal(spec["title"], "message_throughput: time per iteration by runtime");
  const values = (spec["data"] as Obj)["values"] as Obj[];
  assert.equal(values.length, 16);
  assert.equal(values[0]!["id"], "message_throughput/async_std/10"); // sorted by size, then runtime
  assert.equal(values[0]!["valueText"], "700.0 ns");
  assert.equal(values[0]!["ciText"], "[665.0 ns – 735.0 ns]");

  const [line, errorbar, point] = layers(spec);
  assert.equal(line!["mark"].type, "line");
  assert.equal(errorbar!["mark"].type, "errorbar");
  assert.equal(errorbar!["encoding"].y.field, "lower");
  assert.equal(errorbar!["encoding"].y2.field, "upper");
  assert.equal(point!["mark"].type, "point");
  assert.equal(point!["encoding"].x.field, "size");
  assert.equal(point!["encoding"].y.field, "value");
  assert.equal(point!["encoding"].color.field, "runtime");
  assert.deepEqual(point!["params"], [{ name: RUNTIME_SELECTION, select: { type: "point", fields: ["runtime"] }, bind: "legend" }]);
  for (const l of layers(spec)) assert.equal(l["encoding"].opacity.condition.param, RUNTIME_SELECTION);
  assert.deepEqual((point!["encoding"].tooltip as Obj[]).map((t) => t["field"]), ["runtime", "size", "valueText", "ciText", "id"]);
  assert.equal(point!["encoding"].y.scale.type, undefined, "linear y by default");
  assert.equal(point!["encoding"].x.scale.type, "log", "sizes spanning 10…10000 get a log x by default");
});

test("spec: logScale puts y (and x) on log scales; several groups facet by column", () => {
  const log = runtimeComparisonSpec(runtimeComparison(rowsTable(sixteen())), { logScale: true, title: "T", width: 300 });
  for (const l of layers(log)) {
    assert.equal(l["encoding"].y.scale.type, "log");
    assert.equal(l["encoding"].x.scale.type, "log");
  }
  assert.equal(log["title"], "T");
  assert.equal(log["width"], 300);
  const linearX = runtimeComparisonSpec(runtimeComparison(rowsTable(sixteen())), { logX: false });
  assert.equal(layers(linearX)[2]!["encoding"].x.scale.type, undefined);

  const two = runtimeComparisonSpec(runtimeComparison(rowsTable([...sixteen(), ...sixteen("pingpong")])));
  assert.deepEqual(two["facet"], { column: { field: "group", type: "nominal", title: null, sort: ["message_throughput", "pingpong"] } });
  assert.equal(layers(two).length, 3);
  assert.equal(((two["data"] as Obj)["values"] as Obj[]).length, 32);
});

test("spec: non-numeric params fall back to an ordinal x on param", () => {
  const rows = sixteen().slice(0, 2).map((r, i) => ({ ...r, param: i === 0 ? "8KiB" : "64KiB" }));
  const spec = runtimeComparisonSpec(runtimeComparison(rowsTable(rows)));
  assert.deepEqual(layers(spec)[2]!["encoding"].x, { field: "param", type: "ordinal", title: "parameter", axis: { labelAngle: 0 }, sort: ["64KiB", "8KiB"] });
});

test("renderSvg: an <svg> with one symbol per point and the runtime names as text", async (t) => {
  const spec = runtimeComparisonSpec(runtimeComparison(rowsTable(sixteen())), { logScale: true });
  await renderSvg(spec); // warm the module cache so the timing below is the render alone
  const t0 = performance.now();
  const svg = await renderSvg(spec);
  const ms = performance.now() - t0;
  t.diagnostic(`16-point chart: ${svg.length} bytes of SVG in ${ms.toFixed(0)} ms`);
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal(countPoints(svg), 16);
  for (const rt of RUNTIMES) assert.match(svg, new RegExp(`<text[^>]*>${rt}</text>`));
  assert.match(svg, />message_throughput: time per iteration by runtime</);
  assert.match(svg, />1 ms</, "y axis labels are humanized");
  // The error bars: one rule per point with a CI.
  const rules = [...svg.matchAll(/<g class="mark-rule role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)].map((m) => (m[1]!.match(/<line/g) ?? []).length);
  assert.deepEqual(rules, [16]);
});

test("renderSvg turns a broken spec into a LitlabError", async () => {
  await assert.rejects(renderSvg({ mark: "nonsense-mark", data: { values: [] } }), (e: Error) => e.name === "LitlabError" && /could not render the chart/.test(e.message));
});

test("chartBundle has the Vega-Lite spec as an object, the SVG, and a text line", async () => {
  const spec = runtimeComparisonSpec(runtimeComparison(rowsTable(sixteen())));
  const bundle = await chartBundle(spec);
  assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
  assert.equal(typeof bundle["application/vnd.vegalite.v5+json"], "object");
  assert.equal(bundle["application/vnd.vegalite.v5+json"], spec);
  assert.match(bundle["image/svg+xml"] as string, /^<svg /);
  assert.equal(bundle["text/plain"], "<Chart: message_throughput: time per iteration by runtime — 16 points>");
  assert.deepEqual(tableBundle("<table></table>", "| a |"), { "text/html": "<table></table>", "text/markdown": "| a |", "text/plain": "| a |" });
});

test("spec: a single size is a category on x, with the caller's axis title", () => {
  const rows = ["tokio_single", "std_thread"].map((runtime, i) => ({ group: "pingpong", runtime, param: "100", size: 100, value: 1000 * (i + 1), lower: 900, upper: 1100 * (i + 1), unit: "ns", id: `pingpong/${runtime}/100` }));
  const spec = runtimeComparisonSpec(rows, { xTitle: "round trips" });
  const x = (spec["layer"] as { encoding: Record<string, unknown> }[])[2]!.encoding["x"] as Record<string, unknown>;
  assert.equal(x["type"], "ordinal");
  assert.equal(x["field"], "param");
  assert.equal(x["title"], "round trips");
});
