import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { ParseError } from "../lib/errors.js";
import type { TidyRow } from "../lib/ingest/rows.js";
import { perfStat } from "../lib/ingest/memory/perfStat.js";
import { timeVerbose } from "../lib/ingest/memory/time.js";
import { requireTool } from "./helpers/tools.js";

const REAL = "/work/shared/real-inputs/perf-time";
const FIX = new URL("./fixtures/memory/", import.meta.url).pathname;
const read = (p: string): string => readFileSync(p, "utf8");

/** stat → value of the rows of one id. */
const values = (rows: TidyRow[], id: string): Record<string, number> =>
  Object.fromEntries(rows.filter((r) => r.id === id).map((r) => [r.stat, r.value]));
const unitOf = (rows: TidyRow[], stat: string): string | undefined => rows.find((r) => r.stat === stat)?.unit;

test("GNU time -v (slurm): h:mm:ss wall clock, kbytes → bytes, faults, switches, CPU %, exit status", () => {
  const r = timeVerbose(read(`${REAL}/gnu-time-v-slurm-python.txt`), { source: "gnu-time-v-slurm-python.txt" });
  const ids = [...new Set(r.rows.map((x) => x.id))];
  assert.equal(ids.length, 1);
  // the id is the command of `Command being timed: "python /projects/.../Demultiplexing_1.py -f ... -l 101"`
  assert.match(ids[0]!, /^python \/projects\/bgmp\/.*Demultiplexing_1\.py .* -l 101$/);
  assert.deepEqual(values(r.rows, ids[0]!), {
    max_rss_bytes: 66824 * 1024, // Maximum resident set size (kbytes): 66824
    wall_seconds: 1 * 3600 + 32 * 60 + 21, // 1:32:21
    user_seconds: 5515.59,
    system_seconds: 8.66,
    cpu_percent: 99,
    major_faults: 0,
    minor_faults: 72235,
    voluntary_context_switches: 60,
    involuntary_context_switches: 1650,
    swaps: 0,
    fs_inputs: 0,
    fs_outputs: 0,
    exit_status: 0,
  });
  assert.equal(unitOf(r.rows, "max_rss_bytes"), "bytes");
  assert.equal(unitOf(r.rows, "wall_seconds"), "s");
  assert.ok(r.rows.every((x) => x.metric === "process" && x.format === "gnu-time-v"));
  assert.deepEqual(r.warnings, []);
});

test("bash builtin time, two runs interleaved with program output: ids #1 and #2", () => {
  const r = timeVerbose(read(`${REAL}/bash-time-builtin-real-user-sys.txt`), { source: "bash-time-builtin-real-user-sys.txt" });
  // real\t0m0.100s / user\t0m0.020s / sys\t0m0.003s, twice
  const run = { wall_seconds: 0.1, user_seconds: 0.02, system_seconds: 0.003 };
  assert.deepEqual(values(r.rows, "bash-time-builtin-real-user-sys#1"), run);
  assert.deepEqual(values(r.rows, "bash-time-builtin-real-user-sys#2"), run);
  assert.equal(r.rows.length, 6);
  assert.ok(r.rows.every((x) => x.format === "bash-time"));
});

test("GNU time -v captured here: non-zero exit, m:ss.cc wall clock, program output before the report", () => {
  const r = timeVerbose(read(`${FIX}gnu-time-v-exit3.txt`), { id: "py" });
  assert.deepEqual(values(r.rows, "py"), {
    max_rss_bytes: 62320 * 1024, // (kbytes): 62320
    wall_seconds: 0.12, // 0:00.12
    user_seconds: 0.08,
    system_seconds: 0.04,
    cpu_percent: 99,
    major_faults: 0,
    minor_faults: 14159,
    voluntary_context_switches: 4,
    involuntary_context_switches: 1,
    swaps: 0,
    fs_inputs: 24,
    fs_outputs: 8,
    exit_status: 3, // `Command exited with non-zero status 3` and `Exit status: 3` are one report
  });
});

test("macOS time -l (hand-written layout): max RSS already in bytes, page reclaims = minor faults", () => {
  const r = timeVerbose(read(`${FIX}macos-time-l-FIXTURE.txt`), { source: "macos-time-l-FIXTURE.txt" });
  assert.deepEqual(values(r.rows, "macos-time-l-FIXTURE"), {
    max_rss_bytes: 45965312, // `45965312  maximum resident set size`: bytes, NOT ×1024
    wall_seconds: 1.23,
    user_seconds: 0.98,
    system_seconds: 0.12,
    major_faults: 3,
    minor_faults: 11297,
    voluntary_context_switches: 12,
    involuntary_context_switches: 345,
    swaps: 0,
    fs_inputs: 0,
    fs_outputs: 0,
    peak_footprint_bytes: 40112128,
  });
  assert.ok(r.rows.every((x) => x.format === "bsd-time-l"));
});

test("GNU time default format, time -p and zsh time", () => {
  const gnu = "0.08user 0.04system 0:00.12elapsed 99%CPU (0avgtext+0avgdata 62320maxresident)k\n24inputs+8outputs (0major+14159minor)pagefaults 0swaps\n";
  assert.deepEqual(values(timeVerbose(gnu, { id: "g" }).rows, "g"), {
    max_rss_bytes: 62320 * 1024, wall_seconds: 0.12, user_seconds: 0.08, system_seconds: 0.04, cpu_percent: 99,
    major_faults: 0, minor_faults: 14159, swaps: 0, fs_inputs: 24, fs_outputs: 8,
  });
  assert.deepEqual(values(timeVerbose("out\nreal 1.50\nuser 0.25\nsys 0.05\n", { id: "p" }).rows, "p"), {
    wall_seconds: 1.5, user_seconds: 0.25, system_seconds: 0.05,
  });
  const zsh = timeVerbose("./memprog 4 1000  0.01s user 0.02s system 80% cpu 1:02.33 total\n");
  assert.deepEqual(values(zsh.rows, "./memprog 4 1000"), { wall_seconds: 62.33, user_seconds: 0.01, system_seconds: 0.02, cpu_percent: 80 });
});

test("bad time inputs: ParseError naming the file", () => {
  assert.throws(() => timeVerbose("", { source: "t.txt" }), (e: unknown) => e instanceof ParseError && /^t\.txt: empty/.test(e.message));
  assert.throws(
    () => timeVerbose("hello\nreal work happens here\n", { source: "x.log" }),
    (e: unknown) => e instanceof ParseError && e.file === "x.log" && /no `time` report found/.test(e.message),
  );
});

test("live capture: /usr/bin/time -v of a child process", (t) => {
  if (!requireTool(t, "/usr/bin/time", existsSync("/usr/bin/time"), "apt-get install time")) return;
  const p = spawnSync("/usr/bin/time", ["-v", "perl", "-e", 'my $s = "x" x 20_000_000; print "done\\n"; exit 2'], { encoding: "utf8" });
  const r = timeVerbose(p.stdout + p.stderr, { id: "perl" });
  const v = values(r.rows, "perl");
  assert.equal(v["exit_status"], 2);
  assert.ok(v["max_rss_bytes"]! > 20_000_000, `max RSS ${v["max_rss_bytes"]} covers the 20 MB string`);
  assert.equal(v["max_rss_bytes"]! % 1024, 0);
});

test("perf stat text with <not counted>/<not supported> and a WARNING line (LKML)", () => {
  const r = perfStat(read(`${REAL}/perf-stat-not-counted-not-supported-lkml.txt`), { source: "lkml.txt" });
  // both `slots` lines have no value: only `1.002265769 seconds time elapsed` remains
  assert.deepEqual(r.rows.map((x) => [x.id, x.stat, x.value, x.unit]), [["CPU(s) 0", "wall_seconds", 1.002265769, "s"]]);
  assert.equal(r.warnings.length, 3);
  assert.match(r.warnings[0]!, /WARNING: events were regrouped to match PMUs/);
  assert.match(r.warnings[1]!, /slots is <not counted>/);
  assert.match(r.warnings[2]!, /slots is <not supported>/);
});

test("perf stat :u events, msec task-clock, multiplexing, `#` continuation line (algorithmica)", () => {
  const r = perfStat(read(`${REAL}/perf-stat-u-suffix-multiplexed-algorithmica.txt`));
  assert.deepEqual(values(r.rows, "./run"), {
    "task-clock:u": 646.07,
    "context-switches:u": 0,
    "cpu-migrations:u": 0,
    "page-faults:u": 1096, // 1,096
    "cycles:u": 852125255, // 852,125,255 (83.35%)
    "stalled-cycles-frontend:u": 28475954,
    "stalled-cycles-backend:u": 10460937,
    "instructions:u": 479175388,
    "branches:u": 122705572,
    "branch-misses:u": 19229451,
  });
  assert.equal(r.rows.find((x) => x.stat === "task-clock:u")?.unit, "msec");
  assert.equal(r.rows.find((x) => x.stat === "cycles:u")?.unit, "count");
  assert.ok(r.rows.every((x) => x.metric === "perf" && x.format === "perf-stat"));
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /multiplexed.*cycles:u 83\.35%.*branch-misses:u 83\.47%/);
  assert.doesNotMatch(r.warnings[0]!, /instructions:u/); // its (83.28%) sits on the `#` continuation line
});

test("perf stat -x, CSV: units, <not supported>/<not counted> skipped", () => {
  const r = perfStat(read(`${REAL}/perf-stat-x-csv-not-supported-FIXTURE.csv`), { source: "perf.csv", id: "bench" });
  assert.deepEqual(r.rows.map((x) => [x.stat, x.value, x.unit]), [
    ["duration_time", 1810466010, "ns"],
    ["task-clock", 1795.31, "msec"],
    ["cycles:u", 8693016215, "count"],
    ["instructions:u", 16934571004, "count"],
    ["page-faults", 258081, "count"],
  ]);
  assert.ok(r.rows.every((x) => x.format === "perf-stat-csv" && x.id === "bench"));
  assert.deepEqual(r.warnings, ["perf.csv: bench: branch-misses:u is <not supported>: no row", "perf.csv: bench: L1-dcache-load-misses:u is <not counted>: no row"]);
});

test("perf stat captured here (no hardware PMU): software events, seconds lines, program output ignored", () => {
  const r = perfStat(read(`${FIX}perf-stat-software.txt`));
  assert.deepEqual(values(r.rows, "sh -c echo program output"), {
    "task-clock": 0.98, "context-switches": 0, "cpu-migrations": 0, "page-faults": 63,
    wall_seconds: 0.00291835, user_seconds: 0.002191, system_seconds: 0,
  });
  assert.equal(r.warnings.length, 2); // cycles, instructions <not supported>
});

test("bad perf inputs: ParseError naming the file", () => {
  assert.throws(() => perfStat("\n", { source: "p.txt" }), (e: unknown) => e instanceof ParseError && /^p\.txt: empty/.test(e.message));
  assert.throws(
    () => perfStat("42 apples\nhello\n", { source: "p.txt" }),
    (e: unknown) => e instanceof ParseError && /no perf stat counters found/.test(e.message),
  );
});
