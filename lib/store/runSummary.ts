import { basename } from "node:path";
import type { RunKind } from "../capture/manifest.js";
import { isLitlabError } from "../errors.js";
import { listRuns, readManifest } from "./runFolder.js";
import { effectiveStatus, type RunStatus } from "./runStatus.js";

/** One line of `litlab runs`. */
export type RunSummary =
  | {
      dir: string;
      id: string;
      kind: RunKind;
      startedAt: string | null;
      commit: string | null;
      dirty: boolean | null;
      hostname: string | null;
      cpu: string | null;
      status: RunStatus;
    }
  | {
      dir: string;
      /** The folder name: a broken manifest cannot be trusted for the id. */
      id: string;
      /** Why the manifest could not be read (one line, names the file). */
      broken: string;
    };

/**
 * Every run folder under `root`, oldest first, as listed by `litlab runs`. A folder whose manifest cannot be read
 * is listed as broken with the reason instead of stopping the listing: one bad folder must not hide the others.
 */
export async function listRunSummaries(root: string): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  for (const dir of await listRuns(root)) {
    try {
      const m = await readManifest(dir);
      out.push({
        // the folder name, as for broken runs: a copied folder carries its original's manifest id
        dir, id: basename(dir), kind: m.kind ?? "host", startedAt: m.startedAt ?? null,
        commit: m.git?.commit ?? null, dirty: m.git?.dirty ?? null,
        hostname: m.host?.hostname ?? null, cpu: m.host?.cpuModel ?? null,
        status: effectiveStatus(m),
      });
    } catch (e) {
      if (!isLitlabError(e)) throw e;
      out.push({ dir, id: basename(dir), broken: e.message });
    }
  }
  return out;
}

/** The human line of `litlab runs`: id, kind, when, commit(+dirty), host (cpu), status. */
export function formatRunSummary(s: RunSummary): string {
  if ("broken" in s) return `${s.id}  broken: ${s.broken}`;
  const commit = s.commit ? `${s.commit.slice(0, 10)}${s.dirty ? "+dirty" : ""}` : "no-commit";
  const host = s.hostname ? `${s.hostname} (${s.cpu ?? "unknown cpu"})` : "unknown host";
  return `${s.id}  ${s.kind}  ${s.startedAt ?? "?"}  ${commit}  ${host}  ${s.status}`;
}
