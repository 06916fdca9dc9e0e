import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunManifest } from "../capture/manifest.js";

/**
 * Benchmark ids a Criterion target printed on stdout. Every target of a host run writes into the same
 * CRITERION_HOME, so the tree cannot say which target a benchmark belongs to; the target's own stdout can:
 * Criterion prints `Benchmarking ID` (0.3+), then the id either alone on its line (ids longer than 23
 * characters) or followed by `time:`.
 */
export function benchIdsInStdout(text: string): Set<string> {
  const ids = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    // colour codes would otherwise stick to the id
    const line = raw.replace(/\u001b\[[0-9;]*m/g, "").trimEnd();
    if (!line || /^\s/.test(line)) continue;
    if (line.startsWith("Benchmarking ")) {
      const rest = line.slice("Benchmarking ".length);
      // `Benchmarking ID: Warming up ...`: the id is what comes before the last progress suffix
      const m = /^(.*?): (?:Warming up|Collecting|Analyzing|Complete)/.exec(rest);
      ids.add(m ? m[1]! : rest);
      continue;
    }
    const timed = /^(.*?)\s+time:\s+\[/.exec(line);
    ids.add(timed ? timed[1]! : line);
  }
  return ids;
}

/**
 * id → target for the ids that exactly one Criterion target of the run printed. Ids printed by none or by
 * several targets are left out (the `target` column is then null: unknown, not guessed).
 */
export async function targetsOfRun(dir: string, manifest: RunManifest, ids: Iterable<string>): Promise<Map<string, string>> {
  const printed: [string, Set<string>][] = [];
  for (const t of manifest.targets ?? []) {
    if (t.harness !== "criterion" || !t.stdout) continue;
    const text = await readFile(join(dir, t.stdout), "utf8").catch(() => null);
    if (text !== null) printed.push([t.name, benchIdsInStdout(text)]);
  }
  const out = new Map<string, string>();
  if (printed.length === 0) return out;
  for (const id of ids) {
    const holders = printed.filter(([, set]) => set.has(id));
    if (holders.length === 1) out.set(id, holders[0]![0]);
  }
  return out;
}
