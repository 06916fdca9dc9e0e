import { listRuns, loadRun, readManifest } from "../store/runFolder.js";
import { writeRunTables } from "../store/tables.js";
import { writeManifest, RUN_LAYOUT } from "../store/runFolder.js";
import { parseCommandArgs } from "./usage.js";

export async function runsCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { runs: { type: "string", default: "data/runs" }, rebuild: { type: "string" }, json: { type: "boolean" } }, "runs");
  if (values.rebuild) {
    const manifest = await readManifest(values.rebuild);
    const { rows } = await writeRunTables(values.rebuild);
    manifest.tables = { rows: RUN_LAYOUT.rows, samples: RUN_LAYOUT.samples };
    await writeManifest(values.rebuild, manifest);
    process.stdout.write(`${values.rebuild}: rebuilt ${rows.length} rows from the raw Criterion tree\n`);
    return 0;
  }
  for (const dir of await listRuns(values.runs)) {
    const run = await loadRun(dir);
    const m = run.manifest;
    const ids = new Set(run.rows.map((r) => r.id)).size;
    const line = values.json
      ? JSON.stringify({ id: m.id, dir, status: m.status, startedAt: m.startedAt, package: m.package, benchmarks: ids })
      : `${m.id}  ${m.status.padEnd(7)} ${m.package ?? ""}  ${ids} benchmarks  ${m.git.commit?.slice(0, 10) ?? "no git"}${m.git.dirty ? "+dirty" : ""}`;
    process.stdout.write(line + "\n");
  }
  return 0;
}
