/**
 * `perf stat` output, text or `-x,` CSV (`value,unit,event,run-time,pct-running,metric-value,metric-unit`).
 * Rows: metric `perf`, stat = the event as printed, modifiers included (`cycles:u` counts user space only, so it
 * is a different number from `cycles`), unit as printed (`msec`, `ns`) or `count`; the closing
 * `seconds time elapsed` / `seconds user` / `seconds sys` lines become `wall_seconds`, `user_seconds`,
 * `system_seconds` (unit `s`). `<not counted>` / `<not supported>` events are skipped with a warning; events that
 * ran only part of the time (multiplexing, `(83.35%)`) keep perf's scaled estimate and are named in a warning.
 * The derived `# ...` metrics (CPUs utilized, insn per cycle) are left out: they are ratios of the counters.
 * Text counter lines count only after a `Performance counter stats for` header, so program output before it
 * (`42 apples`) is never read as a counter. Pure: text in, rows out.
 */
import { ParseError } from "../../errors.js";
import type { TidyRow } from "../rows.js";
import type { MemoryIngestResult } from "../memoryRows.js";
import { outputRow, plainLines, printedNumber, runIds, stemOf, type OutputParseOptions } from "./outputCommon.js";

interface Counter { event: string; value: number | null; missing?: string; unit: string; pct: number | null }
interface Run { command?: string; counters: Counter[]; seconds: Record<string, number>; format: string }

const HEADER = /^\s*Performance counter stats for (?:'(.*)'|(.*?))(?: \(\d+ runs\))?:\s*$/;
const SECONDS = /^\s*(\d+(?:\.\d+)?)(?:\s+\+-\s+[\d.]+)?\s+seconds (time elapsed|user|sys)\b/;
const SECONDS_STAT: Readonly<Record<string, string>> = { "time elapsed": "wall_seconds", user: "user_seconds", sys: "system_seconds" };
const MISSING = /^<not (?:counted|supported)>$/;
const EVENT = /^[A-Za-z_][\w\-.:/=@,]*$/;

/** A text counter line: `   852,125,255      cycles:u   # 1.319 GHz (83.35%)`, or null when it is not one. */
function textCounter(line: string): Counter | null {
  const m = /^\s*(<not counted>|<not supported>|[\d,]+(?:\.\d+)?)\s+(.*)$/.exec(line);
  if (!m) return null;
  const hash = m[2]!.indexOf("#");
  const pctMatch = /\((\d+(?:\.\d+)?)%\)\s*$/.exec(m[2]!);
  const before = (hash >= 0 ? m[2]!.slice(0, hash) : m[2]!).replace(/\(\s*\+-\s*[\d.]+%\s*\)/, "").replace(/\(\d+(?:\.\d+)?%\)/, "").trim();
  const tokens = before.split(/\s+/);
  if (tokens.length > 2 || tokens[0] === "" || !EVENT.test(tokens[tokens.length - 1]!)) return null;
  const event = tokens[tokens.length - 1]!;
  const unit = tokens.length === 2 ? tokens[0]! : "count";
  const pct = pctMatch ? Number(pctMatch[1]) : null;
  if (MISSING.test(m[1]!)) return { event, value: null, missing: m[1]!, unit, pct };
  const value = printedNumber(m[1]!);
  return value === null ? null : { event, value, unit, pct };
}

/** A `-x,` line: `1795.31,msec,task-clock,1795310712,100.00,0.992,CPUs utilized`, or null. */
function csvCounter(line: string): Counter | null {
  const f = line.split(",");
  if (f.length < 4 || !EVENT.test(f[2] ?? "") || !/^[A-Za-z%/]*$/.test(f[1]!)) return null;
  // with -r the 4th field is the variance (`0.52%`), shifting run-time and pct by one
  const pctField = f[3]!.endsWith("%") ? f[5] : f[4];
  const pct = pctField !== undefined && /^\d+(?:\.\d+)?$/.test(pctField) ? Number(pctField) : null;
  const unit = f[1] === "" ? "count" : f[1]!;
  const v = f[0]!.trim();
  if (MISSING.test(v)) return { event: f[2]!, value: null, missing: v, unit, pct };
  if (!/^\d+(?:\.\d+)?$/.test(v)) return null;
  return { event: f[2]!, value: Number(v), unit, pct };
}

function parseRuns(text: string, warnings: string[], source: string): Run[] {
  const runs: Run[] = [];
  let cur: Run | undefined;
  let inBlock = false;
  const open = (format: string, command?: string): Run => {
    cur = { counters: [], seconds: {}, format, ...(command === undefined ? {} : { command }) };
    runs.push(cur);
    return cur;
  };
  for (const line of plainLines(text)) {
    const h = HEADER.exec(line);
    if (h) {
      open("perf-stat", h[1] ?? h[2]);
      inBlock = true;
      continue;
    }
    if (/^# started on /.test(line)) {
      open("perf-stat-csv");
      continue;
    }
    if (/^\s*WARNING:/.test(line)) {
      warnings.push(`${source}: perf said: ${line.trim()}`);
      continue;
    }
    const csv = csvCounter(line);
    if (csv) {
      (cur?.format === "perf-stat-csv" ? cur : open("perf-stat-csv")).counters.push(csv);
      inBlock = false;
      continue;
    }
    if (!inBlock || !cur) continue;
    const s = SECONDS.exec(line);
    if (s) {
      cur.seconds[SECONDS_STAT[s[2]!]!] = Number(s[1]);
      continue;
    }
    if (line.trim() === "" || /^\s*#/.test(line)) continue; // blank, or a `# 0.06 stalled cycles per insn` continuation
    const c = textCounter(line);
    if (c) cur.counters.push(c);
    else inBlock = false;
  }
  return runs;
}

/**
 * `perf stat` output (text or `-x,` CSV, possibly with other output around it) → rows (metric `perf`), one run per
 * `Performance counter stats for` header (or `# started on` line); several runs get ids `#1`, `#2`. The id is
 * `options.id`, else the command perf names, else the file name. Throws ParseError when no counter is found.
 */
export function perfStat(text: string, options: OutputParseOptions = {}): MemoryIngestResult {
  const source = options.source ?? "stderr";
  if (text.trim() === "") throw new ParseError(source, "empty file: no perf stat output");
  const warnings: string[] = [];
  const runs = parseRuns(text, warnings, source).filter((r) => r.counters.length > 0 || Object.keys(r.seconds).length > 0);
  if (runs.length === 0) {
    throw new ParseError(source, "no perf stat counters found (expected `Performance counter stats for ...` followed by counter lines, or `-x,` CSV lines `value,unit,event,...`)");
  }
  const fallback = stemOf(options.source) ?? "perf";
  const ids = runIds(runs.map((r) => options.id ?? r.command ?? fallback));
  const rows: TidyRow[] = [];
  runs.forEach((r, i) => {
    const id = ids[i]!;
    const row = (stat: string, value: number, unit: string): void => {
      rows.push(outputRow({ id, source, format: r.format, metric: "perf", stat, value, unit }));
    };
    const partial: string[] = [];
    for (const c of r.counters) {
      if (c.value === null) {
        warnings.push(`${source}: ${id}: ${c.event} is ${c.missing}: no row`);
        continue;
      }
      row(c.event, c.value, c.unit);
      if (c.pct !== null && c.pct < 100) partial.push(`${c.event} ${c.pct}%`);
    }
    for (const [stat, v] of Object.entries(r.seconds)) row(stat, v, "s");
    if (partial.length > 0) {
      warnings.push(`${source}: ${id}: events counted only part of the time (multiplexed; perf scaled the counts up): ${partial.join(", ")}`);
    }
  });
  return { rows, timeline: [], sites: [], warnings };
}

/** True when most output lines of `lines` are `perf stat -x,` records (detection of a CSV file). */
export function looksLikePerfCsv(lines: readonly string[]): boolean {
  const content = lines.filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const csv = content.filter((l) => csvCounter(l) !== null).length;
  return csv > 0 && csv * 2 >= content.length;
}
