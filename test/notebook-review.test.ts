// notebooks/regression-review.ipynb through the real tslab kernel on two recorded reference-workload runs: the review
// table, the forest chart (Vega-Lite + SVG fallback) and the headline agree with compareRunRows on the same runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { renderReport } from "../lib/report/renderReport.js";
import { loadRun } from "../lib/store/runFolder.js";
import { compareRunRows, verdictCounts } from "../lib/analyze/compareRuns.js";

const ROOT = resolve(import.meta.dirname, "..");

test("regression-review notebook renders a real compare with its chart's SVG fallback", { timeout: 180_000 }, async () => {
  const full = join(ROOT, "data/calibration/full");
  const [a, b] = (await readdir(full)).filter((d) => !d.startsWith(".")).sort();
  const base = join(full, a!), cand = join(full, b!);
  const out = await mkdtemp(join(tmpdir(), "litlab-review-"));
  const r = await renderReport(join(ROOT, "notebooks/regression-review.ipynb"), { outDir: out, env: { LITLAB_BASE_RUN: base, LITLAB_CAND_RUN: cand } });
  assert.deepEqual(r.errorMessages, []);
  const nb = JSON.parse(await readFile(r.notebookOut, "utf8")) as { cells: { outputs?: { output_type: string; data?: Record<string, unknown>; text?: string }[] }[] };
  const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
  const charts = outputs.filter((o) => o.data?.["application/vnd.vegalite.v5+json"]);
  assert.equal(charts.length, 2, "forest chart and history chart");
  for (const c of charts) assert.match(String(c.data!["image/svg+xml"]), /^<svg/);
  // the headline printed by the notebook is the one compareRunRows gives for the same two runs (seeded: reproducible)
  const counts = verdictCounts(compareRunRows(await loadRun(base), await loadRun(cand)));
  const text = outputs.map((o) => o.text ?? "").join("");
  assert.match(text, new RegExp(`${counts.regressed} regressed, ${counts.improved} improved, ${counts["no change"]} no change, ${counts.inconclusive} inconclusive of 12`));
  const html = await readFile(r.htmlOut, "utf8");
  assert.match(html, /<svg[^>]*class="marks"/);
  assert.match(html, /Run-to-run noise from 4 repeated runs/);
});
