/** Footprint figures as tidy rows (`metric: "size"`, `unit: "bytes"`, exact counts: never an interval). */
import type { TidyRow } from "../rows.js";
import { FOOTPRINT_PARTS, type Footprint } from "./footprint.js";

export type FootprintFormat = "elf" | "size-sysv" | "size-berkeley" | "cargo-bloat";

export interface FootprintRowOptions {
  /** The build label: the tidy `id` (an ELF's file name, the name `size` printed). */
  build: string;
  /** File the figures came from, as rows name it. */
  source: string;
  format: FootprintFormat;
  /** Rust target triple, when known. */
  target?: string;
}

/** One size figure as a tidy row. */
export function sizeRow(f: { id: string; function: string | null; source: string; format: FootprintFormat; stat: string; value: number; target?: string }): TidyRow {
  return {
    id: f.id, group: "footprint", function: f.function, param: null, source: f.source, format: f.format,
    metric: "size", stat: f.stat, value: f.value, unit: "bytes",
    lower: null, upper: null, confidence: null, baseline: "new",
    ...(f.target === undefined ? {} : { target: f.target }),
  };
}

/**
 * A footprint as rows: `text rodata data bss flash ram` (stat = the part), then one row per allocated section
 * (stat = the section name, which starts with `.`, so it never collides with a part). `parts` narrows the part rows
 * (Berkeley output has no separate rodata).
 */
export function footprintRows(fp: Footprint, o: FootprintRowOptions, parts: readonly (keyof Footprint)[] = [...FOOTPRINT_PARTS, "flash", "ram"]): TidyRow[] {
  const base = { id: o.build, function: null, source: o.source, format: o.format, ...(o.target === undefined ? {} : { target: o.target }) };
  return [
    ...parts.map((p) => sizeRow({ ...base, stat: p, value: fp[p] as number })),
    ...fp.sections.map((s) => sizeRow({ ...base, stat: s.name, value: s.size })),
  ];
}
