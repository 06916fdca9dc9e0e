import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { LitlabError, ParseError } from "../errors.js";
import type { RunManifest } from "../capture/manifest.js";
import { MANIFEST_SCHEMA_VERSION } from "../capture/manifest.js";
import type { SampleRow, TidyRow } from "../ingest/rows.js";
import type { DeviceSampleRow } from "../ingest/device/deviceRows.js";
import { writeJsonAtomic } from "./atomic.js";
import { assertValidRunId, runIdProblem } from "./runIdCheck.js";
import { targetsOfRun } from "./targetOf.js";

/** Fixed names inside a run folder (documented in the README's "Run folder" section). */
export const RUN_LAYOUT = {
  manifest: "manifest.json",
  raw: "raw",
  criterionHome: "raw/criterion",
  rows: "tables/rows.jsonl",
  samples: "tables/samples.jsonl",
  /** Device runs: one row per latency event (DeviceSampleRow: id, seq, ticks, clock). */
  deviceSamples: "tables/device-samples.jsonl",
} as const;

/** A run id sorts by time and says what ran: `20261204-063512-host-host-actors-bench`. */
export function runId(kind: string, label: string, at: Date = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const slug = label.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 48) || "run";
  return `${stamp}-${kind}-${slug}`;
}

/**
 * Creates a new, empty run folder. Never reuses an existing folder: a clash gets a `-2`, `-3` suffix,
 * so nothing already stored can be overwritten. `mkdir` without `recursive` is atomic, so runs started at
 * the same moment with the same id each get their own folder. `id` is validated (assertValidRunId).
 * `criterionHome: false` skips creating raw/criterion (import runs have none).
 */
export async function createRunFolder(root: string, id: string, options: { criterionHome?: boolean } = {}): Promise<{ dir: string; id: string }> {
  assertValidRunId(id);
  await mkdir(root, { recursive: true });
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? id : `${id}-${n}`;
    const problem = runIdProblem(candidate);
    if (problem !== null) throw new LitlabError("usage", `run id ${id} is too long to make unique in ${root} (${candidate} ${problem})`);
    const dir = resolve(root, candidate);
    try {
      await mkdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      continue;
    }
    if (options.criterionHome !== false) await mkdir(join(dir, RUN_LAYOUT.criterionHome), { recursive: true });
    return { dir, id: candidate };
  }
  throw new LitlabError("store", `too many runs named ${id} in ${root}`);
}

export async function writeManifest(dir: string, manifest: RunManifest): Promise<void> {
  await writeJsonAtomic(join(dir, RUN_LAYOUT.manifest), manifest);
}

export async function readManifest(dir: string): Promise<RunManifest> {
  const path = join(dir, RUN_LAYOUT.manifest);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new LitlabError("not-found", `${dir} is not a litlab run folder (no ${RUN_LAYOUT.manifest})`, { file: dir });
  }
  let m: Partial<RunManifest>;
  try { m = JSON.parse(text) as Partial<RunManifest>; } catch (e) { throw new ParseError(path, `invalid JSON: ${(e as Error).message}`); }
  if (typeof m !== "object" || m === null || typeof m.id !== "string" || typeof m.schemaVersion !== "number") {
    throw new ParseError(path, "not a litlab manifest (needs id and schemaVersion)");
  }
  if (m.schemaVersion > MANIFEST_SCHEMA_VERSION) {
    throw new ParseError(path, `manifest schema ${m.schemaVersion} is newer than this litlab understands (${MANIFEST_SCHEMA_VERSION}); upgrade litlab`);
  }
  return m as RunManifest;
}

/** Reads a JSON Lines table; a broken line is an error naming file and line. */
export async function readJsonLines<T>(path: string): Promise<T[]> {
  const text = await readFile(path, "utf8");
  const out: T[] = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    try { out.push(JSON.parse(line) as T); } catch (e) { throw new ParseError(`${path}:${i + 1}`, `invalid JSON line: ${(e as Error).message}`); }
  });
  return out;
}

/** Run folders under `root`, oldest first (ids sort by time). Folders without a manifest are ignored. */
export async function listRuns(root: string): Promise<string[]> {
  let names: string[];
  try { names = await readdir(root); } catch { return []; }
  const dirs: string[] = [];
  for (const name of names.sort()) {
    const dir = resolve(root, name);
    try {
      if ((await stat(dir)).isDirectory() && (await stat(join(dir, RUN_LAYOUT.manifest))).isFile()) dirs.push(dir);
    } catch { /* not a run */ }
  }
  return dirs;
}

export interface LoadedRun {
  dir: string;
  manifest: RunManifest;
  /** Tidy rows, each with the run id in `run`. */
  rows: (TidyRow & { run: string })[];
  samples: (SampleRow & { run: string })[];
  /** Device runs: per-event latency samples in ticks (empty for other runs). */
  deviceSamples: (DeviceSampleRow & { run: string })[];
  /**
   * Benchmark id → the bench target that printed it, for host runs whose targets' stdout was kept (rows from
   * a parser that knows its target carry `target` themselves). Absent when nothing could be derived.
   */
  targetOf?: Map<string, string>;
}

export async function loadRun(dir: string): Promise<LoadedRun> {
  const manifest = await readManifest(dir);
  // The folder name is the run's key in the store: a copied folder keeps its source's manifest id, and tagging by
  // that id would merge the copy with the original in a multi-run table.
  const runKey = basename(resolve(dir));
  const tag = <T extends object>(r: T): T & { run: string } => ({ ...r, run: runKey });
  const rowsPath = join(dir, manifest.tables?.rows ?? RUN_LAYOUT.rows);
  const samplesPath = join(dir, manifest.tables?.samples ?? RUN_LAYOUT.samples);
  const rows = manifest.tables ? await readJsonLines<TidyRow>(rowsPath) : [];
  // a missing samples table is an old or partial run (no samples); a broken one is an error naming file and line
  const samples = manifest.tables ? await readJsonLines<SampleRow>(samplesPath).catch((e: unknown) => { if ((e as NodeJS.ErrnoException).code === "ENOENT") return []; throw e; }) : [];
  const deviceSamples = manifest.tables?.deviceSamples ? await readJsonLines<DeviceSampleRow>(join(dir, manifest.tables.deviceSamples)).catch((e: unknown) => { if ((e as NodeJS.ErrnoException).code === "ENOENT") return []; throw e; }) : [];
  const targetOf = await targetsOfRun(dir, manifest, new Set(rows.map((r) => r.id)));
  return { dir: resolve(dir), manifest, rows: rows.map(tag), samples: samples.map(tag), deviceSamples: deviceSamples.map(tag), ...(targetOf.size ? { targetOf } : {}) };
}
