import { LitlabError } from "../errors.js";

/** Longest run id accepted: a folder name that fits every file system litlab runs on, with room for `-NNN`. */
export const MAX_RUN_ID_LENGTH = 128;

/**
 * Why `id` cannot name a run folder, or null when it can. A run id becomes a folder name under the runs root,
 * so anything that could climb out of it (`/`, `\`, `..`), hide it (a leading dot) or confuse the OS (NUL,
 * control characters) is refused rather than cleaned up: a silently changed id would be worse.
 */
export function runIdProblem(id: string): string | null {
  if (id.length === 0) return "is empty";
  if (id.length > MAX_RUN_ID_LENGTH) return `is ${id.length} characters long (at most ${MAX_RUN_ID_LENGTH})`;
  if (id.includes("/") || id.includes("\\")) return "contains a path separator (/ or \\)";
  if (id.includes("..")) return "contains \"..\"";
  if (id.includes("\0")) return "contains a NUL character";
  if (/[\u0001-\u001f\u007f]/.test(id)) return "contains a control character";
  if (id.startsWith(".")) return "starts with a dot";
  if (id.trim() !== id) return "starts or ends with white space";
  return null;
}

/** Throws LitlabError `usage` naming the id and what is wrong with it; use wherever a run id comes from a user. */
export function assertValidRunId(id: string): void {
  const problem = runIdProblem(id);
  if (problem !== null) throw new LitlabError("usage", `invalid run id ${JSON.stringify(id)}: it ${problem}`);
}
