/**
 * Memory profiler output, in three shapes next to the tidy rows:
 * - summary figures are ordinary TidyRows (`metric: "heap" | "rss" | "jemalloc" | "process"`, a `stat` such as
 *   `peak_bytes`, `unit: "bytes"`), so they join the benchmark tables;
 * - a timeline (massif snapshots, RSS samples) is MemoryTimelineRow;
 * - allocation sites (DHAT program points, massif's detailed trees at the peak) are AllocationSiteRow.
 */
import type { TidyRow } from "./rows.js";

/** Which profiler wrote the data. */
export type MemoryTool = "dhat" | "massif" | "jemalloc" | "time" | "rss" | "perf";

export interface MemoryTimelineRow {
  /** The profiled program or benchmark (the tidy `id`). */
  id: string;
  source: string;
  tool: MemoryTool;
  /** Snapshot/sample index. */
  index: number;
  /** Time of the sample in `t_unit` (massif: `i` instructions, `ms`, `B`; rss: `ms`). */
  t: number;
  t_unit: string;
  heap_bytes: number | null;
  extra_heap_bytes: number | null;
  stacks_bytes: number | null;
  rss_bytes: number | null;
  /** massif: the snapshot is the peak one. */
  peak: boolean;
}

export interface AllocationSiteRow {
  id: string;
  source: string;
  tool: MemoryTool;
  /** Innermost-first frames, resolved (DHAT `ftbl`, massif tree). */
  frames: string[];
  /** The frames joined with " ← ", for tables. */
  site: string;
  total_bytes: number | null;
  total_blocks: number | null;
  /** Bytes live at the global peak (DHAT t-gmax `gb`, massif peak snapshot). */
  peak_bytes: number | null;
  /** Bytes still live at the end (DHAT t-end `eb`). */
  end_bytes: number | null;
  /** Average block lifetime in the file's time unit (DHAT `tl / tbk`). */
  avg_lifetime: number | null;
  /** Unit of avg_lifetime: DHAT's `tu` (`instrs` under valgrind, `µs` from dhat-rs). */
  lifetime_unit?: string | null;
}

export interface MemoryIngestResult {
  rows: TidyRow[];
  timeline: MemoryTimelineRow[];
  sites: AllocationSiteRow[];
  warnings: string[];
}
