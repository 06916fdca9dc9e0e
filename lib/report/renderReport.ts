/** `litlab report`: execute a notebook and write the executed .ipynb and its self-contained HTML next to each other. */
import { basename, extname, join, resolve } from "node:path";
import { writeFileAtomic } from "../store/atomic.js";
import { executeNotebook, type ExecuteProgress } from "./executeNotebook.js";
import { notebookHtml } from "./html.js";

export interface RenderReportOptions {
  /** Default: `reports` under the current directory. */
  outDir?: string;
  env?: Record<string, string>;
  onProgress?: (e: ExecuteProgress) => void;
  cellTimeoutMs?: number;
}

export interface RenderReportResult {
  notebookOut: string;
  htmlOut: string;
  wallMs: number;
  /** Cells whose execution failed (their errors are shown in the report). */
  errors: number;
}

export async function renderReport(notebookPath: string, options: RenderReportOptions = {}): Promise<RenderReportResult> {
  const t0 = performance.now();
  const outDir = resolve(options.outDir ?? "reports");
  const name = basename(notebookPath, extname(notebookPath));
  let errors = 0;
  const nb = await executeNotebook(notebookPath, {
    allowErrors: true,
    ...(options.env ? { env: options.env } : {}),
    ...(options.cellTimeoutMs ? { cellTimeoutMs: options.cellTimeoutMs } : {}),
    onProgress: (e) => {
      if (e.status === "error") errors += 1;
      options.onProgress?.(e);
    },
  });
  const html = await notebookHtml(nb);
  // Never overwrite the source notebook when the report goes next to it.
  const sameAsSource = join(outDir, `${name}.ipynb`) === resolve(notebookPath);
  const notebookOut = join(outDir, sameAsSource ? `${name}.executed.ipynb` : `${name}.ipynb`);
  const htmlOut = join(outDir, `${name}.html`);
  // Atomic (temp file + rename): a browser or a diff never sees half a report.
  await writeFileAtomic(notebookOut, `${JSON.stringify(nb, null, 1)}\n`);
  await writeFileAtomic(htmlOut, html);
  return { notebookOut, htmlOut, wallMs: Math.round(performance.now() - t0), errors };
}
