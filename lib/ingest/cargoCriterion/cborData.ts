import { decode } from "cbor2";
import { ParseError } from "../../errors.js";
import { isFiniteNumber, isPlainObject } from "../criterion/json.js";
import { dirOf, joinPosix, nameOf, normalisePath } from "../criterion/files.js";
import type { SampleRow, TidyRow } from "../rows.js";
import { changeRows, estimateRows, joinId, sampleRows, type IdParts, type Interval, type TimeStat } from "./rows.js";

/*
 * cargo-criterion's data folder (bheisler/cargo-criterion @ 4d14e0d, src/model.rs, src/estimate.rs,
 * src/connection.rs): `$CRITERION_HOME/data/main/<directory name>/` holds
 *   benchmark.cbor            BenchmarkRecord { id: SavedBenchmarkId { group_id, function_id?, value_str?,
 *                             throughput? }, latest_record: "<measurement file name>" }
 *   measurement_%y%m%d%H%M%S.cbor  SavedStatistics { datetime (RFC 3339 text), iterations[f64], values[f64] (total
 *                             per sample), avg_values[f64], estimates: Estimates { mean, median, median_abs_dev,
 *                             slope?, std_dev }, throughput?, changes?: { mean, median }, change_direction?,
 *                             history_id?, history_description? }
 * each Estimate being { confidence_interval: { confidence_level, lower_bound, upper_bound }, point_estimate,
 * standard_error }. serde_cbor writes structs as maps keyed by field name, Option::None as null, and the
 * Throughput enum externally tagged ({"Bytes": n}, {"BytesDecimal": n}, {"Elements": n}). Values are in the
 * measurement's unit, which the records do not store: ns for Criterion's wall time.
 */

export const CARGO_CRITERION_CBOR_FORMAT = "cargo-criterion-cbor";

/** A file of the data folder: posix path relative to the ingested root, and its bytes. */
export interface CborFile {
  path: string;
  bytes: Uint8Array;
}

export interface CargoCriterionDataOptions {
  /**
   * Every measurement of each benchmark, not just the latest. The latest is baseline `new`; older ones are named
   * by their file (`measurement_240105093000`), so they stay apart in a table.
   */
  all?: boolean;
  /** Prefix for file names in errors (the real folder); rows keep `source` relative. */
  root?: string;
}

type Obj = Record<string, unknown>;

export const isMeasurementFile = (name: string): boolean => name.startsWith("measurement_") && name.endsWith(".cbor");

/** Decodes one CBOR record to a map; anything else (truncated, not CBOR, not a map) is a ParseError. */
export function decodeRecord(bytes: Uint8Array, file: string): Obj {
  let v: unknown;
  try {
    // u64 counts beyond 2^53 would come back as bigint; a float is precise enough for counts and times
    v = decode(bytes, { convertUnsafeIntsToFloat: true });
  } catch (e) {
    throw new ParseError(file, `not a readable CBOR record (${(e as Error).message})`, { cause: e });
  }
  if (!isPlainObject(v)) throw new ParseError(file, "CBOR record is not a map of named fields (not written by cargo-criterion?)");
  return v;
}

/** The record's datetime (chrono writes RFC 3339 text) in ms, 0 when absent: then the file name decides. */
const when = (stats: Obj): number => {
  const t = typeof stats["datetime"] === "string" ? Date.parse(stats["datetime"]) : NaN;
  return Number.isNaN(t) ? 0 : t;
};

const optString = (v: unknown): string | null => (typeof v === "string" ? v : null);

function benchmarkId(record: Obj, file: string): { idp: IdParts; throughput: { unit: string; count: number }[] } {
  const id = record["id"];
  if (!isPlainObject(id) || typeof id["group_id"] !== "string") throw new ParseError(file, `benchmark.cbor has no "id" with a "group_id"`);
  const idp = joinId(id["group_id"], optString(id["function_id"]), optString(id["value_str"]));
  const t = id["throughput"];
  if (t === null || t === undefined) return { idp, throughput: [] };
  const [kind, count] = isPlainObject(t) ? (Object.entries(t)[0] ?? []) : [];
  if (!isFiniteNumber(count) || count <= 0 || !(kind === "Bytes" || kind === "BytesDecimal" || kind === "Elements")) {
    throw new ParseError(file, `throughput ${JSON.stringify(t)} is not {"Bytes"|"BytesDecimal"|"Elements": n}`);
  }
  return { idp, throughput: [{ unit: kind === "Elements" ? "elements/s" : "bytes/s", count }] };
}

function estimate(v: unknown, file: string, key: string): Interval {
  const ci = isPlainObject(v) ? v["confidence_interval"] : undefined;
  if (!isPlainObject(v) || !isPlainObject(ci)) throw new ParseError(file, `"${key}" is not an estimate {confidence_interval, point_estimate}`);
  const nums = [v["point_estimate"], ci["lower_bound"], ci["upper_bound"], ci["confidence_level"]];
  if (!nums.every(isFiniteNumber)) throw new ParseError(file, `"${key}" has a missing or non-finite number (${JSON.stringify(nums)})`);
  const [point, lower, upper, confidence] = nums as number[];
  return { point: point!, lower: lower!, upper: upper!, confidence: confidence! };
}

function numbers(stats: Obj, key: string, file: string): number[] {
  const v = stats[key];
  if (!Array.isArray(v) || !v.every(isFiniteNumber)) throw new ParseError(file, `"${key}" must be an array of numbers`);
  return v;
}

/** Rows and samples of one SavedStatistics record. */
function measurementRows(
  stats: Obj, bench: ReturnType<typeof benchmarkId>, source: string, file: string, baseline: string,
): { rows: TidyRow[]; samples: SampleRow[] } {
  const est = stats["estimates"];
  if (!isPlainObject(est)) throw new ParseError(file, `measurement has no "estimates" (not a cargo-criterion measurement?)`);
  const s: Partial<Record<TimeStat, Interval>> = {};
  for (const stat of ["mean", "median", "std_dev", "median_abs_dev"] as const) s[stat] = estimate(est[stat], file, `estimates.${stat}`);
  if (est["slope"] !== null && est["slope"] !== undefined) s.slope = estimate(est["slope"], file, "estimates.slope");
  // Criterion's rule (Estimates::typical): the slope when estimated, else the mean
  const ctx = { source, format: CARGO_CRITERION_CBOR_FORMAT, baseline };
  const rows = estimateRows(bench.idp, ctx, { typical: s.slope ?? s.mean!, stats: s, unit: "ns" }, bench.throughput);
  const ch = stats["changes"];
  if (isPlainObject(ch)) {
    rows.push(...changeRows(bench.idp, { source, format: CARGO_CRITERION_CBOR_FORMAT }, estimate(ch["mean"], file, "changes.mean"), estimate(ch["median"], file, "changes.median")));
  } else if (ch !== null && ch !== undefined) {
    throw new ParseError(file, `"changes" must be null or {mean, median}`);
  }
  const iters = numbers(stats, "iterations", file);
  const values = numbers(stats, "values", file);
  if (iters.length !== values.length) throw new ParseError(file, `"iterations" and "values" differ in length`);
  return { rows, samples: sampleRows({ id: bench.idp.id, source, baseline }, iters, values, "ns") };
}

/**
 * Reads cargo-criterion's data folder (pure: the caller reads the files). Each folder with a benchmark.cbor is one
 * benchmark; its id comes from the record, never from the folder name.
 */
export function cargoCriterionDataRows(files: readonly CborFile[], options: CargoCriterionDataOptions = {}): { rows: TidyRow[]; samples: SampleRow[] } {
  const root = options.root;
  const where = (rel: string): string => (root === undefined ? rel : root.endsWith("/") ? root + rel : `${root}/${rel}`);
  const byPath = new Map(files.map((f) => [normalisePath(f.path), f.bytes]));
  const benchDirs = [...byPath.keys()].filter((p) => nameOf(p) === "benchmark.cbor").map(dirOf).sort();
  if (benchDirs.length === 0) throw new ParseError(root ?? ".", "no cargo-criterion benchmark.cbor found (expected data/main/<benchmark>/benchmark.cbor)");

  const rows: TidyRow[] = [];
  const samples: SampleRow[] = [];
  for (const dir of benchDirs) {
    const recordPath = joinPosix(dir, "benchmark.cbor");
    const record = decodeRecord(byPath.get(recordPath)!, where(recordPath));
    const bench = benchmarkId(record, where(recordPath));
    const latest = optString(record["latest_record"]);
    if (latest === null) throw new ParseError(where(recordPath), `benchmark.cbor has no "latest_record"`);
    const latestPath = joinPosix(dir, nameOf(normalisePath(latest)));
    const measurements = [...byPath.keys()].filter((p) => dirOf(p) === dir && isMeasurementFile(nameOf(p)));
    if (!byPath.has(latestPath)) {
      throw new ParseError(where(recordPath), `its latest_record ${latest} is missing (found: ${measurements.map(nameOf).join(", ") || "no measurement"})`);
    }
    const chosen = options.all ? measurements : [latestPath];
    // oldest first
    const decoded = chosen.map((p) => ({ path: p, stats: decodeRecord(byPath.get(p)!, where(p)) }));
    decoded.sort((a, b) => when(a.stats) - when(b.stats) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const { path, stats } of decoded) {
      const baseline = path === latestPath ? "new" : nameOf(path).replace(/\.cbor$/, "");
      const r = measurementRows(stats, bench, path, where(path), baseline);
      rows.push(...r.rows);
      samples.push(...r.samples);
    }
  }
  return { rows, samples };
}
