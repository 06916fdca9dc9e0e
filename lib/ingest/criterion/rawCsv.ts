import { ParseError } from "../../errors.js";
import type { SampleRow } from "../rows.js";
import { dirOf, nameOf, normalisePath } from "./files.js";

/*
 * raw.csv, written by Criterion's csv_report.rs next to sample.json (csv crate, RFC 4180 quoting):
 *   0.3+ : group,function,value,throughput_num,throughput_type,sample_measured_value,unit,iteration_count
 *   0.2.x: group,function,value,sample_time_nanos,iteration_count
 * one line per sample; the value is the sample's total (all its iterations), in `unit` (`ns` for wall time: the
 * wall-time formatter's scale_for_machines does not rescale).
 */

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ""));
}

const NS_PER: Readonly<Record<string, number>> = { ps: 1e-3, ns: 1, us: 1e3, "µs": 1e3, ms: 1e6, s: 1e9 };

/**
 * Samples of a raw.csv. The id is rebuilt from the group/function/value columns unless `base.id` gives the one
 * from benchmark.json (prefer that: it is what the rest of the rows use). The baseline defaults to the folder the
 * file sits in (`<bench>/<baseline>/raw.csv`), else `new`. Values in a time unit become ns; other units (custom
 * measurements) are kept as they are.
 */
export function parseRawCsv(text: string, file: string, base: Partial<Pick<SampleRow, "id" | "source" | "baseline">> = {}): SampleRow[] {
  const records = parseCsvRecords(text);
  const header = records.shift();
  if (!header) throw new ParseError(file, "empty raw.csv (expected a header line and one line per sample)");
  const col = (name: string): number => header.indexOf(name);
  const modern = col("sample_measured_value") !== -1;
  const valueCol = modern ? col("sample_measured_value") : col("sample_time_nanos");
  const iterCol = col("iteration_count");
  const groupCol = col("group");
  if (valueCol === -1 || iterCol === -1 || groupCol === -1) {
    throw new ParseError(file, `not a Criterion raw.csv: header ${JSON.stringify(header.join(","))} lacks group, sample_measured_value (or sample_time_nanos), iteration_count`);
  }
  const unitCol = modern ? col("unit") : -1;
  const p = normalisePath(file);
  const baseline = base.baseline ?? (dirOf(p) === "" ? "new" : nameOf(dirOf(p)));
  return records.map((r, i): SampleRow => {
    const line = i + 2;
    if (r.length !== header.length) throw new ParseError(file, `line ${line}: ${r.length} fields, the header has ${header.length}`);
    const iterations = Number(r[iterCol]);
    const value = Number(r[valueCol]);
    const unit = unitCol === -1 ? "ns" : r[unitCol]!;
    if (!(iterations > 0) || !Number.isFinite(iterations) || r[valueCol] === "" || !Number.isFinite(value) || value < 0) {
      throw new ParseError(file, `line ${line}: sample is not a positive iteration count with a time (${JSON.stringify(r[iterCol])}, ${JSON.stringify(r[valueCol])})`);
    }
    const total = value * (NS_PER[unit] ?? 1);
    // the csv crate writes None as an empty field, so an empty function/value is "absent"
    const id = base.id ?? [r[groupCol]!, r[col("function")] ?? "", r[col("value")] ?? ""].filter((s) => s !== "").join("/");
    return {
      id, source: base.source ?? file, baseline, sample: i, iterations, total_ns: total, per_iter_ns: total / iterations,
      sampling_mode: "unknown",
    };
  });
}
