import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { LitlabError } from "../../errors.js";
import type { CriterionFile } from "./criterionRows.js";

const WANTED = new Set(["benchmark.json", "estimates.json", "sample.json"]);
// a sample.json of 100 samples is a few KB; anything far bigger is not Criterion's
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Reads the JSON files of a Criterion tree that the parser needs (skips report/ folders, SVGs, HTML). */
export async function readCriterionTree(root: string): Promise<CriterionFile[]> {
  try {
    if (!(await stat(root)).isDirectory()) throw new LitlabError("not-found", `${root} is not a directory`, { file: root });
  } catch (e) {
    if (e instanceof LitlabError) throw e;
    throw new LitlabError("not-found", `${root} does not exist`, { file: root });
  }
  const out: CriterionFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "report") await walk(full);
      } else if (entry.isFile() && WANTED.has(entry.name)) {
        const size = (await stat(full)).size;
        if (size > MAX_FILE_BYTES) throw new LitlabError("parse", `${full}: ${size} bytes is too large for a Criterion file`, { file: full });
        out.push({ path: relative(root, full).split(sep).join("/"), text: await readFile(full, "utf8") });
      }
    }
  };
  await walk(root);
  return out;
}
