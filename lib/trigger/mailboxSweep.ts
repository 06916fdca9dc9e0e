/**
 * Per-message mailbox overhead (issue 4): memory-subjects' `fill-mailbox` holds ONE paused actor whose mailbox has
 * M queued messages; a sweep over M per runtime × method, fitted bytes = a + b·M (perMessageOverhead), gives b, the
 * bytes one more queued message costs (the channel slot plus the message's own payload block, if any).
 *
 * Same methods and folder layout as the actor sweep (lib/trigger/memorySweep.ts): `<runsRoot>/<stamp>-sweep-<label>/`
 * with sweep.json (kind "mailbox"), points.jsonl, fits.json and the member runs under runs/.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { LitlabError } from "../errors.js";
import { perMessageOverhead, type MemoryFitOptions, type MessageMemoryFit } from "../analyze/memoryPerActor.js";
import type { TidyRow } from "../ingest/rows.js";
import { writeJsonAtomic, writeJsonLinesAtomic } from "../store/atomic.js";
import { readJsonLines, RUN_LAYOUT, runId } from "../store/runFolder.js";
import { PROJECT_ROOT, LITLAB_VERSION } from "../version.js";
import { hostInfo } from "../capture/environment.js";
import { runMemory } from "./memoryRun.js";
import {
  buildHoldActors, SWEEP_FILES, SWEEP_METHOD_STAT, SWEEP_METHODS, SWEEP_RUNTIMES, sweepFigure, uniqueDir, type SweepMethod,
  type SweepManifestBase,
} from "./memorySweep.js";

/** M values spanning 100× (perMessageOverhead wants ≥ 4 points spanning ≥ 100×). */
export const DEFAULT_MAILBOX_MESSAGES = [100, 300, 1000, 3000, 10000];

export interface MailboxPoint {
  runtime: string;
  messages: number;
  bytes: number;
  method: SweepMethod;
  run: string;
}

export interface MailboxSweepManifest extends SweepManifestBase {
  kind: "mailbox";
  messages: number[];
  messageBytes: number;
  runs: { id: string; dir: string; runtime: string; messages: number; method: SweepMethod; status: string }[];
}

export interface MailboxSweepOptions {
  workspace?: string;
  runtimes?: string[];
  /** Queued message counts M (default DEFAULT_MAILBOX_MESSAGES). */
  messages?: number[];
  /** fill-mailbox --message-bytes (default 0: the message is inline, only the slot is measured). */
  messageBytes?: number;
  methods?: SweepMethod[];
  runsRoot?: string;
  offlineRegistry?: string | false;
  /** fill-mailbox --hold-ms (default 20). */
  holdMs?: number;
  label?: string;
  fitOptions?: MemoryFitOptions;
  timeoutMs?: number;
  cargo?: string;
  onEvent?: (line: string) => void;
  litlabCommand?: string[];
}

export interface MailboxSweepResult {
  dir: string;
  manifest: MailboxSweepManifest;
  points: MailboxPoint[];
  fits: MessageMemoryFit[];
}

/** The memory-subjects binary `name` (built with the workspace; it sits next to hold-actors). */
export async function buildMemorySubject(name: "fill-mailbox" | "churn" | "hold-actors", options: { workspace?: string; offlineRegistry?: string | false; cargo?: string; onEvent?: (l: string) => void }): Promise<{ workspace: string; program: string }> {
  const workspace = resolve(options.workspace ?? join(PROJECT_ROOT, "workloads/host-actors"));
  if (!existsSync(join(workspace, "Cargo.toml"))) throw new LitlabError("not-found", `${workspace}: no Cargo.toml (the host-actors workspace with memory-subjects)`, { file: workspace });
  const hold = await buildHoldActors(workspace, {
    ...(options.offlineRegistry !== undefined ? { offlineRegistry: options.offlineRegistry } : {}),
    ...(options.cargo ? { cargo: options.cargo } : {}),
  }, options.onEvent ?? (() => {}));
  const program = join(dirname(hold), name);
  if (!existsSync(program)) throw new LitlabError("build-failed", `cargo build -p memory-subjects produced no ${name} next to ${hold}`, { file: program });
  return { workspace, program };
}

export async function mailboxSweep(options: MailboxSweepOptions = {}): Promise<MailboxSweepResult> {
  const emit = options.onEvent ?? (() => {});
  const runtimes = options.runtimes ?? [...SWEEP_RUNTIMES];
  const messages = options.messages ?? DEFAULT_MAILBOX_MESSAGES;
  const methods = options.methods ?? [...SWEEP_METHODS];
  const holdMs = options.holdMs ?? 20;
  const messageBytes = options.messageBytes ?? 0;
  if (runtimes.length === 0 || messages.length === 0 || methods.length === 0) throw new LitlabError("usage", "mailbox sweep: needs at least one runtime, one message count and one method");
  for (const m of messages) if (!(Number.isInteger(m) && m >= 1)) throw new LitlabError("usage", `mailbox sweep: message counts must be whole numbers ≥ 1 (got ${m})`);
  for (const m of methods) if (!SWEEP_METHODS.includes(m)) throw new LitlabError("usage", `mailbox sweep: unknown method ${JSON.stringify(m)} (one of ${SWEEP_METHODS.join(", ")})`);
  if (!(Number.isInteger(messageBytes) && messageBytes >= 0)) throw new LitlabError("usage", `mailbox sweep: message bytes must be a whole number ≥ 0 (got ${messageBytes})`);

  const { workspace, program } = await buildMemorySubject("fill-mailbox", { ...options, onEvent: emit });
  const label = options.label ?? "mailbox";
  const dir = await uniqueDir(resolve(options.runsRoot ?? "data/runs"), runId("sweep", label));
  const runsDir = join(dir, SWEEP_FILES.runs);
  const manifest: MailboxSweepManifest = {
    kind: "mailbox", id: dir.split("/").pop()!, label, workspace, program,
    programArgs: ["--hold-ms", String(holdMs), "--message-bytes", String(messageBytes)],
    runtimes, messages, messageBytes, methods, methodStats: SWEEP_METHOD_STAT, runs: [], host: hostInfo(), litlabVersion: LITLAB_VERSION,
    startedAt: new Date().toISOString(), endedAt: null, status: "running", notes: [],
  };
  await writeJsonAtomic(join(dir, SWEEP_FILES.manifest), manifest);

  const points: MailboxPoint[] = [];
  const total = runtimes.length * methods.length * messages.length;
  let done = 0;
  for (const runtime of runtimes) {
    for (const method of methods) {
      for (const m of messages) {
        done++;
        const args = ["--runtime", runtime, "--messages", String(m), "--message-bytes", String(messageBytes), "--hold-ms", String(holdMs)];
        // jemalloc prints its statistics at exit: the queued messages must still be there (not drained) then
        if (method === "jemalloc") args.push("--stop", "false");
        const run = await runMemory({
          tool: method, command: [program, ...args], label: `${runtime}-m${m}`, runsRoot: runsDir, cwd: workspace,
          timeoutMs: options.timeoutMs ?? 5 * 60_000,
          ...(options.litlabCommand ? { litlabCommand: options.litlabCommand } : {}),
          onEvent: (line) => { if (line.startsWith("✖") || line.startsWith("note:")) emit(`  ${runtime} M=${m} ${method}: ${line}`); },
        });
        const rows = await readJsonLines<TidyRow>(join(run.dir, RUN_LAYOUT.rows)).catch(() => [] as TidyRow[]);
        const bytes = sweepFigure(rows, method);
        manifest.runs.push({ id: run.manifest.id, dir: `${SWEEP_FILES.runs}/${run.manifest.id}`, runtime, messages: m, method, status: run.manifest.status });
        if (run.manifest.status === "ok" && bytes !== null) {
          points.push({ runtime, messages: m, bytes, method, run: run.manifest.id });
          emit(`[${done}/${total}] ${runtime} M=${m} ${method}: ${bytes} B`);
        } else {
          const why = run.manifest.status !== "ok" ? `run ${run.manifest.status}` : "no figure in the run's rows";
          manifest.notes.push(`${runtime} M=${m} ${method}: ${why} (${run.manifest.id})`);
          emit(`[${done}/${total}] ${runtime} M=${m} ${method}: ✖ ${why}`);
        }
        await writeJsonAtomic(join(dir, SWEEP_FILES.manifest), manifest);
      }
    }
  }

  const fits = perMessageOverhead(points, options.fitOptions ?? {});
  await writeJsonLinesAtomic(join(dir, SWEEP_FILES.points), points);
  await writeJsonAtomic(join(dir, SWEEP_FILES.fits), { fitOptions: options.fitOptions ?? {}, fits });
  manifest.endedAt = new Date().toISOString();
  manifest.status = points.length === 0 ? "failed" : points.length < total ? "partial" : "ok";
  await writeJsonAtomic(join(dir, SWEEP_FILES.manifest), manifest);
  emit(`stored mailbox sweep ${manifest.id} (${points.length}/${total} points) in ${dir}`);
  return { dir, manifest, points, fits };
}

/** Reads a mailbox sweep folder back (sweep.json, points.jsonl, fits.json). */
export async function loadMailboxSweep(dir: string): Promise<MailboxSweepResult> {
  const path = (f: string): string => join(dir, f);
  if (!existsSync(path(SWEEP_FILES.manifest))) throw new LitlabError("not-found", `${dir}: not a sweep folder (no ${SWEEP_FILES.manifest})`, { file: dir });
  const manifest = JSON.parse(await readFile(path(SWEEP_FILES.manifest), "utf8")) as MailboxSweepManifest;
  if (manifest.kind !== "mailbox") throw new LitlabError("usage", `${dir}: a ${JSON.stringify(manifest.kind)} sweep, not a mailbox sweep`, { file: dir });
  const points = await readJsonLines<MailboxPoint>(path(SWEEP_FILES.points));
  const saved = JSON.parse(await readFile(path(SWEEP_FILES.fits), "utf8")) as { fits: MessageMemoryFit[] };
  return { dir, manifest, points, fits: saved.fits };
}
