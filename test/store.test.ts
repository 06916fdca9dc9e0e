import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../lib/store/atomic.js";
import { createRunFolder, listRuns, loadRun, readManifest, runId, readJsonLines } from "../lib/store/runFolder.js";
import { LitlabError, ParseError } from "../lib/errors.js";

test("runId sorts by time and names what ran", () => {
  assert.equal(runId("host", "Host Actors/bench", new Date("2026-12-04T06:35:12.345Z")), "20261204-063512-host-host-actors-bench");
});

test("createRunFolder never reuses a folder", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-store-"));
  const a = await createRunFolder(root, "r1");
  await writeFile(join(a.dir, "keep.txt"), "precious");
  const b = await createRunFolder(root, "r1");
  assert.equal(b.id, "r1-2");
  assert.equal(await readFile(join(a.dir, "keep.txt"), "utf8"), "precious");
  assert.deepEqual((await readdir(root)).sort(), ["r1", "r1-2"]);
});

test("writeFileAtomic replaces whole content and leaves no temp files", async () => {
  const dir = await mkdtemp(join(tmpdir(), "litlab-atomic-"));
  const p = join(dir, "sub", "f.json");
  await writeFileAtomic(p, "one");
  await writeFileAtomic(p, "two");
  assert.equal(await readFile(p, "utf8"), "two");
  assert.deepEqual(await readdir(join(dir, "sub")), ["f.json"]);
});

test("bad run folders give errors naming the file", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-bad-"));
  await assert.rejects(readManifest(join(root, "missing")), (e: unknown) => e instanceof LitlabError && /is not a litlab run folder/.test(e.message));
  await mkdir(join(root, "broken"));
  await writeFile(join(root, "broken", "manifest.json"), "{\"id\": ");
  await assert.rejects(readManifest(join(root, "broken")), (e: unknown) => e instanceof ParseError && e.message.startsWith(join(root, "broken", "manifest.json")));
  await mkdir(join(root, "future"));
  await writeFile(join(root, "future", "manifest.json"), JSON.stringify({ id: "x", schemaVersion: 99 }));
  await assert.rejects(readManifest(join(root, "future")), /schema 99 is newer/);
  await writeFile(join(root, "t.jsonl"), "{\"a\":1}\n{oops\n");
  await assert.rejects(readJsonLines(join(root, "t.jsonl")), (e: unknown) => e instanceof ParseError && /t\.jsonl:2: invalid JSON line/.test(e.message));
  // folders without a manifest are not runs, and a broken one does not hide the good ones
  assert.deepEqual((await listRuns(root)).map((d) => d.split("/").pop()), ["broken", "future"]);
});

test("loadRun tags rows with the run id", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-load-"));
  const { dir } = await createRunFolder(root, "r");
  await writeFile(join(dir, "manifest.json"), JSON.stringify({ id: "r", schemaVersion: 1, tables: { rows: "tables/rows.jsonl", samples: "tables/samples.jsonl" } }));
  await mkdir(join(dir, "tables"));
  await writeFile(join(dir, "tables", "rows.jsonl"), JSON.stringify({ id: "g/f/1", metric: "time", value: 5 }) + "\n");
  await writeFile(join(dir, "tables", "samples.jsonl"), "");
  const run = await loadRun(dir);
  assert.equal(run.rows.length, 1);
  assert.equal(run.rows[0]!.run, "r");
  assert.equal(run.rows[0]!.value, 5);
});
