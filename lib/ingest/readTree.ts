import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { LitlabError, ParseError } from "../errors.js";
import { criterionRows, type CriterionRows, type CriterionRowsOptions } from "./criterion/criterionRows.js";
import { CRITERION_FILE_NAMES, type CriterionFile } from "./criterion/files.js";

/**
 * Larger files are not read. Criterion's estimates.json and benchmark.json are under 2 KB and a 100-sample
 * sample.json ~4 KB, so anything this big is not Criterion's.
 */
export const MAX_CRITERION_FILE_BYTES = 8 * 1024 * 1024;

// These never hold a Criterion tree worth reading and can be huge. report/ and other dot-folders are NOT skipped:
// Criterion makes `report/` and `. x/` folders for benchmarks named so (found by the id round-trip property test),
// and walking an HTML report folder costs only its directory listing.
const SKIP_DIRS = new Set(["node_modules", ".git"]);

/**
 * Yields the Criterion data files (benchmark.json, estimates.json, sample.json) below `root`, depth first in
 * name order. Symlinks are not followed (no cycles), and node_modules/ and .git/ are skipped.
 */
export async function* criterionFilesBelow(root: string): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (e) {
    // a folder that vanished or cannot be read is reported with its path rather than as a bare errno
    throw new LitlabError("not-found", `${root}: cannot read folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { file: root, cause: e });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(root, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) yield* criterionFilesBelow(full);
    } else if (entry.isFile() && CRITERION_FILE_NAMES.has(entry.name)) {
      yield full;
    }
  }
}

async function requireDir(dir: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (e) {
    throw new LitlabError("not-found", `${dir} does not exist`, { file: dir, cause: e });
  }
  if (!isDir) throw new ParseError(dir, "is a file, not a Criterion folder (give the folder that holds <benchmark>/new/)");
}

/** Reads the files of a Criterion tree that the parser needs; paths come back posix and relative to `dir`. */
export async function readCriterionTree(dir: string, options: { maxFileBytes?: number } = {}): Promise<CriterionFile[]> {
  const limit = options.maxFileBytes ?? MAX_CRITERION_FILE_BYTES;
  await requireDir(dir);
  const out: CriterionFile[] = [];
  for await (const full of criterionFilesBelow(dir)) {
    const path = relative(dir, full).split(sep).join("/");
    const { size } = await stat(full);
    if (size > limit) {
      // samples are a detail the rows do not need: a giant sample.json is left out; a giant estimate is an error
      if (path.endsWith("sample.json") || path.endsWith("raw.csv")) continue;
      throw new ParseError(full, `${size} bytes is too large for a Criterion file (limit ${limit}); not read`);
    }
    out.push({ path, text: await readFile(full, "utf8") });
  }
  return out;
}

/** Reads a Criterion tree from disk into tidy rows; errors name the file with `dir` in front. */
export async function ingestCriterionDir(dir: string, options: Omit<CriterionRowsOptions, "root"> = {}): Promise<CriterionRows> {
  const files = await readCriterionTree(dir);
  return criterionRows(files, { ...options, root: dir });
}
