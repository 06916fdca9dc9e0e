import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCargoBuildMessages, buildError } from "../lib/trigger/cargoBuild.js";
import { criterionFlags, criterionProgress } from "../lib/trigger/criterionCli.js";
import { harnessByTarget, criterionVersionOf, parseCargoMetadata } from "../lib/trigger/cargoMetadata.js";
import { parseRustcVerbose } from "../lib/capture/manifest.js";
import { formatRunEvent } from "../lib/trigger/events.js";

test("criterionFlags: 0.3 takes whole seconds, 0.4+ fractions; full keeps defaults", () => {
  assert.deepEqual(criterionFlags("quick", "0.3.6"), ["--noplot", "--warm-up-time", "1", "--measurement-time", "1", "--sample-size", "10", "--nresamples", "1000"]);
  assert.deepEqual(criterionFlags("quick", "0.5.1").slice(0, 3), ["--noplot", "--warm-up-time", "0.5"]);
  assert.equal(criterionFlags("quick", "0.4.0")[2], "0.5");
  assert.equal(criterionFlags("quick", "0.2.11")[2], "1");
  assert.deepEqual(criterionFlags("full", "0.3.6"), ["--noplot"]);
});

test("criterionProgress reads Criterion 0.3 non-tty stdout lines", () => {
  assert.deepEqual(criterionProgress("Benchmarking pingpong/tokio_mpsc/100"), { kind: "start", id: "pingpong/tokio_mpsc/100" });
  assert.deepEqual(criterionProgress("Benchmarking pingpong/tokio_mpsc/100: Warming up for 1.0000 s"), { kind: "warmup", id: "pingpong/tokio_mpsc/100" });
  assert.deepEqual(criterionProgress("Benchmarking pingpong/tokio_mpsc/100: Collecting 10 samples in estimated 1.0581 s (605 iterations)"),
    { kind: "collect", id: "pingpong/tokio_mpsc/100", samples: 10, estimatedSeconds: 1.0581, iterations: 605 });
  assert.deepEqual(criterionProgress("Benchmarking pingpong/tokio_mpsc/100: Analyzing"), { kind: "analyze", id: "pingpong/tokio_mpsc/100" });
  assert.deepEqual(criterionProgress("pingpong/tokio_mpsc/100 time:   [1.5494 ms 1.6546 ms 1.7646 ms]"),
    { kind: "result", id: "pingpong/tokio_mpsc/100", time: "1.5494 ms 1.6546 ms 1.7646 ms" });
  // a long id wraps: the time line alone belongs to the id printed just before
  assert.deepEqual(criterionProgress("                        time:   [1.0 us 2.0 us 3.0 us]", "a_very_long_group_name/function/123456"),
    { kind: "result", id: "a_very_long_group_name/function/123456", time: "1.0 us 2.0 us 3.0 us" });
  assert.equal(criterionProgress("                        thrpt:  [56.669 Kelem/s 60.439 Kelem/s 64.542 Kelem/s]"), null);
  assert.deepEqual(criterionProgress("\u001b[32mWarning: Unable to complete 10 samples in 1.0s.\u001b[0m"), { kind: "warning", text: "Warning: Unable to complete 10 samples in 1.0s." });
  assert.equal(formatRunEvent({ type: "progress", target: "t", progress: { kind: "collect", id: "x/y", samples: 10, estimatedSeconds: 1.0581, iterations: 605 } }), "  x/y: collecting 10 samples (~1.1 s)");
});

const ARTIFACT = JSON.stringify({ reason: "compiler-artifact", package_id: "path+file:///w/bench#0.1.0", target: { kind: ["bench"], name: "pingpong" }, executable: "/w/target/release/deps/pingpong-34be6806ca9a18f9", fresh: false });
const LIB = JSON.stringify({ reason: "compiler-artifact", package_id: "x", target: { kind: ["lib"], name: "core" }, executable: null });
const ERROR = JSON.stringify({ reason: "compiler-message", message: { level: "error", message: "mismatched types", rendered: "error[E0308]: mismatched types", spans: [{ file_name: "benches/pingpong.rs", line_start: 76, column_start: 20, is_primary: true }] } });

test("parseCargoBuildMessages finds bench executables and compile errors", () => {
  const ok = parseCargoBuildMessages(["   Compiling x", LIB, ARTIFACT, JSON.stringify({ reason: "build-finished", success: true })].join("\n"));
  assert.equal(ok.success, true);
  assert.deepEqual(ok.artifacts, [{ target: "pingpong", executable: "/w/target/release/deps/pingpong-34be6806ca9a18f9", packageId: "path+file:///w/bench#0.1.0" }]);
  const bad = parseCargoBuildMessages([ERROR, JSON.stringify({ reason: "build-finished", success: false })].join("\n"));
  assert.equal(bad.success, false);
  const err = buildError(bad, "error: could not compile `bench`", "/w");
  assert.equal(err.code, "build");
  assert.equal(err.message, "compile error at benches/pingpong.rs:76:20: mismatched types");
});

test("buildError tells unreachable crates apart from other cargo failures", () => {
  const empty = { success: false, artifacts: [], errors: [] };
  const offline = buildError(empty, "error: no matching package named `criterion` found\nlocation searched: registry `crates-io`\n", "/w");
  assert.equal(offline.code, "crates-unreachable");
  assert.match(offline.message, /no matching package named `criterion`/);
  const other = buildError(empty, "error: failed to parse manifest at `/w/Cargo.toml`\n", "/w");
  assert.equal(other.code, "build");
});

test("harnessByTarget reads [[bench]] harness flags; undeclared targets default to libtest", () => {
  const toml = `[package]\nname = "b"\n[[bench]]\nname = "message_throughput"\nharness = false\n[[bench]]\nname = "declared_libtest"\n`;
  const h = harnessByTarget(toml, "Cargo.toml");
  assert.equal(h.get("message_throughput"), false);
  assert.equal(h.get("declared_libtest"), true);
  assert.equal(h.get("main"), undefined);
  assert.throws(() => harnessByTarget("[[bench]\nname=", "/w/Cargo.toml"), /\/w\/Cargo.toml: not valid TOML/);
});

test("criterionVersionOf takes the resolved version from the resolve graph", () => {
  const meta = parseCargoMetadata(JSON.stringify({
    workspace_members: ["b 0.1.0"], workspace_root: "/w", target_directory: "/w/target",
    packages: [
      { id: "b 0.1.0", name: "b", version: "0.1.0", manifest_path: "/w/Cargo.toml", targets: [], dependencies: [{ name: "criterion", kind: "dev", req: "^0.3" }] },
      { id: "criterion 0.3.6", name: "criterion", version: "0.3.6", manifest_path: "/r/Cargo.toml", targets: [], dependencies: [] },
    ],
    resolve: { nodes: [{ id: "b 0.1.0", deps: [{ name: "criterion", pkg: "criterion 0.3.6" }] }] },
  }));
  assert.equal(criterionVersionOf(meta, meta.packages[0]!), "0.3.6");
  assert.throws(() => parseCargoMetadata("warning: x\n{"), /not JSON/);
});

test("parseRustcVerbose", () => {
  const r = parseRustcVerbose("rustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc\ncommit-hash: 59807616e\nhost: x86_64-unknown-linux-gnu\nrelease: 1.95.0\nLLVM version: 20.1.8\n");
  assert.equal(r["version"], "rustc 1.95.0 (59807616e 2026-04-14)");
  assert.equal(r["host"], "x86_64-unknown-linux-gnu");
  assert.equal(r["LLVM version"], "20.1.8");
});
