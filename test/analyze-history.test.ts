// History across runs and its change points, on run folders written by hand with a known step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { listRuns, loadRun } from "../lib/store/runFolder.js";
import { benchmarkHistory, historySteps } from "../lib/analyze/history.js";
import { trendChartSpec } from "../lib/present/trendChart.js";
import { renderSvg } from "../lib/present/svg.js";
import { seededRandom } from "../lib/analyze/stats/seededRandom.js";

const ROOT = resolve(import.meta.dirname, "..");

/** 12 runs, one per commit c00..c11: `step` is 1000 ns then 1100 ns from run 6 on (+10 %); `flat` stays at 500 ns. */
async function writeHistory(root: string): Promise<void> {
  const rnd = seededRandom(7);
  for (let i = 0; i < 12; i++) {
    const id = `2026120${i < 10 ? "4" : "5"}-0${String(i).padStart(2, "0")}000-host-h`;
    const dir = join(root, id);
    await mkdir(join(dir, "tables"), { recursive: true });
    const rows: object[] = [];
    const samples: object[] = [];
    for (const [bench, level] of [["g/step/1", i < 6 ? 1000 : 1100], ["g/flat/1", 500]] as const) {
      const per = Array.from({ length: 10 }, () => level * (1 + (rnd() - 0.5) * 0.01)); // ±0.5 % noise
      const [group, fn, param] = bench.split("/");
      rows.push({ id: bench, group, function: fn, param, source: "x", format: "criterion-json", metric: "time", stat: "typical", value: level, unit: "ns", lower: level * 0.99, upper: level * 1.01, confidence: 0.95, baseline: "new" });
      per.forEach((v, k) => samples.push({ id: bench, source: "x", baseline: "new", sample: k, iterations: 1, total_ns: v, per_iter_ns: v, sampling_mode: "Linear" }));
    }
    await writeFile(join(dir, "tables/rows.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    await writeFile(join(dir, "tables/samples.jsonl"), samples.map((r) => JSON.stringify(r)).join("\n") + "\n");
    await writeFile(join(dir, "manifest.json"), JSON.stringify({
      schemaVersion: 1, id, kind: "host", label: null, command: [], workspace: null, package: null, profile: null, filter: null,
      criterionVersion: null, criterionFlags: [], git: { commit: `c${String(i).padStart(2, "0")}`.padEnd(40, "0"), dirty: false, branch: "main" },
      toolchain: { rustc: null, cargo: null }, host: null, litlabVersion: "test", startedAt: `2026-12-04T00:${String(i).padStart(2, "0")}:00.000Z`,
      endedAt: null, status: "ok", targets: [], tables: { rows: "tables/rows.jsonl", samples: "tables/samples.jsonl" }, criterionHome: null,
    }));
  }
}

test("history: one point per run, the +10 % step found at the run where it starts, the flat benchmark has none", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-history-"));
  try {
    await writeHistory(root);
    const runs = await Promise.all((await listRuns(root)).map((d) => loadRun(d)));
    const points = benchmarkHistory(runs);
    assert.equal(points.length, 24);
    assert.ok(points.every((p) => p.basis === "samples"));
    const step = points.filter((p) => p.id === "g/step/1");
    assert.deepEqual(step.map((p) => p.index), [...Array(12).keys()]);
    // medians of ±0.5 % noise stay within 0.5 % of the level
    assert.ok(Math.abs(step[0]!.value - 1000) < 5 && Math.abs(step[11]!.value - 1100) < 5.5);
    const steps = historySteps(points);
    assert.equal(steps.length, 1);
    assert.equal(steps[0]!.id, "g/step/1");
    assert.equal(steps[0]!.index, 6);
    assert.ok(steps[0]!.commit!.startsWith("c06"));
    assert.ok(Math.abs(steps[0]!.change - 0.1) < 0.01, String(steps[0]!.change));
    assert.deepEqual(historySteps(benchmarkHistory(runs, { id: /flat/ })), []);
    const svg = await renderSvg(trendChartSpec(points, steps));
    assert.match(svg, /c06/);

    const cli = await execa("node", [join(ROOT, "bin/litlab.js"), "history", "--runs", root, "--bench", "^g/"], { reject: false });
    assert.equal(cli.exitCode, 0, cli.stderr);
    assert.match(cli.stdout, /^12 runs, 2 benchmarks, 1 step\(s\)/);
    assert.match(cli.stdout, /g\/step\/1: .* \(\+10\.\d %\) from run .* \(commit c06/);
    const bad = await execa("node", [join(ROOT, "bin/litlab.js"), "history", "--runs", root, "--bench", "("], { reject: false });
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /not a valid regular expression/);
    assert.doesNotMatch(bad.stderr, /at .*\.js:\d+/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
