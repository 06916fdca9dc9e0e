import { LitlabError } from "../errors.js";

/** One built bench executable, from a `compiler-artifact` message. */
export interface BenchArtifact {
  target: string;
  executable: string;
  packageId: string;
}

export interface CompilerDiagnostic {
  level: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  rendered: string;
}

export interface BuildOutcome {
  success: boolean;
  artifacts: BenchArtifact[];
  errors: CompilerDiagnostic[];
}

interface Span { file_name: string; line_start: number; column_start: number; is_primary?: boolean }

/** Reads the JSON lines of `cargo bench --no-run --message-format=json` (other lines are ignored). */
export function parseCargoBuildMessages(stdout: string): BuildOutcome {
  const artifacts: BenchArtifact[] = [];
  const errors: CompilerDiagnostic[] = [];
  let success = false;
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    let msg: Record<string, unknown>;
    try { msg = JSON.parse(line) as Record<string, unknown>; } catch { continue; }
    const reason = msg["reason"];
    if (reason === "compiler-artifact") {
      const target = msg["target"] as { name: string; kind: string[] } | undefined;
      const exe = msg["executable"];
      if (target && target.kind.includes("bench") && typeof exe === "string") {
        artifacts.push({ target: target.name, executable: exe, packageId: String(msg["package_id"] ?? "") });
      }
    } else if (reason === "compiler-message") {
      const m = msg["message"] as { level: string; message: string; spans: Span[]; rendered: string | null } | undefined;
      if (m && (m.level === "error" || m.level === "error: internal compiler error")) {
        const span = m.spans.find((s) => s.is_primary) ?? m.spans[0];
        errors.push({
          level: m.level, message: m.message, rendered: m.rendered ?? m.message,
          file: span?.file_name ?? null, line: span?.line_start ?? null, column: span?.column_start ?? null,
        });
      }
    } else if (reason === "build-finished") {
      success = msg["success"] === true;
    }
  }
  return { success, artifacts, errors };
}

/** Cargo's own stderr patterns for "the crates could not be fetched" (offline machine, no registry). */
const UNREACHABLE = [
  /failed to (download|get|fetch|load source for|query replaced source)/i,
  /no matching package named/i,
  /Couldn't resolve host|failed to resolve address|network failure|Could not resolve host/i,
  /attempting to make an HTTP request, but --offline was specified/i,
  /failed to select a version for the requirement/i,
];

/** Turns a failed build into the one error a user can act on. */
export function buildError(outcome: BuildOutcome, stderr: string, workspace: string): LitlabError {
  const first = outcome.errors[0];
  if (first) {
    const where = first.file ? `${first.file}:${first.line ?? "?"}:${first.column ?? "?"}` : workspace;
    const more = outcome.errors.length > 1 ? ` (and ${outcome.errors.length - 1} more errors)` : "";
    return new LitlabError("build", `compile error at ${where}: ${first.message}${more}`, { file: first.file ?? workspace });
  }
  const errLine = stderr.split("\n").find((l) => /^error(\[|:)/.test(l.trim())) ?? stderr.trim().split("\n").pop() ?? "cargo failed";
  if (UNREACHABLE.some((re) => re.test(stderr))) {
    return new LitlabError("crates-unreachable", `cannot fetch the workspace's crates: ${errLine.trim()}`, { file: workspace });
  }
  return new LitlabError("build", `cargo build failed in ${workspace}: ${errLine.trim()}`, { file: workspace });
}
