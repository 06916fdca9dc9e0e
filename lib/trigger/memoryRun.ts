/**
 * `litlab run memory`: run one program (or one Criterion benchmark) under a memory profiler and keep everything as
 * a run folder: manifest.json (kind `memory`), the profiler's raw output under raw/, and the tables read from it.
 */
import { randomBytes } from "node:crypto";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { LitlabError } from "../errors.js";
import { gitState, hostInfo, toolchainInfo } from "../capture/environment.js";
import { MANIFEST_SCHEMA_VERSION, type RunManifest } from "../capture/manifest.js";
import { createRunFolder, runId, RUN_LAYOUT, writeManifest } from "../store/runFolder.js";
import { writeJsonLinesAtomic } from "../store/atomic.js";
import { LITLAB_VERSION } from "../version.js";
import { JEMALLOC_BINS_TABLE, MEMORY_TABLES, writeMemoryTables } from "./memoryTables.js";
import {
  benchTargetCommand, buildInvocation, findJemalloc, jemallocVersionIn, MEMORY_RAW, MEMORY_TOOLS, requireCaptureTool,
  resolveExecutable, toolVersion, type BenchTarget, type MemoryCaptureTool,
} from "./memoryTools.js";
import { runProcess } from "./process.js";
import { RssSampler } from "./rssSampler.js";

export interface MemoryRunOptions {
  tool: MemoryCaptureTool;
  /** The program and its arguments (argv, never a shell string). Leave empty with `benchTarget`. */
  command: string[];
  label?: string;
  /** Where run folders go (default `./data/runs`). */
  runsRoot?: string;
  /** The program's working directory (default: litlab's). */
  cwd?: string;
  /** The whole process group is killed after this (default 30 min). */
  timeoutMs?: number;
  /** rss: sampling interval (default 20 ms). */
  rssIntervalMs?: number;
  /** massif: also profile stacks (`--stacks=yes`, much slower). */
  massifStacks?: boolean;
  /** Profile ONE Criterion benchmark: its binary runs with `--bench --profile-time S FILTER`. */
  benchTarget?: BenchTarget;
  /** Progress lines and the program's output, one line at a time. */
  onEvent?: (line: string) => void;
  /** The litlab command line, recorded in the manifest. */
  litlabCommand?: string[];
}

export interface MemoryRunResult {
  dir: string;
  manifest: RunManifest;
  /** Raw files written, relative to the run folder. */
  rawFiles: string[];
}

const RSS_MARKER = "LITLAB_RSS_MARKER";

export async function runMemory(options: MemoryRunOptions): Promise<MemoryRunResult> {
  const emit = options.onEvent ?? (() => {});
  const tool = options.tool;
  if (!MEMORY_TOOLS.includes(tool)) throw new LitlabError("usage", `run memory: unknown tool ${JSON.stringify(tool)} (one of ${MEMORY_TOOLS.join(", ")})`);
  if (options.benchTarget && options.command.length > 0) {
    throw new LitlabError("usage", "run memory: give either a command (after --) or a bench target, not both");
  }
  const command = options.benchTarget ? benchTargetCommand(options.benchTarget) : [...options.command];
  if (command.length === 0 || !command[0]) throw new LitlabError("usage", "run memory: no command to profile (put it after --, or use --bench-target EXE --filter ID)");
  const cwd = resolve(options.cwd ?? process.cwd());
  const rssInterval = options.rssIntervalMs ?? 20;
  if (tool === "rss" && !(Number.isFinite(rssInterval) && rssInterval >= 1)) throw new LitlabError("usage", `run memory: the rss interval must be ≥ 1 ms (got ${rssInterval})`);

  await requireCaptureTool(tool);
  const jemallocPath = tool === "jemalloc" ? await findJemalloc() : undefined;
  // checked up front: under valgrind or time a missing program would only show up in the tool's own words
  if ((await resolveExecutable(command[0]!, cwd)) === null) {
    throw options.benchTarget
      ? new LitlabError("not-found", `bench binary ${command[0]} does not exist or is not executable (build it with \`cargo bench --no-run\`; it is in target/release/deps/)`, { file: command[0]! })
      : new LitlabError("not-found", `${command[0]}: no such program (not an executable file, not on PATH)`, { file: command[0]! });
  }

  const idBase = options.benchTarget ? options.benchTarget.filter.replace(/\$$/, "") : basename(command[0]!);
  const rowId = options.label ?? idBase;
  const { dir, id } = await createRunFolder(resolve(options.runsRoot ?? "data/runs"), runId("memory", `${tool}-${options.label ?? idBase}`), { criterionHome: !!options.benchTarget });
  await mkdir(join(dir, RUN_LAYOUT.raw), { recursive: true }); // valgrind and time write into it
  const inv = buildInvocation(tool, command, dir, { ...(jemallocPath ? { jemallocPath } : {}), ...(options.massifStacks ? { massifStacks: true } : {}) });
  const env: Record<string, string> = { ...inv.env };
  // Criterion writes nothing in --profile-time mode (checked with 0.3.6), but keep it inside the run folder anyway
  if (options.benchTarget) env["CRITERION_HOME"] = join(dir, RUN_LAYOUT.criterionHome);
  const marker = `${RSS_MARKER}=${id}-${randomBytes(4).toString("hex")}`;
  if (tool === "rss") env[RSS_MARKER] = marker.slice(RSS_MARKER.length + 1);
  const argv = [inv.program, ...inv.args];
  const notes: string[] = [];

  const startedAt = new Date().toISOString();
  const manifest: RunManifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION, id, kind: "memory", label: options.label ?? null,
    command: options.litlabCommand ?? ["litlab", "run", "memory", "--tool", tool, "--", ...command],
    workspace: null, package: null, profile: null, filter: options.benchTarget?.filter ?? null,
    criterionVersion: null, criterionFlags: options.benchTarget ? command.slice(1, -1) : [],
    git: await gitState(cwd),
    toolchain: options.benchTarget ? await toolchainInfo(cwd) : { rustc: null, cargo: null },
    host: hostInfo(), litlabVersion: LITLAB_VERSION, startedAt, endedAt: null, status: "running",
    targets: [], tables: null, criterionHome: options.benchTarget ? RUN_LAYOUT.criterionHome : null,
    memory: {
      tool, command, argv, toolVersion: await toolVersion(tool, jemallocPath), env, rawFiles: inv.rawFiles, cwd,
      ...(tool === "rss" ? { intervalMs: rssInterval } : {}),
      ...(options.benchTarget ? { benchTarget: { ...options.benchTarget, profileSeconds: options.benchTarget.profileSeconds ?? 1 } } : {}),
    },
    owner: { pid: process.pid, hostname: hostInfo().hostname }, // lets `litlab runs` tell a killed run from a live one
  };
  await writeManifest(dir, manifest);

  emit(`▶ ${argv.join(" ")}`);
  const sampler = tool === "rss" ? new RssSampler(marker, rssInterval) : null;
  sampler?.start();
  let result;
  try {
    result = await runProcess(inv.program, inv.args, {
      cwd, env, timeoutMs: options.timeoutMs ?? 30 * 60_000,
      // jemalloc's stats arrive as one ~50 KB JSON line: it is kept in raw/, a terminal only needs to know it came
      onStdoutLine: (l) => emit(l), onStderrLine: (l) => emit(l.length > 2000 ? `${l.slice(0, 120)}… (${l.length} characters, kept in raw/)` : l),
    });
  } catch (e) {
    await sampler?.stop();
    manifest.status = "failed";
    manifest.endedAt = new Date().toISOString();
    await writeManifest(dir, manifest);
    throw e;
  }
  const samples = sampler ? await sampler.stop() : [];
  await writeFile(join(dir, MEMORY_RAW.stdout), result.stdout);
  await writeFile(join(dir, inv.stderrFile), result.stderr);
  if (tool === "rss") await writeJsonLinesAtomic(join(dir, MEMORY_RAW.rss), samples);

  if (tool === "jemalloc") {
    const version = jemallocVersionIn(result.stderr);
    if (version) manifest.memory!.toolVersion = `jemalloc ${version} (${manifest.memory!.toolVersion})`;
    if (version) notes.push("jemalloc's figures are the allocator's state at exit, after the program freed what it freed: to measure a live heap, keep the subject alive at exit (hold-actors --stop false)");
    else notes.push("no jemalloc statistics on stderr: the program may use its own allocator (a Rust #[global_allocator] is not replaced by LD_PRELOAD), be statically linked, exit with _exit/abort, or close stderr before exit (GNU coreutils such as ls do)");
  }
  if (result.timedOut) notes.push(`timed out after ${options.timeoutMs ?? 30 * 60_000} ms: the process group was killed`);
  const status = result.timedOut ? "timeout" : result.exitCode === 0 ? "ok" : "failed";
  manifest.targets = [{
    name: rowId, harness: "memory", status, exitCode: result.exitCode, command: argv, startedAt: result.startedAt, endedAt: result.endedAt,
    stdout: MEMORY_RAW.stdout, stderr: inv.stderrFile,
    ...(result.signal ? { note: `ended by ${result.signal}` } : {}),
  }];
  emit(`${status === "ok" ? "✔" : "✖"} ${tool}: ${status}${result.exitCode ? ` (exit ${result.exitCode})` : ""} in ${(result.durationMs / 1000).toFixed(1)} s`);

  const tables = await writeMemoryTables(dir, tool, rowId);
  notes.push(...tables.notes);
  if (tables.result) manifest.tables = { ...MEMORY_TABLES, ...(tool === "jemalloc" ? { bins: JEMALLOC_BINS_TABLE } : {}) };
  if (notes.length) manifest.memory!.notes = notes;
  manifest.status = status === "ok" ? "ok" : "failed";
  manifest.endedAt = new Date().toISOString();
  await writeManifest(dir, manifest);
  for (const n of notes) emit(`note: ${n}`);
  emit(`stored run ${id}${tables.result ? ` (${tables.result.rows.length} rows, ${tables.result.timeline.length} timeline, ${tables.result.sites.length} sites)` : ""} in ${dir}`);
  const written = [];
  for (const f of inv.rawFiles) if (await stat(join(dir, f)).then(() => true, () => false)) written.push(f);
  return { dir, manifest, rawFiles: written };
}
