/** Text parsers: Criterion's printed results, bencher/libtest lines, lit-bit's own prints. */
export { criterionStdout, CRITERION_STDOUT_FORMAT } from "./criterionStdout.js";
export { bencherLines, BENCHER_FORMAT } from "./bencher.js";
export { LITBIT_FORMAT } from "./litbitPrints.js";
export type { TextParseOptions, TextParseResult } from "./common.js";
export { criterionStdoutReader, bencherReader } from "./readers.js";
