import { readdir } from "node:fs/promises";
import { basename, join, relative, sep } from "node:path";
import { LitlabError, ParseError } from "../errors.js";
import type { FormatReader, IngestResult } from "./ingestPath.js";

// A folder of CI logs is small; a bound keeps `litlab ingest ~` from walking a whole disk.
const MAX_FILES = 2000;
const MAX_DEPTH = 6;
const SKIP_DIRS = new Set(["node_modules", ".git", "target"]);

/** Regular files below `dir` (sorted, bounded), skipping folders that never hold benchmark logs. */
export async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = join(d, e.name);
      if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await walk(full, depth + 1);
      else if (e.isFile() && out.length < MAX_FILES) out.push(full);
    }
  };
  await walk(dir, 0);
  return out;
}

/**
 * Reads every file below `dir` that one of `readers` recognises (a folder of saved `cargo bench` logs, say) and
 * concatenates their rows; `source` gets the file's path relative to `dir` in front. A file that a reader claims but
 * cannot read becomes a warning naming it, so one bad log does not hide the others.
 */
export async function readFolderOfFiles(dir: string, readers: readonly FormatReader[]): Promise<Omit<IngestResult, "kind"> & { kinds: string[] }> {
  const result = { rows: [] as IngestResult["rows"], samples: [] as IngestResult["samples"], warnings: [] as string[], kinds: [] as string[] };
  let firstError: LitlabError | undefined;
  const unread: string[] = [];
  for (const file of await filesBelow(dir)) {
    const reader = await firstDetecting(readers, file);
    if (!reader) {
      unread.push(file);
      continue;
    }
    const rel = relative(dir, file).split(sep).join("/");
    try {
      const r = await reader.read(file, false);
      const prefix = (s: string): string => (s === rel || s.startsWith(`${rel}/`) ? s : rel.includes("/") ? `${rel.slice(0, rel.lastIndexOf("/"))}/${s}` : s);
      result.rows.push(...r.rows.map((x) => ({ ...x, source: prefix(x.source) })));
      result.samples.push(...r.samples.map((x) => ({ ...x, source: prefix(x.source) })));
      // readers name the file by its short name; here the full path says which of many files it was
      const short = `${basename(file)}: `;
      result.warnings.push(...(r.warnings ?? []).map((w) => `${file}: ${w.startsWith(short) ? w.slice(short.length) : w}`));
      if (!result.kinds.includes(reader.kind)) result.kinds.push(reader.kind);
    } catch (e) {
      if (!(e instanceof LitlabError)) throw e;
      firstError ??= e;
      result.warnings.push(`${e.message} (file skipped)`);
    }
  }
  if (unread.length) result.warnings.push(`${unread.length} file(s) below are in no format litlab reads, not read (e.g. ${unread[0]})`);
  if (result.rows.length === 0) {
    if (firstError) throw firstError;
    throw new ParseError(dir, `no file below this folder is ${readers.length === 1 ? `${readers[0]!.kind} output` : "one litlab reads"}`);
  }
  return result;
}

async function firstDetecting(readers: readonly FormatReader[], file: string): Promise<FormatReader | undefined> {
  for (const r of readers) if (await r.detect(file, false).catch(() => false)) return r;
  return undefined;
}
