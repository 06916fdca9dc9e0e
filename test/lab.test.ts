// The notebook helpers: which run a notebook gets, and charts that refuse to be empty.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { lab } from "../lib/lab.js";
import { LitlabError } from "../lib/errors.js";

const ROOT = resolve(import.meta.dirname, "..");
const BUNDLED = join(ROOT, "data/bundled/20261204-071057-host-host-actors");

test("currentRun passes over a newer failed or empty run", async () => {
  const work = await mkdtemp(join(tmpdir(), "litlab-lab-"));
  await cp(BUNDLED, join(work, "data/runs/20261204-071057-host-host-actors"), { recursive: true });
  // a newer run that failed with no tables, as a bad --filter or a compile error leaves behind
  const failed = join(work, "data/runs/20261205-000000-host-failed");
  await cp(BUNDLED, failed, { recursive: true });
  const m = JSON.parse(await readFile(join(failed, "manifest.json"), "utf8")) as Record<string, unknown>;
  await writeFile(join(failed, "manifest.json"), JSON.stringify({ ...m, id: "20261205-000000-host-failed", status: "failed", tables: null }));
  const cwd = process.cwd();
  const env = process.env["LITLAB_RUN"];
  delete process.env["LITLAB_RUN"];
  try {
    process.chdir(work);
    const run = await lab.currentRun();
    assert.equal(run.manifest.id, "20261204-071057-host-host-actors");
    assert.equal(run.origin, "stored");
    assert.equal(run.rows.length, 168);
  } finally {
    process.chdir(cwd);
    if (env !== undefined) process.env["LITLAB_RUN"] = env;
  }
});

test("runtimeChart with no matching rows says which groups exist instead of drawing nothing", async () => {
  const run = await lab.loadRun(BUNDLED);
  assert.throws(() => lab.runtimeChart(run.rows, { group: "no_such_group" }),
    (e: unknown) => e instanceof LitlabError && e.code === "no-data" && e.message === `no time rows for group "no_such_group" in these 168 rows (groups: message_throughput, pingpong)`);
  const spec = lab.runtimeChart(run.rows, { group: "pingpong" });
  assert.equal((spec["data"] as { values: unknown[] }).values.length, 4);
});
