import { installKernel } from "../kernel/index.js";
import { PROJECT_ROOT } from "../version.js";
import { parseCommandArgs, UsageError } from "./usage.js";

export async function kernelCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== "install") throw new UsageError(`kernel: expected \`litlab kernel install [--user|--project|--sys]\``);
  const { values } = parseCommandArgs(rest, { user: { type: "boolean" }, project: { type: "boolean" }, sys: { type: "boolean" } }, "kernel install");
  const chosen = (["user", "project", "sys"] as const).filter((s) => values[s]);
  if (chosen.length > 1) throw new UsageError("kernel install: choose one of --user, --project, --sys");
  const scope = chosen[0] ?? "user";
  const { dir } = await installKernel({ scope, projectRoot: PROJECT_ROOT });
  process.stdout.write(`installed kernel "litlab (TypeScript)" in ${dir}\n`);
  if (scope === "project") process.stdout.write(`use it with: JUPYTER_PATH=${PROJECT_ROOT}/.jupyter-prefix/share/jupyter jupyter lab\n`);
  return 0;
}
