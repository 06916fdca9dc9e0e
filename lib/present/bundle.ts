import type { VegaLiteSpec } from "./runtimeChart.js";
import { renderSvg } from "./svg.js";

/** A Jupyter MIME bundle: MIME type → content (a string, or a JSON object for `+json` types). */
export type MimeBundle = Record<string, unknown>;

export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/**
 * One chart, three ways: interactive Vega-Lite for JupyterLab (the spec as an object — a JSON string would be
 * stored as a string and not render), a static SVG for exports (nbconvert drops the Vega-Lite type), and a line of
 * text for terminals and logs.
 */
export async function chartBundle(spec: VegaLiteSpec): Promise<MimeBundle> {
  const svg = await renderSvg(spec);
  return { [VEGA_LITE_MIME]: spec, "image/svg+xml": svg, "text/plain": describeSpec(spec) };
}

/** A table as HTML (notebooks, HTML export) and Markdown (Markdown export; also the plain-text view). */
export function tableBundle(html: string, markdown: string): MimeBundle {
  return { "text/html": html, "text/markdown": markdown, "text/plain": markdown };
}

/** `<Chart: title — 16 points>`: what a terminal shows instead of the chart. */
export function describeSpec(spec: VegaLiteSpec): string {
  const title = typeof spec["title"] === "string" ? spec["title"] : "Vega-Lite chart";
  const data = spec["data"];
  const values = data && typeof data === "object" && !Array.isArray(data) ? data["values"] : undefined;
  const count = Array.isArray(values) ? ` — ${values.length} point${values.length === 1 ? "" : "s"}` : "";
  return `<Chart: ${title}${count}>`;
}
