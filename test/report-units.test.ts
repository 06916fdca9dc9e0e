// Pure parts of the report stage: Jupyter wire codec, iopub → outputs, nbformat parsing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { decode, encode, newMessage, sign } from "../lib/report/wire.js";
import { OutputCollector, errorFromStderr, type DisplayRegistry } from "../lib/report/outputs.js";
import { parseNotebook, readNotebook } from "../lib/report/nbformat.js";
import { LitlabError, ParseError } from "../lib/errors.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "notebooks");

test("wire: encode → decode round trip, HMAC over the four JSON parts", () => {
  const msg = newMessage("execute_request", { code: "1 + 1" }, "sess-1");
  const frames = encode("k3y", msg);
  assert.equal(frames[0], "<IDS|MSG>");
  assert.equal(frames[1], sign("k3y", frames.slice(2)));
  assert.equal(frames[1]!.length, 64);
  // A Router peer prepends routing ids; decode skips them.
  const back = decode("k3y", [Buffer.from("id-1"), ...frames.map((f) => Buffer.from(f))]);
  assert.deepEqual(back, msg);
  assert.equal(back.header.version, "5.3");
  assert.throws(() => decode("other", frames.map((f) => Buffer.from(f))), /bad HMAC/);
  assert.throws(() => decode("k3y", [Buffer.from("x")]), /malformed/);
});

test("outputs: consecutive streams merge per name, display_id updates replace across cells", () => {
  const displays: DisplayRegistry = new Map();
  const c1 = new OutputCollector(displays);
  c1.add("status", { execution_state: "busy" });
  c1.add("stream", { name: "stdout", text: "a" });
  c1.add("stream", { name: "stdout", text: "b\n" });
  c1.add("stream", { name: "stderr", text: "warn\n" });
  c1.add("stream", { name: "stdout", text: "c\n" });
  c1.add("display_data", { data: { "text/plain": "v1" }, metadata: {}, transient: { display_id: "d1" } });
  assert.deepEqual(c1.outputs, [
    { output_type: "stream", name: "stdout", text: "ab\n" },
    { output_type: "stream", name: "stderr", text: "warn\n" },
    { output_type: "stream", name: "stdout", text: "c\n" },
    { output_type: "display_data", data: { "text/plain": "v1" }, metadata: {} },
  ]);
  const c2 = new OutputCollector(displays);
  c2.add("update_display_data", { data: { "text/plain": "v2" }, metadata: { m: 1 }, transient: { display_id: "d1" } });
  assert.deepEqual(c2.outputs, []);
  assert.deepEqual(c1.outputs[3], { output_type: "display_data", data: { "text/plain": "v2" }, metadata: { m: 1 } });
});

test("outputs: execute_result, clear_output (immediate and wait), kernel-sent errors", () => {
  const c = new OutputCollector();
  c.add("stream", { name: "stdout", text: "old\n" });
  c.add("clear_output", { wait: false });
  assert.deepEqual(c.outputs, []);
  c.add("stream", { name: "stdout", text: "x\n" });
  c.add("clear_output", { wait: true });
  assert.equal(c.outputs.length, 1, "wait=true clears only when the next output comes");
  c.add("execute_result", { execution_count: 7, data: { "text/plain": "42" }, metadata: {} });
  assert.deepEqual(c.outputs, [{ output_type: "execute_result", execution_count: 7, data: { "text/plain": "42" }, metadata: {} }]);
  c.add("error", { ename: "ValueError", evalue: "bad", traceback: ["l1", "l2"] });
  c.synthesizeError({ status: "error" });
  assert.equal(c.outputs.filter((o) => o.output_type === "error").length, 1, "no second error when the kernel sent one");
});

test("errorFromStderr: Node's uncaught-error text, TS diagnostics, thrown non-errors", () => {
  const node = 'evalmachine.<anonymous>:2\nthrow new TypeError("boom");\n^\n\nTypeError: boom\n    at evalmachine.<anonymous>:2:7\n';
  assert.deepEqual(errorFromStderr(node), { output_type: "error", ename: "TypeError", evalue: "boom", traceback: [] });
  assert.deepEqual(errorFromStderr("Error [ERR_REQUIRE_ASYNC_MODULE]: require() cannot be used\n"),
    { output_type: "error", ename: "Error", evalue: "require() cannot be used", traceback: [] });
  assert.equal(errorFromStderr("1:7 - Type 'string' is not assignable to type 'number'.\n").evalue, "1:7 - Type 'string' is not assignable to type 'number'.");
  assert.equal(errorFromStderr("just a string\n").ename, "Error");
  assert.equal(errorFromStderr("").evalue, "the cell failed (no message)");
  const c = new OutputCollector();
  c.add("stream", { name: "stderr", text: "RangeError: too far\n    at x\n" });
  c.synthesizeError({ status: "error" });
  assert.deepEqual(c.outputs.at(-1), { output_type: "error", ename: "RangeError", evalue: "too far", traceback: [] });
});

test("nbformat: bad notebooks give a ParseError naming the file", async () => {
  await assert.rejects(readNotebook(join(FIXTURES, "broken.ipynb")), (e: unknown) =>
    e instanceof ParseError && e.message.startsWith(join(FIXTURES, "broken.ipynb") + ": not a notebook: invalid JSON"));
  await assert.rejects(readNotebook(join(FIXTURES, "not-v4.ipynb")), (e: unknown) =>
    e instanceof ParseError && /not-v4\.ipynb: unsupported notebook format: nbformat 3/.test(e.message));
  await assert.rejects(readNotebook(join(FIXTURES, "missing.ipynb")), (e: unknown) =>
    e instanceof LitlabError && e.code === "not-found" && e.message.includes("missing.ipynb: no such notebook"));
  assert.throws(() => parseNotebook("x.ipynb", '{"nbformat":4,"cells":[{"cell_type":"code","source":3}]}'), /x\.ipynb: cell 1: source must be/);
  assert.throws(() => parseNotebook("x.ipynb", '{"nbformat":4,"cells":[{"cell_type":"widget","source":""}]}'), /x\.ipynb: cell 1: unknown cell_type "widget"/);
  const nb = parseNotebook("x.ipynb", '{"nbformat":4,"cells":[{"cell_type":"code","source":["a\\n","b"]}]}');
  assert.deepEqual(nb.cells[0], { cell_type: "code", source: ["a\n", "b"], metadata: {}, outputs: [], execution_count: null });
  assert.equal(nb.nbformat_minor, 0);
});
