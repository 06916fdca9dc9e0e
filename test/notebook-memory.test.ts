// notebooks/memory-per-actor.ipynb through the real tslab kernel on the bundled sweep: no cell fails, the chart is a bundle.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { renderReport } from "../lib/report/renderReport.js";

const ROOT = resolve(import.meta.dirname, "..");

test("memory-per-actor notebook renders from the bundled sweep", { timeout: 120_000 }, async () => {
  const out = await mkdtemp(join(tmpdir(), "litlab-memnb-"));
  const env: Record<string, string> = {};
  const r = await renderReport(join(ROOT, "notebooks/memory-per-actor.ipynb"), { outDir: out, env });
  assert.deepEqual(r.errorMessages, []);
  const nb = JSON.parse(await readFile(r.notebookOut, "utf8")) as { cells: { outputs?: { output_type: string; data?: Record<string, unknown> }[] }[] };
  const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
  const chart = outputs.find((o) => o.data?.["application/vnd.vegalite.v5+json"]);
  assert.ok(chart, "the bytes-per-actor chart is displayed");
  assert.match(String(chart.data!["image/svg+xml"]), /^<svg/);
  const html = await readFile(r.htmlOut, "utf8");
  // the fit table shows tokio_single's DHAT slope from data/bundled-memory/fits.json (653.1 B per actor)
  assert.match(html, /tokio_single/);
  assert.match(html, /653\.1/);
});
