/** Device record protocol (README "Device record protocol"): line parser, incremental capture, tidy rows, reader. */
export * from "./records.js";
export * from "./capture.js";
export * from "./deviceRows.js";
export * from "./readers.js";
