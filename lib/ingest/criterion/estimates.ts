import { ParseError } from "../../errors.js";

/** One Criterion estimate: point, CI and its level. */
export interface Estimate {
  point: number;
  lower: number;
  upper: number;
  confidence: number;
}

/** The statistics of estimates.json under litlab's stat names; slope is null under Flat sampling. */
export interface Estimates {
  mean: Estimate;
  median: Estimate;
  std_dev: Estimate | null;
  median_abs_dev: Estimate | null;
  slope: Estimate | null;
}

// Criterion ≤ 0.3.2 (and 0.2) capitalised the keys; 0.3.3+ through 0.5/0.8 use snake case.
const KEYS: Record<keyof Estimates, string[]> = {
  mean: ["mean", "Mean"],
  median: ["median", "Median"],
  std_dev: ["std_dev", "StdDev"],
  median_abs_dev: ["median_abs_dev", "MedianAbsDev"],
  slope: ["slope", "Slope"],
};

function estimate(value: unknown, file: string, key: string): Estimate {
  const v = value as { point_estimate?: unknown; confidence_interval?: { lower_bound?: unknown; upper_bound?: unknown; confidence_level?: unknown } };
  const ci = v?.confidence_interval;
  const nums = [v?.point_estimate, ci?.lower_bound, ci?.upper_bound, ci?.confidence_level];
  if (!nums.every((n) => typeof n === "number" && Number.isFinite(n))) {
    throw new ParseError(file, `"${key}" is not a Criterion estimate (needs finite point_estimate and confidence_interval bounds)`);
  }
  const [point, lower, upper, confidence] = nums as number[];
  return { point: point!, lower: lower!, upper: upper!, confidence: confidence! };
}

export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ParseError(file, `invalid JSON (${(e as Error).message})`);
  }
}

/** Parses estimates.json of any Criterion version. `required` lists the stats that must be there. */
export function parseEstimates(text: string, file: string, required: (keyof Estimates)[] = ["mean", "median"]): Partial<Estimates> {
  const data = parseJson(text, file);
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new ParseError(file, "estimates.json must be a JSON object");
  const obj = data as Record<string, unknown>;
  const out: Partial<Estimates> = {};
  for (const [stat, names] of Object.entries(KEYS) as [keyof Estimates, string[]][]) {
    const key = names.find((n) => n in obj);
    const raw = key === undefined ? undefined : obj[key];
    if (raw === undefined || raw === null) {
      if (required.includes(stat)) throw new ParseError(file, `missing "${names[0]}" estimate`);
      if (stat === "slope" || stat === "std_dev" || stat === "median_abs_dev") out[stat] = null;
      continue;
    }
    out[stat] = estimate(raw, file, key!);
  }
  return out;
}
