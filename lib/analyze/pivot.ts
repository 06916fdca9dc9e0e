import { escape, table as columnsTable, type ColumnTable } from "arquero";
import { LitlabError } from "../errors.js";
import { runtimeOf } from "./runtimeLabels.js";

export interface PivotOptions {
  /** Which metric: default `time`. */
  metric?: string;
  /** Which statistic: default `typical` (Criterion's headline number). */
  stat?: string;
  /** Which baseline; by default `new` when the rows have it, else every baseline there is. */
  baseline?: string;
}

/** `"1000"` → 1000, `"8KiB"` → NaN: numeric params sort by value, the rest by text after them. */
const paramOrder = (p: unknown): [number, string] => {
  const s = p == null ? "" : String(p);
  const n = s.trim() === "" ? NaN : Number(s);
  return [Number.isFinite(n) ? n : Infinity, s];
};

/**
 * Runtime × param: one row per (group, param) — and per run when the table holds several — with one column per
 * runtime holding `value`. The runtime is the table's `runtime` column (runsTable), else the label of the
 * function id (runtimeLabels), else the function id itself, so unknown runtimes still get a column. A cell with
 * no benchmark is null. Two values for one cell (e.g. two baselines) are an error rather than silently averaged.
 */
export function pivotRuntimeByParam(table: ColumnTable, options: PivotOptions = {}): ColumnTable {
  const metric = options.metric ?? "time";
  const stat = options.stat ?? "typical";
  const names = table.columnNames();
  let t = table.params({ metric, stat }).filter((d: Record<string, unknown>, $: Record<string, unknown>) => d["metric"] === $["metric"] && d["stat"] === $["stat"]);
  if (names.includes("baseline")) {
    const baselines = new Set(t.array("baseline") as unknown[]);
    const wanted = options.baseline ?? (baselines.has("new") ? "new" : undefined);
    if (wanted !== undefined) t = t.params({ wanted }).filter((d: Record<string, unknown>, $: Record<string, unknown>) => d["baseline"] === $["wanted"]);
  }
  const hasRuntime = names.includes("runtime");
  t = t.derive({
    runtime_: escape((d: Record<string, unknown>) => {
      const fn = d["function"] == null ? null : String(d["function"]);
      const label = hasRuntime && d["runtime"] != null ? String(d["runtime"]) : runtimeOf(fn);
      return label ?? fn ?? String(d["group"]);
    }),
  });
  const byRun = names.includes("run") && new Set(t.array("run") as unknown[]).size > 1;
  const keys = byRun ? ["group", "param", "run"] : ["group", "param"];

  const counts = t.groupby(...keys, "runtime_").count({ as: "n" }).filter((d: Record<string, unknown>) => (d["n"] as number) > 1);
  if (counts.numRows() > 0) {
    const c = counts.object(0) as Record<string, unknown>;
    throw new LitlabError("usage", `pivotRuntimeByParam: ${c["n"]} values for ${keys.map((k) => `${k} ${String(c[k])}`).join(", ")}, runtime ${String(c["runtime_"])} (metric ${metric}, stat ${stat}); filter by run or baseline first`);
  }
  if (t.numRows() === 0) return columnsTable(Object.fromEntries(keys.map((k) => [k, []])));

  const runtimes = [...new Set(t.array("runtime_") as string[])].sort();
  const wide = t.groupby(...keys).pivot("runtime_", "value");
  // rebuilt column by column: fixed column order, null (not undefined) for a missing cell, rows sorted by param value
  const objs = (wide.objects() as Record<string, unknown>[]).sort((a, b) => {
    for (const k of keys) {
      if (k === "param") {
        const [na, sa] = paramOrder(a[k]);
        const [nb, sb] = paramOrder(b[k]);
        if (na !== nb) return na - nb;
        if (sa !== sb) return sa < sb ? -1 : 1;
      } else {
        const sa = String(a[k] ?? ""), sb = String(b[k] ?? "");
        if (sa !== sb) return sa < sb ? -1 : 1;
      }
    }
    return 0;
  });
  const columns: Record<string, unknown[]> = {};
  for (const c of [...keys, ...runtimes]) columns[c] = objs.map((o) => o[c] ?? null);
  return columnsTable(columns, [...keys, ...runtimes]);
}
