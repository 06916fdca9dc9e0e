// End to end: a small real memory-per-actor sweep (cargo build of memory-subjects, valgrind DHAT, libjemalloc).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { sweepCommand } from "../lib/cli/sweepCommand.js";
import { loadSweep, memorySweep, methodAgreement, SWEEP_FILES } from "../lib/trigger/memorySweep.js";
import { readManifest } from "../lib/store/runFolder.js";
import { hasCommand, requireTool } from "./helpers/tools.js";

const JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
const hasCargo = hasCommand("cargo");
const hasValgrind = hasCommand("valgrind");
const newRoot = (): Promise<string> => mkdtemp(join(tmpdir(), "litlab-sweep-e2e-"));

test("a small tokio_single sweep: both methods give a positive slope, close to each other, and the sweep files are written", { timeout: 120_000 }, async (t) => {
  if (!requireTool(t, "cargo", hasCargo) || !requireTool(t, "valgrind", hasValgrind, "apt-get install valgrind")
    || !requireTool(t, "libjemalloc", existsSync(JEMALLOC), "apt-get install libjemalloc2")) return;
  const root = await newRoot();
  const lines: string[] = [];
  // N = 10 … 3000 spans 300×: memoryPerActor's default wants ≥ 4 points spanning ≥ 100×, so no option is needed
  const r = await memorySweep({ runtimes: ["tokio_single"], actors: [10, 100, 1000, 3000], runsRoot: root, onEvent: (l) => lines.push(l) });
  assert.equal(r.manifest.status, "ok", lines.join("\n"));
  assert.equal(r.points.length, 8);
  assert.equal(r.fits.length, 2);
  for (const f of r.fits) {
    assert.ok(f.bytesPerActor !== null && f.bytesPerActor > 0, `${f.method}: ${f.bytesPerActor}`);
    // a tokio task + mailbox is hundreds of bytes, not a few bytes nor a page (measured ~650 B dhat, ~740 B jemalloc)
    assert.ok(f.bytesPerActor! > 100 && f.bytesPerActor! < 4096, `${f.method}: ${f.bytesPerActor}`);
    assert.ok(f.r2! > 0.99, `${f.method}: R² ${f.r2}`);
  }
  const [a] = r.agreement;
  assert.equal(a?.runtime, "tokio_single");
  // generous: jemalloc rounds each block up to a size class, DHAT counts requested bytes (measured ratio 0.88)
  assert.ok(a!.ratio! > 0.5 && a!.ratio! < 2, `dhat/jemalloc = ${a!.ratio}`);

  for (const f of Object.values(SWEEP_FILES)) assert.ok(existsSync(join(r.dir, f)), `${f} missing in ${r.dir}`);
  const back = await loadSweep(r.dir);
  assert.deepEqual(back.points, r.points);
  assert.deepEqual(back.fits, JSON.parse(JSON.stringify(r.fits)));
  assert.equal(back.manifest.runs.length, 8);
  // every listed member run is a memory run folder of its own
  for (const m of back.manifest.runs) assert.equal((await readManifest(join(r.dir, m.dir))).kind, "memory");
  assert.equal((await readFile(join(r.dir, SWEEP_FILES.points), "utf8")).trim().split("\n").length, 8);
});

test("litlab run sweep: bad arguments are one-line usage errors", async () => {
  await assert.rejects(sweepCommand(["--actors", "10,x"], []), /--actors takes whole numbers/);
  await assert.rejects(sweepCommand(["--methods", "massif"], []), /--methods takes dhat, jemalloc/);
  await assert.rejects(sweepCommand(["extra"], []), /unexpected "extra"/);
});

test("methodAgreement: ratio dhat/jemalloc per runtime, within 10 % or not", () => {
  const fit = (runtime: string, method: string, b: number | null) => ({
    runtime, method, slope: b, bytesPerActor: b, lower: null, upper: null, intercept: null, r2: null, n: 5, spanRatio: 100, poorFit: false, reasons: [],
  });
  const a = methodAgreement([fit("x", "dhat", 95), fit("x", "jemalloc", 100), fit("y", "dhat", 80), fit("y", "jemalloc", 100), fit("z", "dhat", 10)]);
  assert.deepEqual(a.map((r) => [r.runtime, r.ratio, r.agree]), [["x", 0.95, true], ["y", 0.8, false], ["z", null, null]]);
});

test("run sweep: an unknown runtime is refused before anything is built", async () => {
  const { spawnSync } = await import("node:child_process");
  const { join, resolve } = await import("node:path");
  const root = resolve(import.meta.dirname, "..");
  const r = spawnSync(process.execPath, [join(root, "bin/litlab.js"), "run", "sweep", "--runtimes", "tokio_single,bogus"], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, "litlab: run sweep: unknown runtime bogus (runtimes: tokio_single, tokio_multi, futures_lite, std_thread)\n");
});
