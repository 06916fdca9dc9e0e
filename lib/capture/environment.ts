import os from "node:os";
import { probe } from "../trigger/process.js";
import { parseRustcVerbose, type GitState, type HostInfo, type ToolchainInfo } from "./manifest.js";

/** Where the run happened: the facts that make two runs comparable or not. */
export function hostInfo(): HostInfo {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    os: `${os.type()} ${os.release()}`,
    kernel: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryBytes: os.totalmem(),
  };
}

export async function gitState(dir: string): Promise<GitState> {
  const commit = await probe("git", ["rev-parse", "HEAD"], dir);
  if (commit === null) return { commit: null, dirty: null, branch: null };
  const status = await probe("git", ["status", "--porcelain"], dir);
  const branch = await probe("git", ["rev-parse", "--abbrev-ref", "HEAD"], dir);
  return { commit, dirty: status === null ? null : status.length > 0, branch };
}

export async function toolchainInfo(cwd: string, cargo = "cargo"): Promise<ToolchainInfo> {
  const rustc = await probe("rustc", ["-vV"], cwd);
  return { rustc: rustc === null ? null : parseRustcVerbose(rustc), cargo: await probe(cargo, ["--version"], cwd) };
}
