/**
 * A baseline-vs-candidate review as a reader sees it: a one-line headline ("2 regressed, 1 improved, 9 no change,
 * 0 inconclusive of 12 at ±2 %, FDR 5 %") and a table (baseline, candidate, change with its CI, p, q, verdict),
 * regressions first, in HTML (every run-supplied string escaped) and in Markdown ready for a pull request.
 */
import type { ColumnTable } from "arquero";
import { comparisonRowsOf, verdictCounts, type RunComparisonRow, type ComparisonVerdict } from "../analyze/compareRuns.js";
import { formatValue } from "./humanize.js";
import { escapeHtml, escapeMarkdown, renderHtml, renderMarkdown, type TableColumn } from "./table.js";

export interface CompareSummaryOptions {
  /** Names of the two runs (ids or folders), shown in the headline. */
  base: string;
  cand: string;
  /** The noise floor the comparison used (fraction, e.g. 0.02). */
  threshold: number;
  /** The FDR level the comparison used; default 0.05. */
  alpha?: number;
}

export const VERDICT_SYMBOLS: Record<ComparisonVerdict, string> = {
  regressed: "🔴",
  improved: "🟢",
  "no change": "⚪",
  inconclusive: "🟡",
  "missing in base": "➕",
  "missing in candidate": "➖",
};

/** Rows in reading order: regressions (largest first), improvements (largest first), inconclusive, missing, no change. */
const ORDER: Record<ComparisonVerdict, number> = {
  regressed: 0, improved: 1, inconclusive: 2, "missing in candidate": 3, "missing in base": 4, "no change": 5,
};

export function compareSummary(data: ColumnTable | readonly object[], options: CompareSummaryOptions): { html: string; markdown: string; headline: string } {
  const rows = sortForReview(comparisonRowsOf(data));
  const headline = compareHeadline(rows, options);
  const columns: TableColumn[] = [
    { label: "benchmark", align: "left", cell: (r) => row(r).label },
    { label: "baseline", align: "right", cell: (r) => formatValue(row(r).baseline, row(r).unit) },
    { label: "candidate", align: "right", cell: (r) => formatValue(row(r).candidate, row(r).unit) },
    { label: "change [95 % CI]", align: "right", cell: (r) => formatRatioCI(row(r)) },
    { label: "p", align: "right", cell: (r) => (row(r).kind === "exact" && row(r).p !== null ? "exact" : formatP(row(r).p)) },
    { label: "q", align: "right", cell: (r) => (row(r).kind === "exact" && row(r).q !== null ? "exact" : formatP(row(r).q)) },
    { label: "verdict", align: "left", cell: (r) => verdictText(row(r)) },
  ];
  const objects = rows as unknown as Record<string, unknown>[];
  const title = `${options.base} → ${options.cand}`;
  // Criterion keeps one mean per sample (a batch of iterations): its medians are of batch means, and no tail
  // latency can be read from them. Say so rather than let a reader take them for per-message percentiles.
  const batchMeans = rows.some((r) => r.kind === "time" && r.unit === "ns" && r.nBase > 0);
  const note = batchMeans ? "Wall-time medians are of Criterion's per-sample batch means (time / iterations): they say nothing about tail latency (p99), which needs per-event samples." : "";
  const html = `<div class="litlab-compare"><p><strong>${escapeHtml(title)}</strong>: ${escapeHtml(headline)}</p>\n${renderHtml(objects, columns)}${note ? `\n<p class="litlab-note"><em>${escapeHtml(note)}</em></p>` : ""}</div>`;
  const markdown = `**${escapeMarkdown(title)}**: ${escapeMarkdown(headline)}\n\n${renderMarkdown(objects, columns)}\n${note ? `\n_${escapeMarkdown(note)}_\n` : ""}`;
  return { html, markdown, headline };
}

const row = (r: Record<string, unknown>): RunComparisonRow => r as unknown as RunComparisonRow;

/** "2 regressed, 1 improved, 9 no change, 0 inconclusive of 12 at ±2 %, FDR 5 %" (+ "; 1 only in base, …"). */
export function compareHeadline(rows: readonly RunComparisonRow[], options: Pick<CompareSummaryOptions, "threshold" | "alpha">): string {
  const c = verdictCounts(rows);
  const compared = c.regressed + c.improved + c["no change"] + c.inconclusive;
  let text = `${c.regressed} regressed, ${c.improved} improved, ${c["no change"]} no change, ${c.inconclusive} inconclusive of ${compared}`
    + ` at ±${formatPercent(options.threshold)}, FDR ${formatPercent(options.alpha ?? 0.05)}`;
  const missing = [
    ...(c["missing in candidate"] ? [`${c["missing in candidate"]} only in base`] : []),
    ...(c["missing in base"] ? [`${c["missing in base"]} only in candidate`] : []),
  ];
  if (missing.length) text += `; ${missing.join(", ")}`;
  return text;
}

export function sortForReview(rows: readonly RunComparisonRow[]): RunComparisonRow[] {
  const effect = (r: RunComparisonRow): number => (r.ratio === null ? 0 : Math.abs(Math.log(r.ratio)));
  return [...rows].sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict] || effect(b) - effect(a) || a.label.localeCompare(b.label));
}

/** 0.02 → "2 %", 0.025 → "2.5 %". */
export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))} %`;
}

/** A ratio as a signed change: 1.031 → "+3.1 %", 0.95 → "−5.0 %", below 1 % with two significant digits ("+0.16 %"). */
export function formatChange(ratio: number | null): string {
  if (ratio === null || Number.isNaN(ratio)) return "–";
  if (ratio === Infinity) return "+∞";
  const pct = (ratio - 1) * 100;
  if (pct === 0) return "±0 %";
  const abs = Math.abs(pct);
  const digits = abs >= 1 ? abs.toFixed(1) : String(Number(abs.toPrecision(2)));
  return `${pct > 0 ? "+" : "−"}${digits} %`;
}

/** "+3.1 % [+1.2 %, +5.0 %]"; exact comparisons "+0.16 % (exact)"; no CI → the change alone. */
export function formatRatioCI(r: Pick<RunComparisonRow, "ratio" | "lower" | "upper" | "kind">): string {
  const change = formatChange(r.ratio);
  if (r.ratio === null) return change;
  if (r.kind === "exact") return `${change} (exact)`;
  if (r.lower === null || r.upper === null) return change;
  return `${change} [${formatChange(r.lower)}, ${formatChange(r.upper)}]`;
}

/** p or q: "<0.001", else two significant digits ("0.042", "1"); null → "–". */
export function formatP(p: number | null): string {
  if (p === null || Number.isNaN(p)) return "–";
  if (p < 0.001) return "<0.001";
  return String(Number(p.toPrecision(2)));
}

export function verdictText(r: Pick<RunComparisonRow, "verdict" | "note">): string {
  return `${VERDICT_SYMBOLS[r.verdict]} ${r.verdict}${r.note ? ` (${r.note})` : ""}`;
}
