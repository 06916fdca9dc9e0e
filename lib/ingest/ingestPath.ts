import { stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { LitlabError, ParseError } from "../errors.js";
import { ingestCriterionDir } from "./readTree.js";
import type { SampleRow, TidyRow } from "./rows.js";

export type IngestKind = "criterion";

export interface IngestResult {
  kind: IngestKind;
  rows: TidyRow[];
  samples: SampleRow[];
}

interface Reader {
  kind: IngestKind;
  /** Does this reader recognise the path (a directory or a file)? */
  detect(path: string, isDir: boolean): boolean;
  read(path: string, isDir: boolean): Promise<Omit<IngestResult, "kind">>;
}

// One entry per format; more formats (Criterion stdout, bencher, dhat, massif, ...) add a reader here.
const READERS: Reader[] = [
  {
    kind: "criterion",
    detect: (path, isDir) => isDir || ["benchmark.json", "estimates.json"].includes(basename(path)),
    // a single file of a tree is read as its baseline folder's benchmark
    read: (path, isDir) => ingestCriterionDir(isDir ? path : dirname(dirname(path))),
  },
];

/** Reads benchmark output at `path`, picking the parser by content unless `kind` forces one. */
export async function ingestPath(path: string, options: { kind?: IngestKind } = {}): Promise<IngestResult> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new LitlabError("not-found", `${path} does not exist`, { file: path });
  }
  const reader = options.kind ? READERS.find((r) => r.kind === options.kind) : READERS.find((r) => r.detect(path, isDir));
  if (!reader) throw new ParseError(path, "unrecognised format (litlab reads Criterion trees: a folder with <benchmark>/new/estimates.json)");
  return { kind: reader.kind, ...(await reader.read(path, isDir)) };
}
