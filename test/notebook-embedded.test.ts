// notebooks/embedded.ipynb through the real tslab kernel on the bundled device run: no cell fails, every chart is a
// Vega-Lite + SVG bundle, and the numbers shown are the ones in the run's tables.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { renderReport } from "../lib/report/renderReport.js";

const ROOT = resolve(import.meta.dirname, "..");

test("embedded notebook renders footprint, device vs host and latency from the bundled device run", { timeout: 180_000 }, async () => {
  const out = await mkdtemp(join(tmpdir(), "litlab-embnb-"));
  const bundled = join(ROOT, "data/bundled-device");
  const m3 = (await readdir(bundled)).find((d) => d.endsWith("thumbv7m-mps2-an385"))!;
  // LITLAB_DEVICE_RUN pins the device run (a developer may have newer ones in data/runs)
  const r = await renderReport(join(ROOT, "notebooks/embedded.ipynb"), { outDir: out, env: { LITLAB_DEVICE_RUN: join(bundled, m3) } });
  assert.deepEqual(r.errorMessages, []);
  const nb = JSON.parse(await readFile(r.notebookOut, "utf8")) as { cells: { outputs?: { output_type: string; data?: Record<string, unknown> }[] }[] };
  const charts = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.["application/vnd.vegalite.v5+json"]);
  assert.equal(charts.length, 3, "footprint, device vs host, latency");
  for (const c of charts) assert.match(String(c.data!["image/svg+xml"]), /^<svg/);
  const rows = (await readFile(join(bundled, m3, "tables/rows.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { id: string; metric: string; stat: string; value: number });
  const stat = (metric: string, s: string): number => rows.find((x) => x.metric === metric && x.stat === s)!.value;
  const html = await readFile(r.htmlOut, "utf8");
  assert.match(html, /QEMU icount ticks, emulated: not silicon timing/);
  // the latency table shows the run's p99 and the stack table its painted high-water mark
  assert.match(html, new RegExp(`<td[^>]*>${stat("latency", "p99")}</td>`));
  assert.match(html, new RegExp(`${stat("stack", "used").toLocaleString("en-US")}|${stat("stack", "used")}`));
  assert.match(html, /cortex-m3 release/);
});
