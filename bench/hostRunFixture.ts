// A host run folder as `litlab run host` leaves it, without running cargo: manifest, raw/criterion, each target's
// stdout, tables. For tests and the bench; values come from the GeneratedBench list, so tests know them exactly.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MANIFEST_SCHEMA_VERSION, type RunManifest, type TargetResult } from "../lib/capture/manifest.js";
import { createRunFolder, RUN_LAYOUT, writeManifest } from "../lib/store/runFolder.js";
import { writeRunTables } from "../lib/store/tables.js";
import { writeCriterionTree, type GeneratedBench } from "./criterionTree.js";

export interface HostRunFixture {
  /** Bench target name → the benchmarks it ran. */
  targets: Record<string, GeneratedBench[]>;
  commit?: string;
  dirty?: boolean;
  hostname?: string;
  cpuModel?: string;
  startedAt?: string;
  /** Write the manifest with this status and no tables (a run still going, or killed). */
  status?: RunManifest["status"];
  owner?: { pid: number; hostname: string };
}

const idOf = (b: GeneratedBench): string => [b.group, b.function, b.param].filter((x) => x !== null).join("/");

export async function writeHostRunFolder(root: string, id: string, f: HostRunFixture): Promise<{ dir: string; id: string; manifest: RunManifest }> {
  const { dir, id: made } = await createRunFolder(root, id);
  const targets: TargetResult[] = [];
  for (const [name, benches] of Object.entries(f.targets)) {
    await writeCriterionTree(join(dir, RUN_LAYOUT.criterionHome), benches, 10);
    // stdout as Criterion 0.3+ prints it when piped: `Benchmarking ID`, then the id (alone when > 23 chars) and time:
    const stdout = benches.map((b) => {
      const id = idOf(b);
      const time = `time:   [${b.slopeNs * 0.99} ns ${b.slopeNs} ns ${b.slopeNs * 1.01} ns]`;
      return `Benchmarking ${id}\nBenchmarking ${id}: Warming up for 1.0000 s\nBenchmarking ${id}: Analyzing\n${id.length > 23 ? `${id}\n${" ".repeat(24)}${time}` : `${id.padEnd(24)}${time}`}\n`;
    }).join("");
    await mkdir(join(dir, "raw"), { recursive: true });
    await writeFile(join(dir, `raw/${name}.stdout.txt`), `Gnuplot not found, using plotters backend\n${stdout}`);
    targets.push({ name, harness: "criterion", status: "ok", exitCode: 0, command: [name, "--bench"], startedAt: null, endedAt: null, stdout: `raw/${name}.stdout.txt`, stderr: null });
  }
  const status = f.status ?? "ok";
  const manifest: RunManifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION, id: made, kind: "host", label: null, command: ["litlab", "run", "host"],
    workspace: "/work/lit-bit", package: "lit-bit-bench", profile: "quick", filter: null, criterionVersion: "0.5.1", criterionFlags: [],
    git: { commit: f.commit ?? "0123456789abcdef0123456789abcdef01234567", dirty: f.dirty ?? false, branch: "main" },
    toolchain: { rustc: null, cargo: null },
    host: { hostname: f.hostname ?? "bench-box", os: "Linux 6.1", kernel: "6.1", arch: "x64", cpuModel: f.cpuModel ?? "AMD EPYC 7B13", cores: 2, memoryBytes: 8e9 },
    litlabVersion: "0.1.0", startedAt: f.startedAt ?? "2026-12-01T10:00:00.000Z", endedAt: status === "running" ? null : "2026-12-01T10:05:00.000Z",
    status, targets, tables: null, criterionHome: RUN_LAYOUT.criterionHome,
    ...(f.owner ? { owner: f.owner } : {}),
  };
  if (status !== "running") {
    await writeRunTables(dir);
    manifest.tables = { rows: RUN_LAYOUT.rows, samples: RUN_LAYOUT.samples };
  }
  await writeManifest(dir, manifest);
  return { dir, id: made, manifest };
}
