/**
 * Baseline-vs-candidate review of two stored runs: one row per compared measurement, with the ratio
 * candidate / baseline, its CI, p, the Benjamini-Hochberg q over the whole review, and a verdict.
 *
 * What is compared, per run (each row of `run.rows` is looked at once):
 *
 * | rows                                                    | kind      | what is compared                                   |
 * |---------------------------------------------------------|-----------|----------------------------------------------------|
 * | `metric: "time"`, unit `ns` (Criterion, any reader)       | `"time"`  | per-iteration samples `samples[].per_iter_ns` of the id |
 * | unit `ticks` with `clock: "icount"` (QEMU), stat `mean`  | `"exact"` | the row's value (deterministic instruction counts) |
 * | unit `ticks`, another clock, stat `mean`                 | `"time"`  | the id's per-event `deviceSamples` ticks           |
 * | unit `bytes` (sizes, heap, stack, memory KPIs)           | `"exact"` | the row's value, one comparison per metric × stat  |
 *
 * Everything else (throughput derived from time, Criterion's `change` rows, rates printed by benches) is not
 * compared. Criterion rows and samples of the `new` baseline are used when a run holds several baselines.
 * A time measurement without samples in either run (e.g. rows imported from Criterion's stdout) gets verdict
 * "inconclusive" with note "no samples", the ratio of the printed point estimates and no CI, p or q: a p-value
 * is never invented. Measurements found in one run only are listed as "missing in base" / "missing in candidate".
 * Verdicts follow compareSamples (noise floor `threshold` for time, tolerance 0 for exact) after applyFdr.
 */
import { table, type ColumnTable } from "arquero";
import { LitlabError } from "../errors.js";
import type { SampleRow, TidyRow } from "../ingest/rows.js";
import type { DeviceSampleRow } from "../ingest/device/deviceRows.js";
import type { LoadedRun } from "../store/runFolder.js";
import { applyFdr, compareSamples, median, type CompareResult, type MetricKind, type Verdict } from "./stats/index.js";

export type ComparisonVerdict = Verdict | "missing in base" | "missing in candidate";

export interface CompareRunsOptions {
  /** Noise floor for time comparisons as a fraction; default 0.02 (±2 %). */
  threshold?: number;
  /** False discovery rate (and significance level); default 0.05. */
  alpha?: number;
  /** Bootstrap seed (default: the stats core's fixed seed, so a review is reproducible). */
  seed?: number;
  /** Compare only benchmark ids matching this pattern. */
  id?: RegExp;
  /**
   * Run-to-run noise per benchmark id (runToRunNoise over repeated runs of the same code): a time benchmark's
   * threshold becomes max(threshold, its floor), so a change must beat what the machine does between runs.
   */
  noise?: ReadonlyMap<string, { floor: number; runs: number }>;
}

/** One compared measurement (a row of compareRuns' table). */
export interface RunComparisonRow {
  id: string;
  /** The id, plus `(metric stat)` for measurements other than time (e.g. `fw (size .text)`). */
  label: string;
  group: string;
  function: string | null;
  param: string | null;
  metric: string;
  stat: string;
  kind: MetricKind;
  /** Baseline median (time) or value (exact); null when missing in the base run. */
  baseline: number | null;
  candidate: number | null;
  unit: string;
  ratio: number | null;
  lower: number | null;
  upper: number | null;
  p: number | null;
  q: number | null;
  verdict: ComparisonVerdict;
  /** Why a verdict had to be inconclusive (`no samples`, …); null otherwise. */
  note: string | null;
  /** Noise floor the verdict used (0 for exact). */
  threshold: number;
  nBase: number;
  nCand: number;
}

export const VERDICTS: ReadonlySet<ComparisonVerdict> = new Set<ComparisonVerdict>([
  "regressed", "improved", "no change", "inconclusive", "missing in base", "missing in candidate",
]);

export const RUN_COMPARISON_COLUMNS = [
  "id", "label", "group", "function", "param", "metric", "stat", "kind", "baseline", "candidate", "unit",
  "ratio", "lower", "upper", "p", "q", "verdict", "note", "threshold", "nBase", "nCand",
] as const satisfies readonly (keyof RunComparisonRow)[];

/** One comparable measurement of one run. */
interface Measure {
  key: string;
  row: TidyRow;
  kind: MetricKind;
  stat: string;
  /** Point estimate shown as baseline/candidate (median of samples when there are samples). */
  value: number;
  /** Samples for time measurements (empty when none); the value itself for exact ones. */
  values: number[];
}

/** compareRuns as an Arquero table (columns RUN_COMPARISON_COLUMNS, even when empty). */
export function compareRuns(base: LoadedRun, cand: LoadedRun, options: CompareRunsOptions = {}): ColumnTable {
  const rows = compareRunRows(base, cand, options);
  const columns: Record<string, unknown[]> = {};
  for (const name of RUN_COMPARISON_COLUMNS) columns[name] = rows.map((r) => r[name]);
  return table(columns, [...RUN_COMPARISON_COLUMNS]);
}

/** The comparison as plain rows: base run's order first, then measurements found in the candidate only. */
export function compareRunRows(base: LoadedRun, cand: LoadedRun, options: CompareRunsOptions = {}): RunComparisonRow[] {
  const threshold = options.threshold ?? 0.02;
  const alpha = options.alpha ?? 0.05;
  if (!(threshold >= 0 && threshold < 1)) throw new LitlabError("usage", `compare: threshold must be in [0, 1) (e.g. 0.02 for 2 %), got ${threshold}`);
  if (!(alpha > 0 && alpha < 1)) throw new LitlabError("usage", `compare: alpha must be in (0, 1) (e.g. 0.05), got ${alpha}`);
  const filter = options.id ? new RegExp(options.id.source, options.id.flags.replace(/[gy]/g, "")) : undefined;
  const keep = (id: string): boolean => filter === undefined || filter.test(id);
  const bm = measuresOf(base, keep);
  const cm = measuresOf(cand, keep);
  const keys = [...bm.keys(), ...[...cm.keys()].filter((k) => !bm.has(k))];

  const out: RunComparisonRow[] = [];
  const tested: { index: number; result: CompareResult }[] = [];
  // ticks from different targets, machines or icount settings are different units: never compared as exact changes
  const bd = base.manifest.device, cd = cand.manifest.device;
  const otherDevice = bd && cd && (bd.target !== cd.target || bd.machine !== cd.machine || bd.icountShift !== cd.icountShift)
    ? `not comparable: ticks of ${bd.target ?? "?"} on ${bd.machine ?? "?"} vs ${cd.target ?? "?"} on ${cd.machine ?? "?"}${bd.icountShift !== cd.icountShift ? " (different icount)" : ""}`
    : null;
  for (const key of keys) {
    const b = bm.get(key);
    const c = cm.get(key);
    const any = (b ?? c)!;
    const head = headOf(any, threshold);
    if (!b || !c) {
      out.push({
        ...head, baseline: b?.value ?? null, candidate: c?.value ?? null, ratio: null, lower: null, upper: null, p: null, q: null,
        verdict: b ? "missing in candidate" : "missing in base", note: null, nBase: b?.values.length ?? 0, nCand: c?.values.length ?? 0,
      });
      continue;
    }
    const kind: MetricKind = b.kind === "exact" && c.kind === "exact" ? "exact" : "time";
    const noise = kind === "time" ? options.noise?.get(any.row.id) : undefined;
    const thr = noise && noise.floor > threshold ? noise.floor : threshold;
    const row: RunComparisonRow = {
      ...head, kind, threshold: kind === "exact" ? 0 : thr, baseline: b.value, candidate: c.value,
      ratio: b.value !== 0 && Number.isFinite(c.value / b.value) ? c.value / b.value : null,
      lower: null, upper: null, p: null, q: null, verdict: "inconclusive", note: null, nBase: b.values.length, nCand: c.values.length,
    };
    if (otherDevice && any.row.unit === "ticks") {
      row.note = otherDevice;
      out.push(row);
      continue;
    }
    if (kind === "time" && (b.values.length === 0 || c.values.length === 0)) {
      row.note = b.values.length === 0 && c.values.length === 0 ? "no samples" : b.values.length === 0 ? "no samples in base" : "no samples in candidate";
      out.push(row);
      continue;
    }
    if (kind === "time" && b.kind !== c.kind) {
      row.note = "exact in one run only (clock differs)";
      out.push(row);
      continue;
    }
    try {
      if (noise && noise.floor > threshold) row.note = `noise floor ±${(noise.floor * 100).toFixed(1)} % from ${noise.runs} repeated runs`;
      if (noise && noise.floor >= 0.99) {
        // repeated runs of the same code differ by 2× or more: no single pair of runs can show a change here
        row.note = `run-to-run noise ±${(noise.floor * 100).toFixed(0)} % over ${noise.runs} repeated runs: not comparable from one run each on this machine`;
        out.push(row);
        continue;
      }
      const result = compareSamples(b.values, c.values, { kind, threshold: thr, alpha, ...(options.seed !== undefined ? { seed: options.seed } : {}) });
      tested.push({ index: out.length, result });
    } catch (e) {
      if (!(e instanceof LitlabError)) throw e;
      row.note = e.message.replace(/^\w+: /, "");
    }
    out.push(row);
  }

  const adjusted = applyFdr(tested.map((t) => t.result), alpha);
  tested.forEach(({ index }, i) => {
    const r = adjusted[i]!;
    Object.assign(out[index]!, { ratio: r.ratio, lower: r.lower, upper: r.upper, p: r.p, q: r.q, verdict: r.verdict });
  });
  return out;
}

function headOf(m: Measure, threshold: number): Pick<RunComparisonRow, "id" | "label" | "group" | "function" | "param" | "metric" | "stat" | "kind" | "unit" | "threshold"> {
  const { row } = m;
  return {
    id: row.id,
    label: row.metric === "time" ? row.id : `${row.id} (${row.metric} ${m.stat})`,
    group: row.group,
    function: row.function,
    param: row.param,
    metric: row.metric,
    stat: m.stat,
    kind: m.kind,
    unit: row.unit,
    threshold: m.kind === "exact" ? 0 : threshold,
  };
}

/** Stats a time row may give when there are no samples, most preferred first. */
const POINT_STATS = ["median", "typical", "mean", "slope"];

/** The comparable measurements of a run, keyed by id × metric × stat (time: id × "time"), in row order. */
function measuresOf(run: LoadedRun, keep: (id: string) => boolean): Map<string, Measure> {
  const rows = preferNewBaseline(run.rows.filter((r) => keep(r.id)));
  const samplesById = perIterSamples(run.samples);
  const ticksById = deviceTicks(run.deviceSamples);
  const out = new Map<string, Measure>();
  for (const row of rows) {
    if (typeof row.value !== "number" || !Number.isFinite(row.value)) continue;
    if (row.metric === "time" && row.unit === "ns") {
      const key = `${row.id}\u0000time`;
      const rank = POINT_STATS.indexOf(row.stat);
      const seen = out.get(key);
      if (rank < 0 || (seen && POINT_STATS.indexOf(seen.row.stat) <= rank)) continue;
      const values = samplesById.get(row.id) ?? [];
      out.set(key, { key, row, kind: "time", stat: "median", value: values.length ? median(values) : row.value, values });
    } else if (row.unit === "ticks" && row.stat === "mean") {
      const key = `${row.id}\u0000${row.metric}\u0000mean`;
      if (row.clock === "icount") out.set(key, { key, row, kind: "exact", stat: "mean", value: row.value, values: [row.value] });
      else {
        const values = ticksById.get(row.id) ?? [];
        out.set(key, { key, row, kind: "time", stat: values.length ? "median" : "mean", value: values.length ? median(values) : row.value, values });
      }
    } else if (row.unit === "bytes") {
      const key = `${row.id}\u0000${row.metric}\u0000${row.stat}`;
      out.set(key, { key, row, kind: "exact", stat: row.stat, value: row.value, values: [row.value] });
    }
  }
  return out;
}

/** Per id, the rows of Criterion's `new` baseline when the id has one, else those of its first baseline. */
function preferNewBaseline<T extends TidyRow>(rows: readonly T[]): T[] {
  const chosen = new Map<string, string>();
  for (const r of rows) {
    const b = r.baseline ?? "new";
    if (!chosen.has(r.id) || b === "new") chosen.set(r.id, b);
  }
  return rows.filter((r) => (r.baseline ?? "new") === chosen.get(r.id));
}

/** id → per-iteration times (ns) of its `new` samples (or of its first baseline's when it has no `new` ones). */
function perIterSamples(samples: readonly SampleRow[]): Map<string, number[]> {
  const chosen = new Map<string, string>();
  for (const s of samples) if (!chosen.has(s.id) || s.baseline === "new") chosen.set(s.id, s.baseline);
  const out = new Map<string, number[]>();
  for (const s of samples) {
    if (s.baseline !== chosen.get(s.id) || !Number.isFinite(s.per_iter_ns)) continue;
    const list = out.get(s.id) ?? [];
    list.push(s.per_iter_ns);
    out.set(s.id, list);
  }
  return out;
}

function deviceTicks(samples: readonly DeviceSampleRow[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of samples) {
    if (!Number.isFinite(s.ticks)) continue;
    const list = out.get(s.id) ?? [];
    list.push(s.ticks);
    out.set(s.id, list);
  }
  return out;
}

/** Counts of each verdict over a comparison's rows. */
export function verdictCounts(rows: readonly Pick<RunComparisonRow, "verdict">[]): Record<ComparisonVerdict, number> {
  const counts: Record<ComparisonVerdict, number> = {
    regressed: 0, improved: 0, "no change": 0, inconclusive: 0, "missing in base": 0, "missing in candidate": 0,
  };
  for (const r of rows) counts[r.verdict]++;
  return counts;
}

/**
 * compareRuns' table (or its rows, e.g. read back from JSON lines) → typed rows; numbers that are not finite
 * (JSON null, NaN) become null. Throws when a column the presenters need is absent.
 */
export function comparisonRowsOf(data: ColumnTable | readonly object[]): RunComparisonRow[] {
  const t = data as Partial<ColumnTable>;
  const objects = (typeof t.objects === "function" ? t.objects() : data) as readonly Record<string, unknown>[];
  const num = (v: unknown): number | null => (typeof v === "number" && !Number.isNaN(v) ? v : null);
  const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return objects.map((o, i) => {
    if (typeof o["id"] !== "string" || !VERDICTS.has(o["verdict"] as ComparisonVerdict)) {
      throw new LitlabError("usage", `comparison row ${i} has no id or a verdict litlab knows: pass the table compareRuns() returned`);
    }
    const id = o["id"];
    const metric = text(o["metric"]) ?? "time";
    const stat = text(o["stat"]) ?? "median";
    return {
      id,
      label: text(o["label"]) ?? id,
      group: text(o["group"]) ?? id.split("/")[0]!,
      function: text(o["function"]),
      param: text(o["param"]),
      metric,
      stat,
      kind: o["kind"] === "exact" ? "exact" : "time",
      baseline: num(o["baseline"]),
      candidate: num(o["candidate"]),
      unit: text(o["unit"]) ?? "",
      ratio: num(o["ratio"]),
      lower: num(o["lower"]),
      upper: num(o["upper"]),
      p: num(o["p"]),
      q: num(o["q"]),
      verdict: o["verdict"] as ComparisonVerdict,
      note: text(o["note"]),
      threshold: num(o["threshold"]) ?? 0.02,
      nBase: num(o["nBase"]) ?? 0,
      nCand: num(o["nCand"]) ?? 0,
    };
  });
}
