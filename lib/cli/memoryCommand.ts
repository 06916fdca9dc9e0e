import { runMemory } from "../trigger/memoryRun.js";
import { MEMORY_TOOLS, type MemoryCaptureTool } from "../trigger/memoryTools.js";
import { parseCommandArgs, UsageError } from "./usage.js";

export const MEMORY_USAGE = "litlab run memory --tool dhat|massif|jemalloc|time|rss [--label L] [--runs DIR] [--interval MS] [--timeout S] [--cwd DIR] [--json] (-- COMMAND... | --bench-target EXE --filter ID [--profile-time S])";

/**
 * `litlab run memory ...` (`args` are the words after `memory`): profile a command, or one Criterion benchmark,
 * and print the run folder. Everything after `--` is the command, passed on untouched (its own flags included).
 */
export async function memoryCommand(args: string[], fullArgv: string[]): Promise<number> {
  const dash = args.indexOf("--");
  const own = dash < 0 ? args : args.slice(0, dash);
  const command = dash < 0 ? [] : args.slice(dash + 1);
  const { values, positionals } = parseCommandArgs(own, {
    tool: { type: "string" }, label: { type: "string" }, runs: { type: "string" }, interval: { type: "string" },
    timeout: { type: "string" }, cwd: { type: "string" }, json: { type: "boolean" }, stacks: { type: "boolean" },
    "bench-target": { type: "string" }, filter: { type: "string" }, "profile-time": { type: "string" },
  }, "run memory");
  if (positionals.length) throw new UsageError(`run memory: unexpected ${JSON.stringify(positionals[0])}; put the command after -- (${MEMORY_USAGE})`);
  if (!values.tool) throw new UsageError(`run memory: --tool is required (${MEMORY_USAGE})`);
  if (!MEMORY_TOOLS.includes(values.tool as MemoryCaptureTool)) throw new UsageError(`run memory: --tool must be one of ${MEMORY_TOOLS.join(", ")} (got ${values.tool})`);
  const number = (name: string, v: string | undefined, min: number): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new UsageError(`run memory: --${name} must be a number ≥ ${min} (got ${v})`);
    return n;
  };
  const interval = number("interval", values.interval, 1);
  const timeout = number("timeout", values.timeout, 1);
  const profileTime = number("profile-time", values["profile-time"], 1);
  const benchExe = values["bench-target"];
  if (benchExe !== undefined && values.filter === undefined) throw new UsageError("run memory: --bench-target needs --filter ID (anchor it: 'group/function/param$')");
  if (benchExe === undefined && (values.filter !== undefined || profileTime !== undefined)) throw new UsageError("run memory: --filter and --profile-time go with --bench-target EXE");
  if (benchExe !== undefined && command.length) throw new UsageError("run memory: give either a command after -- or --bench-target, not both");
  if (benchExe === undefined && command.length === 0) throw new UsageError(`run memory: no command to profile (${MEMORY_USAGE})`);

  const result = await runMemory({
    tool: values.tool as MemoryCaptureTool,
    command,
    ...(values.label ? { label: values.label } : {}),
    ...(values.runs ? { runsRoot: values.runs } : {}),
    ...(values.cwd ? { cwd: values.cwd } : {}),
    ...(interval !== undefined ? { rssIntervalMs: interval } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    ...(values.stacks ? { massifStacks: true } : {}),
    ...(benchExe !== undefined ? { benchTarget: { executable: benchExe, filter: values.filter!, ...(profileTime !== undefined ? { profileSeconds: profileTime } : {}) } } : {}),
    litlabCommand: ["litlab", ...fullArgv],
    onEvent: (line) => process.stderr.write(line + "\n"),
  });
  if (values.json) {
    process.stdout.write(JSON.stringify({ dir: result.dir, id: result.manifest.id, status: result.manifest.status, tool: values.tool, rawFiles: result.rawFiles, tables: result.manifest.tables }) + "\n");
  } else {
    process.stdout.write(`${result.dir}\n`);
  }
  return result.manifest.status === "ok" ? 0 : 1;
}
