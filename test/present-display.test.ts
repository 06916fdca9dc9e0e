import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { displayBundle, isInKernel } from "../lib/present/display.js";

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL("..", import.meta.url));

// Order matters: the first test runs before tslab's jupyter module is loaded into this process.
test("outside a kernel: isInKernel() is false and displayBundle prints text/plain instead of throwing", (t) => {
  assert.equal(isInKernel(), false);
  const printed: unknown[] = [];
  t.mock.method(console, "log", (...args: unknown[]) => { printed.push(args.join(" ")); });
  displayBundle({ "text/html": "<b>x</b>", "text/plain": "<Chart: x — 3 points>" });
  displayBundle({ "text/html": "<b>only html</b>" });
  assert.deepEqual(printed, ["<Chart: x — 3 points>", "<display: text/html>"]);
});

test("inside tslab: one display_data with every MIME type, through the channel tslab's own display uses", () => {
  // The real module from node_modules/tslab 1.0.22; in a kernel, handleExecuteImpl sets this per execution.
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
  assert.equal(isInKernel(), false, "loaded but no cell executed yet: no channel");
  const sent: [unknown, unknown][] = [];
  jupyter.lastWriteDisplayData = (content: unknown, update: unknown) => { sent.push([content, update]); };
  try {
    assert.equal(isInKernel(), true);
    const bundle = { "application/vnd.vegalite.v5+json": { mark: "point" }, "image/svg+xml": "<svg/>", "text/plain": "<Chart>" };
    displayBundle(bundle);
    assert.deepEqual(sent, [[{ data: bundle, metadata: {}, transient: {} }, false]]);
    // tslab's public display.html goes through the very same function: same channel, one MIME type.
    (require("tslab") as { display: { html(s: string): void } }).display.html("<i>x</i>");
    assert.equal(sent.length, 2);
    assert.deepEqual((sent[1]![0] as { data: unknown }).data, { "text/html": "<i>x</i>" });
  } finally {
    jupyter.lastWriteDisplayData = null;
  }
});

test("compiled renderSvg works when required from CommonJS, as tslab cells do", (t) => {
  const dist = `${ROOT}dist/lib/present/svg.js`;
  if (!existsSync(dist)) {
    t.skip("dist/ is not built (run `npx tsc -p .` first)");
    return;
  }
  const script = `require(${JSON.stringify(dist)}).renderSvg({ mark: "point", data: { values: [{ a: 1 }, { a: 2 }] }, encoding: { x: { field: "a", type: "quantitative" } } })
    .then((s) => process.stdout.write(String((s.match(/<path/g) || []).length)), (e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Number(r.stdout) >= 2, `expected point paths, got ${r.stdout}`);
});
