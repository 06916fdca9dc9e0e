import { existsSync } from "node:fs";
import { formatRunSummary, listRunSummaries } from "../store/runSummary.js";
import { reindexRun } from "../store/reindex.js";
import { parseCommandArgs, UsageError } from "./usage.js";

/** `litlab reindex RUN_DIR`: rebuild a run's tables from its raw files. */
export async function reindexCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs(args, {}, "reindex");
  if (positionals.length !== 1) throw new UsageError("reindex: give exactly one RUN_DIR");
  return reindexAndReport(positionals[0]!);
}

async function reindexAndReport(dir: string): Promise<number> {
  const { rows } = await reindexRun(dir);
  process.stdout.write(`${dir}: rebuilt ${rows.length} rows from the raw files\n`);
  return 0;
}

/** `litlab runs [--runs DIR] [--json]`: one line per run; `--rebuild RUN_DIR` is kept as an alias of reindex. */
export async function runsCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { runs: { type: "string", default: "data/runs" }, rebuild: { type: "string" }, json: { type: "boolean" } }, "runs");
  if (values.rebuild) return reindexAndReport(values.rebuild);
  const summaries = await listRunSummaries(values.runs);
  // stdout stays empty (scripts read it); the note goes to stderr
  if (summaries.length === 0) process.stderr.write(`litlab: no runs in ${values.runs}${existsSync(values.runs) ? "" : " (the folder does not exist)"}\n`);
  for (const s of summaries) {
    process.stdout.write((values.json ? JSON.stringify(s) : formatRunSummary(s)) + "\n");
  }
  return 0;
}
