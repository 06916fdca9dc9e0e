// Reports: run a notebook headless in the litlab kernel, then turn it into one self-contained HTML file.
export type { Notebook, Cell, CodeCell, MarkdownCell, RawCell, Output, MimeBundle as NotebookMimeBundle, MultilineString } from "./nbformat.js";
export { parseNotebook, readNotebook } from "./nbformat.js";
export { executeNotebook, CellExecutionError, type ExecuteNotebookOptions, type ExecuteProgress } from "./executeNotebook.js";
export { KernelClient, KernelDiedError, type ExecuteResult, type KernelStartOptions } from "./kernelClient.js";
export { notebookHtml, type NotebookHtmlOptions } from "./html.js";
export { renderReport, type RenderReportOptions, type RenderReportResult } from "./renderReport.js";
