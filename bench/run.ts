// `npm run bench`: how fast litlab ingests a 1,000-benchmark Criterion tree, against the unavoidable cost of
// reading and JSON.parse-ing the same files. Prints; asserts nothing (timings vary by machine).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ingestCriterionDir } from "../lib/ingest/readTree.js";
import { writeCriterionTree, type GeneratedBench } from "./criterionTree.js";

const REPETITIONS = 5;
const RUNTIMES = ["tokio_single", "tokio_multi", "futures_lite", "embassy", "std_thread"];

/** 10 groups × 5 runtimes × 20 batch sizes = 1,000 benchmarks, each with Throughput::Elements and 100 samples. */
function benches(): GeneratedBench[] {
  const out: GeneratedBench[] = [];
  for (let g = 0; g < 10; g++) {
    for (const [r, runtime] of RUNTIMES.entries()) {
      for (let p = 1; p <= 20; p++) {
        const batch = p * 500;
        out.push({ group: `group_${g}`, function: runtime, param: String(batch), slopeNs: batch * (20 + 5 * r + g), elements: batch });
      }
    }
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function time(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "litlab-bench-"));
  try {
    const list = benches();
    await writeCriterionTree(root, list);
    const files = list.flatMap((b) => ["benchmark.json", "estimates.json", "sample.json"].map((f) => join(root, b.group, b.function, b.param!, "new", f)));

    let rows = 0;
    let samples = 0;
    const ingest: number[] = [];
    const baseline: number[] = [];
    // one warm-up of each, then alternate so both see the same page cache and JIT state
    await ingestCriterionDir(root);
    for (const f of files) JSON.parse(await readFile(f, "utf8"));
    for (let i = 0; i < REPETITIONS; i++) {
      ingest.push(await time(async () => {
        const r = await ingestCriterionDir(root);
        rows = r.rows.length;
        samples = r.samples.length;
      }));
      baseline.push(await time(async () => {
        for (const f of files) JSON.parse(await readFile(f, "utf8"));
      }));
    }
    const ingestMs = median(ingest);
    const baseMs = median(baseline);
    process.stdout.write([
      `litlab bench: ingest a ${list.length}-benchmark Criterion tree (${files.length} files, ${samples} samples)`,
      `  ingestCriterionDir: ${ingestMs.toFixed(1)} ms median of ${REPETITIONS} → ${rows} rows, ${Math.round(rows / (ingestMs / 1000)).toLocaleString("en-US")} rows/s`,
      `  baseline (fs.readFile + JSON.parse of the same files): ${baseMs.toFixed(1)} ms median`,
      `  ratio ingest / baseline: ${(ingestMs / baseMs).toFixed(2)}×`,
      "",
    ].join("\n"));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
