// toDanfo: an Arquero table as a danfo DataFrame (danfojs is an optional peer dependency, installed here as a dev one).
import { test } from "node:test";
import assert from "node:assert/strict";
import { table } from "arquero";
import { MISSING_DANFO, toDanfo } from "../lib/analyze/toDanfo.js";
import { LitlabError } from "../lib/errors.js";
import { rowsTable } from "../lib/analyze/rowsTable.js";

test("toDanfo keeps columns, values and nulls", async () => {
  const t = table({
    id: ["message_throughput/tokio_single/1000", "message_throughput/futures_lite/1000"],
    value: [34533.01, null],
    dirty: [true, null],
    runtime: ["Tokio current-thread", null],
  });
  const df = await toDanfo(t);
  assert.deepEqual(df.columns, ["id", "value", "dirty", "runtime"]);
  assert.deepEqual(df.shape, [2, 4]);
  assert.deepEqual(df.dtypes, ["string", "float32", "boolean", "string"]);
  assert.deepEqual(df.column("value").values, [34533.01, null]); // float32 is danfo's label: the values stay doubles
  assert.deepEqual(df.column("dirty").values, [true, null]);
  const empty = await toDanfo(rowsTable([]));
  assert.deepEqual(empty.shape, [0, 14]);
  assert.equal(empty.columns[0], "id");
});

test("toDanfo without danfojs says how to install it", async () => {
  await assert.rejects(toDanfo(table({ a: [1] }), { module: "danfojs-not-installed-here" }),
    (e: unknown) => e instanceof LitlabError && e.code === "missing-dependency" && e.message === "toDanfo needs danfojs-not-installed-here: npm install danfojs-not-installed-here");
  assert.equal(MISSING_DANFO, "toDanfo needs danfojs: npm install danfojs (with \"overrides\": {\"xlsx\": \"0.18.5\"})");
});
