import type { CriterionProgress } from "./criterionCli.js";

/** What a host run reports while it works; the CLI prints these, a notebook shows them. */
export type RunEvent =
  | { type: "phase"; phase: "metadata" | "build" | "run" | "ingest" | "done"; message: string }
  | { type: "target-start"; target: string; command: string[] }
  | { type: "target-done"; target: string; status: "ok" | "failed" | "timeout"; exitCode: number | null; durationMs: number }
  | { type: "target-skipped"; target: string; reason: string }
  | { type: "progress"; target: string; progress: CriterionProgress }
  | { type: "output"; target: string; stream: "stdout" | "stderr"; line: string };

export type RunEventHandler = (event: RunEvent) => void;

/** One line of text for a terminal or a notebook progress display; null for events not worth a line. */
export function formatRunEvent(e: RunEvent): string | null {
  switch (e.type) {
    case "phase": return e.message;
    case "target-start": return `▶ ${e.target}: ${e.command.join(" ")}`;
    case "target-done": return `${e.status === "ok" ? "✔" : "✖"} ${e.target}: ${e.status}${e.exitCode !== null && e.exitCode !== 0 ? ` (exit ${e.exitCode})` : ""} in ${(e.durationMs / 1000).toFixed(1)} s`;
    case "target-skipped": return `· ${e.target}: skipped (${e.reason})`;
    case "progress": {
      const p = e.progress;
      if (p.kind === "collect") return `  ${p.id}: collecting ${p.samples} samples (~${p.estimatedSeconds.toFixed(1)} s)`;
      if (p.kind === "result") return `  ${p.id}: time [${p.time}]`;
      if (p.kind === "warning") return `  ${p.text}`;
      return null;
    }
    case "output": return null;
  }
}
