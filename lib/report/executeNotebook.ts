/**
 * Headless notebook execution: every code cell of an nbformat 4 notebook, in order, in one litlab (tslab) kernel,
 * filling outputs, execution_count and metadata.execution timings like `jupyter nbconvert --execute` would.
 */
import { dirname, resolve } from "node:path";
import { LitlabError } from "../errors.js";
import { KERNEL_DISPLAY_NAME, KERNEL_NAME, kernelSpecFor } from "../kernel/kernelSpec.js";
import { PROJECT_ROOT } from "../version.js";
import { KernelClient, KernelDiedError } from "./kernelClient.js";
import { joinText, readNotebook, type CodeCell, type Notebook } from "./nbformat.js";
import type { DisplayRegistry } from "./outputs.js";

export interface ExecuteProgress {
  /** 1-based index among the notebook's code cells. */
  cell: number;
  of: number;
  status: "start" | "done" | "error";
}

export interface ExecuteNotebookOptions {
  /** Kernel working directory; default: the notebook's folder. */
  cwd?: string;
  /** Extra environment for the kernel (e.g. LITLAB_RUN). */
  env?: Record<string, string>;
  /** Per-cell limit; default 120 s. A cell over it stops the run (the kernel is killed). */
  cellTimeoutMs?: number;
  /** Go on after a failing cell (its error is in its outputs). Default false: throw CellExecutionError. */
  allowErrors?: boolean;
  onProgress?: (e: ExecuteProgress) => void;
  /** The litlab checkout whose kernel runs the cells; default: this one. */
  projectRoot?: string;
}

/** A cell failed and allowErrors was off; `notebook` holds everything executed up to and including that cell. */
export class CellExecutionError extends LitlabError {
  override name = "CellExecutionError";
  constructor(message: string, file: string, readonly notebook: Notebook) {
    super("cell-error", message, { file });
  }
}

/** First line of a cell, to name it in messages. */
function cellLabel(cell: CodeCell, n: number): string {
  const first = joinText(cell.source).split("\n").find((l) => l.trim())?.trim() ?? "";
  return `cell ${n} (${first.length > 50 ? `${first.slice(0, 47)}...` : first})`;
}

export async function executeNotebook(notebookPath: string, options: ExecuteNotebookOptions = {}): Promise<Notebook> {
  const file = resolve(notebookPath);
  const nb = await readNotebook(file);
  const codeCells = nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
  const spec = kernelSpecFor(options.projectRoot ?? PROJECT_ROOT);
  const kernel = await KernelClient.start({ spec, cwd: options.cwd ?? dirname(file), env: options.env ?? {} }).catch((e: unknown) => {
    throw e instanceof LitlabError ? new LitlabError(e.code, `${notebookPath}: ${e.message}`, { file, cause: e }) : e;
  });
  const displays: DisplayRegistry = new Map();
  try {
    nb.metadata.kernelspec = { name: KERNEL_NAME, display_name: KERNEL_DISPLAY_NAME, language: "typescript" };
    if (Object.keys(kernel.languageInfo).length) nb.metadata.language_info = kernel.languageInfo;
    for (const [i, cell] of codeCells.entries()) {
      const n = i + 1;
      const code = joinText(cell.source);
      cell.outputs = [];
      cell.execution_count = null;
      if (!code.trim()) continue; // like Jupyter: an empty cell is not sent
      options.onProgress?.({ cell: n, of: codeCells.length, status: "start" });
      let result;
      try {
        result = await kernel.execute(code, { displays, ...(options.cellTimeoutMs ? { timeoutMs: options.cellTimeoutMs } : {}) });
      } catch (e) {
        if (e instanceof KernelDiedError) {
          throw new LitlabError("kernel-died", `${notebookPath}: ${cellLabel(cell, n)}: ${e.message}`, { file, cause: e });
        }
        if (e instanceof LitlabError && e.code === "timeout") {
          throw new LitlabError("timeout", `${notebookPath}: ${cellLabel(cell, n)} ${e.message}`, { file, cause: e });
        }
        throw e;
      }
      cell.outputs = result.outputs;
      cell.execution_count = result.executionCount;
      cell.metadata = { ...cell.metadata, execution: result.timing };
      const failed = result.status !== "ok";
      options.onProgress?.({ cell: n, of: codeCells.length, status: failed ? "error" : "done" });
      if (failed && !options.allowErrors) {
        const err = result.outputs.find((o) => o.output_type === "error");
        const why = err?.output_type === "error" ? `${err.ename}: ${err.evalue}` : `status ${result.status}`;
        throw new CellExecutionError(`${notebookPath}: ${cellLabel(cell, n)} failed: ${why}`, file, nb);
      }
    }
  } finally {
    await kernel.close();
  }
  return nb;
}
