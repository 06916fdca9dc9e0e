import { ParseError } from "../../errors.js";
import type { SampleRow, TidyRow } from "../rows.js";
import { parseBenchmark, type BenchmarkInfo, type Throughput } from "./benchmark.js";
import { parseEstimates, type Estimate, type Estimates } from "./estimates.js";
import { dirOf, joinPosix, nameOf, normalisePath, NOT_BASELINES, type CriterionFile } from "./files.js";
import { parseRawCsv } from "./rawCsv.js";
import { parseSamples } from "./sample.js";

export interface CriterionRowsOptions {
  /** Only these baseline folders (`new`, `base`, named ones, or `change` for the change rows); default: every one found. */
  baselines?: string[];
  /**
   * The directory the paths are relative to, used only to name files in error messages (so they point at
   * the real file); rows keep `source` relative. Default: paths as given, and `.` for the root.
   */
  root?: string;
}

export interface CriterionRows {
  rows: TidyRow[];
  samples: SampleRow[];
  /** Benchmarks skipped because a file of theirs is broken, each naming the file and the problem. */
  warnings: string[];
}

export const CRITERION_FORMAT = "criterion-json";
const TIME_STATS = ["mean", "median", "std_dev", "median_abs_dev", "slope"] as const;
export const NO_BENCHMARK_PROBLEM = "no Criterion benchmark found (expected <dir>/new/benchmark.json + estimates.json)";

/** Criterion's own rule: the typical time is the slope when it was estimated (Linear sampling), else the mean. */
export function typicalEstimate(est: Estimates): Estimate | null {
  return est.slope ?? est.mean;
}

// new first, then base, then named baselines: the order a reader expects in a table
const baselineRank = (b: string): number => (b === "new" ? 0 : b === "base" ? 1 : 2);
const byBaseline = (a: string, b: string): number => baselineRank(nameOf(a)) - baselineRank(nameOf(b)) || (a < b ? -1 : a > b ? 1 : 0);

function row(info: BenchmarkInfo, source: string, baseline: string, metric: string, stat: string, unit: string, e: Estimate): TidyRow {
  return {
    id: info.id, group: info.group, function: info.function, param: info.param, source, format: CRITERION_FORMAT,
    metric, stat, value: e.point, unit, lower: e.lower, upper: e.upper, confidence: e.confidence, baseline,
  };
}

/** count × 1e9 / ns-per-iteration; a longer time is a lower rate, so the interval's bounds swap. */
function throughputRow(info: BenchmarkInfo, source: string, baseline: string, t: Throughput, typical: Estimate): TidyRow | null {
  if (!(typical.point > 0)) return null;
  const perSecond = (ns: number): number | null => (ns > 0 ? (t.count * 1e9) / ns : null);
  return {
    ...row(info, source, baseline, "throughput", "typical", t.unit, typical),
    value: perSecond(typical.point)!, lower: perSecond(typical.upper), upper: perSecond(typical.lower),
  };
}

/**
 * Reads a Criterion on-disk tree (0.2 → 0.8, at any depth) into tidy rows and samples. Pure: the caller reads
 * the files. A benchmark folder is one with `<baseline>/benchmark.json` (+ `estimates.json`, + optional
 * `sample.json`) and an optional `change/estimates.json`.
 */
export function criterionRows(files: readonly CriterionFile[], options: CriterionRowsOptions = {}): CriterionRows {
  const root = options.root;
  const rootName = root ?? ".";
  // the name a file goes by in an error: under the real root when the caller gave one
  const where = (rel: string): string => (root === undefined ? rel : root.endsWith("/") ? root + rel : `${root}/${rel}`);
  const byPath = new Map(files.map((f) => [normalisePath(f.path), f.text]));

  // benchmark folder → its baseline folders; the id is read from benchmark.json, never guessed from these names
  const benches = new Map<string, string[]>();
  for (const p of byPath.keys()) {
    if (nameOf(p) !== "benchmark.json") continue;
    const baselineDir = dirOf(p);
    if (baselineDir === "" || NOT_BASELINES.has(nameOf(baselineDir))) continue;
    const list = benches.get(dirOf(baselineDir)) ?? [];
    list.push(baselineDir);
    benches.set(dirOf(baselineDir), list);
  }
  if (benches.size === 0) throw new ParseError(rootName, NO_BENCHMARK_PROBLEM);

  const wanted = (baseline: string): boolean => !options.baselines || options.baselines.includes(baseline);
  const rows: TidyRow[] = [];
  const samples: SampleRow[] = [];
  const found = new Set<string>();
  const readBench = (benchDir: string, rows: TidyRow[], samples: SampleRow[]): void => {
    const baselineDirs = benches.get(benchDir)!.sort(byBaseline);
    const info = (dir: string): BenchmarkInfo => parseBenchmark(byPath.get(joinPosix(dir, "benchmark.json"))!, where(joinPosix(dir, "benchmark.json")));
    for (const dir of baselineDirs) {
      const baseline = nameOf(dir);
      found.add(baseline);
      if (!wanted(baseline)) continue;
      const bench = info(dir);
      const source = joinPosix(dir, "estimates.json");
      const text = byPath.get(source);
      if (text === undefined) throw new ParseError(where(source), "missing: the folder has benchmark.json but no estimates.json (was the run interrupted?)");
      const est = parseEstimates(text, where(source));
      const typical = typicalEstimate(est)!;
      rows.push(row(bench, source, baseline, "time", "typical", "ns", typical));
      for (const stat of TIME_STATS) {
        const e = est[stat];
        if (e) rows.push(row(bench, source, baseline, "time", stat, "ns", e));
      }
      for (const t of bench.throughput) {
        const r = throughputRow(bench, source, baseline, t, typical);
        if (r) rows.push(r);
      }
      const samplePath = joinPosix(dir, "sample.json");
      const sampleText = byPath.get(samplePath);
      if (sampleText !== undefined) samples.push(...parseSamples(sampleText, where(samplePath), { id: bench.id, source: samplePath, baseline }));
      else {
        // no sample.json (deleted, or a tree that kept only the CSV): raw.csv holds the same samples
        const rawPath = joinPosix(dir, "raw.csv");
        const rawText = byPath.get(rawPath);
        if (rawText !== undefined) samples.push(...parseRawCsv(rawText, where(rawPath), { id: bench.id, source: rawPath, baseline }));
      }
    }
    // change/estimates.json: relative change of mean and median (0.459 = +45.9%) of `new` against the previous run
    const changeSource = joinPosix(benchDir, "change/estimates.json");
    const changeText = byPath.get(changeSource);
    if (changeText === undefined) return;
    found.add("change");
    if (!wanted("change")) return;
    const bench = info(baselineDirs.find((d) => nameOf(d) === "new") ?? baselineDirs[0]!);
    const est = parseEstimates(changeText, where(changeSource), ["mean"]);
    for (const stat of ["mean", "median"] as const) {
      const e = est[stat];
      if (e) rows.push(row(bench, changeSource, "change", "change", stat, "ratio", e));
    }
  };
  // One broken benchmark (an interrupted run, a truncated file) must not hide the others: it becomes a warning,
  // and only a tree where nothing reads is an error (the first problem, naming its file).
  const warnings: string[] = [];
  let firstError: ParseError | undefined;
  for (const benchDir of [...benches.keys()].sort()) {
    const benchRows: TidyRow[] = [];
    const benchSamples: SampleRow[] = [];
    try {
      readBench(benchDir, benchRows, benchSamples);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      firstError ??= e;
      warnings.push(`${e.message} (benchmark skipped)`);
      continue;
    }
    rows.push(...benchRows);
    samples.push(...benchSamples);
  }
  if (rows.length === 0 && firstError) throw firstError;
  if (rows.length === 0) {
    throw new ParseError(rootName, `no baseline named ${options.baselines!.join(", ")} (found: ${[...found].sort().join(", ")})`);
  }
  return { rows, samples, warnings };
}
