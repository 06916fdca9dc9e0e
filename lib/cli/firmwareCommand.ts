/**
 * `litlab firmware build [--target T] [--profile release|dev] [--dir DIR] [--json]`: build the reference firmware
 * (or a firmware crate laid out like it) with Debian's rustc-web and -Zbuild-std, and print the ELF's path.
 */
import { join } from "node:path";
import { buildFirmware, type FirmwareTarget } from "../trigger/firmwareBuild.js";
import { PROJECT_ROOT } from "../version.js";
import { helpRequested, parseCommandArgs, UsageError } from "./usage.js";

const TARGETS: readonly FirmwareTarget[] = ["thumbv7m-none-eabi", "riscv32imac-unknown-none-elf"];
export const FIRMWARE_USAGE = `firmware build [--target ${TARGETS.join("|")}] [--profile release|dev] [--dir DIR] [--json]`;

export async function firmwareCommand(args: string[]): Promise<number> {
  if (helpRequested(args, FIRMWARE_USAGE)) return 0;
  const [verb, ...rest] = args;
  if (verb !== "build") throw new UsageError(`firmware: expected \`litlab ${FIRMWARE_USAGE}\` (got ${verb ?? "nothing"})`);
  const { values, positionals } = parseCommandArgs(rest, {
    target: { type: "string", default: TARGETS[0] }, profile: { type: "string", default: "release" },
    dir: { type: "string" }, json: { type: "boolean" },
  }, "firmware build");
  if (positionals.length) throw new UsageError(`firmware build: unexpected ${JSON.stringify(positionals[0])} (${FIRMWARE_USAGE})`);
  const target = values.target as FirmwareTarget;
  if (!TARGETS.includes(target)) throw new UsageError(`firmware build: --target must be one of ${TARGETS.join(", ")} (got ${values.target})`);
  if (values.profile !== "release" && values.profile !== "dev") throw new UsageError(`firmware build: --profile must be release or dev (got ${values.profile})`);
  const build = await buildFirmware({
    dir: values.dir ?? join(PROJECT_ROOT, "workloads/firmware"),
    target,
    profile: values.profile,
    onLine: (line) => process.stderr.write(line + "\n"),
  });
  process.stdout.write(values.json ? JSON.stringify(build) + "\n" : `${build.elf}\n`);
  return 0;
}
