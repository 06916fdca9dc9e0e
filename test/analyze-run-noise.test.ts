// Run-to-run noise floors from repeated runs, and compare using them, on runs built in memory with known medians.
import { test } from "node:test";
import assert from "node:assert/strict";
import { repeatedRunsOf, runToRunNoise, t975 } from "../lib/analyze/runToRunNoise.js";
import { compareRunRows } from "../lib/analyze/compareRuns.js";
import type { LoadedRun } from "../lib/store/runFolder.js";

/** A run whose benchmark `g/f/1` has 10 samples spread ±1 % around `level` ns (median exactly `level`). */
function run(name: string, level: number): LoadedRun {
  const per = [0.99, 0.992, 0.994, 0.996, 0.998, 1.002, 1.004, 1.006, 1.008, 1.01].map((f) => level * f);
  const row = { id: "g/f/1", group: "g", function: "f", param: "1", source: "x", format: "criterion-json", metric: "time", stat: "typical", value: level, unit: "ns", lower: null, upper: null, confidence: null, baseline: "new", run: name };
  return {
    dir: `/runs/${name}`,
    manifest: { status: "ok", id: name } as LoadedRun["manifest"],
    rows: [row],
    samples: per.map((v, i) => ({ id: "g/f/1", source: "x", baseline: "new", sample: i, iterations: 1, total_ns: v, per_iter_ns: v, sampling_mode: "Linear" as const, run: name })),
    deviceSamples: [],
  };
}

test("runToRunNoise: a 95 % prediction interval for two new runs, from the runs' log medians (Student t)", () => {
  // medians 100, 110, 100, 105 → log medians 0, 0.0953102, 0, 0.0487902 (relative to ln 100); mean 0.0360251;
  // squared deviations 0.0012978, 0.0035147, 0.0012978, 0.0001629 → sum 0.0062733 / 3 → sd 0.0457286;
  // t(3, 0.975) = 3.182 → log floor 3.182 · 0.0457286 · √2 = 0.205784 → floor e^0.205784 − 1 = 0.228491
  const noise = runToRunNoise([run("a", 100), run("b", 110), run("c", 100), run("d", 105)]);
  const n = noise.get("g/f/1")!;
  assert.equal(n.runs, 4);
  assert.ok(Math.abs(n.sd - 0.0457286) < 1e-6, String(n.sd));
  assert.ok(Math.abs(n.floor - 0.228491) < 1e-5, String(n.floor));
  assert.equal(runToRunNoise([run("a", 100), run("b", 110)]).size, 0, "two runs are not enough to learn a floor");
  assert.equal(t975(5), 2.571);
  assert.ok(Math.abs(t975(60) - 2.000) < 0.001); // published t(60, 0.975) = 2.000
});

test("compare with a learned floor: a +8 % A/A drift is not a regression, +40 % still is", () => {
  const noise = runToRunNoise([run("a", 100), run("b", 110), run("c", 100), run("d", 105)]);
  const plain = compareRunRows(run("x", 100), run("y", 108))[0]!;
  assert.equal(plain.verdict, "regressed"); // within-run noise is ±1 %: 8 % looks real
  const floored = compareRunRows(run("x", 100), run("y", 108), { noise })[0]!;
  assert.notEqual(floored.verdict, "regressed");
  assert.ok(Math.abs(floored.threshold - 0.228491) < 1e-5);
  assert.match(floored.note!, /noise floor ±22\.8 % from 4 repeated runs/);
  assert.equal(compareRunRows(run("x", 100), run("y", 140), { noise })[0]!.verdict, "regressed");
});

test("repeatedRunsOf: same commit, dirty state, host, profile and flags; the compared runs left out", () => {
  const withMeta = (r: LoadedRun, commit: string, host = "h", profile = "quick"): LoadedRun => ({
    ...r, manifest: { ...r.manifest, kind: "host", git: { commit, dirty: false, branch: null }, host: { hostname: host } as LoadedRun["manifest"]["host"], profile, criterionFlags: ["--bench"] },
  });
  const base = withMeta(run("base", 100), "c1");
  const cand = withMeta(run("cand", 100), "c2");
  const same1 = withMeta(run("s1", 100), "c1"), same2 = withMeta(run("s2", 100), "c1");
  const otherHost = withMeta(run("o1", 100), "c1", "other"), otherProfile = withMeta(run("o2", 100), "c1", "h", "full"), otherCommit = withMeta(run("o3", 100), "c9");
  const got = repeatedRunsOf(base, [base, cand, same1, same2, otherHost, otherProfile, otherCommit], [cand]);
  assert.deepEqual(got.map((r) => r.manifest.id), ["s1", "s2"]);
});

test("litlab compare learns floors from the baseline's repeated runs by default; --noise-from none turns it off", async () => {
  const { execa } = await import("execa");
  const { readdir } = await import("node:fs/promises");
  const { join, resolve } = await import("node:path");
  const root = resolve(import.meta.dirname, "..");
  const quick = join(root, "data/calibration/quick");
  const runs = (await readdir(quick)).filter((d) => !d.startsWith(".")).sort();
  const cli = (extra: string[]) => execa("node", [join(root, "bin/litlab.js"), "compare", join(quick, runs[0]!), join(quick, runs[1]!), ...extra], { reject: false });
  const auto = await cli([]);
  assert.equal(auto.exitCode, 0, auto.stderr);
  // 8 recorded runs of one commit: the two compared ones are left out, the other 6 set the floors
  assert.match(auto.stderr, new RegExp(`learned from ${runs.length - 2} repeated runs of commit`));
  assert.match(auto.stdout, /noise floor ±|not comparable from one run each/);
  // Criterion's samples are batch means: the review says so instead of implying tail latency
  assert.match(auto.stdout, /batch means \(time \/ iterations\): they say nothing about tail latency/);
  const off = await cli(["--noise-from", "none"]);
  assert.equal(off.exitCode, 0, off.stderr);
  assert.doesNotMatch(off.stderr, /learned from/);
  assert.doesNotMatch(off.stdout, /noise floor ±/);
});
