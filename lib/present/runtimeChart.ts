import type { ColumnTable } from "arquero";
import { formatInterval, formatValue } from "./humanize.js";

/** A JSON value: what a Vega-Lite spec (and a Jupyter MIME bundle) may contain. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/**
 * A Vega-Lite spec as plain JSON. Deliberately not vega-lite's `TopLevelSpec`: those types only resolve under
 * NodeNext `exports`, which tslab's TypeScript (node10 resolution) can't see, and callers only need to store/send it.
 */
export type VegaLiteSpec = { [key: string]: JsonValue };

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
/** Name of the legend-bound point selection (exported so tests and notebooks can find it). */
export const RUNTIME_SELECTION = "runtime_pick";

export interface RuntimeChartOptions {
  metric?: "time" | "throughput";
  /** Log scale on y, and on x when x is a numeric batch size. Default false. */
  logScale?: boolean;
  /** Log scale on x alone; default: `logScale`, or on by itself when the sizes span 100× or more (10…10000). */
  logX?: boolean;
  /** Title of the x axis (default "batch size" for numeric sizes, "parameter" otherwise). */
  xTitle?: string;
  title?: string;
  /** Size of one panel (one facet per group). */
  width?: number;
  height?: number;
}

type Datum = { [key: string]: JsonValue };

/**
 * A runtime-comparison chart for `runtimeComparison()` output: x = batch size, y = value, one colored point per runtime
 * with its confidence interval as an error bar, lines joining a runtime's points, humanized tooltips, a legend that
 * selects runtimes (the others fade), and one panel per group when there are several groups.
 */
export function runtimeComparisonSpec(data: ColumnTable | readonly object[], options: RuntimeChartOptions = {}): VegaLiteSpec {
  const metric = options.metric ?? "time";
  const logScale = options.logScale ?? false;
  const values = toObjects(data).map(toDatum);
  const groups = distinct(values.map((v) => String(v["group"])));
  const runtimes = distinct(values.map((v) => String(v["runtime"]))).sort();
  const runs = distinct(values.map((v) => v["run"]).filter((r): r is string => typeof r === "string"));
  const multiRun = runs.length > 1;
  const unit = String(values[0]?.["unit"] ?? (metric === "time" ? "ns" : ""));

  // A numeric x needs every point to have a size (and a positive one on a log scale); else x is the param text.
  const sizes = values.map((v) => v["size"]);
  // one size alone is a category, not an axis (a lone point on a numeric axis gets odd ticks)
  const numericX = values.length > 0 && sizes.every((s) => typeof s === "number") && distinct(sizes).length > 1;
  const positive = numericX && sizes.every((s) => (s as number) > 0);
  const span = positive ? Math.max(...(sizes as number[])) / Math.min(...(sizes as number[])) : 1;
  const logX = positive && (options.logX ?? (logScale || span >= 100));
  const x: Datum = numericX
    ? { field: "size", type: "quantitative", title: options.xTitle ?? "batch size", scale: logX ? { type: "log" } : { zero: false },
        // Ticks at the measured batch sizes only: 10/100/1000 on a log axis otherwise gets 2, 3, 20, 30... too.
        axis: { values: distinct(values.map((v) => v["size"] as number)).sort((a, b) => a - b), format: "," } }
    : { field: "param", type: "ordinal", title: options.xTitle ?? "parameter", axis: { labelAngle: 0 }, sort: distinct(values.map((v) => String(v["param"] ?? ""))) };
  const yTitle = metric === "time" ? "time per iteration" : `throughput (${unit})`;
  const yScale: Datum = logScale ? { type: "log" } : { zero: true };
  const y = (field: string): Datum => ({ field, type: "quantitative", title: yTitle, scale: yScale, axis: { labelExpr: axisLabelExpr(unit) } });
  const color: Datum = { field: "runtime", type: "nominal", title: "runtime", sort: runtimes };
  const opacity: Datum = { condition: { param: RUNTIME_SELECTION, value: 1 }, value: 0.15 };
  const tooltip: JsonValue[] = [
    { field: "runtime", type: "nominal", title: "runtime" },
    numericX ? { field: "size", type: "quantitative", title: "batch size" } : { field: "param", type: "nominal", title: "parameter" },
    { field: "valueText", type: "nominal", title: metric },
    { field: "ciText", type: "nominal", title: "confidence interval" },
    ...(multiRun ? [{ field: "run", type: "nominal", title: "run" }] : []),
    { field: "id", type: "nominal", title: "benchmark" },
  ];
  const byRun = (channel: string): Datum => (multiRun ? { [channel]: { field: "run", type: "nominal", title: "run" } } : {});

  const layer: JsonValue[] = [
    { mark: { type: "line", strokeWidth: 1.5 }, encoding: { x, y: y("value"), color, opacity, ...byRun("strokeDash") } },
    {
      // Only rows with both bounds: Criterion gives intervals for its estimates, other sources may not.
      transform: [{ filter: "isValid(datum.lower) && isValid(datum.upper)" }],
      // fixed-width caps: on a band (category) axis default caps span the whole band and read as reference lines
      mark: { type: "errorbar", ticks: { size: 8 } },
      encoding: { x, y: y("lower"), y2: { field: "upper" }, color, opacity, ...byRun("detail") },
    },
    {
      params: [{ name: RUNTIME_SELECTION, select: { type: "point", fields: ["runtime"] }, bind: "legend" }],
      mark: { type: "point", filled: true, size: 60 },
      encoding: { x, y: y("value"), color, opacity, tooltip, ...byRun("shape") },
    },
  ];

  const width = options.width ?? 400;
  const height = options.height ?? 250;
  const title = options.title
    ?? `${groups.length === 1 ? `${groups[0]}: ` : ""}${metric === "time" ? "time per iteration" : "throughput"} by runtime`;
  const head: VegaLiteSpec = { $schema: VEGA_LITE_SCHEMA, title, data: { values } };
  if (groups.length > 1) {
    // Groups measure different things (message throughput vs ping-pong): each panel gets its own scales.
    return { ...head, facet: { column: { field: "group", type: "nominal", title: null, sort: groups } }, spec: { width, height, layer }, resolve: { scale: { x: "independent", y: "independent" } } };
  }
  return { ...head, width, height, layer };
}

function toObjects(data: ColumnTable | readonly object[]): Record<string, unknown>[] {
  const maybeTable = data as Partial<ColumnTable>;
  return (typeof maybeTable.objects === "function" ? maybeTable.objects() : data) as Record<string, unknown>[];
}

/** Plain JSON for the spec (no NaN/undefined), plus the humanized strings the tooltip shows. */
function toDatum(o: Record<string, unknown>): Datum {
  const d: Datum = {};
  for (const [k, v] of Object.entries(o)) d[k] = toJson(v);
  const unit = String(o["unit"] ?? "");
  const num = (k: string): number | null => (typeof d[k] === "number" ? (d[k] as number) : null);
  d["valueText"] = formatValue(num("value"), unit);
  d["ciText"] = formatInterval(num("lower"), num("upper"), unit) || "–";
  return d;
}

function toJson(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function distinct<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** Vega expression for humanized axis labels (the same units `humanize.ts` prints, with fewer digits). */
function axisLabelExpr(unit: string): string {
  const f = (scale: number, suffix: string): string => `format(datum.value / ${scale}, '.3~g') + ' ${suffix}'`;
  if (unit === "ns") {
    return `datum.value >= 1e9 ? ${f(1e9, "s")} : datum.value >= 1e6 ? ${f(1e6, "ms")} : datum.value >= 1e3 ? ${f(1e3, "µs")} : datum.value >= 1 || datum.value == 0 ? ${f(1, "ns")} : ${f(1e-3, "ps")}`;
  }
  const base = unit === "elements/s" ? "elem/s" : unit === "bytes/s" ? "B/s" : unit;
  return `format(datum.value, '.3~s') + ' ${base.replace(/'/g, "\\'")}'`;
}
