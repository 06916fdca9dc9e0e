/**
 * Forest chart of a baseline-vs-candidate review: one line per compared measurement, its ratio candidate/baseline
 * as a point with the 95 % CI as a bar, sorted by effect (largest slowdown on top), a solid rule at 1 (no change)
 * and dashed rules at 1 ± threshold (the noise floor), coloured by verdict, with humanized tooltips.
 * Measurements without a ratio (missing in one run) are left out; the table lists them.
 */
import type { ColumnTable } from "arquero";
import { comparisonRowsOf, type ComparisonVerdict } from "../analyze/compareRuns.js";
import { formatP, formatRatioCI, verdictText } from "./compareSummary.js";
import { formatValue } from "./humanize.js";
import { VEGA_LITE_SCHEMA, type JsonValue, type VegaLiteSpec } from "./runtimeChart.js";

export interface ForestChartOptions {
  /** Noise floor drawn as dashed rules; default the table's time threshold, else 0.02. */
  threshold?: number;
  title?: string;
  width?: number;
  /** Height of one row in pixels; default 18. */
  rowHeight?: number;
}

const X_TITLE = "candidate / baseline";

const VERDICT_COLORS: [ComparisonVerdict, string][] = [
  ["regressed", "#d62728"], ["improved", "#2ca02c"], ["no change", "#7f7f7f"], ["inconclusive", "#ff7f0e"],
];

export function forestChartSpec(data: ColumnTable | readonly object[], options: ForestChartOptions = {}): VegaLiteSpec {
  const rows = comparisonRowsOf(data).filter((r) => r.ratio !== null && Number.isFinite(r.ratio) && r.ratio > 0);
  const threshold = options.threshold ?? rows.find((r) => r.kind === "time")?.threshold ?? 0.02;
  const sorted = [...rows].sort((a, b) => b.ratio! - a.ratio! || a.label.localeCompare(b.label));
  const values: JsonValue[] = sorted.map((r) => ({
    label: r.label,
    id: r.id,
    ratio: r.ratio,
    lower: r.lower !== null && Number.isFinite(r.lower) ? r.lower : null,
    upper: r.upper !== null && Number.isFinite(r.upper) ? r.upper : null,
    verdict: r.verdict,
    kind: r.kind,
    baselineText: formatValue(r.baseline, r.unit),
    candidateText: formatValue(r.candidate, r.unit),
    changeText: formatRatioCI(r),
    pText: r.kind === "exact" ? "exact" : formatP(r.p),
    qText: r.kind === "exact" ? "exact" : formatP(r.q),
    verdictText: verdictText(r),
  }));
  const y = { field: "label", type: "nominal", title: null, sort: distinct(sorted.map((r) => r.label)), axis: { labelLimit: 320 } };
  const x = { field: "ratio", type: "quantitative", title: X_TITLE, scale: { zero: false } };
  const color = {
    field: "verdict", type: "nominal", title: "verdict",
    scale: { domain: VERDICT_COLORS.map(([v]) => v), range: VERDICT_COLORS.map(([, c]) => c) },
  };
  const tooltip: JsonValue[] = [
    { field: "label", type: "nominal", title: "benchmark" },
    { field: "baselineText", type: "nominal", title: "baseline" },
    { field: "candidateText", type: "nominal", title: "candidate" },
    { field: "changeText", type: "nominal", title: "ratio (95 % CI)" },
    { field: "pText", type: "nominal", title: "p" },
    { field: "qText", type: "nominal", title: "q" },
    { field: "verdictText", type: "nominal", title: "verdict" },
  ];
  const rule = (value: number, dashed: boolean): JsonValue => ({
    data: { values: [{ ref: value }] },
    mark: { type: "rule", color: dashed ? "#999999" : "#333333", ...(dashed ? { strokeDash: [4, 4] } : {}) },
    encoding: { x: { field: "ref", type: "quantitative", title: X_TITLE, scale: { zero: false } } },
  });
  const layer: JsonValue[] = [
    rule(1, false),
    ...(threshold > 0 ? [rule(1 - threshold, true), rule(1 + threshold, true)] : []),
    {
      transform: [{ filter: "isValid(datum.lower) && isValid(datum.upper)" }],
      mark: { type: "rule", strokeWidth: 2 },
      encoding: { y, x: { field: "lower", type: "quantitative", title: X_TITLE, scale: { zero: false } }, x2: { field: "upper" }, color, tooltip },
    },
    { mark: { type: "point", filled: true, size: 60 }, encoding: { y, x, color, tooltip } },
  ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? {
      text: `candidate / baseline per benchmark (95 % CI; dashed: ±${Number((threshold * 100).toPrecision(3))} %)`,
      // Criterion samples are batch means: say it where the numbers are, so nobody reads them as tail latency
      ...(rows.some((r) => r.kind === "time" && r.unit === "ns") ? { subtitle: "wall time: ratio of medians of Criterion's batch means (not per-message latency; no tail percentiles)" } : {}),
    },
    data: { values },
    width: options.width ?? 400,
    height: Math.max(40, (options.rowHeight ?? 18) * sorted.length),
    layer,
  };
}

function distinct<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
