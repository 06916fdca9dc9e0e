/**
 * Static footprint of several builds (issue 5), from `footprintTable()`: a stacked bar per build coloured by part
 * (text, rodata, data, bss), and a summary table with each part's change against the baseline build. Plain JSON in
 * the style of runtimeChart.ts: values inlined, humanized tooltip strings computed here so the chart prints the same
 * numbers as the table, a legend that selects parts (the others fade).
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
   * `image` (default): one bar per build, text + rodata + data + bss. `region`: two panels, flash (text, rodata, data)
   * and RAM (data, bss), so each bar's height is what the chip has to hold; data appears in both.
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

function datum(r: Row, region: string | null): Datum {
  const d: Datum = {};
  for (const [k, v] of Object.entries(r)) d[k] = v === undefined ? null : typeof v === "number" ? (Number.isFinite(v) ? v : null) : (v as JsonValue);
  d["region"] = region;
  d["bytesText"] = formatBytes(num(r["bytes"]));
  d["deltaText"] = formatDelta(num(r["delta"]), num(r["deltaPct"]));
  d["flashText"] = `${formatBytes(num(r["flash"]))}${r["flashDelta"] == null ? "" : ` (${formatDelta(num(r["flashDelta"]), num(r["flashDeltaPct"]))})`}`;
  d["ramText"] = `${formatBytes(num(r["ram"]))}${r["ramDelta"] == null ? "" : ` (${formatDelta(num(r["ramDelta"]), num(r["ramDeltaPct"]))})`}`;
  d["partOrder"] = PARTS.indexOf(String(r["part"]) as (typeof PARTS)[number]);
  return d;
}

/** Stacked bars of `footprintTable()` output: x = build (in table order), y = bytes, colour = part. */
export function footprintChart(table: ColumnTable | readonly object[], options: FootprintChartOptions = {}): VegaLiteSpec {
  const { rows } = tableRows(table);
  const byRegion = options.view === "region";
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
  const encoding: Datum = {
    x: { field: "build", type: "nominal", title: "build", sort: builds, axis: { labelAngle: builds.length > 4 ? -30 : 0 } },
    y: { field: "bytes", type: "quantitative", title: "bytes", stack: "zero", axis: { labelExpr: "format(datum.value, '.3~s') + 'B'" } },
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
    width: options.width ?? Math.max(160, 60 * builds.length),
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
 * The build comparison as a table a reviewer reads: one row per build, each part and flash / RAM as
 * `16.62 KiB (+1.250 KiB, +8.14%)` against the baseline build (named in the caption).
 */
export function footprintSummary(table: ColumnTable | readonly object[], options: { caption?: string } = {}): TablePair & { rows: Row[] } {
  const rows = footprintSummaryRows(table);
  const sized = (key: string, label: string): TableColumn => ({
    label, align: "right",
    cell: (r) => {
      const delta = num(r[`${key}Delta`]);
      return delta === null ? formatBytes(num(r[key])) : `${formatBytes(num(r[key]))} (${formatDelta(delta, num(r[`${key}DeltaPct`]))})`;
    },
  });
  const optional = (key: string, label: string): TableColumn[] =>
    rows.some((r) => r[key] != null) ? [{ label, align: "left", cell: (r) => (r[key] == null ? "–" : String(r[key])) }] : [];
  const columns: TableColumn[] = [
    { label: "build", align: "left", cell: (r) => String(r["build"]) },
    ...optional("target", "target"), ...optional("features", "features"), ...optional("opt", "opt-level"),
    ...PARTS.map((p) => sized(p, p)),
    sized("flash", "flash"),
    sized("ram", "RAM"),
  ];
  const caption = options.caption ?? (rows.length > 1 ? `Static footprint; changes against ${String(rows[0]?.["baseline"])}` : "Static footprint");
  return { html: renderHtml(rows, columns, caption), markdown: renderMarkdown(rows, columns, caption), rows };
}
