import { ParseError } from "../errors.js";
import { criterionRows } from "./criterion/criterionRows.js";
import { readCriterionTree } from "./criterion/readTree.js";
import type { SampleRow, TidyRow } from "./rows.js";
import { join } from "node:path";

/** Reads a Criterion tree from disk into rows; errors name the file with its full path. */
export async function ingestCriterionDir(dir: string): Promise<{ rows: TidyRow[]; samples: SampleRow[] }> {
  const files = await readCriterionTree(dir);
  try {
    return criterionRows(files, { root: dir });
  } catch (e) {
    if (e instanceof ParseError && e.file && e.file !== dir) {
      throw new ParseError(join(dir, e.file), e.message.slice(e.file.length + 2));
    }
    throw e;
  }
}
