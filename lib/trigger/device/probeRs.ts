/**
 * Runs firmware on real hardware through `probe-rs run --chip CHIP ELF` (flash, run, print defmt/RTT output).
 * probe-rs prints the decoded defmt lines on stdout (`0.000012 INFO  @LB bench ...` with timestamps, `INFO  @LB ...`
 * without, each followed by a `└─ crate::fn @ src/main.rs:42` location line) and its progress bars on stderr. The
 * record marker is found anywhere in a line, so stdout goes to the capture unchanged. Like QEMU, `probe-rs run`
 * keeps running while the firmware spins: it is stopped after the end record and a short grace.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { LitlabError } from "../../errors.js";
import { resolveExecutable } from "../memoryTools.js";
import { runProcess, type ProcessResult } from "../process.js";
import type { CaptureSink } from "./serialCapture.js";

export const PROBE_RS_INSTALL = "install probe-rs (`cargo install probe-rs-tools --locked`, or the installer from https://probe.rs) and attach a debug probe";

export interface ProbeRsRunOptions {
  elf: string;
  /** Aborting it (Ctrl-C) stops probe-rs. */
  signal?: AbortSignal;
  chip: string;
  /** The probe-rs executable (default `probe-rs` on PATH; tests point it at a recorded transcript). */
  probeRsPath?: string;
  capture: CaptureSink;
  deviceLogPath: string;
  stderrLogPath: string;
  timeoutMs: number;
  /** After the end record (default 500 ms). */
  graceMs?: number;
  onEvent?: (line: string) => void;
}

export interface ProbeRsRunResult {
  process: ProcessResult;
  argv: string[];
  stoppedAfterEnd: boolean;
}

/** The argv, as an array (never a shell string). */
export function probeRsCommand(elf: string, chip: string, probeRsPath = "probe-rs"): string[] {
  return [probeRsPath, "run", "--chip", chip, elf];
}

/** probe-rs's full path, or a tool-missing LitlabError saying what to install. */
export async function requireProbeRs(probeRsPath = "probe-rs", cwd = process.cwd()): Promise<string> {
  const found = await resolveExecutable(probeRsPath, cwd);
  if (found === null) throw new LitlabError("tool-missing", `${probeRsPath} is not installed or not on PATH: ${PROBE_RS_INSTALL}`, { file: probeRsPath });
  return found;
}

export async function runProbeRs(o: ProbeRsRunOptions): Promise<ProbeRsRunResult> {
  const emit = o.onEvent ?? (() => {});
  const program = await requireProbeRs(o.probeRsPath);
  const argv = probeRsCommand(o.elf, o.chip, program);
  const stop = new AbortController();
  o.signal?.addEventListener("abort", () => stop.abort(), { once: true });
  let stoppedAfterEnd = false;
  let grace: NodeJS.Timeout | undefined;
  const deviceLog = openSync(o.deviceLogPath, "a");
  const stderrLog = openSync(o.stderrLogPath, "a");
  emit(`▶ ${argv.join(" ")}`);
  let result: ProcessResult;
  try {
    result = await runProcess(argv[0]!, argv.slice(1), {
      timeoutMs: o.timeoutMs,
      signal: stop.signal,
      onStdoutData: (chunk) => {
        writeSync(deviceLog, chunk);
        o.capture.push(chunk);
        if (o.capture.ended && grace === undefined) grace = setTimeout(() => { stoppedAfterEnd = true; stop.abort(); }, o.graceMs ?? 500);
      },
      // progress bars and "Finished in": useful to the user, kept apart from the record channel
      onStderrLine: (line) => { writeSync(stderrLog, line + "\n"); emit(`probe-rs: ${line}`); },
    });
  } catch (e) {
    if (e instanceof LitlabError && e.code === "tool-missing") throw new LitlabError("tool-missing", `${e.message}: ${PROBE_RS_INSTALL}`, { file: program });
    throw e;
  } finally {
    clearTimeout(grace);
    closeSync(deviceLog);
    closeSync(stderrLog);
  }
  return { process: result, argv, stoppedAfterEnd };
}
