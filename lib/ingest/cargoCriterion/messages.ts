import { ParseError } from "../../errors.js";
import { isFiniteNumber, isPlainObject } from "../criterion/json.js";
import type { SampleRow, TidyRow } from "../rows.js";
import { splitJsonObjects } from "./jsonStream.js";
import { changeRows, estimateRows, sampleRows, type IdParts, type Interval, type TimeStat } from "./rows.js";

/*
 * cargo-criterion 1.1 `--message-format=json` (bheisler/cargo-criterion @ 4d14e0d, src/message_formats/json.rs and
 * mod.rs). Each message is `{"reason": ..., <serde fields>}`:
 *   benchmark-complete: id (the title: the full id, cut to 100 bytes + "..." when longer, " #2" when repeated),
 *     report_directory, iteration_count[u64], measured_values[f64] (total per sample), unit, throughput
 *     [{per_iteration, unit: "bytes"|"elements"}], typical/mean/median/median_abs_dev {estimate, lower_bound,
 *     upper_bound, unit}, slope (same or null), change (null or {mean, median: {…, unit: "%"}, change:
 *     "NoChange"|"Improved"|"Regressed"}). The change unit says "%" but the numbers are Criterion's relative
 *     change `new/old - 1` (ConfidenceInterval::from_percent copies them unscaled), i.e. ratios.
 *   group-complete: group_name, benchmarks[titles], report_directory.
 * Messages carry no confidence level; cargo-criterion uses the bench's (Criterion's default 0.95).
 * serde_json writes NaN as null, which is caught here as "not a finite number".
 */

export const CARGO_CRITERION_JSON_FORMAT = "cargo-criterion-json";

export interface CargoCriterionMessagesOptions {
  /** Names the input in rows (`source`) and errors. Default `<messages>`. */
  source?: string;
  /** Confidence level of the intervals (the messages do not state it). Default 0.95, Criterion's default. */
  confidence?: number;
}

const REASONS = new Set(["benchmark-complete", "group-complete"]);

type Obj = Record<string, unknown>;

function fail(file: string, line: number, problem: string): never {
  throw new ParseError(file, `line ${line}: ${problem}`);
}

function interval(msg: Obj, key: string, file: string, line: number, confidence: number): { e: Interval; unit: string } {
  const v = msg[key];
  if (!isPlainObject(v)) fail(file, line, `benchmark-complete message has no "${key}" estimate`);
  const nums = [v["estimate"], v["lower_bound"], v["upper_bound"]];
  if (!nums.every(isFiniteNumber)) {
    fail(file, line, `"${key}" needs finite estimate, lower_bound, upper_bound (got ${JSON.stringify(nums)})`);
  }
  const [point, lower, upper] = nums as [number, number, number];
  return { e: { point, lower, upper, confidence }, unit: typeof v["unit"] === "string" ? v["unit"] : "" };
}

function numberArray(msg: Obj, key: string, file: string, line: number): number[] {
  const v = msg[key];
  if (!Array.isArray(v) || !v.every(isFiniteNumber)) fail(file, line, `"${key}" must be an array of numbers`);
  return v;
}

/**
 * The id's parts. The message only has the title; `group-complete` names the group, so a title under a known
 * group splits as group / function / param. Without it the first `/` ends the group. A single part after the
 * group is taken as the function (Criterion cannot tell `group/function` from `group/param` in the text either).
 */
function idParts(id: string, groups: readonly string[]): IdParts {
  const group = groups.filter((g) => id === g || id.startsWith(`${g}/`)).sort((a, b) => b.length - a.length)[0]
    ?? (id.includes("/") ? id.slice(0, id.indexOf("/")) : id);
  const rest = id.slice(group.length + 1);
  if (id === group) return { id, group, function: null, param: null };
  const slash = rest.indexOf("/");
  return slash === -1
    ? { id, group, function: rest, param: null }
    : { id, group, function: rest.slice(0, slash), param: rest.slice(slash + 1) };
}

interface Complete { msg: Obj; line: number }

function benchmarkRows(c: Complete, groups: readonly string[], file: string, confidence: number): { rows: TidyRow[]; samples: SampleRow[] } {
  const { msg, line } = c;
  const id = msg["id"];
  if (typeof id !== "string") fail(file, line, `benchmark-complete message has no "id"`);
  const unit = msg["unit"];
  if (typeof unit !== "string") fail(file, line, `benchmark-complete message "${id}" has no "unit"`);
  const iters = numberArray(msg, "iteration_count", file, line);
  const values = numberArray(msg, "measured_values", file, line);
  if (iters.length !== values.length) fail(file, line, `"${id}": iteration_count and measured_values differ in length`);
  const ctx = { source: file, format: CARGO_CRITERION_JSON_FORMAT, baseline: "new" };
  const idp = idParts(id, groups);

  const typical = interval(msg, "typical", file, line, confidence);
  const stats: Partial<Record<TimeStat, Interval>> = {};
  for (const stat of ["mean", "median", "median_abs_dev"] as const) stats[stat] = interval(msg, stat, file, line, confidence).e;
  // slope is null under Flat sampling (and for old Criterion versions)
  if (msg["slope"] !== null && msg["slope"] !== undefined) stats.slope = interval(msg, "slope", file, line, confidence).e;

  const throughput: { unit: string; count: number }[] = [];
  const tp = msg["throughput"] ?? [];
  if (!Array.isArray(tp)) fail(file, line, `"${id}": "throughput" must be an array`);
  for (const t of tp) {
    const n: unknown = isPlainObject(t) ? t["per_iteration"] : undefined;
    const u: unknown = isPlainObject(t) ? t["unit"] : undefined;
    if (!isFiniteNumber(n) || n <= 0 || (u !== "bytes" && u !== "elements")) {
      fail(file, line, `"${id}": throughput entry ${JSON.stringify(t)} is not {per_iteration, unit: "bytes"|"elements"}`);
    }
    throughput.push({ unit: `${u}/s`, count: n });
  }
  const rows = estimateRows(idp, ctx, { typical: typical.e, stats, unit: typical.unit || unit }, throughput);

  const change = msg["change"];
  if (isPlainObject(change)) {
    const mean = interval(change, "mean", file, line, confidence).e;
    const median = interval(change, "median", file, line, confidence).e;
    rows.push(...changeRows(idp, { source: file, format: CARGO_CRITERION_JSON_FORMAT }, mean, median));
  } else if (change !== null && change !== undefined) {
    fail(file, line, `"${id}": "change" must be null or {mean, median, change}`);
  }
  return { rows, samples: sampleRows({ id, source: file, baseline: "new" }, iters, values, unit) };
}

/**
 * Reads cargo-criterion's JSON messages (pure). Lines that are not JSON (the bench's own prints) and JSON values
 * with another `reason` (cargo's build messages) are skipped; a message cut short or missing a field is a
 * ParseError naming the input and line.
 */
export function cargoCriterionMessages(text: string, options: CargoCriterionMessagesOptions = {}): { rows: TidyRow[]; samples: SampleRow[] } {
  const file = options.source ?? "<messages>";
  const confidence = options.confidence ?? 0.95;
  const completes: Complete[] = [];
  const groups: string[] = [];
  for (const chunk of splitJsonObjects(text)) {
    if (chunk.kind === "bad") {
      // a print that happens to start with `{` is skipped; a broken message is not. Only look before the next
      // column-0 `{`, where an unclosed print's span may run into the following (good) message
      const head = chunk.text.split(/\n\{/, 1)[0]!;
      if (/"reason"\s*:\s*"(benchmark|group)-complete"/.test(head)) {
        fail(file, chunk.line, chunk.unclosed ? "message is cut short (the input ends before it closes)" : `message is not valid JSON (${chunk.problem})`);
      }
      continue;
    }
    const v = chunk.value;
    if (!isPlainObject(v) || typeof v["reason"] !== "string" || !REASONS.has(v["reason"])) continue;
    if (v["reason"] === "group-complete") {
      if (typeof v["group_name"] !== "string") fail(file, chunk.line, `group-complete message has no "group_name"`);
      groups.push(v["group_name"]);
    } else {
      completes.push({ msg: v, line: chunk.line });
    }
  }
  if (completes.length === 0) {
    throw new ParseError(file, `no cargo-criterion "benchmark-complete" message (expected output of cargo criterion --message-format=json)`);
  }
  const rows: TidyRow[] = [];
  const samples: SampleRow[] = [];
  for (const c of completes) {
    const r = benchmarkRows(c, groups, file, confidence);
    rows.push(...r.rows);
    samples.push(...r.samples);
  }
  return { rows, samples };
}

/** Cheap content check for the reader: does this text (a file's head) hold a cargo-criterion message? */
export const looksLikeCargoCriterionMessages = (head: string): boolean => /"reason"\s*:\s*"(benchmark|group)-complete"/.test(head);
