// Run store safety: validated run ids, no collisions between concurrent runs, killed runs listed as incomplete,
// broken manifests listed rather than aborting the listing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { LitlabError } from "../lib/errors.js";
import { assertValidRunId, runIdProblem } from "../lib/store/runIdCheck.js";
import { createRunFolder } from "../lib/store/runFolder.js";
import { effectiveStatus, processAlive } from "../lib/store/runStatus.js";
import { formatRunSummary, listRunSummaries } from "../lib/store/runSummary.js";
import { writeHostRunFolder } from "../bench/hostRunFixture.js";

const tmp = (p: string) => mkdtemp(join(tmpdir(), `litlab-${p}-`));
const deadPid = (): number => spawnSync(process.execPath, ["-e", ""]).pid!; // exited before we look

test("assertValidRunId refuses ids that could escape or hide in the runs root", () => {
  for (const [id, why] of [
    ["../x", /path separator/], ["a/b", /path separator/], ["a\\b", /path separator/], ["..", /"\.\."/], ["a..b", /"\.\."/],
    ["a\0b", /NUL/], [".hidden", /starts with a dot/], ["", /is empty/], ["x".repeat(129), /129 characters long \(at most 128\)/],
    ["tab\there", /control character/],
  ] as const) {
    assert.throws(() => assertValidRunId(id), (e: unknown) => e instanceof LitlabError && e.code === "usage" && why.test(e.message) && e.message.startsWith(`invalid run id ${JSON.stringify(id)}`), id);
  }
  for (const ok of ["20261204-063512-host-host-actors", "imp1", "a.b_c-d", "x".repeat(128)]) assert.equal(runIdProblem(ok), null, ok);
});

test("createRunFolder validates the id before touching the disk", async () => {
  const root = await tmp("ids");
  await assert.rejects(createRunFolder(root, "../escape"), /invalid run id "\.\.\/escape"/);
  assert.deepEqual(await readdir(root), []);
});

test("ten runs started at once with the same id get ten folders", async () => {
  const root = await tmp("race");
  const made = await Promise.all(Array.from({ length: 10 }, () => createRunFolder(root, "same")));
  const ids = made.map((m) => m.id).sort();
  assert.equal(new Set(ids).size, 10);
  assert.deepEqual(ids, ["same", "same-10", "same-2", "same-3", "same-4", "same-5", "same-6", "same-7", "same-8", "same-9"]);
  assert.deepEqual((await readdir(root)).sort(), ids);
});

test("a running manifest whose process is gone is incomplete", async () => {
  const pid = deadPid();
  assert.equal(processAlive(pid), false);
  assert.equal(processAlive(process.pid), true);
  const here = os.hostname();
  assert.equal(effectiveStatus({ status: "running", owner: { pid, hostname: here } }), "incomplete");
  assert.equal(effectiveStatus({ status: "running", owner: { pid: process.pid, hostname: here } }), "running");
  // another machine's process cannot be checked from here, and old manifests name no owner
  assert.equal(effectiveStatus({ status: "running", owner: { pid, hostname: `${here}-elsewhere` } }), "running");
  assert.equal(effectiveStatus({ status: "running" }), "running");
  assert.equal(effectiveStatus({ status: "ok", owner: { pid, hostname: here } }), "ok");
});

test("listRunSummaries: killed run incomplete, corrupt manifest broken, the others still listed", async () => {
  const root = await tmp("list");
  const bench = [{ group: "message_throughput", function: "tokio_single", param: "1000", slopeNs: 34533 }];
  await writeHostRunFolder(root, "a-ok", { targets: { message_throughput: bench }, commit: "7735a2f514aaaaaaaaaa", dirty: true, hostname: "vm", cpuModel: "AMD EPYC" });
  await writeHostRunFolder(root, "b-killed", { targets: { message_throughput: bench }, status: "running", owner: { pid: deadPid(), hostname: os.hostname() } });
  await mkdir(join(root, "c-broken"));
  await writeFile(join(root, "c-broken", "manifest.json"), "{\"id\": \"c-br");
  await mkdir(join(root, "d-not-a-run")); // no manifest: not listed at all
  const list = await listRunSummaries(root);
  assert.deepEqual(list.map((s) => s.id), ["a-ok", "b-killed", "c-broken"]);
  assert.deepEqual(list.map((s) => ("broken" in s ? "broken" : s.status)), ["ok", "incomplete", "broken"]);
  assert.equal(formatRunSummary(list[0]!), "a-ok  host  2026-12-01T10:00:00.000Z  7735a2f514+dirty  vm (AMD EPYC)  ok");
  const broken = list[2]!;
  assert.ok("broken" in broken);
  assert.match(formatRunSummary(broken), new RegExp(`^c-broken  broken: ${join(root, "c-broken", "manifest.json")}: invalid JSON`));
});
