// Executes fixture notebooks through the REAL tslab kernel (node_modules/tslab) with litlab's own Jupyter client.
// Needs dist/ built (`npx tsc -p .`): cells import "litlab", which resolves to dist/lib/index.js.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { executeNotebook, CellExecutionError, type ExecuteProgress } from "../lib/report/executeNotebook.js";
import { KernelClient } from "../lib/report/kernelClient.js";
import { kernelSpecFor } from "../lib/kernel/kernelSpec.js";
import type { CodeCell, Notebook } from "../lib/report/nbformat.js";
import { LitlabError } from "../lib/errors.js";
import { PROJECT_ROOT } from "../lib/version.js";
import { requireTool } from "./helpers/tools.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "notebooks");
const hasKernel = existsSync(join(PROJECT_ROOT, "node_modules", "tslab", "dist", "main.js")) && existsSync(join(PROJECT_ROOT, "node_modules", "zeromq"));

function kernelReady(t: TestContext): boolean {
  if (!requireTool(t, "tslab kernel", hasKernel, "node_modules/tslab or zeromq missing: run npm install")) return false;
  assert.ok(existsSync(join(PROJECT_ROOT, "dist", "lib", "index.js")), "dist/lib/index.js is missing: run `npx tsc -p .` first");
  return true;
}

const code = (nb: Notebook): CodeCell[] => nb.cells.filter((c): c is CodeCell => c.cell_type === "code");

function notebookJson(sources: string[]): string {
  return JSON.stringify({
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: sources.map((source) => ({ cell_type: "code", metadata: {}, execution_count: null, outputs: [], source })),
  });
}

test("kernel-basics.ipynb runs in tslab: streams, errors, the cell after an error, multi-MIME display, litlab import", async (t) => {
  if (!kernelReady(t)) return;
  const events: ExecuteProgress[] = [];
  const nb = await executeNotebook(join(FIXTURES, "kernel-basics.ipynb"), { allowErrors: true, onProgress: (e) => events.push(e) });
  const [plus, hi, boom, after, display, tidy, empty] = code(nb);

  // The last expression's value is a stdout stream in tslab, not an execute_result.
  assert.deepEqual(plus!.outputs, [{ output_type: "stream", name: "stdout", text: "2\n" }]);
  assert.equal(plus!.execution_count, 1);
  assert.deepEqual(hi!.outputs, [{ output_type: "stream", name: "stdout", text: "hi\n" }]);
  assert.equal(hi!.execution_count, 2);

  // tslab sends no error output: the executor makes one from the stderr text, which stays as a stream.
  const err = boom!.outputs.find((o) => o.output_type === "error");
  assert.deepEqual(err, { output_type: "error", ename: "TypeError", evalue: "boom", traceback: [] });
  const stderr = boom!.outputs.find((o) => o.output_type === "stream" && o.name === "stderr");
  assert.match(String(stderr && "text" in stderr ? stderr.text : ""), /TypeError: boom\n\s+at /);
  assert.equal(boom!.execution_count, 3);

  // Sent right after the error, tslab would abort it (200 ms window): it must still run.
  assert.deepEqual(after!.outputs, [{ output_type: "stream", name: "stdout", text: "after the error\n" }]);
  assert.equal(after!.execution_count, 4);

  // One display_data holding every MIME type, the Vega-Lite spec as a JSON object (not a string).
  assert.equal(display!.outputs.length, 1);
  const out = display!.outputs[0]!;
  assert.equal(out.output_type, "display_data");
  if (out.output_type !== "display_data") return;
  assert.deepEqual(Object.keys(out.data).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
  assert.equal(out.data["text/plain"], "x");
  assert.match(String(out.data["image/svg+xml"]), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="fixture-fallback"/);
  const spec = out.data["application/vnd.vegalite.v5+json"] as { mark: string; data: { values: unknown[] } };
  assert.equal(typeof spec, "object");
  assert.equal(spec.mark, "bar");
  assert.equal(spec.data.values.length, 3);

  // `import { TIDY_COLUMNS } from "litlab"` type-checks and runs in the kernel.
  assert.deepEqual(tidy!.outputs, [{ output_type: "stream", name: "stdout", text: "14\n" }]);

  // Empty cells are not sent (like Jupyter).
  assert.equal(empty!.execution_count, null);
  assert.deepEqual(empty!.outputs, []);

  assert.equal(nb.metadata.kernelspec?.name, "litlab");
  assert.equal(nb.metadata.language_info?.["name"], "typescript");
  const timing = plus!.metadata["execution"] as Record<string, string>;
  assert.ok(Date.parse(timing["iopub.status.idle"]!) >= Date.parse(timing["iopub.status.busy"]!));
  assert.deepEqual(events.filter((e) => e.status !== "start").map((e) => `${e.cell}/${e.of}:${e.status}`),
    ["1/7:done", "2/7:done", "3/7:error", "4/7:done", "5/7:done", "6/7:done"]);
});

test("without allowErrors the first failing cell stops the run with an error naming notebook and cell", async (t) => {
  if (!kernelReady(t)) return;
  const file = join(FIXTURES, "kernel-basics.ipynb");
  const err = await executeNotebook(file).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof CellExecutionError, String(err));
  assert.equal(err.code, "cell-error");
  assert.match(err.message, /kernel-basics\.ipynb: cell 3 \(throw new TypeError\("boom"\)\) failed: TypeError: boom/);
  const cells = code(err.notebook);
  assert.equal(cells[3]!.execution_count, null, "cells after the failure are not run");
});

test("a notebook outside the project imports litlab (runtime via the launcher, types via its paths mapping)", async (t) => {
  if (!kernelReady(t)) return;
  const dir = await mkdtemp(join(tmpdir(), "litlab-outside-"));
  try {
    const file = join(dir, "outside.ipynb");
    await writeFile(file, notebookJson([
      'import { TIDY_COLUMNS } from "litlab";\nconst n: number = TIDY_COLUMNS.length;\nconsole.log(n)',
      'import { lab } from "litlab";\nconsole.log(typeof lab.currentRun)',
      // A type error proves types are really checked (an `any` import would accept it).
      'import { TIDY_COLUMNS as C } from "litlab";\nconst s: string = C.length;',
    ]));
    const nb = await executeNotebook(file, { allowErrors: true });
    const [a, b, c] = code(nb);
    assert.deepEqual(a!.outputs, [{ output_type: "stream", name: "stdout", text: "14\n" }]);
    assert.deepEqual(b!.outputs, [{ output_type: "stream", name: "stdout", text: "function\n" }]);
    const typeErr = c!.outputs.find((o) => o.output_type === "error");
    assert.ok(typeErr && typeErr.output_type === "error");
    assert.match(typeErr.evalue, /Type 'number' is not assignable to type 'string'/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a kernel that dies mid-notebook gives a LitlabError naming the notebook and the cell", async (t) => {
  if (!kernelReady(t)) return;
  const dir = await mkdtemp(join(tmpdir(), "litlab-die-"));
  try {
    const file = join(dir, "dies.ipynb");
    await writeFile(file, notebookJson(['console.log("ok")', "process.exit(3)", 'console.log("never")']));
    const err = await executeNotebook(file).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof LitlabError, String(err));
    assert.equal(err.code, "kernel-died");
    assert.match(err.message, /dies\.ipynb: cell 2 \(process\.exit\(3\)\): the kernel exited \(exit code 3\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a cell over its timeout stops the run (kernel killed) with a LitlabError naming the cell", async (t) => {
  if (!kernelReady(t)) return;
  const dir = await mkdtemp(join(tmpdir(), "litlab-timeout-"));
  try {
    const file = join(dir, "slow.ipynb");
    await writeFile(file, notebookJson(["while (true) {}"]));
    const t0 = Date.now();
    const err = await executeNotebook(file, { cellTimeoutMs: 1500 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof LitlabError, String(err));
    assert.equal(err.code, "timeout");
    assert.match(err.message, /slow\.ipynb: cell 1 \(while \(true\) \{\}\) timed out after 2 s/);
    assert.ok(Date.now() - t0 < 15_000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("measure: kernel start and per-cell overhead", async (t) => {
  if (!kernelReady(t)) return;
  const kernel = await KernelClient.start({ spec: kernelSpecFor(PROJECT_ROOT), cwd: FIXTURES });
  try {
    await kernel.execute("0"); // the first cell pays for TypeScript's first full check
    const n = 10;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await kernel.execute(`${i} + 1`);
      assert.deepEqual(r.outputs, [{ output_type: "stream", name: "stdout", text: `${i + 1}\n` }]);
    }
    const perCell = (performance.now() - t0) / n;
    t.diagnostic(`kernel start ${kernel.startMs} ms; per trivial cell ${perCell.toFixed(1)} ms`);
    assert.ok(kernel.startMs > 0);
  } finally {
    await kernel.close();
  }
});

test("executeNotebook returns the executed notebook and leaves the file as it was", async (t) => {
  if (!kernelReady(t)) return;
  const dir = await mkdtemp(join(tmpdir(), "litlab-nowrite-"));
  try {
    const file = join(dir, "k.ipynb");
    await copyFile(join(FIXTURES, "report-chart.ipynb"), file);
    const before = await readFile(file, "utf8");
    await executeNotebook(file);
    assert.equal(await readFile(file, "utf8"), before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
