export { rowsTable } from "./rowsTable.js";
export { runtimeComparison, parseSize, COMPARISON_COLUMNS, type RuntimeComparisonOptions, type ComparisonRow } from "./runtimeComparison.js";
export { runtimeOf, registerRuntime, resetRuntimes, BUILT_IN_RUNTIMES } from "./runtimeLabels.js";
export { runsTable, loadRunsTable, RUN_COLUMNS, type RunsTableOptions, type LoadRunsTableOptions } from "./runsTable.js";
export { pivotRuntimeByParam, type PivotOptions } from "./pivot.js";
export { toDanfo, MISSING_DANFO, type DataFrameLike } from "./toDanfo.js";
export * from "./linearFit.js";
export * from "./memoryPerActor.js";
export * from "./fragmentation.js";
