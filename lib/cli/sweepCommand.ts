import { memorySweep, SWEEP_METHODS, type SweepMethod, SWEEP_RUNTIMES } from "../trigger/memorySweep.js";
import { parseCommandArgs, UsageError } from "./usage.js";

export const SWEEP_USAGE = "litlab run sweep [--workspace DIR] [--runtimes a,b] [--actors 100,300,1000,3000,10000] [--methods dhat,jemalloc] [--runs DIR] [--offline-registry DIR | --no-offline-registry] [--hold-ms MS] [--label L] [--json]";

/**
 * `litlab run sweep ...` (`args` are the words after `sweep`): memory per actor over an actor-count sweep of
 * memory-subjects' hold-actors, one memory run per runtime × N × method; prints the sweep folder.
 */
export async function sweepCommand(args: string[], fullArgv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    workspace: { type: "string" }, runtimes: { type: "string" }, actors: { type: "string" }, methods: { type: "string" },
    runs: { type: "string" }, "offline-registry": { type: "string" }, "no-offline-registry": { type: "boolean" },
    "hold-ms": { type: "string" }, label: { type: "string" }, json: { type: "boolean" },
  }, "run sweep");
  if (positionals.length) throw new UsageError(`run sweep: unexpected ${JSON.stringify(positionals[0])} (${SWEEP_USAGE})`);
  const list = (v: string | undefined): string[] | undefined => v === undefined ? undefined : v.split(",").map((s) => s.trim()).filter(Boolean);
  const actors = list(values.actors)?.map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`run sweep: --actors takes whole numbers ≥ 1 separated by commas (got ${JSON.stringify(s)})`);
    return n;
  });
  const methods = list(values.methods);
  for (const m of methods ?? []) if (!SWEEP_METHODS.includes(m as SweepMethod)) throw new UsageError(`run sweep: --methods takes ${SWEEP_METHODS.join(", ")} (got ${JSON.stringify(m)})`);
  let holdMs: number | undefined;
  if (values["hold-ms"] !== undefined) {
    holdMs = Number(values["hold-ms"]);
    if (!Number.isInteger(holdMs) || holdMs < 0) throw new UsageError(`run sweep: --hold-ms must be a whole number ≥ 0 (got ${values["hold-ms"]})`);
  }
  if (values["offline-registry"] !== undefined && values["no-offline-registry"]) throw new UsageError("run sweep: give --offline-registry DIR or --no-offline-registry, not both");
  const runtimes = list(values.runtimes);
  const unknown = (runtimes ?? []).filter((r) => !(SWEEP_RUNTIMES as readonly string[]).includes(r));
  // hold-actors would reject it only after the build, once per point
  if (unknown.length) throw new UsageError(`run sweep: unknown runtime ${unknown.join(", ")} (runtimes: ${SWEEP_RUNTIMES.join(", ")})`);
  const result = await memorySweep({
    ...(values.workspace ? { workspace: values.workspace } : {}),
    ...(runtimes ? { runtimes } : {}),
    ...(actors ? { actors } : {}),
    ...(methods ? { methods: methods as SweepMethod[] } : {}),
    ...(values.runs ? { runsRoot: values.runs } : {}),
    ...(values["offline-registry"] ? { offlineRegistry: values["offline-registry"] } : values["no-offline-registry"] ? { offlineRegistry: false as const } : {}),
    ...(holdMs !== undefined ? { holdMs } : {}),
    ...(values.label ? { label: values.label } : {}),
    litlabCommand: ["litlab", ...fullArgv],
    onEvent: (line) => process.stderr.write(line + "\n"),
  });
  for (const f of result.fits) {
    const b = f.bytesPerActor === null ? "—" : `${f.bytesPerActor.toFixed(1)} B/actor [${f.lower?.toFixed(1)}, ${f.upper?.toFixed(1)}] R² ${f.r2?.toFixed(4)}`;
    process.stderr.write(`${f.runtime} ${f.method}: ${b}${f.poorFit ? ` (poor fit: ${f.reasons.join("; ")})` : ""}\n`);
  }
  for (const a of result.agreement) {
    if (a.ratio !== null) process.stderr.write(`${a.runtime}: dhat/jemalloc = ${a.ratio.toFixed(3)} (${a.agree ? "within" : "NOT within"} ${a.tolerance * 100} %)\n`);
  }
  if (values.json) {
    process.stdout.write(JSON.stringify({ dir: result.dir, id: result.manifest.id, status: result.manifest.status, fits: result.fits, agreement: result.agreement }) + "\n");
  } else {
    process.stdout.write(`${result.dir}\n`);
  }
  return result.manifest.status === "ok" ? 0 : 1;
}
