export * from "./jemalloc.js";
export * from "./time.js";
export * from "./perfStat.js";
export * from "./readers.js";
export { stemOf, runIds, type OutputParseOptions } from "./outputCommon.js";
export { dhatProfile, dhatSummaryText, type DhatOptions } from "./dhat.js";
export { massifProfile, type MassifOptions } from "./massif.js";
export { msPrintProfile } from "./msPrint.js";
