// End to end: a small real mailbox sweep (valgrind DHAT on fill-mailbox) and a 1-second churn under massif.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadMailboxSweep, mailboxSweep } from "../lib/trigger/mailboxSweep.js";
import { CHURN_SUMMARY, churnRun, churnSummary, downsampleTimeline, loadChurnSummary } from "../lib/trigger/churnRun.js";
import { SWEEP_FILES } from "../lib/trigger/memorySweep.js";
import type { MemoryTimelineRow } from "../lib/ingest/memoryRows.js";
import { hasCommand, requireTool } from "./helpers/tools.js";

const hasCargo = hasCommand("cargo");
const hasValgrind = hasCommand("valgrind");
const newRoot = (): Promise<string> => mkdtemp(join(tmpdir(), "litlab-mailbox-churn-e2e-"));

test("a tiny tokio_single mailbox sweep under DHAT: a positive per-message slope and the sweep files", { timeout: 60_000 }, async (t) => {
  if (!requireTool(t, "cargo", hasCargo) || !requireTool(t, "valgrind", hasValgrind, "apt-get install valgrind")) return;
  const root = await newRoot();
  const lines: string[] = [];
  // M = 100 … 10 000 spans 100×: perMessageOverhead's defaults (≥ 4 points, ≥ 100×) hold without options
  const r = await mailboxSweep({ runtimes: ["tokio_single"], messages: [100, 1000, 3000, 10000], methods: ["dhat"], runsRoot: root, onEvent: (l) => lines.push(l) });
  assert.equal(r.manifest.status, "ok", lines.join("\n"));
  assert.equal(r.manifest.kind, "mailbox");
  assert.equal(r.points.length, 4);
  const [f] = r.fits;
  assert.equal(f?.runtime, "tokio_single");
  assert.equal(f?.method, "dhat");
  // measured 32.97 B per queued message (a Tokio mpsc slot for the 32-byte Msg, blocks of 32 slots); R² 1.0000
  assert.ok(f!.bytesPerMessage! > 16 && f!.bytesPerMessage! < 128, `bytes/message ${f!.bytesPerMessage}`);
  assert.ok(f!.lower! > 0, `CI lower ${f!.lower}`);
  assert.equal(f!.poorFit, false, f!.reasons.join("; "));
  for (const file of Object.values(SWEEP_FILES)) assert.ok(existsSync(join(r.dir, file)), `${file} missing`);
  const back = await loadMailboxSweep(r.dir);
  assert.deepEqual(back.points, r.points);
  assert.equal((await readFile(join(r.dir, SWEEP_FILES.points), "utf8")).trim().split("\n").length, 4);
});

test("a 1-second churn under massif: a heap timeline of > 3 snapshots, a growth verdict and the summary file", { timeout: 60_000 }, async (t) => {
  if (!requireTool(t, "cargo", hasCargo) || !requireTool(t, "valgrind", hasValgrind, "apt-get install valgrind")) return;
  const root = await newRoot();
  const r = await churnRun({ runtime: "tokio_single", seconds: 1, tool: "massif", runsRoot: root });
  assert.equal(r.manifest.status, "ok");
  const heap = r.timeline.filter((p) => p.tool === "massif" && p.heap_bytes !== null);
  assert.ok(heap.length > 3, `${heap.length} snapshots`);
  const s = r.summary;
  assert.ok(s.verdict !== null, s.notes.join("; "));
  assert.ok(["plateau", "growing", "inconclusive"].includes(s.verdict!.verdict));
  assert.ok(s.verdict!.lower <= s.verdict!.slopeBytesPerSecond && s.verdict!.slopeBytesPerSecond <= s.verdict!.upper);
  assert.equal(s.verdictOf, "heap_bytes");
  // allocator overhead (extra-heap / heap) is a few percent: measured 1.2-3.4 % on tokio_single
  assert.ok(s.overhead !== null && s.overhead.mean > 0 && s.overhead.mean < 0.5, JSON.stringify(s.overhead));
  assert.ok(s.peakBytes! > 0);
  assert.deepEqual(await loadChurnSummary(r.dir), JSON.parse(JSON.stringify(s)));
  assert.ok(existsSync(join(r.dir, CHURN_SUMMARY)));
});

const row = (index: number, t: number, heap: number): MemoryTimelineRow => ({
  id: "x", source: "raw/massif.out", tool: "massif", index, t, t_unit: "ms", heap_bytes: heap, extra_heap_bytes: heap / 10,
  stacks_bytes: 0, rss_bytes: null, peak: false,
});

test("churnSummary trims the ramp-up and teardown before the verdict; downsampleTimeline keeps first, last and peak", () => {
  // 0..100 ms: ramp 0 → 1000 over t ≤ 10, flat 1000 in between, teardown to 0 at t = 100
  const tl = Array.from({ length: 101 }, (_, i) => row(i, i, i <= 10 ? i * 100 : i === 100 ? 0 : 1000));
  const s = churnSummary({ runtime: "tokio_single", seconds: 1, tool: "massif", run: "r", status: "ok", timeline: tl, rows: [] });
  // the 10 % trim keeps t = 10 … 90: all flat at 1000 B
  assert.equal(s.fittedPoints, 81);
  assert.equal(s.verdict!.verdict, "plateau");
  assert.equal(s.verdict!.slopeBytesPerSecond, 0);
  assert.ok(Math.abs(s.overhead!.mean - 0.1) < 1e-12, String(s.overhead!.mean)); // extra-heap is heap / 10 in every row
  assert.equal(s.peakBytes, 1000);
  const peaked = tl.map((r) => (r.index === 37 ? { ...r, peak: true } : r));
  const d = downsampleTimeline(peaked, 10);
  assert.deepEqual(d.map((r) => r.index), [0, 11, 22, 33, 37, 44, 55, 66, 77, 88, 99, 100]);
});
