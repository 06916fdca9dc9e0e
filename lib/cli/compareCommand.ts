/**
 * `litlab compare BASE_RUN CAND_RUN [--runs DIR] [--threshold 2%|0.02] [--alpha 0.05] [--markdown FILE] [--json]
 * [--fail-on regression]`: the baseline-vs-candidate review of two stored runs (compareRuns), printed as the
 * Markdown summary (or, with --json, one JSON line per compared measurement). A run is a folder path or a run id
 * under --runs (default data/runs). Exit 1 when --fail-on regression and anything regressed (a CI gate), else 0;
 * bad usage throws UsageError / LitlabError, which `litlab` prints in one line with exit status 2.
 */
import { stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { compareRunRows, RUN_COMPARISON_COLUMNS } from "../analyze/compareRuns.js";
import { LitlabError } from "../errors.js";
import { compareSummary } from "../present/compareSummary.js";
import { forestChartSpec } from "../present/forestChart.js";
import { renderSvg } from "../present/svg.js";
import { writeFileAtomic } from "../store/atomic.js";
import { listRuns, loadRun, type LoadedRun } from "../store/runFolder.js";
import { repeatedRunsOf, runToRunNoise, type RunNoise } from "../analyze/runToRunNoise.js";
import { helpRequested, parseCommandArgs, UsageError } from "./usage.js";

export const COMPARE_USAGE = "compare BASE_RUN CAND_RUN [--runs DIR] [--threshold 2%|0.02] [--alpha 0.05] [--noise-from DIR|none] [--markdown FILE] [--svg FILE] [--json] [--fail-on regression]";
export const DEFAULT_RUNS_DIR = "data/runs";

export async function compareCommand(args: string[]): Promise<number> {
  if (helpRequested(args, COMPARE_USAGE)) return 0;
  const { values, positionals } = parseCommandArgs(args, {
    runs: { type: "string" }, threshold: { type: "string" }, alpha: { type: "string" },
    markdown: { type: "string" }, svg: { type: "string" }, "noise-from": { type: "string" }, json: { type: "boolean" }, "fail-on": { type: "string" },
  }, "compare");
  if (positionals.length !== 2) throw new UsageError(`compare: give two runs, baseline then candidate (${COMPARE_USAGE})`);
  const threshold = values.threshold === undefined ? 0.02 : parseThreshold(values.threshold);
  const alpha = values.alpha === undefined ? 0.05 : parseAlpha(values.alpha);
  const failOn = values["fail-on"];
  if (failOn !== undefined && failOn !== "regression") throw new UsageError(`compare: --fail-on takes "regression" (got ${failOn})`);
  const runsRoot = values.runs ?? DEFAULT_RUNS_DIR;

  const base = await findRun(positionals[0]!, runsRoot);
  const cand = await findRun(positionals[1]!, runsRoot);
  for (const r of [base, cand]) {
    if (r.manifest.status === "running") throw new LitlabError("usage", `compare: ${r.dir} is still running (or its process was killed: see \`litlab runs\`); compare finished runs`, { file: r.dir });
  }
  if (base.dir === cand.dir) process.stderr.write(`note: the baseline and the candidate are the same run (${basename(base.dir)}): an A/A check of the statistics, not a review\n`);
  let noise: Map<string, RunNoise> | undefined;
  const noiseFrom = values["noise-from"];
  if (noiseFrom && noiseFrom !== "none") {
    const repeated: LoadedRun[] = [];
    // the compared runs themselves must not set their own floor
    for (const d of await listRuns(noiseFrom)) if (resolve(d) !== resolve(base.dir) && resolve(d) !== resolve(cand.dir)) repeated.push(await loadRun(d));
    noise = runToRunNoise(repeated);
    if (noise.size === 0) throw new LitlabError("no-data", `--noise-from ${noiseFrom}: needs at least 3 finished runs of the same benchmarks (repeated runs of one commit) to learn run-to-run noise; found ${repeated.length} run(s)`, { file: noiseFrom });
    process.stderr.write(`run-to-run noise learned from ${repeated.length} runs in ${noiseFrom} for ${noise.size} benchmarks\n`);
  } else if (noiseFrom !== "none") {
    // by default, the store next to the baseline: runs repeating the baseline's commit and setup set the floors
    const store: LoadedRun[] = [];
    for (const d of await listRuns(dirname(base.dir))) {
      try { store.push(await loadRun(d)); } catch { /* a broken folder is not a repeat */ }
    }
    const repeated = repeatedRunsOf(base, store, [cand]);
    if (repeated.length >= 3) {
      noise = runToRunNoise(repeated);
      process.stderr.write(`run-to-run noise learned from ${repeated.length} repeated runs of commit ${base.manifest.git?.commit?.slice(0, 12)} in ${dirname(base.dir)} (--noise-from none to turn off)\n`);
    } else {
      process.stderr.write(`note: no run-to-run floors: ${repeated.length} repeated run(s) of the baseline's commit and setup in ${dirname(base.dir)} (3 needed), so verdicts rest on within-run noise only; on a busy machine that calls many unchanged benchmarks changed (README "Comparing runs": store a few runs of one commit, or --noise-from DIR)\n`);
    }
  }
  const rows = compareRunRows(base, cand, { threshold, alpha, ...(noise ? { noise } : {}) });
  if (rows.length > 0 && rows.every((r) => r.verdict === "missing in base" || r.verdict === "missing in candidate")) {
    throw new LitlabError("no-data", `compare: ${basename(base.dir)} and ${basename(cand.dir)} have no benchmark in common (${rows.filter((r) => r.verdict === "missing in candidate").length} only in the baseline, ${rows.filter((r) => r.verdict === "missing in base").length} only in the candidate)`);
  }
  const summary = compareSummary(rows, { base: basename(base.dir), cand: basename(cand.dir), threshold, alpha });
  if (values.markdown) await writeFileAtomic(values.markdown, summary.markdown);
  if (values.svg) await writeFileAtomic(values.svg, await renderSvg(forestChartSpec(rows, { threshold })));
  if (values.json) {
    for (const r of rows) process.stdout.write(JSON.stringify(Object.fromEntries(RUN_COMPARISON_COLUMNS.map((k) => [k, r[k]]))) + "\n");
  } else {
    process.stdout.write(summary.markdown);
  }
  return failOn === "regression" && rows.some((r) => r.verdict === "regressed") ? 1 : 0;
}

/** "2%", "2 %", "0.02" → 0.02. A bare number ≥ 1 is refused (2 would mean 200 %). */
export function parseThreshold(text: string): number {
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  const value = percent ? Number(percent[1]) / 100 : /^\s*\d*\.?\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value < 1)) throw new UsageError(`compare: --threshold must be a fraction below 1 or a percentage, e.g. 2% or 0.02 (got ${text})`);
  return value;
}

function parseAlpha(text: string): number {
  const value = /^\s*\d*\.?\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!(value > 0 && value < 1)) throw new UsageError(`compare: --alpha must be a number between 0 and 1, e.g. 0.05 (got ${text})`);
  return value;
}

/** A run folder path, else a run id under `runsRoot`. */
async function findRun(arg: string, runsRoot: string): Promise<LoadedRun> {
  for (const dir of [arg, join(runsRoot, arg)]) {
    if (await isDirectory(dir)) return loadRun(dir);
  }
  throw new LitlabError("not-found", `compare: run ${arg} not found (no such folder, and no run ${arg} in ${runsRoot}); give a run folder or an id listed by \`litlab runs --runs ${runsRoot}\``, { file: arg });
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
