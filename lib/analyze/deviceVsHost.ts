import { from, type ColumnTable } from "arquero";

/**
 * One benchmark's time per operation on one side: the host (Criterion, ns of wall clock) or the device (protocol
 * records, ticks of the device's clock). The two are never put on one axis: a tick is not a nanosecond, and under QEMU
 * `-icount` it is an emulated instruction-count tick, not silicon time. What joins them is the benchmark: group + param
 * (`message_throughput` at 1000 messages), the function part being the runtime (`tokio_single`, `no_std`).
 */
export interface DeviceHostRow {
  /** `group/param` (or the group alone): the thing both sides measured. */
  benchmark: string;
  group: string;
  param: string | null;
  runtime: string;
  side: "host" | "device";
  /** Per operation (iteration): ns on the host, ticks on the device. */
  value: number;
  lower: number | null;
  upper: number | null;
  unit: string;
  /** `wall` on the host; the device's tick source (`icount`, `systick`, `dwt`, `mcycle`, `timer`). */
  clock: string;
  /** Says what the number is, for axis titles and tables: `ns per op (host, wall clock)`. */
  measure: string;
  /** true when the other side measured the same benchmark too. */
  paired: boolean;
  id: string;
  run?: string;
}

/** What a tick is, in words a reader of the chart needs (`icount` is the one people mistake for silicon timing). */
export function clockDescription(clock: string): string {
  switch (clock) {
    case "icount": return "QEMU icount ticks, emulated: not silicon timing";
    case "systick": return "SysTick ticks";
    case "dwt": return "DWT cycles";
    case "mcycle": return "mcycle cycles";
    case "timer": return "timer ticks";
    case "wall": return "wall clock";
    default: return `${clock} ticks`;
  }
}

function measureOf(side: "host" | "device", unit: string, clock: string): string {
  return side === "host" ? `${unit} per op (host, ${clockDescription(clock)})` : `${unit} per op (device, ${clockDescription(clock)})`;
}

/**
 * Tidy rows of host and device runs (any mix) → one row per benchmark × runtime × side: host rows are Criterion's
 * `time`/`typical` in ns; device rows are `time`/`mean` in ticks (they carry `clock`). Other rows are ignored.
 * Sorted by benchmark, side (host first), runtime.
 */
export function deviceVsHost(rows: ColumnTable | readonly object[]): ColumnTable {
  const objects = (typeof (rows as Partial<ColumnTable>).objects === "function" ? (rows as ColumnTable).objects() : rows) as Record<string, unknown>[];
  const out: DeviceHostRow[] = [];
  for (const o of objects) {
    if (o["metric"] !== "time") continue;
    const value = o["value"];
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    const unit = String(o["unit"] ?? "");
    const device = unit === "ticks";
    if (device ? o["stat"] !== "mean" : o["stat"] !== "typical" || unit !== "ns") continue;
    if (!device && o["baseline"] != null && o["baseline"] !== "new") continue;
    const group = String(o["group"] ?? "");
    const param = o["param"] == null ? null : String(o["param"]);
    const side = device ? "device" : "host";
    const clock = device ? String(o["clock"] ?? "ticks") : "wall";
    out.push({
      benchmark: param === null ? group : `${group}/${param}`,
      group,
      param,
      runtime: o["function"] == null ? group : String(o["function"]),
      side,
      value,
      lower: finiteOrNull(o["lower"]),
      upper: finiteOrNull(o["upper"]),
      unit,
      clock,
      measure: measureOf(side, unit, clock),
      paired: false,
      id: String(o["id"] ?? ""),
      ...(typeof o["run"] === "string" ? { run: o["run"] } : {}),
    });
  }
  const sides = new Map<string, Set<string>>();
  for (const r of out) (sides.get(r.benchmark) ?? sides.set(r.benchmark, new Set()).get(r.benchmark)!).add(r.side);
  for (const r of out) r.paired = sides.get(r.benchmark)!.size === 2;
  out.sort((a, b) => cmp(a.group, b.group) || (paramNumber(a.param) - paramNumber(b.param)) || cmp(a.param ?? "", b.param ?? "")
    || cmp(a.side === "host" ? "0" : "1", b.side === "host" ? "0" : "1") || cmp(a.runtime, b.runtime));
  return from(out);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const paramNumber = (p: string | null): number => (p !== null && /^\d+$/.test(p) ? Number(p) : 0);
const finiteOrNull = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
