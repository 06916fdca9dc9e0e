// The main job (`npm start`) on a machine without cargo: one line saying so, then the report from the bundled run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");

/** PATH without any folder that holds a cargo binary. */
function pathWithoutCargo(): string {
  return (process.env["PATH"] ?? "").split(delimiter).filter((d) => d && !existsSync(join(d, "cargo"))).join(delimiter);
}

test("main job without cargo falls back to the bundled run and still writes the report", { timeout: 5 * 60_000 }, async () => {
  const out = await mkdtemp(join(tmpdir(), "litlab-main-"));
  const r = spawnSync(process.execPath, [join(ROOT, "bin/litlab.js"), "main", "--out", out], {
    cwd: ROOT, encoding: "utf8", timeout: 5 * 60_000, env: { ...process.env, PATH: pathWithoutCargo() },
  });
  assert.equal(r.status, 0, r.stderr);
  const fallbackLines = r.stderr.split("\n").filter((l) => l.includes("cannot run the reference workload here"));
  assert.equal(fallbackLines.length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /reading cargo metadata/, "nothing is tried before the one fallback line");
  assert.match(fallbackLines[0]!, /cargo is not installed or not on PATH.*using the bundled run .*data\/bundled\//);
  const html = await readFile(join(out, "overview.html"), "utf8");
  assert.match(html, /bundled recorded run/);
  const nb = JSON.parse(await readFile(join(out, "overview.ipynb"), "utf8")) as { cells: { cell_type: string; execution_count: number | null; outputs?: { output_type: string; data?: Record<string, unknown> }[] }[] };
  const code = nb.cells.filter((c) => c.cell_type === "code");
  assert.deepEqual(code.map((c) => c.execution_count), code.map((_, i) => i + 1));
  assert.ok(code.every((c) => !c.outputs?.some((o) => o.output_type === "error")), "no cell failed");
  const charts = code.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.["application/vnd.vegalite.v5+json"]);
  assert.equal(charts.length, 3);
  for (const c of charts) {
    assert.equal(typeof c.data!["application/vnd.vegalite.v5+json"], "object");
    assert.match(String(c.data!["image/svg+xml"]), /^<svg/);
  }
});
