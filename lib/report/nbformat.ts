/**
 * The nbformat v4 shapes litlab reads and writes (https://nbformat.readthedocs.io/en/latest/format_description.html),
 * plus parsing with errors that name the file.
 */
import { readFile } from "node:fs/promises";
import { LitlabError, ParseError } from "../errors.js";

/** nbformat stores long text either as one string or as a list of lines (each keeping its "\n"). */
export type MultilineString = string | string[];

/** A MIME bundle: JSON MIME types (`application/*+json`) hold objects, the others text. */
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: MultilineString;
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CodeCell {
  cell_type: "code";
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  execution_count: number | null;
  outputs: Output[];
}
export interface MarkdownCell {
  cell_type: "markdown";
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  attachments?: Record<string, MimeBundle>;
}
export interface RawCell {
  cell_type: "raw";
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
}
export type Cell = CodeCell | MarkdownCell | RawCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown> & {
    kernelspec?: { name: string; display_name: string; language?: string };
    language_info?: Record<string, unknown>;
  };
  cells: Cell[];
}

export function joinText(text: MultilineString | undefined): string {
  return Array.isArray(text) ? text.join("") : (text ?? "");
}

/** Checks the parts of an nbformat 4 document litlab relies on (pure). */
export function parseNotebook(file: string, text: string): Notebook {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ParseError(file, `not a notebook: invalid JSON (${(e as Error).message})`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new ParseError(file, "not a notebook: expected a JSON object");
  const nb = doc as Record<string, unknown>;
  if (nb["nbformat"] !== 4) {
    throw new ParseError(file, `unsupported notebook format: nbformat ${JSON.stringify(nb["nbformat"] ?? null)} (litlab reads nbformat 4)`);
  }
  if (!Array.isArray(nb["cells"])) throw new ParseError(file, "not a notebook: no `cells` list");
  nb["cells"].forEach((cell: unknown, i: number) => {
    const c = cell as Record<string, unknown> | null;
    const type = c?.["cell_type"];
    if (type !== "code" && type !== "markdown" && type !== "raw") {
      throw new ParseError(file, `cell ${i + 1}: unknown cell_type ${JSON.stringify(type ?? null)}`);
    }
    const src = c!["source"];
    if (typeof src !== "string" && !(Array.isArray(src) && src.every((s) => typeof s === "string"))) {
      throw new ParseError(file, `cell ${i + 1}: source must be a string or a list of strings`);
    }
    c!["metadata"] ??= {};
    if (type === "code") {
      c!["outputs"] ??= [];
      c!["execution_count"] ??= null;
    }
  });
  nb["metadata"] ??= {};
  nb["nbformat_minor"] ??= 0;
  return nb as unknown as Notebook;
}

export async function readNotebook(file: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new LitlabError("not-found", `${file}: no such notebook`, { file });
    throw new ParseError(file, `cannot read: ${String(e)}`);
  }
  return parseNotebook(file, text);
}
