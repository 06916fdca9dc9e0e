import { existsSync } from "node:fs";
import { join } from "node:path";
import { isLitlabError, LitlabError } from "../errors.js";
import { renderReport } from "../report/index.js";
import { listRuns } from "../store/runFolder.js";
import { formatRunEvent } from "../trigger/events.js";
import { runHost } from "../trigger/hostRun.js";
import { probe } from "../trigger/process.js";
import { PROJECT_ROOT } from "../version.js";
import { parseCommandArgs } from "./usage.js";

/** Debian's crate registry: lets the reference workload build with no crates.io. */
export const DEBIAN_REGISTRY = "/usr/share/cargo/registry";

export interface MainJobOptions {
  projectRoot?: string;
  /** Skip the live run and use the bundled one. */
  bundled?: boolean;
  outDir?: string;
  log?: (line: string) => void;
}

export interface MainJobResult {
  origin: "live" | "bundled";
  runDir: string;
  /** Why the live run was not used, when it was not. */
  fallbackReason: string | null;
  notebookOut: string;
  htmlOut: string;
  timings: { runMs: number; reportMs: number; totalMs: number };
  cellErrors: number;
}

/** The newest run folder in data/bundled: the recorded run every machine can render. */
export async function bundledRun(projectRoot: string): Promise<string> {
  const runs = await listRuns(join(projectRoot, "data", "bundled"));
  const last = runs.at(-1);
  if (!last) throw new LitlabError("not-found", `no bundled run in ${join(projectRoot, "data", "bundled")}; the checkout is incomplete`);
  return last;
}

/**
 * The main job: a live quick Criterion run of workloads/host-actors when this machine can build it, else the
 * run bundled in data/bundled; then notebooks/overview.ipynb executed with the litlab kernel, and the report.
 */
export async function mainJob(options: MainJobOptions = {}): Promise<MainJobResult> {
  const root = options.projectRoot ?? PROJECT_ROOT;
  const log = options.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const t0 = Date.now();
  let origin: "live" | "bundled" = "bundled";
  let runDir: string | null = null;
  let fallbackReason: string | null = options.bundled ? "asked for the bundled run (--bundled)" : null;
  if (!options.bundled && (await probe("cargo", ["--version"])) === null) {
    fallbackReason = "cargo is not installed or not on PATH";
  } else if (!options.bundled) {
    try {
      const result = await runHost({
        workspace: join(root, "workloads", "host-actors"),
        profile: "quick",
        runsRoot: join(root, "data", "runs"),
        label: "host-actors",
        ...(existsSync(DEBIAN_REGISTRY) ? { offlineRegistry: DEBIAN_REGISTRY } : {}),
        command: ["litlab", "main"],
        onEvent: (e) => { const line = formatRunEvent(e); if (line !== null) log(line); },
      });
      runDir = result.dir;
      origin = "live";
    } catch (e) {
      if (!isLitlabError(e)) throw e;
      fallbackReason = e.message;
    }
  }
  if (runDir === null) {
    runDir = await bundledRun(root);
    log(options.bundled ? `litlab: using the bundled run ${runDir}`
      : `litlab: cannot run the reference workload here (${fallbackReason}); using the bundled run ${runDir}`);
  }
  const runMs = Date.now() - t0;
  const env: Record<string, string> = { LITLAB_RUN: runDir, LITLAB_RUN_ORIGIN: origin };
  if (fallbackReason) env["LITLAB_RUN_NOTE"] = fallbackReason;
  log(`executing notebooks/overview.ipynb with the litlab kernel`);
  const report = await renderReport(join(root, "notebooks", "overview.ipynb"), {
    outDir: options.outDir ?? join(root, "reports"),
    env,
    onProgress: (e) => { if (e.status !== "start") log(`  cell ${e.cell}/${e.of}: ${e.status}`); },
  });
  for (const m of report.errorMessages) log(`  ${m}`);
  const totalMs = Date.now() - t0;
  return {
    origin, runDir, fallbackReason, notebookOut: report.notebookOut, htmlOut: report.htmlOut,
    timings: { runMs, reportMs: report.wallMs, totalMs }, cellErrors: report.errors,
  };
}

export async function mainJobCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { bundled: { type: "boolean" }, out: { type: "string" } }, "main");
  const result = await mainJob({ ...(values.bundled ? { bundled: true } : {}), ...(values.out ? { outDir: values.out } : {}) });
  const t = result.timings;
  process.stderr.write(`report (${result.origin} run): ${result.htmlOut}\n` +
    `  run ${(t.runMs / 1000).toFixed(1)} s, report ${(t.reportMs / 1000).toFixed(1)} s, total ${(t.totalMs / 1000).toFixed(1)} s\n`);
  process.stdout.write(result.htmlOut + "\n");
  return result.cellErrors ? 1 : 0;
}
