// End to end: the real cargo builds and runs the reference workload through `litlab run host`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { hasCommand, requireTool } from "./helpers/tools.js";
import { loadRun } from "../lib/store/runFolder.js";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = join(ROOT, "bin", "litlab.js");
const REGISTRY = "/usr/share/cargo/registry";
const litlab = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 15 * 60_000 });

test("litlab run host runs every Criterion target of the workload and stores tidy rows", { timeout: 15 * 60_000 }, async (t) => {
  if (!requireTool(t, "cargo", hasCommand("cargo"))) return;
  if (!requireTool(t, "Debian Rust crates", existsSync(join(REGISTRY, "criterion-0.3.6")) || existsSync(REGISTRY), "apt-get install librust-criterion-dev librust-tokio-dev")) return;
  const runs = await mkdtemp(join(tmpdir(), "litlab-e2e-"));
  const r = litlab(["run", "host", "--workspace", "workloads/host-actors", "--profile", "quick", "--runs", runs, "--offline-registry", REGISTRY, "--json"]);
  assert.equal(r.status, 0, `litlab run host failed:\n${r.stderr}`);
  const summary = JSON.parse(r.stdout.trim().split("\n").pop()!) as { dir: string; status: string; rows: number };
  assert.equal(summary.status, "ok");
  // progress lines were streamed while Criterion ran
  assert.match(r.stderr, /message_throughput\/tokio_single\/1000: collecting 10 samples/);

  const run = await loadRun(summary.dir);
  const m = run.manifest;
  assert.equal(m.criterionVersion, "0.3.6");
  assert.deepEqual(m.criterionFlags, ["--noplot", "--warm-up-time", "1", "--measurement-time", "1", "--sample-size", "10", "--nresamples", "1000"]);
  const byName = new Map(m.targets.map((x) => [x.name, x]));
  assert.equal(byName.get("message_throughput")?.status, "ok");
  assert.equal(byName.get("pingpong")?.status, "ok");
  assert.equal(byName.get("main")?.status, "skipped");
  assert.equal(byName.get("main")?.harness, "libtest");
  assert.match(m.toolchain.rustc?.["release"] ?? "", /^\d+\.\d+\.\d+/);
  assert.ok(m.host.cores >= 1);
  assert.ok(Date.parse(m.endedAt!) >= Date.parse(m.startedAt));
  // CRITERION_HOME is absolute and inside the run folder
  const est = join(summary.dir, "raw/criterion/message_throughput/tokio_single/1000/new/estimates.json");
  assert.ok(existsSync(est), `${est} missing`);

  const runtimes = ["tokio_single", "tokio_multi", "futures_lite", "std_thread"];
  for (const rt of runtimes) for (const batch of ["1000", "10000"]) {
    const id = `message_throughput/${rt}/${batch}`;
    const typical = run.rows.find((x) => x.id === id && x.metric === "time" && x.stat === "typical");
    assert.ok(typical, `no typical time for ${id}`);
    assert.equal(typical.unit, "ns");
    assert.equal(typical.function, rt);
    assert.equal(typical.param, batch);
    assert.ok(typical.lower! <= typical.value && typical.value <= typical.upper!);
    // the row is exactly what Criterion wrote (slope under linear sampling)
    const file = JSON.parse(await readFile(join(summary.dir, "raw/criterion", id, "new/estimates.json"), "utf8")) as { slope: { point_estimate: number } };
    assert.equal(typical.value, file.slope.point_estimate);
    const thr = run.rows.find((x) => x.id === id && x.metric === "throughput");
    assert.ok(thr);
    assert.equal(thr.unit, "elements/s");
    assert.ok(Math.abs(thr.value - (Number(batch) * 1e9) / typical.value) < 1e-6 * thr.value);
  }
  const pingpong = new Set(run.rows.filter((x) => x.group === "pingpong").map((x) => x.function));
  assert.deepEqual([...pingpong].sort(), [...runtimes].sort());
  assert.ok(run.samples.some((s) => s.id === "pingpong/tokio_single/100" && s.iterations > 0 && s.total_ns > 0));
});

test("a compile error comes back as one line naming file:line, and nothing else is lost", { timeout: 5 * 60_000 }, async (t) => {
  if (!requireTool(t, "cargo", hasCommand("cargo"))) return;
  const ws = await mkdtemp(join(tmpdir(), "litlab-broken-"));
  await mkdir(join(ws, "benches"));
  await mkdir(join(ws, "src"));
  await writeFile(join(ws, "Cargo.toml"), `[package]\nname = "broken"\nversion = "0.1.0"\nedition = "2021"\n\n[[bench]]\nname = "oops"\nharness = false\n`);
  await writeFile(join(ws, "src", "lib.rs"), "pub fn f() -> u32 { 1 }\n");
  await writeFile(join(ws, "benches", "oops.rs"), "fn main() {\n    let x: u32 = \"not a number\";\n    println!(\"{x}\");\n}\n");
  const runs = await mkdtemp(join(tmpdir(), "litlab-broken-runs-"));
  const r = litlab(["run", "host", "--workspace", ws, "--runs", runs]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^litlab: compile error at benches\/oops\.rs:2:\d+: mismatched types \(failed run stored in .+\)\n$/m);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace for a user's compile error");
  // the failed run is still stored, with its raw build output
  const [runDir] = (await import("node:fs")).readdirSync(runs);
  const manifest = JSON.parse(await readFile(join(runs, runDir!, "manifest.json"), "utf8")) as { status: string };
  assert.equal(manifest.status, "failed");
  assert.ok(existsSync(join(runs, runDir!, "raw/build.jsonl")));
});

test("bad usage of run host: one line, exit 2", () => {
  const missing = litlab(["run", "host", "--workspace", "/nonexistent/lit-bit"]);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, "litlab: /nonexistent/lit-bit has no Cargo.toml; point --workspace at a cargo workspace\n");
  const profile = litlab(["run", "host", "--workspace", ".", "--profile", "fast"]);
  assert.equal(profile.status, 2);
  assert.match(profile.stderr, /--profile must be quick or full/);
  const filter = litlab(["run", "host", "--workspace", "workloads/host-actors", "--filter", "("]);
  assert.equal(filter.status, 2);
  assert.match(filter.stderr, /^litlab: --filter "\(" is not a valid regular expression/);
  const registry = litlab(["run", "host", "--workspace", "workloads/host-actors", "--offline-registry", "/nonexistent/registry"]);
  assert.equal(registry.status, 2);
  assert.match(registry.stderr, /^litlab: offline registry \/nonexistent\/registry does not exist/);
  const unknown = litlab(["frobnicate"]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});
