/**
 * Shared helpers for the text parsers (Criterion stdout, bencher lines, lit-bit prints): line cleaning,
 * id splitting, number and unit parsing. Pure: strings in, values out.
 */
import type { TidyRow } from "../rows.js";

// CSI sequences (colours, erase-line) and the two-character escapes Criterion's TTY output may contain
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;

/**
 * Splits captured terminal output into lines as a reader would have seen them: colour codes removed, CRLF and
 * lone CR handled. A CR inside a line is a TTY progress overwrite (`Benchmarking x: Analyzing\rx  time: ...`):
 * only the text after the last CR was left visible, so only that is kept.
 */
export function cleanLines(text: string): string[] {
  const noBom = text.startsWith("\uFEFF") ? text.slice(1) : text;
  return noBom
    .replace(ANSI, "")
    .split("\n")
    .map((line) => {
      const l = line.endsWith("\r") ? line.slice(0, -1) : line;
      const cr = l.lastIndexOf("\r");
      return cr === -1 ? l : l.slice(cr + 1);
    });
}

/** Criterion's id parts: first part is the group; 3+ parts: the middle ones are the function, the last the param. */
export function splitId(id: string): { group: string; function: string | null; param: string | null } {
  const parts = id.split("/");
  if (parts.length === 1) return { group: id, function: null, param: null };
  if (parts.length === 2) return { group: parts[0]!, function: parts[1]!, param: null };
  return { group: parts[0]!, function: parts.slice(1, -1).join("/"), param: parts[parts.length - 1]! };
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number as printed, optionally with `,` thousands separators (`18,794.12`); null when it is not one. */
export function parseNumber(token: string): number | null {
  const t = token.replace(/,(?=\d{3}(?:\D|$))/g, "");
  if (NUMBER.test(t)) return Number(t);
  if (/^[+-]?(?:NaN|inf|infinity)$/i.test(t)) return Number(t.replace(/inf(inity)?/i, "Infinity"));
  return null;
}

const TIME_UNITS: Readonly<Record<string, number>> = {
  ps: 1e-3, ns: 1, "µs": 1e3 /* U+00B5 micro sign */, "μs": 1e3 /* U+03BC greek mu */, us: 1e3, ms: 1e6, s: 1e9,
};

// Criterion's throughput units (format.rs): elements decimal, bytes binary (KiB...) or decimal (KB..., BytesDecimal)
const THROUGHPUT_UNITS: Readonly<Record<string, readonly [number, string]>> = {
  "elem/s": [1, "elements/s"], "Kelem/s": [1e3, "elements/s"], "Melem/s": [1e6, "elements/s"],
  "Gelem/s": [1e9, "elements/s"], "Telem/s": [1e12, "elements/s"],
  "B/s": [1, "bytes/s"], "KiB/s": [1024, "bytes/s"], "MiB/s": [1024 ** 2, "bytes/s"],
  "GiB/s": [1024 ** 3, "bytes/s"], "TiB/s": [1024 ** 4, "bytes/s"],
  "KB/s": [1e3, "bytes/s"], "MB/s": [1e6, "bytes/s"], "GB/s": [1e9, "bytes/s"], "TB/s": [1e12, "bytes/s"],
};

/** A printed time unit → factor to ns and "ns"; any other unit (a custom measurement: `cycles`) is kept as is. */
export function timeUnit(unit: string): { factor: number; unit: string } {
  const f = TIME_UNITS[unit];
  return f === undefined ? { factor: 1, unit } : { factor: f, unit: "ns" };
}

/** A printed throughput unit → factor to elements/s or bytes/s; any other unit (`cpb`, `MS/s`) is kept as is. */
export function throughputUnit(unit: string): { factor: number; unit: string } {
  const u = THROUGHPUT_UNITS[unit];
  return u === undefined ? { factor: 1, unit } : { factor: u[0], unit: u[1] };
}

/** Where rows of one text parse come from: the file (or `stdout`) and the bench target, when known. */
export interface TextContext {
  source: string;
  target: string | null;
}

/** Options every text parser takes. */
export interface TextParseOptions {
  /** Goes into each row's `source` (default `stdout`). */
  source?: string;
  /** The bench target (program) the text came from, e.g. `memory_usage`; default null. */
  target?: string;
}

/** What every text parser returns: rows plus one line per thing it skipped or could not read. */
export interface TextParseResult {
  rows: TidyRow[];
  warnings: string[];
}

/** One tidy row for benchmark `id` (group/function/param split from it unless given). */
export function textRow(
  id: string,
  ctx: TextContext,
  r: Pick<TidyRow, "format" | "metric" | "stat" | "value" | "unit"> &
    Partial<Pick<TidyRow, "lower" | "upper" | "baseline" | "group" | "function" | "param">>,
): TidyRow {
  const parts = r.group === undefined ? splitId(id) : { group: r.group, function: r.function ?? null, param: r.param ?? null };
  return {
    id, ...parts, source: ctx.source, format: r.format, metric: r.metric, stat: r.stat, value: r.value, unit: r.unit,
    lower: r.lower ?? null, upper: r.upper ?? null,
    // stdout never says the confidence level (Criterion's default is 0.95 but it is configurable), so none is claimed
    confidence: null,
    baseline: r.baseline ?? "new", target: ctx.target,
  };
}

/**
 * `n × factor`, exact in decimal when factor is a power of ten: 2.0763 µs → 2076.3 ns (not 2076.2999999999997),
 * -1.2213 % → -0.012213, so values equal what a reader computes from the printed text.
 */
export function scale(n: number, factor: number): number {
  const exp = Math.log10(factor);
  const digits = String(n);
  // String(n) is the shortest decimal that reads back as n; shifting its exponent is exact. 1e-7 is already in
  // exponent form, and non-finite values have no digits: plain multiplication then.
  if (!Number.isFinite(n) || !Number.isInteger(exp) || /e/i.test(digits)) return n * factor;
  return Number(`${digits}e${exp}`);
}
