// `litlab ingest` as a user runs it: JSON lines out, one-line errors naming the file, exit codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const REAL = resolve(ROOT, "../shared/real-inputs/criterion");
const litlab = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/litlab.js"), ...args], { cwd: ROOT, encoding: "utf8" });

test("ingest --json prints one tidy row per line", () => {
  const r = litlab(["ingest", join(REAL, "szse-crit0.5.1-throughput"), "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  // 3 benchmarks × (new + base) × (typical + 5 stats + throughput) = 42
  assert.equal(rows.length, 42);
  const row = rows.find((x) => x["id"] === "TickTrade_batch/parse_10k" && x["stat"] === "typical" && x["metric"] === "time" && x["baseline"] === "new");
  assert.equal(row?.["value"], 122573.01232119107);
  assert.deepEqual(Object.keys(row!), ["id", "group", "function", "param", "source", "format", "metric", "stat", "value", "unit", "lower", "upper", "confidence", "baseline"]);
});

test("ingest: a bad path is one line naming it, exit 2, and the good paths still load", () => {
  const r = litlab(["ingest", "/nonexistent/criterion", join(REAL, "track-crit0.3.1")]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, "litlab: /nonexistent/criterion does not exist\n");
  assert.match(r.stdout, /track-crit0\.3\.1: criterion, 3 benchmarks, 38 rows, 600 samples/);
  const k = litlab(["ingest", "x", "--kind", "frobnicate"]);
  assert.equal(k.status, 2);
  assert.match(k.stderr, /--kind must be one of criterion/);
});

test("ingest picks the reader by content: Criterion stdout, bencher lines; --kind forces one", () => {
  const TEXT = resolve(ROOT, "../shared/real-inputs");
  const stdout = litlab(["ingest", join(TEXT, "criterion-text/limbo-quotes-colons-kelem.txt"), join(TEXT, "bencher/gab-libtest-cargo-output.txt")]);
  assert.equal(stdout.status, 0, stdout.stderr);
  assert.match(stdout.stdout, /limbo-quotes-colons-kelem\.txt: criterion-stdout, 11 benchmarks, 22 rows/);
  assert.match(stdout.stdout, /gab-libtest-cargo-output\.txt: bencher, 2 benchmarks, 4 rows/);
  const forced = litlab(["ingest", join(TEXT, "criterion-text/limbo-quotes-colons-kelem.txt"), "--kind", "bencher"]);
  assert.equal(forced.status, 2);
  assert.equal(forced.stderr.split(": ")[1], join(TEXT, "criterion-text/limbo-quotes-colons-kelem.txt"));
  assert.doesNotMatch(forced.stderr, /\n\s+at /);
});

test("ingest: a malformed line is a warning naming file and line; the good results still load", async () => {
  const { mkdtemp, writeFile } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const dir = await mkdtemp(join(tmpdir(), "litlab-warn-"));
  const file = join(dir, "ci.log");
  await writeFile(file, "a/b                     time:   [1.0 ns 2.0 ns]\nx/y                     time:   [1.0 ns 2.0 ns 3.0 ns]\n");
  const r = litlab(["ingest", file, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^litlab: warning: ${file.replace(/[.]/g, "\\.")}: line 1: a/b: `));
  const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string; value: number; lower: number; upper: number });
  assert.deepEqual(rows.map((x) => [x.id, x.lower, x.value, x.upper]), [["x/y", 1, 2, 3]]);
});

test("ingest a folder of saved logs; a file kind forced on a folder reads its files; a mixed folder warns about the logs", () => {
  const TEXT = resolve(ROOT, "../shared/real-inputs");
  const logs = litlab(["ingest", join(TEXT, "criterion-text")]);
  assert.equal(logs.status, 0, logs.stderr);
  // 1 + 10 + 11 + 75 results in the four files (each file's own count is checked in ingest-text-criterion)
  assert.match(logs.stdout, /criterion-text: criterion-stdout, 97 benchmarks, 258 rows/);
  const forced = litlab(["ingest", join(TEXT, "bencher"), "--kind", "bencher"]);
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(forced.stdout, /bencher: bencher, 13 benchmarks, 32 rows/);
  const wrong = litlab(["ingest", join(TEXT, "criterion-text"), "--kind", "bencher"]);
  assert.equal(wrong.status, 2);
  assert.equal(wrong.stderr, `litlab: ${join(TEXT, "criterion-text")}: no file below this folder is bencher output\n`);
  const mixed = litlab(["ingest", TEXT]);
  assert.equal(mixed.status, 0);
  assert.match(mixed.stderr, /warning: .*: \d+ log file\(s\) below were not read with the criterion tree/);
});
