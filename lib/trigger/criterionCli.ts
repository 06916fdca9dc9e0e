/** Run profiles: `quick` is a short measured run for iteration; `full` keeps Criterion's defaults. */
export type Profile = "quick" | "full";

/** Parses a semver-ish version into [major, minor]. */
function majorMinor(version: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/**
 * Criterion flags for a profile. Criterion 0.3 parses `--warm-up-time`/`--measurement-time` as whole
 * seconds (0.2 is rejected), 0.4+ as fractional seconds, so `quick` differs by version.
 */
export function criterionFlags(profile: Profile, criterionVersion: string | null): string[] {
  const [major, minor] = majorMinor(criterionVersion ?? "0.5");
  const wholeSeconds = major === 0 && minor <= 3;
  const common = ["--noplot"];
  if (profile === "full") return common;
  return wholeSeconds
    ? [...common, "--warm-up-time", "1", "--measurement-time", "1", "--sample-size", "10", "--nresamples", "1000"]
    : [...common, "--warm-up-time", "0.5", "--measurement-time", "1", "--sample-size", "10", "--nresamples", "10000"];
}

export type CriterionProgress =
  | { kind: "start"; id: string }
  | { kind: "warmup"; id: string }
  | { kind: "collect"; id: string; samples: number; estimatedSeconds: number; iterations: number | null }
  | { kind: "analyze"; id: string }
  | { kind: "result"; id: string; time: string }
  | { kind: "warning"; text: string };

// strips ANSI colour codes, which Criterion adds when forced or on a tty
const ANSI = /\u001b\[[0-9;]*m/g;

/** Reads one line of Criterion's non-tty stdout as a progress event, or null for lines that are not progress. */
export function criterionProgress(rawLine: string, pendingId?: string): CriterionProgress | null {
  const line = rawLine.replace(ANSI, "").replace(/\r$/, "");
  let m = /^Benchmarking (.+): Warming up for /.exec(line);
  if (m) return { kind: "warmup", id: m[1]! };
  m = /^Benchmarking (.+): Collecting (\d+) samples in estimated ([\d.]+) s(?: \((\d+) iterations\))?/.exec(line);
  if (m) return { kind: "collect", id: m[1]!, samples: Number(m[2]), estimatedSeconds: Number(m[3]), iterations: m[4] ? Number(m[4]) : null };
  m = /^Benchmarking (.+): Analyzing$/.exec(line);
  if (m) return { kind: "analyze", id: m[1]! };
  m = /^Benchmarking (.+?)(?:: .*)?$/.exec(line);
  if (m && !line.includes(": ")) return { kind: "start", id: m[1]! };
  m = /^(\S.*?)\s+time:\s+\[(.+)\]\s*$/.exec(line);
  if (m) return { kind: "result", id: m[1]!.trim(), time: m[2]!.trim() };
  m = /^\s+time:\s+\[(.+)\]\s*$/.exec(line);
  if (m && pendingId) return { kind: "result", id: pendingId, time: m[1]!.trim() };
  if (/^Warning: /.test(line)) return { kind: "warning", text: line };
  return null;
}
