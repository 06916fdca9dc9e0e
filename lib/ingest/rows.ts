/**
 * The tidy row: litlab's one data model. Every parser emits these, every analysis reads them.
 * One row is one statistic of one metric of one benchmark, with its confidence interval when known.
 */
export interface TidyRow {
  /** Full benchmark id as the tool printed it, e.g. `message_throughput/tokio_single/1000`. */
  id: string;
  /** Criterion group (first id part). */
  group: string;
  /** Function id within the group, or null when the id has no function part. */
  function: string | null;
  /** Parameter (value_str), or null. Kept as text: `1000`, `8KiB`, `w/ cache`. */
  param: string | null;
  /** Where the row came from: path of the file it was read from, relative to the ingested root. */
  source: string;
  /** Which parser/format produced it, e.g. `criterion-json`. */
  format: string;
  /** What is measured: `time`, `throughput`, `change`, ... */
  metric: string;
  /** Which statistic: `typical|mean|median|std_dev|median_abs_dev|slope` for Criterion time. */
  stat: string;
  value: number;
  /** Unit of value/lower/upper: `ns` (per iteration), `elements/s`, `bytes/s`, ... */
  unit: string;
  lower: number | null;
  upper: number | null;
  /** Confidence level of [lower, upper], e.g. 0.95; null when there is no interval. */
  confidence: number | null;
  /** Criterion baseline directory the row came from (`new`, `base`, or a named one). */
  baseline: string;
  /** The bench target (program) the row came from, when the input says so (stdout of one `--bench` target). */
  target?: string | null;
  /**
   * Device rows only: the tick source behind a `ticks` value (`dwt`, `systick`, `mcycle`, `timer`), or `icount` when
   * the ticks came from QEMU's instruction counter (emulated, not silicon timing).
   */
  clock?: string | null;
}

/** One Criterion sample: `iterations` iterations took `total_ns` nanoseconds in total. */
export interface SampleRow {
  id: string;
  source: string;
  baseline: string;
  sample: number;
  iterations: number;
  total_ns: number;
  /** total_ns / iterations. */
  per_iter_ns: number;
  sampling_mode: "Linear" | "Flat" | "Auto" | "unknown";
}

export const TIDY_COLUMNS = [
  "id", "group", "function", "param", "source", "format", "metric", "stat",
  "value", "unit", "lower", "upper", "confidence", "baseline",
] as const satisfies readonly (keyof TidyRow)[];
