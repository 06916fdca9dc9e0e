import { ParseError } from "../../errors.js";
import { isFiniteNumber, isPlainObject, parseJson } from "./json.js";

/** One Criterion estimate: point, confidence interval and its level. */
export interface Estimate {
  point: number;
  lower: number;
  upper: number;
  confidence: number;
}

/** The statistics of estimates.json under litlab's stat names; null when the file has none (slope under Flat sampling). */
export interface Estimates {
  mean: Estimate | null;
  median: Estimate | null;
  std_dev: Estimate | null;
  median_abs_dev: Estimate | null;
  slope: Estimate | null;
}

export type EstimateStat = keyof Estimates;

// Criterion 0.2 – 0.3.2 capitalised the keys; 0.3.3+ (through 0.5 and 0.8) use snake case.
const KEYS: Record<EstimateStat, readonly [string, string]> = {
  mean: ["mean", "Mean"],
  median: ["median", "Median"],
  std_dev: ["std_dev", "StdDev"],
  median_abs_dev: ["median_abs_dev", "MedianAbsDev"],
  slope: ["slope", "Slope"],
};

export const ESTIMATE_STATS = Object.keys(KEYS) as EstimateStat[];

function estimate(value: unknown, file: string, key: string): Estimate {
  const ci = isPlainObject(value) ? value["confidence_interval"] : undefined;
  if (!isPlainObject(value) || !isPlainObject(ci)) {
    throw new ParseError(file, `"${key}" is not a Criterion estimate (expected {point_estimate, confidence_interval})`);
  }
  const fields = {
    point_estimate: value["point_estimate"],
    lower_bound: ci["lower_bound"],
    upper_bound: ci["upper_bound"],
    confidence_level: ci["confidence_level"],
  };
  for (const [name, v] of Object.entries(fields)) {
    if (!isFiniteNumber(v)) throw new ParseError(file, `"${key}".${name} is ${JSON.stringify(v) ?? "missing"}, not a finite number`);
  }
  const f = fields as Record<keyof typeof fields, number>;
  return { point: f.point_estimate, lower: f.lower_bound, upper: f.upper_bound, confidence: f.confidence_level };
}

/**
 * Parses estimates.json of any Criterion version. `required` lists the stats that must be present
 * (a baseline needs mean and median; change/estimates.json only ever has those two).
 */
export function parseEstimates(text: string, file: string, required: readonly EstimateStat[] = ["mean", "median"]): Estimates {
  const data = parseJson(text, file);
  if (!isPlainObject(data)) throw new ParseError(file, "estimates.json must be a JSON object with mean, median, ... keys");
  const out: Estimates = { mean: null, median: null, std_dev: null, median_abs_dev: null, slope: null };
  for (const stat of ESTIMATE_STATS) {
    const key = KEYS[stat].find((k) => k in data);
    const raw = key === undefined ? null : data[key];
    if (raw === null || raw === undefined) {
      if (required.includes(stat)) throw new ParseError(file, `missing "${KEYS[stat][0]}" estimate (no "${KEYS[stat][0]}" or "${KEYS[stat][1]}" key)`);
      continue;
    }
    out[stat] = estimate(raw, file, key!);
  }
  return out;
}
