/**
 * RSS timeline of a process tree from /proc: every tick, the VmRSS and VmHWM (kB) of the profiled process and all
 * its descendants. The parsers are pure (text in, numbers out); `RssSampler` is the thin I/O loop.
 */
import { readdir, readFile } from "node:fs/promises";
import type { MemoryTimelineRow } from "../ingest/memoryRows.js";
import type { TidyRow } from "../ingest/rows.js";

/** One line of raw/rss.jsonl: one process at one tick. */
export interface RssSample {
  /** Milliseconds since the program was started; every process of one tick shares it. */
  t_ms: number;
  pid: number;
  vmrss_kb: number;
  vmhwm_kb: number | null;
}

export interface ProcStatus {
  name: string | null;
  pid: number | null;
  ppid: number | null;
  /** Resident set size now, kB (absent for kernel threads and zombies). */
  vmrss_kb: number | null;
  /** Peak resident set size ("high water mark") the kernel saw, kB. */
  vmhwm_kb: number | null;
}

/** `/proc/PID/status` text → the fields litlab uses. Values are in kB as the kernel prints them (`VmRSS:  1234 kB`). */
export function parseProcStatus(text: string): ProcStatus {
  const out: ProcStatus = { name: null, pid: null, ppid: null, vmrss_kb: null, vmhwm_kb: null };
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const key = line.slice(0, i);
    const value = line.slice(i + 1).trim();
    const kb = (): number | null => {
      const m = /^(\d+)\s*kB$/.exec(value);
      return m ? Number(m[1]) : null;
    };
    switch (key) {
      case "Name": out.name = value; break;
      case "Pid": out.pid = /^\d+$/.test(value) ? Number(value) : null; break;
      case "PPid": out.ppid = /^\d+$/.test(value) ? Number(value) : null; break;
      case "VmRSS": out.vmrss_kb = kb(); break;
      case "VmHWM": out.vmhwm_kb = kb(); break;
    }
  }
  return out;
}

/**
 * `/proc/PID/stat` text → its parent pid. The command name (field 2) is in parentheses and may itself hold spaces
 * and `)`, so the fields are counted from the LAST `)`: state, then ppid.
 */
export function parseProcStatPpid(text: string): number | null {
  const close = text.lastIndexOf(")");
  if (close < 0) return null;
  const fields = text.slice(close + 1).trim().split(/\s+/);
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) && ppid >= 0 ? ppid : null;
}

/** Every descendant of `root` (and root itself) given a pid → ppid map. */
export function processTree(root: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid);
    if (list) list.push(pid); else children.set(ppid, [pid]);
  }
  const out: number[] = [];
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * Samples → one timeline row per tick, RSS summed over the process tree (bytes = kB × 1024). The tick with the
 * largest sum is the `peak` (the first one on a tie).
 */
export function rssTimeline(samples: readonly RssSample[], meta: { id?: string; source?: string } = {}): MemoryTimelineRow[] {
  const byTick = new Map<number, number>();
  for (const s of samples) byTick.set(s.t_ms, (byTick.get(s.t_ms) ?? 0) + s.vmrss_kb);
  const ticks = [...byTick.entries()].sort((a, b) => a[0] - b[0]);
  let peakIndex = -1;
  let peakKb = -1;
  ticks.forEach(([, kb], i) => { if (kb > peakKb) { peakKb = kb; peakIndex = i; } });
  return ticks.map(([t, kb], index) => ({
    id: meta.id ?? "process", source: meta.source ?? "raw/rss.jsonl", tool: "rss", index, t, t_unit: "ms",
    heap_bytes: null, extra_heap_bytes: null, stacks_bytes: null, rss_bytes: kb * 1024, peak: index === peakIndex,
  }));
}

/**
 * Summary figures of an RSS capture as tidy rows (metric `rss`, unit bytes): `peak_bytes` is the largest sampled
 * sum over the tree (misses peaks between ticks); `hwm_bytes` is the largest VmHWM any one process reported, the
 * kernel's own peak, which no sampling interval can miss (but it is per process, not summed).
 */
export function rssSummaryRows(samples: readonly RssSample[], meta: { id: string; source?: string }): TidyRow[] {
  if (samples.length === 0) return [];
  const timeline = rssTimeline(samples, meta);
  const peak = Math.max(...timeline.map((r) => r.rss_bytes ?? 0));
  const hwms = samples.map((s) => s.vmhwm_kb).filter((v): v is number => v !== null);
  const row = (stat: string, value: number, unit = "bytes"): TidyRow => ({
    id: meta.id, group: meta.id.split("/")[0]!, function: null, param: null, source: meta.source ?? "raw/rss.jsonl",
    format: "proc-status", metric: "rss", stat, value, unit, lower: null, upper: null, confidence: null, baseline: "new",
  });
  return [
    row("peak_bytes", peak),
    ...(hwms.length ? [row("hwm_bytes", Math.max(...hwms) * 1024)] : []),
    row("samples", timeline.length, "count"),
    row("processes", new Set(samples.map((s) => s.pid)).size, "count"),
  ];
}

async function readText(path: string): Promise<string | null> {
  try { return await readFile(path, "utf8"); } catch { return null; }
}

/** pid → ppid for every process visible in /proc (processes that vanish mid-walk are skipped). */
async function parentMap(): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readText(`/proc/${name}/stat`);
    const ppid = stat === null ? null : parseProcStatPpid(stat);
    if (ppid !== null) map.set(Number(name), ppid);
  }
  return map;
}

/** Parses /proc/PID/task/TID/children: space-separated pids. */
export function parseChildren(text: string): number[] {
  return text.split(/\s+/).filter((t) => /^\d+$/.test(t)).map(Number);
}

/**
 * Direct children of `pid` from /proc/PID/task/STAR/children (a child forked by any thread is listed under that
 * thread). null when the kernel lacks CONFIG_PROC_CHILDREN: then the caller walks every /proc/STAR/stat instead.
 */
async function childrenOf(pid: number): Promise<number[] | null> {
  let tasks: string[];
  try { tasks = await readdir(`/proc/${pid}/task`); } catch { return []; } // gone
  const out: number[] = [];
  for (const tid of tasks) {
    try {
      out.push(...parseChildren(await readFile(`/proc/${pid}/task/${tid}/children`, "utf8")));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT" && (await readText(`/proc/${pid}/task/${tid}/stat`)) !== null) return null;
    }
  }
  return out;
}

/**
 * Samples the process tree of one child of this Node process. runProcess does not hand out the child's pid, so
 * the child is recognised by a marker variable in its environment (`marker` = `NAME=VALUE`, unique per run): the
 * direct child of `process.pid` whose /proc/PID/environ holds it is the root. Descendants are read from the
 * kernel's children lists (a few reads per tick, so 20 ms ticks hold even on a loaded machine), or by walking
 * every process's ppid where the kernel has no children lists.
 */
export class RssSampler {
  private readonly samples: RssSample[] = [];
  private root: number | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private readonly t0 = performance.now();
  private childrenLists = true;

  constructor(private readonly marker: string, private readonly intervalMs = 20) {}

  start(): void {
    this.loop = this.run();
  }

  /** Stops sampling and returns every sample taken. */
  async stop(): Promise<RssSample[]> {
    this.stopped = true;
    await this.loop;
    return this.samples;
  }

  private async hasMarker(pid: number): Promise<boolean> {
    const env = await readText(`/proc/${pid}/environ`);
    return env !== null && env.split("\0").includes(this.marker);
  }

  private async findRoot(): Promise<number | null> {
    let candidates = this.childrenLists ? await childrenOf(process.pid) : null;
    if (candidates === null) {
      this.childrenLists = false;
      candidates = [...(await parentMap())].filter(([, ppid]) => ppid === process.pid).map(([pid]) => pid);
    }
    for (const pid of candidates) if (await this.hasMarker(pid)) return pid;
    return null;
  }

  private async tree(root: number): Promise<number[]> {
    if (!this.childrenLists) return processTree(root, await parentMap());
    const out: number[] = [];
    const queue = [root];
    while (queue.length) {
      const pid = queue.shift()!;
      out.push(pid);
      const kids = await childrenOf(pid);
      if (kids === null) { this.childrenLists = false; return processTree(root, await parentMap()); }
      queue.push(...kids);
    }
    return out;
  }

  private async tick(): Promise<void> {
    const t = Math.round(performance.now() - this.t0);
    if (this.root === null) this.root = await this.findRoot();
    if (this.root === null) return;
    for (const pid of await this.tree(this.root)) {
      const status = await readText(`/proc/${pid}/status`);
      if (status === null) continue;
      const s = parseProcStatus(status);
      // zombies and kernel threads have no VmRSS: nothing resident to count
      if (s.vmrss_kb !== null) this.samples.push({ t_ms: t, pid, vmrss_kb: s.vmrss_kb, vmhwm_kb: s.vmhwm_kb });
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const began = performance.now();
      await this.tick();
      const wait = Math.max(0, this.intervalMs - (performance.now() - began));
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
