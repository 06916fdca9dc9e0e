import { join } from "node:path";
import { ingestCriterionDir } from "../ingest/readTree.js";
import type { SampleRow, TidyRow } from "../ingest/rows.js";
import { writeJsonLinesAtomic } from "./atomic.js";
import { RUN_LAYOUT } from "./runFolder.js";

/**
 * (Re)builds a run's tidy tables from its raw Criterion tree. Tables are derived data: deleting them
 * and calling this again gives the same rows, which is why the raw files are always kept.
 */
export async function writeRunTables(dir: string): Promise<{ rows: TidyRow[]; samples: SampleRow[] }> {
  const { rows, samples } = await ingestCriterionDir(join(dir, RUN_LAYOUT.criterionHome));
  await writeJsonLinesAtomic(join(dir, RUN_LAYOUT.rows), rows);
  await writeJsonLinesAtomic(join(dir, RUN_LAYOUT.samples), samples);
  return { rows, samples };
}
