/**
 * Calibration of `litlab compare` on real sample sets (issue 6): the reference workload run repeatedly on one machine
 * (data/calibration/<profile>/, recorded with `litlab run host --profile <profile>`).
 *
 * - A/A: every pair of runs (same code twice). A "regressed" or "improved" verdict there is a false alarm.
 * - A/B: the same pairs with the candidate's samples scaled by 1.05 (an injected 5 % slowdown): "regressed" is a
 *   detection.
 * - Criterion's own verdict (recomputed from the same samples, stats/criterionVerdict.ts) on the same pairs.
 *
 * Usage: node --import tsx bench/calibrate.ts [data/calibration] [--json]
 */
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { compareRunRows } from "../lib/analyze/compareRuns.js";
import { criterionVerdict } from "../lib/analyze/stats/criterionVerdict.js";
import { listRuns, loadRun, type LoadedRun } from "../lib/store/runFolder.js";
import { repeatedRunsOf, runToRunNoise } from "../lib/analyze/runToRunNoise.js";

const SLOWDOWN = 1.05;

/** The same run with every time (rows and samples) scaled: what a 5 % slower build would have measured. */
function scaled(run: LoadedRun, factor: number): LoadedRun {
  return {
    ...run,
    rows: run.rows.map((r) => (r.metric === "time" && r.unit === "ns" ? { ...r, value: r.value * factor, lower: r.lower === null ? null : r.lower * factor, upper: r.upper === null ? null : r.upper * factor } : r)),
    samples: run.samples.map((s) => ({ ...s, total_ns: s.total_ns * factor, per_iter_ns: s.per_iter_ns * factor })),
  };
}

interface Tally { comparisons: number; regressed: number; improved: number; noChange: number; inconclusive: number; pairsWithAlarm: number }

const newTally = (): Tally => ({ comparisons: 0, regressed: 0, improved: 0, noChange: 0, inconclusive: 0, pairsWithAlarm: 0 });

/** Counts one verdict; true when it is an alarm (regressed or improved). */
function count(tally: Tally, verdict: string): boolean {
  tally.comparisons++;
  if (verdict === "regressed") tally.regressed++;
  else if (verdict === "improved") tally.improved++;
  else if (verdict === "no change") tally.noChange++;
  else tally.inconclusive++; // inconclusive, or Criterion's "within noise"
  return verdict === "regressed" || verdict === "improved";
}

function perIter(run: LoadedRun, id: string): number[] {
  return run.samples.filter((s) => s.id === id && (s.baseline ?? "new") === "new").map((s) => s.per_iter_ns);
}

async function calibrate(dir: string): Promise<Record<string, unknown>> {
  // only finished runs: one still being written has no samples yet
  const runs = (await Promise.all((await listRuns(dir)).map((d) => loadRun(d)))).filter((r) => r.manifest.status === "ok");
  const aa = newTally(), ab = newTally();
  // with the run-to-run noise floor, estimated from the OTHER runs (leave the compared pair out)
  const aaFloor = newTally(), abFloor = newTally();
  const floors: number[] = [];
  const crit = { aa: newTally(), ab: newTally() };
  let samplesPerBenchmark = 0;
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      for (const [tally, cand, critTally] of [[aa, runs[j]!, crit.aa], [ab, scaled(runs[j]!, SLOWDOWN), crit.ab]] as const) {
        const rows = compareRunRows(runs[i]!, cand).filter((r) => r.kind === "time" && r.nBase > 0);
        let alarm = false, critAlarm = false;
        for (const r of rows) {
          if (count(tally, r.verdict)) alarm = true;
          const base = perIter(runs[i]!, r.id), c = perIter(cand, r.id);
          samplesPerBenchmark = Math.max(samplesPerBenchmark, base.length);
          const cv = criterionVerdict(base, c, { seed: i * 1000 + j });
          if (count(critTally, cv.verdict)) critAlarm = true;
        }
        if (alarm) tally.pairsWithAlarm++;
        if (critAlarm) critTally.pairsWithAlarm++;
      }
      // what `litlab compare` does by default: floors from the store's other runs of the baseline's commit and setup
      const others = repeatedRunsOf(runs[i]!, runs, [runs[j]!]);
      if (others.length < 3) continue;
      const noise = runToRunNoise(others);
      if (noise.size === 0) continue; // fewer than 3 other runs: no floor to learn
      for (const n of noise.values()) floors.push(n.floor);
      for (const [tally, cand] of [[aaFloor, runs[j]!], [abFloor, scaled(runs[j]!, SLOWDOWN)]] as const) {
        let alarm = false;
        for (const r of compareRunRows(runs[i]!, cand, { noise }).filter((x) => x.kind === "time" && x.nBase > 0)) {
          if (count(tally, r.verdict)) alarm = true;
        }
        if (alarm) tally.pairsWithAlarm++;
      }
    }
  }
  const pairs = (runs.length * (runs.length - 1)) / 2;
  const pct = (a: number, b: number): string => (b === 0 ? "–" : `${((100 * a) / b).toFixed(1)} %`);
  return {
    runs: runs.length, pairs, samplesPerBenchmark,
    litlab: {
      aaFalseAlarmRate: pct(aa.regressed + aa.improved, aa.comparisons), aaNoChange: pct(aa.noChange, aa.comparisons), aaInconclusive: pct(aa.inconclusive, aa.comparisons),
      aaPairsWithAnyAlarm: pct(aa.pairsWithAlarm, pairs),
      abDetection: pct(ab.regressed, ab.comparisons), abInconclusive: pct(ab.inconclusive, ab.comparisons), abWrongWay: pct(ab.improved, ab.comparisons),
    },
    litlabWithFloor: aaFloor.comparisons === 0 ? null : {
      aaFalseAlarmRate: pct(aaFloor.regressed + aaFloor.improved, aaFloor.comparisons), aaPairsWithAnyAlarm: pct(aaFloor.pairsWithAlarm, pairs),
      abDetection: pct(abFloor.regressed, abFloor.comparisons), abWrongWay: pct(abFloor.improved, abFloor.comparisons),
      medianFloor: floors.length ? `${(100 * floors.slice().sort((a, b) => a - b)[Math.floor(floors.length / 2)]!).toFixed(1)} %` : "–",
    },
    criterion: {
      aaFalseAlarmRate: pct(crit.aa.regressed + crit.aa.improved, crit.aa.comparisons), aaWithinNoise: pct(crit.aa.inconclusive, crit.aa.comparisons),
      aaPairsWithAnyAlarm: pct(crit.aa.pairsWithAlarm, pairs),
      abDetection: pct(crit.ab.regressed, crit.ab.comparisons), abWrongWay: pct(crit.ab.improved, crit.ab.comparisons),
    },
    comparisons: aa.comparisons,
  };
}

const args = process.argv.slice(2);
const root = resolve(args.find((a) => !a.startsWith("--")) ?? "data/calibration");
const out: Record<string, unknown> = {};
for (const profile of (await readdir(root)).sort()) {
  const dir = join(root, profile);
  if ((await listRuns(dir)).length < 2) continue;
  out[profile] = await calibrate(dir);
}
if (args.includes("--json")) process.stdout.write(JSON.stringify(out, null, 1) + "\n");
else {
  for (const [profile, r] of Object.entries(out)) {
    const o = r as { runs: number; pairs: number; samplesPerBenchmark: number; comparisons: number; litlab: Record<string, string>; litlabWithFloor: Record<string, string> | null; criterion: Record<string, string> };
    process.stdout.write(`\n${profile}: ${o.runs} runs, ${o.pairs} pairs, ${o.comparisons} comparisons per scenario, ${o.samplesPerBenchmark} samples per benchmark\n`);
    process.stdout.write(`  litlab --noise-from none (within-run statistics only)\n            A/A false alarms ${o.litlab["aaFalseAlarmRate"]} (pairs with any: ${o.litlab["aaPairsWithAnyAlarm"]}; no change ${o.litlab["aaNoChange"]}, inconclusive ${o.litlab["aaInconclusive"]})\n`);
    process.stdout.write(`            A/B +5 % detected ${o.litlab["abDetection"]} (inconclusive ${o.litlab["abInconclusive"]}, wrong way ${o.litlab["abWrongWay"]})\n`);
    if (o.litlabWithFloor) {
      process.stdout.write(`  litlab default (run-to-run floors from the other repeated runs in the store; median floor ${o.litlabWithFloor["medianFloor"]}):\n`);
      process.stdout.write(`            A/A false alarms ${o.litlabWithFloor["aaFalseAlarmRate"]} (pairs with any: ${o.litlabWithFloor["aaPairsWithAnyAlarm"]}); A/B +5 % detected ${o.litlabWithFloor["abDetection"]} (wrong way ${o.litlabWithFloor["abWrongWay"]})\n`);
    }
    process.stdout.write(`  Criterion A/A false alarms ${o.criterion["aaFalseAlarmRate"]} (pairs with any: ${o.criterion["aaPairsWithAnyAlarm"]}; within noise ${o.criterion["aaWithinNoise"]})\n`);
    process.stdout.write(`            A/B +5 % detected ${o.criterion["abDetection"]} (wrong way ${o.criterion["abWrongWay"]})\n`);
  }
}
