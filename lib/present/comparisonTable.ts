import type { ColumnTable } from "arquero";
import { runtimeComparison } from "../analyze/runtimeComparison.js";
import { formatInterval, formatNumber, formatValue } from "./humanize.js";
import { renderHtml, renderMarkdown, tableRows, type TableColumn } from "./table.js";

export interface ComparisonTableOptions {
  group?: string;
  stat?: string;
  caption?: string;
}

type Row = Record<string, unknown>;

/**
 * The runtime comparison as a table a reviewer reads: group, batch size, runtime, time with its CI, throughput.
 * Given tidy rows (a `metric` column), time and throughput are both computed and joined per benchmark; given
 * `runtimeComparison()` output, its one metric fills the matching column.
 */
export function comparisonTable(table: ColumnTable, options: ComparisonTableOptions = {}): { html: string; markdown: string } {
  const rows = comparisonRows(table, options);
  const multiRun = rows.some((r) => r["run"] != null) && new Set(rows.map((r) => r["run"])).size > 1;
  const columns: TableColumn[] = [
    { label: "group", align: "left", cell: (r) => String(r["group"]) },
    { label: "size", align: "right", cell: (r) => (typeof r["size"] === "number" ? formatNumber(r["size"]) : String(r["param"] ?? "–")) },
    { label: "runtime", align: "left", cell: (r) => String(r["runtime"]) },
    ...(multiRun ? [{ label: "run", align: "left", cell: (r: Row) => String(r["run"] ?? "–") } satisfies TableColumn] : []),
    { label: "time (CI)", align: "right", cell: (r) => measure(r["time"] as Row | undefined) },
    { label: "throughput", align: "right", cell: (r) => measure(r["throughput"] as Row | undefined, false) },
  ];
  return { html: renderHtml(rows, columns, options.caption), markdown: renderMarkdown(rows, columns, options.caption) };
}

/** One row per benchmark with `time` and `throughput` sub-objects (either may be missing), in comparison order. */
export function comparisonRows(table: ColumnTable, options: ComparisonTableOptions = {}): Row[] {
  const { names } = tableRows(table);
  const pick = { ...(options.group !== undefined ? { group: options.group } : {}), ...(options.stat !== undefined ? { stat: options.stat } : {}) };
  const parts: [string, Row[]][] = names.includes("metric")
    ? (["time", "throughput"] as const).map((metric) => [metric, runtimeComparison(table, { ...pick, metric }).objects() as Row[]])
    : [[tableRows(table).rows[0]?.["unit"] === "ns" ? "time" : "throughput", tableRows(table).rows]];
  const joined = new Map<string, Row>();
  for (const [metric, rows] of parts) {
    for (const r of rows) {
      const key = JSON.stringify([r["group"], r["runtime"], r["param"], r["run"] ?? null]);
      const row = joined.get(key) ?? { group: r["group"], size: r["size"], param: r["param"], runtime: r["runtime"], run: r["run"] ?? null };
      row[metric] = r;
      joined.set(key, row);
    }
  }
  // Time rows come first and are already sorted; a benchmark with throughput only is appended in its own order.
  return [...joined.values()];
}

function measure(r: Row | undefined, withCi = true): string {
  if (!r) return "–";
  const unit = String(r["unit"] ?? "");
  const value = formatValue(typeof r["value"] === "number" ? r["value"] : null, unit);
  const ci = withCi ? formatInterval(r["lower"] as number | null, r["upper"] as number | null, unit) : "";
  return ci ? `${value} ${ci}` : value;
}
