import assert from "node:assert/strict";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { memoryCommand } from "../lib/cli/memoryCommand.js";
import { LitlabError } from "../lib/errors.js";
import { runMemory } from "../lib/trigger/memoryRun.js";
import {
  benchTargetCommand, buildInvocation, jemallocFromLdconfig, jemallocVersionIn, requireCaptureTool, resolveExecutable,
} from "../lib/trigger/memoryTools.js";
import {
  parseChildren, parseProcStatPpid, parseProcStatus, processTree, rssSummaryRows, rssTimeline, type RssSample,
} from "../lib/trigger/rssSampler.js";

const RUN = "/runs/r1";
const CMD = ["/usr/bin/python3", "-c", "x=1"];

test("buildInvocation: dhat writes its JSON into raw/ and separates the command with --", () => {
  const inv = buildInvocation("dhat", CMD, RUN);
  assert.equal(inv.program, "valgrind");
  assert.deepEqual(inv.args, ["--tool=dhat", "--dhat-out-file=/runs/r1/raw/dhat.json", "--", ...CMD]);
  assert.deepEqual(inv.env, {});
  assert.equal(inv.stderrFile, "raw/valgrind.stderr.txt");
  assert.deepEqual(inv.rawFiles, ["raw/dhat.json", "raw/valgrind.stderr.txt", "raw/stdout.txt"]);
});

test("buildInvocation: massif in ms, stacks off unless asked", () => {
  assert.deepEqual(buildInvocation("massif", CMD, RUN).args,
    ["--tool=massif", "--massif-out-file=/runs/r1/raw/massif.out", "--time-unit=ms", "--stacks=no", "--", ...CMD]);
  assert.ok(buildInvocation("massif", CMD, RUN, { massifStacks: true }).args.includes("--stacks=yes"));
});

test("buildInvocation: jemalloc runs the command itself with LD_PRELOAD and JSON stats; needs the library", () => {
  const inv = buildInvocation("jemalloc", CMD, RUN, { jemallocPath: "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2" });
  assert.equal(inv.program, "/usr/bin/python3");
  assert.deepEqual(inv.args, ["-c", "x=1"]);
  assert.deepEqual(inv.env, { LD_PRELOAD: "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", MALLOC_CONF: "stats_print:true,stats_print_opts:J" });
  assert.equal(inv.stderrFile, "raw/jemalloc.stderr.txt");
  assert.throws(() => buildInvocation("jemalloc", CMD, RUN), (e: unknown) => e instanceof LitlabError && e.code === "tool-missing" && /apt-get install libjemalloc2/.test(e.message));
});

test("buildInvocation: time -v -o keeps its report apart from the program's stderr; rss runs the command as is", () => {
  const t = buildInvocation("time", CMD, RUN);
  assert.equal(t.program, "/usr/bin/time");
  assert.deepEqual(t.args, ["-v", "-o", "/runs/r1/raw/time.txt", ...CMD]);
  assert.equal(t.stderrFile, "raw/stderr.txt");
  const r = buildInvocation("rss", CMD, RUN);
  assert.deepEqual([r.program, ...r.args], CMD);
  assert.deepEqual(r.rawFiles, ["raw/rss.jsonl", "raw/stdout.txt", "raw/stderr.txt"]);
  assert.throws(() => buildInvocation("rss", [], RUN), /no command to profile/);
});

test("benchTargetCommand: --bench --profile-time S FILTER, whole seconds only (Criterion 0.3 parses u64)", () => {
  assert.deepEqual(benchTargetCommand({ executable: "/t/deps/pingpong-abc", filter: "pingpong/std_thread/100" }),
    ["/t/deps/pingpong-abc", "--bench", "--profile-time", "1", "pingpong/std_thread/100"]);
  assert.deepEqual(benchTargetCommand({ executable: "b", filter: "x$", profileSeconds: 3 }), ["b", "--bench", "--profile-time", "3", "x$"]);
  assert.throws(() => benchTargetCommand({ executable: "b", filter: "x", profileSeconds: 0.5 }), /whole number of seconds/);
});

test("jemallocFromLdconfig reads the ldconfig -p line; jemallocVersionIn reads the JSON header", () => {
  // lines as `ldconfig -p` prints them on Debian 12 (tab-indented)
  const text = "412 libs found in cache `/etc/ld.so.cache'\n\tlibjemalloc.so.2 (libc6,x86-64) => /lib/x86_64-linux-gnu/libjemalloc.so.2\n\tlibjbig.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libjbig.so.0\n";
  assert.equal(jemallocFromLdconfig(text), "/lib/x86_64-linux-gnu/libjemalloc.so.2");
  assert.equal(jemallocFromLdconfig("\tlibjemalloc.so (libc6,x86-64) => /x/libjemalloc.so\n"), null);
  assert.equal(jemallocVersionIn('program noise\n{"jemalloc":{"version":"5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c","config":{}}}'), "5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c");
  assert.equal(jemallocVersionIn("no stats here"), null);
});

// A hand-made /proc/PID/status in the kernel's layout (6.x: `Key:\tvalue`, memory in kB with padding)
const STATUS = [
  "Name:\tmemprog", "Umask:\t0022", "State:\tS (sleeping)", "Tgid:\t4242", "Ngid:\t0", "Pid:\t4242", "PPid:\t4200",
  "TracerPid:\t0", "VmPeak:\t  108216 kB", "VmSize:\t  108216 kB", "VmLck:\t       0 kB", "VmHWM:\t   52760 kB",
  "VmRSS:\t   51234 kB", "RssAnon:\t   49016 kB", "Threads:\t1", "",
].join("\n");

test("parseProcStatus: VmRSS/VmHWM in kB, pid and ppid; zombies have no VmRSS", () => {
  assert.deepEqual(parseProcStatus(STATUS), { name: "memprog", pid: 4242, ppid: 4200, vmrss_kb: 51234, vmhwm_kb: 52760 });
  // a zombie's status stops after the signal masks: no Vm* lines at all
  assert.deepEqual(parseProcStatus("Name:\tsh\nState:\tZ (zombie)\nPid:\t77\nPPid:\t1\n"), { name: "sh", pid: 77, ppid: 1, vmrss_kb: null, vmhwm_kb: null });
});

test("parseProcStatPpid counts fields from the last ')' (the command name may hold spaces and parens)", () => {
  assert.equal(parseProcStatPpid("4242 (memprog) S 4200 4242 4200 0 -1 4194304 118 0 0 0"), 4200);
  assert.equal(parseProcStatPpid("99 (a) b (c) R 17 99 99 0 -1"), 17);
  assert.equal(parseProcStatPpid("garbage"), null);
});

test("parseChildren reads /proc/PID/task/TID/children (space-separated, trailing space)", () => {
  assert.deepEqual(parseChildren("3384 3390 "), [3384, 3390]);
  assert.deepEqual(parseChildren(""), []);
});

test("processTree: the root and every descendant, nothing else", () => {
  const parents = new Map([[10, 1], [11, 10], [12, 10], [13, 11], [20, 1], [21, 20]]);
  assert.deepEqual(processTree(10, parents).sort(), [10, 11, 12, 13]);
  assert.deepEqual(processTree(21, parents), [21]);
});

test("rssTimeline sums the tree per tick and marks the peak tick; rssSummaryRows reports it in bytes", () => {
  const samples: RssSample[] = [
    { t_ms: 0, pid: 10, vmrss_kb: 1000, vmhwm_kb: 1000 },
    { t_ms: 20, pid: 10, vmrss_kb: 1500, vmhwm_kb: 1500 },
    { t_ms: 20, pid: 11, vmrss_kb: 700, vmhwm_kb: 700 },   // 1500 + 700 = 2200 kB: the peak tick
    { t_ms: 40, pid: 10, vmrss_kb: 1200, vmhwm_kb: 1600 }, // the kernel saw 1600 kB between ticks
  ];
  const tl = rssTimeline(samples, { id: "prog" });
  assert.deepEqual(tl.map((r) => [r.index, r.t, r.rss_bytes, r.peak]), [[0, 0, 1000 * 1024, false], [1, 20, 2200 * 1024, true], [2, 40, 1200 * 1024, false]]);
  assert.equal(tl[0]!.tool, "rss");
  assert.equal(tl[0]!.t_unit, "ms");
  assert.equal(tl[0]!.source, "raw/rss.jsonl");
  const rows = rssSummaryRows(samples, { id: "prog" });
  const v = (stat: string): number | undefined => rows.find((r) => r.stat === stat)?.value;
  assert.equal(v("peak_bytes"), 2200 * 1024);
  assert.equal(v("hwm_bytes"), 1600 * 1024);
  assert.equal(v("samples"), 3);
  assert.equal(v("processes"), 2);
  assert.ok(rows.every((r) => r.metric === "rss" && r.id === "prog" && r.group === "prog"));
  assert.deepEqual(rssSummaryRows([], { id: "prog" }), []);
});

test("resolveExecutable: PATH lookup like execvp, paths relative to cwd, null when absent", async () => {
  assert.equal(await resolveExecutable("sh", "/", "/nonexistent:/bin"), "/bin/sh");
  assert.equal(await resolveExecutable("no-such-program-xyz", "/", "/bin:/usr/bin"), null);
  assert.equal(await resolveExecutable("./sh", "/bin"), "/bin/sh");
  const dir = await mkdtemp(join(tmpdir(), "litlab-exe-"));
  await writeFile(join(dir, "data.txt"), "x", { mode: 0o644 });
  assert.equal(await resolveExecutable(join(dir, "data.txt"), "/"), null); // exists, not executable
  assert.equal(await resolveExecutable(dir, "/"), null); // a directory is not a program
});

test("a missing valgrind is tool-missing with the apt line", async () => {
  const saved = process.env["PATH"];
  process.env["PATH"] = "/nonexistent";
  try {
    await assert.rejects(requireCaptureTool("dhat"), (e: unknown) => e instanceof LitlabError && e.code === "tool-missing" && e.message === "valgrind is not installed: apt-get install valgrind");
  } finally {
    process.env["PATH"] = saved;
  }
});

test("a command that does not exist is one error and leaves no run folder", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-mem-"));
  await assert.rejects(runMemory({ tool: "rss", command: ["no-such-program-xyz"], runsRoot: root }),
    (e: unknown) => e instanceof LitlabError && e.code === "not-found" && e.message === "no-such-program-xyz: no such program (not an executable file, not on PATH)");
  await assert.rejects(runMemory({ tool: "time", command: [], runsRoot: root, benchTarget: { executable: "/nonexistent/pingpong-x", filter: "a" } }), /bench binary \/nonexistent\/pingpong-x does not exist/);
  assert.deepEqual(await readdir(root), []);
});

test("memoryCommand: usage mistakes are one-line usage errors before anything runs", async () => {
  const usage = (args: string[], re: RegExp): Promise<void> => assert.rejects(memoryCommand(args, ["run", "memory", ...args]), (e: unknown) => e instanceof LitlabError && e.code === "usage" && re.test(e.message));
  await usage(["--", "/bin/true"], /--tool is required/);
  await usage(["--tool", "heaptrack", "--", "/bin/true"], /--tool must be one of dhat, massif, jemalloc, time, rss/);
  await usage(["--tool", "time"], /no command to profile/);
  await usage(["--tool", "time", "/bin/true"], /unexpected "\/bin\/true"; put the command after --/);
  await usage(["--tool", "time", "--bench-target", "/x"], /needs --filter/);
  await usage(["--tool", "time", "--filter", "a", "--", "/bin/true"], /go with --bench-target/);
  await usage(["--tool", "rss", "--interval", "0", "--", "/bin/true"], /--interval must be a number ≥ 1/);
  await usage(["--tool", "time", "--bench-target", "/x", "--filter", "a", "--", "/bin/true"], /not both/);
});
