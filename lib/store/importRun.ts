import { createHash } from "node:crypto";
import type { Dirent } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { hostInfo } from "../capture/environment.js";
import { MANIFEST_SCHEMA_VERSION, type ImportedFile, type ImportSource, type RunManifest } from "../capture/manifest.js";
import { isLitlabError, LitlabError } from "../errors.js";
import { ingestPath, type IngestKind } from "../ingest/ingestPath.js";
import type { DeviceSampleRow } from "../ingest/device/deviceRows.js";
import type { SampleRow, TidyRow } from "../ingest/rows.js";
import { LITLAB_VERSION } from "../version.js";
import { writeJsonLinesAtomic } from "./atomic.js";
import { assertValidRunId } from "./runIdCheck.js";
import { createRunFolder, RUN_LAYOUT, writeManifest } from "./runFolder.js";

/** Where import runs keep their copies, relative to the run folder. */
export const IMPORT_DIR = "raw/import";

export interface ImportOptions {
  /** The new run's id (validated; a clash gets a `-2` suffix like every run). */
  id: string;
  /** Where run folders go (default `data/runs`). */
  runsRoot?: string;
  label?: string;
  /** Force a reader instead of detecting one by content. */
  kind?: IngestKind;
  /** The litlab command line, recorded in the manifest. */
  command?: string[];
}

export interface ImportFailure {
  path: string;
  error: LitlabError;
}

export interface ImportResult {
  dir: string;
  id: string;
  manifest: RunManifest;
  rows: TidyRow[];
  samples: SampleRow[];
  /** Sources that could not be read; the others were imported. */
  failures: ImportFailure[];
}

// version-control and package folders are never benchmark output and can be huge
const SKIP_DIRS = new Set([".git", "node_modules"]);

/**
 * Copies `source` (a file or a folder) to `dest`, hashing every file from the same bytes that are written, so the
 * recorded sha256 is exactly the copy's. Only reads the source. Symlinks are not followed (no cycles, nothing
 * outside the source is pulled in).
 */
async function copyHashed(source: string, dest: string, isDir: boolean): Promise<ImportedFile[]> {
  const files: ImportedFile[] = [];
  const copyFile = async (from: string, to: string, path: string): Promise<void> => {
    const bytes = await readFile(from);
    await mkdir(dirname(to), { recursive: true });
    await writeFile(to, bytes, { flag: "wx" });
    files.push({ path, sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length });
  };
  if (!isDir) {
    await copyFile(source, join(dest, basename(source)), basename(source));
    return files;
  }
  const walk = async (dir: string): Promise<void> => {
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) { if (!SKIP_DIRS.has(e.name)) await walk(full); }
      else if (e.isFile()) await copyFile(full, join(dest, relative(source, full)), relative(source, full).split(sep).join("/"));
    }
  };
  await mkdir(dest, { recursive: true });
  await walk(source);
  return files;
}

const slug = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|-+$/g, "").slice(0, 60) || "source";

/**
 * Rows of one import, read from its copy with the reader recorded at import time. `source` is prefixed with the
 * copy's folder name (`1-name/...`) so that rows from several imports stay distinguishable.
 */
async function readImport(dir: string, imp: ImportSource): Promise<{ rows: TidyRow[]; samples: SampleRow[]; deviceSamples: DeviceSampleRow[] }> {
  const prefix = imp.copy.slice(IMPORT_DIR.length + 1).split("/")[0]!;
  const result = await ingestPath(join(dir, imp.copy), { kind: imp.reader as IngestKind });
  return {
    rows: result.rows.map((r) => ({ ...r, source: `${prefix}/${r.source}` })),
    samples: result.samples.map((s) => ({ ...s, source: `${prefix}/${s.source}` })),
    deviceSamples: (result.deviceSamples ?? []).map((s) => ({ ...s, source: `${prefix}/${s.source}` })),
  };
}

/** Builds an import run's tables from its copies (used at import and by reindex, so both give the same bytes). */
export async function writeImportTables(dir: string, imports: readonly ImportSource[]): Promise<{ rows: TidyRow[]; samples: SampleRow[]; deviceSamples: DeviceSampleRow[] }> {
  const rows: TidyRow[] = [];
  const samples: SampleRow[] = [];
  const deviceSamples: DeviceSampleRow[] = [];
  for (const imp of imports) {
    const r = await readImport(dir, imp);
    rows.push(...r.rows);
    samples.push(...r.samples);
    deviceSamples.push(...r.deviceSamples);
  }
  await writeJsonLinesAtomic(join(dir, RUN_LAYOUT.rows), rows);
  await writeJsonLinesAtomic(join(dir, RUN_LAYOUT.samples), samples);
  // only imported device logs have per-event samples; other imports keep the two-table layout they always had
  if (deviceSamples.length) await writeJsonLinesAtomic(join(dir, RUN_LAYOUT.deviceSamples), deviceSamples);
  return { rows, samples, deviceSamples };
}

const toLitlabError = (e: unknown, path: string): LitlabError =>
  isLitlabError(e) ? e : new LitlabError("io", `${path}: ${(e as Error).message}`, { file: path, cause: e });

/**
 * Imports foreign results into a NEW run folder (kind `import`): every readable source is copied unchanged under
 * raw/import/N-name/ (the sources are only read), its files' sha256 recorded in the manifest, and the tables are
 * built from the copies, so `reindexRun` can always rebuild them. A source no reader understands is reported in
 * `failures` and the others are still imported; when none can be read, no run folder is left and the error is
 * thrown.
 */
export async function importRun(paths: readonly string[], options: ImportOptions): Promise<ImportResult> {
  assertValidRunId(options.id);
  if (paths.length === 0) throw new LitlabError("usage", "nothing to import: give at least one PATH");
  const failures: ImportFailure[] = [];
  const good: { source: string; reader: string; isDir: boolean }[] = [];
  // read every source first: a bad one must not leave a half-made run behind
  for (const path of paths) {
    const source = resolve(path);
    try {
      const { kind } = await ingestPath(source, options.kind ? { kind: options.kind } : {});
      good.push({ source, reader: kind, isDir: (await stat(source)).isDirectory() });
    } catch (e) {
      failures.push({ path, error: toLitlabError(e, path) });
    }
  }
  if (good.length === 0) {
    if (failures.length === 1) throw failures[0]!.error;
    throw new LitlabError("parse", `nothing imported: none of ${failures.length} paths could be read (${failures.map((f) => f.path).join(", ")})`);
  }

  const { dir, id } = await createRunFolder(resolve(options.runsRoot ?? "data/runs"), options.id, { criterionHome: false });
  const host = hostInfo();
  const manifest: RunManifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION, id, kind: "import", label: options.label ?? null,
    command: options.command ?? ["litlab", "ingest", ...paths, "--into", options.id],
    workspace: null, package: null, profile: null, filter: null, criterionVersion: null, criterionFlags: [],
    git: { commit: null, dirty: null, branch: null }, toolchain: { rustc: null, cargo: null }, host: null,
    litlabVersion: LITLAB_VERSION, startedAt: new Date().toISOString(), endedAt: null, status: "running",
    targets: [], tables: null, criterionHome: null, imports: [],
    owner: { pid: process.pid, hostname: host.hostname },
  };
  await writeManifest(dir, manifest);
  const finish = async (status: RunManifest["status"]): Promise<void> => {
    manifest.status = status;
    manifest.endedAt = new Date().toISOString();
    await writeManifest(dir, manifest);
  };
  try {
    for (const [i, g] of good.entries()) {
      const folder = `${IMPORT_DIR}/${i + 1}-${slug(basename(g.source))}`;
      const files = await copyHashed(g.source, join(dir, folder), g.isDir);
      const imp: ImportSource = {
        source: g.source, reader: g.reader, copy: g.isDir ? folder : `${folder}/${basename(g.source)}`, files,
        importedAt: new Date().toISOString(),
        importedBy: { hostname: host.hostname, os: host.os, arch: host.arch, cpuModel: host.cpuModel },
      };
      // some files only mean something next to their neighbours (a lone Criterion estimates.json): check the copy reads
      try {
        await readImport(dir, imp);
        manifest.imports!.push(imp);
      } catch (e) {
        await rm(join(dir, folder), { recursive: true, force: true });
        const err = toLitlabError(e, g.source);
        failures.push({ path: g.source, error: new LitlabError(err.code, `${g.source}: cannot be imported on its own (${err.message}); import the folder that holds it`, { file: g.source, cause: e }) });
      }
    }
    if (manifest.imports!.length === 0) {
      // nothing usable was copied: the folder this call just made holds nothing worth keeping
      manifest.status = "failed";
      await rm(dir, { recursive: true, force: true });
      throw failures.at(-1)!.error;
    }
    const { rows, samples, deviceSamples } = await writeImportTables(dir, manifest.imports!);
    manifest.tables = { rows: RUN_LAYOUT.rows, samples: RUN_LAYOUT.samples, ...(deviceSamples.length ? { deviceSamples: RUN_LAYOUT.deviceSamples } : {}) };
    await finish(failures.length ? "partial" : "ok");
    return { dir, id, manifest, rows, samples, failures };
  } catch (e) {
    if (manifest.status === "running") await finish("failed");
    throw e;
  }
}
