// A user's hands on the store: copied run folders, hand-edited manifests, wrong paths.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadRunsTable } from "../lib/analyze/runsTable.js";
import { reindexRun } from "../lib/store/reindex.js";
import { listRunSummaries } from "../lib/store/runSummary.js";
import { LitlabError, ParseError } from "../lib/errors.js";

const BUNDLED = resolve(import.meta.dirname, "../data/bundled/20261204-071057-host-host-actors");

test("a copied run folder is its own run (folder name), not merged with the original", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-copy-"));
  await cp(BUNDLED, join(root, "20261204-071057-host-host-actors"), { recursive: true });
  await cp(BUNDLED, join(root, "my-copy"), { recursive: true });
  const t = await loadRunsTable(root);
  assert.deepEqual(t.groupby("run").count().orderby("run").objects(), [{ run: "20261204-071057-host-host-actors", count: 168 }, { run: "my-copy", count: 168 }]);
  assert.deepEqual((await listRunSummaries(root)).map((s) => s.id), ["20261204-071057-host-host-actors", "my-copy"]);
});

test("loadRunsTable: a missing path or a folder without runs is an error, not an empty table", async () => {
  await assert.rejects(loadRunsTable("/nonexistent/runs"), (e: unknown) => e instanceof LitlabError && e.code === "not-found" && /does not exist/.test(e.message));
  const empty = await mkdtemp(join(tmpdir(), "litlab-noruns-"));
  await assert.rejects(loadRunsTable(empty), /no litlab runs in/);
});

test("reindex of an import run whose manifest lost an import's copy: one line naming manifest.json", async () => {
  const dir = await mkdtemp(join(tmpdir(), "litlab-imp-"));
  await cp(BUNDLED, dir, { recursive: true });
  const m = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as Record<string, unknown>;
  await writeFile(join(dir, "manifest.json"), JSON.stringify({ ...m, kind: "import", imports: [{ reader: "criterion" }] }));
  await assert.rejects(reindexRun(dir), (e: unknown) => e instanceof ParseError && e.message.startsWith(`${join(dir, "manifest.json")}: "imports" must be a list`));
  await writeFile(join(dir, "manifest.json"), JSON.stringify({ ...m, kind: "import", imports: "x" }));
  await assert.rejects(reindexRun(dir), ParseError);
});
