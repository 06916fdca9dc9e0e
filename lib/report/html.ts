/**
 * One self-contained HTML file for an executed notebook: markdown rendered, code escaped, outputs inline
 * (images as data URIs, SVG inline). Charts (`application/vnd.vegalite.v*+json` next to an `image/svg+xml`
 * fallback) show the static SVG, and JavaScript swaps in an interactive vega-embed view; the Vega runtime is
 * inlined once, only when there is a chart. Nothing refers to a network host, and the CSP forbids fetching.
 */
import { marked } from "marked";
import { joinText, type Cell, type MimeBundle, type Notebook, type Output } from "./nbformat.js";
import { REPORT_CSS } from "./htmlStyle.js";
import { vegaRuntime } from "./vegaRuntime.js";

export interface NotebookHtmlOptions {
  title?: string;
}

const VEGA_LITE = /^application\/vnd\.vegalite\.v\d+\+json$/;
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;

// Inline scripts and styles only; data: images; 'unsafe-eval' because Vega compiles its expressions with Function().
const CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:";

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Terminal colour codes (some kernels colour tracebacks) are noise in HTML. */
function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}

/** JSON inside <script type="application/json">: "<" escaped so that no "</script>" or "<!--" can appear. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function markdown(src: string): string {
  return marked.parse(src, { async: false, gfm: true });
}

function text(v: unknown): string {
  return typeof v === "string" ? v : Array.isArray(v) ? v.map(String).join("") : JSON.stringify(v, null, 2);
}

interface RenderState {
  charts: number;
}

function chartKey(data: MimeBundle): string | undefined {
  return Object.keys(data).find((k) => VEGA_LITE.test(k));
}

function renderBundle(data: MimeBundle, state: RenderState): string {
  const vl = chartKey(data);
  if (vl) {
    const spec = typeof data[vl] === "string" ? JSON.parse(data[vl] as string) as unknown : data[vl];
    const svg = data["image/svg+xml"];
    const fallback = svg !== undefined
      ? text(svg)
      : `<p class="chart-note">${escapeHtml(text(data["text/plain"] ?? "(interactive chart: needs JavaScript)"))}</p>`;
    state.charts += 1;
    return `<figure class="chart" id="chart-${state.charts}"><div class="chart-static">${fallback}</div>` +
      `<script type="application/json" class="chart-spec">${scriptJson(spec)}</script></figure>`;
  }
  if (data["text/html"] !== undefined) return `<div class="html">${text(data["text/html"])}</div>`;
  if (data["image/svg+xml"] !== undefined) return text(data["image/svg+xml"]);
  for (const type of IMAGE_TYPES) {
    if (data[type] !== undefined) return `<img alt="" src="data:${type};base64,${text(data[type]).replace(/\s+/g, "")}">`;
  }
  if (data["text/markdown"] !== undefined) return `<div class="markdown">${markdown(text(data["text/markdown"]))}</div>`;
  const json = Object.keys(data).find((k) => k === "application/json" || k.endsWith("+json"));
  if (json) return `<pre>${escapeHtml(JSON.stringify(data[json], null, 2))}</pre>`;
  if (data["text/plain"] !== undefined) return `<pre>${escapeHtml(stripAnsi(text(data["text/plain"])))}</pre>`;
  return "";
}

function renderOutput(out: Output, state: RenderState): string {
  switch (out.output_type) {
    case "stream":
      return `<div class="output"><pre class="stream ${out.name}">${escapeHtml(stripAnsi(joinText(out.text)))}</pre></div>`;
    case "error": {
      const tb = out.traceback.length ? `<pre>${escapeHtml(stripAnsi(out.traceback.join("\n")))}</pre>` : "";
      return `<div class="output error"><span class="ename">${escapeHtml(out.ename)}</span>: ${escapeHtml(stripAnsi(out.evalue))}${tb}</div>`;
    }
    case "display_data":
    case "execute_result":
      return `<div class="output ${out.output_type}">${renderBundle(out.data, state)}</div>`;
  }
}

function renderCell(cell: Cell, state: RenderState): string {
  const src = joinText(cell.source);
  if (cell.cell_type === "markdown") return `<section class="cell markdown">${markdown(src)}</section>`;
  if (cell.cell_type === "raw") return src.trim() ? `<section class="cell raw"><pre>${escapeHtml(src)}</pre></section>` : "";
  const prompt = `<span class="prompt">[${cell.execution_count ?? " "}]</span>`;
  const outputs = cell.outputs.map((o) => renderOutput(o, state)).join("\n");
  return `<section class="cell code"><div class="source">${prompt}<pre><code class="language-typescript">${escapeHtml(src)}</code></pre></div>` +
    (outputs ? `\n<div class="outputs">${outputs}</div>` : "") + `</section>`;
}

/** The first markdown heading, for the <title>. */
function firstHeading(nb: Notebook): string | undefined {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const m = /^#{1,6}\s+(.+)$/m.exec(joinText(cell.source));
    if (m) return m[1]!.replace(/[*_`]/g, "").trim();
  }
  return undefined;
}

// Swaps each static SVG for a vega-embed view. `$schema` is dropped from the copy handed to vega-embed: it is only a
// version label (vega-embed never fetches it; it would only warn that a v5 spec runs on Vega-Lite 6).
const EMBED_SCRIPT = `
(function () {
  if (typeof vegaEmbed !== "function") return;
  document.querySelectorAll("figure.chart").forEach(function (fig) {
    var holder = fig.querySelector("script.chart-spec");
    if (!holder) return;
    var spec = JSON.parse(holder.textContent);
    delete spec.$schema;
    var target = document.createElement("div");
    target.className = "chart-live";
    fig.appendChild(target);
    vegaEmbed(target, spec, { mode: "vega-lite", renderer: "svg", actions: false })
      .then(function () { fig.classList.add("live"); })
      .catch(function (err) { target.remove(); console.warn("litlab: interactive chart failed, keeping the static one:", err); });
  });
})();
`;

export async function notebookHtml(nb: Notebook, options: NotebookHtmlOptions = {}): Promise<string> {
  const state: RenderState = { charts: 0 };
  const body = nb.cells.map((c) => renderCell(c, state)).filter(Boolean).join("\n");
  const title = options.title ?? firstHeading(nb) ?? "litlab report";
  const runtime = state.charts > 0 ? await vegaRuntime() : undefined;
  const scripts = runtime
    ? `<script id="litlab-vega-runtime">\n${runtime.code}\n</script>\n<script>${EMBED_SCRIPT}</script>\n`
    : "";
  const versions = runtime ? ` · vega ${runtime.versions["vega"]}, vega-lite ${runtime.versions["vega-lite"]}, vega-embed ${runtime.versions["vega-embed"]}` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="litlab">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header class="report">Generated by litlab on ${escapeHtml(new Date().toISOString())}${escapeHtml(versions)}</header>
${body}
</main>
${scripts}</body>
</html>
`;
}
