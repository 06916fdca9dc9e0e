/** Version of the manifest.json layout; bump when a field changes meaning. */
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
  /** `criterion` targets ran; `libtest` targets were skipped because they run no Criterion code. */
  harness: "criterion" | "libtest";
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

export interface RunManifest {
  schemaVersion: number;
  id: string;
  kind: "host";
  label: string | null;
  /** The litlab command line that made this run. */
  command: string[];
  workspace: string;
  package: string | null;
  profile: string;
  filter: string | null;
  criterionVersion: string | null;
  criterionFlags: string[];
  git: GitState;
  toolchain: ToolchainInfo;
  host: HostInfo;
  litlabVersion: string;
  startedAt: string;
  endedAt: string | null;
  status: "running" | "ok" | "partial" | "failed";
  targets: TargetResult[];
  /** Tables derived from the raw files, relative to the run folder. */
  tables: { rows: string; samples: string } | null;
  /** Where the raw Criterion tree is (CRITERION_HOME), relative to the run folder. */
  criterionHome: string;
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
