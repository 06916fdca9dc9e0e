/**
 * The I/O edge of the device parser: the `device-records` FormatReader for ingestPath's READERS list.
 * Detection reads the first 64 KiB and needs one well-formed record line (marker `@LB ` + a parseable record), so a
 * README or firmware source quoting the protocol (`iters=N`) is not taken for a device log. headOf is not used: it
 * refuses any file with a NUL byte, and a serial log often starts with a few NULs or 0xFF bytes from the UART's
 * power-up. Binaries (the firmware's ELF, an archive, a raw flash image, all holding the format strings) are told
 * apart by their magic number or by holding many NULs.
 */
import { open, readFile } from "node:fs/promises";
import { basename } from "node:path";
import { ParseError } from "../../errors.js";
import type { FormatReader } from "../ingestPath.js";
import { DETECT_BYTES } from "../headOf.js";
import { parseDeviceLog, type DeviceCaptureResult } from "./capture.js";
import { deviceRows, DEVICE_RECORDS_FORMAT } from "./deviceRows.js";
import { DEVICE_MARKER, parseRecordLine } from "./records.js";

/** The first 64 KiB of a file as text, or "" when it cannot be read or is a binary (ELF, ar archive, many NULs). */
async function textHead(path: string): Promise<string> {
  let fh;
  try {
    fh = await open(path, "r");
    const buf = Buffer.alloc(DETECT_BYTES);
    const { bytesRead } = await fh.read(buf, 0, DETECT_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    if (head.subarray(0, 4).equals(Buffer.from("\x7fELF", "latin1")) || head.subarray(0, 8).toString("latin1") === "!<arch>\n") return "";
    let nul = 0;
    for (const b of head) if (b === 0) nul++;
    return nul > Math.max(16, bytesRead / 100) ? "" : head.toString("utf8");
  } catch {
    return "";
  } finally {
    await fh?.close();
  }
}

/** Does this text (a file's head) hold at least one well-formed device record? */
export function looksLikeDeviceLog(head: string): boolean {
  if (!head.includes(DEVICE_MARKER)) return false;
  const lines = head.split("\n");
  // the last line of a 64 KiB head may be cut: it does not count
  if (lines.length > 1) lines.pop();
  return lines.some((line, i) => {
    if (!line.includes(DEVICE_MARKER)) return false;
    const parsed = parseRecordLine(line, i + 1);
    return parsed !== null && typeof parsed !== "string";
  });
}

/** The ParseError for a file with nothing of the protocol in it (no begin record, no records). */
export function noDeviceRecords(path: string, result: DeviceCaptureResult): ParseError {
  const bad = result.warnings.length ? ` (${result.warnings.length} malformed record line(s), first: ${result.warnings[0]})` : "";
  return new ParseError(path, `no device records found: no line holds a well-formed "${DEVICE_MARKER}" record${bad}; see README "Device record protocol" for what a firmware prints`);
}

export const deviceRecordsReader: FormatReader = {
  kind: DEVICE_RECORDS_FORMAT,
  expects: `device-records: a device log with litlab protocol lines (\`${DEVICE_MARKER}begin proto=1 …\`, \`${DEVICE_MARKER}bench id=… iters=N ticks=N\`, \`${DEVICE_MARKER}end records=N status=ok\`), from a serial port, QEMU or probe-rs`,
  async detect(path, isDir) {
    if (isDir) return false;
    return looksLikeDeviceLog(await textHead(path));
  },
  async read(path, isDir) {
    if (isDir) throw new ParseError(path, "is a folder; the device-records reader reads one device log");
    // invalid UTF-8 becomes U+FFFD here: a record with such bytes inside is a warning, never a crash
    const text = await readFile(path, "utf8");
    const result = parseDeviceLog(text, path);
    if (result.begin === null && result.records.length === 0) throw noDeviceRecords(path, result);
    const { rows, samples: deviceSamples } = deviceRows(result, { source: basename(path) });
    // an incomplete capture still gives its rows: what went wrong is a warning, not an error
    const warnings = [...result.problems.map((p) => `incomplete capture: ${p}`), ...result.warnings];
    return { rows, samples: [], ...(deviceSamples.length ? { deviceSamples } : {}), warnings };
  },
};
