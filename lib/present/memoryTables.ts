/**
 * Tables for memory results (issue 4): the top allocation sites of a DHAT/massif profile, and the bytes-per-actor
 * fits. Byte counts are humanized with binary prefixes (`2.555 KiB`), the way allocators and `ps` count memory.
 */
import type { AllocationSiteRow } from "../ingest/memoryRows.js";
import { formatDuration, formatNumber } from "./humanize.js";
import { renderHtml, renderMarkdown, type TableColumn } from "./table.js";

const BYTE_UNITS: readonly [string, number][] = [["B", 1], ["KiB", 1024], ["MiB", 1024 ** 2], ["GiB", 1024 ** 3], ["TiB", 1024 ** 4]];

/** Bytes → `72 B`, `2.555 KiB`, `1.500 MiB` (4 significant digits above 1 KiB; whole bytes below). Null → `–`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "–";
  if (bytes < 0) return `-${formatBytes(-bytes)}`;
  let i = 0;
  while (i + 1 < BYTE_UNITS.length && bytes >= BYTE_UNITS[i + 1]![1]) i++;
  if (i === 0) return `${formatNumber(Number.isInteger(bytes) ? bytes : Number(bytes.toPrecision(4)))} B`;
  const scaled = bytes / BYTE_UNITS[i]![1];
  const text = scaled.toFixed(Math.max(0, 3 - Math.floor(Math.log10(scaled))));
  // 1023.99 KiB rounds to "1024.0": say 1.000 MiB instead
  if (Number(text) >= 1024 && i + 1 < BYTE_UNITS.length) return `${(bytes / BYTE_UNITS[i + 1]![1]).toFixed(3)} ${BYTE_UNITS[i + 1]![0]}`;
  return `${text} ${BYTE_UNITS[i]![0]}`;
}

/** `312.4 B [298.1 B – 326.7 B]`; the interval is left off when a bound is unknown. */
export function formatBytesWithCi(value: number | null, lower: number | null, upper: number | null): string {
  if (value === null) return "–";
  return lower === null || upper === null ? formatBytes(value) : `${formatBytes(value)} [${formatBytes(lower)} – ${formatBytes(upper)}]`;
}

export interface TablePair {
  html: string;
  markdown: string;
}

/**
 * Allocator plumbing: frames every allocation passes through, which say nothing about who allocated. C allocators,
 * Rust's allocator shims, and anything in the `alloc`/`core` crates (`alloc::raw_vec::…`, `<T as alloc::…>::to_vec`,
 * `<alloc::string::String as core::convert::From<&str>>::from`): the first frame after them is the caller's code.
 */
const PLUMBING_C = /^(malloc|calloc|realloc|free|posix_memalign|aligned_alloc|memalign|valloc|operator new.*|__rust_alloc\w*|__rust_realloc|__rdl_\w+|__rg_\w+|\?\?\?)$/;
const PLUMBING_RUST = /^<?(?:[^ ]+ as )?(?:alloc|core)::/;
const isPlumbing = (fn: string): boolean => PLUMBING_C.test(fn) || PLUMBING_RUST.test(fn);

/** One frame without its code address (`0x1093A7: g (ad-hoc.c:4)` → `g (ad-hoc.c:4)`), cut to 80 characters. */
function shortFrame(frame: string): string {
  const f = frame.replace(/^0x[0-9A-Fa-f]+:\s*/, "").trim();
  return f.length > 80 ? `${f.slice(0, 79)}…` : f;
}

/** Function name of a frame (the text before ` (file:line)`), to recognise allocator plumbing. */
function frameFunction(frame: string): string {
  return frame.replace(/ \([^()]*\)$/, "");
}

/**
 * A site for a table: addresses dropped, allocator plumbing skipped (unless that is all there is), at most
 * `maxFrames` frames innermost first, `← …` when some were left off.
 */
export function abbreviateSite(frames: readonly string[], maxFrames = 3): string {
  const short = frames.map(shortFrame);
  const firstOwn = short.findIndex((f) => !isPlumbing(frameFunction(f)));
  const from = firstOwn < 0 ? 0 : firstOwn;
  const kept = short.slice(from, from + maxFrames);
  if (kept.length === 0) return "(no frames)";
  return kept.join(" ← ") + (from + maxFrames < short.length ? " ← …" : "");
}

/** Average lifetime in DHAT's unit: `µs` as a duration, instructions as a count. */
function formatLifetime(value: number | null, unit: string | null | undefined): string {
  if (value === null) return "–";
  if (unit === "µs" || unit === "us") return formatDuration(value * 1000);
  const rounded = Math.round(value);
  return unit ? `${formatNumber(rounded)} ${unit}` : formatNumber(rounded);
}

export interface AllocationSitesOptions {
  /** How many sites, largest total bytes first; default 10. */
  top?: number;
  caption?: string;
}

/** The `top` allocation sites by total bytes allocated, with peak/end bytes and average block lifetime. */
export function allocationSitesTable(sites: readonly AllocationSiteRow[], options: AllocationSitesOptions = {}): TablePair {
  const top = options.top ?? 10;
  const rows = [...sites]
    .sort((a, b) => (b.total_bytes ?? -1) - (a.total_bytes ?? -1) || (b.peak_bytes ?? -1) - (a.peak_bytes ?? -1))
    .slice(0, top) as unknown as Record<string, unknown>[];
  const site = (r: Record<string, unknown>): AllocationSiteRow => r as unknown as AllocationSiteRow;
  const multiId = new Set(sites.map((s) => s.id)).size > 1;
  const columns: TableColumn[] = [
    ...(multiId ? [{ label: "id", align: "left" as const, cell: (r: Record<string, unknown>) => site(r).id }] : []),
    { label: "site", align: "left", cell: (r) => abbreviateSite(site(r).frames) },
    { label: "total bytes", align: "right", cell: (r) => formatBytes(site(r).total_bytes) },
    { label: "blocks", align: "right", cell: (r) => (site(r).total_blocks === null ? "–" : formatNumber(site(r).total_blocks!)) },
    { label: "peak bytes", align: "right", cell: (r) => formatBytes(site(r).peak_bytes) },
    { label: "end bytes", align: "right", cell: (r) => formatBytes(site(r).end_bytes) },
    { label: "avg lifetime", align: "right", cell: (r) => formatLifetime(site(r).avg_lifetime, site(r).lifetime_unit) },
  ];
  const caption = options.caption ?? (sites.length > top ? `top ${top} of ${sites.length} allocation sites by total bytes` : undefined);
  return { html: renderHtml(rows, columns, caption), markdown: renderMarkdown(rows, columns, caption) };
}

/** The fields of `memoryPerActor()` output the fit table shows (so message fits can be passed as `bytesPerActor`, too). */
export interface MemoryFitLike {
  runtime: string;
  method: string;
  bytesPerActor: number | null;
  lower: number | null;
  upper: number | null;
  r2: number | null;
  n?: number;
  spanRatio?: number;
  poorFit: boolean;
  reasons?: readonly string[];
}

/** One row per fit: bytes/actor with its CI, R², points, count span, and why a fit is not trusted. */
export function memoryFitTable(fits: readonly MemoryFitLike[], options: { caption?: string } = {}): TablePair {
  const rows = fits as unknown as Record<string, unknown>[];
  const fit = (r: Record<string, unknown>): MemoryFitLike => r as unknown as MemoryFitLike;
  const columns: TableColumn[] = [
    { label: "runtime", align: "left", cell: (r) => fit(r).runtime },
    { label: "method", align: "left", cell: (r) => fit(r).method },
    { label: "bytes/actor", align: "right", cell: (r) => formatBytesWithCi(fit(r).bytesPerActor, fit(r).lower, fit(r).upper) },
    { label: "R²", align: "right", cell: (r) => (fit(r).r2 === null ? "–" : fit(r).r2!.toFixed(4)) },
    { label: "n", align: "right", cell: (r) => (fit(r).n === undefined ? "–" : String(fit(r).n)) },
    { label: "span", align: "right", cell: (r) => (fit(r).spanRatio === undefined ? "–" : `${formatNumber(fit(r).spanRatio!)}×`) },
    { label: "poor fit", align: "left", cell: (r) => (fit(r).poorFit ? (fit(r).reasons?.length ? fit(r).reasons!.join("; ") : "yes") : "") },
  ];
  return { html: renderHtml(rows, columns, options.caption), markdown: renderMarkdown(rows, columns, options.caption) };
}
