export * from "./process.js";
export * from "./cargoMetadata.js";
export * from "./cargoBuild.js";
export * from "./criterionCli.js";
export * from "./events.js";
export * from "./hostRun.js";
