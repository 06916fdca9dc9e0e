/**
 * Vega-Lite specs for device results (issue 5), in the style of runtimeChart.ts: plain JSON with values inlined.
 *
 * - deviceVsHostSpec: host ns/op and device ticks/op per benchmark, in two panels with their own axes (a tick is not a
 *   nanosecond), each panel titled with what its number is (`ticks per op (device, QEMU icount ticks, emulated: not
 *   silicon timing)`), bars coloured by runtime, the legend selects runtimes.
 * - latencyDistributionSpec: the distribution of per-event latency samples from the device (a histogram), with the
 *   p50 / p99 / max marked, one panel per latency benchmark.
 */
import type { ColumnTable } from "arquero";
import { clockDescription } from "../analyze/deviceVsHost.js";
import { formatValue } from "./humanize.js";
import { RUNTIME_SELECTION, VEGA_LITE_SCHEMA, type JsonValue, type VegaLiteSpec } from "./runtimeChart.js";

type Datum = { [key: string]: JsonValue };

export interface DeviceChartOptions {
  title?: string;
  width?: number;
  height?: number;
  /** Only benchmarks both sides measured (default false: everything, unpaired ones too). */
  pairedOnly?: boolean;
}

const objectsOf = (data: ColumnTable | readonly object[]): Record<string, unknown>[] =>
  (typeof (data as Partial<ColumnTable>).objects === "function" ? (data as ColumnTable).objects() : data) as Record<string, unknown>[];

const json = (v: unknown): JsonValue => (v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? null : (v as JsonValue));

/** Ticks are counts: shown whole with thousands separators; host values go through the usual time formatting. */
export function formatPerOp(value: number, unit: string): string {
  if (unit === "ticks") return `${Math.round(value).toLocaleString("en-US")} ticks`;
  return formatValue(value, unit);
}

/** `deviceVsHost()` output → two panels (host, device), benchmarks down, time per op across, one bar per runtime. */
export function deviceVsHostSpec(data: ColumnTable | readonly object[], options: DeviceChartOptions = {}): VegaLiteSpec {
  const rows = objectsOf(data).filter((o) => !options.pairedOnly || o["paired"] === true);
  const values: Datum[] = rows.map((o) => {
    const d: Datum = {};
    for (const [k, v] of Object.entries(o)) d[k] = json(v);
    d["valueText"] = formatPerOp(Number(o["value"]), String(o["unit"] ?? ""));
    return d;
  });
  const benchmarks = [...new Set(values.map((v) => String(v["benchmark"])))];
  const runtimes = [...new Set(values.map((v) => String(v["runtime"])))].sort();
  // host panel first, then one device panel per clock (an icount run next to a silicon run must not share an axis)
  const measures = [...new Set(values.map((v) => String(v["measure"])))].sort((a, b) => (a.includes("(host") ? -1 : b.includes("(host") ? 1 : a < b ? -1 : 1));
  const opacity: Datum = { condition: { param: RUNTIME_SELECTION, value: 1 }, value: 0.15 };
  const tooltip: JsonValue[] = [
    { field: "benchmark", type: "nominal", title: "benchmark" },
    { field: "runtime", type: "nominal", title: "runtime" },
    { field: "valueText", type: "nominal", title: "per op" },
    { field: "measure", type: "nominal", title: "measured as" },
    { field: "id", type: "nominal", title: "id" },
  ];
  const spec: VegaLiteSpec = {
    width: options.width ?? 360,
    height: { step: 14 },
    params: [{ name: RUNTIME_SELECTION, select: { type: "point", fields: ["runtime"] }, bind: "legend" }],
    mark: { type: "bar" },
    encoding: {
      y: { field: "benchmark", type: "nominal", title: null, sort: benchmarks },
      yOffset: { field: "runtime", type: "nominal", sort: runtimes },
      x: { field: "value", type: "quantitative", title: "per operation", axis: { format: "~s" } },
      color: { field: "runtime", type: "nominal", title: "runtime", sort: runtimes },
      opacity,
      tooltip,
    },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "host vs device, time per operation (separate axes: a tick is not a nanosecond)",
    data: { values },
    facet: { row: { field: "measure", type: "nominal", title: null, sort: measures, header: { labelAngle: 0, labelAlign: "left", labelAnchor: "start", labelOrient: "top", labelFontWeight: "bold" } } },
    spec,
    resolve: { scale: { x: "independent", y: "independent" } },
  };
}

export interface LatencySampleLike {
  id: string;
  ticks: number;
  clock?: string | null;
}

/** Nearest-rank percentile (the value at rank ceil(p·n)): always one of the measured samples. */
function nearestRank(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** Device latency samples → a histogram per latency benchmark, with p50, p99 and max as labelled rules. */
export function latencyDistributionSpec(samples: readonly LatencySampleLike[], options: DeviceChartOptions = {}): VegaLiteSpec {
  const usable = samples.filter((s) => Number.isFinite(s.ticks));
  const ids = [...new Set(usable.map((s) => s.id))];
  const clocks = [...new Set(usable.map((s) => s.clock ?? "ticks"))];
  const values: Datum[] = usable.map((s) => ({ id: s.id, ticks: s.ticks }));
  const marks: Datum[] = [];
  for (const id of ids) {
    const sorted = usable.filter((s) => s.id === id).map((s) => s.ticks).sort((a, b) => a - b);
    for (const [label, v] of [["p50", nearestRank(sorted, 0.5)], ["p99", nearestRank(sorted, 0.99)], ["max", sorted[sorted.length - 1]!]] as const) {
      marks.push({ id, label, ticks: v, text: `${label} ${v.toLocaleString("en-US")}` });
    }
  }
  const clockText = clocks.map(clockDescription).join(", ");
  const x: Datum = { field: "ticks", type: "quantitative", title: `latency (${clockText})` };
  const layer: JsonValue[] = [
    {
      data: { values },
      mark: { type: "bar", tooltip: true },
      encoding: {
        x: { ...x, bin: { maxbins: 40 } },
        y: { aggregate: "count", type: "quantitative", title: "events" },
      },
    },
    {
      data: { values: marks },
      mark: { type: "rule", color: "#d62728", strokeDash: [4, 3] },
      encoding: { x, tooltip: [{ field: "text", type: "nominal", title: "marker" }] },
    },
    {
      data: { values: marks },
      mark: { type: "text", align: "left", dx: 3, baseline: "top", color: "#d62728", fontSize: 10 },
      encoding: { x, y: { value: 2 }, text: { field: "label" } },
    },
  ];
  const title = options.title ?? `device latency distribution (${clockText})`;
  const width = options.width ?? 420;
  const height = options.height ?? 200;
  if (ids.length <= 1) {
    return { $schema: VEGA_LITE_SCHEMA, title: ids.length === 1 ? `${title}: ${ids[0]}` : title, width, height, layer };
  }
  // several latency benchmarks: one panel each, own x scale; the marks are filtered into their panel by id
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    vconcat: ids.map((id) => ({
      title: id,
      width,
      height,
      layer: layer.map((l) => {
        const d = l as Datum;
        const vals = ((d["data"] as Datum)["values"] as Datum[]).filter((v) => v["id"] === id);
        return { ...d, data: { values: vals } };
      }),
    })),
  };
}
