/**
 * lit-bit's own stdout prints (litbit-bench-spec.md §2.1, §2.2), read alongside Criterion's results in the same
 * text: the memory KPI block of `kpi_validation/single_actor_512b_target` and the `message_throughput` leaderboard.
 * Pure: cleaned lines in, rows out.
 */
import type { TidyRow } from "../rows.js";
import { parseNumber, scale, textRow, type TextContext } from "./common.js";

export const LITBIT_FORMAT = "litbit-print";

/** A benchmark result seen in the text: its id and the index of the line that completed it (`time:` / `bench:`). */
export interface ResultAt {
  id: string;
  line: number;
}

interface KpiBlock {
  /** Index of the header line (for messages) and of the block's last line (for ordering against results). */
  start: number;
  end: number;
  current: number | null;
  peak: number | null;
  target: number | null;
}

const KPI_HEADER = /^\s*🎯\s*Memory Usage KPI Validation\s*$/u;
const KPI_FIELDS: readonly [keyof Pick<KpiBlock, "current" | "peak" | "target">, RegExp][] = [
  ["current", /^\s*Current memory:\s*([\d,]+)\s*bytes\s*$/],
  ["peak", /^\s*Peak memory:\s*([\d,]+)\s*bytes\s*$/],
  ["target", /^\s*KPI target:\s*([\d,]+)\s*bytes\s*$/],
];
const KPI_STATUS = /^\s*Status:\s*(?:✅\s*PASS|❌\s*FAIL)\s*$/u;
const RULE = /^\s*=+\s*$/;

/** Finds every KPI block: the header, then `====`, the three `N bytes` fields and the status, in that order. */
function kpiBlocks(lines: readonly string[]): KpiBlock[] {
  const blocks: KpiBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!KPI_HEADER.test(lines[i]!)) continue;
    const block: KpiBlock = { start: i, end: i, current: null, peak: null, target: null };
    // the block is 6 lines; a few more are allowed for stray blank lines, and it stops at the first foreign line
    for (let j = i + 1; j < Math.min(lines.length, i + 10); j++) {
      const line = lines[j]!;
      const field = KPI_FIELDS.find(([, re]) => re.test(line));
      if (field) block[field[0]] = parseNumber(field[1].exec(line)![1]!);
      else if (!KPI_STATUS.test(line) && !RULE.test(line) && line.trim() !== "") break;
      block.end = j;
      if (KPI_STATUS.test(line)) break;
    }
    blocks.push(block);
    i = block.end;
  }
  return blocks;
}

/**
 * KPI rows for the results they belong to. The block is printed by every call of the benchmark's closure (warm-up
 * and samples), before the benchmark's own result, so a result takes the LAST block printed since the previous
 * result (spec §2.2); a result with no block since the previous one gets none (blocks are not carried forward).
 */
function kpiRows(lines: readonly string[], results: readonly ResultAt[], ctx: TextContext, warnings: string[]): TidyRow[] {
  const rows: TidyRow[] = [];
  const blocks = kpiBlocks(lines);
  let b = 0;
  let prevLine = -1;
  for (const result of results) {
    let last: KpiBlock | undefined;
    while (b < blocks.length && blocks[b]!.end < result.line) {
      if (blocks[b]!.start > prevLine) last = blocks[b];
      b++;
    }
    prevLine = result.line;
    if (!last) continue;
    const stats: [string, number | null][] = [
      // "Current memory" is lit-bit's TrackingAllocator counter: bytes ALLOCATED since its reset, summed over the
      // iteration (never decreased by frees), so it is cumulative allocation, not live memory (spec §2.2, §3).
      ["cumulative_allocated_bytes", last.current],
      // the high-water mark of that same cumulative counter: equals "current" in practice
      ["peak_bytes", last.peak],
      ["kpi_target_bytes", last.target],
    ];
    for (const [stat, value] of stats) {
      if (value === null) {
        warnings.push(`line ${last.start + 1}: memory KPI block for ${result.id} has no ${stat} value`);
        continue;
      }
      rows.push(textRow(result.id, ctx, { format: LITBIT_FORMAT, metric: "memory", stat, value, unit: "bytes" }));
    }
  }
  const unattached = blocks.filter((blk) => blk.start > prevLine);
  if (unattached.length > 0) {
    warnings.push(`line ${unattached[0]!.start + 1}: ${unattached.length} memory KPI block(s) after the last benchmark result; not attached to any benchmark`);
  }
  return rows;
}

const LEADERBOARD_HEADER = /^\s*🏆\s*Performance Leaderboard\s*$/u;
const GOLD = /^\s*🥇\s*Highest Throughput:\s*(.+?)\s*\(([\d,]+) msg\/s\)\s*$/u;
const SILVER = /^\s*🥈\s*Best Latency:\s*(.+?)\s*\(p99:\s*([\d,]+)\s*(?:µs|μs|us)\)\s*$/u;
const BRONZE = /^\s*🥉\s*Most Memory Efficient:\s*(.+?)\s*\(([\d,]+) bytes\/actor\)\s*$/u;
const REGRESSIONS_HEADER = /Performance Regressions Detected:\s*$/;
const REGRESSION = /^\s*- (.+?): throughput regressed by ([\d.]+)% \(([\d.]+) -> ([\d.]+)\)\s*$/;

/** `TokioSingleThread_1000` → function `TokioSingleThread`, param `1000` (lit-bit's `{RuntimeType:?}_{batch}`). */
function leaderboardRow(name: string, ctx: TextContext, metric: string, stat: string, value: number, unit: string): TidyRow {
  const m = /^(.*)_(\d+)$/.exec(name);
  return textRow(name, ctx, {
    format: LITBIT_FORMAT, metric, stat, value, unit, group: "leaderboard", function: m ? m[1]! : name, param: m ? m[2]! : null,
  });
}

/**
 * Leaderboard rows. Each medal line holds the winner's figure from its LAST recorded iteration (spec §2.1: lit-bit's
 * own Instant-based estimate, not Criterion's), hence stat `last_iteration`.
 */
function leaderboardRows(lines: readonly string[], ctx: TextContext): TidyRow[] {
  const rows: TidyRow[] = [];
  let inRegressions = false;
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = GOLD.exec(line))) {
      rows.push(leaderboardRow(m[1]!, ctx, "leaderboard_throughput", "last_iteration", parseNumber(m[2]!)!, "msg/s"));
    } else if ((m = SILVER.exec(line))) {
      // printed in whole µs; kept in ns like every other time in litlab
      rows.push(leaderboardRow(m[1]!, ctx, "leaderboard_latency_p99", "last_iteration", scale(parseNumber(m[2]!)!, 1e3), "ns"));
    } else if ((m = BRONZE.exec(line))) {
      rows.push(leaderboardRow(m[1]!, ctx, "leaderboard_bytes_per_actor", "last_iteration", parseNumber(m[2]!)!, "bytes"));
    } else if (REGRESSIONS_HEADER.test(line)) {
      inRegressions = true;
    } else if (inRegressions && (m = REGRESSION.exec(line))) {
      // "regressed by x%" compares two consecutive iterations of one benchmark (noise, spec §2.1); kept as a ratio
      rows.push(leaderboardRow(m[1]!, ctx, "leaderboard_regression", "throughput_drop", scale(Number(m[2]), 0.01), "ratio"));
    } else if (line.trim() !== "") {
      inRegressions = false;
    }
  }
  return rows;
}

/** Does the text contain any lit-bit print (a KPI block or a leaderboard header)? */
export const hasLitbitPrints = (lines: readonly string[]): boolean =>
  lines.some((l) => KPI_HEADER.test(l) || LEADERBOARD_HEADER.test(l));

/** All rows from lit-bit's prints in `lines`, the KPI ones attached to `results` (format `litbit-print`). */
export function litbitRows(lines: readonly string[], results: readonly ResultAt[], ctx: TextContext, warnings: string[]): TidyRow[] {
  return [...kpiRows(lines, results, ctx, warnings), ...leaderboardRows(lines, ctx)];
}
