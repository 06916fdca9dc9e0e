/**
 * A device capture: the lines of one device log (a serial port, QEMU's UART/semihosting, `probe-rs run`) read into
 * protocol records, with the begin/end bookkeeping that says whether the capture is complete. Pure and incremental:
 * feed it chunks as they arrive; the result is the same however the text was cut into chunks.
 *
 * Completeness. A capture is complete when exactly one begin arrived, then one end whose `records` equals the
 * records received in between (unknown record types count, malformed lines do not: a record lost on the wire makes
 * the count disagree), and no record came outside begin..end. Anything else is a problem, and every record that did
 * arrive is kept:
 * - a second begin before an end means the device restarted: records from BOTH parts are kept (rows may then hold
 *   the same id twice), `begin` is the last begin and the count is checked against the part after it;
 * - records before the begin or after the end (a previous run's tail in a serial buffer, a device that kept
 *   running) are kept too, and named as a problem, since they may not belong to this run.
 * A held partial line at finish() was cut (the stream stopped mid-line): it is not read, even if it looks whole
 * (`ticks=12` may have been `ticks=1234`), and is a warning when it holds the marker.
 */
import { DEVICE_MARKER, DEVICE_PROTOCOL_VERSION, parseRecordLine, type DeviceBegin, type DeviceEnd, type DeviceRecord } from "./records.js";

export interface DeviceCaptureResult {
  begin: DeviceBegin | null;
  end: DeviceEnd | null;
  records: DeviceRecord[];
  /** begin + end arrived and end.records equals the records received in between (and nothing else went wrong: see capture.ts). */
  complete: boolean;
  /** Why the capture is incomplete (no begin, no end record, count mismatch "end says 12, got 11", device restarted at line N). Empty when complete. */
  problems: string[];
  /** Skipped malformed lines and unknown record types, each naming the line number. */
  warnings: string[];
  /** Lines seen in total (records or not). */
  lines: number;
  /** Records of types this version does not know (counted for the end record, otherwise ignored). */
  unknownRecords: number;
  /** The file the log came from, when given. */
  file: string | null;
}

const DEFAULT_MAX_LINE = 4096;
/** A garbage file may hold a marker on every line: beyond this many, warnings are only counted. */
const MAX_WARNINGS = 200;

type State = "before" | "open" | "closed";

/** Incremental: feed chunks as they arrive from a serial port or a child process; a partial last line is held until its newline. */
export class DeviceCapture {
  private readonly file: string | null;
  private readonly maxLine: number;
  private decoder: TextDecoder | null = null;
  private held = "";
  /** The line being held grew past maxLine: drop everything up to its newline. */
  private skipping = false;
  private lineNo = 0;
  private state: State = "before";
  private begin: DeviceBegin | null = null;
  private end: DeviceEnd | null = null;
  private sawEnd = false;
  private readonly records: DeviceRecord[] = [];
  private readonly problems: string[] = [];
  private readonly warnings: string[] = [];
  private droppedWarnings = 0;
  private unknown = 0;
  /** Records counted since the last begin (what the end record's `records` must equal). */
  private sinceBegin = 0;
  private outside: { before: number[]; after: number[] } = { before: [], after: [] };
  private finished: DeviceCaptureResult | null = null;

  constructor(options: { file?: string; maxLineLength?: number /* default 4096: longer lines are garbage, skipped with a warning, never buffered without bound */ } = {}) {
    this.file = options.file ?? null;
    this.maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE;
  }

  push(chunk: string | Uint8Array): void {
    if (this.finished) throw new Error("DeviceCapture.push after finish()");
    let text: string;
    if (typeof chunk === "string") {
      text = this.flushDecoder() + chunk;
    } else {
      // stream: a multi-byte character cut between two chunks is decoded whole; bad bytes become U+FFFD, never throw
      this.decoder ??= new TextDecoder("utf-8", { fatal: false });
      text = this.decoder.decode(chunk, { stream: true });
    }
    this.feed(text);
  }

  pushLine(line: string): void {
    this.push(`${line}\n`);
  }

  /** true once an end record arrived (a runner may stop reading then). */
  get ended(): boolean {
    return this.sawEnd;
  }

  /** Flushes a held partial line (it was cut: a warning if it looked like a record) and returns the result. */
  finish(): DeviceCaptureResult {
    if (this.finished) return this.finished;
    this.feed(this.flushDecoder());
    if (this.skipping || this.held !== "") {
      this.lineNo++;
      if (this.skipping) this.warn(`line ${this.lineNo}: longer than ${this.maxLine} characters: skipped`);
      else if (this.held.includes(DEVICE_MARKER)) this.warn(`line ${this.lineNo}: cut off (the log ends without a newline after it): skipped`);
    }
    this.held = "";
    this.skipping = false;
    const problems = [...this.problems];
    const any = this.records.length + this.unknown > 0;
    if (this.begin === null) {
      problems.push(any || this.end
        ? "no begin record (the records that arrived are kept, but the firmware, target and clock are unknown)"
        : `no device records found: no line holds a well-formed "${DEVICE_MARKER}" record (not a litlab device log? see README "Device record protocol")`);
    } else if (this.state === "open") {
      problems.push(`no end record (the log stops after line ${this.lineNo}: the device hung, was reset or the capture was cut short)`);
    }
    if (this.outside.before.length && this.begin) problems.push(`${this.outside.before.length} record(s) before the begin record (first at line ${this.outside.before[0]}): kept, but they may be from an earlier run`);
    if (this.outside.after.length) problems.push(`${this.outside.after.length} record(s) after the end record (first at line ${this.outside.after[0]}): kept`);
    const warnings = [...this.warnings];
    if (this.droppedWarnings) warnings.push(`… and ${this.droppedWarnings} more warnings`);
    this.finished = {
      begin: this.begin, end: this.end, records: this.records, complete: problems.length === 0, problems, warnings,
      lines: this.lineNo, unknownRecords: this.unknown, file: this.file,
    };
    return this.finished;
  }

  private flushDecoder(): string {
    if (!this.decoder) return "";
    const rest = this.decoder.decode();
    this.decoder = null;
    return rest;
  }

  private feed(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl === -1) break;
      const piece = text.slice(start, nl);
      start = nl + 1;
      this.lineNo++;
      if (this.skipping || this.held.length + piece.length > this.maxLine) {
        this.warn(`line ${this.lineNo}: longer than ${this.maxLine} characters: skipped`);
        this.held = "";
        this.skipping = false;
        continue;
      }
      const line = this.held + piece;
      this.held = "";
      this.line(line);
    }
    if (this.skipping) return;
    const tail = text.slice(start);
    if (this.held.length + tail.length > this.maxLine) {
      // never buffer without bound: the rest of this line is dropped up to its newline
      this.held = "";
      this.skipping = true;
    } else {
      this.held += tail;
    }
  }

  private warn(message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
    else this.droppedWarnings++;
  }

  private line(text: string): void {
    const parsed = parseRecordLine(text, this.lineNo);
    if (parsed === null) return;
    if (typeof parsed === "string") {
      this.warn(parsed);
      return;
    }
    const n = this.lineNo;
    if ("begin" in parsed) {
      const b = parsed.begin;
      if (this.state === "open") this.problems.push(`device restarted at line ${n}: a second begin record before an end (line ${this.begin!.line}); records from both parts are kept`);
      else if (this.state === "closed") this.problems.push(`a second capture began at line ${n} after the end record at line ${this.end!.line}; records from both are kept`);
      if (b.proto > DEVICE_PROTOCOL_VERSION) this.warn(`line ${n}: protocol version ${b.proto} is newer than the one litlab reads (${DEVICE_PROTOCOL_VERSION}): read on a best-effort basis`);
      else if (b.proto < 1) this.warn(`line ${n}: protocol version ${b.proto} is not a version litlab knows (${DEVICE_PROTOCOL_VERSION}): read on a best-effort basis`);
      this.begin = b;
      this.state = "open";
      this.sinceBegin = 0;
      return;
    }
    if ("end" in parsed) {
      const e = parsed.end;
      if (this.state === "open" && e.records !== this.sinceBegin) this.problems.push(`count mismatch: end says ${e.records}, got ${this.sinceBegin} (line ${n}): records were lost or garbled on the way`);
      else if (this.state === "closed") this.problems.push(`a second end record at line ${n} (the first at line ${this.end!.line})`);
      if (this.state === "before") this.warn(`line ${n}: end record without a begin record`);
      if (e.status !== "ok" || (e.code !== null && e.code !== 0)) this.warn(`line ${n}: the device reported status=${e.status}${e.code === null ? "" : ` code=${e.code}`}`);
      this.end = e;
      this.state = "closed";
      this.sawEnd = true;
      return;
    }
    if (this.state === "before") this.outside.before.push(n);
    else if (this.state === "closed") this.outside.after.push(n);
    else this.sinceBegin++;
    if ("unknownType" in parsed) {
      this.unknown++;
      this.warn(`line ${n}: unknown record type "${parsed.unknownType}" (newer firmware?): ignored`);
      return;
    }
    if (parsed.record.type === "lat" && parsed.record.n === 0) this.warn(`line ${n}: lat ${parsed.record.id} with n=0 (no events were measured): no latency rows`);
    this.records.push(parsed.record);
  }
}

/** A whole device log (a file's text) → its capture. Never throws; a log without records says so in `problems`. */
export function parseDeviceLog(text: string, file?: string): DeviceCaptureResult {
  const capture = new DeviceCapture(file === undefined ? {} : { file });
  capture.push(text);
  return capture.finish();
}
