// A saved device capture imported into the store keeps its per-event latency samples, and reindex rebuilds them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { importRun } from "../lib/store/importRun.js";
import { loadRun } from "../lib/store/runFolder.js";
import { reindexRun } from "../lib/store/reindex.js";

const CLEAN = resolve(import.meta.dirname, "fixtures/device/clean.log");

test("ingest --into: a device log becomes an import run with rows and device samples", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-import-device-"));
  try {
    const r = await importRun([CLEAN], { id: "devlog", runsRoot: root });
    const run = await loadRun(r.dir);
    const log = await readFile(CLEAN, "utf8");
    // every `@LB sample` line of the fixture is one device sample, in order
    const expected = [...log.matchAll(/@LB sample id=(\S+) seq=(\d+) ticks=(\d+)/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    assert.ok(expected.length > 0);
    assert.deepEqual(run.deviceSamples.map((s) => [s.id, s.seq, s.ticks]), expected);
    assert.equal(run.manifest.tables?.deviceSamples, "tables/device-samples.jsonl");
    assert.ok(run.rows.some((x) => x.format === "device-records"));
    const before = await readFile(join(r.dir, "tables/device-samples.jsonl"), "utf8");
    await reindexRun(r.dir);
    assert.equal(await readFile(join(r.dir, "tables/device-samples.jsonl"), "utf8"), before);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
