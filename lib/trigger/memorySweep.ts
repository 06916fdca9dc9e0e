/**
 * `litlab run sweep`: memory per actor on the reference workload. Builds memory-subjects, runs `hold-actors` for
 * every runtime × actor count × method as a memory run (lib/trigger/memoryRun.ts), and fits heap = a + b·N per
 * runtime × method (lib/analyze/memoryPerActor.ts): b is the cost of one more actor.
 *
 * Two methods measure the same heap two ways, so they check each other (issue 4: they should agree within 10 %):
 * - `dhat`: valgrind DHAT's heap at the global peak (t-gmax, `peak_bytes`): bytes the program asked for;
 * - `jemalloc`: jemalloc's `allocated_bytes − tcache_bytes` printed at exit, with `--stop false` so the actors are
 *   still alive. Regions parked in thread caches count as allocated for jemalloc but are not the program's: on
 *   this workload they add 40-250 kB of noise per run (R² 0.9997 instead of 1.0000), and about 36 kB per thread
 *   for std_thread actors.
 *
 * One sweep is a folder `<runsRoot>/<stamp>-sweep-<label>/` holding sweep.json (what ran, member run ids),
 * points.jsonl (one line per measurement), fits.json (the fits and the methods' agreement), and the member run
 * folders under runs/ (kept out of runsRoot's own listing: a folder without manifest.json is not a run).
 */
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { LitlabError } from "../errors.js";
import { memoryPerActor, type ActorMemoryFit, type MemoryFitOptions } from "../analyze/memoryPerActor.js";
import type { TidyRow } from "../ingest/rows.js";
import { writeJsonAtomic, writeJsonLinesAtomic } from "../store/atomic.js";
import { readJsonLines, RUN_LAYOUT, runId } from "../store/runFolder.js";
import { PROJECT_ROOT, LITLAB_VERSION } from "../version.js";
import { hostInfo } from "../capture/environment.js";
import { offlineRegistryArgs } from "./hostRun.js";
import { runMemory } from "./memoryRun.js";
import { runProcess } from "./process.js";

export const SWEEP_RUNTIMES = ["tokio_single", "tokio_multi", "futures_lite", "std_thread"] as const;
export const SWEEP_METHODS = ["dhat", "jemalloc"] as const;
export type SweepMethod = (typeof SWEEP_METHODS)[number];
/**
 * Counts spanning 333× (memoryPerActor wants ≥ 4 points spanning ≥ 100×). 30 is there for std_thread under DHAT,
 * which stops at VALGRIND_THREAD_CAP: 30…3000 still spans 100×.
 */
export const DEFAULT_SWEEP_ACTORS = [30, 100, 300, 1000, 3000, 10000];
/**
 * std_thread actors are OS threads; valgrind runs at most 500 threads unless told (`--max-threads`), and each one
 * costs it about 1 MB: measured on 2 cores, 3000 threads took 6 s and 3.1 GB, 10 000 took 24 s and 5.3 GB.
 */
export const VALGRIND_THREAD_CAP = 3000;
const DEBIAN_REGISTRY = "/usr/share/cargo/registry";

/** Which summary rows each method reads (the figure is the first minus the others), and what it means. */
export const SWEEP_METHOD_STAT: Record<SweepMethod, { metric: string; stat: string; minus: string[]; what: string }> = {
  dhat: { metric: "heap", stat: "peak_bytes", minus: [], what: "DHAT heap at the global peak (t-gmax): bytes requested" },
  jemalloc: {
    metric: "jemalloc", stat: "allocated_bytes", minus: ["tcache_bytes"],
    what: "jemalloc allocated − thread-cached bytes at exit, actors still alive (--stop false): bytes rounded up to size classes",
  },
};

/** A method's figure from a member run's summary rows, or null when a row is missing. */
export function sweepFigure(rows: readonly TidyRow[], method: SweepMethod): number | null {
  const want = SWEEP_METHOD_STAT[method];
  const value = (stat: string): number | null => {
    const r = rows.find((x) => x.metric === want.metric && x.stat === stat);
    return r && Number.isFinite(r.value) ? r.value : null;
  };
  let v = value(want.stat);
  for (const m of want.minus) {
    const sub = value(m);
    v = v === null || sub === null ? null : v - sub;
  }
  return v;
}

export interface SweepPoint {
  runtime: string;
  actors: number;
  bytes: number;
  method: SweepMethod;
  /** The member run (folder under the sweep's runs/) this figure comes from. */
  run: string;
}

/** dhat slope / jemalloc slope per runtime; `agree` when |ratio − 1| ≤ tolerance. */
export interface MethodAgreement {
  runtime: string;
  dhat: number | null;
  jemalloc: number | null;
  ratio: number | null;
  agree: boolean | null;
  tolerance: number;
}

/** What every sweep folder's sweep.json says, whatever is swept (actors, queued messages). */
export interface SweepManifestBase {
  id: string;
  label: string;
  workspace: string;
  program: string;
  programArgs: string[];
  runtimes: string[];
  methods: SweepMethod[];
  methodStats: typeof SWEEP_METHOD_STAT;
  host: ReturnType<typeof hostInfo>;
  litlabVersion: string;
  startedAt: string;
  endedAt: string | null;
  status: "running" | "ok" | "partial" | "failed";
  notes: string[];
}

export interface SweepManifest extends SweepManifestBase {
  kind: "memory-sweep";
  actors: number[];
  /** Member runs, relative to the sweep folder (runs/<id>); failed ones are listed with their status. */
  runs: { id: string; dir: string; runtime: string; actors: number; method: SweepMethod; status: string }[];
}

export interface MemorySweepOptions {
  /** The host-actors cargo workspace (default <project>/workloads/host-actors). */
  workspace?: string;
  runtimes?: string[];
  actors?: number[];
  methods?: SweepMethod[];
  /** Where the sweep folder goes (default ./data/runs). */
  runsRoot?: string;
  /** A vendored crate directory for offline builds; default /usr/share/cargo/registry when it exists, `false` for none. */
  offlineRegistry?: string | false;
  /** hold-actors --hold-ms (default 20: the figure does not depend on it). */
  holdMs?: number;
  label?: string;
  /** Passed to memoryPerActor (e.g. `minSpan` for a narrow test sweep). */
  fitOptions?: MemoryFitOptions;
  /** std_thread counts above this are skipped under DHAT (default VALGRIND_THREAD_CAP; Infinity for none). */
  valgrindThreadCap?: number;
  /** Per-run timeout (default 5 min). */
  timeoutMs?: number;
  cargo?: string;
  onEvent?: (line: string) => void;
  /** The litlab command line, recorded in each member run. */
  litlabCommand?: string[];
}

export interface MemorySweepResult {
  dir: string;
  manifest: SweepManifest;
  points: SweepPoint[];
  fits: ReturnType<typeof memoryPerActor>;
  agreement: MethodAgreement[];
}

export const SWEEP_FILES = { manifest: "sweep.json", points: "points.jsonl", fits: "fits.json", runs: "runs" } as const;

export async function memorySweep(options: MemorySweepOptions = {}): Promise<MemorySweepResult> {
  const emit = options.onEvent ?? (() => {});
  const workspace = resolve(options.workspace ?? join(PROJECT_ROOT, "workloads/host-actors"));
  const runtimes = options.runtimes ?? [...SWEEP_RUNTIMES];
  const actors = options.actors ?? DEFAULT_SWEEP_ACTORS;
  const methods = options.methods ?? [...SWEEP_METHODS];
  const holdMs = options.holdMs ?? 20;
  if (runtimes.length === 0 || actors.length === 0 || methods.length === 0) throw new LitlabError("usage", "run sweep: needs at least one runtime, one actor count and one method");
  for (const n of actors) if (!(Number.isInteger(n) && n >= 1)) throw new LitlabError("usage", `run sweep: actor counts must be whole numbers ≥ 1 (got ${n})`);
  for (const m of methods) if (!SWEEP_METHODS.includes(m)) throw new LitlabError("usage", `run sweep: unknown method ${JSON.stringify(m)} (one of ${SWEEP_METHODS.join(", ")})`);
  if (!existsSync(join(workspace, "Cargo.toml"))) throw new LitlabError("not-found", `${workspace}: no Cargo.toml (the host-actors workspace with memory-subjects)`, { file: workspace });

  const program = await buildHoldActors(workspace, options, emit);
  const label = options.label ?? "memory-per-actor";
  const id = runId("sweep", label);
  const dir = await uniqueDir(resolve(options.runsRoot ?? "data/runs"), id);
  const runsDir = join(dir, SWEEP_FILES.runs);
  const manifest: SweepManifest = {
    kind: "memory-sweep", id: dir.split("/").pop()!, label, workspace, program, programArgs: ["--hold-ms", String(holdMs)],
    runtimes, actors, methods, methodStats: SWEEP_METHOD_STAT, runs: [], host: hostInfo(), litlabVersion: LITLAB_VERSION,
    startedAt: new Date().toISOString(), endedAt: null, status: "running", notes: [],
  };
  await writeJsonAtomic(join(dir, SWEEP_FILES.manifest), manifest);

  const points: SweepPoint[] = [];
  const cap = options.valgrindThreadCap ?? VALGRIND_THREAD_CAP;
  const countsFor = (runtime: string, method: SweepMethod): number[] =>
    runtime === "std_thread" && method === "dhat" ? actors.filter((n) => n <= cap) : actors;
  const skipped = actors.filter((n) => n > cap);
  if (runtimes.includes("std_thread") && methods.includes("dhat") && skipped.length) {
    manifest.notes.push(`std_thread under DHAT skips N = ${skipped.join(", ")} (above ${cap} threads valgrind is too slow and too big on this kind of machine)`);
  }
  const total = runtimes.reduce((sum, r) => sum + methods.reduce((s2, m) => s2 + countsFor(r, m).length, 0), 0);
  let done = 0;
  for (const runtime of runtimes) {
    for (const method of methods) {
      for (const n of countsFor(runtime, method)) {
        done++;
        const args = ["--runtime", runtime, "--actors", String(n), "--hold-ms", String(holdMs)];
        // jemalloc prints its statistics at exit: the actors must still be alive then
        if (method === "jemalloc") args.push("--stop", "false");
        const started = Date.now();
        const run = await withValgrindThreads(method === "dhat" && runtime === "std_thread" ? n : 0, () => runMemory({
          tool: method, command: [program, ...args], label: `${runtime}-${n}`, runsRoot: runsDir, cwd: workspace,
          timeoutMs: options.timeoutMs ?? 5 * 60_000,
          ...(options.litlabCommand ? { litlabCommand: options.litlabCommand } : {}),
          // the program's own lines (and jemalloc's one-line JSON document) stay in the member run's raw files
          onEvent: (line) => { if (line.startsWith("✖") || line.startsWith("note:")) emit(`  ${runtime} N=${n} ${method}: ${line}`); },
        }));
        const rows = await readJsonLines<TidyRow>(join(run.dir, RUN_LAYOUT.rows)).catch(() => [] as TidyRow[]);
        const want = SWEEP_METHOD_STAT[method];
        const bytes = sweepFigure(rows, method);
        manifest.runs.push({ id: run.manifest.id, dir: `${SWEEP_FILES.runs}/${run.manifest.id}`, runtime, actors: n, method, status: run.manifest.status });
        if (run.manifest.status === "ok" && bytes !== null) {
          points.push({ runtime, actors: n, bytes, method, run: run.manifest.id });
          emit(`[${done}/${total}] ${runtime} N=${n} ${method}: ${bytes} B (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        } else {
          const why = run.manifest.status !== "ok" ? `run ${run.manifest.status}` : `no ${want.metric} ${[want.stat, ...want.minus].join("/")} rows`;
          manifest.notes.push(`${runtime} N=${n} ${method}: ${why} (${run.manifest.id})`);
          emit(`[${done}/${total}] ${runtime} N=${n} ${method}: ✖ ${why}`);
        }
        await writeJsonAtomic(join(dir, SWEEP_FILES.manifest), manifest);
      }
    }
  }

  const fits = memoryPerActor(points, options.fitOptions ?? {});
  const agreement = methodAgreement(fits);
  await writeJsonLinesAtomic(join(dir, SWEEP_FILES.points), points);
  await writeJsonAtomic(join(dir, SWEEP_FILES.fits), { fitOptions: options.fitOptions ?? {}, fits, agreement });
  manifest.endedAt = new Date().toISOString();
  manifest.status = points.length === 0 ? "failed" : points.length < total ? "partial" : "ok";
  await writeJsonAtomic(join(dir, SWEEP_FILES.manifest), manifest);
  emit(`stored sweep ${manifest.id} (${points.length}/${total} points) in ${dir}`);
  return { dir, manifest, points, fits, agreement };
}

/**
 * Runs `fn` with VALGRIND_OPTS=--max-threads=… when `threads` need more than valgrind's default 500. runMemory
 * takes no extra tool flags, and valgrind reads VALGRIND_OPTS from the environment the child inherits; the sweep
 * runs one program at a time, so setting it for the duration of one run is safe.
 */
async function withValgrindThreads<T>(threads: number, fn: () => Promise<T>): Promise<T> {
  if (threads + 64 <= 500) return fn();
  const before = process.env["VALGRIND_OPTS"];
  process.env["VALGRIND_OPTS"] = `${before ? before + " " : ""}--max-threads=${threads + 64}`;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env["VALGRIND_OPTS"];
    else process.env["VALGRIND_OPTS"] = before;
  }
}

/** Compares the dhat and jemalloc slopes per runtime (issue 4's check: within `tolerance`, default 10 %). */
export function methodAgreement(fits: readonly ActorMemoryFit[], tolerance = 0.1): MethodAgreement[] {
  const out: MethodAgreement[] = [];
  for (const runtime of [...new Set(fits.map((f) => f.runtime))]) {
    const slope = (m: string): number | null => fits.find((f) => f.runtime === runtime && f.method === m)?.bytesPerActor ?? null;
    const dhat = slope("dhat");
    const jemalloc = slope("jemalloc");
    const ratio = dhat !== null && jemalloc !== null && jemalloc !== 0 ? dhat / jemalloc : null;
    out.push({ runtime, dhat, jemalloc, ratio, agree: ratio === null ? null : Math.abs(ratio - 1) <= tolerance, tolerance });
  }
  return out;
}

/** Reads a sweep folder back (sweep.json, points.jsonl, fits.json). */
export async function loadSweep(dir: string): Promise<{ dir: string; manifest: SweepManifest; points: SweepPoint[]; fits: ActorMemoryFit[]; agreement: MethodAgreement[] }> {
  const path = (f: string): string => join(dir, f);
  if (!existsSync(path(SWEEP_FILES.manifest))) throw new LitlabError("not-found", `${dir}: not a sweep folder (no ${SWEEP_FILES.manifest})`, { file: dir });
  const manifest = JSON.parse(await readFile(path(SWEEP_FILES.manifest), "utf8")) as SweepManifest;
  const points = await readJsonLines<SweepPoint>(path(SWEEP_FILES.points));
  const saved = JSON.parse(await readFile(path(SWEEP_FILES.fits), "utf8")) as { fits: ActorMemoryFit[]; agreement: MethodAgreement[] };
  return { dir, manifest, points, fits: saved.fits, agreement: saved.agreement };
}

export async function buildHoldActors(workspace: string, options: MemorySweepOptions, emit: (l: string) => void): Promise<string> {
  const registry = options.offlineRegistry === false ? null : options.offlineRegistry ?? (existsSync(DEBIAN_REGISTRY) ? DEBIAN_REGISTRY : null);
  const args = ["build", "--release", "-p", "memory-subjects", "--message-format=json", ...(registry ? offlineRegistryArgs(registry) : [])];
  const cargo = options.cargo ?? "cargo";
  emit(`▶ ${cargo} ${args.join(" ")}`);
  const r = await runProcess(cargo, args, { cwd: workspace, timeoutMs: 20 * 60_000, onStderrLine: (l) => { if (/^\s*(error|warning: unused)/.test(l)) emit(l); } });
  if (r.exitCode !== 0) {
    const tail = r.stderr.trim().split("\n").slice(-8).join("\n");
    throw new LitlabError("build-failed", `cargo build -p memory-subjects failed in ${workspace} (exit ${r.exitCode}):\n${tail}`, { file: workspace });
  }
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const msg = JSON.parse(line) as { reason?: string; target?: { name?: string }; executable?: string | null };
      if (msg.reason === "compiler-artifact" && msg.target?.name === "hold-actors" && msg.executable) return msg.executable;
    } catch { /* not a cargo message */ }
  }
  throw new LitlabError("build-failed", `cargo build -p memory-subjects in ${workspace} reported no hold-actors executable`, { file: workspace });
}

/** A fresh folder `root/id` (or `id-2`, ...): a sweep never overwrites another. */
export async function uniqueDir(root: string, id: string): Promise<string> {
  await mkdir(root, { recursive: true });
  for (let n = 1; n < 1000; n++) {
    const dir = join(root, n === 1 ? id : `${id}-${n}`);
    try { await mkdir(dir); return dir; } catch (e) { if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; }
  }
  throw new LitlabError("store", `too many sweeps named ${id} in ${root}`);
}
