/**
 * Helpers shared by the valgrind DHAT and massif parsers: the summary TidyRow they emit, exact integer
 * parsing, and line splitting. Pure: values in, values out.
 */
import type { TidyRow } from "../rows.js";

export interface ProfileOptions {
  /** Path of the file, used in rows and error messages. */
  source?: string;
  /** Overrides the tidy `id` (default: the profiled command as the file records it). */
  id?: string;
}

/** One summary figure as a tidy row; memory figures are exact counts, so there is never an interval. */
export function summaryRow(fields: {
  id: string; group: string; source: string; format: string; metric: string; stat: string; value: number; unit: string;
}): TidyRow {
  return {
    id: fields.id, group: fields.group, function: null, param: null, source: fields.source, format: fields.format,
    metric: fields.metric, stat: fields.stat, value: fields.value, unit: fields.unit,
    lower: null, upper: null, confidence: null, baseline: "new",
  };
}

/** The frames joined for tables, innermost first (AllocationSiteRow.site). */
export function siteLabel(frames: readonly string[]): string {
  return frames.join(" ← ");
}

/**
 * A non-negative decimal integer printed by valgrind (optionally with `,` separators), or null when the token is
 * not one. Values up to 2^53 are exact as Number; larger ones would silently round, so they are refused with
 * `tooBig` set, for the caller to turn into a ParseError naming the line.
 */
export function parseCount(token: string): { value: number } | { tooBig: true } | null {
  const t = token.replace(/,(?=\d{3}(?:\D|$))/g, "");
  if (!/^\d+$/.test(t)) return null;
  const value = Number(t);
  return Number.isSafeInteger(value) ? { value } : { tooBig: true };
}

/** Lines of a text file with a BOM and CR line ends removed. */
export function textLines(text: string): string[] {
  const noBom = text.startsWith("\uFEFF") ? text.slice(1) : text;
  return noBom.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}
