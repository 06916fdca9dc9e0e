/**
 * Resource reports of `time`, wherever they sit in captured output (interleaved with the program's lines):
 * - GNU `/usr/bin/time -v`: tab-indented `Key: value` lines, max RSS in KILObytes;
 * - GNU `/usr/bin/time` default: `0.08user 0.04system 0:00.12elapsed 99%CPU (0avgtext+0avgdata 62320maxresident)k`;
 * - macOS/BSD `/usr/bin/time -l`: `0.00 real 0.00 user 0.00 sys` then `N  maximum resident set size` in BYTES;
 * - bash's builtin `time` (`real\t0m0.100s`), `time -p` (`real 0.10`) and zsh's (`cmd  0.01s user ... 0.003 total`).
 * Each report becomes one run: rows metric `process`, stats `max_rss_bytes`, `wall_seconds`, `user_seconds`,
 * `system_seconds`, `cpu_percent`, `major_faults`, `minor_faults`, `voluntary_context_switches`,
 * `involuntary_context_switches`, `swaps`, `fs_inputs`, `fs_outputs`, `peak_footprint_bytes` (macOS),
 * `exit_status`, `signal`. A new run starts at a header line (`Command being timed`, `Command exited with
 * non-zero status`) after figures, or when a figure repeats. Pure: text in, rows out.
 */
import { ParseError } from "../../errors.js";
import type { TidyRow } from "../rows.js";
import type { MemoryIngestResult } from "../memoryRows.js";
import { outputRow, plainLines, runIds, stemOf, type OutputParseOptions } from "./outputCommon.js";

const UNITS: Readonly<Record<string, string>> = {
  max_rss_bytes: "bytes", wall_seconds: "s", user_seconds: "s", system_seconds: "s", cpu_percent: "percent",
  major_faults: "count", minor_faults: "count", voluntary_context_switches: "count", involuntary_context_switches: "count",
  swaps: "count", fs_inputs: "count", fs_outputs: "count", peak_footprint_bytes: "bytes", exit_status: "code", signal: "code",
};
const ORDER = Object.keys(UNITS);

/** `1:32:21` (h:mm:ss), `0:00.12` (m:ss.cc), `62.5` → seconds, rounded to µs so 1:02.33 reads 62.33. */
function clockSeconds(t: string): number | null {
  const parts = t.replace(",", ".").split(":");
  if (parts.length > 3 || !parts.every((p) => /^\d+(?:\.\d+)?$/.test(p))) return null;
  const s = parts.reduce((acc, p) => acc * 60 + Number(p), 0);
  return Math.round(s * 1e6) / 1e6;
}

/** bash's `0m0.100s` (also `1h2m3.5s`, and `0m0,100s` under a decimal-comma locale) → seconds. */
function bashSeconds(t: string): number | null {
  const m = /^(?:(\d+)h)?(\d+)m(\d+(?:[.,]\d+)?)s$/.exec(t);
  if (!m) return null;
  return Math.round(((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3]!.replace(",", "."))) * 1e6) / 1e6;
}

type Figures = Record<string, number>;
interface Hit { header?: { command?: string; exit_status?: number; signal?: number }; figures?: Figures; format: string }

const GNU_V: ReadonlyArray<readonly [RegExp, string, (s: string) => number | null]> = [
  [/^User time \(seconds\): ([\d.]+)$/, "user_seconds", Number],
  [/^System time \(seconds\): ([\d.]+)$/, "system_seconds", Number],
  [/^Percent of CPU this job got: (\d+)%$/, "cpu_percent", Number],
  [/^Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)$/, "wall_seconds", clockSeconds],
  [/^Maximum resident set size \(kbytes\): (\d+)$/, "max_rss_bytes", (s) => Number(s) * 1024],
  [/^Major \(requiring I\/O\) page faults: (\d+)$/, "major_faults", Number],
  [/^Minor \(reclaiming a frame\) page faults: (\d+)$/, "minor_faults", Number],
  [/^Voluntary context switches: (\d+)$/, "voluntary_context_switches", Number],
  [/^Involuntary context switches: (\d+)$/, "involuntary_context_switches", Number],
  [/^Swaps: (\d+)$/, "swaps", Number],
  [/^File system inputs: (\d+)$/, "fs_inputs", Number],
  [/^File system outputs: (\d+)$/, "fs_outputs", Number],
  [/^Exit status: (\d+)$/, "exit_status", Number],
];

// macOS/BSD `time -l`: the count first, then the name; sizes in bytes
const BSD_L: Readonly<Record<string, string>> = {
  "maximum resident set size": "max_rss_bytes", "page reclaims": "minor_faults", "page faults": "major_faults",
  "voluntary context switches": "voluntary_context_switches", "involuntary context switches": "involuntary_context_switches",
  swaps: "swaps", "block input operations": "fs_inputs", "block output operations": "fs_outputs",
  "peak memory footprint": "peak_footprint_bytes",
};

const GNU_DEFAULT = /(\d+\.\d+)user (\d+\.\d+)system ([\d:.]+)elapsed (\d+|\?)%CPU \((\d+)avgtext\+(\d+)avgdata (\d+)maxresident\)k/;
const GNU_DEFAULT_2 = /^(\d+)inputs\+(\d+)outputs \((\d+)major\+(\d+)minor\)pagefaults (\d+)swaps$/;

/** What one (trimmed) line says, or null when it is not part of a time report. */
function lineHit(raw: string): Hit | null {
  const line = raw.trim();
  let m: RegExpExecArray | null;
  if ((m = /^Command being timed: "(.*)"$/.exec(line))) return { header: { command: m[1]! }, format: "gnu-time-v" };
  if ((m = /^Command exited with non-zero status (\d+)$/.exec(line))) return { header: { exit_status: Number(m[1]) }, format: "gnu-time" };
  if ((m = /^Command terminated by signal (\d+)$/.exec(line))) return { header: { signal: Number(m[1]) }, format: "gnu-time" };
  for (const [re, stat, conv] of GNU_V) {
    if ((m = re.exec(line))) {
      const v = conv(m[1]!);
      return v === null ? null : { figures: { [stat]: v }, format: "gnu-time-v" };
    }
  }
  if ((m = GNU_DEFAULT.exec(line))) {
    const wall = clockSeconds(m[3]!);
    const f: Figures = { user_seconds: Number(m[1]), system_seconds: Number(m[2]), max_rss_bytes: Number(m[7]) * 1024 };
    if (wall !== null) f["wall_seconds"] = wall;
    if (m[4] !== "?") f["cpu_percent"] = Number(m[4]);
    return { figures: f, format: "gnu-time" };
  }
  if ((m = GNU_DEFAULT_2.exec(line))) {
    return { figures: { fs_inputs: Number(m[1]), fs_outputs: Number(m[2]), major_faults: Number(m[3]), minor_faults: Number(m[4]), swaps: Number(m[5]) }, format: "gnu-time" };
  }
  if ((m = /^(\d+(?:\.\d+)?) real\s+(\d+(?:\.\d+)?) user\s+(\d+(?:\.\d+)?) sys$/.exec(line))) {
    return { figures: { wall_seconds: Number(m[1]), user_seconds: Number(m[2]), system_seconds: Number(m[3]) }, format: "bsd-time-l" };
  }
  if ((m = /^(\d+)\s+([a-z ]+)$/.exec(line)) && BSD_L[m[2]!] !== undefined) {
    return { figures: { [BSD_L[m[2]!]!]: Number(m[1]) }, format: "bsd-time-l" };
  }
  // bash builtin (tab between name and value; `time -p` prints a space and plain seconds)
  if ((m = /^(real|user|sys)\t(\S+)$/.exec(raw)) || (m = /^(real|user|sys) (\d+(?:[.,]\d+)?)$/.exec(raw))) {
    const v = m[2]!.endsWith("s") ? bashSeconds(m[2]!) : Number(m[2]!.replace(",", "."));
    const stat = m[1] === "real" ? "wall_seconds" : m[1] === "user" ? "user_seconds" : "system_seconds";
    return v === null || Number.isNaN(v) ? null : { figures: { [stat]: v }, format: "bash-time" };
  }
  // zsh: `ls  0.00s user 0.00s system 80% cpu 0.003 total`
  if ((m = /^(.*?)\s+(\d+(?:\.\d+)?)s user (\d+(?:\.\d+)?)s system (\d+)% cpu ([\d:.]+) total$/.exec(line))) {
    const wall = clockSeconds(m[5]!);
    const f: Figures = { user_seconds: Number(m[2]), system_seconds: Number(m[3]), cpu_percent: Number(m[4]) };
    if (wall !== null) f["wall_seconds"] = wall;
    return { header: { command: m[1]! }, figures: f, format: "zsh-time" };
  }
  return null;
}

interface Run { command?: string; figures: Figures; fromBody: Set<string>; format: string }

/**
 * `time` reports in `text` → rows (metric `process`), one run per report; several runs get ids `#1`, `#2`.
 * The id is `options.id`, else the timed command when the report names it, else the file name.
 * Throws ParseError when no line of any known `time` format is present.
 */
export function timeVerbose(text: string, options: OutputParseOptions = {}): MemoryIngestResult {
  const source = options.source ?? "stderr";
  if (text.trim() === "") throw new ParseError(source, "empty file: no `time` report");
  const runs: Run[] = [];
  let cur: Run | undefined;
  const fresh = (format: string): Run => {
    cur = { figures: {}, fromBody: new Set(), format };
    runs.push(cur);
    return cur;
  };
  for (const line of plainLines(text)) {
    const hit = lineHit(line);
    if (!hit) continue;
    let run = cur ?? fresh(hit.format);
    const h = hit.header;
    if (h) {
      // a header after figures opens the next report; `Command exited ...` then `Command being timed` stay one
      const clash = (h.command !== undefined && run.command !== undefined) || (h.exit_status !== undefined && run.figures["exit_status"] !== undefined);
      if (run.fromBody.size > 0 || clash) run = fresh(hit.format);
      if (h.command !== undefined) run.command = h.command;
      if (h.exit_status !== undefined) run.figures["exit_status"] = h.exit_status;
      if (h.signal !== undefined) run.figures["signal"] = h.signal;
    }
    const f = hit.figures ?? {};
    if (Object.keys(f).some((k) => run.fromBody.has(k))) run = fresh(hit.format);
    for (const [k, v] of Object.entries(f)) {
      run.figures[k] = v;
      run.fromBody.add(k);
    }
    if (run.format !== hit.format && hit.format === "gnu-time-v") run.format = hit.format;
  }
  const found = runs.filter((r) => Object.keys(r.figures).length > 0);
  if (found.length === 0) {
    throw new ParseError(source, "no `time` report found (expected GNU `time -v` lines such as `Maximum resident set size (kbytes): N`, macOS `time -l`, or bash `real\\t0m0.100s`)");
  }
  const fallback = options.id ?? stemOf(options.source) ?? "process";
  const ids = runIds(found.map((r) => options.id ?? r.command ?? fallback));
  const rows: TidyRow[] = found.flatMap((r, i) =>
    ORDER.filter((stat) => r.figures[stat] !== undefined).map((stat) =>
      outputRow({ id: ids[i]!, source, format: r.format, metric: "process", stat, value: r.figures[stat]!, unit: UNITS[stat]! }),
    ),
  );
  const warnings = found.flatMap((r, i) => (r.figures["signal"] === undefined ? [] : [`${source}: ${ids[i]}: the command was killed by signal ${r.figures["signal"]}`]));
  return { rows, timeline: [], sites: [], warnings };
}
