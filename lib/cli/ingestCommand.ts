import { ingestPath, INGEST_KINDS, type IngestKind } from "../ingest/index.js";
import { isLitlabError } from "../errors.js";
import { importRun } from "../store/importRun.js";
import { assertValidRunId } from "../store/runIdCheck.js";
import { parseCommandArgs, UsageError } from "./usage.js";

/** `litlab ingest PATH... --into RUN_ID`: copy the sources into a new import run and build its tables. */
async function ingestInto(paths: string[], into: string, values: { runs?: string; label?: string; kind?: string; json?: boolean }, args: string[]): Promise<number> {
  assertValidRunId(into);
  const result = await importRun(paths, {
    id: into, runsRoot: values.runs ?? "data/runs", ...(values.label !== undefined ? { label: values.label } : {}),
    ...(values.kind ? { kind: values.kind as IngestKind } : {}),
    command: ["litlab", "ingest", ...args],
  });
  // one bad path is reported and the others are still imported
  for (const f of result.failures) process.stderr.write(`litlab: ${f.error.message}\n`);
  const ids = new Set(result.rows.map((r) => r.id)).size;
  process.stdout.write(values.json
    ? JSON.stringify({ dir: result.dir, id: result.id, status: result.manifest.status, sources: result.manifest.imports?.length ?? 0, benchmarks: ids, rows: result.rows.length }) + "\n"
    : `${result.dir}: imported ${result.manifest.imports?.length ?? 0} source(s), ${ids} benchmarks, ${result.rows.length} rows\n`);
  return result.failures.length ? 2 : 0;
}

export async function ingestCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    json: { type: "boolean" }, kind: { type: "string" }, into: { type: "string" }, runs: { type: "string" }, label: { type: "string" },
  }, "ingest");
  if (positionals.length === 0) throw new UsageError("ingest: give at least one PATH");
  if (values.kind !== undefined && !(INGEST_KINDS as readonly string[]).includes(values.kind)) {
    throw new UsageError(`ingest: --kind must be one of ${INGEST_KINDS.join(", ")} (got ${values.kind})`);
  }
  if (values.into !== undefined) return ingestInto(positionals, values.into, values, args);
  if (values.runs !== undefined || values.label !== undefined) throw new UsageError("ingest: --runs and --label only go with --into RUN_ID");
  let failures = 0;
  for (const path of positionals) {
    try {
      const result = await ingestPath(path, values.kind ? { kind: values.kind as IngestKind } : undefined);
      for (const w of result.warnings ?? []) process.stderr.write(`litlab: warning: ${w.startsWith(path) ? w : `${path}: ${w}`}\n`);
      if (values.json) {
        for (const row of result.rows) process.stdout.write(JSON.stringify(row) + "\n");
      } else {
        const ids = new Set(result.rows.map((r) => r.id));
        process.stdout.write(`${path}: ${result.kind}, ${ids.size} benchmarks, ${result.rows.length} rows, ${result.samples.length} samples${result.deviceSamples ? `, ${result.deviceSamples.length} latency events` : ""}\n`);
      }
    } catch (e) {
      // one bad path is reported and the others still load
      if (!isLitlabError(e)) throw e;
      process.stderr.write(`litlab: ${e.message}\n`);
      failures++;
    }
  }
  return failures ? 2 : 0;
}
