/**
 * Heap growth and fragmentation under churn (issue 4): memory-subjects' `churn` spawns and stops actors with
 * mailboxes and payloads of random sizes for S seconds. One churn run is one memory run (lib/trigger/memoryRun.ts)
 * plus `churn-summary.json` in its folder:
 * - massif: growthVerdict on heap over time, and extra-heap / heap over time (allocator headers and padding);
 * - rss: growthVerdict on RSS over time;
 * - jemalloc: fragmentation at exit (internal, pages, retained). churn stops every actor before it exits, so this is
 *   what the allocator keeps after the churn, not the fragmentation of a live heap.
 *
 * The verdict is fitted on the steady part of the timeline: `trimFraction` of the time window is dropped at each
 * end, since the ramp-up (first actors spawned) and the teardown (all actors stopped) are not growth.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LitlabError } from "../errors.js";
import { growthVerdict, heapOverheadTimeline, jemallocFragmentation, type GrowthVerdict, type JemallocFragmentationRow } from "../analyze/fragmentation.js";
import type { MemoryTimelineRow } from "../ingest/memoryRows.js";
import type { TidyRow } from "../ingest/rows.js";
import type { RunManifest } from "../capture/manifest.js";
import { writeJsonAtomic } from "../store/atomic.js";
import { readJsonLines, RUN_LAYOUT } from "../store/runFolder.js";
import { runMemory } from "./memoryRun.js";
import { MEMORY_TABLES } from "./memoryTables.js";
import { buildMemorySubject } from "./mailboxSweep.js";
import { SWEEP_RUNTIMES } from "./memorySweep.js";

export const CHURN_TOOLS = ["massif", "rss", "jemalloc"] as const;
export type ChurnTool = (typeof CHURN_TOOLS)[number];
export const CHURN_SUMMARY = "churn-summary.json";

export interface ChurnRunOptions {
  runtime: string;
  /** churn --seconds (whole seconds ≥ 1). */
  seconds: number;
  tool: ChurnTool;
  workspace?: string;
  runsRoot?: string;
  offlineRegistry?: string | false;
  cargo?: string;
  /** churn --seed (default: the program's, 1). */
  seed?: number;
  /** Fraction of the time window dropped at each end before the growth fit (default 0.1). */
  trimFraction?: number;
  /** rss sampling interval (default 20 ms). */
  rssIntervalMs?: number;
  timeoutMs?: number;
  onEvent?: (line: string) => void;
  litlabCommand?: string[];
}

export interface ChurnSummary {
  kind: "churn";
  runtime: string;
  seconds: number;
  tool: ChurnTool;
  run: string;
  status: string;
  /** Snapshots / samples in the timeline, and how many the verdict was fitted on. */
  timelinePoints: number;
  fittedPoints: number;
  trimFraction: number;
  /** massif: heap bytes; rss: RSS bytes; null for jemalloc or when too few points. */
  verdict: GrowthVerdict | null;
  /** What `verdict` was fitted on. */
  verdictOf: "heap_bytes" | "rss_bytes" | null;
  /** massif: extra-heap / heap over the fitted snapshots, and its own growth verdict (is overhead creeping up?). */
  overhead: { mean: number; min: number; max: number; verdict: GrowthVerdict | null } | null;
  /** Peak of the measured series (heap or RSS) over the whole timeline. */
  peakBytes: number | null;
  /** jemalloc: fragmentation at exit. */
  fragmentation: JemallocFragmentationRow | null;
  notes: string[];
}

export interface ChurnRunResult {
  dir: string;
  manifest: RunManifest;
  summary: ChurnSummary;
  timeline: MemoryTimelineRow[];
}

export async function churnRun(options: ChurnRunOptions): Promise<ChurnRunResult> {
  const { runtime, seconds, tool } = options;
  if (!CHURN_TOOLS.includes(tool)) throw new LitlabError("usage", `churn: unknown tool ${JSON.stringify(tool)} (one of ${CHURN_TOOLS.join(", ")})`);
  if (!(SWEEP_RUNTIMES as readonly string[]).includes(runtime)) throw new LitlabError("usage", `churn: unknown runtime ${JSON.stringify(runtime)} (one of ${SWEEP_RUNTIMES.join(", ")})`);
  if (!(Number.isInteger(seconds) && seconds >= 1)) throw new LitlabError("usage", `churn: seconds must be a whole number ≥ 1 (got ${seconds})`);
  const trim = options.trimFraction ?? 0.1;
  if (!(trim >= 0 && trim < 0.5)) throw new LitlabError("usage", `churn: trimFraction must be in [0, 0.5) (got ${trim})`);
  const emit = options.onEvent ?? (() => {});
  const { workspace, program } = await buildMemorySubject("churn", { ...options, onEvent: emit });
  const args = ["--runtime", runtime, "--seconds", String(seconds), ...(options.seed !== undefined ? ["--seed", String(options.seed)] : [])];
  const run = await runMemory({
    tool, command: [program, ...args], label: `churn-${runtime}`, runsRoot: options.runsRoot ?? "data/runs", cwd: workspace,
    timeoutMs: options.timeoutMs ?? 10 * 60_000,
    ...(options.rssIntervalMs !== undefined ? { rssIntervalMs: options.rssIntervalMs } : {}),
    ...(options.litlabCommand ? { litlabCommand: options.litlabCommand } : {}),
    onEvent: (l) => { if (!l.startsWith("litlab-memory")) emit(l); },
  });
  const timeline = await readJsonLines<MemoryTimelineRow>(join(run.dir, MEMORY_TABLES.timeline)).catch(() => [] as MemoryTimelineRow[]);
  const rows = await readJsonLines<TidyRow>(join(run.dir, RUN_LAYOUT.rows)).catch(() => [] as TidyRow[]);
  const summary = churnSummary({ runtime, seconds, tool, run: run.manifest.id, status: run.manifest.status, timeline, rows, trimFraction: trim });
  await writeJsonAtomic(join(run.dir, CHURN_SUMMARY), summary);
  emit(`churn ${runtime} ${tool}: ${summary.verdict ? `${summary.verdict.verdict} (${Math.round(summary.verdict.slopeBytesPerSecond)} B/s)` : summary.fragmentation ? `internal ${pct(summary.fragmentation.internal)}, pages ${pct(summary.fragmentation.pages)}` : "no verdict"}`);
  return { dir: run.dir, manifest: run.manifest, summary, timeline };
}

/** The summary from a churn run's tables (pure: also used on bundled timelines). */
export function churnSummary(input: {
  runtime: string; seconds: number; tool: ChurnTool; run: string; status: string;
  timeline: readonly MemoryTimelineRow[]; rows: readonly TidyRow[]; trimFraction?: number;
}): ChurnSummary {
  const trim = input.trimFraction ?? 0.1;
  const notes: string[] = [];
  const field = input.tool === "massif" ? "heap_bytes" : input.tool === "rss" ? "rss_bytes" : null;
  const series = field === null ? [] : input.timeline
    .filter((r) => r[field] !== null && Number.isFinite(r[field]))
    .map((r) => ({ t: r.t, bytes: r[field]!, row: r }));
  const fitted = trimWindow(series, trim);
  let verdict: GrowthVerdict | null = null;
  // t is in ms for both massif (--time-unit=ms) and rss samples
  const secondsPerT = 0.001;
  if (field !== null) {
    if (fitted.length >= 3 && new Set(fitted.map((p) => p.t)).size >= 2) verdict = growthVerdict(fitted, { secondsPerT });
    else notes.push(`${fitted.length} ${field} points in the steady window: too few for a growth verdict`);
  }
  let overhead: ChurnSummary["overhead"] = null;
  if (input.tool === "massif") {
    const keep = new Set(fitted.map((p) => p.row.index));
    const ratios = heapOverheadTimeline(input.timeline).filter((p) => keep.has(p.index) && p.ratio !== null).map((p) => ({ t: p.t, bytes: p.ratio! }));
    if (ratios.length > 0) {
      const vals = ratios.map((r) => r.bytes);
      overhead = {
        mean: vals.reduce((a, b) => a + b, 0) / vals.length, min: Math.min(...vals), max: Math.max(...vals),
        verdict: ratios.length >= 3 && new Set(ratios.map((r) => r.t)).size >= 2 ? growthVerdict(ratios, { secondsPerT }) : null,
      };
    }
  }
  const fragmentation = input.tool === "jemalloc" ? jemallocFragmentation(input.rows)[0] ?? null : null;
  if (input.tool === "jemalloc" && !fragmentation) notes.push("no jemalloc allocated/active/resident rows: no fragmentation figures");
  return {
    kind: "churn", runtime: input.runtime, seconds: input.seconds, tool: input.tool, run: input.run, status: input.status,
    timelinePoints: series.length, fittedPoints: fitted.length, trimFraction: trim, verdict, verdictOf: field, overhead,
    peakBytes: series.length ? Math.max(...series.map((p) => p.bytes)) : null, fragmentation, notes,
  };
}

/** The points with t inside the window shortened by `trim` of its length at each end. */
function trimWindow<T extends { t: number }>(points: readonly T[], trim: number): T[] {
  if (points.length === 0) return [];
  const t0 = Math.min(...points.map((p) => p.t));
  const t1 = Math.max(...points.map((p) => p.t));
  const lo = t0 + (t1 - t0) * trim;
  const hi = t1 - (t1 - t0) * trim;
  return points.filter((p) => p.t >= lo && p.t <= hi);
}

/** Every `step`-th row (keeping the first, the last and the peak) so a bundled timeline stays small. */
export function downsampleTimeline(rows: readonly MemoryTimelineRow[], maxPoints: number): MemoryTimelineRow[] {
  if (rows.length <= maxPoints) return [...rows];
  const step = Math.ceil(rows.length / maxPoints);
  return rows.filter((r, i) => i % step === 0 || i === rows.length - 1 || r.peak);
}

/** Reads a churn run's summary back. */
export async function loadChurnSummary(dir: string): Promise<ChurnSummary> {
  try {
    return JSON.parse(await readFile(join(dir, CHURN_SUMMARY), "utf8")) as ChurnSummary;
  } catch (e) {
    throw new LitlabError("not-found", `${dir}: no readable ${CHURN_SUMMARY} (${(e as Error).message})`, { file: dir });
  }
}

function pct(x: number | null): string {
  return x === null ? "–" : `${(x * 100).toFixed(1)} %`;
}
