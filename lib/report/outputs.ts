/**
 * Turns a cell's iopub messages into nbformat v4 outputs, as Jupyter frontends do (pure, no I/O):
 * consecutive stream messages of the same name merge, update_display_data replaces every output shown under
 * its display_id (also in earlier cells: the registry is shared across the notebook), clear_output empties.
 */
import { joinText, type DisplayDataOutput, type ErrorOutput, type ExecuteResultOutput, type MimeBundle, type Output, type StreamOutput } from "./nbformat.js";

/** Outputs shown under a display_id, across the whole notebook. */
export type DisplayRegistry = Map<string, (DisplayDataOutput | ExecuteResultOutput)[]>;

function displayId(content: Record<string, unknown>): string | undefined {
  const transient = content["transient"];
  const id = transient && typeof transient === "object" ? (transient as Record<string, unknown>)["display_id"] : undefined;
  return typeof id === "string" && id ? id : undefined;
}

function bundle(content: Record<string, unknown>): { data: MimeBundle; metadata: Record<string, unknown> } {
  const data = content["data"];
  const metadata = content["metadata"];
  return {
    data: data && typeof data === "object" ? (data as MimeBundle) : {},
    metadata: metadata && typeof metadata === "object" ? (metadata as Record<string, unknown>) : {},
  };
}

export class OutputCollector {
  readonly outputs: Output[] = [];
  private clearOnNext = false;

  constructor(private readonly displays: DisplayRegistry = new Map()) {}

  /** Applies one iopub message (by msg_type and content); unknown types (status, execute_input, comm_*) are ignored. */
  add(msgType: string, content: Record<string, unknown>): void {
    switch (msgType) {
      case "stream": {
        this.flushClear();
        const name = content["name"] === "stderr" ? "stderr" : "stdout";
        const text = String(content["text"] ?? "");
        const last = this.outputs.at(-1);
        if (last?.output_type === "stream" && last.name === name) last.text = joinText(last.text) + text;
        else this.outputs.push({ output_type: "stream", name, text } satisfies StreamOutput);
        break;
      }
      case "display_data":
      case "execute_result": {
        this.flushClear();
        const out: DisplayDataOutput | ExecuteResultOutput =
          msgType === "display_data"
            ? { output_type: "display_data", ...bundle(content) }
            : { output_type: "execute_result", execution_count: numberOrNull(content["execution_count"]), ...bundle(content) };
        this.outputs.push(out);
        const id = displayId(content);
        if (id) this.displays.set(id, [...(this.displays.get(id) ?? []), out]);
        break;
      }
      case "update_display_data": {
        const id = displayId(content);
        const { data, metadata } = bundle(content);
        for (const out of (id && this.displays.get(id)) || []) {
          out.data = data;
          out.metadata = metadata;
        }
        break;
      }
      case "error": {
        this.flushClear();
        const tb = content["traceback"];
        this.outputs.push({
          output_type: "error",
          ename: String(content["ename"] ?? "Error"),
          evalue: String(content["evalue"] ?? ""),
          traceback: Array.isArray(tb) ? tb.map(String) : [],
        } satisfies ErrorOutput);
        break;
      }
      case "clear_output":
        if (content["wait"] === true) this.clearOnNext = true;
        else this.outputs.length = 0;
        break;
      default:
        break;
    }
  }

  /** `clear_output(wait=True)`: clear just before the next output arrives (avoids flicker in live frontends). */
  private flushClear(): void {
    if (!this.clearOnNext) return;
    this.clearOnNext = false;
    this.outputs.length = 0;
  }

  hasError(): boolean {
    return this.outputs.some((o) => o.output_type === "error");
  }

  /**
   * tslab answers a failed cell with `status: "error"` but no ename/evalue and no `error` output: the message
   * (`console.error(err)`, e.g. "TypeError: x is not a function\n    at …", or a type error "1:7 - Type …")
   * only reaches stderr. Derive an `error` output from that stderr text so the notebook shows the failure.
   */
  synthesizeError(reply: Record<string, unknown>): void {
    if (this.hasError()) return;
    const ename = typeof reply["ename"] === "string" && reply["ename"] ? reply["ename"] : undefined;
    const evalue = typeof reply["evalue"] === "string" ? reply["evalue"] : undefined;
    if (ename) {
      this.add("error", { ename, evalue: evalue ?? "", traceback: reply["traceback"] ?? [] });
      return;
    }
    const stderr = this.outputs.filter((o): o is StreamOutput => o.output_type === "stream" && o.name === "stderr").map((o) => joinText(o.text)).join("");
    this.outputs.push(errorFromStderr(stderr));
  }
}

/**
 * The error named in tslab's stderr text. Node prints a thrown Error as "evalmachine.<anonymous>:2\n<source line>\n^\n\n
 * TypeError: boom\n    at …", so the first "XxxError: message" line wins; otherwise (a thrown non-Error, a TypeScript
 * diagnostic such as "1:7 - Type 'string' is not assignable…") the first non-empty line, as ename "Error".
 */
export function errorFromStderr(stderr: string): ErrorOutput {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
  for (const line of lines) {
    const m = /^(?:Uncaught\s+)?((?:[A-Za-z_$][\w$]*)?(?:Error|Exception))(?:\s*\[[\w-]+\])?:\s?(.*)$/.exec(line);
    if (m) return { output_type: "error", ename: m[1]!, evalue: m[2]!, traceback: [] };
  }
  return { output_type: "error", ename: "Error", evalue: lines[0] ?? "the cell failed (no message)", traceback: [] };
}

function numberOrNull(v: unknown): number | null {
  return typeof v === "number" ? v : null;
}
