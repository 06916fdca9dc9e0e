import { isLitlabError } from "../errors.js";
import { INGEST_KINDS } from "../ingest/ingestPath.js";
import { LITLAB_VERSION } from "../version.js";
import { ingestCommand } from "./ingestCommand.js";
import { footprintCommand } from "./footprintCommand.js";
import { firmwareCommand } from "./firmwareCommand.js";
import { historyCommand } from "./historyCommand.js";
import { compareCommand } from "./compareCommand.js";
import { kernelCommand } from "./kernelCommand.js";
import { mainJobCommand } from "./mainJob.js";
import { reportCommand } from "./reportCommand.js";
import { runCommand } from "./runCommand.js";
import { reindexCommand, runsCommand } from "./runsCommand.js";
import { UsageError } from "./usage.js";

/** Help-column indent: descriptions start at column 46. */
const HELP_INDENT = " ".repeat(45);

/** `KIND: a, b, ...` from INGEST_KINDS, wrapped at 118 columns under the description column. */
function ingestKindLines(): string {
  const lines: string[] = [];
  let line = `${HELP_INDENT}KIND:`;
  INGEST_KINDS.forEach((kind, i) => {
    const word = ` ${kind}${i < INGEST_KINDS.length - 1 ? "," : ""}`;
    if (line.length + word.length > 118) { lines.push(line); line = HELP_INDENT + " ".repeat(5); }
    line += word;
  });
  const tail = " (default: picked by content)";
  if (line.length + tail.length > 118) lines.push(line, HELP_INDENT + tail.trimStart());
  else lines.push(line + tail);
  return lines.join("\n");
}

export const HELP = `litlab ${LITLAB_VERSION}: a notebook lab for lit-bit performance investigations

Usage:
  litlab main [--bundled] [--out DIR]        the main job: live run of the reference workload (or the bundled run),
                                             then execute notebooks/overview.ipynb and write reports/overview.html
  litlab run host --workspace DIR [--package P] [--bench T]... [--filter REGEX]
                  [--profile quick|full] [--runs DIR] [--label L] [--offline-registry DIR]
                                             trigger a Criterion run and store it as a run folder
  litlab run memory --tool dhat|massif|jemalloc|time|rss [--label L] [--runs DIR] [--interval MS]
                    [--timeout S] [--cwd DIR] [--json] (-- COMMAND... | --bench-target EXE --filter ID)
                                             profile a program's memory with a real profiler into a run folder
  litlab run sweep [--runtimes a,b] [--actors 30,100,...] [--methods dhat,jemalloc] [--runs DIR]
                                             memory per actor: hold-actors swept over N per runtime, two methods,
                                             fitted bytes per actor with 95 % CI (see notebooks/memory-per-actor.ipynb)
  litlab ingest PATH... [--json] [--kind KIND]
                                             read benchmark output into tidy rows (JSON lines with --json);
${ingestKindLines()}
  litlab ingest PATH... --into RUN_ID [--runs DIR] [--label L]
                                             import foreign results into a new run folder (sources are copied
                                             to raw/import/ and never modified; the manifest records their sha256)
  litlab runs [--runs DIR] [--json]          list stored runs: id, kind, when, commit, host, status
                                             (a run whose process died shows as incomplete)
  litlab reindex RUN_DIR                     rebuild a run's tables from its raw files (alias: runs --rebuild RUN_DIR)
  litlab report NOTEBOOK [--out DIR] [--run RUN_DIR]
                                             execute a notebook headlessly with the litlab kernel and write
                                             DIR/NAME.ipynb and a self-contained DIR/NAME.html
  litlab run device (--qemu ELF [--machine M] [--icount N|off] [--channel semihosting|uart]
                    | --serial PATH [--baud N] [--send STR] | --probe-rs ELF --chip CHIP)
                    [--timeout S] [--label L] [--runs DIR] [--json]    (or: run device --list-ports)
                                             run bench firmware and capture its device records into a run folder
  litlab firmware build [--target thumbv7m-none-eabi|riscv32imac-unknown-none-elf] [--profile release|dev]
                                             build the reference firmware (workloads/firmware); prints the ELF path
  litlab footprint ELF[=LABEL]... [--baseline LABEL] [--top N] [--json] [--markdown FILE] [--svg FILE]
                                             static footprint of builds (.text .rodata .data .bss, flash, RAM)
                                             with deltas against the baseline build and the largest symbols
  litlab compare BASE_RUN CAND_RUN [--runs DIR] [--threshold 2%] [--alpha 0.05] [--noise-from DIR] [--markdown FILE] [--svg FILE]
                 [--json] [--fail-on regression]
                                             baseline-vs-candidate review: ratio of medians with a bootstrap CI,
                                             Mann-Whitney p, FDR q, verdict; exit 1 on a regression with --fail-on
  litlab history [--runs DIR] [--bench REGEX] [--penalty N] [--min-segment N] [--json] [--svg FILE]
                                             each benchmark across the stored runs, and the runs (commits)
                                             where it stepped to a new level (change points, PELT)
  litlab kernel install [--user|--project|--sys]
                                             register the "litlab (TypeScript)" Jupyter kernel
  litlab help | --version

Exit status: 0 ok, 1 a run or notebook failed, 2 bad usage or bad input (the message names the file).`;

/** Entry point of the `litlab` command; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined: case "help": case "--help": case "-h":
        process.stdout.write(HELP + "\n");
        return 0;
      case "--version": case "-V":
        process.stdout.write(LITLAB_VERSION + "\n");
        return 0;
      case "main": return await mainJobCommand(rest);
      case "run": return await runCommand(rest, argv);
      case "ingest": return await ingestCommand(rest);
      case "runs": return await runsCommand(rest);
      case "reindex": return await reindexCommand(rest);
      case "report": return await reportCommand(rest);
      case "kernel": return await kernelCommand(rest);
      case "footprint": return await footprintCommand(rest);
      case "firmware": return await firmwareCommand(rest);
      case "history": return await historyCommand(rest);
      case "compare": return await compareCommand(rest);
      default:
        throw new UsageError(`unknown command "${command}"; see \`litlab help\``);
    }
  } catch (e) {
    if (isLitlabError(e)) {
      process.stderr.write(`litlab: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
