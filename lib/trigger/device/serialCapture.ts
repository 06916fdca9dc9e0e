/**
 * Reads device records from a serial port (a USB-UART, a socat PTY, QEMU's `-serial pty`) with serialport: open,
 * optionally send a start command, feed every chunk to the capture, stop at the end record, a timeout, an abort, or
 * when the device disappears. Every byte is appended to the raw log with a synchronous write as it arrives, so a
 * litlab killed mid-run still leaves everything received on disk.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { SerialPort } from "serialport";
import { LitlabError } from "../../errors.js";

/** What serialCapture needs of lib/ingest/device/capture.ts DeviceCapture. */
export interface CaptureSink {
  push(chunk: string | Uint8Array): void;
  readonly ended: boolean;
}

export interface SerialCaptureOptions {
  path: string;
  /** Default 115200 (ignored by PTYs). */
  baud?: number;
  /** Written once after opening (already unescaped: see unescapeSend). */
  send?: string | null;
  /** Give up after this long without an end record (default 60 s). */
  timeoutMs?: number;
  capture: CaptureSink;
  /** Raw bytes are appended here as they arrive. */
  rawLogPath: string;
  /** Stop early (e.g. QEMU exited). */
  signal?: AbortSignal;
  /**
   * Repeat `send` every this many ms until the first byte arrives (default: send once). QEMU's `-serial pty` only
   * notices a reader about once a second and drops what was written before (measured: a byte sent at once is lost,
   * one sent after 1.2 s arrives), so a wake-up byte is repeated until the firmware answers.
   */
  repeatSendMs?: number;
  /** Written once when the end record arrived (QEMU pty mode: the firmware waits for it before it exits). */
  sendOnEnd?: string;
  /** After the end record, keep reading this long for trailing output (default 0: stop at once). */
  graceMs?: number;
  onEvent?: (line: string) => void;
}

export type SerialOutcome = "ended" | "timeout" | "disconnected" | "aborted";

export interface SerialCaptureResult {
  outcome: SerialOutcome;
  /** In words: why the capture stopped. */
  message: string;
  bytes: number;
  sent: string | null;
  startedAt: string;
  endedAt: string;
}

export const DEFAULT_SERIAL_TIMEOUT_MS = 60_000;
export const DEFAULT_BAUD = 115200;

/** `--send` text with C-like escapes: `\n`, `\r`, `\t`, `\0`, `\\`, `\xHH`. An unknown escape is kept as written. */
export function unescapeSend(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|[nrt0\\])/g, (_, e: string) => {
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: "\n", r: "\r", t: "\t", "0": "\0", "\\": "\\" } as Record<string, string>)[e]!;
  });
}

/** Opens the port or throws a LitlabError naming it (missing device, no permission, not a tty). */
async function openPort(path: string, baud: number): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: baud, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  return port;
}

export async function serialCapture(o: SerialCaptureOptions): Promise<SerialCaptureResult> {
  const emit = o.onEvent ?? (() => {});
  const baud = o.baud ?? DEFAULT_BAUD;
  const timeoutMs = o.timeoutMs ?? DEFAULT_SERIAL_TIMEOUT_MS;
  const startedAt = new Date().toISOString();
  let port: SerialPort;
  try {
    port = await openPort(o.path, baud);
  } catch (e) {
    const msg = (e as Error).message;
    const hint = /ENOENT|No such file/i.test(msg) ? " (no such device: is it plugged in? PTYs from socat or QEMU exist only while they run)"
      : /EACCES|Permission/i.test(msg) ? " (permission denied: add yourself to the dialout group)" : "";
    // serialport's own words for the two common cases are obscure: say what they mean
    if (/Cannot lock port|Resource temporarily unavailable/i.test(msg)) throw new LitlabError("serial-open", `${o.path} is in use by another process (close the other terminal or litlab reading it)`, { file: o.path });
    if (/Inappropriate ioctl/i.test(msg)) throw new LitlabError("serial-open", `${o.path} is not a serial port (not a tty); give the device's port, e.g. /dev/ttyACM0, or a PTY`, { file: o.path });
    throw new LitlabError("serial-open", `cannot open serial port ${o.path}: ${msg}${hint}`, { file: o.path });
  }
  const raw = openSync(o.rawLogPath, "a");
  let bytes = 0;
  emit(`◀ reading ${o.path} at ${baud} baud`);

  const outcome = await new Promise<{ outcome: SerialOutcome; message: string }>((resolve) => {
    let done = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (outcome: SerialOutcome, message: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(grace);
      clearInterval(repeat);
      o.signal?.removeEventListener("abort", onAbort);
      resolve({ outcome, message });
    };
    const timer = setTimeout(() => finish("timeout", `no end record within ${timeoutMs / 1000} s`), timeoutMs);
    const onAbort = (): void => finish("aborted", "stopped by the runner");
    if (o.signal?.aborted) onAbort();
    o.signal?.addEventListener("abort", onAbort, { once: true });
    let repeat: NodeJS.Timeout | undefined;
    port.on("data", (chunk: Buffer) => {
      clearInterval(repeat);
      writeSync(raw, chunk);
      bytes += chunk.length;
      o.capture.push(chunk);
      if (o.capture.ended && grace === undefined && !done) {
        if (o.sendOnEnd) port.write(o.sendOnEnd, () => {});
        const g = o.graceMs ?? 0;
        if (g <= 0) finish("ended", "the end record arrived");
        else grace = setTimeout(() => finish("ended", "the end record arrived"), g);
      }
    });
    // a PTY whose other side closed reads EIO (serialport closes with a DisconnectedError); a USB device that is
    // unplugged reads ENXIO; a zero-byte read ends the stream
    port.on("close", (err: (Error & { disconnected?: boolean }) | null) => {
      finish("disconnected", `${o.path} disappeared mid-run${err?.message ? ` (${err.message})` : ""}`);
    });
    port.on("end", () => finish("disconnected", `${o.path} reached end of file (the other side closed)`));
    port.on("error", (err: Error) => finish("disconnected", `${o.path}: ${err.message}`));
    if (o.send) {
      const send = o.send;
      const write = (): void => {
        port.write(send, (err) => {
          if (err) finish("disconnected", `cannot write to ${o.path}: ${err.message}`);
        });
      };
      write();
      emit(`▶ sent ${JSON.stringify(send)}${o.repeatSendMs ? ` (repeated every ${o.repeatSendMs} ms until the device answers)` : ""}`);
      if (o.repeatSendMs && o.repeatSendMs > 0) repeat = setInterval(write, o.repeatSendMs);
    }
  });

  // release the port whatever happened (a disconnected port is already closed)
  if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  port.removeAllListeners();
  // a write still queued when the other side vanished fails later: it must not become an unhandled 'error'
  port.on("error", () => {});
  closeSync(raw);
  return { ...outcome, bytes, sent: o.send ?? null, startedAt, endedAt: new Date().toISOString() };
}
