/**
 * Vega-Lite specs for memory results (issue 4), in the style of runtimeChart.ts: plain JSON, values inlined,
 * humanized tooltips computed here (so the chart prints the same numbers as the tables).
 *
 * - memoryPerActorSpec: bytes against actor count, the fitted line of each runtime × method, and published
 *   bytes-per-actor figures as dashed reference lines through the origin (bytes = figure × N), all in the same
 *   bytes-vs-N space so a runtime's slope can be read against them directly.
 * - heapTimelineSpec: massif heap / extra-heap / stacks stacked over time, RSS as a line, the peak marked.
 * - fragmentationSpec: jemalloc internal and page fragmentation per id as grouped bars.
 */
import type { MemoryTimelineRow } from "../ingest/memoryRows.js";
import { formatBytes, formatBytesWithCi } from "./memoryTables.js";
import { RUNTIME_SELECTION, VEGA_LITE_SCHEMA, type JsonValue, type VegaLiteSpec } from "./runtimeChart.js";

type Datum = { [key: string]: JsonValue };

export interface MemoryPointLike {
  runtime: string;
  actors: number;
  bytes: number;
  method?: string;
}

export interface MemoryFitLineLike {
  runtime: string;
  method: string;
  bytesPerActor: number | null;
  intercept: number | null;
  lower: number | null;
  upper: number | null;
  r2: number | null;
  poorFit: boolean;
}

export interface MemoryReference {
  label: string;
  bytesPerActor: number;
  source?: string;
}

export interface MemoryChartOptions {
  title?: string;
  /** Log x and log y; default true (sweeps span ≥ 100× in N, and bytes follow). */
  logScale?: boolean;
  width?: number;
  height?: number;
}

/** Samples of a fitted line on a log x axis: a + b·N is curved in log-log space unless a = 0, so two endpoints would lie. */
const LOG_SAMPLES = 24;
const METHOD_DEFAULT = "unspecified";
const REFERENCE_COLOR = "#777777";

/**
 * Bytes vs actors, one color per runtime and one shape per method; a solid fitted line per runtime × method, drawn
 * from the reported intercept and slope (not a Vega-Lite regression, so it is the same line the fit table reports);
 * dashed grey reference lines bytes = figure × N, labelled at their right end. On a linear x the fitted line is its
 * two endpoints; on a log x it is sampled geometrically between them (endpoints included) so it is drawn curved,
 * and samples with bytes ≤ 0 are dropped (a log axis cannot show them).
 */
export function memoryPerActorSpec(
  points: readonly MemoryPointLike[],
  fits: readonly MemoryFitLineLike[],
  references: readonly MemoryReference[] = [],
  options: MemoryChartOptions = {},
): VegaLiteSpec {
  const log = options.logScale ?? true;
  const fitOf = new Map(fits.map((f) => [JSON.stringify([f.runtime, f.method]), f]));
  const usable = points.filter((p) => Number.isFinite(p.actors) && Number.isFinite(p.bytes) && (!log || (p.actors > 0 && p.bytes > 0)));
  const runtimes = [...new Set(usable.map((p) => p.runtime))].sort();
  const fitText = (f: MemoryFitLineLike | undefined): { perActorText: string; r2Text: string } => ({
    perActorText: f ? formatBytesWithCi(f.bytesPerActor, f.lower, f.upper) + (f.poorFit ? " (poor fit)" : "") : "–",
    r2Text: f?.r2 == null ? "–" : f.r2.toFixed(4),
  });
  const pointValues: Datum[] = usable.map((p) => {
    const method = p.method ?? METHOD_DEFAULT;
    return { runtime: p.runtime, method, actors: p.actors, bytes: p.bytes, bytesText: formatBytes(p.bytes), ...fitText(fitOf.get(JSON.stringify([p.runtime, method]))) };
  });

  const lineValues: Datum[] = [];
  for (const f of fits) {
    if (f.bytesPerActor === null || f.intercept === null) continue;
    const xs = usable.filter((p) => p.runtime === f.runtime && (p.method ?? METHOD_DEFAULT) === f.method).map((p) => p.actors);
    if (xs.length === 0) continue;
    for (const actors of lineXs(Math.min(...xs), Math.max(...xs), log)) {
      const bytes = f.intercept + f.bytesPerActor * actors;
      if (log && bytes <= 0) continue;
      lineValues.push({ runtime: f.runtime, method: f.method, actors, bytes, ...fitText(f) });
    }
  }

  const allXs = usable.map((p) => p.actors);
  const refValues: Datum[] = allXs.length === 0 ? [] : references.flatMap((r) =>
    [Math.min(...allXs), Math.max(...allXs)].map((actors, i): Datum => ({
      label: r.label, source: r.source ?? "", bytesPerActor: r.bytesPerActor, perActorText: formatBytes(r.bytesPerActor),
      actors, bytes: r.bytesPerActor * actors, end: i === 1,
    })));

  const scale: Datum = log ? { type: "log" } : { zero: true };
  // Ticks at the measured Ns, and on a log y at powers of 4 bytes (1 KiB, 4 KiB, 16 KiB…): Vega's own log ticks
  // label every 1…9 × 10^k over a few decades, and decimal ticks print as 9.77 KiB.
  const xAxis: Datum = { format: ",", values: [...new Set(allXs)].sort((a, b) => a - b) };
  const allYs = [...pointValues, ...lineValues, ...refValues].map((v) => v["bytes"] as number);
  const yAxis: Datum = { labelExpr: BYTES_LABEL, ...(log && allYs.length > 0 ? { values: powersOf4(Math.min(...allYs), Math.max(...allYs)) } : {}) };
  const x: Datum = { field: "actors", type: "quantitative", title: "actors (N)", scale, axis: xAxis };
  const y: Datum = { field: "bytes", type: "quantitative", title: "bytes", scale, axis: yAxis };
  const color: Datum = { field: "runtime", type: "nominal", title: "runtime", sort: runtimes };
  const opacity: Datum = { condition: { param: RUNTIME_SELECTION, value: 1 }, value: 0.15 };
  const fitTooltip: JsonValue[] = [
    { field: "runtime", type: "nominal", title: "runtime" },
    { field: "method", type: "nominal", title: "method" },
    { field: "perActorText", type: "nominal", title: "bytes/actor (95% CI)" },
    { field: "r2Text", type: "nominal", title: "R²" },
  ];
  const layer: JsonValue[] = [
    {
      data: { values: refValues },
      mark: { type: "line", strokeDash: [6, 4], color: REFERENCE_COLOR, strokeWidth: 1 },
      encoding: { x, y, detail: { field: "label", type: "nominal" }, tooltip: [
        { field: "label", type: "nominal", title: "reference" },
        { field: "perActorText", type: "nominal", title: "bytes/actor" },
        { field: "source", type: "nominal", title: "source" },
      ] },
    },
    {
      data: { values: refValues.filter((r) => r["end"] === true) },
      mark: { type: "text", align: "right", baseline: "bottom", dy: -2, fontSize: 9, color: REFERENCE_COLOR },
      encoding: { x, y, text: { field: "label", type: "nominal" } },
    },
    {
      data: { values: lineValues },
      mark: { type: "line", strokeWidth: 1.5 },
      encoding: { x, y, color, opacity, detail: { field: "method", type: "nominal" }, tooltip: fitTooltip },
    },
    {
      data: { values: pointValues },
      params: [{ name: RUNTIME_SELECTION, select: { type: "point", fields: ["runtime"] }, bind: "legend" }],
      mark: { type: "point", filled: true, size: 60 },
      encoding: {
        x, y, color, opacity,
        shape: { field: "method", type: "nominal", title: "method" },
        tooltip: [
          { field: "runtime", type: "nominal", title: "runtime" },
          { field: "method", type: "nominal", title: "method" },
          { field: "actors", type: "quantitative", title: "N", format: "," },
          { field: "bytesText", type: "nominal", title: "bytes" },
          ...fitTooltip.slice(2),
        ],
      },
    },
  ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "memory per actor",
    width: options.width ?? 420,
    height: options.height ?? 280,
    layer,
  };
}

/** x positions of a fitted line: the two endpoints, plus geometric samples between them on a log axis. */
function lineXs(min: number, max: number, log: boolean): number[] {
  if (!log || min <= 0 || max <= min) return min === max ? [min] : [min, max];
  const xs: number[] = [];
  for (let i = 0; i < LOG_SAMPLES; i++) xs.push(i === 0 ? min : i === LOG_SAMPLES - 1 ? max : min * (max / min) ** (i / (LOG_SAMPLES - 1)));
  return xs;
}

/** 4^k from the power at or below `min` to the one at or above `max`. */
function powersOf4(min: number, max: number): number[] {
  const out: number[] = [];
  for (let k = Math.floor(Math.log(min) / Math.log(4)); k <= Math.ceil(Math.log(max) / Math.log(4)); k++) out.push(4 ** k);
  return out;
}

/** Vega expression: axis labels in binary byte units (the same units formatBytes prints, fewer digits). */
const BYTES_LABEL = [
  ["1099511627776", "TiB"], ["1073741824", "GiB"], ["1048576", "MiB"], ["1024", "KiB"],
].map(([s, u]) => `abs(datum.value) >= ${s} ? format(datum.value / ${s}, '.3~g') + ' ${u}' : `).join("") + "format(datum.value, ',.3~r') + ' B'";

export interface HeapTimelineOptions {
  title?: string;
  width?: number;
  height?: number;
}

const T_UNIT_TITLES: Record<string, string> = { i: "instructions executed", ms: "time (ms)", B: "bytes allocated (cumulative)" };
const HEAP_SERIES = ["heap", "extra-heap", "stacks"] as const;
/** Stacking order: what the program asked for at the bottom, allocator overhead and stacks on top. */
const SERIES_ORDER: readonly string[] = [...HEAP_SERIES, "rss"];

/**
 * Heap, extra-heap and stacks stacked over time (massif), RSS as a line; the peak of each panel marked with a rule
 * and a point: the snapshot flagged `peak`, else the sample with the largest total. One panel per id × tool ×
 * t_unit (instructions and milliseconds cannot share an axis), stacked vertically with independent scales.
 */
export function heapTimelineSpec(timeline: readonly MemoryTimelineRow[], options: HeapTimelineOptions = {}): VegaLiteSpec {
  const panelOf = (r: MemoryTimelineRow): string => `${r.id} · ${r.tool} · ${T_UNIT_TITLES[r.t_unit] ?? r.t_unit}`;
  const values: Datum[] = [];
  const peaks: Datum[] = [];
  const byPanel = new Map<string, MemoryTimelineRow[]>();
  for (const r of timeline) {
    const p = panelOf(r);
    if (!byPanel.has(p)) byPanel.set(p, []);
    byPanel.get(p)!.push(r);
  }
  const total = (r: MemoryTimelineRow): number => (r.heap_bytes ?? 0) + (r.extra_heap_bytes ?? 0) + (r.stacks_bytes ?? 0);
  for (const [panel, rows] of byPanel) {
    for (const r of rows) {
      const series: [string, number | null][] = [["heap", r.heap_bytes], ["extra-heap", r.extra_heap_bytes], ["stacks", r.stacks_bytes], ["rss", r.rss_bytes]];
      for (const [name, bytes] of series) {
        if (bytes === null || !Number.isFinite(bytes)) continue;
        values.push({ panel, t: r.t, series: name, order: SERIES_ORDER.indexOf(name), bytes, bytesText: formatBytes(bytes) });
      }
    }
    const sizeOf = (r: MemoryTimelineRow): number => (r.rss_bytes !== null && total(r) === 0 ? r.rss_bytes : total(r));
    const withData = rows.filter((r) => sizeOf(r) > 0);
    if (withData.length === 0) continue;
    const peak = withData.find((r) => r.peak) ?? withData.reduce((a, b) => (sizeOf(b) > sizeOf(a) ? b : a));
    // in the shared values (series "peak"): a layer's own data would be repeated in every facet panel
    peaks.push({
      panel, series: "peak", t: peak.t, bytes: sizeOf(peak), totalText: formatBytes(sizeOf(peak)),
      heapText: formatBytes(peak.heap_bytes), extraText: formatBytes(peak.extra_heap_bytes),
      stacksText: formatBytes(peak.stacks_bytes), rssText: formatBytes(peak.rss_bytes),
    });
  }
  values.push(...peaks);
  const panels = [...byPanel.keys()];
  const units = [...new Set(timeline.map((r) => r.t_unit))];
  const x: Datum = { field: "t", type: "quantitative", title: units.length === 1 ? (T_UNIT_TITLES[units[0]!] ?? units[0]!) : "t", axis: { format: "~s" } };
  const y: Datum = { field: "bytes", type: "quantitative", title: "bytes", axis: { labelExpr: BYTES_LABEL } };
  const seriesTooltip: JsonValue[] = [
    { field: "series", type: "nominal", title: "series" },
    { field: "t", type: "quantitative", title: "t", format: "," },
    { field: "bytesText", type: "nominal", title: "bytes" },
  ];
  const color: Datum = { field: "series", type: "nominal", title: "series", sort: [...HEAP_SERIES, "rss"], scale: { domain: [...HEAP_SERIES, "rss"], range: ["#4c78a8", "#f58518", "#54a24b", "#e45756"] } };
  const layer: JsonValue[] = [
    {
      transform: [{ filter: "indexof(['heap', 'extra-heap', 'stacks'], datum.series) >= 0" }],
      mark: { type: "area", opacity: 0.8, interpolate: "step-after" },
      encoding: { x, y: { ...y, stack: "zero" }, color, order: { field: "order", type: "quantitative", sort: "ascending" }, tooltip: seriesTooltip },
    },
    {
      transform: [{ filter: "datum.series === 'rss'" }],
      mark: { type: "line", strokeWidth: 1.5 },
      encoding: { x, y, color, tooltip: seriesTooltip },
    },
    {
      transform: [{ filter: "datum.series === 'peak'" }],
      mark: { type: "rule", strokeDash: [2, 2], color: "black" },
      encoding: { x },
    },
    {
      transform: [{ filter: "datum.series === 'peak'" }],
      mark: { type: "point", filled: true, color: "black", size: 70, shape: "diamond" },
      encoding: { x, y, tooltip: [
        { field: "t", type: "quantitative", title: "peak at t", format: "," },
        { field: "totalText", type: "nominal", title: "total" },
        { field: "heapText", type: "nominal", title: "heap" },
        { field: "extraText", type: "nominal", title: "extra-heap" },
        { field: "stacksText", type: "nominal", title: "stacks" },
        { field: "rssText", type: "nominal", title: "rss" },
      ] },
    },
  ];
  const width = options.width ?? 480;
  const height = options.height ?? 200;
  const head: VegaLiteSpec = { $schema: VEGA_LITE_SCHEMA, title: options.title ?? (panels.length === 1 ? `memory over time: ${panels[0]}` : "memory over time"), data: { values } };
  if (panels.length > 1) {
    return {
      ...head,
      facet: { row: { field: "panel", type: "nominal", title: null, sort: panels } },
      spec: { width, height, layer },
      resolve: { scale: { x: "independent", y: "independent" } },
    };
  }
  return { ...head, width, height, layer };
}

export interface FragmentationChartOptions {
  title?: string;
  width?: number;
  height?: number;
}

/**
 * jemalloc fragmentation per id as grouped bars: `internal` (1 − allocated/active, size-class rounding) next to
 * `pages` (1 − active/resident, resident pages not backing live data), in percent. Null figures are left out.
 */
export function fragmentationSpec(rows: readonly { id: string; internal: number | null; pages: number | null }[], options: FragmentationChartOptions = {}): VegaLiteSpec {
  const ids = [...new Set(rows.map((r) => r.id))];
  const values: Datum[] = rows.flatMap((r) => (
    [["internal", r.internal], ["pages", r.pages]] as const
  ).filter(([, v]) => v !== null && Number.isFinite(v)).map(([kind, v]): Datum => ({
    id: r.id, kind, fraction: v!, percentText: `${(v! * 100).toFixed(2)}%`,
  })));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "jemalloc fragmentation",
    width: options.width ?? Math.max(200, 60 * ids.length),
    height: options.height ?? 220,
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: { field: "id", type: "nominal", title: null, sort: ids, axis: { labelAngle: -30, labelLimit: 200 } },
      xOffset: { field: "kind", type: "nominal", sort: ["internal", "pages"] },
      y: { field: "fraction", type: "quantitative", title: "fragmentation", axis: { format: ".0%" }, scale: { zero: true } },
      color: { field: "kind", type: "nominal", title: "kind", sort: ["internal", "pages"] },
      tooltip: [
        { field: "id", type: "nominal", title: "id" },
        { field: "kind", type: "nominal", title: "kind" },
        { field: "percentText", type: "nominal", title: "fragmentation" },
      ],
    },
  };
}
