/**
 * The I/O edge of the memory parsers: FormatReaders for ingestPath's READERS list (kinds `dhat`, `massif`,
 * `jemalloc`, `perf-stat`, `time`). Detection reads at most the first 64 KB of a file; reading hands the whole
 * text to the pure parsers and returns the summary rows only (timelines and allocation sites come from the pure
 * functions: dhatProfile, massifProfile, jemallocStats' bins).
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { ParseError } from "../../errors.js";
import type { FormatReader } from "../ingestPath.js";
import type { MemoryIngestResult } from "../memoryRows.js";
import { dhatProfile, dhatSummaryText } from "./dhat.js";
import { jemallocStats } from "./jemalloc.js";
import { massifProfile } from "./massif.js";
import { looksLikeMsPrint } from "./msPrint.js";
import { plainLines, type OutputParseOptions } from "./outputCommon.js";
import { looksLikePerfCsv, perfStat } from "./perfStat.js";
import { timeVerbose } from "./time.js";
import { headOf } from "../headOf.js";


type Parse = (text: string, options: OutputParseOptions) => MemoryIngestResult;

/**
 * Parses the file with the parser `choose` picks for its text; rows keep the short file name, errors name the
 * path the user gave.
 */
async function readWith(path: string, choose: (text: string) => Parse): Promise<{ rows: MemoryIngestResult["rows"]; samples: []; warnings: string[] }> {
  const text = await readFile(path, "utf8");
  const source = basename(path);
  try {
    const { rows, warnings } = choose(text)(text, { source });
    return { rows, samples: [], warnings };
  } catch (e) {
    if (e instanceof ParseError && e.file === source && source !== path) throw new ParseError(path, e.message.slice(source.length + 2));
    throw e;
  }
}

const fileReader = (kind: string, expects: string, looks: (head: string) => boolean, choose: (text: string) => Parse): FormatReader => ({
  kind,
  expects,
  detect: async (path, isDir) => !isDir && looks(await headOf(path)),
  read: async (path, isDir) => {
    if (isDir) throw new ParseError(path, `is a folder; the ${kind} reader reads one file`);
    return readWith(path, choose);
  },
});

const DHAT_JSON = /"dhatFileVersion"\s*:/;
const DHAT_SUMMARY = /^(?:==\d+==\s?)?\s*Total:\s+[\d,]+ \w+ in [\d,]+ \w+\s*$/m;

export const dhatReader = fileReader(
  "dhat",
  'dhat: valgrind DHAT / dhat-rs JSON (`"dhatFileVersion": 2`), or DHAT\'s stderr summary (`Total: N bytes in M blocks`, `At t-gmax: ...`)',
  (head) => DHAT_JSON.test(head) || (DHAT_SUMMARY.test(head) && /^(?:==\d+==\s?)?\s*At t-gmax:/m.test(head)),
  (text) => (DHAT_JSON.test(text) ? dhatProfile : dhatSummaryText),
);

export const massifReader = fileReader(
  "massif",
  "massif: valgrind massif.out (`desc:`, `cmd:`, `snapshot=N` blocks) or its ms_print rendering",
  (head) => (/^desc:/m.test(head) && /^snapshot=\d+/m.test(head)) || looksLikeMsPrint(plainLines(head)),
  () => massifProfile,
);

const JEMALLOC_JSON = /\{\s*"jemalloc"\s*:/;
const JEMALLOC_TEXT = /^\s*Allocated: \d+, active: \d+/m;
// a fragment of the JSON `"stats"` object (no `{"jemalloc"` head): its first members
const JEMALLOC_FRAGMENT = /"stats"\s*:\s*\{\s*"allocated"\s*:\s*\d+\s*,\s*"active"\s*:\s*\d+/;

export const jemallocReader = fileReader(
  "jemalloc",
  'jemalloc: malloc_stats_print output (`MALLOC_CONF=stats_print:true[,stats_print_opts:J]`): the {"jemalloc": ...} JSON or the `Allocated: N, active: N, ...` line, other stderr lines around it allowed',
  (head) => JEMALLOC_JSON.test(head) || JEMALLOC_TEXT.test(head) || JEMALLOC_FRAGMENT.test(head),
  () => jemallocStats,
);

export const perfStatReader = fileReader(
  "perf-stat",
  "perf-stat: `perf stat` output (` Performance counter stats for '...':` and counter lines) or its `-x,` CSV",
  (head) => /^\s*Performance counter stats for /m.test(head) || looksLikePerfCsv(plainLines(head)),
  () => perfStat,
);

const TIME_LINES = [
  /^\s*Maximum resident set size \(kbytes\): \d+$/m, // GNU -v (a line of its own: not a document quoting it)
  /^\s*\d+\s+maximum resident set size$/m, // macOS -l, in bytes
  /^real\t\d+m[\d.,]+s$/m, // bash builtin
  /\d+maxresident\)k/, // GNU default format
  /^real \d+(?:[.,]\d+)?\nuser \d/m, // time -p
];

export const timeReader = fileReader(
  "time",
  "time: `/usr/bin/time -v` (`Maximum resident set size (kbytes): N`), macOS `time -l`, or bash `time` (`real\\t0m0.100s`) output",
  (head) => TIME_LINES.some((re) => re.test(head)),
  () => timeVerbose,
);

/** The memory readers, in detection order: a file of jemalloc JSON run under `time -v` is read as jemalloc. */
export const memoryReaders: FormatReader[] = [dhatReader, massifReader, jemallocReader, perfStatReader, timeReader];
