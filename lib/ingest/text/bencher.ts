/**
 * bencher-format lines: libtest's `cargo bench` output and Criterion's `--output-format bencher`.
 *
 *   test bench_fib_20 ... bench:      18,794.12 ns/iter (+/- 440.25)
 *   test bench_fx64_003    ... bench:           2 ns/iter (+/- 1) = 1500 MB/s
 *   test Symbols (Execution) ... bench:        3268 ns/iter (+/- 47)
 *
 * A record can be split in two: Criterion writes `test <id> ... ` before running the benchmark and `bench: ...`
 * after it, so anything the benchmark prints (lit-bit's KPI block, spec §2.2) or an error message lands in between.
 * The two halves are joined. Pure: text in, rows out.
 */
import { ParseError } from "../../errors.js";
import type { TidyRow } from "../rows.js";
import {
  cleanLines, parseNumber, scale, textRow, timeUnit,
  type TextContext, type TextParseOptions, type TextParseResult,
} from "./common.js";
import { hasLitbitPrints, litbitRows, type ResultAt } from "./litbitPrints.js";

export const BENCHER_FORMAT = "bencher";

// the name is greedy up to the LAST ` ... ` that is directly followed by bench: (ids may hold `...` themselves)
const FULL_RECORD = /^test (.+)\s+\.\.\.\s+(bench:.*)$/;
const TEST_START = /^test (.+?)\s+\.\.\.(?:\s+(.*))?$/;
const LIBTEST_OUTCOME = /^(?:ok|ignored|FAILED|skipped)\b/;
const BENCH =
  /(?:^|\s)bench:\s+([\d,.]+)\s+(\S+)\s+\(\+\/-\s+([\d,.]+)\)(?:\s*=\s*([\d,.]+)\s+MB\/s)?\s*$/;
const NOISE_END = /^(?:running \d+ tests?$|test result:)/;

/**
 * Rows of one record. `ns/iter` → metric `time` in ns; `<custom>/iter` (`cycles/iter`) → `time` in that unit;
 * a rate (`MS/s`) → `throughput` in the unit as printed. The value is the median (libtest's and Criterion's
 * bencher report both print it), the `(+/- dev)` a separate `dev` row in the same unit; `= N MB/s` a throughput
 * row in bytes/s (libtest's MB/s is bytes per µs: 1e6 bytes/s).
 */
function recordRows(id: string, m: RegExpExecArray, ctx: TextContext): TidyRow[] | string {
  const value = parseNumber(m[1]!);
  const dev = parseNumber(m[3]!);
  if (value === null || dev === null) return `not a number in "${m[0].trim()}"`;
  const printed = m[2]!;
  const perIter = printed.endsWith("/iter");
  const u = perIter ? timeUnit(printed.slice(0, -"/iter".length)) : { factor: 1, unit: printed };
  const metric = perIter || !printed.endsWith("/s") ? "time" : "throughput";
  const base = { format: BENCHER_FORMAT, metric, unit: u.unit };
  const rows = [
    textRow(id, ctx, { ...base, stat: "median", value: scale(value, u.factor) }),
    textRow(id, ctx, { ...base, stat: "dev", value: scale(dev, u.factor) }),
  ];
  if (m[4] !== undefined) {
    const mbs = parseNumber(m[4]);
    if (mbs === null) return `not a number in "${m[0].trim()}"`;
    rows.push(textRow(id, ctx, { format: BENCHER_FORMAT, metric: "throughput", stat: "median", value: scale(mbs, 1e6), unit: "bytes/s" }));
  }
  return rows;
}

/** Reads bencher lines; throws ParseError when there is no record at all (and no lit-bit print). */
export function bencherLines(text: string, options: TextParseOptions = {}): TextParseResult {
  const ctx: TextContext = { source: options.source ?? "stdout", target: options.target ?? null };
  const lines = cleanLines(text);
  const rows: TidyRow[] = [];
  const warnings: string[] = [];
  const results: ResultAt[] = [];
  let pending: { name: string; line: number } | null = null;
  const dropPending = (): void => {
    if (pending) warnings.push(`line ${pending.line + 1}: ${pending.name}: no bench: value followed; skipped`);
    pending = null;
  };
  const record = (name: string, benchPart: string, i: number): void => {
    const m = BENCH.exec(benchPart);
    const out = m ? recordRows(name, m, ctx) : `cannot read "${benchPart.trim()}"`;
    if (typeof out === "string") return void warnings.push(`line ${i + 1}: ${name}: ${out}; skipped`);
    rows.push(...out);
    results.push({ id: name, line: i });
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (line.trim() === "") continue;
    const full = FULL_RECORD.exec(line);
    if (full) {
      dropPending();
      record(full[1]!.trim(), full[2]!, i);
      continue;
    }
    const start = TEST_START.exec(line);
    if (start && !line.startsWith("test result:")) {
      dropPending();
      // `test x ... ok|ignored` is a libtest test, not a benchmark; anything else is the first half of a record
      if (!LIBTEST_OUTCOME.test(start[2] ?? "")) pending = { name: start[1]!.trim(), line: i };
      continue;
    }
    if (NOISE_END.test(line)) {
      dropPending();
      continue;
    }
    if (BENCH.test(line)) {
      if (pending) {
        record(pending.name, line, i);
        pending = null;
      } else {
        warnings.push(`line ${i + 1}: bench: value with no \`test <name> ...\` before it; skipped`);
      }
    }
    // anything else (warnings, error messages, lit-bit prints, cargo lines) is noise here
  }
  dropPending();

  if (results.length === 0 && !hasLitbitPrints(lines)) {
    const why = warnings.length > 0 ? `; ${warnings[0]}` : "";
    throw new ParseError(ctx.source, `no bencher results found (expected \`test <name> ... bench: <value> ns/iter (+/- <dev>)\` lines)${why}`);
  }
  rows.push(...litbitRows(lines, results, ctx, warnings));
  return { rows, warnings };
}
