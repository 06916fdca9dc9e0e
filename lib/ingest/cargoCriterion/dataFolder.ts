import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { LitlabError, ParseError } from "../../errors.js";
import type { SampleRow, TidyRow } from "../rows.js";
import { cargoCriterionDataRows, isMeasurementFile, type CargoCriterionDataOptions, type CborFile } from "./cborData.js";

/** A measurement of 100 samples is ~10 KB; anything this large is not cargo-criterion's. */
export const MAX_CBOR_FILE_BYTES = 16 * 1024 * 1024;

const isDataFile = (name: string): boolean => name === "benchmark.cbor" || isMeasurementFile(name);

/** Data files below `dir`, depth first in name order; symlinks are not followed. `maxDepth` bounds a cheap probe. */
async function* dataFilesBelow(dir: string, maxDepth = Infinity): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new LitlabError("not-found", `${dir}: cannot read folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { file: dir, cause: e });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    // reports/ is HTML; directory names of benchmarks may start with "." (Criterion keeps them), so only .git is skipped
    if (entry.isDirectory() && maxDepth > 0 && entry.name !== ".git" && entry.name !== "node_modules") yield* dataFilesBelow(full, maxDepth - 1);
    else if (entry.isFile() && isDataFile(entry.name)) yield full;
  }
}

/** Cheap probe: a benchmark.cbor within a few levels (CRITERION_HOME/data/main/group/function/param). */
export async function hasCargoCriterionData(dir: string): Promise<boolean> {
  try {
    for await (const f of dataFilesBelow(dir, 7)) if (basename(f) === "benchmark.cbor") return true;
  } catch {
    return false;
  }
  return false;
}

/**
 * Reads cargo-criterion's data files at `path`: a folder (any level of CRITERION_HOME down to one benchmark), or
 * one benchmark.cbor / measurement file, which stands for its benchmark folder.
 */
export async function readCargoCriterionData(path: string, isDir: boolean): Promise<{ root: string; files: CborFile[] }> {
  const root = isDir ? path : dirname(path);
  if (!isDir && !isDataFile(basename(path))) throw new ParseError(path, "not a cargo-criterion data file (benchmark.cbor or measurement_*.cbor)");
  const files: CborFile[] = [];
  for await (const full of dataFilesBelow(root, isDir ? Infinity : 0)) {
    const { size } = await stat(full);
    if (size > MAX_CBOR_FILE_BYTES) throw new ParseError(full, `${size} bytes is too large for a cargo-criterion record (limit ${MAX_CBOR_FILE_BYTES}); not read`);
    files.push({ path: relative(root, full).split(sep).join("/"), bytes: new Uint8Array(await readFile(full)) });
  }
  return { root, files };
}

/** Reads cargo-criterion's data folder from disk into tidy rows; errors name the real file. */
export async function ingestCargoCriterionData(
  path: string, options: Omit<CargoCriterionDataOptions, "root"> & { isDir?: boolean } = {},
): Promise<{ rows: TidyRow[]; samples: SampleRow[] }> {
  const isDir = options.isDir ?? (await stat(path)).isDirectory();
  const { root, files } = await readCargoCriterionData(path, isDir);
  return cargoCriterionDataRows(files, { ...(options.all === undefined ? {} : { all: options.all }), root });
}
