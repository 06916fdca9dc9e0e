/**
 * The review half of `lab` (issue 6): baseline vs candidate, and a benchmark's history with its steps.
 * lab.ts spreads these in.
 */
import type { ColumnTable } from "arquero";
import type { LoadedRun } from "./store/runFolder.js";
import { compareRuns, comparisonRowsOf, type CompareRunsOptions, type RunComparisonRow } from "./analyze/compareRuns.js";
import { runToRunNoise } from "./analyze/runToRunNoise.js";
import { benchmarkHistory, historySteps, type HistoryPoint, type HistoryStep } from "./analyze/history.js";
import type { ChangePointOptions } from "./analyze/stats/changePoints.js";
import { forestChartSpec } from "./present/forestChart.js";
import { compareSummary } from "./present/compareSummary.js";
import { trendChartSpec } from "./present/trendChart.js";
import { chartBundle, tableBundle } from "./present/bundle.js";
import { displayBundle } from "./present/display.js";
import type { VegaLiteSpec } from "./present/runtimeChart.js";

export interface Comparison {
  table: ColumnTable;
  rows: RunComparisonRow[];
  /** Ratios with their CIs, sorted by effect, coloured by verdict. */
  chart: VegaLiteSpec;
  /** Headline + table, ready for a pull request. */
  markdown: string;
  html: string;
  headline: string;
}

const runName = (r: LoadedRun): string => r.dir.split("/").pop() ?? r.manifest.id;

function compare(base: LoadedRun, cand: LoadedRun, options: CompareRunsOptions = {}): Comparison {
  const table = compareRuns(base, cand, options);
  const rows = comparisonRowsOf(table);
  const threshold = options.threshold ?? 0.02;
  const summary = compareSummary(rows, { base: runName(base), cand: runName(cand), threshold, ...(options.alpha !== undefined ? { alpha: options.alpha } : {}) });
  return { table, rows, chart: forestChartSpec(rows, { threshold }), markdown: summary.markdown, html: summary.html, headline: summary.headline };
}

export const compareLab = {
  /** Baseline vs candidate per benchmark: ratio of medians + bootstrap CI, Mann-Whitney p, FDR q, verdict. */
  compare,
  /** Shows the review summary (headline + table) and the forest chart. */
  async showCompare(base: LoadedRun, cand: LoadedRun, options: CompareRunsOptions = {}): Promise<Comparison> {
    const c = compare(base, cand, options);
    displayBundle(tableBundle(c.html, c.markdown));
    displayBundle(await chartBundle(c.chart));
    return c;
  },
  /** Per-benchmark run-to-run noise floors from repeated runs of one commit: pass as `compare(a, b, { noise })`. */
  runToRunNoise,
  /** One point per run × benchmark (oldest first) and the change points in each benchmark's series. */
  history(runs: readonly LoadedRun[], options: { id?: RegExp } & ChangePointOptions = {}): { points: HistoryPoint[]; steps: HistoryStep[]; chart: VegaLiteSpec } {
    const { id, ...cp } = options;
    const points = benchmarkHistory(runs, id ? { id } : {});
    const steps = historySteps(points, cp);
    return { points, steps, chart: trendChartSpec(points, steps) };
  },
};
