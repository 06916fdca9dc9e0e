import { readFile, stat } from "node:fs/promises";
import { DeviceCapture } from "../ingest/device/capture.js";
import { deviceRows } from "../ingest/device/deviceRows.js";
import { writeJsonLinesAtomic } from "./atomic.js";
import { join, resolve } from "node:path";
import { LitlabError, ParseError } from "../errors.js";
import { criterionFilesBelow } from "../ingest/readTree.js";
import type { SampleRow, TidyRow } from "../ingest/rows.js";
import { writeImportTables } from "./importRun.js";
import { readManifest, RUN_LAYOUT, writeManifest } from "./runFolder.js";
import { writeRunTables } from "./tables.js";
import { writeMemoryTables } from "../trigger/memoryTables.js";

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

async function hasCriterionFiles(dir: string): Promise<boolean> {
  if (!(await exists(dir))) return false;
  for await (const _ of criterionFilesBelow(dir)) return true;
  return false;
}

/**
 * Rebuilds a run's tables from the raw files in its folder (`litlab reindex RUN_DIR`): raw/criterion for host
 * runs, each raw/import/ copy (with the reader recorded at import) for import runs. Tables are derived data, so
 * this gives the same bytes every time; the manifest's status is left alone.
 */
export async function reindexRun(runDir: string): Promise<{ rows: TidyRow[]; samples: SampleRow[] }> {
  const dir = resolve(runDir);
  const manifest = await readManifest(dir);
  let result: { rows: TidyRow[]; samples: SampleRow[] };
  if (manifest.kind === "memory") {
    const tool = manifest.memory?.tool;
    if (!tool) throw new ParseError(join(dir, RUN_LAYOUT.manifest), `a memory run needs "memory.tool" to know which parser reads its raw files`);
    const outcome = await writeMemoryTables(dir, tool, manifest.targets[0]?.name ?? manifest.id);
    if (!outcome.result) throw new LitlabError("parse", `${dir}: ${outcome.notes.join("; ")}`, { file: dir });
    manifest.memory!.notes = outcome.notes;
    await writeManifest(dir, manifest);
    return { rows: outcome.result.rows, samples: [] };
  }
  if (manifest.kind === "device") {
    // raw/device.log is exactly what the runner captured; the same parser gives the same rows
    const log = join(dir, "raw/device.log");
    let bytes: Uint8Array;
    try { bytes = await readFile(log); } catch { throw new LitlabError("not-found", `${dir}: a device run needs raw/device.log to rebuild its tables`, { file: log }); }
    // fed as bytes, like the runner did, so the decoding is the same
    const capture = new DeviceCapture({ file: log });
    capture.push(bytes);
    const { rows, samples } = deviceRows(capture.finish(), { source: "raw/device.log", ...(manifest.device?.icountShift != null ? { icount: true } : {}) });
    await writeJsonLinesAtomic(join(dir, RUN_LAYOUT.rows), rows);
    await writeJsonLinesAtomic(join(dir, RUN_LAYOUT.samples), []);
    await writeJsonLinesAtomic(join(dir, RUN_LAYOUT.deviceSamples), samples);
    return { rows, samples: [] };
  }
  if (manifest.kind === "import") {
    const imports = manifest.imports ?? [];
    // a hand-edited manifest must fail as bad input, naming the field, not as a crash further down
    if (!Array.isArray(imports) || imports.some((i) => typeof i !== "object" || i === null || typeof i.copy !== "string" || typeof i.reader !== "string")) {
      throw new ParseError(join(dir, RUN_LAYOUT.manifest), `"imports" must be a list of {copy, reader, ...} entries (each import's copy under raw/import/ and the reader that reads it)`);
    }
    const missing = [];
    for (const imp of imports) if (!(await exists(join(dir, imp.copy)))) missing.push(imp.copy);
    if (imports.length === 0 || missing.length > 0) {
      throw new LitlabError("not-found", `${dir}: no raw files to rebuild tables from (${imports.length === 0 ? "the manifest lists no imports" : `missing ${missing.join(", ")}`})`, { file: dir });
    }
    result = await writeImportTables(dir, imports);
  } else {
    const home = manifest.criterionHome ?? RUN_LAYOUT.criterionHome;
    if (!(await hasCriterionFiles(join(dir, home)))) {
      throw new LitlabError("not-found", `${dir}: no raw files to rebuild tables from (${home} is missing or holds no Criterion files)`, { file: dir });
    }
    result = await writeRunTables(dir);
  }
  manifest.tables = { rows: RUN_LAYOUT.rows, samples: RUN_LAYOUT.samples };
  await writeManifest(dir, manifest);
  return result;
}
