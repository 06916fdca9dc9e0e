/**
 * Runs one firmware image under QEMU (runProcess: own process group, timeout, group killed) and feeds its record
 * channel to a capture as it arrives:
 * - semihosting: QEMU's stdout, byte for byte, into the capture and raw/device.log;
 * - uart: QEMU's `-serial pty` opened through serialCapture (QEMU's stdout then only carries semihosting text and
 *   the `char device redirected to /dev/pts/N` line, kept in its own log).
 * QEMU never exits on its own when the firmware spins after its end record: once the end record arrived and a
 * short grace passed, the group is stopped (`stoppedAfterEnd`).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { runProcess, type ProcessResult } from "../process.js";
import { ptyPathOf, type QemuCommand } from "./qemuCommand.js";
import { serialCapture, type CaptureSink, type SerialCaptureResult } from "./serialCapture.js";

export interface QemuRunOptions {
  command: QemuCommand;
  /** Aborting it (Ctrl-C) stops QEMU and its process group. */
  signal?: AbortSignal;
  cwd?: string;
  capture: CaptureSink;
  /** Exactly what was captured from the record channel. */
  deviceLogPath: string;
  /** uart channel: QEMU's own stdout (semihosting text, the PTY line). */
  consoleLogPath?: string;
  timeoutMs: number;
  /** How long QEMU may go on after the end record before it is stopped (default 300 ms; it exits in ~30 ms). */
  graceMs?: number;
  onEvent?: (line: string) => void;
}

export interface QemuRunResult {
  process: ProcessResult;
  stoppedAfterEnd: boolean;
  /** uart channel: the PTY QEMU made (null when none was announced). */
  ptyPath: string | null;
  serial: SerialCaptureResult | null;
  problems: string[];
}

export const DEFAULT_GRACE_MS = 300;
/**
 * QEMU `-serial pty` handshake (firmware started with `wait-uart`): litlab repeats PTY_WAKE until the firmware
 * writes anything, and sends PTY_ACK once the end record arrived. A firmware that exits right after its end record
 * loses its tail: QEMU closes the PTY and Linux discards what litlab had not read yet (measured: the end record
 * was lost). So in `wait-uart` mode the firmware waits for PTY_ACK before SYS_EXIT (or spins; litlab then stops it).
 */
export const PTY_WAKE = "\n";
export const PTY_ACK = "q";
/** After QEMU exited, the PTY reader gets this long to drain before it is stopped. */
const PTY_DRAIN_MS = 200;

export async function runQemu(o: QemuRunOptions): Promise<QemuRunResult> {
  const emit = o.onEvent ?? (() => {});
  const graceMs = o.graceMs ?? DEFAULT_GRACE_MS;
  const stop = new AbortController();
  // the caller's interrupt (Ctrl-C) stops QEMU like a timeout would; the caller says why
  o.signal?.addEventListener("abort", () => stop.abort(), { once: true });
  let stoppedAfterEnd = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const problems: string[] = [];
  const armStop = (): void => {
    if (graceTimer !== undefined || stop.signal.aborted) return;
    graceTimer = setTimeout(() => { stoppedAfterEnd = true; stop.abort(); }, graceMs);
  };

  const uart = o.command.channel === "uart";
  const deviceLog = uart ? null : openSync(o.deviceLogPath, "a");
  const consoleLog = uart && o.consoleLogPath ? openSync(o.consoleLogPath, "a") : null;
  let ptyPath: string | null = null;
  let serialPromise: Promise<SerialCaptureResult | null> | null = null;
  const serialStop = new AbortController();

  emit(`▶ ${[o.command.program, ...o.command.args].join(" ")}`);
  let result: ProcessResult;
  try {
    result = await runProcess(o.command.program, o.command.args, {
      ...(o.cwd ? { cwd: o.cwd } : {}),
      timeoutMs: o.timeoutMs,
      signal: stop.signal,
      onStdoutData: (chunk) => {
        if (deviceLog !== null) {
          writeSync(deviceLog, chunk);
          o.capture.push(chunk);
          if (o.capture.ended) armStop();
        } else if (consoleLog !== null) {
          writeSync(consoleLog, chunk);
        }
      },
      onStdoutLine: (line) => {
        if (!uart || ptyPath !== null) return;
        const p = ptyPathOf(line);
        if (p === null) return;
        ptyPath = p;
        emit(`◀ QEMU's UART is ${p}`);
        // the firmware waits for one byte (`wait-uart`) so nothing is written before the PTY is open
        serialPromise = serialCapture({
          path: p, send: PTY_WAKE, repeatSendMs: 250, sendOnEnd: PTY_ACK, graceMs, timeoutMs: o.timeoutMs, capture: o.capture, rawLogPath: o.deviceLogPath,
          signal: serialStop.signal, onEvent: emit,
        }).then((r) => {
          if (r.outcome === "ended") armStop();
          return r;
        }, (e: unknown) => {
          problems.push(`cannot read QEMU's UART ${p}: ${(e as Error).message}`);
          stop.abort();
          return null;
        });
      },
      onStderrLine: (line) => emit(`qemu: ${line}`),
    });
  } finally {
    clearTimeout(graceTimer);
    if (deviceLog !== null) closeSync(deviceLog);
    if (consoleLog !== null) closeSync(consoleLog);
  }
  let serial: SerialCaptureResult | null = null;
  if (serialPromise !== null) {
    const drain = setTimeout(() => serialStop.abort(), PTY_DRAIN_MS);
    serial = await (serialPromise as Promise<SerialCaptureResult | null>);
    clearTimeout(drain);
  } else if (uart) {
    problems.push("QEMU did not announce its UART PTY (no `char device redirected to /dev/pts/N` line on stdout)");
  }
  return { process: result, stoppedAfterEnd, ptyPath, serial, problems };
}
