/**
 * `litlab history [--runs DIR] [--bench REGEX] [--penalty N] [--min-segment N] [--json] [--svg FILE]`: every stored
 * run as one history per benchmark, and the runs (commits) where a benchmark stepped to a new level.
 */
import { resolve } from "node:path";
import { LitlabError } from "../errors.js";
import { listRuns, loadRun, type LoadedRun } from "../store/runFolder.js";
import { benchmarkHistory, historySteps } from "../analyze/history.js";
import { trendChartSpec } from "../present/trendChart.js";
import { renderSvg } from "../present/svg.js";
import { formatValue } from "../present/humanize.js";
import { writeFileAtomic } from "../store/atomic.js";
import { helpRequested, parseCommandArgs, UsageError } from "./usage.js";

export const HISTORY_USAGE = "history [--runs DIR] [--bench REGEX] [--penalty N] [--min-segment N] [--json] [--svg FILE]";

export async function historyCommand(args: string[]): Promise<number> {
  if (helpRequested(args, HISTORY_USAGE)) return 0;
  const { values, positionals } = parseCommandArgs(args, {
    runs: { type: "string", default: "data/runs" }, bench: { type: "string" }, penalty: { type: "string" },
    "min-segment": { type: "string" }, json: { type: "boolean" }, svg: { type: "string" },
  }, "history");
  if (positionals.length) throw new UsageError(`history: unexpected ${JSON.stringify(positionals[0])} (${HISTORY_USAGE})`);
  let id: RegExp | undefined;
  if (values.bench) {
    try { id = new RegExp(values.bench); } catch (e) { throw new UsageError(`history: --bench ${JSON.stringify(values.bench)} is not a valid regular expression (${(e as Error).message})`); }
  }
  const num = (flag: string, v: string | undefined, min: number): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new UsageError(`history: --${flag} must be a number ≥ ${min} (got ${v})`);
    return n;
  };
  const penalty = num("penalty", values.penalty, 0);
  const minSegment = num("min-segment", values["min-segment"], 1);
  const root = resolve(values.runs);
  const runs: LoadedRun[] = [];
  for (const dir of await listRuns(root)) {
    try { runs.push(await loadRun(dir)); } catch (e) { process.stderr.write(`skipped ${dir}: ${(e as Error).message}\n`); }
  }
  if (runs.length === 0) throw new LitlabError("not-found", `no runs in ${root} (store some with \`litlab run host\`, or give --runs DIR)`, { file: root });
  const points = benchmarkHistory(runs, id ? { id } : {});
  if (points.length === 0) throw new LitlabError("no-data", `no benchmark${values.bench ? ` matching /${values.bench}/` : ""} in the ${runs.length} runs of ${root}`);
  const longest = Math.max(...[...new Set(points.map((p) => p.id))].map((id) => points.filter((p) => p.id === id).length));
  if (longest < 6) process.stderr.write(`note: ${longest} run(s) per benchmark at most: steps are looked for from 6 runs on, so none can be reported yet\n`);
  const steps = historySteps(points, { ...(penalty !== undefined ? { penalty } : {}), ...(minSegment !== undefined ? { minSegment: Math.round(minSegment) } : {}) });
  if (values.svg) await writeFileAtomic(values.svg, await renderSvg(trendChartSpec(points, steps)));
  if (values.json) {
    for (const s of steps) process.stdout.write(JSON.stringify(s) + "\n");
    return 0;
  }
  const benchmarks = new Set(points.map((p) => p.id)).size;
  process.stdout.write(`${runs.length} runs, ${benchmarks} benchmarks, ${steps.length} step(s)\n`);
  for (const s of steps) {
    const sign = s.change >= 0 ? "+" : "";
    process.stdout.write(`${s.id}: ${formatValue(s.before, s.unit)} → ${formatValue(s.after, s.unit)} (${sign}${(s.change * 100).toFixed(1)} %) from run ${s.run}${s.commit ? ` (commit ${s.commit.slice(0, 12)})` : ""}\n`);
  }
  return 0;
}
