/**
 * Helpers shared by the parsers of process-level tool output (jemalloc stats, time, perf stat): options, the
 * default id, and the summary row. Pure: values in, values out.
 */
import type { TidyRow } from "../rows.js";

export interface OutputParseOptions {
  /** File the text came from: goes into each row's `source` and names the file in errors (default `stderr`). */
  source?: string;
  /**
   * The tidy `id` of the rows. Default: the command when the output names it (time -v, perf stat), else the file
   * name without its extensions (`raw/memprog.stderr.txt` → `memprog`), else the tool name.
   */
  id?: string;
}

const EXTENSIONS = /(?:\.(?:stderr|stdout|txt|log|csv|json|out|err))+$/i;

/** The file name of `source` without its output extensions, or undefined when that leaves nothing. */
export function stemOf(source: string | undefined): string | undefined {
  if (source === undefined) return undefined;
  const base = source.split(/[\\/]/).pop() ?? source;
  const stem = base.replace(EXTENSIONS, "");
  return stem === "" ? undefined : stem;
}

/**
 * The ids of the runs/documents found in one output, one per entry of `base`: a base id that occurs once stays as
 * it is; one that occurs several times becomes `base#1`, `base#2`, ... in order (several processes under
 * LD_PRELOAD, two `time` blocks in one log), so rows of different runs never share an id.
 */
export function runIds(base: readonly string[]): string[] {
  const total = new Map<string, number>();
  for (const b of base) total.set(b, (total.get(b) ?? 0) + 1);
  const seen = new Map<string, number>();
  return base.map((b) => {
    if (total.get(b) === 1) return b;
    const k = (seen.get(b) ?? 0) + 1;
    seen.set(b, k);
    return `${b}#${k}`;
  });
}

/** A summary figure as a tidy row: exact counts or as printed, so never an interval. */
export function outputRow(f: { id: string; source: string; format: string; metric: string; stat: string; value: number; unit: string }): TidyRow {
  return {
    id: f.id, group: f.id, function: null, param: null, source: f.source, format: f.format,
    metric: f.metric, stat: f.stat, value: f.value, unit: f.unit,
    lower: null, upper: null, confidence: null, baseline: "new",
  };
}

/** Lines with a BOM and CR line ends removed. */
export function plainLines(text: string): string[] {
  const noBom = text.startsWith("\uFEFF") ? text.slice(1) : text;
  return noBom.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

/** A decimal number with optional `,` thousands separators (`852,125,255`, `646.07`), or null. */
export function printedNumber(token: string): number | null {
  const t = token.replace(/,(?=\d{3}(?:\D|$))/g, "");
  return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(t) ? Number(t) : null;
}
