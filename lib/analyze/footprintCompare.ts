/**
 * Footprint of several builds side by side (per target / feature set / opt-level), with each part's change against
 * a baseline build: "what did `--features tracing` cost in flash?".
 */
import { from, type ColumnTable } from "arquero";
import { LitlabError } from "../errors.js";
import { FOOTPRINT_PARTS, type Footprint, type FootprintPart } from "../ingest/footprint/footprint.js";

export interface FootprintBuild {
  /** Unique name of the build, e.g. `thumbv7m-release-tracing` or the ELF's file name. */
  label: string;
  target?: string;
  features?: string;
  opt?: string;
  footprint: Footprint;
}

/** One row of footprintTable(). `delta*` are null for the baseline build's own rows; `*Pct` null when the base is 0. */
export interface FootprintTableRow {
  build: string;
  target: string | null;
  features: string | null;
  opt: string | null;
  part: FootprintPart;
  /** Bytes of this part. */
  bytes: number;
  /** The build's flash (text + rodata + data) and RAM (data + bss), repeated on each of its rows. */
  flash: number;
  ram: number;
  baseline: string;
  /** bytes − the baseline build's bytes of the same part. */
  delta: number | null;
  /** delta as a percentage of the baseline's bytes (12.5 = +12.5 %). */
  deltaPct: number | null;
  flashDelta: number | null;
  flashDeltaPct: number | null;
  ramDelta: number | null;
  ramDeltaPct: number | null;
}

export const FOOTPRINT_TABLE_COLUMNS = [
  "build", "target", "features", "opt", "part", "bytes", "flash", "ram", "baseline",
  "delta", "deltaPct", "flashDelta", "flashDeltaPct", "ramDelta", "ramDeltaPct",
] as const satisfies readonly (keyof FootprintTableRow)[];

const pct = (delta: number, base: number): number | null => (base === 0 ? null : (delta / base) * 100);

/**
 * One row per build × part (text, rodata, data, bss), builds in the given order, with bytes, flash, RAM and the
 * change against `options.baseline` (a build label; default the first build). The baseline's own rows have null
 * deltas: "no change" would claim a comparison that was not made.
 */
export function footprintTable(builds: readonly FootprintBuild[], options: { baseline?: string } = {}): ColumnTable {
  if (builds.length === 0) throw new LitlabError("usage", "footprintTable needs at least one build");
  const labels = builds.map((b) => b.label);
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup !== undefined) throw new LitlabError("usage", `two builds are both labelled "${dup}"; give each build a unique label`);
  const baseLabel = options.baseline ?? builds[0]!.label;
  const base = builds.find((b) => b.label === baseLabel);
  if (!base) throw new LitlabError("usage", `baseline build "${baseLabel}" is not one of the builds (${labels.join(", ")})`);
  const b0 = base.footprint;
  const rows: FootprintTableRow[] = builds.flatMap((b) => FOOTPRINT_PARTS.map((part): FootprintTableRow => {
    const fp = b.footprint;
    const isBase = b === base;
    const delta = (now: number, then: number): number | null => (isBase ? null : now - then);
    const deltaPct = (now: number, then: number): number | null => (isBase ? null : pct(now - then, then));
    return {
      build: b.label, target: b.target ?? null, features: b.features ?? null, opt: b.opt ?? null, part,
      bytes: fp[part], flash: fp.flash, ram: fp.ram, baseline: base.label,
      delta: delta(fp[part], b0[part]), deltaPct: deltaPct(fp[part], b0[part]),
      flashDelta: delta(fp.flash, b0.flash), flashDeltaPct: deltaPct(fp.flash, b0.flash),
      ramDelta: delta(fp.ram, b0.ram), ramDeltaPct: deltaPct(fp.ram, b0.ram),
    };
  }));
  return from(rows);
}
