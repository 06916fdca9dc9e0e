import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { LitlabError } from "../errors.js";
import { gitState, hostInfo, toolchainInfo } from "../capture/environment.js";
import { MANIFEST_SCHEMA_VERSION, type RunManifest, type TargetResult } from "../capture/manifest.js";
import { createRunFolder, runId, RUN_LAYOUT, writeManifest } from "../store/runFolder.js";
import { writeRunTables } from "../store/tables.js";
import type { SampleRow, TidyRow } from "../ingest/rows.js";
import { benchPackages, parseCargoMetadata, type BenchPackage } from "./cargoMetadata.js";
import { buildError, parseCargoBuildMessages } from "./cargoBuild.js";
import { criterionFlags, criterionProgress, type Profile } from "./criterionCli.js";
import type { RunEventHandler } from "./events.js";
import { runProcess } from "./process.js";
import { LITLAB_VERSION } from "../version.js";

export interface HostRunOptions {
  /** Cargo workspace (or package) folder. */
  workspace: string;
  /** Package with the benches; required when several workspace members have Criterion targets. */
  package?: string;
  /** Criterion targets to run (`--bench`); default: every `harness = false` bench target. */
  benches?: string[];
  /** Criterion filter regex (substring match; anchor with `$`). */
  filter?: string;
  profile?: Profile;
  /** Where run folders go (default `./data/runs`). */
  runsRoot?: string;
  label?: string;
  /** A directory registry (e.g. Debian's /usr/share/cargo/registry) to use instead of crates.io, offline. */
  offlineRegistry?: string;
  /** Extra arguments for every cargo call (e.g. `--features x`). */
  cargoArgs?: string[];
  cargo?: string;
  /** Per-target timeout (default 30 min) and build timeout (default 20 min). */
  targetTimeoutMs?: number;
  buildTimeoutMs?: number;
  onEvent?: RunEventHandler;
  /** The litlab command line, recorded in the manifest. */
  command?: string[];
}

export interface HostRunResult {
  dir: string;
  manifest: RunManifest;
  rows: TidyRow[];
  samples: SampleRow[];
}

/** `--config` flags that replace crates.io with a local directory registry. */
export function offlineRegistryArgs(registry: string): string[] {
  return [
    "--config", `source.crates-io.replace-with="litlab-local"`,
    "--config", `source.litlab-local.directory=${JSON.stringify(registry)}`,
    "--offline",
  ];
}

/** Without network, cargo cannot fetch crates: point at the flag that makes it work offline. */
function withRegistryHint(err: LitlabError, options: HostRunOptions): LitlabError {
  if (err.code !== "crates-unreachable" || options.offlineRegistry) return err;
  const hint = existsSync("/usr/share/cargo/registry")
    ? "; Debian's crates are installed: add --offline-registry /usr/share/cargo/registry"
    : "; without network, install Debian's crates (apt-get install librust-criterion-dev ...) and pass --offline-registry /usr/share/cargo/registry";
  return new LitlabError(err.code, err.message + hint, { ...(err.file ? { file: err.file } : {}), cause: err });
}

function pickPackage(pkgs: BenchPackage[], wanted: string | undefined, workspace: string): BenchPackage {
  if (wanted) {
    const p = pkgs.find((x) => x.name === wanted);
    if (!p) throw new LitlabError("usage", `package ${wanted} has no bench targets in ${workspace} (packages with benches: ${pkgs.map((x) => x.name).join(", ") || "none"})`);
    return p;
  }
  const withCriterion = pkgs.filter((p) => p.benches.some((b) => !b.harness));
  if (withCriterion.length === 1) return withCriterion[0]!;
  if (withCriterion.length === 0) throw new LitlabError("usage", `no Criterion bench target (harness = false) in ${workspace}`);
  throw new LitlabError("usage", `several packages have Criterion benches (${withCriterion.map((p) => p.name).join(", ")}); pick one with --package`);
}

/**
 * Triggers a Criterion run of a cargo workspace and stores it as a run folder: build every target first
 * (compile errors come back as one typed error naming file:line), then run each Criterion target's binary
 * with `--bench` and an absolute CRITERION_HOME inside the run folder, then ingest the tree into tables.
 * libtest bench targets are skipped: they run no Criterion code and reject Criterion's flags.
 */
export async function runHost(options: HostRunOptions): Promise<HostRunResult> {
  const emit = options.onEvent ?? (() => {});
  const workspace = resolve(options.workspace);
  if (!existsSync(join(workspace, "Cargo.toml"))) {
    throw new LitlabError("not-found", `${workspace} has no Cargo.toml; point --workspace at a cargo workspace`, { file: workspace });
  }
  if (options.offlineRegistry !== undefined && !existsSync(options.offlineRegistry)) {
    throw new LitlabError("not-found", `offline registry ${options.offlineRegistry} does not exist (Debian's is /usr/share/cargo/registry: apt-get install librust-criterion-dev ...)`, { file: options.offlineRegistry });
  }
  if (options.filter !== undefined) {
    // Criterion's filter is a Rust regex; a pattern JavaScript cannot parse would make every target panic after the build
    try { new RegExp(options.filter); } catch (e) {
      throw new LitlabError("usage", `--filter ${JSON.stringify(options.filter)} is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  const cargo = options.cargo ?? "cargo";
  const cargoBase = [...(options.offlineRegistry ? offlineRegistryArgs(options.offlineRegistry) : [])];
  const profile = options.profile ?? "quick";

  emit({ type: "phase", phase: "metadata", message: `reading cargo metadata of ${workspace}` });
  const meta = await runProcess(cargo, [...cargoBase, "metadata", "--format-version", "1", ...(options.cargoArgs ?? [])], { cwd: workspace, timeoutMs: 5 * 60_000 });
  if (meta.exitCode !== 0) throw withRegistryHint(buildError({ success: false, artifacts: [], errors: [] }, meta.stderr, workspace), options);
  const pkgs = await benchPackages(parseCargoMetadata(meta.stdout));
  const pkg = pickPackage(pkgs, options.package, workspace);
  for (const b of options.benches ?? []) {
    if (!pkg.benches.some((t) => t.name === b)) throw new LitlabError("usage", `${pkg.name} has no bench target ${b} (it has: ${pkg.benches.map((t) => t.name).join(", ")})`);
  }
  const selected = pkg.benches.filter((t) => (options.benches?.length ? options.benches.includes(t.name) : true));
  const criterionTargets = selected.filter((t) => !t.harness);
  if (criterionTargets.length === 0) throw new LitlabError("usage", `none of the selected bench targets of ${pkg.name} uses Criterion (harness = false)`);
  const flags = criterionFlags(profile, pkg.criterionVersion);

  const { dir, id } = await createRunFolder(resolve(options.runsRoot ?? "data/runs"), runId("host", options.label ?? pkg.name));
  const criterionHome = join(dir, RUN_LAYOUT.criterionHome);
  const targets: TargetResult[] = selected.filter((t) => t.harness).map((t) => ({
    name: t.name, harness: "libtest", status: "skipped", exitCode: null, command: null, startedAt: null, endedAt: null,
    stdout: null, stderr: null, note: "default libtest harness: runs no Criterion code and rejects Criterion flags",
  }));
  for (const t of targets) emit({ type: "target-skipped", target: t.name, reason: "libtest harness, no Criterion code" });
  const manifest: RunManifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION, id, kind: "host", label: options.label ?? null,
    command: options.command ?? ["litlab", "run", "host", "--workspace", workspace],
    workspace, package: pkg.name, profile, filter: options.filter ?? null,
    criterionVersion: pkg.criterionVersion, criterionFlags: flags,
    git: await gitState(workspace), toolchain: await toolchainInfo(workspace, cargo), host: hostInfo(),
    litlabVersion: LITLAB_VERSION, startedAt: new Date().toISOString(), endedAt: null, status: "running",
    targets, tables: null, criterionHome: RUN_LAYOUT.criterionHome,
    owner: { pid: process.pid, hostname: hostInfo().hostname }, // lets `litlab runs` tell a killed run from a live one
  };
  await writeManifest(dir, manifest);

  const finish = async (status: RunManifest["status"]): Promise<void> => {
    manifest.status = status;
    manifest.endedAt = new Date().toISOString();
    await writeManifest(dir, manifest);
  };

  emit({ type: "phase", phase: "build", message: `building ${criterionTargets.length} Criterion target(s) of ${pkg.name} (cargo bench --no-run)` });
  const buildArgs = [...cargoBase, "bench", "-p", pkg.name, ...criterionTargets.flatMap((t) => ["--bench", t.name]), "--no-run", "--message-format=json", ...(options.cargoArgs ?? [])];
  const build = await runProcess(cargo, buildArgs, { cwd: workspace, timeoutMs: options.buildTimeoutMs ?? 20 * 60_000 });
  await writeFile(join(dir, "raw/build.jsonl"), build.stdout);
  await writeFile(join(dir, "raw/build.stderr.txt"), build.stderr);
  const outcome = parseCargoBuildMessages(build.stdout);
  if (build.exitCode !== 0 || !outcome.success) {
    await finish("failed");
    const err = build.timedOut ? new LitlabError("timeout", `cargo build timed out in ${workspace}`) : withRegistryHint(buildError(outcome, build.stderr, workspace), options);
    throw new LitlabError(err.code, `${err.message} (failed run stored in ${dir})`, { ...(err.file ? { file: err.file } : {}), cause: err });
  }

  for (const t of criterionTargets) {
    const artifact = outcome.artifacts.find((a) => a.target === t.name);
    const startedAt = new Date().toISOString();
    if (!artifact) {
      targets.push({ name: t.name, harness: "criterion", status: "failed", exitCode: null, command: null, startedAt, endedAt: startedAt, stdout: null, stderr: null, note: "cargo reported no executable for this target" });
      continue;
    }
    const args = ["--bench", ...(options.filter ? [options.filter] : []), ...flags];
    emit({ type: "target-start", target: t.name, command: [artifact.executable, ...args] });
    let lastId: string | undefined;
    const result = await runProcess(artifact.executable, args, {
      cwd: dirname(pkg.manifestPath),
      env: { CRITERION_HOME: criterionHome },
      timeoutMs: options.targetTimeoutMs ?? 30 * 60_000,
      onStdoutLine: (line) => {
        emit({ type: "output", target: t.name, stream: "stdout", line });
        const p = criterionProgress(line, lastId);
        if (p) { if ("id" in p) lastId = p.id; emit({ type: "progress", target: t.name, progress: p }); }
        else if (/^\S/.test(line) && !line.includes(":")) lastId = line.trim();
      },
      onStderrLine: (line) => emit({ type: "output", target: t.name, stream: "stderr", line }),
    });
    const stdoutPath = `raw/${t.name}.stdout.txt`;
    const stderrPath = `raw/${t.name}.stderr.txt`;
    await writeFile(join(dir, stdoutPath), result.stdout);
    await writeFile(join(dir, stderrPath), result.stderr);
    const status = result.timedOut ? "timeout" : result.exitCode === 0 ? "ok" : "failed";
    targets.push({ name: t.name, harness: "criterion", status, exitCode: result.exitCode, command: [artifact.executable, ...args], startedAt: result.startedAt, endedAt: result.endedAt, stdout: stdoutPath, stderr: stderrPath });
    emit({ type: "target-done", target: t.name, status, exitCode: result.exitCode, durationMs: result.durationMs });
    await writeManifest(dir, manifest);
  }

  emit({ type: "phase", phase: "ingest", message: `reading the Criterion tree into tables` });
  const ran = targets.filter((t) => t.harness === "criterion");
  const okCount = ran.filter((t) => t.status === "ok").length;
  let rows: TidyRow[] = [];
  let samples: SampleRow[] = [];
  if (okCount > 0) {
    ({ rows, samples } = await writeRunTables(dir));
    manifest.tables = { rows: RUN_LAYOUT.rows, samples: RUN_LAYOUT.samples };
  }
  await finish(okCount === ran.length ? "ok" : okCount > 0 ? "partial" : "failed");
  emit({ type: "phase", phase: "done", message: `stored run ${id} (${rows.length} rows) in ${dir}` });
  if (okCount === 0) {
    const failed = ran[0];
    throw new LitlabError("run", `every Criterion target failed; see ${join(dir, failed?.stderr ?? "raw")} (first: ${failed?.name} exit ${failed?.exitCode})`, { file: dir });
  }
  return { dir, manifest, rows, samples };
}
