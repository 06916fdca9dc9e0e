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
  for (const s of await listRunSummaries(values.runs)) {
    process.stdout.write((values.json ? JSON.stringify(s) : formatRunSummary(s)) + "\n");
  }
  return 0;
}
