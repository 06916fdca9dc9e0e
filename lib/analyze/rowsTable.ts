import { table, type ColumnTable } from "arquero";
import { TIDY_COLUMNS } from "../ingest/rows.js";

/** Columns whose values are numbers (or null); everything else in a tidy row is text (or null). */
const NUMERIC = new Set<string>(["value", "lower", "upper", "confidence"]);

/**
 * Tidy rows → an Arquero table with one column per tidy field, always in the same order, plus any extra
 * fields the rows carry (the store adds `run`). Built column by column instead of with `from()` so that
 * an empty array still yields the tidy columns (analyses can then filter it without special cases) and
 * so that a missing field becomes null rather than undefined.
 */
export function rowsTable(rows: readonly object[]): ColumnTable {
  const names: string[] = [...TIDY_COLUMNS];
  const seen = new Set(names);
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) { seen.add(key); names.push(key); }
    }
  }
  const columns: Record<string, unknown[]> = {};
  for (const name of names) {
    const col = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = (rows[i] as Record<string, unknown>)[name];
      col[i] = v === undefined ? null : NUMERIC.has(name) ? toNumber(v) : v;
    }
    columns[name] = col;
  }
  return table(columns, names);
}

/** JSON from other tools sometimes carries numbers as strings; NaN/garbage become null, not NaN. */
function toNumber(v: unknown): number | null {
  if (v === null) return null;
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}
