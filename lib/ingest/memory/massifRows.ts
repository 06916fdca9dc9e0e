/**
 * What massif.out and ms_print output share once parsed: snapshots (with the detailed trees), turned into the
 * timeline, the summary rows and the peak's allocation sites. Pure.
 */
import type { TidyRow } from "../rows.js";
import type { AllocationSiteRow, MemoryIngestResult, MemoryTimelineRow } from "../memoryRows.js";
import { siteLabel, summaryRow } from "./valgrindCommon.js";

/** One node of a detailed snapshot's tree; `label` is the text after the byte count. */
export interface MassifNode {
  bytes: number;
  label: string;
  children: MassifNode[];
  /** The child count massif wrote (`nN:`); differs from children.length only in a truncated file. */
  expectedChildren: number;
  line: number;
}

export interface MassifSnapshot {
  index: number;
  line: number;
  time: number | null;
  heap: number | null;
  extra: number | null;
  stacks: number | null;
  tree: "empty" | "detailed" | "peak" | null;
  root: MassifNode | null;
}

const BELOW_THRESHOLD = /^in \d+ places?, (?:all )?below massif's threshold/;

/** Builds the result rows from parsed snapshots; `format` is `massif` or `ms_print`. */
export function massifResult(
  snapshots: MassifSnapshot[],
  meta: { id: string; source: string; timeUnit: string; format: string; warnings: string[] },
): MemoryIngestResult {
  const { id, source, timeUnit } = meta;
  const timeline: MemoryTimelineRow[] = snapshots.map((s) => ({
    id, source, tool: "massif", index: s.index, t: s.time ?? 0, t_unit: timeUnit,
    heap_bytes: s.heap, extra_heap_bytes: s.extra, stacks_bytes: s.stacks, rss_bytes: null, peak: s.tree === "peak",
  }));
  return { ...summarise(snapshots, meta), timeline, warnings: meta.warnings };
}

/** Summary rows and the peak snapshot's top-level allocation sites. */
function summarise(
  snapshots: MassifSnapshot[],
  { id, source, format, warnings }: { id: string; source: string; format: string; warnings: string[] },
): { rows: TidyRow[]; sites: AllocationSiteRow[] } {
  const max = (f: (s: MassifSnapshot) => number): number => snapshots.reduce((m, s) => Math.max(m, f(s)), 0);
  const heapOf = (s: MassifSnapshot): number => s.heap ?? 0;
  const peakSnap = snapshots.find((s) => s.tree === "peak");
  const maxHeap = max(heapOf);
  // without a peak tree massif's peak is unknown; the largest heap seen among the snapshots is the best figure
  if (peakSnap === undefined) warnings.push(`${source}: no heap_tree=peak snapshot; peak_heap_bytes is the largest mem_heap_B`);
  const row = (stat: string, value: number): TidyRow =>
    summaryRow({ id, group: "massif", source, format, metric: "heap", stat, value, unit: "bytes" });
  const rows = [
    row("peak_heap_bytes", peakSnap?.heap ?? maxHeap),
    row("peak_total_bytes", max((s) => heapOf(s) + (s.extra ?? 0) + (s.stacks ?? 0))),
    row("peak_extra_heap_bytes", max((s) => s.extra ?? 0)),
    row("peak_stacks_bytes", max((s) => s.stacks ?? 0)),
    row("end_heap_bytes", heapOf(snapshots[snapshots.length - 1]!)),
  ];
  // sites come from the peak tree, else from the detailed snapshot holding the most heap
  let treeSnap = peakSnap?.root ? peakSnap : undefined;
  if (treeSnap === undefined) {
    treeSnap = snapshots.filter((s) => s.root !== null).reduce<MassifSnapshot | undefined>((b, s) => (b === undefined || heapOf(s) > heapOf(b) ? s : b), undefined);
    if (treeSnap !== undefined) warnings.push(`${source}: allocation sites are from detailed snapshot ${treeSnap.index} (no peak tree)`);
  }
  const sites = treeSnap?.root ? topLevelSites(treeSnap.root, id, source) : [];
  return { rows, sites };
}

/** A node's frame text: `0x8048457: main (prog.c:22)` as written (like DHAT's ftbl), or the below-threshold note. */
function frameOf(node: MassifNode): string {
  return node.label;
}

/**
 * One row per direct child of the root. Its frames follow the call chain down while there is a single caller
 * (one child), innermost first, so `alloc ← RawVec::allocate_in ← Vec::with_capacity ← my_fn` shows where the
 * bytes came from rather than only the allocator entry point; the chain stops where callers branch.
 */
export function topLevelSites(root: MassifNode, id: string, source: string): AllocationSiteRow[] {
  return root.children.map((child) => {
    const frames = [frameOf(child)];
    let n = child;
    while (n.children.length === 1 && !BELOW_THRESHOLD.test(n.children[0]!.label)) {
      n = n.children[0]!;
      frames.push(frameOf(n));
    }
    return {
      id, source, tool: "massif", frames, site: siteLabel(frames),
      total_bytes: null, total_blocks: null, peak_bytes: child.bytes, end_bytes: null, avg_lifetime: null,
    };
  });
}
