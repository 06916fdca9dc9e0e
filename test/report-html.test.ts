import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { notebookHtml } from "../lib/report/html.js";
import { renderReport } from "../lib/report/renderReport.js";
import { parseNotebook, type Notebook } from "../lib/report/nbformat.js";
import { PROJECT_ROOT } from "../lib/version.js";
import { requireTool } from "./helpers/tools.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "notebooks");
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" class="static-bars" width="100" height="50"><rect width="40" height="50"/></svg>';
const SPEC = {
  $schema: "https://vega.github.io/schema/vega-lite/v5.json",
  data: { values: [{ a: "A", b: 1 }, { a: "</script><b>", b: 2 }] },
  mark: "bar", encoding: { x: { field: "a", type: "nominal" }, y: { field: "b", type: "quantitative" } },
};
const PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

function notebook(withCharts: number): Notebook {
  const chart = { output_type: "display_data" as const, metadata: {}, data: { "text/plain": "chart", "image/svg+xml": SVG, "application/vnd.vegalite.v5+json": SPEC } };
  return {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      { cell_type: "markdown", metadata: {}, source: ["# Title *here*\n", "\n", "Some `code` and <b>html</b>."] },
      {
        cell_type: "code", metadata: {}, execution_count: 1, source: 'if (a < b && c > d) console.log("<tag>")',
        outputs: [
          { output_type: "stream", name: "stdout", text: "<tag> & \u001b[31mred\u001b[0m\n" },
          { output_type: "stream", name: "stderr", text: "careful\n" },
          { output_type: "display_data", metadata: {}, data: { "image/png": PNG_1PX, "text/plain": "img" } },
          { output_type: "display_data", metadata: {}, data: { "text/html": "<table><tr><td>cell</td></tr></table>", "text/plain": "t" } },
        ],
      },
      { cell_type: "code", metadata: {}, execution_count: 2, source: "throw new Error()", outputs: [{ output_type: "error", ename: "TypeError", evalue: "x <is> not", traceback: [] }] },
      ...Array.from({ length: withCharts }, (_, i) => ({ cell_type: "code" as const, metadata: {}, execution_count: 3 + i, source: "show()", outputs: [chart] })),
    ],
  };
}

/** Every http(s) URL outside the inlined runtime, minus the allowed ones: specs' $schema and XML namespace names. */
function foreignUrls(html: string): string[] {
  const withoutRuntime = html.replace(/<script id="litlab-vega-runtime">[\s\S]*?<\/script>/, "");
  const urls = withoutRuntime.match(/https?:\/\/[^\s"'<>\\&]+/g) ?? [];
  return urls.filter((u) => !u.startsWith("https://vega.github.io/schema/") && !/^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink|1999\/xhtml|2000\/xmlns\/)$/.test(u));
}

test("notebookHtml without charts: markdown, escaped code and text, images inline, errors styled, no runtime", async () => {
  const html = await notebookHtml(notebook(0));
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<title>Title here<\/title>/);
  assert.match(html, /<h1>Title <em>here<\/em><\/h1>/);
  assert.match(html, /<code class="language-typescript">if \(a &lt; b &amp;&amp; c &gt; d\) console\.log\(&quot;&lt;tag&gt;&quot;\)<\/code>/);
  assert.match(html, /<pre class="stream stdout">&lt;tag&gt; &amp; red\n<\/pre>/, "stream escaped, ANSI colours stripped");
  assert.match(html, /<pre class="stream stderr">careful\n<\/pre>/);
  assert.ok(html.includes(`<img alt="" src="data:image/png;base64,${PNG_1PX}">`));
  assert.ok(html.includes("<table><tr><td>cell</td></tr></table>"), "text/html inserted as is");
  assert.match(html, /<div class="output error"><span class="ename">TypeError<\/span>: x &lt;is&gt; not<\/div>/);
  assert.ok(!html.includes("litlab-vega-runtime") && !html.includes("vegaEmbed"), "no runtime without charts");
  assert.deepEqual(foreignUrls(html), []);
  assert.ok(html.length < 20_000, `small without charts (${html.length} bytes)`);
});

test("notebookHtml with charts: runtime inlined exactly once, SVG inline, spec as safe JSON, no network URL", async () => {
  const html = await notebookHtml(notebook(2), { title: "Two <charts>" });
  assert.match(html, /<title>Two &lt;charts&gt;<\/title>/);
  assert.equal(html.split('<script id="litlab-vega-runtime">').length - 1, 1);
  // Each library's UMD header defines its global once.
  assert.equal(html.split(".vega={}").length - 1, 1, "vega once");
  assert.equal(html.split(".vegaLite={}").length - 1, 1, "vega-lite once");
  assert.equal(html.split(".vegaEmbed=").length - 1, 1, "vega-embed once");
  assert.equal(html.split('<figure class="chart"').length - 1, 2);
  assert.equal(html.split(`<div class="chart-static">${SVG}</div>`).length - 1, 2, "the static SVG is inline in each chart");
  const specs = [...html.matchAll(/<script type="application\/json" class="chart-spec">(.*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as unknown);
  assert.deepEqual(specs, [SPEC, SPEC], "the spec survives, even with </script> inside a value");
  assert.ok(!html.includes("</script><b>"));
  assert.deepEqual(foreignUrls(html), []);
  assert.ok(!/(?:src|href)\s*=\s*["']?https?:/i.test(html), "no src/href to a network host anywhere, runtime included");
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test("renderReport: the 6-cell report fixture executed in the kernel, .ipynb + .html written atomically", async (t) => {
  const hasKernel = existsSync(join(PROJECT_ROOT, "node_modules", "tslab", "dist", "main.js"));
  if (!requireTool(t, "tslab kernel", hasKernel, "node_modules/tslab missing: run npm install")) return;
  const out = await mkdtemp(join(tmpdir(), "litlab-report-"));
  try {
    const progress: string[] = [];
    const r = await renderReport(join(FIXTURES, "report-chart.ipynb"), { outDir: join(out, "reports"), onProgress: (e) => progress.push(`${e.cell}/${e.of}:${e.status}`) });
    assert.equal(r.errors, 0);
    assert.equal(r.notebookOut, join(out, "reports", "report-chart.ipynb"));
    assert.equal(r.htmlOut, join(out, "reports", "report-chart.html"));
    assert.deepEqual((await readdir(join(out, "reports"))).sort(), ["report-chart.html", "report-chart.ipynb"], "no temp files left");
    assert.deepEqual(progress.filter((p) => !p.endsWith("start")), ["1/4:done", "2/4:done", "3/4:done", "4/4:done"]);

    const nb = parseNotebook(r.notebookOut, await readFile(r.notebookOut, "utf8"));
    const outputs = nb.cells.flatMap((c) => (c.cell_type === "code" ? [c.outputs] : []));
    assert.deepEqual(outputs[0], [{ output_type: "stream", name: "stdout", text: "[ 2, 4, 6 ]\n" }]);
    assert.deepEqual(outputs[1], [{ output_type: "stream", name: "stdout", text: "<ok> & done\n" }]);
    assert.equal(outputs[2]![0]!.output_type, "display_data");
    assert.deepEqual(Object.keys((outputs[3]![0] as { data: object }).data), ["text/html"]);

    const html = await readFile(r.htmlOut, "utf8");
    assert.ok(html.includes("<pre class=\"stream stdout\">&lt;ok&gt; &amp; done\n</pre>"));
    assert.ok(html.includes("console.log(a &lt; b &amp;&amp; b &gt; a ? &quot;&lt;ok&gt; &amp; done&quot; : &quot;no&quot;)"));
    assert.ok(html.includes("<td>tokio</td><td>1200</td>"));
    assert.ok(html.includes('class="fixture-fallback"'), "the kernel's SVG is inline");
    assert.equal(html.split('<script id="litlab-vega-runtime">').length - 1, 1);
    assert.deepEqual(foreignUrls(html), []);
    t.diagnostic(`report wall ${r.wallMs} ms for 6 cells (4 code); HTML ${html.length} bytes`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
