/**
 * `lab`: the helpers a notebook cell needs, preloaded by the litlab kernel (`import { lab } from "litlab"`).
 * Thin glue over the stages: load runs, compare runtimes, show charts and tables as rich MIME bundles.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ColumnTable } from "arquero";
import { listRuns, loadRun, type LoadedRun } from "./store/runFolder.js";
import { rowsTable } from "./analyze/rowsTable.js";
import { loadRunsTable } from "./analyze/runsTable.js";
import { pivotRuntimeByParam } from "./analyze/pivot.js";
import { registerRuntime, runtimeOf } from "./analyze/runtimeLabels.js";
import { toDanfo } from "./analyze/toDanfo.js";
import { memoryPerActor, perMessageOverhead } from "./analyze/memoryPerActor.js";
import { linearFit } from "./analyze/linearFit.js";
import { jemallocFragmentation, growthVerdict } from "./analyze/fragmentation.js";
import { runMemory } from "./trigger/memoryRun.js";
import { loadSweep, memorySweep, methodAgreement } from "./trigger/memorySweep.js";
import { loadMailboxSweep, mailboxSweep } from "./trigger/mailboxSweep.js";
import { churnRun, loadChurnSummary } from "./trigger/churnRun.js";
import { fragmentationSpec, heapTimelineSpec, memoryPerActorSpec } from "./present/memoryCharts.js";
import { allocationSitesTable, memoryFitTable } from "./present/memoryTables.js";
import { runtimeComparison } from "./analyze/runtimeComparison.js";
import { runtimeComparisonSpec } from "./present/runtimeChart.js";
import { chartBundle, tableBundle, type MimeBundle } from "./present/bundle.js";
import { displayBundle } from "./present/display.js";
import { htmlTable, markdownTable } from "./present/table.js";
import { comparisonTable } from "./present/comparisonTable.js";
import type { VegaLiteSpec } from "./present/runtimeChart.js";
import { runHost, type HostRunOptions } from "./trigger/hostRun.js";
import { formatRunEvent } from "./trigger/events.js";
import { LitlabError } from "./errors.js";
import { PROJECT_ROOT } from "./version.js";
import { runInfoMarkdown, runInfoHtml } from "./present/runInfo.js";
import { deviceLab } from "./labDevice.js";
import { compareLab } from "./labCompare.js";

export type { LoadedRun } from "./store/runFolder.js";

/** Where `currentRun()` found its run. */
export type RunOrigin = "live" | "bundled" | "stored";

/**
 * The newest run under `root` that has results: a failed run, or one whose filter matched nothing, would give a
 * notebook empty charts, so it is passed over (it stays listed by `litlab runs`; LITLAB_RUN still picks it).
 */
async function newestUsableIn(root: string): Promise<LoadedRun | undefined> {
  for (const dir of (await listRuns(root)).reverse()) {
    try {
      const run = await loadRun(dir);
      // device and memory runs have no host timings: the notebooks that call this chart Criterion results
      if (run.manifest.status !== "failed" && run.manifest.kind !== "device" && run.manifest.kind !== "memory" && run.rows.some((r) => r.metric === "time" && r.unit === "ns")) return run;
    } catch {
      // a broken run folder is not a candidate; `litlab runs` reports it
    }
  }
  return undefined;
}

/**
 * The run a notebook should show: `$LITLAB_RUN` (set by `litlab main` / `litlab report --run`), else the newest
 * run in `./data/runs` or the project's data/runs, else the bundled run.
 */
async function currentRun(): Promise<LoadedRun & { origin: RunOrigin; note: string | null }> {
  const fromEnv = process.env["LITLAB_RUN"];
  const origin = (process.env["LITLAB_RUN_ORIGIN"] as RunOrigin | undefined) ?? "stored";
  const note = process.env["LITLAB_RUN_NOTE"] ?? null;
  if (fromEnv) return { ...(await loadRun(fromEnv)), origin, note };
  for (const root of [resolve("data/runs"), resolve("../data/runs"), join(PROJECT_ROOT, "data/runs")]) {
    const run = existsSync(root) ? await newestUsableIn(root) : undefined;
    if (run) return { ...run, origin: "stored", note: null };
  }
  const bundled = await newestUsableIn(join(PROJECT_ROOT, "data/bundled"));
  if (!bundled) throw new LitlabError("not-found", "no run with results found: set LITLAB_RUN or run `litlab run host` first");
  return { ...bundled, origin: "bundled", note: null };
}

function show(bundle: MimeBundle): void {
  displayBundle(bundle);
}

export const lab = {
  ...deviceLab,
  ...compareLab,
  currentRun,
  loadRun,
  listRuns,
  /**
   * Loads runs (folders, or a folder of runs) as one table with run metadata joined: run, commit, dirty, host,
   * cpu, runtime, target. Filter with `{ id: "exact" | /regex/, run: "id" | ["id", ...] }`.
   */
  loadRuns: loadRunsTable,
  /** One row per (group, param) with a column per runtime. */
  pivot: pivotRuntimeByParam,
  runtimeOf,
  registerRuntime,
  toDanfo,
  /** Bytes per actor: OLS fit of heap over actor count per runtime × method, with a 95 % CI, R² and poor-fit flags. */
  memoryPerActor,
  perMessageOverhead,
  linearFit,
  jemallocFragmentation,
  growthVerdict,
  /** Profiles a program's memory (dhat, massif, jemalloc, time, rss) into a run folder. */
  runMemory,
  /** Runs the memory-per-actor sweep on the reference workload; loadSweep reads a recorded one. */
  memorySweep,
  loadSweep,
  methodAgreement,
  /** Per-message mailbox overhead: fill-mailbox swept over queued messages. */
  mailboxSweep,
  loadMailboxSweep,
  /** Actor churn under massif/rss/jemalloc: heap growth verdict and fragmentation. */
  churnRun,
  loadChurnSummary,
  /** Bytes vs actor count per runtime with fitted lines and reference lines (Vega-Lite spec). */
  memoryPerActorChart: memoryPerActorSpec,
  heapTimelineChart: heapTimelineSpec,
  fragmentationChart: fragmentationSpec,
  /** Shows the top allocation sites (DHAT / massif) as a table. */
  showAllocationSites(sites: Parameters<typeof allocationSitesTable>[0], options: Parameters<typeof allocationSitesTable>[1] = {}): void {
    const { html, markdown } = allocationSitesTable(sites, options);
    show(tableBundle(html, markdown));
  },
  showMemoryFits(fits: Parameters<typeof memoryFitTable>[0], options: Parameters<typeof memoryFitTable>[1] = {}): void {
    const { html, markdown } = memoryFitTable(fits, options);
    show(tableBundle(html, markdown));
  },
  table: rowsTable,
  comparison(rows: readonly object[] | ColumnTable, options: Parameters<typeof runtimeComparison>[1] = {}): ColumnTable {
    const t = Array.isArray(rows) ? rowsTable(rows) : (rows as ColumnTable);
    return runtimeComparison(t, options);
  },
  /** A runtime-comparison Vega-Lite spec (plain data) for one group's rows. */
  runtimeChart(rows: readonly object[], options: { group?: string; metric?: "time" | "throughput"; logScale?: boolean; title?: string; xTitle?: string } = {}): VegaLiteSpec {
    const metric = options.metric ?? "time";
    const all = rowsTable(rows);
    const t = runtimeComparison(all, { metric, ...(options.group ? { group: options.group } : {}) });
    if (t.numRows() === 0) {
      // an empty chart looks like a result; say what is there instead
      const groups = [...new Set(rows.map((r) => (r as { group?: unknown }).group).filter((g) => typeof g === "string"))].sort();
      throw new LitlabError("no-data", `no ${metric} rows${options.group ? ` for group "${options.group}"` : ""} in these ${rows.length} rows (groups: ${groups.join(", ") || "none"})`);
    }
    return runtimeComparisonSpec(t, { metric, ...(options.logScale !== undefined ? { logScale: options.logScale } : {}), ...(options.title ? { title: options.title } : {}), ...(options.xTitle ? { xTitle: options.xTitle } : {}) });
  },
  /** Shows a chart as one display: interactive Vega-Lite + static SVG. */
  async showChart(spec: VegaLiteSpec): Promise<void> {
    show(await chartBundle(spec));
  },
  showTable(data: readonly object[] | ColumnTable, options: { columns?: string[]; caption?: string } = {}): void {
    show(tableBundle(htmlTable(data, options), markdownTable(data, options)));
  },
  /** Shows time (with CI) and throughput per group, size and runtime as one table. */
  showComparison(rows: readonly object[] | ColumnTable, options: { group?: string; caption?: string } = {}): void {
    const t = Array.isArray(rows) ? rowsTable(rows) : (rows as ColumnTable);
    const { html, markdown } = comparisonTable(t, options);
    show(tableBundle(html, markdown));
  },
  showRunInfo(run: LoadedRun & { origin?: RunOrigin; note?: string | null }): void {
    show({ "text/html": runInfoHtml(run), "text/markdown": runInfoMarkdown(run), "text/plain": runInfoMarkdown(run) });
  },
  /** Triggers a host run from a notebook, printing progress lines as they come. */
  async runHost(options: HostRunOptions): Promise<LoadedRun> {
    const result = await runHost({ ...options, onEvent: options.onEvent ?? ((e) => { const l = formatRunEvent(e); if (l) console.log(l); }) });
    return loadRun(result.dir);
  },
};
