import { formatRunEvent } from "../trigger/events.js";
import { runHost } from "../trigger/hostRun.js";
import { parseCommandArgs, UsageError } from "./usage.js";
import { memoryCommand } from "./memoryCommand.js";
import { sweepCommand } from "./sweepCommand.js";
import { deviceCommand } from "./deviceCommand.js";

export async function runCommand(args: string[], fullArgv: string[]): Promise<number> {
  const [kind, ...rest] = args;
  if (kind === "memory") return memoryCommand(rest, fullArgv);
  if (kind === "sweep") return sweepCommand(rest, fullArgv);
  if (kind === "device") return deviceCommand(rest, fullArgv);
  if (kind !== "host") throw new UsageError(`run: expected \`litlab run host ...\` or \`litlab run memory|sweep ...\` (got ${kind ?? "nothing"})`);
  const { values } = parseCommandArgs(rest, {
    workspace: { type: "string" }, package: { type: "string" }, bench: { type: "string", multiple: true },
    filter: { type: "string" }, profile: { type: "string", default: "quick" }, runs: { type: "string" },
    label: { type: "string" }, "offline-registry": { type: "string" }, json: { type: "boolean" },
  }, "run host");
  if (!values.workspace) throw new UsageError("run host: --workspace DIR is required");
  if (values.profile !== "quick" && values.profile !== "full") throw new UsageError(`run host: --profile must be quick or full (got ${values.profile})`);
  const result = await runHost({
    workspace: values.workspace,
    ...(values.package ? { package: values.package } : {}),
    ...(values.bench ? { benches: values.bench } : {}),
    ...(values.filter ? { filter: values.filter } : {}),
    profile: values.profile,
    ...(values.runs ? { runsRoot: values.runs } : {}),
    ...(values.label ? { label: values.label } : {}),
    ...(values["offline-registry"] ? { offlineRegistry: values["offline-registry"] } : {}),
    command: ["litlab", ...fullArgv],
    onEvent: (e) => {
      const line = formatRunEvent(e);
      if (line !== null) process.stderr.write(line + "\n");
    },
  });
  if (values.json) process.stdout.write(JSON.stringify({ dir: result.dir, id: result.manifest.id, status: result.manifest.status, rows: result.rows.length }) + "\n");
  else process.stdout.write(`${result.dir}\n`);
  return result.manifest.status === "ok" ? 0 : 1;
}
