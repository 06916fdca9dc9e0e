export * from "./files.js";
export * from "./criterionRows.js";
export * from "./estimates.js";
export * from "./benchmark.js";
export * from "./sample.js";
export { parseJson } from "./json.js";
export * from "./rawCsv.js";
export * from "./dirName.js";
