import type { ColumnTable } from "arquero";
import { formatInterval, formatNumber, formatValue } from "./humanize.js";

export interface TableOptions {
  /** Columns to show, in order. `ci` is a virtual column: `[lower – upper]` in the row's unit. */
  columns?: string[];
  caption?: string;
}

/** One rendered column: how to label it, align it and turn a row into cell text (unescaped). */
export interface TableColumn {
  label: string;
  align: "left" | "right";
  cell: (row: Record<string, unknown>) => string;
}

/** Columns holding a measurement in the row's `unit`; humanized together with it. */
const MEASURE = new Set(["value", "lower", "upper"]);

/** Rows or table → plain row objects plus the column names in their natural order. */
export function tableRows(data: readonly object[] | ColumnTable): { rows: Record<string, unknown>[]; names: string[] } {
  const t = data as Partial<ColumnTable>;
  if (typeof t.objects === "function" && typeof t.columnNames === "function") {
    return { rows: t.objects() as Record<string, unknown>[], names: t.columnNames() };
  }
  const rows = data as Record<string, unknown>[];
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { rows, names };
}

/**
 * Which columns to show and how. By default a measurement is shown as one humanized value plus a `CI` column,
 * instead of raw `value`, `unit`, `lower`, `upper` nanosecond columns.
 */
export function planColumns(rows: readonly Record<string, unknown>[], names: readonly string[], wanted?: readonly string[]): TableColumn[] {
  const hasUnit = names.includes("unit");
  let keys: string[];
  if (wanted) keys = [...wanted];
  else if (hasUnit && names.includes("value")) {
    keys = names.filter((n) => n !== "unit" && n !== "lower" && n !== "upper");
    if (names.includes("lower") && names.includes("upper")) keys.splice(keys.indexOf("value") + 1, 0, "ci");
  } else keys = [...names];
  return keys.map((key): TableColumn => {
    if (key === "ci") {
      return { label: "CI", align: "right", cell: (r) => formatInterval(num(r["lower"]), num(r["upper"]), String(r["unit"] ?? "")) };
    }
    const numeric = rows.every((r) => r[key] == null || typeof r[key] === "number") && rows.some((r) => typeof r[key] === "number");
    if (MEASURE.has(key) && hasUnit) {
      return { label: key, align: "right", cell: (r) => formatValue(num(r[key]), String(r["unit"] ?? "")) };
    }
    return { label: key, align: numeric ? "right" : "left", cell: (r) => plain(r[key]) };
  });
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function plain(v: unknown): string {
  if (v === null || v === undefined) return "–";
  if (typeof v === "number") return formatNumber(v);
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * Markdown cell text: `|` would end the cell and a newline the row; `\`, `<`, `>`, `&`, `*`, `` ` `` are backslash-escaped
 * so ids and names stay literal text (an id like `<script>` must not become HTML in a Markdown renderer).
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/\r?\n/g, " ").replace(/[\\|<>&*`]/g, (c) => `\\${c}`);
}

/** Renders planned columns as an HTML table (every text escaped; measurements and numbers right-aligned). */
export function renderHtml(rows: readonly Record<string, unknown>[], columns: readonly TableColumn[], caption?: string): string {
  const style = (c: TableColumn): string => `style="text-align:${c.align}"`;
  const head = columns.map((c) => `<th ${style(c)}>${escapeHtml(c.label)}</th>`).join("");
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td ${style(c)}>${escapeHtml(c.cell(r))}</td>`).join("")}</tr>`).join("\n");
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : "";
  return `<table class="litlab-table">${cap}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/** Renders planned columns as a GitHub Markdown table (caption as a bold line above it). */
export function renderMarkdown(rows: readonly Record<string, unknown>[], columns: readonly TableColumn[], caption?: string): string {
  const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
  const lines = [
    line(columns.map((c) => escapeMarkdown(c.label))),
    line(columns.map((c) => (c.align === "right" ? "---:" : "---"))),
    ...rows.map((r) => line(columns.map((c) => escapeMarkdown(c.cell(r))))),
  ];
  return (caption ? `**${escapeMarkdown(caption)}**\n\n` : "") + lines.join("\n");
}

/** Rows (tidy, comparison, or anything) as a formatted HTML table: humanized values, `[lower – upper]` CIs. */
export function htmlTable(data: readonly object[] | ColumnTable, options: TableOptions = {}): string {
  const { rows, names } = tableRows(data);
  return renderHtml(rows, planColumns(rows, names, options.columns), options.caption);
}

/** The same table as `htmlTable`, in GitHub Markdown. */
export function markdownTable(data: readonly object[] | ColumnTable, options: TableOptions = {}): string {
  const { rows, names } = tableRows(data);
  return renderMarkdown(rows, planColumns(rows, names, options.columns), options.caption);
}
