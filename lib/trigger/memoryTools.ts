/**
 * How each memory profiler is invoked: pure argv/env builders (unit-tested) plus the thin probes that find a tool
 * on this machine. `runMemory` (memoryRun.ts) puts them together.
 */
import { constants } from "node:fs";
import { access, realpath, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { LitlabError } from "../errors.js";
import { probe } from "./process.js";

export type MemoryCaptureTool = "dhat" | "massif" | "jemalloc" | "time" | "rss";
export const MEMORY_TOOLS: readonly MemoryCaptureTool[] = ["dhat", "massif", "jemalloc", "time", "rss"];

/** Raw file names inside `raw/`, fixed per tool so readers and reindex can find them. */
export const MEMORY_RAW = {
  dhat: "raw/dhat.json",
  massif: "raw/massif.out",
  valgrindStderr: "raw/valgrind.stderr.txt",
  jemallocStderr: "raw/jemalloc.stderr.txt",
  time: "raw/time.txt",
  rss: "raw/rss.jsonl",
  stdout: "raw/stdout.txt",
  stderr: "raw/stderr.txt",
} as const;

export interface BenchTarget {
  /** A built Criterion bench binary (target/release/deps/NAME-HASH). */
  executable: string;
  /** Criterion's filter (a regex substring: anchor it with `$` to pick one benchmark). */
  filter: string;
  /** Seconds of `--profile-time` (default 1). */
  profileSeconds?: number;
}

/**
 * The command that profiles ONE Criterion benchmark: `--profile-time` runs only the routine for that long,
 * with no warm-up analysis, no statistics and no report (checked with criterion 0.3.6: `--bench --profile-time 1
 * FILTER` prints `Profiling for 1.0000 s` then `Complete (Analysis Disabled)`). Criterion 0.3 wants whole seconds.
 */
export function benchTargetCommand(t: BenchTarget): string[] {
  const secs = t.profileSeconds ?? 1;
  if (!Number.isInteger(secs) || secs < 1) {
    throw new LitlabError("usage", `profile time must be a whole number of seconds ≥ 1 (Criterion 0.3 parses it as u64), got ${secs}`);
  }
  return [t.executable, "--bench", "--profile-time", String(secs), t.filter];
}

export interface Invocation {
  /** The program actually started (valgrind, /usr/bin/time, or the command itself). */
  program: string;
  args: string[];
  /** Variables added to the inherited environment (recorded in the manifest). */
  env: Record<string, string>;
  /** Raw files the run writes, relative to the run folder; the first ones are the tool's own output. */
  rawFiles: string[];
  /** Where the program's stderr is saved (for valgrind/jemalloc it also carries the tool's output). */
  stderrFile: string;
}

/**
 * argv and environment for one tool. `runDir` is absolute: valgrind and time write their files there whatever the
 * program's cwd is. `jemallocPath` is required for `jemalloc`.
 */
export function buildInvocation(
  tool: MemoryCaptureTool,
  command: readonly string[],
  runDir: string,
  options: { jemallocPath?: string; massifStacks?: boolean } = {},
): Invocation {
  if (command.length === 0 || !command[0]) throw new LitlabError("usage", "run memory: no command to profile (put it after --)");
  const cmd = [...command];
  const abs = (f: string): string => join(runDir, f);
  switch (tool) {
    case "dhat":
      return {
        program: "valgrind", args: ["--tool=dhat", `--dhat-out-file=${abs(MEMORY_RAW.dhat)}`, "--", ...cmd], env: {},
        rawFiles: [MEMORY_RAW.dhat, MEMORY_RAW.valgrindStderr, MEMORY_RAW.stdout], stderrFile: MEMORY_RAW.valgrindStderr,
      };
    case "massif":
      return {
        program: "valgrind",
        args: ["--tool=massif", `--massif-out-file=${abs(MEMORY_RAW.massif)}`, "--time-unit=ms", `--stacks=${options.massifStacks ? "yes" : "no"}`, "--", ...cmd],
        env: {}, rawFiles: [MEMORY_RAW.massif, MEMORY_RAW.valgrindStderr, MEMORY_RAW.stdout], stderrFile: MEMORY_RAW.valgrindStderr,
      };
    case "jemalloc": {
      if (!options.jemallocPath) throw new LitlabError("tool-missing", "libjemalloc is not installed: apt-get install libjemalloc2");
      return {
        program: cmd[0]!, args: cmd.slice(1),
        // J = JSON; the whole document goes to fd 2 at exit (jemalloc has no option to write it to a file)
        env: { LD_PRELOAD: options.jemallocPath, MALLOC_CONF: "stats_print:true,stats_print_opts:J" },
        rawFiles: [MEMORY_RAW.jemallocStderr, MEMORY_RAW.stdout], stderrFile: MEMORY_RAW.jemallocStderr,
      };
    }
    case "time":
      // -o keeps time's report out of the program's stderr
      return {
        program: "/usr/bin/time", args: ["-v", "-o", abs(MEMORY_RAW.time), ...cmd], env: {},
        rawFiles: [MEMORY_RAW.time, MEMORY_RAW.stdout, MEMORY_RAW.stderr], stderrFile: MEMORY_RAW.stderr,
      };
    case "rss":
      return {
        program: cmd[0]!, args: cmd.slice(1), env: {},
        rawFiles: [MEMORY_RAW.rss, MEMORY_RAW.stdout, MEMORY_RAW.stderr], stderrFile: MEMORY_RAW.stderr,
      };
  }
}

/** The multiarch directory Debian keeps shared libraries in, for this Node's architecture. */
function multiarchDir(): string | null {
  const triplet: Partial<Record<string, string>> = { x64: "x86_64-linux-gnu", arm64: "aarch64-linux-gnu", arm: "arm-linux-gnueabihf", riscv64: "riscv64-linux-gnu" };
  const t = triplet[process.arch];
  return t ? `/usr/lib/${t}` : null;
}

/** `ldconfig -p` text → the path of libjemalloc.so.2 (null if it is not listed). */
export function jemallocFromLdconfig(text: string): string | null {
  for (const line of text.split("\n")) {
    const m = /^\s*libjemalloc\.so\.2\s.*=>\s*(\S+)\s*$/.exec(line);
    if (m) return m[1]!;
  }
  return null;
}

const isFile = async (p: string, mode = constants.R_OK): Promise<boolean> =>
  (await stat(p).then((s) => s.isFile(), () => false)) && access(p, mode).then(() => true, () => false);

/** Debian's libjemalloc2 path, or the one ldconfig knows; throws `tool-missing` when there is none. */
export async function findJemalloc(): Promise<string> {
  const dir = multiarchDir();
  if (dir && (await isFile(join(dir, "libjemalloc.so.2")))) return join(dir, "libjemalloc.so.2");
  for (const ldconfig of ["ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"]) {
    const out = await probe(ldconfig, ["-p"]);
    const found = out === null ? null : jemallocFromLdconfig(out);
    if (found && (await isFile(found))) return found;
  }
  throw new LitlabError("tool-missing", "libjemalloc is not installed: apt-get install libjemalloc2");
}

/**
 * Finds `cmd` the way execvp would (a name with a `/` is a path from `cwd`); null when there is no such executable.
 * Checked before starting a wrapper: valgrind or time would otherwise report a missing program in their own words.
 */
export async function resolveExecutable(cmd: string, cwd: string, pathEnv = process.env["PATH"] ?? ""): Promise<string | null> {
  if (cmd.includes("/")) {
    const p = isAbsolute(cmd) ? cmd : resolve(cwd, cmd);
    return (await isFile(p, constants.X_OK)) ? p : null;
  }
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    if (await isFile(p, constants.X_OK)) return p;
  }
  return null;
}

/** `valgrind --version` → `valgrind-3.19.0`; GNU time's first line; jemalloc: the library's real file name. */
export async function toolVersion(tool: MemoryCaptureTool, jemallocPath?: string): Promise<string | null> {
  switch (tool) {
    case "dhat": case "massif": return probe("valgrind", ["--version"]);
    case "time": {
      const v = await probe("/usr/bin/time", ["--version"]);
      return v === null ? null : v.split("\n")[0]!.trim();
    }
    case "jemalloc": return jemallocPath ? `${await realpath(jemallocPath).catch(() => jemallocPath)}` : null;
    case "rss": return "litlab /proc sampler";
  }
}

/** Is the tool itself there? Throws `tool-missing` with the apt line. */
export async function requireCaptureTool(tool: MemoryCaptureTool): Promise<void> {
  if (tool === "dhat" || tool === "massif") {
    if ((await probe("valgrind", ["--version"])) === null) throw new LitlabError("tool-missing", "valgrind is not installed: apt-get install valgrind");
  } else if (tool === "time") {
    if (!(await isFile("/usr/bin/time", constants.X_OK))) throw new LitlabError("tool-missing", "GNU time is not installed (/usr/bin/time): apt-get install time");
  } else if (tool === "rss") {
    if (!(await isFile("/proc/self/status"))) throw new LitlabError("tool-missing", "rss sampling needs Linux /proc (no /proc/self/status here)");
  }
}

/** The jemalloc version from its JSON stats (`"version":"5.3.0-0-g54ea…"`), if the stderr holds them. */
export function jemallocVersionIn(stderr: string): string | null {
  const m = /\{"jemalloc":\s*\{\s*"version":\s*"([^"]+)"/.exec(stderr);
  return m ? m[1]! : null;
}
