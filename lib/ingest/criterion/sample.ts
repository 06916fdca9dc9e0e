import { ParseError } from "../../errors.js";
import type { SampleRow } from "../rows.js";
import { parseJson } from "./estimates.js";

/**
 * sample.json: `{sampling_mode, iters, times}` (0.3.3+) or a bare `[iters, times]` pair (0.2 – 0.3.2).
 * `times` are total nanoseconds per sample.
 */
export function parseSamples(text: string, file: string, base: { id: string; source: string; baseline: string }): SampleRow[] {
  const data = parseJson(text, file);
  let iters: unknown, times: unknown, mode: SampleRow["sampling_mode"] = "unknown";
  if (Array.isArray(data) && data.length === 2) {
    [iters, times] = data;
  } else if (typeof data === "object" && data !== null) {
    const o = data as Record<string, unknown>;
    iters = o["iters"];
    times = o["times"];
    const m = o["sampling_mode"];
    mode = m === "Linear" || m === "Flat" || m === "Auto" ? m : "unknown";
  } else {
    throw new ParseError(file, "sample.json must be {iters, times} or [iters, times]");
  }
  if (!Array.isArray(iters) || !Array.isArray(times) || iters.length !== times.length) {
    throw new ParseError(file, "sample.json needs iters and times arrays of the same length");
  }
  const timeList: unknown[] = times;
  return iters.map((n: unknown, i) => {
    const t = timeList[i];
    if (typeof n !== "number" || typeof t !== "number" || !(n > 0)) throw new ParseError(file, `sample ${i} is not a positive iteration count with a time`);
    return { ...base, sample: i, iterations: n, total_ns: t, per_iter_ns: t / n, sampling_mode: mode };
  });
}
