import os from "node:os";
import type { RunManifest } from "../capture/manifest.js";

/** What `litlab runs` shows: the manifest's status, except that a `running` run whose process is gone is `incomplete`. */
export type RunStatus = RunManifest["status"] | "incomplete";

/** Is a process with this pid alive on this machine? EPERM means it exists but belongs to someone else. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The status a reader should believe. A run killed half-way never got to write its final status, so its manifest
 * still says `running`; when the manifest names its writer (`owner`) on this host and that process is gone, the
 * run is `incomplete`. On another host, or without an owner (older manifests), there is no way to tell, so it
 * stays `running`. (A recycled pid can make a dead run look alive; it never makes a live run look dead.)
 */
export function effectiveStatus(
  manifest: Pick<RunManifest, "status" | "owner">,
  probe: { hostname?: string; alive?: (pid: number) => boolean } = {},
): RunStatus {
  if (manifest.status !== "running" || !manifest.owner) return manifest.status;
  const hostname = probe.hostname ?? os.hostname();
  if (manifest.owner.hostname !== hostname) return "running";
  return (probe.alive ?? processAlive)(manifest.owner.pid) ? "running" : "incomplete";
}
