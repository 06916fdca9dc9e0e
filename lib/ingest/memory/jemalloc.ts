/**
 * jemalloc's `malloc_stats_print` output, as printed at exit with `MALLOC_CONF=stats_print:true` on stderr:
 * - JSON (`stats_print_opts:J`): one `{"jemalloc":{...}}` document per process that had the library preloaded,
 *   written straight to fd 2 with no newline around it, so it sits between (or glued to) the program's own
 *   stderr lines. The documents are cut out by brace matching (string-aware) and parsed with JSON.parse.
 * - text: the `Allocated: N, active: N, metadata: N (n_thp 0), resident: N, mapped: N, retained: N` line.
 * These are values at exit (jemalloc keeps no peak). Rows: metric `jemalloc`, the six byte figures, the derived
 * fragmentation ratios, and from the merged arena stats `small_allocated_bytes`, `large_allocated_bytes`,
 * `tcache_bytes`. Per-size-class bins go in a separate table (JemallocBinRow): 36 classes × 8 counters as
 * tidy rows would drown the summary, and a table per class is what a reader pivots anyway.
 * Pure: text in, rows out.
 */
import { ParseError } from "../../errors.js";
import type { TidyRow } from "../rows.js";
import type { MemoryIngestResult } from "../memoryRows.js";
import { outputRow, plainLines, runIds, stemOf, type OutputParseOptions } from "./outputCommon.js";

/** One small size class (bin) of jemalloc at exit, summed over the arenas (`stats.arenas.merged.bins[i]`). */
export interface JemallocBinRow {
  id: string;
  source: string;
  /** Region (size class) size in bytes: `arenas.bin[i].size`. */
  size: number;
  /** Regions per slab and slab size in bytes (`arenas.bin[i].nregs`, `.slab_size`). */
  nregs: number;
  slab_size: number;
  /** Regions live at exit. */
  curregs: number;
  /** Slabs held at exit, and how many of them are not full. */
  curslabs: number;
  nonfull_slabs: number | null;
  nmalloc: number;
  ndalloc: number;
  nrequests: number;
  /** `curregs × size`: bytes of this class in use. */
  live_bytes: number;
  /** `curregs / (curslabs × nregs)`: how full the slabs of this class are (null when no slab is held). */
  utilization: number | null;
}

export interface JemallocResult extends MemoryIngestResult {
  bins: JemallocBinRow[];
}

/** The six global byte figures, in the order jemalloc prints them. */
const BYTE_STATS = ["allocated", "active", "metadata", "resident", "mapped", "retained"] as const;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Index just past the `}` closing the object that opens at `start`, or null when the text ends first. */
function objectEnd(text: string, start: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return null;
}

/**
 * The flat numeric members at the start of the first `"stats": {` object after `from` (allocated, active, ...),
 * read up to the first nested object: what a fragment or a cut-off document still holds.
 */
function salvageStats(text: string, from: number): Map<string, number> {
  const out = new Map<string, number>();
  const open = /"stats"\s*:\s*\{/g;
  open.lastIndex = from;
  const m = open.exec(text);
  if (!m) return out;
  const member = /\s*"([^"\\]+)"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*,?/y;
  member.lastIndex = m.index + m[0].length;
  for (let mm = member.exec(text); mm; mm = member.exec(text)) out.set(mm[1]!, Number(mm[2]));
  return out;
}

interface Figures {
  stats: Map<string, number>;
  small?: number | undefined;
  large?: number | undefined;
  tcache?: number | undefined;
}

interface ArenaTotals {
  small: number | undefined;
  large: number | undefined;
  tcache: number | undefined;
  bins: Obj[][];
}

/** `stats.arenas.merged` when printed, else the arenas one by one (jemalloc skips `merged` with one arena). */
function arenaTotals(statsArenas: Obj | undefined): ArenaTotals | undefined {
  if (!statsArenas) return undefined;
  const merged = obj(statsArenas["merged"]);
  const arenas = merged ? [merged] : Object.keys(statsArenas).filter((k) => /^\d+$/.test(k)).map((k) => obj(statsArenas[k])).filter((a): a is Obj => a !== undefined);
  if (arenas.length === 0) return undefined;
  const sum = (f: (a: Obj) => number | undefined): number | undefined =>
    arenas.every((a) => f(a) !== undefined) ? arenas.reduce((s, a) => s + f(a)!, 0) : undefined;
  return {
    small: sum((a) => num(obj(a["small"])?.["allocated"])),
    large: sum((a) => num(obj(a["large"])?.["allocated"])),
    tcache: sum((a) => num(a["tcache_bytes"])),
    bins: arenas.map((a) => (Array.isArray(a["bins"]) ? a["bins"].map((b) => obj(b) ?? {}) : [])),
  };
}

const BIN_COUNTERS = ["curregs", "curslabs", "nonfull_slabs", "nmalloc", "ndalloc", "nrequests"] as const;

/** The bins table of one document: the size classes that saw any allocation. */
function binRows(je: Obj, totals: ArenaTotals | undefined, id: string, source: string, warnings: string[]): JemallocBinRow[] {
  if (!totals || totals.bins.every((b) => b.length === 0)) return [];
  const classes = obj(je["arenas"])?.["bin"];
  if (!Array.isArray(classes)) {
    warnings.push(`${source}: ${id}: per-size-class bins skipped: their sizes are in the general section (arenas.bin), which stats_print_opts "g" leaves out`);
    return [];
  }
  const rows: JemallocBinRow[] = [];
  classes.forEach((cls, i) => {
    const size = num(obj(cls)?.["size"]);
    const nregs = num(obj(cls)?.["nregs"]);
    if (size === undefined || nregs === undefined) return;
    const c = Object.fromEntries(BIN_COUNTERS.map((k) => [k, totals.bins.reduce<number | undefined>((s, arena) => {
      const v = num(arena[i]?.[k]);
      return s === undefined || v === undefined ? undefined : s + v;
    }, 0)])) as Record<(typeof BIN_COUNTERS)[number], number | undefined>;
    const curregs = c.curregs ?? 0;
    const curslabs = c.curslabs ?? 0;
    if ((c.nmalloc ?? 0) === 0 && curregs === 0) return;
    rows.push({
      id, source, size, nregs, slab_size: num(obj(cls)?.["slab_size"]) ?? 0, curregs, curslabs,
      nonfull_slabs: c.nonfull_slabs ?? null, nmalloc: c.nmalloc ?? 0, ndalloc: c.ndalloc ?? 0, nrequests: c.nrequests ?? 0,
      live_bytes: curregs * size, utilization: curslabs > 0 ? curregs / (curslabs * nregs) : null,
    });
  });
  return rows;
}

function figureRows(f: Figures, id: string, source: string, format: string): TidyRow[] {
  const rows: TidyRow[] = [];
  const add = (stat: string, value: number | undefined, unit: string): void => {
    if (value !== undefined && Number.isFinite(value)) rows.push(outputRow({ id, source, format, metric: "jemalloc", stat, value, unit }));
  };
  for (const k of BYTE_STATS) add(`${k}_bytes`, f.stats.get(k), "bytes");
  const allocated = f.stats.get("allocated");
  const active = f.stats.get("active");
  const resident = f.stats.get("resident");
  // size-class rounding: bytes in active pages the application did not ask for
  if (allocated !== undefined && active !== undefined && active > 0) add("internal_fragmentation", 1 - allocated / active, "ratio");
  // pages resident (incl. dirty pages and metadata) but not backing live allocations
  if (active !== undefined && resident !== undefined && resident > 0) add("page_fragmentation", 1 - active / resident, "ratio");
  add("small_allocated_bytes", f.small, "bytes");
  add("large_allocated_bytes", f.large, "bytes");
  add("tcache_bytes", f.tcache, "bytes");
  return rows;
}

function statsOf(o: Obj | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of BYTE_STATS) {
    const v = num(o?.[k]);
    if (v !== undefined) m.set(k, v);
  }
  return m;
}

const DOC_START = /\{\s*"jemalloc"\s*:/g;

interface Doc { figures: Figures; je: Obj | undefined; totals: ArenaTotals | undefined }

/** The `{"jemalloc": ...}` documents in `text`; incomplete ones keep what their `"stats"` object still holds. */
function jsonDocs(text: string, source: string, warnings: string[]): Doc[] {
  const docs: Doc[] = [];
  DOC_START.lastIndex = 0;
  for (let m = DOC_START.exec(text); m; m = DOC_START.exec(text)) {
    const end = objectEnd(text, m.index);
    let parsed: unknown;
    if (end !== null) {
      try {
        parsed = JSON.parse(text.slice(m.index, end));
      } catch {
        parsed = undefined;
      }
    }
    const je = obj(obj(parsed)?.["jemalloc"]);
    if (je) {
      const totals = arenaTotals(obj(je["stats.arenas"]));
      docs.push({ je, totals, figures: { stats: statsOf(obj(je["stats"])), small: totals?.small, large: totals?.large, tcache: totals?.tcache } });
      DOC_START.lastIndex = end!;
      continue;
    }
    const why = end === null ? "ends before the JSON closes (truncated)" : "is not valid JSON (other output written into it?)";
    const stats = salvageStats(text, m.index);
    if (stats.size === 0) throw new ParseError(source, `the jemalloc JSON document at offset ${m.index} ${why}, and no "stats" figures can be read from it`);
    warnings.push(`${source}: the jemalloc JSON document at offset ${m.index} ${why}: read the "stats" figures only (${[...stats.keys()].join(", ")})`);
    docs.push({ je: undefined, totals: undefined, figures: { stats } });
    if (end === null) break;
    DOC_START.lastIndex = end;
  }
  return docs;
}

/** The text form: one figure set per `Allocated:` line, with the merged (or only) arena's small/large/tcache. */
function textDocs(text: string): Figures[] {
  const lines = plainLines(text);
  const starts = lines.flatMap((l, i) => (/^\s*Allocated: \d+, active: \d+/.test(l) ? [i] : []));
  return starts.map((start, k) => {
    const block = lines.slice(start, starts[k + 1] ?? lines.length);
    const stats = new Map<string, number>();
    for (const m of block[0]!.matchAll(/(\w+): (\d+)/g)) stats.set(m[1]!.toLowerCase(), Number(m[2]));
    const f: Figures = { stats };
    const merged = block.findIndex((l) => l.startsWith("Merged arenas stats:"));
    const arenaHeads = block.filter((l) => /^arenas\[\d+\]:/.test(l)).length;
    // with several arenas and no merged section, the first arena's figures would stand for all: leave them out
    const from = merged >= 0 ? merged : arenaHeads === 1 ? block.findIndex((l) => /^arenas\[\d+\]:/.test(l)) : -1;
    if (from >= 0) {
      const first = (re: RegExp): number | undefined => {
        for (const l of block.slice(from)) {
          const m = re.exec(l);
          if (m) return Number(m[1]);
        }
        return undefined;
      };
      f.small = first(/^small:\s+(\d+)\s/);
      f.large = first(/^large:\s+(\d+)\s/);
      f.tcache = first(/^tcache_bytes:\s+(\d+)\s*$/);
    }
    return f;
  });
}

/**
 * jemalloc statistics from captured stderr (JSON or text form, mixed with other output) → rows (metric
 * `jemalloc`), the per-size-class bins table, and warnings. Several documents (one per process) get ids `#1`, `#2`.
 * A fragment of the JSON (no `{"jemalloc"` head) yields its `"stats"` figures with a warning.
 * Throws ParseError when there are no jemalloc statistics.
 */
export function jemallocStats(text: string, options: OutputParseOptions = {}): JemallocResult {
  const source = options.source ?? "stderr";
  const warnings: string[] = [];
  if (text.trim() === "") throw new ParseError(source, "empty file: no jemalloc statistics");
  let format = "jemalloc-json";
  let docs: Doc[] = jsonDocs(text, source, warnings);
  if (docs.length === 0) {
    const texts = textDocs(text);
    if (texts.length > 0) {
      format = "jemalloc-text";
      docs = texts.map((figures) => ({ figures, je: undefined, totals: undefined }));
    } else {
      const stats = salvageStats(text, 0);
      if (!BYTE_STATS.some((k) => stats.has(k))) {
        throw new ParseError(source, 'no jemalloc statistics found (expected the {"jemalloc": ...} JSON of stats_print_opts:J, or an `Allocated: N, active: N, ...` line)');
      }
      warnings.push(`${source}: a fragment of jemalloc's JSON stats, not a whole {"jemalloc": ...} document: read the "stats" figures only (${[...stats.keys()].join(", ")})`);
      docs = [{ figures: { stats }, je: undefined, totals: undefined }];
    }
  }
  for (const d of docs) {
    for (const [k, v] of d.figures.stats) {
      if (!Number.isSafeInteger(v) && (BYTE_STATS as readonly string[]).includes(k)) {
        throw new ParseError(source, `jemalloc ${k} = ${v} is not an exact byte count (above 2^53 or fractional)`);
      }
    }
  }
  if (docs.length > 1) warnings.push(`${source}: ${docs.length} jemalloc reports (one per process that exited with jemalloc preloaded): ids numbered #1..#${docs.length} in print order`);
  const base = options.id ?? stemOf(options.source) ?? "jemalloc";
  const ids = runIds(docs.map(() => base));
  const rows = docs.flatMap((d, i) => figureRows(d.figures, ids[i]!, source, format));
  const bins = docs.flatMap((d, i) => (d.je ? binRows(d.je, d.totals, ids[i]!, source, warnings) : []));
  return { rows, timeline: [], sites: [], warnings, bins };
}
