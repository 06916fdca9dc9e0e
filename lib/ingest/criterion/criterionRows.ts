import { ParseError } from "../../errors.js";
import type { SampleRow, TidyRow } from "../rows.js";
import { parseBenchmark, type BenchmarkInfo } from "./benchmark.js";
import { parseEstimates, type Estimate, type Estimates } from "./estimates.js";
import { parseSamples } from "./sample.js";

/** A file of a Criterion tree: posix path relative to the tree's root, and its text. */
export interface CriterionFile {
  path: string;
  text: string;
}

export interface CriterionRowsOptions {
  /** Only these baseline folders (`new`, `base`, named ones); default: every one found. */
  baselines?: string[];
  /** Name of the root, for error messages when the tree is empty. */
  root?: string;
}

export const CRITERION_FORMAT = "criterion-json";
const NOT_BASELINES = new Set(["report", "change"]);
const TIME_STATS = ["mean", "median", "std_dev", "median_abs_dev", "slope"] as const;

const dirOf = (p: string): string => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "");
const nameOf = (p: string): string => p.slice(p.lastIndexOf("/") + 1);

function timeRow(info: BenchmarkInfo, source: string, baseline: string, stat: string, e: Estimate): TidyRow {
  return {
    id: info.id, group: info.group, function: info.function, param: info.param, source, format: CRITERION_FORMAT,
    metric: "time", stat, value: e.point, unit: "ns", lower: e.lower, upper: e.upper, confidence: e.confidence, baseline,
  };
}

/** Criterion's own rule: the typical time is the slope when it was estimated (linear sampling), else the mean. */
export function typicalEstimate(est: Partial<Estimates>): Estimate {
  return est.slope ?? est.mean!;
}

function throughputRow(info: BenchmarkInfo, source: string, baseline: string, typical: Estimate): TidyRow | null {
  if (!info.throughput) return null;
  const perSecond = (ns: number): number => (info.throughput!.count * 1e9) / ns;
  return {
    id: info.id, group: info.group, function: info.function, param: info.param, source, format: CRITERION_FORMAT,
    metric: "throughput", stat: "typical", value: perSecond(typical.point),
    unit: info.throughput.kind === "elements" ? "elements/s" : "bytes/s",
    // a longer time is a lower rate, so the bounds swap
    lower: perSecond(typical.upper), upper: perSecond(typical.lower), confidence: typical.confidence, baseline,
  };
}

/**
 * Reads a Criterion on-disk tree (any version 0.2 → 0.8, at any depth) into tidy rows and samples. Pure: the
 * caller reads the files. A benchmark folder is one that holds `<baseline>/benchmark.json` + `estimates.json`.
 */
export function criterionRows(files: readonly CriterionFile[], options: CriterionRowsOptions = {}): { rows: TidyRow[]; samples: SampleRow[] } {
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  const baselineDirs = [...byPath.keys()]
    .filter((p) => nameOf(p) === "benchmark.json" && byPath.has(`${dirOf(p)}/estimates.json`))
    .map(dirOf)
    .filter((d) => !NOT_BASELINES.has(nameOf(d)) && d.includes("/"))
    .filter((d) => !options.baselines || options.baselines.includes(nameOf(d)))
    .sort();
  if (baselineDirs.length === 0) {
    throw new ParseError(options.root ?? ".", "no Criterion benchmark found (expected <benchmark>/new/benchmark.json + estimates.json)");
  }
  const rows: TidyRow[] = [];
  const samples: SampleRow[] = [];
  const infoByBench = new Map<string, BenchmarkInfo>();
  for (const dir of baselineDirs) {
    const baseline = nameOf(dir);
    const info = parseBenchmark(byPath.get(`${dir}/benchmark.json`)!, `${dir}/benchmark.json`);
    if (!infoByBench.has(dirOf(dir)) || baseline === "new") infoByBench.set(dirOf(dir), info);
    const source = `${dir}/estimates.json`;
    const est = parseEstimates(byPath.get(source)!, source);
    rows.push(timeRow(info, source, baseline, "typical", typicalEstimate(est)));
    for (const stat of TIME_STATS) {
      const e = est[stat];
      if (e) rows.push(timeRow(info, source, baseline, stat, e));
    }
    const thr = throughputRow(info, source, baseline, typicalEstimate(est));
    if (thr) rows.push(thr);
    const sampleText = byPath.get(`${dir}/sample.json`);
    if (sampleText !== undefined) samples.push(...parseSamples(sampleText, `${dir}/sample.json`, { id: info.id, source: `${dir}/sample.json`, baseline }));
  }
  // change/estimates.json: relative change of mean and median against the previous run
  if (!options.baselines || options.baselines.includes("change")) {
    for (const [benchDir, info] of infoByBench) {
      const source = `${benchDir}/change/estimates.json`;
      const text = byPath.get(source);
      if (text === undefined) continue;
      const est = parseEstimates(text, source, ["mean"]);
      for (const stat of ["mean", "median"] as const) {
        const e = est[stat];
        if (!e) continue;
        rows.push({ ...timeRow(info, source, "change", stat, e), metric: "change", unit: "ratio" });
      }
    }
  }
  return { rows, samples };
}
