// Writes a realistic Criterion (0.5 layout) tree: <group>/<function>/<param>/new/{benchmark,estimates,sample}.json,
// as Criterion writes them. Used by bench/run.ts (a 1,000-benchmark tree) and by tests that need lit-bit-shaped ids.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface GeneratedBench {
  group: string;
  function: string;
  param: string | null;
  /** The slope estimate in ns per iteration: the row litlab reports as `typical`. */
  slopeNs: number;
  /** Throughput::Elements per iteration, or none. */
  elements?: number;
}

const estimate = (point: number, spread: number) => ({
  confidence_interval: { confidence_level: 0.95, lower_bound: point - spread, upper_bound: point + spread },
  point_estimate: point,
  standard_error: spread / 2,
});

/** The three files of one benchmark's `new` baseline, exactly as text. `samples` linear samples of 100 points is Criterion's default. */
export function benchmarkFiles(b: GeneratedBench, samples = 100): Record<"benchmark.json" | "estimates.json" | "sample.json", string> {
  const id = [b.group, b.function, b.param].filter((x) => x !== null).join("/");
  const benchmark = {
    group_id: b.group, function_id: b.function, value_str: b.param,
    throughput: b.elements === undefined ? null : { Elements: b.elements },
    full_id: id, directory_name: id, title: id,
  };
  const s = b.slopeNs;
  const estimates = {
    mean: estimate(s * 1.01, s * 0.02), median: estimate(s * 1.005, s * 0.015),
    median_abs_dev: estimate(s * 0.01, s * 0.005), slope: estimate(s, s * 0.01), std_dev: estimate(s * 0.03, s * 0.01),
  };
  // Linear sampling: iterations d, 2d, 3d, ... with times following the slope plus a deterministic wobble
  const iters: number[] = [];
  const times: number[] = [];
  for (let i = 1; i <= samples; i++) {
    iters.push(i * 10);
    times.push(i * 10 * s * (1 + 0.01 * Math.sin(i)));
  }
  return {
    "benchmark.json": JSON.stringify(benchmark),
    "estimates.json": JSON.stringify(estimates),
    "sample.json": JSON.stringify({ sampling_mode: "Linear", iters, times }),
  };
}

export async function writeCriterionTree(root: string, benches: readonly GeneratedBench[], samples = 100): Promise<void> {
  for (const b of benches) {
    const dir = join(root, b.group, b.function, ...(b.param === null ? [] : [b.param]), "new");
    await mkdir(dir, { recursive: true });
    for (const [name, text] of Object.entries(benchmarkFiles(b, samples))) await writeFile(join(dir, name), text);
  }
}

/** lit-bit's message_throughput shape (bench spec §1): runtimes × batch sizes, Throughput::Elements(batch). */
export function litbitMessageThroughput(slopes: Record<string, Record<string, number>>): GeneratedBench[] {
  const out: GeneratedBench[] = [];
  for (const [runtime, byBatch] of Object.entries(slopes)) {
    for (const [batch, slopeNs] of Object.entries(byBatch)) {
      out.push({ group: "message_throughput", function: runtime, param: batch, slopeNs, elements: Number(batch) });
    }
  }
  return out;
}
