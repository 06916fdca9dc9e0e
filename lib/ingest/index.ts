export * from "./rows.js";
export * from "./criterion/index.js";
export * from "./readTree.js";
export * from "./ingestPath.js";
export * from "./cargoCriterion/index.js";
export * from "./text/index.js";
