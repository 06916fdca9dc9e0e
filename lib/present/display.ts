import { createRequire } from "node:module";
import type { MimeBundle } from "./bundle.js";

/** tslab's per-execution iopub writer: `(content, update) => void`, content being a display_data message content. */
type WriteDisplayData = (
  content: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> },
  update: boolean,
) => void;

const localRequire = createRequire(import.meta.url);
const TSLAB_JUPYTER = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/**
 * tslab's display channel, or null outside a tslab kernel.
 *
 * Checked against tslab 1.0.22's source: `dist/jupyter.js` keeps a module-level `exports.lastWriteDisplayData`,
 * which `JupyterHandlerImpl.handleExecuteImpl` sets to the current execution's `writeDisplayData` before running
 * each cell (so outputs go to the cell being run); `writeDisplayData(content, update)` sends `display_data`
 * (or `update_display_data` when `update`) with `content` as-is on iopub. tslab's own public API
 * (`dist/public.js`, `DisplayImpl.raw`, behind `display.html/svg/...`) calls exactly
 * `jupyter.lastWriteDisplayData({ data: { [type]: b }, metadata: {}, transient: { display_id } }, update)`;
 * we make the same call with several MIME types in `data`, which `display.raw` can't.
 *
 * Only a module already loaded in this process counts: the kernel's tslab may be another install than the one
 * next to litlab (a global `tslab`), and loading `jupyter.js` fresh would pull in zeromq and TypeScript just to
 * find its channel unset. So: the copy our own resolution finds, if loaded, else any loaded tslab copy.
 */
function displayChannel(): WriteDisplayData | null {
  const cache = localRequire.cache;
  const candidates: string[] = [];
  try {
    candidates.push(localRequire.resolve("tslab/dist/jupyter"));
  } catch {
    // tslab is not installed next to litlab; a kernel's own copy may still be loaded.
  }
  candidates.push(...Object.keys(cache).filter((p) => TSLAB_JUPYTER.test(p)));
  for (const path of candidates) {
    const exported: unknown = cache[path]?.exports;
    const write = exported && typeof exported === "object" ? (exported as Record<string, unknown>)["lastWriteDisplayData"] : undefined;
    if (typeof write === "function") return write as WriteDisplayData;
  }
  return null;
}

/** True when running inside a tslab kernel that is executing (or has executed) a cell. */
export function isInKernel(): boolean {
  return displayChannel() !== null;
}

/**
 * Shows a MIME bundle as ONE output: the frontend picks the richest type it can render, exports keep the others.
 * Outside a kernel (scripts, tests, the CLI) prints the bundle's text/plain instead of failing.
 */
export function displayBundle(bundle: MimeBundle): void {
  const write = displayChannel();
  if (write) {
    write({ data: bundle, metadata: {}, transient: {} }, false);
    return;
  }
  const text = bundle["text/plain"];
  console.log(typeof text === "string" ? text : `<display: ${Object.keys(bundle).join(", ")}>`);
}
