/**
 * Static footprint of several builds (issue 5), from `footprintTable()`: two panels of stacked bars per build, flash
 * (text, rodata, data) and RAM (data, bss), coloured by part, and a summary table with each part's change against the
 * baseline build in exact bytes (so it can be compared with `size -A`). Plain JSON in the style of runtimeChart.ts:
 * values inlined, tooltip strings computed here so the chart prints the same numbers as the table, a legend that
 * selects parts (the others fade).
 */
import type { ColumnTable } from "arquero";
import { formatValue } from "./humanize.js";
import { formatBytes, type TablePair } from "./memoryTables.js";
import { VEGA_LITE_SCHEMA, type JsonValue, type VegaLiteSpec } from "./runtimeChart.js";
import { renderHtml, renderMarkdown, tableRows, type TableColumn } from "./table.js";

type Datum = { [key: string]: JsonValue };
type Row = Record<string, unknown>;

/** Name of the legend-bound point selection (exported so tests and notebooks can find it). */
export const FOOTPRINT_SELECTION = "footprint_pick";
const PARTS = ["text", "rodata", "data", "bss"] as const;
/** Flash parts in warm colours, RAM-only bss in blue: data, in both, sits between. */
const PART_COLORS = ["#d62728", "#ff7f0e", "#9467bd", "#1f77b4"];

export interface FootprintChartOptions {
  title?: string;
  /**
   * `region` (default): two panels, flash (text, rodata, data) and RAM (data, bss), so each bar's height is what the
   * chip has to hold; data appears in both. `image`: one bar per build, text + rodata + data + bss (the parts of the
   * ELF image side by side; the bar's total is neither flash nor RAM).
   */
  view?: "image" | "region";
  width?: number;
  height?: number;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** `+1.250 KiB, +12.5%`, `-20 B, -0.118%`, `±0`; `–` for the baseline itself (null delta). */
export function formatDelta(delta: number | null, deltaPct: number | null): string {
  if (delta === null) return "–";
  if (delta === 0) return "±0";
  const sign = delta > 0 ? "+" : "";
  const pct = deltaPct === null ? "" : `, ${deltaPct > 0 ? "+" : ""}${formatValue(deltaPct, "%")}`;
  return `${sign}${formatBytes(delta)}${pct}`;
}

/** Exact bytes with thousands separators, as `size -A` counts them: `17,116 B`; `–` when unknown. */
export function formatExactBytes(bytes: number | null): string {
  if (bytes === null) return "–";
  const sign = bytes < 0 ? "-" : "";
  return `${sign}${String(Math.abs(Math.round(bytes))).replace(/\B(?=(\d{3})+(?!\d))/g, ",")} B`;
}

/** `+2,048 B, +20.5%`, `-20 B, -0.118%`, `±0`; `–` for the baseline itself (null delta). */
export function formatExactDelta(delta: number | null, deltaPct: number | null): string {
  if (delta === null) return "–";
  if (delta === 0) return "±0";
  const pct = deltaPct === null ? "" : `, ${deltaPct > 0 ? "+" : ""}${formatValue(deltaPct, "%")}`;
  return `${delta > 0 ? "+" : ""}${formatExactBytes(delta)}${pct}`;
}

/** A part's cell: `12,048 B (+2,048 B, +20.5%)`; the baseline's: `10,000 B`. */
function partCell(bytes: number | null, delta: number | null, deltaPct: number | null): string {
  return delta === null ? formatExactBytes(bytes) : `${formatExactBytes(bytes)} (${formatExactDelta(delta, deltaPct)})`;
}

/** A flash / RAM cell, with the binary size for scale: `14,660 B (14.32 KiB; +2,560 B, +21.2%)`, `12,100 B (11.82 KiB)`. */
function totalCell(bytes: number | null, delta: number | null, deltaPct: number | null): string {
  if (bytes === null) return "–";
  const scale = bytes >= 1024 ? formatBytes(bytes) : null;
  const inner = [scale, delta === null ? null : formatExactDelta(delta, deltaPct)].filter((x) => x !== null).join("; ");
  return inner ? `${formatExactBytes(bytes)} (${inner})` : formatExactBytes(bytes);
}

/** Width of one character of an axis label (Vega's 10 px sans-serif averages ~6 px; a margin for wide letters). */
const LABEL_CHAR_PX = 6.5;

function datum(r: Row, region: string | null): Datum {
  const d: Datum = {};
  for (const [k, v] of Object.entries(r)) d[k] = v === undefined ? null : typeof v === "number" ? (Number.isFinite(v) ? v : null) : (v as JsonValue);
  d["region"] = region;
  const bytes = num(r["bytes"]);
  d["kib"] = bytes === null ? null : bytes / 1024;
  d["bytesText"] = totalCell(bytes, null, null);
  d["deltaText"] = formatExactDelta(num(r["delta"]), num(r["deltaPct"]));
  d["flashText"] = totalCell(num(r["flash"]), num(r["flashDelta"]), num(r["flashDeltaPct"]));
  d["ramText"] = totalCell(num(r["ram"]), num(r["ramDelta"]), num(r["ramDeltaPct"]));
  d["partOrder"] = PARTS.indexOf(String(r["part"]) as (typeof PARTS)[number]);
  return d;
}

/**
 * Stacked bars of `footprintTable()` output: x = build (in table order), y = size in KiB (1024 B, like the table),
 * colour = part; by default one panel for flash and one for RAM (`view: "image"` for one bar of all four parts).
 */
export function footprintChart(table: ColumnTable | readonly object[], options: FootprintChartOptions = {}): VegaLiteSpec {
  const { rows } = tableRows(table);
  const byRegion = (options.view ?? "region") === "region";
  const values: Datum[] = byRegion
    ? rows.flatMap((r) => [
        ...(r["part"] === "bss" ? [] : [datum(r, "flash")]),
        ...(r["part"] === "data" || r["part"] === "bss" ? [datum(r, "RAM")] : []),
      ])
    : rows.map((r) => datum(r, null));
  const builds = [...new Set(rows.map((r) => String(r["build"])))];
  const baseline = rows[0]?.["baseline"];
  const tooltip: JsonValue[] = [
    { field: "build", type: "nominal", title: "build" },
    { field: "part", type: "nominal", title: "part" },
    { field: "bytesText", type: "nominal", title: "size" },
    { field: "deltaText", type: "nominal", title: `vs ${String(baseline ?? "baseline")}` },
    { field: "flashText", type: "nominal", title: "flash (text+rodata+data)" },
    { field: "ramText", type: "nominal", title: "RAM (data+bss)" },
    ...(rows.some((r) => r["target"] != null) ? [{ field: "target", type: "nominal", title: "target" }] : []),
    ...(rows.some((r) => r["features"] != null) ? [{ field: "features", type: "nominal", title: "features" }] : []),
    ...(rows.some((r) => r["opt"] != null) ? [{ field: "opt", type: "nominal", title: "opt-level" }] : []),
  ];
  // a label wider than its band (the panel's width over the builds) is angled, right end under its bar, so
  // neighbours never overlap; very long ones are cut at 260 px with an ellipsis (the tooltip has the whole name)
  const width = options.width ?? Math.max(160, 60 * builds.length);
  const band = width / Math.max(1, builds.length);
  const angled = builds.some((b) => b.length * LABEL_CHAR_PX > band - 6);
  const xAxis: Datum = angled ? { labelAngle: -40, labelAlign: "right", labelBaseline: "top", labelLimit: 260 } : { labelAngle: 0 };
  const encoding: Datum = {
    x: { field: "build", type: "nominal", title: "build", sort: builds, axis: xAxis },
    y: { field: "kib", type: "quantitative", title: "size", stack: "zero", axis: { labelExpr: "format(datum.value, ',.4~g') + ' KiB'" } },
    color: { field: "part", type: "nominal", title: "part", sort: [...PARTS], scale: { domain: [...PARTS], range: PART_COLORS } },
    // text at the bottom of each bar, bss on top, whatever order the rows come in
    order: { field: "partOrder", type: "quantitative" },
    opacity: { condition: { param: FOOTPRINT_SELECTION, value: 1 }, value: 0.2 },
    tooltip,
  };
  if (byRegion) encoding["column"] = { field: "region", type: "nominal", title: null, sort: ["flash", "RAM"] };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? (byRegion ? "Flash and RAM by build" : "Static footprint by build"),
    data: { values },
    params: [{ name: FOOTPRINT_SELECTION, select: { type: "point", fields: ["part"] }, bind: "legend" }],
    mark: { type: "bar" },
    encoding,
    width,
    height: options.height ?? 250,
    ...(byRegion ? { resolve: { scale: { y: "independent" } } } : {}),
  };
}

/**
 * One row per build: its parts, flash and RAM (bytes) with their deltas against the baseline build, plus the
 * target / features / opt-level when known. The plain numbers behind footprintSummary().
 */
export function footprintSummaryRows(table: ColumnTable | readonly object[]): Row[] {
  const { rows } = tableRows(table);
  const out = new Map<string, Row>();
  for (const r of rows) {
    const build = String(r["build"]);
    const row = out.get(build) ?? {
      build, target: r["target"] ?? null, features: r["features"] ?? null, opt: r["opt"] ?? null, baseline: r["baseline"],
      flash: r["flash"], flashDelta: r["flashDelta"], flashDeltaPct: r["flashDeltaPct"],
      ram: r["ram"], ramDelta: r["ramDelta"], ramDeltaPct: r["ramDeltaPct"],
    };
    const part = String(r["part"]);
    row[part] = r["bytes"];
    row[`${part}Delta`] = r["delta"];
    row[`${part}DeltaPct`] = r["deltaPct"];
    out.set(build, row);
  }
  return [...out.values()];
}

/**
 * The build comparison as a table a reviewer reads: one row per build, in exact bytes so each figure can be checked
 * against `size -A` (whose sections sum to the parts): parts as `12,048 B (+2,048 B, +20.5%)`, flash and RAM with
 * their binary size for scale, `14,660 B (14.32 KiB; +2,560 B, +21.2%)`, changes against the baseline build (named
 * in the caption).
 */
export function footprintSummary(table: ColumnTable | readonly object[], options: { caption?: string } = {}): TablePair & { rows: Row[] } {
  const rows = footprintSummaryRows(table);
  const sized = (key: string, label: string, cell: typeof partCell): TableColumn => ({
    label, align: "right",
    cell: (r) => cell(num(r[key]), num(r[`${key}Delta`]), num(r[`${key}DeltaPct`])),
  });
  const optional = (key: string, label: string): TableColumn[] =>
    rows.some((r) => r[key] != null) ? [{ label, align: "left", cell: (r) => (r[key] == null ? "–" : String(r[key])) }] : [];
  const columns: TableColumn[] = [
    { label: "build", align: "left", cell: (r) => String(r["build"]) },
    ...optional("target", "target"), ...optional("features", "features"), ...optional("opt", "opt-level"),
    ...PARTS.map((p) => sized(p, p, partCell)),
    sized("flash", "flash", totalCell),
    sized("ram", "RAM", totalCell),
  ];
  const caption = options.caption ?? (rows.length > 1 ? `Static footprint; changes against ${String(rows[0]?.["baseline"])}` : "Static footprint");
  return { html: renderHtml(rows, columns, caption), markdown: renderMarkdown(rows, columns, caption), rows };
}
