// `litlab runs`, `litlab ingest --into`, `litlab reindex` as a user runs them: lines out, exit codes, one-line errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeHostRunFolder } from "../bench/hostRunFixture.js";

const ROOT = resolve(import.meta.dirname, "..");
const REAL = resolve(ROOT, "../shared/real-inputs/criterion");
const litlab = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/litlab.js"), ...args], { cwd: ROOT, encoding: "utf8" });

test("litlab runs lists every run: ok, killed (incomplete), broken; --json too", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-cli-runs-"));
  const bench = [{ group: "message_throughput", function: "tokio_single", param: "1000", slopeNs: 34533 }];
  await writeHostRunFolder(root, "a", { targets: { message_throughput: bench }, commit: "7735a2f514bbbbbbbbbb", dirty: true, hostname: "vm", cpuModel: "AMD EPYC" });
  const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
  await writeHostRunFolder(root, "b", { targets: { message_throughput: bench }, status: "running", owner: { pid: dead, hostname: os.hostname() } });
  await mkdir(join(root, "c"));
  await writeFile(join(root, "c", "manifest.json"), "[]");
  const r = litlab(["runs", "--runs", root]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, [
    "a  host  2026-12-01T10:00:00.000Z  7735a2f514+dirty  vm (AMD EPYC)  ok",
    "b  host  2026-12-01T10:00:00.000Z  0123456789  bench-box (AMD EPYC 7B13)  incomplete",
    `c  broken: ${join(root, "c", "manifest.json")}: not a litlab manifest (needs id and schemaVersion)`,
    "",
  ].join("\n"));
  const j = litlab(["runs", "--runs", root, "--json"]);
  const lines = j.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines[0], { dir: join(root, "a"), id: "a", kind: "host", startedAt: "2026-12-01T10:00:00.000Z", commit: "7735a2f514bbbbbbbbbb", dirty: true, hostname: "vm", cpu: "AMD EPYC", status: "ok" });
  assert.equal(lines[1]!["status"], "incomplete");
  assert.equal(lines[2]!["id"], "c");
});

test("litlab ingest --into makes an import run; reindex and runs --rebuild rebuild it byte for byte", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-cli-into-"));
  const src = join(REAL, "szse-crit0.5.1-throughput");
  const r = litlab(["ingest", src, "/nonexistent/criterion", "--into", "from-ci", "--runs", root, "--label", "CI 2024"]);
  assert.equal(r.status, 2); // one path was bad
  assert.equal(r.stderr, "litlab: /nonexistent/criterion does not exist\n");
  // 3 benchmarks × (new + base) × (typical + 5 stats + throughput) = 42 rows
  assert.equal(r.stdout, `${join(root, "from-ci")}: imported 1 source(s), 3 benchmarks, 42 rows\n`);
  const runs = litlab(["runs", "--runs", root]);
  assert.match(runs.stdout, /^from-ci  import  \S+  no-commit  unknown host  partial\n$/);

  const dir = join(root, "from-ci");
  const first = await readFile(join(dir, "tables/rows.jsonl"));
  const re = litlab(["reindex", dir]);
  assert.equal(re.status, 0, re.stderr);
  assert.equal(re.stdout, `${dir}: rebuilt 42 rows from the raw files\n`);
  assert.ok((await readFile(join(dir, "tables/rows.jsonl"))).equals(first));
  const alias = litlab(["runs", "--rebuild", dir]);
  assert.equal(alias.status, 0, alias.stderr);
  assert.ok((await readFile(join(dir, "tables/rows.jsonl"))).equals(first));
});

test("bad run ids and reindex without raw files: exit 2 and one line", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-cli-bad-"));
  const bad = litlab(["ingest", join(REAL, "szse-crit0.5.1-throughput"), "--into", "../x", "--runs", root]);
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, "litlab: invalid run id \"../x\": it contains a path separator (/ or \\)\n");
  const empty = join(root, "empty");
  await mkdir(empty);
  await writeFile(join(empty, "manifest.json"), JSON.stringify({ schemaVersion: 1, id: "empty", kind: "host", status: "ok" }));
  const re = litlab(["reindex", empty]);
  assert.equal(re.status, 2);
  assert.equal(re.stderr, `litlab: ${empty}: no raw files to rebuild tables from (raw/criterion is missing or holds no Criterion files)\n`);
  const usage = litlab(["ingest", "x", "--label", "L"]);
  assert.equal(usage.status, 2);
  assert.equal(usage.stderr, "litlab: ingest: --runs and --label only go with --into RUN_ID\n");
});
