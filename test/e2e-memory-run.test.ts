// End to end: real valgrind, libjemalloc, GNU time and /proc sampling through runMemory / `litlab run memory`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { memoryCommand } from "../lib/cli/memoryCommand.js";
import type { MemoryTimelineRow } from "../lib/ingest/memoryRows.js";
import type { TidyRow } from "../lib/ingest/rows.js";
import { loadRun, readJsonLines, readManifest } from "../lib/store/runFolder.js";
import { runMemory } from "../lib/trigger/memoryRun.js";
import type { RssSample } from "../lib/trigger/rssSampler.js";
import { hasCommand, requireTool } from "./helpers/tools.js";

const ROOT = resolve(import.meta.dirname, "..");
const PY = "/usr/bin/python3";
// 1000 live objects of bytes(1000): at least 1,000,000 bytes of heap live at once
const ALLOC = [PY, "-c", "x=[bytes(1000) for _ in range(1000)]"];
const JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
const hasValgrind = hasCommand("valgrind");
const hasPython = existsSync(PY);
const newRoot = (): Promise<string> => mkdtemp(join(tmpdir(), "litlab-mem-e2e-"));
const stat = (rows: TidyRow[], s: string): number | undefined => rows.find((r) => r.stat === s)?.value;

test("dhat: valgrind writes raw/dhat.json, its summary goes to raw/valgrind.stderr.txt, the manifest says how", { timeout: 120_000 }, async (t) => {
  if (!requireTool(t, "valgrind", hasValgrind, "apt-get install valgrind") || !requireTool(t, "python3", hasPython)) return;
  const r = await runMemory({ tool: "dhat", command: ALLOC, runsRoot: await newRoot(), label: "py-alloc" });
  const m = await readManifest(r.dir);
  assert.equal(m.kind, "memory");
  assert.equal(m.status, "ok");
  assert.equal(m.targets[0]?.exitCode, 0);
  assert.match(m.memory?.toolVersion ?? "", /^valgrind-3\.\d+/);
  assert.deepEqual(m.memory?.argv, ["valgrind", "--tool=dhat", `--dhat-out-file=${join(r.dir, "raw/dhat.json")}`, "--", ...ALLOC]);
  assert.deepEqual(r.rawFiles, ["raw/dhat.json", "raw/valgrind.stderr.txt", "raw/stdout.txt"]);
  const dhat = JSON.parse(await readFile(join(r.dir, "raw/dhat.json"), "utf8")) as { dhatFileVersion: number; mode: string };
  assert.equal(dhat.dhatFileVersion, 2);
  assert.equal(dhat.mode, "heap");
  assert.match(await readFile(join(r.dir, "raw/valgrind.stderr.txt"), "utf8"), /At t-gmax: [\d,]+ bytes/);
  assert.match(r.manifest.id, /-memory-dhat-py-alloc$/);
  // the dhat parser exists: the tables are there and the peak holds the 1000 × 1000 bytes
  assert.equal(m.tables?.sites, "tables/sites.jsonl");
  const run = await loadRun(r.dir);
  assert.ok((stat(run.rows, "peak_bytes") ?? 0) >= 1_000_000, "peak below the 1 MB the program keeps live");
  assert.ok(run.rows.every((x) => x.id === "py-alloc"));
  assert.ok((await readJsonLines(join(r.dir, "tables/sites.jsonl"))).length > 0);
});

test("massif: raw/massif.out in ms, a timeline whose peak holds the 1 MB", { timeout: 120_000 }, async (t) => {
  if (!requireTool(t, "valgrind", hasValgrind, "apt-get install valgrind") || !requireTool(t, "python3", hasPython)) return;
  const r = await runMemory({ tool: "massif", command: ALLOC, runsRoot: await newRoot() });
  assert.equal(r.manifest.status, "ok");
  const text = await readFile(join(r.dir, "raw/massif.out"), "utf8");
  assert.match(text, /^time_unit: ms$/m);
  assert.match(text, /^cmd: \/usr\/bin\/python3 -c/m);
  const tl = await readJsonLines<MemoryTimelineRow>(join(r.dir, "tables/timeline.jsonl"));
  const peak = tl.find((x) => x.peak);
  assert.ok(peak && (peak.heap_bytes ?? 0) >= 1_000_000, `massif peak ${peak?.heap_bytes}`);
  assert.ok(tl.every((x) => x.tool === "massif" && x.t_unit === "ms"));
});

test("jemalloc: LD_PRELOAD of libjemalloc2, the JSON stats arrive in raw/jemalloc.stderr.txt", { timeout: 60_000 }, async (t) => {
  if (!requireTool(t, "libjemalloc2", existsSync(JEMALLOC), "apt-get install libjemalloc2") || !requireTool(t, "python3", hasPython)) return;
  // the program's own stderr line comes first, then jemalloc's JSON at exit: both land in the same file
  const cmd = [PY, "-c", "import sys; x=[bytes(1000) for _ in range(1000)]; sys.stderr.write('own-line\\n')"];
  const r = await runMemory({ tool: "jemalloc", command: cmd, runsRoot: await newRoot() });
  assert.equal(r.manifest.status, "ok");
  assert.deepEqual(r.manifest.memory?.env, { LD_PRELOAD: JEMALLOC, MALLOC_CONF: "stats_print:true,stats_print_opts:J" });
  assert.match(r.manifest.memory?.toolVersion ?? "", /^jemalloc 5\.\d+\.\d+/);
  const stderr = await readFile(join(r.dir, "raw/jemalloc.stderr.txt"), "utf8");
  assert.ok(stderr.startsWith("own-line\n"));
  const json = JSON.parse(stderr.slice(stderr.indexOf('{"jemalloc"'))) as { jemalloc: { stats: { allocated: number; active: number; resident: number } } };
  const s = json.jemalloc.stats;
  // jemalloc's own invariants: allocated ≤ active ≤ resident
  assert.ok(s.allocated > 0 && s.allocated <= s.active && s.active <= s.resident, JSON.stringify(s));
  assert.equal(r.manifest.memory?.notes?.some((n) => n.startsWith("no jemalloc statistics")) ?? false, false);
  // the parser separated the JSON from the program's line: its rows are the document's numbers
  const run = await loadRun(r.dir);
  assert.equal(stat(run.rows, "allocated_bytes"), s.allocated);
  assert.equal(stat(run.rows, "resident_bytes"), s.resident);
  assert.equal(r.manifest.tables?.bins, "tables/bins.jsonl");
  assert.ok((await readJsonLines(join(r.dir, "tables/bins.jsonl"))).length > 0);
});

test("jemalloc: a program that closes stderr before exit (GNU ls) gives no stats, and the manifest says so", { timeout: 60_000 }, async (t) => {
  if (!requireTool(t, "libjemalloc2", existsSync(JEMALLOC), "apt-get install libjemalloc2")) return;
  const r = await runMemory({ tool: "jemalloc", command: ["/bin/ls", "/"], runsRoot: await newRoot() });
  assert.equal(r.manifest.status, "ok");
  assert.equal(await readFile(join(r.dir, "raw/jemalloc.stderr.txt"), "utf8"), "");
  assert.ok(r.manifest.memory?.notes?.some((n) => /no jemalloc statistics on stderr/.test(n)));
  assert.equal(r.manifest.tables, null); // nothing to read, and the note says why
});

test("time: -v report in raw/time.txt, the program's stderr kept apart; non-zero exit is a failed run", { timeout: 60_000 }, async (t) => {
  if (!requireTool(t, "GNU time", existsSync("/usr/bin/time"), "apt-get install time") || !requireTool(t, "python3", hasPython)) return;
  const r = await runMemory({ tool: "time", command: [PY, "-c", "import sys; sys.stderr.write('prog' + '-stderr\\n'); sys.exit(3)"], runsRoot: await newRoot() });
  assert.equal(r.manifest.status, "failed");
  assert.equal(r.manifest.targets[0]?.exitCode, 3);
  const report = await readFile(join(r.dir, "raw/time.txt"), "utf8");
  assert.match(report, /Maximum resident set size \(kbytes\): \d+/);
  assert.match(report, /Exit status: 3/);
  assert.doesNotMatch(report, /prog-stderr/); // built at run time, so the "Command being timed" line cannot hold it
  assert.equal(await readFile(join(r.dir, "raw/stderr.txt"), "utf8"), "prog-stderr\n");
  assert.match(r.manifest.memory?.toolVersion ?? "", /GNU Time/);
  const maxRssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)![1]);
  const run = await loadRun(r.dir);
  assert.equal(stat(run.rows, "max_rss_bytes"), maxRssKb * 1024); // GNU time prints kB
});

test("rss: /proc sampling sees the 50 MB bytearray in the timeline", { timeout: 60_000 }, async (t) => {
  if (!requireTool(t, "python3", hasPython)) return;
  const cmd = [PY, "-c", "import time; x=bytearray(50_000_000); time.sleep(0.3)"];
  const r = await runMemory({ tool: "rss", command: cmd, runsRoot: await newRoot(), rssIntervalMs: 20 });
  assert.equal(r.manifest.status, "ok");
  assert.equal(r.manifest.memory?.intervalMs, 20);
  const samples = await readJsonLines<RssSample>(join(r.dir, "raw/rss.jsonl"));
  assert.ok(samples.length >= 5, `only ${samples.length} samples in 0.3 s at 20 ms`);
  assert.ok(samples.every((s) => Number.isInteger(s.pid) && s.vmrss_kb > 0));
  const tl = await readJsonLines<MemoryTimelineRow>(join(r.dir, "tables/timeline.jsonl"));
  const peak = Math.max(...tl.map((x) => x.rss_bytes ?? 0));
  assert.ok(peak >= 50_000_000, `peak RSS ${peak} B`);
  const run = await loadRun(r.dir);
  assert.equal(stat(run.rows, "peak_bytes"), peak);
});

test("rss: the tree includes children (sh starting two pythons), and a timeout kills the group", { timeout: 60_000 }, async (t) => {
  if (!requireTool(t, "python3", hasPython)) return;
  const root = await newRoot();
  const script = `${PY} -c 'import time; x=bytearray(30_000_000); time.sleep(0.4)' & ${PY} -c 'import time; x=bytearray(30_000_000); time.sleep(0.4)'; wait`;
  const r = await runMemory({ tool: "rss", command: ["/bin/sh", "-c", script], runsRoot: root });
  const tl = await readJsonLines<MemoryTimelineRow>(join(r.dir, "tables/timeline.jsonl"));
  // two 30 MB buffers live at once: only the sum over the tree can exceed 60 MB
  assert.ok(Math.max(...tl.map((x) => x.rss_bytes ?? 0)) >= 60_000_000);
  const slow = await runMemory({ tool: "rss", command: ["/bin/sh", "-c", "sleep 30"], runsRoot: root, timeoutMs: 500 });
  assert.equal(slow.manifest.status, "failed");
  assert.equal(slow.manifest.targets[0]?.status, "timeout");
  assert.ok(Date.parse(slow.manifest.endedAt!) - Date.parse(slow.manifest.startedAt) < 10_000);
});

/** The reference workload's pingpong bench binary, built offline with Debian's crates (a no-op when up to date). */
function pingpongBinary(): string | null {
  const ws = join(ROOT, "workloads/host-actors");
  const r = spawnSync("cargo", [
    "--config", 'source.crates-io.replace-with="debian"', "--config", 'source.debian.directory="/usr/share/cargo/registry"', "--offline",
    "bench", "--bench", "pingpong", "--no-run", "--message-format=json",
  ], { cwd: ws, encoding: "utf8", timeout: 20 * 60_000 });
  if (r.status !== 0) return null;
  for (const line of r.stdout.split("\n")) {
    const m = /"executable":"([^"]*\/pingpong-[0-9a-f]+)"/.exec(line);
    if (m) return m[1]!;
  }
  return null;
}

test("bench target: one Criterion benchmark in --profile-time mode under time, through the CLI", { timeout: 20 * 60_000 }, async (t) => {
  if (!requireTool(t, "cargo", hasCommand("cargo"))) return;
  if (!requireTool(t, "Debian Rust crates", existsSync("/usr/share/cargo/registry"), "apt-get install librust-criterion-dev librust-tokio-dev")) return;
  if (!requireTool(t, "GNU time", existsSync("/usr/bin/time"), "apt-get install time")) return;
  const exe = pingpongBinary();
  assert.ok(exe, "could not build the pingpong bench of workloads/host-actors");
  const root = await newRoot();
  const args = ["--tool", "time", "--runs", root, "--bench-target", exe, "--filter", "pingpong/std_thread/100", "--json"];
  let out = "";
  const write = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => { out += chunk; return true; }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  let code: number;
  try { code = await memoryCommand(args, ["run", "memory", ...args]); } finally { process.stdout.write = write; process.stderr.write = errWrite; }
  assert.equal(code, 0);
  const summary = JSON.parse(out) as { dir: string; status: string };
  const m = await readManifest(summary.dir);
  assert.equal(m.status, "ok");
  assert.deepEqual(m.memory?.command, [exe, "--bench", "--profile-time", "1", "pingpong/std_thread/100"]);
  assert.deepEqual(m.memory?.benchTarget, { executable: exe, filter: "pingpong/std_thread/100", profileSeconds: 1 });
  assert.equal(m.filter, "pingpong/std_thread/100");
  assert.deepEqual(m.command, ["litlab", "run", "memory", ...args]);
  assert.match(m.toolchain.rustc?.["release"] ?? "", /^\d+\.\d+/);
  // Criterion ran only the routine: profiling, then no analysis
  const stdout = await readFile(join(summary.dir, "raw/stdout.txt"), "utf8");
  assert.match(stdout, /Benchmarking pingpong\/std_thread\/100: Profiling for 1\.0000 s/);
  assert.match(stdout, /Complete \(Analysis Disabled\)/);
  assert.doesNotMatch(stdout, /tokio_single/);
  const report = await readFile(join(summary.dir, "raw/time.txt"), "utf8");
  assert.match(report, /Command being timed: ".*pingpong-[0-9a-f]+ --bench --profile-time 1 pingpong\/std_thread\/100"/);
  assert.match(report, /Maximum resident set size \(kbytes\): \d+/);
});
