/**
 * valgrind DHAT and dhat-rs output: the `dhatFileVersion: 2` JSON (`--dhat-out-file`, `dhat-heap.json`) and the
 * text summary valgrind prints on stderr. Pure: text in, rows out.
 *
 * The JSON format is the one described in the comments of valgrind's dhat/dh_main.c. Which fields exist depends on
 * two flags: `bklt` (block lifetimes: `tg`, and per program point `tl`, `mb/mbk`, `gb/gbk`, `eb/ebk`) and `bkacc`
 * (block accesses: `rb`, `wb`, `acc`). Heap mode has `bklt`; copy and ad-hoc modes have neither, so they give
 * totals only. dhat-rs writes `mode: "rust-heap" | "rust-ad-hoc"` and `tu: "µs"`.
 */
import { ParseError } from "../../errors.js";
import type { TidyRow } from "../rows.js";
import type { AllocationSiteRow, MemoryIngestResult } from "../memoryRows.js";
import { parseCount, siteLabel, summaryRow, textLines, type ProfileOptions } from "./valgrindCommon.js";

export type DhatOptions = ProfileOptions;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The tidy metric for a DHAT mode; valgrind and dhat-rs spell heap and ad-hoc differently. */
function metricOf(mode: string): string | null {
  switch (mode) {
    case "heap": case "rust-heap": return "heap";
    case "copy": return "copy";
    case "ad-hoc": case "rust-ad-hoc": return "ad-hoc";
    default: return null;
  }
}

/** Reads DHAT JSON numbers, naming the program point and field when one is missing or not an exact count. */
class Reader {
  constructor(private readonly source: string) {}

  count(obj: Json, key: string, where: string): number {
    const v = obj[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      throw new ParseError(this.source, `${where}: "${key}" is ${v === undefined ? "missing" : `not a count (${JSON.stringify(v)})`}`);
    }
    // JSON.parse has already rounded anything above 2^53: say so rather than report a wrong figure
    if (!Number.isSafeInteger(v)) throw new ParseError(this.source, `${where}: "${key}" = ${v} is above 2^53 and cannot be read exactly`);
    return v;
  }

  optionalCount(obj: Json, key: string, where: string): number | null {
    return obj[key] === undefined ? null : this.count(obj, key, where);
  }
}

/** Parses a `dhatFileVersion: 2` JSON file into summary rows and one AllocationSiteRow per program point. */
export function dhatProfile(text: string, options: DhatOptions = {}): MemoryIngestResult {
  const source = options.source ?? "dhat.json";
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    const hint = /^\s*(==\d+==|Total:)/.test(body) ? " (this looks like DHAT's stderr summary: read it with dhatSummaryText)" : "";
    throw new ParseError(source, `not DHAT JSON: ${(e as Error).message}${hint}`, { cause: e });
  }
  if (!isObject(doc)) throw new ParseError(source, "not DHAT JSON: the top level is not an object");
  const version = doc["dhatFileVersion"];
  if (version === undefined) throw new ParseError(source, "not a DHAT file: no \"dhatFileVersion\"");
  if (version !== 2) throw new ParseError(source, `unsupported dhatFileVersion ${JSON.stringify(version)} (litlab reads version 2)`);

  const warnings: string[] = [];
  const r = new Reader(source);
  const mode = typeof doc["mode"] === "string" ? doc["mode"] : "heap";
  if (typeof doc["mode"] !== "string") warnings.push(`${source}: no "mode", assuming heap`);
  let metric = metricOf(mode);
  if (metric === null) {
    warnings.push(`${source}: unknown DHAT mode "${mode}", rows use it as the metric`);
    metric = mode;
  }
  const bklt = doc["bklt"] === true;
  const bkacc = doc["bkacc"] === true;
  // ad-hoc mode counts "units" in "events", not bytes in blocks (the `bsu`/`bksu` fields say so)
  const bytesUnit = typeof doc["bsu"] === "string" ? doc["bsu"] : "bytes";
  const blocksUnit = typeof doc["bksu"] === "string" ? doc["bksu"] : "blocks";
  const timeUnit = typeof doc["tu"] === "string" ? doc["tu"] : null;
  const id = options.id ?? (typeof doc["cmd"] === "string" && doc["cmd"] !== "" ? doc["cmd"] : "dhat");

  const pps = doc["pps"];
  if (!Array.isArray(pps)) throw new ParseError(source, "DHAT file has no \"pps\" (program points) array");
  const ftbl = doc["ftbl"];
  if (!Array.isArray(ftbl)) throw new ParseError(source, "DHAT file has no \"ftbl\" (frame table) array");
  if (!ftbl.every((f): f is string => typeof f === "string")) throw new ParseError(source, "\"ftbl\" holds a non-string frame");

  const totals = { tb: 0, tbk: 0, gb: 0, gbk: 0, eb: 0, ebk: 0, rb: 0, wb: 0 };
  const sites: AllocationSiteRow[] = pps.map((pp: unknown, i): AllocationSiteRow => {
    const where = `program point ${i}`;
    if (!isObject(pp)) throw new ParseError(source, `${where} is not an object`);
    const tb = r.count(pp, "tb", where);
    const tbk = r.count(pp, "tbk", where);
    totals.tb += tb;
    totals.tbk += tbk;
    let peak: number | null = null;
    let end: number | null = null;
    let avgLifetime: number | null = null;
    if (bklt) {
      peak = r.count(pp, "gb", where);
      totals.gb += peak;
      totals.gbk += r.count(pp, "gbk", where);
      end = r.count(pp, "eb", where);
      totals.eb += end;
      totals.ebk += r.count(pp, "ebk", where);
      const tl = r.count(pp, "tl", where);
      avgLifetime = tbk === 0 ? null : tl / tbk;
    }
    if (bkacc) {
      totals.rb += r.optionalCount(pp, "rb", where) ?? 0;
      totals.wb += r.optionalCount(pp, "wb", where) ?? 0;
    }
    const fs = pp["fs"];
    if (!Array.isArray(fs)) throw new ParseError(source, `${where}: "fs" (frame indices) is missing`);
    const frames = fs.map((f: unknown) => {
      if (typeof f !== "number" || !Number.isInteger(f) || f < 0 || f >= ftbl.length) {
        throw new ParseError(source, `${where}: frame index ${JSON.stringify(f)} is out of range (ftbl has ${ftbl.length} entries)`);
      }
      return ftbl[f] as string;
    });
    return {
      id, source, tool: "dhat", frames, site: siteLabel(frames),
      total_bytes: tb, total_blocks: tbk, peak_bytes: peak, end_bytes: end, avg_lifetime: avgLifetime,
      lifetime_unit: bklt ? timeUnit : null,
    };
  });

  const row = (stat: string, value: number, unit: string): TidyRow =>
    summaryRow({ id, group: "dhat", source, format: "dhat", metric: metric!, stat, value, unit });
  const rows: TidyRow[] = [row("total_bytes", totals.tb, bytesUnit), row("total_blocks", totals.tbk, blocksUnit)];
  if (bklt) {
    // every program point records its live bytes at the moment of the global peak, so their sum is the peak heap
    rows.push(row("peak_bytes", totals.gb, bytesUnit), row("peak_blocks", totals.gbk, blocksUnit));
    rows.push(row("end_bytes", totals.eb, bytesUnit), row("end_blocks", totals.ebk, blocksUnit));
  }
  if (bkacc) rows.push(row("read_bytes", totals.rb, "bytes"), row("write_bytes", totals.wb, "bytes"));
  if (pps.length === 0) warnings.push(`${source}: DHAT recorded no program points`);
  return { rows, timeline: [], sites, warnings };
}

// `==1234== Total:     7,000 bytes in 4 blocks` — the `==PID==` prefix is absent when the lines were copied bare
const PREFIX = /^(?:==\d+==\s?)?\s*/;
const BLOCKS_LINE = /^(Total|At t-gmax|At t-end):\s+([\d,]+)\s+(\w+)(?:\s+in\s+([\d,]+)\s+(\w+))?\s*$/;
const ACCESS_LINE = /^(Reads|Writes):\s+([\d,]+)\s+(\w+)\s*$/;
const COMMAND_LINE = /^Command:\s+(.+?)\s*$/;

/**
 * Parses the summary valgrind's DHAT prints on stderr (`Total: N bytes in M blocks`, `At t-gmax: …`, `At t-end: …`,
 * `Reads: …`, `Writes: …`) into the same summary rows as dhatProfile. There are no program points in it.
 */
export function dhatSummaryText(text: string, options: DhatOptions = {}): MemoryIngestResult {
  const source = options.source ?? "dhat.stderr";
  let command: string | null = null;
  let metric = "heap";
  let bytesUnit = "bytes";
  let blocksUnit = "blocks";
  const values = new Map<string, { value: number; unit: string }>();
  const lines = textLines(text);
  lines.forEach((raw, i) => {
    const line = raw.replace(PREFIX, "");
    const cmd = COMMAND_LINE.exec(line);
    if (cmd) command = cmd[1]!;
    const num = (token: string): number => {
      const c = parseCount(token);
      if (c === null || "tooBig" in c) throw new ParseError(source, `line ${i + 1}: "${token}" is not an exact count`);
      return c.value;
    };
    const b = BLOCKS_LINE.exec(line);
    if (b) {
      const stem = b[1] === "Total" ? "total" : b[1] === "At t-gmax" ? "peak" : "end";
      if (b[1] === "Total") {
        // ad-hoc mode prints `Total: N units in M events`
        bytesUnit = b[3]!;
        if (b[5] !== undefined) blocksUnit = b[5];
        if (bytesUnit === "units") metric = "ad-hoc";
      }
      values.set(`${stem}_bytes`, { value: num(b[2]!), unit: b[3]! });
      if (b[4] !== undefined) values.set(`${stem}_blocks`, { value: num(b[4]), unit: b[5]! });
      return;
    }
    const a = ACCESS_LINE.exec(line);
    if (a) values.set(a[1] === "Reads" ? "read_bytes" : "write_bytes", { value: num(a[2]!), unit: a[3]! });
  });
  if (!values.has("total_bytes")) {
    throw new ParseError(source, "no DHAT summary in it: expected a `Total: N bytes in M blocks` line");
  }
  const id = options.id ?? command ?? "dhat";
  const order = ["total_bytes", "total_blocks", "peak_bytes", "peak_blocks", "end_bytes", "end_blocks", "read_bytes", "write_bytes"];
  const rows = order.flatMap((stat) => {
    const v = values.get(stat);
    if (v === undefined) return [];
    const unit = stat.endsWith("_blocks") ? blocksUnit : stat === "read_bytes" || stat === "write_bytes" ? v.unit : bytesUnit;
    return [summaryRow({ id, group: "dhat", source, format: "dhat-summary", metric, stat, value: v.value, unit })];
  });
  const warnings = options.id === undefined && command === null
    ? [`${source}: no \`Command:\` line, rows use the id "dhat"`] : [];
  return { rows, timeline: [], sites: [], warnings };
}
