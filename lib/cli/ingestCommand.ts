import { ingestPath, INGEST_KINDS, type IngestKind } from "../ingest/index.js";
import { isLitlabError } from "../errors.js";
import { parseCommandArgs, UsageError } from "./usage.js";

export async function ingestCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: "boolean" }, kind: { type: "string" } }, "ingest");
  if (positionals.length === 0) throw new UsageError("ingest: give at least one PATH");
  if (values.kind !== undefined && !(INGEST_KINDS as readonly string[]).includes(values.kind)) {
    throw new UsageError(`ingest: --kind must be one of ${INGEST_KINDS.join(", ")} (got ${values.kind})`);
  }
  let failures = 0;
  for (const path of positionals) {
    try {
      const result = await ingestPath(path, values.kind ? { kind: values.kind as IngestKind } : undefined);
      if (values.json) {
        for (const row of result.rows) process.stdout.write(JSON.stringify(row) + "\n");
      } else {
        const ids = new Set(result.rows.map((r) => r.id));
        process.stdout.write(`${path}: ${result.kind}, ${ids.size} benchmarks, ${result.rows.length} rows, ${result.samples.length} samples\n`);
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
