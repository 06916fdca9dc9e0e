/**
 * `litlab footprint ELF[=LABEL]... [--baseline LABEL] [--top N] [--json] [--markdown FILE] [--svg FILE]`:
 * static footprint of one or more builds (per target / features / opt-level), as a table with deltas against a
 * baseline build, the largest symbols, and optionally the stacked bar chart as SVG.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { LitlabError } from "../errors.js";
import { readElf } from "../ingest/footprint/elf.js";
import { footprintOf, sectionRole, topSymbols } from "../ingest/footprint/footprint.js";
import { footprintTable, type FootprintBuild } from "../analyze/footprintCompare.js";
import { footprintChart, footprintSummary } from "../present/footprintChart.js";
import { formatBytes } from "../present/memoryTables.js";
import { renderSvg } from "../present/svg.js";
import { writeFileAtomic } from "../store/atomic.js";
import { helpRequested, parseCommandArgs, UsageError } from "./usage.js";

export const FOOTPRINT_USAGE = "footprint ELF[=LABEL]... [--baseline LABEL] [--top N] [--json] [--markdown FILE] [--svg FILE]";

/** `path=label` → both; a bare path is labelled with its file name (two builds of one name need labels). */
function parseBuildArg(arg: string): { path: string; label: string } {
  const eq = arg.lastIndexOf("=");
  if (eq > 0 && eq < arg.length - 1) return { path: arg.slice(0, eq), label: arg.slice(eq + 1) };
  return { path: arg, label: basename(arg) };
}

export async function footprintCommand(args: string[]): Promise<number> {
  if (helpRequested(args, FOOTPRINT_USAGE)) return 0;
  const { values, positionals } = parseCommandArgs(args, {
    baseline: { type: "string" }, top: { type: "string", default: "10" }, json: { type: "boolean" },
    markdown: { type: "string" }, svg: { type: "string" },
  }, "footprint");
  if (positionals.length === 0) throw new UsageError(`footprint: give at least one ELF file (${FOOTPRINT_USAGE})`);
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 0) throw new UsageError(`footprint: --top must be a whole number ≥ 0 (got ${values.top})`);

  const builds: (FootprintBuild & { symbols: ReturnType<typeof topSymbols> })[] = [];
  for (const arg of positionals) {
    const { path, label } = parseBuildArg(arg);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new LitlabError("not-found", `${path}: cannot read (${code === "ENOENT" ? "no such file" : code}); give the path of a built ELF, e.g. target/thumbv7m-none-eabi/release/APP`, { file: path });
    }
    const elf = readElf(bytes, path);
    builds.push({ label, target: elf.header.machineName, footprint: footprintOf(elf.sections, sectionRole), symbols: topSymbols(elf.symbols, top) });
  }
  const table = footprintTable(builds, values.baseline ? { baseline: values.baseline } : {});

  if (values.svg) await writeFileAtomic(values.svg, await renderSvg(footprintChart(table)));
  const summary = footprintSummary(table);
  const symbolLines = builds.filter((b) => b.symbols.length > 0).map((b) =>
    [`Largest symbols in ${b.label}:`, "", "| symbol | section | size |", "|---|---|---:|",
      ...b.symbols.map((s) => `| \`${s.demangled.replace(/[|`]/g, "\\$&")}\` | ${s.section ?? "–"} | ${formatBytes(s.size)} |`)].join("\n"));
  const markdown = [summary.markdown, ...symbolLines].join("\n\n") + "\n";
  if (values.markdown) await writeFileAtomic(values.markdown, markdown);
  if (values.json) {
    for (const b of builds) process.stdout.write(JSON.stringify({ build: b.label, target: b.target, ...b.footprint, top: b.symbols }) + "\n");
  } else {
    process.stdout.write(markdown);
  }
  return 0;
}
