import { stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { LitlabError, ParseError } from "../errors.js";
import { NOT_BASELINES } from "./criterion/files.js";
import { criterionFilesBelow, ingestCriterionDir } from "./readTree.js";
import type { SampleRow, TidyRow } from "./rows.js";
import type { DeviceSampleRow } from "./device/deviceRows.js";
import { cargoCriterionDataReader, cargoCriterionJsonReader } from "./cargoCriterion/readers.js";
import { bencherReader, criterionStdoutReader } from "./text/readers.js";
import { filesBelow, readFolderOfFiles } from "./folderOfFiles.js";
import { memoryReaders } from "./memory/readers.js";
import { deviceRecordsReader } from "./device/readers.js";
import { cargoBloatReader, elfReader, sizeBerkeleyReader, sizeSysvReader } from "./footprint/readers.js";

export interface IngestResult {
  /** Which reader produced the rows, e.g. `criterion`. */
  kind: string;
  rows: TidyRow[];
  samples: SampleRow[];
  /** Device logs: one row per latency event (ticks), from `@LB sample` records. */
  deviceSamples?: DeviceSampleRow[];
  /** Lines the reader skipped as malformed (e.g. a `time:` line with two numbers), each naming where. */
  warnings?: string[];
}

/** One input format. Adding a format (Criterion stdout, bencher, dhat, massif, ...) is one more entry in READERS. */
export interface FormatReader {
  kind: string;
  /** What this format looks like on disk, for the "unrecognised format" message. */
  expects: string;
  /** Does this reader claim `path`? Reads as little as it can: every reader may be asked about every path. */
  detect(path: string, isDir: boolean): Promise<boolean>;
  read(path: string, isDir: boolean): Promise<Omit<IngestResult, "kind">>;
}

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

async function hasBenchmarkJsonBelow(dir: string): Promise<boolean> {
  for await (const file of criterionFilesBelow(dir)) if (basename(file) === "benchmark.json") return true;
  return false;
}

/**
 * A single benchmark.json / estimates.json: the benchmark folder it belongs to and its baseline (`new`, `base`,
 * `change`, ...), or null when it does not sit in a Criterion tree.
 */
async function criterionFileScope(file: string): Promise<{ benchDir: string; baseline: string } | null> {
  const name = basename(file);
  if (name !== "benchmark.json" && name !== "estimates.json") return null;
  const baselineDir = dirname(file);
  const benchDir = dirname(baselineDir);
  const baseline = basename(baselineDir);
  if (baseline === "change") return name === "estimates.json" && (await hasBenchmarkJsonBelow(benchDir)) ? { benchDir, baseline } : null;
  if (NOT_BASELINES.has(baseline)) return null;
  const both = (await exists(join(baselineDir, "benchmark.json"))) && (await exists(join(baselineDir, "estimates.json")));
  return both ? { benchDir, baseline } : null;
}

const criterionReader: FormatReader = {
  kind: "criterion",
  expects: "criterion: a folder with <dir>/new/benchmark.json + estimates.json below it, or one of those two files",
  detect: async (path, isDir) => (isDir ? hasBenchmarkJsonBelow(path) : (await criterionFileScope(path)) !== null),
  async read(path, isDir) {
    if (isDir) return ingestCriterionDir(path);
    // one file stands for its baseline of its benchmark (change/estimates.json: the change rows)
    const scope = await criterionFileScope(path);
    if (!scope) throw new ParseError(path, "not part of a Criterion tree (expected <benchmark>/<baseline>/benchmark.json + estimates.json)");
    return ingestCriterionDir(scope.benchDir, { baselines: [scope.baseline] });
  },
};

// Order matters: the first reader whose detect() says yes reads the path.
// Text readers come before cargo-criterion JSON, which claims only files holding `"reason"` messages.
const READERS: readonly FormatReader[] = [criterionReader, cargoCriterionDataReader, deviceRecordsReader, criterionStdoutReader, bencherReader, cargoCriterionJsonReader, ...memoryReaders, elfReader, sizeSysvReader, sizeBerkeleyReader, cargoBloatReader];
/** Readers of single files: a folder with no tree of its own is read as a folder of such files. */
const FILE_READERS: readonly FormatReader[] = [deviceRecordsReader, criterionStdoutReader, bencherReader, cargoCriterionJsonReader, ...memoryReaders, sizeSysvReader, sizeBerkeleyReader, cargoBloatReader];

export const INGEST_KINDS = READERS.map((r) => r.kind);
export type IngestKind = "criterion" | "cargo-criterion-json" | "cargo-criterion-data" | "criterion-stdout" | "bencher" | "dhat" | "massif" | "jemalloc" | "perf-stat" | "time" | "device-records" | "elf" | "size-sysv" | "size-berkeley" | "cargo-bloat";

/**
 * Reads benchmark output at `path` (a folder or a file) into tidy rows, picking the reader by content unless
 * `kind` forces one. A missing path is LitlabError `not-found`; content no reader knows is a ParseError.
 */
export async function ingestPath(path: string, options: { kind?: IngestKind } = {}): Promise<IngestResult> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (e) {
    throw new LitlabError("not-found", `${path} does not exist`, { file: path, cause: e });
  }
  let reader: FormatReader | undefined;
  if (options.kind !== undefined) {
    reader = READERS.find((r) => r.kind === options.kind);
    if (!reader) throw new LitlabError("usage", `unknown ingest kind "${options.kind}" (known: ${INGEST_KINDS.join(", ")})`);
    // a file format forced on a folder: every file below in that format
    if (isDir && FILE_READERS.includes(reader)) return folderResult(path, [reader]);
  } else {
    for (const r of READERS) {
      if (await r.detect(path, isDir)) {
        reader = r;
        break;
      }
    }
    if (!reader && isDir) {
      for (const f of await filesBelow(path)) {
        for (const r of FILE_READERS) if (await r.detect(f, false).catch(() => false)) return folderResult(path, FILE_READERS);
      }
    }
  }
  if (!reader) {
    if (!isDir && (await stat(path)).size === 0) throw new ParseError(path, "empty file: there is nothing to read (was the run cut short, or the log not written yet?)");
    const what = isDir ? "unrecognised format: nothing below this folder is a file litlab reads"
      : "unrecognised format";
    throw new ParseError(path, `${what} (litlab reads ${READERS.map((r) => r.kind).join(", ")}; see README "Reading results you already have"${isDir ? "" : "; a device log needs the firmware to print `@LB` records: README \"Device record protocol\""})`);
  }
  try {
    const result: IngestResult = { kind: reader.kind, ...(await reader.read(path, isDir)) };
    if (isDir && options.kind === undefined) {
      // a tree next to saved logs: the tree is read; say that the logs were not, rather than drop them silently
      const logs: string[] = [];
      for (const f of await filesBelow(path)) {
        if (/\.(json|csv|cbor)$/.test(f)) continue;
        for (const r of FILE_READERS) if (await r.detect(f, false).catch(() => false)) { logs.push(f); break; }
      }
      if (logs.length) result.warnings = [...(result.warnings ?? []), `${logs.length} log file(s) below were not read with the ${reader.kind} tree (e.g. ${logs[0]}); ingest them on their own`];
    }
    return result;
  } catch (e) {
    if (e instanceof LitlabError) throw e;
    // a file the reader could not even open (EISDIR, EACCES, ...): the user's input, not a bug
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new ParseError(path, `cannot read as ${reader.kind} (${code})`);
    throw e;
  }
}

async function folderResult(dir: string, readers: readonly FormatReader[]): Promise<IngestResult> {
  const { kinds, ...rest } = await readFolderOfFiles(dir, readers);
  return { kind: kinds.length === 1 ? kinds[0]! : `files (${kinds.join(", ")})`, ...rest };
}
