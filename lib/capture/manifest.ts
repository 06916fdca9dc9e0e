/**
 * Version of the manifest.json layout; bump when a field changes meaning. Adding the `import` kind, `imports` and
 * `owner` did not change what any existing field means (host runs read exactly as before), so it is still 1.
 */
export const MANIFEST_SCHEMA_VERSION = 1;

export interface GitState {
  commit: string | null;
  /** true when the work tree has uncommitted changes (tracked or untracked). */
  dirty: boolean | null;
  branch: string | null;
}

export interface HostInfo {
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  cores: number;
  memoryBytes: number;
}

export interface ToolchainInfo {
  /** `rustc -vV` parsed into its key/value lines (release, host, commit-hash, LLVM version, ...). */
  rustc: Record<string, string> | null;
  cargo: string | null;
}

export interface TargetResult {
  name: string;
  /**
   * `criterion` targets ran; `libtest` targets were skipped because they run no Criterion code; `memory`: the
   * program a memory run profiled (`litlab run memory`), with `command` the exact argv that was started.
   */
  harness: "criterion" | "libtest" | "memory";
  status: "ok" | "failed" | "timeout" | "skipped";
  exitCode: number | null;
  command: string[] | null;
  startedAt: string | null;
  endedAt: string | null;
  /** Raw stdout/stderr, relative to the run folder. */
  stdout: string | null;
  stderr: string | null;
  note?: string;
}

/** One file of an imported source, as it was when it was imported. */
export interface ImportedFile {
  /** Posix path relative to the source (the source's own name when the source is a file). */
  path: string;
  sha256: string;
  bytes: number;
}

/** One foreign source copied into an `import` run (`litlab ingest PATH --into RUN`). */
export interface ImportSource {
  /** Absolute path of what was imported (a file or a folder). */
  source: string;
  /** The reader that read it, e.g. `criterion`; reindex uses the same one. */
  reader: string;
  /** Where the unchanged copy is, relative to the run folder (`raw/import/1-name`). */
  copy: string;
  /** Every file copied, with its sha256, so a later reader can tell whether the source changed since. */
  files: ImportedFile[];
  importedAt: string;
  /** The machine that did the import (not necessarily the one that ran the benchmarks). */
  importedBy: { hostname: string; os: string; arch: string; cpuModel: string };
}

/** The process writing a run folder, recorded while it runs so a killed run can be told from a live one. */
export interface RunOwner {
  pid: number;
  hostname: string;
}

/** How a memory run captured its data (`litlab run memory`); absent in host and import runs. */
export interface MemoryCapture {
  /** `dhat`, `massif` (valgrind), `jemalloc` (LD_PRELOAD), `time` (GNU time -v), `rss` (/proc sampling). */
  tool: "dhat" | "massif" | "jemalloc" | "time" | "rss";
  /** The program profiled, as the user gave it (for a bench target: the bench binary with its Criterion flags). */
  command: string[];
  /** Exactly what was started (the tool wrapper, its flags, then the command). */
  argv: string[];
  /** `valgrind-3.19.0`, `time (GNU Time) …`, the jemalloc library and version, … (null when it could not be asked). */
  toolVersion: string | null;
  /** Variables added to the inherited environment (LD_PRELOAD, MALLOC_CONF, …). */
  env: Record<string, string>;
  /** Raw files the run wrote, relative to the run folder. */
  rawFiles: string[];
  /** The working directory the program ran in. */
  cwd: string;
  /** rss: the sampling interval. */
  intervalMs?: number;
  /** A Criterion benchmark profiled in --profile-time mode. */
  benchTarget?: { executable: string; filter: string; profileSeconds: number };
  /** Things a reader must know to trust the numbers (e.g. no jemalloc stats on stderr). */
  notes?: string[];
}

/**
 * How a device run captured its records (`litlab run device`); absent in other runs. Paths are relative to the run
 * folder unless they name something outside it (the ELF, the serial port).
 */
export interface DeviceRunInfo {
  /** `qemu` (emulated), `serial` (a port: USB-UART, socat/QEMU PTY), `probe-rs` (`probe-rs run` on an attached probe). */
  runner: "qemu" | "serial" | "probe-rs";
  /** Exactly what was started (QEMU or probe-rs with all flags); null for serial (nothing is started). */
  argv: string[] | null;
  /** The firmware image: absolute path, sha256 and size at the time of the run; null for serial. */
  elf: { path: string; sha256: string; bytes: number } | null;
  /** QEMU machine (`mps2-an385`, `lm3s6965evb`, `virt`) or the probe-rs chip; null for serial. */
  machine: string | null;
  /** QEMU `-icount shift=N` (N), or null when icount was off / not QEMU: tick figures are emulated when set. */
  icountShift: number | null;
  /** Serial runs (and QEMU's `-serial pty`): the port path and baud rate. */
  port?: { path: string; baud: number };
  /** What was written to the device before reading (escapes already applied), or null. */
  send: string | null;
  /** Where the records came from. */
  channel: "semihosting" | "uart" | "serial" | "defmt";
  /** The process / port outcome mapped to a result: `ok`, `failed` (exit code in `exitCode`), `timeout`, `disconnected`, `interrupted` (Ctrl-C). */
  result: "ok" | "failed" | "timeout" | "disconnected" | "interrupted";
  /** The runner's exit code (QEMU passes the semihosting exit status through), null when killed or not a process. */
  exitCode: number | null;
  /** The runner stopped the process itself after the end record (firmware that spins instead of exiting). */
  stoppedAfterEnd: boolean;
  /** The capture had a begin, an end and the right record count in between. */
  complete: boolean;
  /** Records received (begin and end excluded). */
  records: number;
  /** Why the capture is incomplete or the run failed, in words. */
  problems: string[];
  /** Malformed lines, unknown record types, ... (the capture's warnings). */
  warnings: string[];
  /** Raw files the run wrote, relative to the run folder (`raw/device.log` is exactly what was captured). */
  rawFiles: string[];
  /** The target triple from the begin record (null when no begin record arrived). */
  target: string | null;
}

export type RunKind = "host" | "import" | "memory" | "device";

export interface RunManifest {
  schemaVersion: number;
  id: string;
  /**
   * `host`: litlab ran the benchmarks; `import`: foreign results copied in by `litlab ingest --into`; `memory`: a
   * program (or one benchmark) run under a memory profiler by `litlab run memory`; `device`: firmware records captured
   * from QEMU, a serial port or probe-rs by `litlab run device`.
   */
  kind: RunKind;
  label: string | null;
  /** The litlab command line that made this run. */
  command: string[];
  /** The cargo workspace that was benchmarked (null for imports: unknown). */
  workspace: string | null;
  package: string | null;
  profile: string | null;
  filter: string | null;
  criterionVersion: string | null;
  criterionFlags: string[];
  git: GitState;
  toolchain: ToolchainInfo;
  /** Where the benchmarks ran; null for imports (the importing machine is in `imports[].importedBy`). */
  host: HostInfo | null;
  litlabVersion: string;
  startedAt: string;
  endedAt: string | null;
  status: "running" | "ok" | "partial" | "failed";
  targets: TargetResult[];
  /** Tables derived from the raw files, relative to the run folder (timeline/sites/bins: memory runs only; deviceSamples: device runs). */
  tables: { rows: string; samples: string; timeline?: string; sites?: string; bins?: string; deviceSamples?: string } | null;
  /** Where the raw Criterion tree is (CRITERION_HOME), relative to the run folder; null for imports. */
  criterionHome: string | null;
  /** Import runs: where each source came from and where its copy is. Absent in host runs. */
  imports?: ImportSource[];
  /** Memory runs: which profiler ran, how, and what it wrote. Absent in other runs. */
  memory?: MemoryCapture;
  /** Device runs: how the firmware ran and what the capture got. Absent in other runs. */
  device?: DeviceRunInfo;
  /** The process that wrote the run while `status` was `running` (absent in manifests older than this field). */
  owner?: RunOwner;
}

/** `rustc -vV` text → key/value map (`release: 1.95.0` → release = 1.95.0; the first line is `version`). */
export function parseRustcVerbose(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  if (lines[0]) out["version"] = lines[0];
  for (const line of lines.slice(1)) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}
