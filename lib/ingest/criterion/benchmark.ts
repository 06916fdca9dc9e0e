import { ParseError } from "../../errors.js";
import { parseJson } from "./estimates.js";

/** What benchmark.json says about a benchmark. The id is taken from here, never from the directory name. */
export interface BenchmarkInfo {
  id: string;
  group: string;
  function: string | null;
  param: string | null;
  throughput: { kind: "elements" | "bytes"; count: number } | null;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export function parseBenchmark(text: string, file: string): BenchmarkInfo {
  const data = parseJson(text, file) as Record<string, unknown> | null;
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new ParseError(file, "benchmark.json must be a JSON object");
  const group = str(data["group_id"]);
  if (group === null) throw new ParseError(file, `missing "group_id"`);
  const fn = str(data["function_id"]);
  const param = str(data["value_str"]);
  const id = str(data["full_id"]) ?? str(data["title"]) ?? [group, fn, param].filter((p) => p !== null).join("/");
  return { id, group, function: fn, param, throughput: parseThroughput(data["throughput"], file) };
}

function parseThroughput(t: unknown, file: string): BenchmarkInfo["throughput"] {
  if (t === null || t === undefined) return null;
  if (typeof t !== "object") throw new ParseError(file, `"throughput" must be an object or null`);
  const [[key, value] = []] = Object.entries(t as Record<string, unknown>);
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ParseError(file, `"throughput" has no numeric count`);
  // BytesDecimal counts bytes too; only the display unit (kB vs KiB) differs in Criterion
  if (key === "Elements") return { kind: "elements", count: value };
  if (key === "Bytes" || key === "BytesDecimal") return { kind: "bytes", count: value };
  throw new ParseError(file, `unknown throughput kind "${key}" (expected Elements, Bytes or BytesDecimal)`);
}
