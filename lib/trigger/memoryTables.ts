/**
 * Reads a memory run's raw files into its tables (tables/rows.jsonl, timeline.jsonl, sites.jsonl) with the pure
 * parsers of lib/ingest/memory. Tables are derived data: the raw files stay, so this can be run again.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isLitlabError } from "../errors.js";
import type { MemoryIngestResult } from "../ingest/memoryRows.js";
import { dhatProfile, jemallocStats, massifProfile, timeVerbose } from "../ingest/memory/index.js";
import { writeJsonLinesAtomic } from "../store/atomic.js";
import { RUN_LAYOUT } from "../store/runFolder.js";
import { MEMORY_RAW, type MemoryCaptureTool } from "./memoryTools.js";
import { rssSummaryRows, rssTimeline, type RssSample } from "./rssSampler.js";

export const MEMORY_TABLES = { rows: RUN_LAYOUT.rows, samples: RUN_LAYOUT.samples, timeline: "tables/timeline.jsonl", sites: "tables/sites.jsonl" } as const;
/** jemalloc's per-size-class bins (fragmentation by size class), only in jemalloc runs. */
export const JEMALLOC_BINS_TABLE = "tables/bins.jsonl";

export interface MemoryTablesOutcome {
  /** null when the raw output could not be read into tables (the reason is in notes; the raw files stay). */
  result: MemoryIngestResult | null;
  /** Why there are no tables, or what the parser warned about. */
  notes: string[];
}

/** Parses the tool's raw output in `dir` and writes the tables; a parse problem becomes a note, not a throw. */
export async function writeMemoryTables(dir: string, tool: MemoryCaptureTool, id: string): Promise<MemoryTablesOutcome> {
  const read = (rel: string): Promise<string> => readFile(join(dir, rel), "utf8");
  let result: MemoryIngestResult;
  try {
    switch (tool) {
      case "dhat": result = dhatProfile(await read(MEMORY_RAW.dhat), { source: MEMORY_RAW.dhat, id }); break;
      case "massif": result = massifProfile(await read(MEMORY_RAW.massif), { source: MEMORY_RAW.massif, id }); break;
      case "rss": {
        const samples = (await read(MEMORY_RAW.rss)).split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as RssSample);
        const meta = { id, source: MEMORY_RAW.rss };
        result = { rows: rssSummaryRows(samples, meta), timeline: rssTimeline(samples, meta), sites: [], warnings: samples.length ? [] : ["no RSS sample was taken: the program ended before the first tick"] };
        break;
      }
      case "jemalloc": {
        // the program's own stderr lines are mixed in: the parser finds the JSON document(s) among them
        const r = jemallocStats(await read(MEMORY_RAW.jemallocStderr), { source: MEMORY_RAW.jemallocStderr, id });
        await writeJsonLinesAtomic(join(dir, JEMALLOC_BINS_TABLE), r.bins);
        result = { rows: r.rows, timeline: r.timeline, sites: r.sites, warnings: r.warnings };
        break;
      }
      case "time": result = timeVerbose(await read(MEMORY_RAW.time), { source: MEMORY_RAW.time, id }); break;
    }
  } catch (e) {
    if (isLitlabError(e) || e instanceof SyntaxError || (e as NodeJS.ErrnoException).code === "ENOENT") {
      return { result: null, notes: [`no tables: ${(e as Error).message}`] };
    }
    throw e;
  }
  await writeJsonLinesAtomic(join(dir, MEMORY_TABLES.rows), result.rows);
  await writeJsonLinesAtomic(join(dir, MEMORY_TABLES.samples), []);
  await writeJsonLinesAtomic(join(dir, MEMORY_TABLES.timeline), result.timeline);
  await writeJsonLinesAtomic(join(dir, MEMORY_TABLES.sites), result.sites);
  return { result, notes: result.warnings };
}
