export * from "./atomic.js";
export * from "./runFolder.js";
export * from "./tables.js";
