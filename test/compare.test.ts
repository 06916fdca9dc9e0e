// Baseline-vs-candidate review (lib/analyze/compareRuns.ts, lib/present/forestChart.ts, lib/present/compareSummary.ts,
// lib/cli/compareCommand.ts) over hand-built run folders whose expected verdicts, p and q are worked out below.
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compareRunRows, compareRuns, RUN_COMPARISON_COLUMNS, type RunComparisonRow } from "../lib/analyze/compareRuns.js";
import { compareCommand, parseThreshold } from "../lib/cli/compareCommand.js";
import { compareSummary, formatChange, formatRatioCI } from "../lib/present/compareSummary.js";
import { forestChartSpec } from "../lib/present/forestChart.js";
import { renderSvg } from "../lib/present/svg.js";
import { loadRun, type LoadedRun } from "../lib/store/runFolder.js";

const ROOT = resolve(import.meta.dirname, "..");
const BUNDLED = join(ROOT, "data/bundled/20261204-071057-host-host-actors");
const XSS = "xss/<img src=x onerror=alert(1)>/1";

type Bench = { id: string; samples?: number[]; rows?: Record<string, unknown>[] };

function timeRow(id: string, value: number, stat = "median"): Record<string, unknown> {
  const [group, fn = null, param = null] = id.split("/");
  return { id, group, function: fn, param, source: "x", format: "criterion-json", metric: "time", stat, value, unit: "ns", lower: null, upper: null, confidence: null, baseline: "new" };
}

function exactRow(id: string, metric: string, stat: string, value: number, unit: string): Record<string, unknown> {
  const [group, fn = null, param = null] = id.split("/");
  return { id, group, function: fn, param, source: "raw/device.log", format: "device-records", metric, stat, value, unit, lower: null, upper: null, confidence: null, baseline: "new", clock: "icount" };
}

/** A run folder written by hand: manifest.json, tables/rows.jsonl, tables/samples.jsonl (1 iteration per sample). */
async function writeRun(root: string, id: string, benches: Bench[]): Promise<string> {
  const dir = join(root, id);
  await mkdir(join(dir, "tables"), { recursive: true });
  await writeFile(join(dir, "manifest.json"), JSON.stringify({ schemaVersion: 1, id, kind: "host", tables: { rows: "tables/rows.jsonl", samples: "tables/samples.jsonl" } }));
  const rows = benches.flatMap((b) => b.rows ?? [timeRow(b.id, b.samples![0]!)]);
  const samples = benches.flatMap((b) => (b.samples ?? []).map((v, i) => ({
    id: b.id, source: "x", baseline: "new", sample: i, iterations: 1, total_ns: v, per_iter_ns: v, sampling_mode: "Flat",
  })));
  await writeFile(join(dir, "tables/rows.jsonl"), rows.map((r) => JSON.stringify(r) + "\n").join(""));
  await writeFile(join(dir, "tables/samples.jsonl"), samples.map((r) => JSON.stringify(r) + "\n").join(""));
  return dir;
}

const range = (start: number, n: number, step = 1): number[] => Array.from({ length: n }, (_, i) => start + i * step);
const FAST = range(100, 8); // 100..107 ns, median 103.5
const STEADY = range(1000, 8); // 1000..1007 ns: resampled medians stay within ±0.7 %
const NOISY = [50, 90, 60, 120, 70, 40, 100, 80];

/** The base run; `slow` scales the candidate's `pingpong/tokio/100` samples by 1.10 and adds one tick. */
function benches(which: "base" | "cand"): Bench[] {
  const slow = which === "cand";
  return [
    { id: "pingpong/tokio/100", samples: slow ? FAST.map((v) => v * 1.1) : FAST },
    { id: "pingpong/tokio/1000", samples: STEADY },
    { id: "spawn/std_thread/10", samples: NOISY },
    { id: "imported/stdout/1", rows: [timeRow("imported/stdout/1", 500, "typical")] },
    { id: "message_throughput/no_std/1000", rows: [exactRow("message_throughput/no_std/1000", "time", "mean", slow ? 639 : 638, "ticks")] },
    { id: "fw", rows: [exactRow("fw", "size", ".text", 4096, "bytes")] },
    { id: XSS, samples: STEADY },
    slow ? { id: "only/cand/1", samples: STEADY } : { id: "only/base/1", samples: STEADY },
  ];
}

const byId = (rows: readonly RunComparisonRow[], id: string): RunComparisonRow => {
  const hits = rows.filter((r) => r.id === id);
  assert.equal(hits.length, 1, `one row for ${id}`);
  return hits[0]!;
};

let root: string;
let base: LoadedRun;
let cand: LoadedRun;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "litlab-compare-"));
  base = await loadRun(await writeRun(root, "base-run", benches("base")));
  cand = await loadRun(await writeRun(root, "cand-run", benches("cand")));
});

describe("compareRuns", () => {
  it("A/B: 10 % slowdown regressed, 1 tick regressed (exact), one-run benchmarks listed, no samples → inconclusive", () => {
    const rows = compareRunRows(base, cand);
    assert.equal(rows.length, 9);

    // 100..107 vs 110..117.7: every candidate value is larger, so U = 64 of 8·8 and the exact two-sided
    // p = 2 / C(16, 8) = 2 / 12870. Ratio of medians 113.85 / 103.5 = 1.1; resampled medians stay in
    // [100, 107] and [110, 117.7], so even the CI's lower bound ≥ 110/107 = 1.028 > 1.02.
    const slow = byId(rows, "pingpong/tokio/100");
    assert.equal(slow.kind, "time");
    assert.equal(slow.baseline, 103.5);
    assert.ok(Math.abs(slow.candidate! - 113.85) < 1e-9);
    assert.ok(Math.abs(slow.ratio! - 1.1) < 1e-12);
    assert.ok(slow.lower! >= 110 / 107 - 1e-12 && slow.upper! <= 117.7 / 100 + 1e-12, `${slow.lower} ${slow.upper}`);
    assert.ok(Math.abs(slow.p! - 2 / 12870) < 1e-12, String(slow.p));
    assert.equal(slow.verdict, "regressed");
    assert.equal(slow.nBase, 8);
    assert.equal(slow.nCand, 8);

    // p over the review: [1.554e-4 (slow), 1 (steady), 1 (noisy), 0 (ticks), 1 (.text), 1 (xss)], m = 6.
    // BH: the tick's p = 0 ranks 1 → q = 0; the slow one ranks 2 → q = 6/2 · 2/12870 = 6/12870.
    assert.ok(Math.abs(slow.q! - 6 / 12870) < 1e-15, String(slow.q));

    const tick = byId(rows, "message_throughput/no_std/1000");
    assert.equal(tick.kind, "exact");
    assert.equal(tick.ratio, 639 / 638);
    assert.equal(tick.lower, 639 / 638);
    assert.equal(tick.p, 0);
    assert.equal(tick.q, 0);
    assert.equal(tick.verdict, "regressed");
    assert.equal(tick.unit, "ticks");

    const text = byId(rows, "fw");
    assert.deepEqual([text.kind, text.label, text.ratio, text.verdict, text.threshold], ["exact", "fw (size .text)", 1, "no change", 0]);

    // identical tight samples: p = 1, resampled median ratios within [1000/1007, 1007/1000] ⊂ [0.98, 1.02]
    const steady = byId(rows, "pingpong/tokio/1000");
    assert.equal(steady.p, 1);
    assert.equal(steady.q, 1);
    assert.equal(steady.verdict, "no change");
    // identical but noisy samples: the CI is far wider than ±2 % → inconclusive, never a claim
    assert.equal(byId(rows, "spawn/std_thread/10").verdict, "inconclusive");

    const imported = byId(rows, "imported/stdout/1");
    assert.deepEqual([imported.verdict, imported.note, imported.p, imported.q, imported.lower, imported.ratio, imported.baseline],
      ["inconclusive", "no samples", null, null, null, 1, 500]);

    const onlyBase = byId(rows, "only/base/1");
    assert.deepEqual([onlyBase.verdict, onlyBase.baseline, onlyBase.candidate, onlyBase.ratio, onlyBase.nCand], ["missing in candidate", 1003.5, null, null, 0]);
    assert.equal(byId(rows, "only/cand/1").verdict, "missing in base");
    assert.equal(rows.at(-1)!.id, "only/cand/1"); // base order first, candidate-only rows after
  });

  it("A/A: the same run twice gives no regression and no improvement", () => {
    const rows = compareRunRows(base, base);
    assert.equal(rows.length, 8);
    for (const r of rows) assert.ok(r.verdict === "no change" || r.verdict === "inconclusive", `${r.id}: ${r.verdict}`);
    assert.equal(byId(rows, "pingpong/tokio/100").verdict, "inconclusive"); // ±3.5 % spread: CI wider than ±2 %
    assert.equal(byId(rows, "message_throughput/no_std/1000").verdict, "no change");
  });

  it("returns an Arquero table with the documented columns; id filter; reproducible with a seed", () => {
    const t = compareRuns(base, cand, { id: /^pingpong\//g });
    assert.deepEqual(t.columnNames(), [...RUN_COMPARISON_COLUMNS]);
    assert.deepEqual(t.array("id"), ["pingpong/tokio/100", "pingpong/tokio/1000"]);
    const a = compareRunRows(base, cand, { seed: 7 });
    const b = compareRunRows(base, cand, { seed: 7 });
    assert.deepEqual(a, b);
    assert.deepEqual(compareRuns(base, cand, { id: /nothing-matches/ }).columnNames(), [...RUN_COMPARISON_COLUMNS]);
  });

  it("threshold and alpha are checked", () => {
    assert.throws(() => compareRunRows(base, cand, { threshold: 2 }), /threshold must be in \[0, 1\)/);
    assert.throws(() => compareRunRows(base, cand, { alpha: 0 }), /alpha must be in \(0, 1\)/);
  });

  it("bundled real run compared with itself (A/A): 12 benchmarks, zero regressed or improved", async () => {
    const run = await loadRun(BUNDLED);
    const rows = compareRunRows(run, run);
    assert.equal(rows.length, 12);
    assert.equal(rows.filter((r) => r.verdict === "regressed" || r.verdict === "improved").length, 0);
    for (const r of rows) {
      assert.equal(r.kind, "time");
      assert.equal(r.nBase, 10); // quick profile: 10 samples of the `new` baseline
      assert.equal(r.ratio, 1);
      assert.equal(r.p, 1);
    }
  });
});

describe("compare presentation", () => {
  it("formats changes: +3.1 % [+1.2 %, +5.0 %], tiny exact changes, no change", () => {
    assert.equal(formatRatioCI({ ratio: 1.031, lower: 1.012, upper: 1.05, kind: "time" }), "+3.1 % [+1.2 %, +5.0 %]");
    assert.equal(formatRatioCI({ ratio: 639 / 638, lower: 639 / 638, upper: 639 / 638, kind: "exact" }), "+0.16 % (exact)");
    assert.equal(formatChange(0.95), "−5.0 %");
    assert.equal(formatChange(0.9965), "−0.35 %");
    assert.equal(formatChange(1), "±0 %");
    assert.equal(formatChange(1.00016), "+0.016 %");
    assert.equal(formatChange(null), "–");
  });

  it("summary: headline counts, regressions first, symbols, humanized values, escaped ids", () => {
    const t = compareRuns(base, cand);
    const { html, markdown, headline } = compareSummary(t, { base: "base-run", cand: "cand-<b>run</b>", threshold: 0.02 });
    // regressed: slow + tick; no change: steady, .text, xss; inconclusive: noisy, imported; of 7; one missing each side
    assert.equal(headline, "2 regressed, 0 improved, 3 no change, 2 inconclusive of 7 at ±2 %, FDR 5 %; 1 only in base, 1 only in candidate");
    const lines = markdown.split("\n");
    assert.equal(lines[0], `**base-run → cand-\\<b\\>run\\</b\\>**: ${headline}`);
    assert.equal(lines[2], "| benchmark | baseline | candidate | change [95 % CI] | p | q | verdict |");
    assert.match(lines[4]!, /^\| pingpong\/tokio\/100 \| 103\.5 ns \| 113\.9 ns \| \+10\.0 % \[\+\d+\.\d %, \+\d+\.\d %\] \| \\<0\.001 \| \\<0\.001 \| 🔴 regressed \|$/);
    assert.equal(lines[5], "| message_throughput/no_std/1000 | 638 ticks | 639 ticks | +0.16 % (exact) | exact | exact | 🔴 regressed |");
    assert.ok(markdown.includes("| imported/stdout/1 | 500.0 ns | 500.0 ns | ±0 % | – | – | 🟡 inconclusive (no samples) |"), markdown);
    assert.ok(markdown.includes("xss/\\<img src=x onerror=alert(1)\\>/1"));

    assert.ok(!html.includes("<img"), "no raw <img in the HTML");
    assert.ok(html.includes("xss/&lt;img src=x onerror=alert(1)&gt;/1"));
    assert.ok(html.includes("cand-&lt;b&gt;run&lt;/b&gt;"));
  });

  it("forest chart: sorted by effect, rules at 1 and 1 ± threshold, colours by verdict, renders to SVG", async () => {
    const spec = forestChartSpec(compareRuns(base, cand));
    const values = (spec["data"] as { values: Record<string, unknown>[] }).values;
    // rows with a ratio (the two one-run benchmarks have none), largest ratio first
    assert.equal(values.length, 7);
    assert.equal(values[0]!["label"], "pingpong/tokio/100");
    assert.equal(values[1]!["label"], "message_throughput/no_std/1000");
    assert.equal(values[0]!["changeText"], formatRatioCI(byId(compareRunRows(base, cand), "pingpong/tokio/100")));
    assert.equal(values[0]!["baselineText"], "103.5 ns");
    const layer = spec["layer"] as { data?: { values: { ref: number }[] }; mark: { strokeDash?: number[] } }[];
    assert.deepEqual(layer.filter((l) => l.data).map((l) => [l.data!.values[0]!.ref, Boolean(l.mark.strokeDash)]), [[1, false], [0.98, true], [1.02, true]]);
    const svg = await renderSvg(spec);
    assert.match(svg, /^<svg/);
    assert.ok(svg.includes("pingpong/tokio/100"));
    assert.ok(svg.includes("#d62728"), "regressed points are red");
    assert.ok(!svg.includes("<img"), "ids are escaped in the SVG");
  });
});

describe("litlab compare", () => {
  /** Runs compareCommand in its own process (the test runner owns this process's stdout). */
  const capture = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const script = "const { compareCommand } = await import(process.argv[1]); process.exitCode = await compareCommand(process.argv.slice(2));";
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, join(ROOT, "lib/cli/compareCommand.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  };

  it("exit 1 with --fail-on regression when something regressed, 0 without it and for A/A; run ids under --runs", async () => {
    const md = join(root, "review.md");
    const gate = await capture(["base-run", "cand-run", "--runs", root, "--fail-on", "regression", "--markdown", md]);
    assert.equal(gate.code, 1);
    assert.match(gate.out, /^\*\*base-run → cand-run\*\*: 2 regressed, /);
    assert.equal(await readFile(md, "utf8"), gate.out);
    assert.equal((await capture([join(root, "base-run"), join(root, "cand-run")])).code, 0);
    assert.equal((await capture([BUNDLED, BUNDLED, "--fail-on", "regression"])).code, 0);
  });

  it("--json prints one line per comparison; --threshold 2% and 0.02 agree", async () => {
    const a = await capture(["base-run", "cand-run", "--runs", root, "--json", "--threshold", "2%"]);
    const b = await capture(["base-run", "cand-run", "--runs", root, "--json", "--threshold", "0.02"]);
    assert.equal(a.out, b.out);
    const lines = a.out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 9);
    assert.deepEqual(Object.keys(lines[0]!), [...RUN_COMPARISON_COLUMNS]);
    assert.equal(lines.find((l) => l["id"] === "pingpong/tokio/100")!["verdict"], "regressed");
  });

  it("bad usage and unknown runs are one-line LitlabErrors (exit 2 through litlab)", async () => {
    await assert.rejects(compareCommand(["only-one"]), { code: "usage", message: /give two runs/ });
    await assert.rejects(compareCommand(["a", "b", "--fail-on", "anything"]), { code: "usage" });
    await assert.rejects(compareCommand(["a", "b", "--threshold", "2"]), { code: "usage", message: /2% or 0\.02/ });
    await assert.rejects(compareCommand(["a", "b", "--bogus"]), { code: "usage" });
    await assert.rejects(compareCommand(["nope", "cand-run", "--runs", root]), { code: "not-found", message: /run nope not found/ });
    assert.equal(parseThreshold("2.5 %"), 0.025);
  });
});
