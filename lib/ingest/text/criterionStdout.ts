/**
 * Criterion's printed results (its CLI report on stdout), for users who kept only a CI log:
 *
 *   message_throughput/tokio_single/1000          <- ids longer than 23 chars sit alone on a line
 *                           time:   [10.004 ns 10.005 ns 10.007 ns]
 *                           thrpt:  [481.63 Kelem/s 483.37 Kelem/s 484.70 Kelem/s]
 *                    change:                      <- 0.4+: change block over three lines
 *                           time:   [-2.1626% -1.2213% -0.4057%] (p = 0.01 < 0.05)
 *                           thrpt:  [+0.4073% +1.2364% +2.2104%]
 *   alloc/4096              time:   [45.559 ns 45.577 ns 45.601 ns]
 *                           change: [-1.3580% -0.5354% +0.0630%] (p = 0.16 > 0.05)   <- 0.2/0.3: one line
 *
 * Everything else (progress, warnings, outliers, verdicts, cargo and libtest lines) is noise. lit-bit's own prints
 * in the same text become rows too (litbitPrints.ts). Pure: text in, rows out.
 */
import { ParseError } from "../../errors.js";
import type { TidyRow } from "../rows.js";
import {
  cleanLines, parseNumber, scale, textRow, throughputUnit, timeUnit,
  type TextContext, type TextParseOptions, type TextParseResult,
} from "./common.js";
import { hasLitbitPrints, litbitRows, type ResultAt } from "./litbitPrints.js";

export const CRITERION_STDOUT_FORMAT = "criterion-stdout";

// `<id> time: [...]` or an indented `time: [...]`; the id is everything before `time:` (ids may hold `:` and `'`)
const TIME_LINE = /^(.*?)\s*\btime:\s*\[([^\]]*)\](.*)$/;
const THRPT_LINE = /^\s*thrpt:\s*\[([^\]]*)\]/;
const CHANGE_LINE = /^\s*change:\s*(?:\[([^\]]*)\](.*))?$/;
const P_VALUE = /\(p\s*=\s*(\S+)\s*[<>]=?\s*[\d.]+\)/;

/** Lines at column 0 that are never a benchmark id (stderr progress and warnings, cargo, libtest, lit-bit prints). */
const NOT_AN_ID =
  /^(?:Benchmarking |Found \d+ outliers|Warning:|WARNING:|warning:|error|Gnuplot not found|This feature is being moved|running \d+ tests?|test |Testing |Success|Running |Compiling |Finished |Finished$|thread '|note:|=+$|Current memory:|Peak memory:|KPI target:|Status:|Consider investigating|- |[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}])/u;

/** Three printed estimates, each with its own unit: Criterion formats every value on its own scale, so a line
 * can read `[999.51 ns 1.0002 µs 1.0010 µs]`. */
type Triple = { values: [number, number, number]; units: [string, string, string] };

/** `[a u b u c u]` (or `[a% b% c%]`, or three bare numbers) → the three values and their units, or a problem. */
function parseTriple(inside: string): Triple | string {
  const shown = `"[${inside.trim()}]"`;
  const tokens = inside.trim().split(/\s+/).filter((t) => t !== "");
  let values: string[];
  let units: string[];
  if (tokens.length === 6) {
    values = [tokens[0]!, tokens[2]!, tokens[4]!];
    units = [tokens[1]!, tokens[3]!, tokens[5]!];
  } else if (tokens.length === 3) {
    const pct = tokens.every((t) => t.endsWith("%"));
    values = tokens.map((t) => (pct ? t.slice(0, -1) : t));
    units = tokens.map(() => (pct ? "%" : ""));
  } else {
    return `expected three estimates [low estimate high], found ${tokens.length} token(s) ${shown}`;
  }
  const nums = values.map(parseNumber);
  if (nums.some((n) => n === null)) return `not a number in ${shown}`;
  return { values: [nums[0]!, nums[1]!, nums[2]!], units: [units[0]!, units[1]!, units[2]!] };
}

/**
 * Converts the three estimates to one unit (ns, elements/s, bytes/s, or a custom unit kept as printed);
 * a mix that does not convert to one unit (`cycles` and `ns`) is refused rather than guessed.
 */
function convert(t: Triple, unitOf: (u: string) => { factor: number; unit: string }, shown: string): { lo: number; mid: number; hi: number; unit: string } | string {
  const us = t.units.map(unitOf);
  if (us[0]!.unit !== us[1]!.unit || us[1]!.unit !== us[2]!.unit) return `mixed units in "[${shown.trim()}]"`;
  const [lo, mid, hi] = t.values.map((v, k) => scale(v, us[k]!.factor)) as [number, number, number];
  return { lo, mid, hi, unit: us[0]!.unit };
}

const percent = (u: string): { factor: number; unit: string } => (u === "%" ? { factor: 0.01, unit: "ratio" } : { factor: 1, unit: u });

const isPercent = (inside: string): boolean => /%/.test(inside);

/**
 * Reads Criterion's printed results. Rows: `time`/`typical` (the middle estimate, in ns for time units, the
 * custom unit as printed otherwise), `throughput`/`typical`, and per change block `change`/`mean` (ratio) and
 * `change`/`p_value`. Change rows use baseline `change`, like the criterion-json reader's change/estimates.json rows.
 * Throws ParseError when the text holds neither a Criterion result nor a lit-bit print.
 */
export function criterionStdout(text: string, options: TextParseOptions = {}): TextParseResult {
  const ctx: TextContext = { source: options.source ?? "stdout", target: options.target ?? null };
  const lines = cleanLines(text);
  const rows: TidyRow[] = [];
  const warnings: string[] = [];
  const results: ResultAt[] = [];
  let current: string | null = null; // the id the last time: line belonged to (thrpt:/change: lines follow it)
  let previous: string | null = null; // the last non-blank line, for wrapped ids
  const where = (i: number): string => `line ${i + 1}`;

  const change = (i: number, inside: string, rest: string): void => {
    if (current === null) return void warnings.push(`${where(i)}: change: line with no benchmark before it; skipped`);
    const parsed = parseTriple(inside);
    const t = typeof parsed === "string" ? parsed : convert(parsed, percent, inside);
    if (typeof t === "string") return void warnings.push(`${where(i)}: ${current}: change: ${t}; skipped`);
    if (t.unit !== "ratio") return void warnings.push(`${where(i)}: ${current}: change: not percentages "[${inside.trim()}]"; skipped`);
    rows.push(textRow(current, ctx, {
      format: CRITERION_STDOUT_FORMAT, metric: "change", stat: "mean", value: t.mid, unit: "ratio",
      lower: t.lo, upper: t.hi, baseline: "change",
    }));
    const p = P_VALUE.exec(rest);
    const pValue = p ? parseNumber(p[1]!) : null;
    // `p = NaN` (identical samples) says nothing: no row
    if (pValue !== null && Number.isFinite(pValue)) {
      rows.push(textRow(current, ctx, {
        format: CRITERION_STDOUT_FORMAT, metric: "change", stat: "p_value", value: pValue, unit: "p", baseline: "change",
      }));
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    const prev = previous;
    previous = line;

    const time = TIME_LINE.exec(line);
    if (time) {
      const [, before, inside, rest] = time as unknown as [string, string, string, string];
      // an indented time: line of percentages is the second line of a 0.4+ change block
      if (before.trim() === "" && isPercent(inside)) {
        change(i, inside, rest);
        continue;
      }
      let id = before.trim();
      if (id === "") {
        // wrapped id: Criterion printed it alone on the line just before (its stdout writes both at once)
        const candidate = prev?.trimEnd() ?? "";
        // (not a column-0 noise line, and not the previous result's own `<id> time:` line)
        if (prev === null || /^\s/.test(prev) || NOT_AN_ID.test(candidate) || TIME_LINE.test(candidate)) {
          current = null;
          warnings.push(`${where(i)}: time: line without a benchmark id before it; skipped`);
          continue;
        }
        id = candidate;
      }
      current = id;
      const parsed = parseTriple(inside);
      const t = typeof parsed === "string" ? parsed : convert(parsed, timeUnit, inside);
      if (typeof t === "string") {
        warnings.push(`${where(i)}: ${id}: time: ${t}; skipped`);
        continue;
      }
      rows.push(textRow(id, ctx, {
        format: CRITERION_STDOUT_FORMAT, metric: "time", stat: "typical", value: t.mid, unit: t.unit, lower: t.lo, upper: t.hi,
      }));
      results.push({ id, line: i });
      continue;
    }

    const thrpt = THRPT_LINE.exec(line);
    if (thrpt) {
      const inside = thrpt[1]!;
      if (isPercent(inside)) continue; // the throughput line of a change block: the time line already says it
      if (current === null) {
        warnings.push(`${where(i)}: thrpt: line with no benchmark before it; skipped`);
        continue;
      }
      const parsed = parseTriple(inside);
      const t = typeof parsed === "string" ? parsed : convert(parsed, throughputUnit, inside);
      if (typeof t === "string") {
        warnings.push(`${where(i)}: ${current}: thrpt: ${t}; skipped`);
        continue;
      }
      // bounds as printed, ordered: Criterion prints the throughput of the time bounds, and a per-byte unit (cpb)
      // comes out descending
      rows.push(textRow(current, ctx, {
        format: CRITERION_STDOUT_FORMAT, metric: "throughput", stat: "typical", value: t.mid, unit: t.unit,
        lower: Math.min(t.lo, t.hi), upper: Math.max(t.lo, t.hi),
      }));
      continue;
    }

    const ch = CHANGE_LINE.exec(line);
    if (ch) {
      if (ch[1] !== undefined) change(i, ch[1], ch[2] ?? ""); // 0.2/0.3: the percentages on the change: line
      continue; // 0.4+: `change:` alone, the percentages follow on an indented time: line
    }

    // a new column-0 line ends the previous result's block
    if (!/^\s/.test(line)) current = null;
  }

  if (results.length === 0 && !hasLitbitPrints(lines)) {
    const why = warnings.length > 0 ? `; ${warnings[0]}` : "";
    throw new ParseError(ctx.source, `no Criterion results found (expected \`<id> time: [low estimate high]\` lines from Criterion's output)${why}`);
  }
  rows.push(...litbitRows(lines, results, ctx, warnings));
  return { rows, warnings };
}

/** Is this (cleaned) line a Criterion result, `[<id>] time: [low estimate high]` with three readable estimates? */
export function isCriterionResultLine(line: string): boolean {
  const m = TIME_LINE.exec(line);
  return m !== null && !isPercent(m[2]!) && typeof parseTriple(m[2]!) !== "string";
}
