/**
 * A benchmark's history as a Vega-Lite spec (issue 6): one line per benchmark over the runs (oldest left), each point
 * with its confidence interval, and a dashed rule where a change point starts a new level, labelled with the commit.
 * Benchmarks are coloured and selectable from the legend; tooltips give run, commit and the humanized value.
 */
import type { HistoryPoint, HistoryStep } from "../analyze/history.js";
import { formatInterval, formatValue } from "./humanize.js";
import { RUNTIME_SELECTION, VEGA_LITE_SCHEMA, type JsonValue, type VegaLiteSpec } from "./runtimeChart.js";

type Datum = { [key: string]: JsonValue };

export interface TrendChartOptions {
  title?: string;
  width?: number;
  height?: number;
  logScale?: boolean;
}

const shortCommit = (c: string | null): string => (c ? c.slice(0, 8) : "no commit");

export function trendChartSpec(points: readonly HistoryPoint[], steps: readonly HistoryStep[] = [], options: TrendChartOptions = {}): VegaLiteSpec {
  const unit = points[0]?.unit ?? "ns";
  const values: Datum[] = points.map((p) => ({
    id: p.id, run: p.run, index: p.index, commit: shortCommit(p.commit) + (p.dirty ? "+dirty" : ""),
    value: p.value, lower: p.lower, upper: p.upper,
    valueText: formatValue(p.value, p.unit), ciText: formatInterval(p.lower, p.upper, p.unit) || "–", basis: p.basis,
  }));
  const stepValues: Datum[] = steps.map((s) => ({
    id: s.id, index: s.index, label: `${shortCommit(s.commit)} ${s.change >= 0 ? "+" : ""}${(s.change * 100).toFixed(1)} %`,
    text: `${s.id}: ${formatValue(s.before, s.unit)} → ${formatValue(s.after, s.unit)} from run ${s.run}`,
  }));
  const ids = [...new Set(points.map((p) => p.id))].sort();
  const x: Datum = { field: "index", type: "quantitative", title: "run (oldest → newest)", axis: { tickMinStep: 1, format: "d" } };
  const y: Datum = { field: "value", type: "quantitative", title: `time per iteration (${unit})`, scale: options.logScale ? { type: "log" } : { zero: false } };
  const color: Datum = { field: "id", type: "nominal", title: "benchmark", sort: ids };
  const opacity: Datum = { condition: { param: RUNTIME_SELECTION, value: 1 }, value: 0.12 };
  const layer: JsonValue[] = [
    { mark: { type: "line", strokeWidth: 1.2 }, encoding: { x, y, color, opacity } },
    {
      transform: [{ filter: "isValid(datum.lower) && isValid(datum.upper)" }],
      mark: { type: "errorbar", ticks: { size: 5 } },
      encoding: { x, y: { ...y, field: "lower" }, y2: { field: "upper" }, color, opacity },
    },
    {
      params: [{ name: RUNTIME_SELECTION, select: { type: "point", fields: ["id"] }, bind: "legend" }],
      mark: { type: "point", filled: true, size: 40 },
      encoding: {
        x, y, color, opacity,
        tooltip: [
          { field: "id", title: "benchmark" }, { field: "run", title: "run" }, { field: "commit", title: "commit" },
          { field: "valueText", title: "median" }, { field: "ciText", title: "95 % CI" }, { field: "basis", title: "from" },
        ],
      },
    },
  ];
  if (stepValues.length) {
    layer.push(
      { data: { values: stepValues }, mark: { type: "rule", strokeDash: [5, 4], color: "#d62728" }, encoding: { x: { ...x, field: "index" }, tooltip: [{ field: "text", title: "step" }] } },
      { data: { values: stepValues }, mark: { type: "text", angle: 270, align: "right", baseline: "bottom", dx: -4, dy: -2, fontSize: 9, color: "#d62728" }, encoding: { x: { ...x, field: "index" }, y: { value: 0 }, text: { field: "label" } } },
    );
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? `history${ids.length === 1 ? `: ${ids[0]}` : ""} (${steps.length} step${steps.length === 1 ? "" : "s"} found)`,
    width: options.width ?? 520,
    height: options.height ?? 260,
    data: { values },
    layer,
  };
}
