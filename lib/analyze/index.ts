export { rowsTable } from "./rowsTable.js";
export { runtimeComparison, parseSize, COMPARISON_COLUMNS, type RuntimeComparisonOptions, type ComparisonRow } from "./runtimeComparison.js";
