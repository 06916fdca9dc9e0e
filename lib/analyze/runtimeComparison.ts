import { from, table as columnsTable, type ColumnTable } from "arquero";

export interface RuntimeComparisonOptions {
  /** Which metric to compare: `time` (ns per iteration, lower is better) or `throughput`. Default `time`. */
  metric?: "time" | "throughput";
  /** Which statistic: `typical` (Criterion's headline number: slope, else mean), `mean`, `median`, ... Default `typical`. */
  stat?: string;
  /** Keep only this Criterion group. */
  group?: string;
  /** Keep only this Criterion baseline; by default `new` is preferred when a benchmark has several. */
  baseline?: string;
}

/** One row of the comparison: one benchmark (runtime at one batch size) of one group (and run). */
export interface ComparisonRow {
  group: string;
  runtime: string;
  param: string | null;
  size: number | null;
  value: number;
  lower: number | null;
  upper: number | null;
  unit: string;
  id: string;
  run?: string;
}

export const COMPARISON_COLUMNS = ["group", "runtime", "param", "size", "value", "lower", "upper", "unit", "id"] as const;

/**
 * Tidy rows → one row per (group, runtime, param[, run]) for one metric and statistic, sorted by group, batch size
 * and runtime: the shape of lit-bit's `group/runtime/batch` ids (`message_throughput/tokio_single/1000`).
 * A benchmark without a function part (`fib/20`) is its own runtime, named after its group.
 */
export function runtimeComparison(table: ColumnTable, options: RuntimeComparisonOptions = {}): ColumnTable {
  const metric = options.metric ?? "time";
  const stat = options.stat ?? "typical";
  const names = table.columnNames();
  const hasRun = names.includes("run");
  const picked = new Map<string, { row: ComparisonRow; baseline: string }>();
  for (const o of table.objects() as Record<string, unknown>[]) {
    if (o["metric"] !== metric || o["stat"] !== stat) continue;
    const group = String(o["group"] ?? "");
    if (options.group !== undefined && group !== options.group) continue;
    const baseline = String(o["baseline"] ?? "");
    if (options.baseline !== undefined && baseline !== options.baseline) continue;
    const value = o["value"];
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    const param = o["param"] == null ? null : String(o["param"]);
    const row: ComparisonRow = {
      group,
      runtime: o["function"] == null ? group : String(o["function"]),
      param,
      size: parseSize(param),
      value,
      lower: finiteOrNull(o["lower"]),
      upper: finiteOrNull(o["upper"]),
      unit: String(o["unit"] ?? ""),
      id: String(o["id"] ?? ""),
    };
    if (hasRun) row.run = o["run"] == null ? "" : String(o["run"]);
    // Several baselines of one benchmark (new/, base/, a named one) would otherwise be drawn as duplicate points.
    const key = JSON.stringify([row.group, row.runtime, row.param, row.run ?? null]);
    const prev = picked.get(key);
    if (!prev || (prev.baseline !== "new" && baseline === "new")) picked.set(key, { row, baseline });
  }
  const rows = [...picked.values()].map((p) => p.row).sort(compareRows);
  const columns = hasRun ? [...COMPARISON_COLUMNS, "run"] : [...COMPARISON_COLUMNS];
  if (rows.length === 0) return columnsTable(Object.fromEntries(columns.map((c) => [c, []])), columns);
  return from(rows, columns);
}

/** A batch-size parameter as a number (`1000`, `1e3`, `1_000`), or null when it is not one (`8KiB`, `w/ cache`). */
export function parseSize(param: string | null): number | null {
  if (param === null) return null;
  const text = param.trim().replace(/_/g, "");
  if (text === "" || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function finiteOrNull(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** group, then size ascending (non-numeric params after numeric ones, by text), then runtime, then run. */
function compareRows(a: ComparisonRow, b: ComparisonRow): number {
  return text(a.group, b.group)
    || (a.size === null ? (b.size === null ? 0 : 1) : b.size === null ? -1 : a.size - b.size)
    || text(a.param ?? "", b.param ?? "")
    || text(a.runtime, b.runtime)
    || text(a.run ?? "", b.run ?? "");
}
