/**
 * The device half of `lab` (issue 5): run firmware, load device runs, lay them beside host runs, footprint of builds.
 * Kept apart from lab.ts so each stays one screenful of glue; lab.ts spreads these in.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { ColumnTable } from "arquero";
import { LitlabError } from "./errors.js";
import { listRuns, loadRun, type LoadedRun } from "./store/runFolder.js";
import { runDevice, type DeviceRunOptions } from "./trigger/device/deviceRun.js";
import { deviceVsHost } from "./analyze/deviceVsHost.js";
import { footprintTable, type FootprintBuild } from "./analyze/footprintCompare.js";
import { readElf } from "./ingest/footprint/elf.js";
import { footprintOf, sectionRole, topSymbols } from "./ingest/footprint/footprint.js";
import type { ElfSymbol } from "./ingest/footprint/elf.js";
import { deviceVsHostSpec, latencyDistributionSpec, formatPerOp, type DeviceChartOptions } from "./present/deviceCharts.js";
import { footprintChart, footprintSummary, type FootprintChartOptions } from "./present/footprintChart.js";
import { chartBundle, tableBundle } from "./present/bundle.js";
import { displayBundle } from "./present/display.js";
import { htmlTable, markdownTable } from "./present/table.js";
import type { VegaLiteSpec } from "./present/runtimeChart.js";
import { PROJECT_ROOT } from "./version.js";

/** A build to measure: an ELF path, or a path with its label / target / features / opt-level. */
export type FootprintInput = string | { path: string; label?: string; target?: string; features?: string; opt?: string };

const LATENCY_STATS = ["min", "p50", "p90", "p99", "p99.9", "max", "mean", "std_dev"] as const;

/** The newest device run with records in `data/runs` (here, one folder up, or the project's), else the bundled one. */
async function currentDeviceRun(): Promise<LoadedRun & { origin: "stored" | "bundled" }> {
  const fromEnv = process.env["LITLAB_DEVICE_RUN"];
  if (fromEnv) return { ...(await loadRun(fromEnv)), origin: "stored" };
  const roots = [resolve("data/runs"), resolve("../data/runs"), join(PROJECT_ROOT, "data/runs")];
  for (const [root, origin] of [...roots.map((r) => [r, "stored"] as const), [join(PROJECT_ROOT, "data/bundled-device"), "bundled"] as const]) {
    if (!existsSync(root)) continue;
    for (const dir of (await listRuns(root)).reverse()) {
      try {
        const run = await loadRun(dir);
        if (run.manifest.kind === "device" && run.rows.length > 0) return { ...run, origin };
      } catch { /* a broken folder is not a candidate; `litlab runs` reports it */ }
    }
  }
  throw new LitlabError("not-found", "no device run with records found: run `litlab run device --qemu ELF` first (or set LITLAB_DEVICE_RUN)");
}

/** Reads ELFs into footprint builds (section sizes by flags) with their largest symbols. */
async function footprintBuilds(inputs: readonly FootprintInput[], options: { top?: number } = {}): Promise<(FootprintBuild & { symbols: ElfSymbol[] })[]> {
  const out: (FootprintBuild & { symbols: ElfSymbol[] })[] = [];
  for (const input of inputs) {
    const o = typeof input === "string" ? { path: input } : input;
    let bytes: Uint8Array;
    try { bytes = await readFile(o.path); } catch { throw new LitlabError("not-found", `${o.path}: no such ELF (build it first, e.g. \`npm run firmware\`)`, { file: o.path }); }
    const elf = readElf(bytes, o.path);
    out.push({
      label: o.label ?? basename(o.path),
      target: o.target ?? elf.header.machineName,
      ...(o.features ? { features: o.features } : {}),
      ...(o.opt ? { opt: o.opt } : {}),
      footprint: footprintOf(elf.sections, sectionRole),
      symbols: topSymbols(elf.symbols, options.top ?? 10),
    });
  }
  return out;
}

/** Builds recorded as JSON (`data/bundled-device/footprint.json`): what a notebook shows where nothing can be built. */
async function loadFootprint(path = join(PROJECT_ROOT, "data/bundled-device/footprint.json")): Promise<FootprintBuild[]> {
  const builds = JSON.parse(await readFile(path, "utf8")) as FootprintBuild[];
  if (!Array.isArray(builds) || builds.some((b) => typeof b?.label !== "string" || typeof b?.footprint?.flash !== "number")) {
    throw new LitlabError("parse", `${path}: expected a JSON array of { label, footprint: { text, rodata, data, bss, flash, ram } }`, { file: path });
  }
  return builds;
}

/** Latency rows of a device run as one row per latency benchmark: min, p50, …, max, mean, std_dev (ticks). */
function latencySummary(rows: readonly object[]): Record<string, string | number>[] {
  const byId = new Map<string, Record<string, string | number>>();
  for (const r of rows as { id: string; metric: string; stat: string; value: number; clock?: string | null }[]) {
    if (r.metric !== "latency") continue;
    const row = byId.get(r.id) ?? { benchmark: r.id, clock: r.clock ?? "?" };
    row[r.stat] = r.value;
    byId.set(r.id, row);
  }
  return [...byId.values()].map((row) => {
    const out: Record<string, string | number> = { benchmark: row["benchmark"]!, clock: row["clock"]! };
    for (const s of LATENCY_STATS) if (typeof row[s] === "number") out[s] = s === "mean" || s === "std_dev" ? Number((row[s] as number).toFixed(2)) : row[s]!;
    if (typeof row["max"] === "number" && typeof row["min"] === "number") out["jitter (max−min)"] = (row["max"] as number) - (row["min"] as number);
    return out;
  });
}

export const deviceLab = {
  /** Runs firmware (QEMU, serial, probe-rs) into a device run folder, printing progress; returns the loaded run. */
  async runDevice(options: DeviceRunOptions): Promise<LoadedRun> {
    const r = await runDevice({ ...options, onEvent: options.onEvent ?? ((line) => console.log(line)) });
    return loadRun(r.dir);
  },
  currentDeviceRun,
  /** Host and device time per operation per benchmark (joined on group + param; never on one axis). */
  deviceVsHost,
  deviceVsHostChart(rows: ColumnTable | readonly object[], options: DeviceChartOptions = {}): VegaLiteSpec {
    const t = Array.isArray(rows) && rows.length > 0 && !("benchmark" in (rows[0] as object)) ? deviceVsHost(rows) : rows;
    return deviceVsHostSpec(t, options);
  },
  /** Histogram of a device run's per-event latency samples with p50/p99/max marked. */
  latencyChart(run: Pick<LoadedRun, "deviceSamples">, options: DeviceChartOptions & { id?: string } = {}): VegaLiteSpec {
    const samples = options.id ? run.deviceSamples.filter((s) => s.id === options.id) : run.deviceSamples;
    if (samples.length === 0) throw new LitlabError("no-data", `this run has no latency samples${options.id ? ` for ${options.id}` : ""} (the firmware prints them as \`@LB sample\` records)`);
    return latencyDistributionSpec(samples, options);
  },
  latencySummary,
  /** Shows the latency summary (ticks, with the clock) as a table. */
  showLatency(rows: readonly object[]): void {
    const t = latencySummary(rows);
    displayBundle(tableBundle(htmlTable(t, { caption: "Device latency (ticks)" }), markdownTable(t, { caption: "Device latency (ticks)" })));
  },
  /** Host vs device per benchmark as a table: ns/op on the host, ticks/op on the device, each with its clock. */
  showDeviceVsHost(rows: ColumnTable | readonly object[]): void {
    const t = (typeof (rows as ColumnTable).objects === "function" ? (rows as ColumnTable).objects() : deviceVsHost(rows).objects()) as Record<string, unknown>[];
    const view = t.map((r) => ({ benchmark: r["benchmark"], side: r["side"], runtime: r["runtime"], "per op": formatPerOp(Number(r["value"]), String(r["unit"])), "measured as": r["measure"] }));
    displayBundle(tableBundle(htmlTable(view, { caption: "Host vs device" }), markdownTable(view, { caption: "Host vs device" })));
  },
  footprintBuilds,
  loadFootprint,
  footprintTable,
  footprintChart(table: ColumnTable | readonly object[], options: FootprintChartOptions = {}): VegaLiteSpec {
    return footprintChart(table, options);
  },
  /** Shows the footprint comparison (table with deltas against the first build) and its stacked bar chart. */
  async showFootprint(builds: readonly FootprintBuild[], options: { baseline?: string } = {}): Promise<void> {
    const table = footprintTable(builds, options);
    const { html, markdown } = footprintSummary(table);
    displayBundle(tableBundle(html, markdown));
    displayBundle(await chartBundle(footprintChart(table)));
  },
};
