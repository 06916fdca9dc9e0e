/**
 * The I/O edge of the text parsers: FormatReaders for ingestPath's READERS list. Detection reads at most the
 * first 64 KB of a file; reading hands the whole text to the pure parsers.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { ParseError } from "../../errors.js";
import type { FormatReader } from "../ingestPath.js";
import { bencherLines } from "./bencher.js";
import { cleanLines, type TextParseOptions, type TextParseResult } from "./common.js";
import { criterionStdout, isCriterionResultLine } from "./criterionStdout.js";
import { hasLitbitPrints } from "./litbitPrints.js";
import { headOf } from "../headOf.js";


const BENCHER_RECORD = /(?:^|\s)bench:\s+[\d,.]+\s+\S+\s+\(\+\/-\s+[\d,.]+\)/m;
const TEST_LINE = /^test .+ \.\.\./m;

const looksLikeBencher = (head: string): boolean => BENCHER_RECORD.test(head) && TEST_LINE.test(head);

/** `memory_usage.stdout.txt` (the run folder's raw/<target>.stdout.txt) → `memory_usage`. */
function targetOf(path: string): string | undefined {
  const m = /^(.+)\.(?:stdout|stderr)(?:\.txt)?$/.exec(basename(path));
  return m ? m[1] : undefined;
}

async function readWith(path: string, parse: (text: string, o: TextParseOptions) => TextParseResult): Promise<TextParseResult> {
  const target = targetOf(path);
  const text = await readFile(path, "utf8");
  try {
    return parse(text, { source: basename(path), ...(target === undefined ? {} : { target }) });
  } catch (e) {
    // rows keep the short source name; the error names the file the user gave, path and all
    if (e instanceof ParseError && e.file === basename(path)) throw new ParseError(path, e.message.slice(e.file.length + 2));
    throw e;
  }
}

export const criterionStdoutReader: FormatReader = {
  kind: "criterion-stdout",
  expects: "criterion-stdout: Criterion's printed results (`<id>  time: [low estimate high]`, `thrpt:`, `change:`), e.g. a saved `cargo bench` log",
  async detect(path, isDir) {
    if (isDir) return false;
    const head = await headOf(path);
    const lines = cleanLines(head);
    // a whole result line, not just `time: [`: documentation quoting Criterion (`time: [481.63 Kelem/s ...]`) is not output
    if (lines.some(isCriterionResultLine)) return true;
    // lit-bit's own prints with no Criterion line in the first 64 KB (a KPI block is printed ~100 times first),
    // unless they sit in bencher-format output, which the bencher reader takes
    return !looksLikeBencher(head) && hasLitbitPrints(lines);
  },
  read: async (path) => {
    const { rows, warnings } = await readWith(path, criterionStdout);
    return { rows, samples: [], warnings };
  },
};

export const bencherReader: FormatReader = {
  kind: "bencher",
  expects: "bencher: `test <name> ... bench: <value> ns/iter (+/- <dev>)` lines (libtest `cargo bench`, Criterion `--output-format bencher`)",
  async detect(path, isDir) {
    if (isDir) return false;
    return looksLikeBencher(await headOf(path));
  },
  read: async (path) => {
    const { rows, warnings } = await readWith(path, bencherLines);
    return { rows, samples: [], warnings };
  },
};
