// Public API of litlab: one namespace per pipeline stage, plus `lab`, the notebook helper.
export * from "./ingest/rows.js";
export * from "./errors.js";
export * from "./trigger/index.js";
export * from "./capture/index.js";
export * from "./ingest/index.js";
export * from "./store/index.js";
export * from "./analyze/index.js";
export * from "./present/index.js";
export * from "./report/index.js";
export * from "./kernel/index.js";
export { lab, type RunOrigin } from "./lab.js";
