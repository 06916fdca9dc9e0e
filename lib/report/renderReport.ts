/** `litlab report`: execute a notebook and write the executed .ipynb and its self-contained HTML next to each other. */
import { mkdir } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import { LitlabError } from "../errors.js";
import { readNotebook } from "./nbformat.js";
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
  /** One line per failed cell: `cell N: Name: message`. */
  errorMessages: string[];
}

/** Makes the output folder before anything runs, so a bad --out costs nothing and says so in one line. */
async function prepareOutDir(outDir: string): Promise<void> {
  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new LitlabError("usage", `cannot write reports to ${outDir} (${code}); pick a writable folder with --out`, { file: outDir, cause: e });
  }
}

export async function renderReport(notebookPath: string, options: RenderReportOptions = {}): Promise<RenderReportResult> {
  const t0 = performance.now();
  const outDir = resolve(options.outDir ?? "reports");
  const name = basename(notebookPath, extname(notebookPath));
  let errors = 0;
  await readNotebook(notebookPath); // a missing or malformed notebook fails before the kernel starts
  await prepareOutDir(outDir);
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
  const errorMessages: string[] = [];
  let codeIndex = 0;
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    codeIndex += 1;
    for (const o of cell.outputs) if (o.output_type === "error") errorMessages.push(`cell ${codeIndex}: ${o.ename}: ${o.evalue}`);
  }
  return { notebookOut, htmlOut, wallMs: Math.round(performance.now() - t0), errors, errorMessages };
}
