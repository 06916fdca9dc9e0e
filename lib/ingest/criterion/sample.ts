import { ParseError } from "../../errors.js";
import type { SampleRow } from "../rows.js";
import { isFiniteNumber, isPlainObject, parseJson } from "./json.js";

/**
 * sample.json: `{sampling_mode, iters, times}` (0.3.3+) or a bare `[iters, times]` pair (0.2 – 0.3.2, no mode).
 * `times` are total nanoseconds per sample, so per-iteration time is times[i] / iters[i].
 */
export function parseSamples(text: string, file: string, base: { id: string; source: string; baseline: string }): SampleRow[] {
  const data = parseJson(text, file);
  let iters: unknown;
  let times: unknown;
  let mode: SampleRow["sampling_mode"] = "unknown";
  if (Array.isArray(data) && data.length === 2) {
    [iters, times] = data;
  } else if (isPlainObject(data)) {
    iters = data["iters"];
    times = data["times"];
    const m = data["sampling_mode"];
    if (m === "Linear" || m === "Flat" || m === "Auto") mode = m;
  } else {
    throw new ParseError(file, "sample.json must be {sampling_mode, iters, times} or [iters, times]");
  }
  if (!Array.isArray(iters) || !Array.isArray(times) || iters.length !== times.length) {
    throw new ParseError(file, "sample.json needs iters and times arrays of the same length");
  }
  const timeList: unknown[] = times;
  return iters.map((n: unknown, i): SampleRow => {
    const t = timeList[i];
    if (!isFiniteNumber(n) || n <= 0 || !isFiniteNumber(t) || t < 0) {
      throw new ParseError(file, `sample ${i} is not a positive iteration count with a time (iters=${JSON.stringify(n)}, times=${JSON.stringify(t)})`);
    }
    return { ...base, sample: i, iterations: n, total_ns: t, per_iter_ns: t / n, sampling_mode: mode };
  });
}
