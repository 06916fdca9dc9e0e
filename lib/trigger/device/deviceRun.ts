/**
 * `litlab run device`: run firmware (QEMU, probe-rs) or listen to a device (serial), capture its protocol records
 * and keep everything as a run folder (kind `device`): manifest.json with a `device` block, raw/device.log (exactly
 * what came over the record channel, written as it arrived), the other raw logs, tables/rows.jsonl and
 * tables/device-samples.jsonl. Every user mistake (no such ELF, not an ELF, unsupported machine, no such port, probe-rs
 * missing) is a LitlabError before any folder is created.
 */
import { createHash } from "node:crypto";
import { copyFile, link, mkdir, readFile, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { ProcessResult } from "../process.js";
import { LitlabError } from "../../errors.js";
import { gitState, hostInfo } from "../../capture/environment.js";
import { MANIFEST_SCHEMA_VERSION, type DeviceRunInfo, type RunManifest } from "../../capture/manifest.js";
import { DeviceCapture, type DeviceCaptureResult } from "../../ingest/device/capture.js";
import { deviceRows } from "../../ingest/device/deviceRows.js";
import { elfHeader, readElf as parseElf } from "../../ingest/footprint/elf.js";
import type { TidyRow } from "../../ingest/rows.js";
import { writeFileAtomic, writeJsonLinesAtomic } from "../../store/atomic.js";
import { createRunFolder, runId, RUN_LAYOUT, writeManifest } from "../../store/runFolder.js";
import { LITLAB_VERSION } from "../../version.js";
import { resolveExecutable } from "../memoryTools.js";
import { probeRsCommand, requireProbeRs, runProbeRs } from "./probeRs.js";
import { mapExit, qemuCommand, type QemuChannel, type QemuCommand } from "./qemuCommand.js";
import { runQemu } from "./qemuRun.js";
import { DEFAULT_BAUD, DEFAULT_SERIAL_TIMEOUT_MS, serialCapture } from "./serialCapture.js";

export interface QemuDeviceOptions {
  elf: string;
  machine?: string;
  /** `-icount shift=N`; null = off; default 0. */
  icount?: number | null;
  channel?: QemuChannel;
  timeoutMs?: number;
  /** More words for the firmware's semihosting command line (`-append`). */
  append?: string[];
  /** After the end record, before QEMU is stopped (default 300 ms). */
  graceMs?: number;
}
export interface SerialDeviceOptions { path: string; baud?: number; send?: string; timeoutMs?: number }
export interface ProbeRsDeviceOptions { elf: string; chip: string; timeoutMs?: number; probeRsPath?: string }

export interface DeviceRunOptions {
  /** Exactly one of qemu, serial, probeRs. */
  qemu?: QemuDeviceOptions;
  serial?: SerialDeviceOptions;
  probeRs?: ProbeRsDeviceOptions;
  /** Where run folders go (default `./data/runs`). */
  runsRoot?: string;
  label?: string;
  onEvent?: (line: string) => void;
  /** The litlab command line, recorded in the manifest. */
  litlabCommand?: string[];
  /** Aborting it (Ctrl-C) stops the device run; what arrived is kept and the run is `partial`. */
  signal?: AbortSignal;
}

export interface DeviceRunResult {
  dir: string;
  manifest: RunManifest;
  capture: DeviceCaptureResult;
  rows: TidyRow[];
}

export const DEVICE_RAW = {
  device: "raw/device.log",
  uart: "raw/uart.log",
  serial: "raw/serial.log",
  qemuConsole: "raw/qemu-stdout.log",
  qemuStderr: "raw/qemu-stderr.log",
  probeRsStderr: "raw/probe-rs-stderr.log",
} as const;

export const DEFAULT_DEVICE_TIMEOUT_MS = 60_000;

interface ElfFacts { path: string; sha256: string; bytes: number; header: ReturnType<typeof elfHeader> }

async function readElf(path: string): Promise<ElfFacts> {
  const abs = resolve(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LitlabError("not-found", `${path}: ${code === "ENOENT" ? "no such firmware image (give the path of the ELF your build wrote, e.g. target/thumbv7m-none-eabi/release/NAME)" : code === "EISDIR" ? "a folder, not a firmware ELF" : (e as Error).message}`, { file: path });
  }
  const header = elfHeader(bytes, path); // not an ELF → ParseError naming the file
  parseElf(bytes, path); // a truncated or corrupt ELF too, before QEMU spends its timeout on it
  return { path: abs, sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length, header };
}

function runnerOf(o: DeviceRunOptions): "qemu" | "serial" | "probe-rs" {
  const given = [o.qemu && "qemu", o.serial && "serial", o.probeRs && "probe-rs"].filter((x): x is "qemu" | "serial" | "probe-rs" => !!x);
  if (given.length !== 1) throw new LitlabError("usage", `run device: give exactly one of --qemu ELF, --serial PATH, --probe-rs ELF (got ${given.length ? given.join(" and ") : "none"})`);
  return given[0]!;
}

function timeoutOf(ms: number | undefined, fallback: number): number {
  const t = ms ?? fallback;
  if (!(Number.isFinite(t) && t > 0)) throw new LitlabError("usage", `run device: the timeout must be a positive number of seconds (got ${t / 1000})`);
  return t;
}

export async function runDevice(options: DeviceRunOptions): Promise<DeviceRunResult> {
  const emit = options.onEvent ?? (() => {});
  const runner = runnerOf(options);

  // everything a user can get wrong is checked before a folder exists
  let elf: ElfFacts | null = null;
  let qemu: QemuCommand | null = null;
  let timeoutMs: number;
  let labelBase: string;
  if (options.qemu) {
    elf = await readElf(options.qemu.elf);
    qemu = qemuCommand({
      elf: elf.path, header: elf.header, ...(options.qemu.machine ? { machine: options.qemu.machine } : {}),
      ...(options.qemu.icount !== undefined ? { icountShift: options.qemu.icount } : {}),
      ...(options.qemu.channel ? { channel: options.qemu.channel } : {}), ...(options.qemu.append ? { extraAppend: options.qemu.append } : {}),
    });
    await requireTool(qemu.program, elf.header.machineName === "arm" ? "apt-get install qemu-system-arm" : "apt-get install qemu-system-misc");
    timeoutMs = timeoutOf(options.qemu.timeoutMs, DEFAULT_DEVICE_TIMEOUT_MS);
    labelBase = basename(elf.path).replace(/\.elf$/, "");
  } else if (options.probeRs) {
    elf = await readElf(options.probeRs.elf);
    if (!options.probeRs.chip) throw new LitlabError("usage", "run device: --probe-rs needs --chip CHIP (see `probe-rs chip list`)");
    await requireProbeRs(options.probeRs.probeRsPath);
    timeoutMs = timeoutOf(options.probeRs.timeoutMs, DEFAULT_DEVICE_TIMEOUT_MS);
    labelBase = basename(elf.path).replace(/\.elf$/, "");
  } else {
    const s = options.serial!;
    const st = await stat(s.path).catch(() => null);
    if (st === null) throw new LitlabError("not-found", `${s.path}: no such serial port (is the device plugged in? a socat or QEMU PTY exists only while it runs)`, { file: s.path });
    if (!st.isCharacterDevice()) throw new LitlabError("usage", `${s.path}: not a serial device (a ${st.isDirectory() ? "folder" : "regular file"}); to read a saved log use \`litlab ingest\``, { file: s.path });
    if (s.baud !== undefined && !(Number.isInteger(s.baud) && s.baud > 0)) throw new LitlabError("usage", `run device: --baud must be a positive integer (got ${s.baud})`);
    timeoutMs = timeoutOf(s.timeoutMs, DEFAULT_SERIAL_TIMEOUT_MS);
    labelBase = basename(s.path);
  }

  const { dir, id } = await createRunFolder(resolve(options.runsRoot ?? "data/runs"), runId("device", options.label ?? labelBase), { criterionHome: false });
  await mkdir(join(dir, RUN_LAYOUT.raw), { recursive: true });
  const rawFiles: string[] = [DEVICE_RAW.device];
  const device: DeviceRunInfo = {
    runner,
    argv: qemu ? [qemu.program, ...qemu.args] : options.probeRs ? probeRsCommand(elf!.path, options.probeRs.chip, options.probeRs.probeRsPath) : null,
    elf: elf ? { path: elf.path, sha256: elf.sha256, bytes: elf.bytes } : null,
    machine: qemu ? qemu.machine : options.probeRs ? options.probeRs.chip : null,
    icountShift: qemu ? qemu.icountShift : null,
    ...(options.serial ? { port: { path: options.serial.path, baud: options.serial.baud ?? DEFAULT_BAUD } } : {}),
    send: options.serial?.send ?? (qemu?.channel === "uart" ? "\n" : null),
    channel: qemu ? qemu.channel : options.serial ? "serial" : "defmt",
    result: "failed", exitCode: null, stoppedAfterEnd: false, complete: false, records: 0, problems: [], warnings: [], rawFiles, target: null,
  };
  const startedAt = new Date().toISOString();
  const manifest: RunManifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION, id, kind: "device", label: options.label ?? null,
    command: options.litlabCommand ?? ["litlab", "run", "device", ...(qemu ? ["--qemu", elf!.path] : options.probeRs ? ["--probe-rs", elf!.path, "--chip", options.probeRs.chip] : ["--serial", options.serial!.path])],
    workspace: null, package: null, profile: null, filter: null, criterionVersion: null, criterionFlags: [],
    // the firmware's source state: the git repository the ELF was built in (for serial: where litlab ran)
    git: await gitState(elf ? dirname(elf.path) : process.cwd()),
    toolchain: { rustc: null, cargo: null }, host: hostInfo(), litlabVersion: LITLAB_VERSION, startedAt, endedAt: null,
    status: "running", targets: [], tables: null, criterionHome: null, device,
    owner: { pid: process.pid, hostname: hostInfo().hostname },
  };
  await writeManifest(dir, manifest);

  const capture = new DeviceCapture({ file: DEVICE_RAW.device });
  const problems: string[] = [];
  /** A runner's process has ended: map its exit (and whether the capture completed) onto the device block. */
  const settle = (runnerName: string, r: { process: ProcessResult; stoppedAfterEnd: boolean }): void => {
    const c = capture.finish();
    const m = mapExit({ exitCode: r.process.exitCode, signal: r.process.signal, timedOut: r.process.timedOut, stoppedAfterEnd: r.stoppedAfterEnd, complete: c.complete });
    device.result = m.result;
    device.exitCode = firmwareExitCode(r.process, r.stoppedAfterEnd);
    device.stoppedAfterEnd = r.stoppedAfterEnd;
    if (options.signal?.aborted) {
      emit(`✖ ${runnerName} stopped: interrupted`);
      return;
    }
    if (m.result !== "ok") problems.push(`${runnerName} ${m.message}${m.result === "timeout" ? ` (${timeoutMs / 1000} s)` : ""}`);
    emit(`${m.result === "ok" ? "✔" : "✖"} ${runnerName} ${m.message}`);
  };
  const at = (f: string): string => join(dir, f);
  try {
    if (qemu) {
      if (qemu.channel === "semihosting") {
        rawFiles.push(DEVICE_RAW.uart);
        qemu = qemuCommand({ elf: elf!.path, header: elf!.header, machine: qemu.machine, icountShift: qemu.icountShift, channel: qemu.channel, uartFile: at(DEVICE_RAW.uart), ...(options.qemu!.append ? { extraAppend: options.qemu!.append } : {}) });
        device.argv = [qemu.program, ...qemu.args];
      } else {
        rawFiles.push(DEVICE_RAW.qemuConsole);
      }
      rawFiles.push(DEVICE_RAW.qemuStderr);
      const r = await runQemu({
        command: qemu, cwd: dir, capture, deviceLogPath: at(DEVICE_RAW.device), consoleLogPath: at(DEVICE_RAW.qemuConsole), timeoutMs,
        ...(options.qemu!.graceMs !== undefined ? { graceMs: options.qemu!.graceMs } : {}), onEvent: emit,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      await writeFileAtomic(at(DEVICE_RAW.qemuStderr), r.process.stderr);
      if (r.ptyPath) device.port = { path: r.ptyPath, baud: DEFAULT_BAUD };
      problems.push(...r.problems);
      settle("QEMU", r);
    } else if (options.probeRs) {
      rawFiles.push(DEVICE_RAW.probeRsStderr);
      const r = await runProbeRs({
        elf: elf!.path, chip: options.probeRs.chip, ...(options.probeRs.probeRsPath ? { probeRsPath: options.probeRs.probeRsPath } : {}),
        capture, deviceLogPath: at(DEVICE_RAW.device), stderrLogPath: at(DEVICE_RAW.probeRsStderr), timeoutMs, onEvent: emit,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      device.argv = r.argv;
      settle("probe-rs", r);
    } else {
      const s = options.serial!;
      rawFiles.unshift(DEVICE_RAW.serial);
      const r = await serialCapture({
        path: s.path, baud: s.baud ?? DEFAULT_BAUD, send: s.send ?? null, timeoutMs, capture, rawLogPath: at(DEVICE_RAW.serial), onEvent: emit,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      // raw/device.log is the record channel in every device run: here the same bytes as raw/serial.log
      await link(at(DEVICE_RAW.serial), at(DEVICE_RAW.device)).catch(() => copyFile(at(DEVICE_RAW.serial), at(DEVICE_RAW.device)));
      device.result = r.outcome === "ended" ? "ok" : r.outcome === "timeout" ? "timeout" : "disconnected";
      if (r.outcome !== "ended") problems.push(r.message);
      emit(`${r.outcome === "ended" ? "✔" : "✖"} ${r.message.startsWith(s.path) ? r.message : `${s.path}: ${r.message}`} (${r.bytes} bytes)`);
    }
  } catch (e) {
    if (e instanceof LitlabError && e.code === "serial-open") {
      // the port could not be opened: nothing was captured, so the folder made for it holds nothing worth keeping
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    // a crash of litlab's own: keep what arrived and say the run failed
    const c = capture.finish();
    device.records = c.records.length;
    device.problems = [...problems, (e as Error).message];
    manifest.status = "failed";
    manifest.endedAt = new Date().toISOString();
    await writeManifest(dir, manifest);
    throw e;
  }

  if (options.signal?.aborted) {
    device.result = "interrupted";
    problems.push("interrupted (Ctrl-C): stopped before the end record; every record that arrived is kept");
  }
  const result = capture.finish();
  const { rows, samples } = deviceRows(result, { source: DEVICE_RAW.device, ...(device.icountShift !== null ? { icount: true } : {}) });
  await writeJsonLinesAtomic(at(RUN_LAYOUT.rows), rows);
  // Criterion-shaped samples stay empty; per-event device samples (ticks) have their own table
  await writeJsonLinesAtomic(at(RUN_LAYOUT.samples), []);
  await writeJsonLinesAtomic(at(RUN_LAYOUT.deviceSamples), samples);
  manifest.tables = { rows: RUN_LAYOUT.rows, samples: RUN_LAYOUT.samples, deviceSamples: RUN_LAYOUT.deviceSamples };

  device.complete = result.complete;
  device.records = result.records.length;
  device.target = result.begin?.target ?? null;
  device.problems = [...problems, ...result.problems];
  device.warnings = result.warnings;
  const endFailed = result.end !== null && (result.end.status !== "ok" || (result.end.code !== null && result.end.code !== 0));
  if (endFailed) device.problems.push(`the firmware reported status=${result.end!.status}${result.end!.code === null ? "" : ` code=${result.end!.code}`}`);
  manifest.status = statusOf(device.result, result, endFailed);
  manifest.endedAt = new Date().toISOString();
  await writeManifest(dir, manifest);
  for (const p of device.problems) emit(`problem: ${p}`);
  // the parser's warnings often say why a capture is incomplete (a garbled record, an over-long line): show a few
  for (const w of result.warnings.slice(0, 5)) emit(`warning: ${w}`);
  if (result.warnings.length > 5) emit(`warning: … ${result.warnings.length - 5} more in manifest.json (device.warnings)`);
  emit(`stored run ${id} (${manifest.status}: ${result.records.length} records, ${rows.length} rows${result.begin ? `, ${result.begin.fw} on ${result.begin.target}` : ""}) in ${dir}`);
  return { dir, manifest, capture: result, rows };
}

/**
 * The run's status: `failed` when the process failed (non-zero exit) or the firmware said so; `ok` only for a good
 * exit with a complete capture; everything that kept some records but did not finish cleanly is `partial`.
 */
export function statusOf(result: DeviceRunInfo["result"], capture: DeviceCaptureResult, endFailed: boolean): RunManifest["status"] {
  if (result === "failed" || endFailed) return "failed";
  if (result === "ok" && capture.complete) return "ok";
  return capture.begin !== null || capture.records.length > 0 ? "partial" : "failed";
}

/** QEMU exits 0 on the SIGTERM litlab sends: that code says nothing about the firmware, so it is not recorded. */
function firmwareExitCode(p: { exitCode: number | null; timedOut: boolean }, stoppedAfterEnd: boolean): number | null {
  return stoppedAfterEnd || p.timedOut ? null : p.exitCode;
}

async function requireTool(program: string, install: string): Promise<void> {
  if ((await resolveExecutable(program, process.cwd())) === null) throw new LitlabError("tool-missing", `${program} is not installed or not on PATH (${install})`);
}

