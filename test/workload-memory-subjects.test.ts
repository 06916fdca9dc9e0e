// The memory subject programs of the reference workload (workloads/host-actors/memory-subjects), built with the real
// cargo and run: the `litlab-memory` lines a capture reads, and a sanity check that max RSS grows with the actor count.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { hasCommand, requireTool } from "./helpers/tools.js";

const WORKSPACE = resolve(import.meta.dirname, "..", "workloads", "host-actors");
const TARGET = join(WORKSPACE, "target");
const BIN = join(TARGET, "release");
const REGISTRY = "/usr/share/cargo/registry";

let built: { ok: true } | { ok: false; why: string } | undefined;

/** Builds the three programs once per test file (Debian's registry when present, else crates.io as usual). */
function build(): { ok: true } | { ok: false; why: string } {
  if (built) return built;
  const offline = existsSync(REGISTRY)
    ? ["--config", 'source.crates-io.replace-with="debian"', "--config", `source.debian.directory="${REGISTRY}"`, "--offline"]
    : [];
  const r = spawnSync("cargo", [...offline, "build", "--release", "-p", "memory-subjects"], {
    cwd: WORKSPACE,
    env: { ...process.env, CARGO_TARGET_DIR: TARGET },
    encoding: "utf8",
    timeout: 15 * 60_000,
  });
  built = r.status === 0 ? { ok: true } : { ok: false, why: `cargo build failed (${r.status}):\n${r.stderr.slice(-3000)}` };
  return built;
}

interface Run { status: number | null; stdout: string; stderr: string; lines: Record<string, unknown>[] }

function run(program: string, args: string[], wrap: string[] = []): Run {
  const cmd = wrap.length > 0 ? wrap[0]! : join(BIN, program);
  const argv = wrap.length > 0 ? [...wrap.slice(1), join(BIN, program), ...args] : args;
  const r = spawnSync(cmd, argv, { encoding: "utf8", timeout: 120_000 });
  const lines = r.stdout
    .split("\n")
    .filter((l) => l.startsWith("litlab-memory "))
    .map((l) => JSON.parse(l.slice("litlab-memory ".length)) as Record<string, unknown>);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines };
}

function ready(t: import("node:test").TestContext): boolean {
  if (!requireTool(t, "cargo", hasCommand("cargo"))) return false;
  const b = build();
  assert.ok(b.ok, b.ok ? "" : b.why);
  return true;
}

test("hold-actors prints the holding line and exits 0", { timeout: 15 * 60_000 }, (t) => {
  if (!ready(t)) return;
  const r = run("hold-actors", ["--runtime", "tokio_single", "--actors", "100", "--hold-ms", "10"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.lines[0], { runtime: "tokio_single", actors: 100, capacity: 16, phase: "holding" });
  assert.deepEqual(r.lines.at(-1), { runtime: "tokio_single", actors: 100, phase: "stopped" });
  // Every runtime, a non-default capacity, and --stop false (exit while holding, for at-exit profilers).
  for (const runtime of ["tokio_multi", "futures_lite", "std_thread"]) {
    const o = run("hold-actors", ["--runtime", runtime, "--actors", "50", "--capacity", "4", "--hold-ms", "1"]);
    assert.equal(o.status, 0, `${runtime}: ${o.stderr}`);
    assert.deepEqual(o.lines[0], { runtime, actors: 50, capacity: 4, phase: "holding" });
  }
  const noStop = run("hold-actors", ["--runtime", "std_thread", "--actors", "20", "--hold-ms", "1", "--stop", "false"]);
  assert.equal(noStop.status, 0, noStop.stderr);
  assert.deepEqual(noStop.lines.map((l) => l["phase"]), ["holding"]);
});

test("bad arguments exit 2 with one usage line", { timeout: 15 * 60_000 }, (t) => {
  if (!ready(t)) return;
  const r = run("hold-actors", ["--runtime", "embassy", "--actors", "3"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^hold-actors: unknown runtime 'embassy'/);
  assert.equal(run("fill-mailbox", ["--runtime", "tokio_single"]).status, 2); // --messages missing
  assert.equal(run("fill-mailbox", ["--runtime", "tokio_single", "--messages", "10", "--capacity", "5"]).status, 2);
});

test("fill-mailbox queues M messages in a paused actor, then drains them", { timeout: 15 * 60_000 }, (t) => {
  if (!ready(t)) return;
  for (const runtime of ["tokio_single", "futures_lite", "std_thread"]) {
    const r = run("fill-mailbox", ["--runtime", runtime, "--messages", "1000", "--message-bytes", "64", "--hold-ms", "1"]);
    assert.equal(r.status, 0, `${runtime}: ${r.stderr}`);
    assert.deepEqual(r.lines[0], { runtime, messages: 1000, message_bytes: 64, capacity: 1000, phase: "holding" });
    // The program asserts the actor handled all 1000 before printing "stopped".
    assert.deepEqual(r.lines.at(-1), { runtime, messages: 1000, phase: "stopped" });
  }
});

test("churn prints a sample every 100 ms and stops every actor at the end", { timeout: 15 * 60_000 }, (t) => {
  if (!ready(t)) return;
  const r = run("churn", ["--runtime", "tokio_single", "--seconds", "1", "--max-message-bytes", "1024", "--max-actors", "32"]);
  assert.equal(r.status, 0, r.stderr);
  const samples = r.lines.filter((l) => l["phase"] === undefined);
  // 1 s at 100 ms: samples at 0, 100, …, 1000 ms (11), give or take one at the edges on a busy machine.
  assert.ok(samples.length >= 9 && samples.length <= 12, `${samples.length} samples`);
  const times = samples.map((s) => s["t_ms"] as number);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  for (const s of samples) assert.ok((s["live_actors"] as number) <= 32);
  const done = r.lines.at(-1)!;
  assert.equal(done["phase"], "done");
  assert.equal(done["handled"], done["messages"]);
  assert.ok((done["spawned"] as number) > 0);
});

test("max RSS under /usr/bin/time -v grows with the actor count (sanity, tokio_single)", { timeout: 15 * 60_000 }, (t) => {
  if (!requireTool(t, "GNU time", existsSync("/usr/bin/time") && hasCommand("/usr/bin/time", ["-v", "true"]), "apt-get install time")) return;
  if (!ready(t)) return;
  const rss: number[] = [];
  for (const n of [100, 1000, 10_000]) {
    const r = run("hold-actors", ["--runtime", "tokio_single", "--actors", String(n), "--hold-ms", "10"], ["/usr/bin/time", "-v"]);
    assert.equal(r.status, 0, r.stderr);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    assert.ok(m, `no max RSS in:\n${r.stderr}`);
    rss.push(Number(m[1]) * 1024);
  }
  assert.ok(rss[2]! > rss[1]! && rss[2]! > rss[0]!, `max RSS ${rss.join(", ")} bytes does not grow with N`);
  // Loose bounds only: an idle Tokio actor with a 16-slot mailbox costs hundreds of bytes to a few kB of RSS.
  const perActor = (rss[2]! - rss[0]!) / 9900;
  assert.ok(perActor > 50 && perActor < 100_000, `${perActor} bytes per actor`);
});
