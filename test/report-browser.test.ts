// Opens a generated report in headless Chromium with the network cut off: the chart must be drawn by vega-embed
// from the inlined runtime, with no console error and no request leaving the page; without JavaScript the static
// SVG must show instead.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { notebookHtml } from "../lib/report/html.js";
import type { Notebook } from "../lib/report/nbformat.js";
import { requireTool } from "./helpers/tools.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" class="static-bars" width="240" height="120" viewBox="0 0 240 120"><rect x="10" y="62" width="60" height="58" fill="#4c78a8"/><rect x="90" y="6" width="60" height="114" fill="#4c78a8"/></svg>';
const SPEC = {
  $schema: "https://vega.github.io/schema/vega-lite/v5.json", width: 240, height: 120,
  data: { values: [{ a: "A", b: 28 }, { a: "B", b: 55 }, { a: "C", b: 43 }] }, mark: "bar",
  encoding: { x: { field: "a", type: "nominal" }, y: { field: "b", type: "quantitative" }, tooltip: [{ field: "b" }] },
};

const NB: Notebook = {
  nbformat: 4, nbformat_minor: 5, metadata: {},
  cells: [
    { cell_type: "markdown", metadata: {}, source: "# Offline chart" },
    { cell_type: "code", metadata: {}, execution_count: 1, source: "lab.showChart(spec)", outputs: [
      { output_type: "display_data", metadata: {}, data: { "text/plain": "chart", "image/svg+xml": SVG, "application/vnd.vegalite.v5+json": SPEC } },
    ] },
  ],
};

async function openReport(browser: Browser, url: string, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  const outbound: string[] = [];
  const problems: string[] = [];
  await page.route("**/*", (route) => {
    if (route.request().url() === url) return route.continue();
    outbound.push(route.request().url());
    return route.abort();
  });
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console.error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url, { waitUntil: "load" });
  return { context, page, outbound, problems };
}

test("report in headless Chromium, offline: vega-embed draws the chart; without JS the SVG shows", async (t) => {
  if (!requireTool(t, "chromium", existsSync(CHROMIUM), `${CHROMIUM} not found`)) return;
  const dir = await mkdtemp(join(tmpdir(), "litlab-browser-"));
  const file = join(dir, "report.html");
  await writeFile(file, await notebookHtml(NB));
  const url = pathToFileURL(file).href;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    await t.test("with JavaScript: interactive chart, no errors, no requests", async () => {
      const { context, page, outbound, problems } = await openReport(browser, url, true);
      await page.waitForSelector("figure.chart.live .vega-embed svg", { timeout: 15_000 });
      const state = await page.evaluate(() => ({
        bars: document.querySelectorAll(".vega-embed svg .mark-rect path").length,
        staticShown: getComputedStyle(document.querySelector(".chart-static")!).display !== "none",
        actions: document.querySelectorAll(".vega-embed details, .vega-actions").length,
      }));
      assert.equal(state.bars, 3, "vega-embed drew one bar per data row");
      assert.equal(state.staticShown, false, "the static SVG is swapped out");
      assert.equal(state.actions, 0, "no export/editor menu (it could link out)");
      assert.deepEqual(problems, []);
      assert.deepEqual(outbound, []);
      await context.close();
    });
    await t.test("without JavaScript: the static SVG is visible", async () => {
      const { context, page, outbound, problems } = await openReport(browser, url, false);
      const box = await page.locator(".chart-static svg.static-bars").boundingBox();
      assert.ok(box && box.width === 240 && box.height === 120, `static SVG box ${JSON.stringify(box)}`);
      assert.equal(await page.locator(".vega-embed").count(), 0);
      assert.deepEqual(problems, []);
      assert.deepEqual(outbound, []);
      await context.close();
    });
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
});
