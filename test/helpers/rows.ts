import assert from "node:assert/strict";
import type { TidyRow } from "../../lib/ingest/rows.js";

/** The one row with this id, metric and stat (and baseline, when given); fails the test on none or several. */
export function oneRow(rows: readonly TidyRow[], id: string, metric: string, stat: string, baseline?: string): TidyRow {
  const hits = rows.filter((r) => r.id === id && r.metric === metric && r.stat === stat && (baseline === undefined || r.baseline === baseline));
  assert.equal(hits.length, 1, `expected one ${metric}/${stat}${baseline ? `/${baseline}` : ""} row for ${id}, got ${hits.length}`);
  return hits[0]!;
}

/** Distinct benchmark ids, in first-seen order. */
export const idsOf = (rows: readonly TidyRow[]): string[] => [...new Set(rows.map((r) => r.id))];
