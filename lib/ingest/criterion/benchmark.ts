import { ParseError } from "../../errors.js";
import { isFiniteNumber, isPlainObject, parseJson } from "./json.js";

export interface Throughput {
  unit: "elements/s" | "bytes/s";
  /** Elements or bytes processed by one iteration. */
  count: number;
}

/** What benchmark.json says about a benchmark. The id is taken from here, never from the (sanitised) directory name. */
export interface BenchmarkInfo {
  id: string;
  group: string;
  function: string | null;
  param: string | null;
  /** Usually zero or one entry; `ElementsAndBytes` (Criterion 0.6+) gives two. */
  throughput: Throughput[];
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export function parseBenchmark(text: string, file: string): BenchmarkInfo {
  const data = parseJson(text, file);
  if (!isPlainObject(data)) throw new ParseError(file, "benchmark.json must be a JSON object");
  const group = str(data["group_id"]);
  if (group === null) throw new ParseError(file, `missing "group_id" (not a Criterion benchmark.json?)`);
  const fn = str(data["function_id"]);
  const param = str(data["value_str"]);
  // full_id is the id Criterion prints; title equals it in every version seen; the join is a last resort
  const id = str(data["full_id"]) ?? str(data["title"]) ?? [group, fn, param].filter((p) => p !== null).join("/");
  return { id, group, function: fn, param, throughput: parseThroughput(data["throughput"], file) };
}

function count(v: unknown, file: string, what: string): number {
  if (!isFiniteNumber(v) || v <= 0) throw new ParseError(file, `throughput ${what} is ${JSON.stringify(v)}, not a positive number`);
  return v;
}

/** serde's externally tagged enum: `{"Elements":n}`, `{"Bytes":n}`, `{"BytesDecimal":n}`, `{"ElementsAndBytes":{elements,bytes}}`. */
function parseThroughput(t: unknown, file: string): Throughput[] {
  if (t === null || t === undefined) return [];
  const entries = isPlainObject(t) ? Object.entries(t) : [];
  if (entries.length !== 1) throw new ParseError(file, `"throughput" must be null or one of {"Elements":n}, {"Bytes":n}, {"BytesDecimal":n}`);
  const [key, value] = entries[0]!;
  switch (key) {
    case "Elements":
      return [{ unit: "elements/s", count: count(value, file, key) }];
    // BytesDecimal counts bytes too; only Criterion's display prefix (kB vs KiB) differs
    case "Bytes":
    case "BytesDecimal":
      return [{ unit: "bytes/s", count: count(value, file, key) }];
    case "ElementsAndBytes": {
      const v = isPlainObject(value) ? value : {};
      return [
        { unit: "elements/s", count: count(v["elements"], file, "ElementsAndBytes.elements") },
        { unit: "bytes/s", count: count(v["bytes"], file, "ElementsAndBytes.bytes") },
      ];
    }
    default:
      throw new ParseError(file, `unknown throughput kind "${key}" (expected Elements, Bytes or BytesDecimal)`);
  }
}
