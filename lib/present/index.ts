export { runInfoPairs, runInfoMarkdown, runInfoHtml } from "./runInfo.js";
export { formatDuration, formatRate, formatValue, formatNumber, formatInterval } from "./humanize.js";
export { runtimeComparisonSpec, VEGA_LITE_SCHEMA, RUNTIME_SELECTION, type VegaLiteSpec, type JsonValue, type RuntimeChartOptions } from "./runtimeChart.js";
export { renderSvg } from "./svg.js";
export { chartBundle, tableBundle, describeSpec, VEGA_LITE_MIME, type MimeBundle } from "./bundle.js";
export { displayBundle, isInKernel } from "./display.js";
export { htmlTable, markdownTable, type TableOptions } from "./table.js";
export { comparisonTable, comparisonRows, type ComparisonTableOptions } from "./comparisonTable.js";
