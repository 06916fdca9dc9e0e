import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { ColumnTable } from "arquero";
import { isLitlabError, LitlabError } from "../errors.js";
import { listRuns, loadRun, RUN_LAYOUT, type LoadedRun } from "../store/runFolder.js";
import { rowsTable } from "./rowsTable.js";
import { runtimeOf } from "./runtimeLabels.js";

export interface RunsTableOptions {
  /** Keep only benchmarks with this id (a string matches exactly, a RegExp anywhere: anchor it). */
  id?: string | RegExp;
  /** Keep only these runs (run ids). */
  run?: string | string[];
}

export interface LoadRunsTableOptions extends RunsTableOptions {
  /** Called for each run folder under a root that could not be loaded (default: one line on stderr). */
  onSkip?: (dir: string, error: LitlabError) => void;
}

/** Run metadata joined onto every row, after the tidy columns, in this order. */
export const RUN_COLUMNS = ["run", "commit", "dirty", "host", "cpu", "runtime", "target"] as const;

const idMatcher = (id: string | RegExp | undefined): ((s: string) => boolean) => {
  if (id === undefined) return () => true;
  if (typeof id === "string") return (s) => s === id;
  return (s) => { id.lastIndex = 0; return id.test(s); };
};

/**
 * Many runs as one Arquero table: every tidy row with its run's metadata joined (`run`, `commit`, `dirty`, `host`,
 * `cpu`), the `runtime` label of its function id (runtimeLabels) and its bench `target` (the row's own, else the
 * target derived from the run's raw stdout, else null). Host and CPU are null for imports: where foreign results
 * ran is not known.
 */
export function runsTable(runs: readonly LoadedRun[], options: RunsTableOptions = {}): ColumnTable {
  const keepId = idMatcher(options.id);
  const runs_ = options.run === undefined ? null : new Set(Array.isArray(options.run) ? options.run : [options.run]);
  const out: Record<string, unknown>[] = [];
  for (const run of runs) {
    const m = run.manifest;
    // the run's key is its folder name (what loadRun puts in `run`), so a copied folder stays a run of its own
    const key = basename(run.dir);
    if (runs_ && !runs_.has(key)) continue;
    const meta = {
      run: key, commit: m.git?.commit ?? null, dirty: m.git?.dirty ?? null,
      host: m.host?.hostname ?? null, cpu: m.host?.cpuModel ?? null,
    };
    for (const row of run.rows) {
      if (!keepId(row.id)) continue;
      // rebuilt so the joined columns always come in RUN_COLUMNS order, whatever the row carried
      const { target, run: _run, ...tidy } = row;
      out.push({
        ...tidy, ...meta,
        runtime: runtimeOf(row.function),
        target: target ?? run.targetOf?.get(row.id) ?? null,
      });
    }
  }
  if (out.length === 0) {
    // keep the columns so that filters and pivots downstream need no special case
    return rowsTable([]).assign(Object.fromEntries(RUN_COLUMNS.map((c) => [c, [] as unknown[]])));
  }
  return rowsTable(out);
}

const isRunFolder = (dir: string): Promise<boolean> => stat(join(dir, RUN_LAYOUT.manifest)).then((s) => s.isFile(), () => false);

/**
 * Loads runs from disk into one table (see runsTable). `dirsOrRoot` is a run folder, a folder of run folders
 * (`data/runs`), or a list of run folders. Under a root, a run that cannot be loaded is skipped (and reported
 * through `onSkip`) so one broken folder does not hide the others; a run folder named explicitly must load.
 */
export async function loadRunsTable(dirsOrRoot: string | readonly string[], options: LoadRunsTableOptions = {}): Promise<ColumnTable> {
  const runs: LoadedRun[] = [];
  if (typeof dirsOrRoot === "string" && !(await isRunFolder(dirsOrRoot))) {
    if (!existsSync(dirsOrRoot)) throw new LitlabError("not-found", `${dirsOrRoot} does not exist (give a run folder or a folder of runs, e.g. data/runs)`, { file: dirsOrRoot });
    const skip = options.onSkip ?? ((dir: string, e: LitlabError) => process.stderr.write(`litlab: skipped ${dir}: ${e.message}\n`));
    for (const dir of await listRuns(dirsOrRoot)) {
      try {
        runs.push(await loadRun(dir));
      } catch (e) {
        if (!isLitlabError(e)) throw e;
        skip(dir, e);
      }
    }
  } else {
    for (const dir of typeof dirsOrRoot === "string" ? [dirsOrRoot] : dirsOrRoot) runs.push(await loadRun(dir));
  }
  if (runs.length === 0) throw new LitlabError("not-found", `no litlab runs in ${String(dirsOrRoot)} (a run folder has a manifest.json)`);
  return runsTable(runs, options);
}
