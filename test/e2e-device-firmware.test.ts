// End to end on the reference firmware: built with buildFirmware, run through litlab's QEMU runner (semihosting and
// QEMU's -serial pty), stored as device run folders, reindexed, and joined with the bundled host run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { hasCommand, requireTool } from "./helpers/tools.js";
import { buildFirmware } from "../lib/trigger/firmwareBuild.js";
import { runDevice } from "../lib/trigger/device/deviceRun.js";
import { reindexRun } from "../lib/store/reindex.js";
import { loadRun } from "../lib/store/runFolder.js";
import { deviceVsHost } from "../lib/analyze/deviceVsHost.js";
import type { TidyRow } from "../lib/ingest/rows.js";

const ROOT = resolve(import.meta.dirname, "..");
const BUNDLED_HOST = join(ROOT, "data/bundled/20261204-071057-host-host-actors");

const tickRows = (rows: readonly TidyRow[]): string[] =>
  rows.filter((r) => r.unit === "ticks").map((r) => `${r.id} ${r.metric} ${r.stat} ${r.value} ${r.clock}`).sort();

test("reference firmware through litlab run device: deterministic, complete on both channels, reindexable", { timeout: 15 * 60_000 }, async (t) => {
  if (!requireTool(t, "/usr/bin/cargo", hasCommand("/usr/bin/cargo"), "apt-get install -y rustc-web cargo-web rust-web-src")) return;
  if (!requireTool(t, "qemu-system-arm", hasCommand("qemu-system-arm"), "apt-get install -y qemu-system-arm")) return;
  const { elf } = await buildFirmware({ dir: join(ROOT, "workloads/firmware"), target: "thumbv7m-none-eabi" });
  const runs = await mkdtemp(join(tmpdir(), "litlab-device-e2e-"));
  try {
    const a = await runDevice({ qemu: { elf }, runsRoot: runs, label: "a" });
    const b = await runDevice({ qemu: { elf }, runsRoot: runs, label: "b" });
    for (const r of [a, b]) {
      assert.equal(r.manifest.status, "ok", JSON.stringify(r.manifest.device));
      assert.equal(r.capture.complete, true);
      assert.equal(r.manifest.kind, "device");
      assert.equal(r.manifest.device?.icountShift, 0);
    }
    // -icount shift=0: two runs of the same ELF give identical tick counts, all labelled as emulated
    assert.deepEqual(tickRows(a.rows), tickRows(b.rows));
    assert.ok(a.rows.length > 20);
    assert.ok(a.rows.every((r) => r.clock === "icount"));
    const mean = (id: string): number => a.rows.find((r) => r.id === id && r.metric === "time" && r.stat === "mean")!.value;
    // 10× the messages: ~10× the ticks (the loop is linear; measured 6375.7 vs 638 per iteration)
    const ratio = mean("message_throughput/no_std/10000") / mean("message_throughput/no_std/1000");
    assert.ok(ratio > 9 && ratio < 11, `ratio ${ratio}`);
    // end record count = records between begin and end: 4 bench + heap + lat + 128 samples + hist + stack = 136
    assert.equal(a.capture.end?.records, 136);
    assert.equal(a.capture.records.length, 136);

    // the UART through QEMU's -serial pty, read with serialport: the same records
    const pty = await runDevice({ qemu: { elf, channel: "uart" }, runsRoot: runs, label: "pty" });
    assert.equal(pty.manifest.status, "ok", JSON.stringify(pty.manifest.device));
    assert.equal(pty.capture.complete, true);
    assert.deepEqual(tickRows(pty.rows), tickRows(a.rows));

    // tables are derived data: reindex rebuilds them byte for byte from raw/device.log
    const before = await readFile(join(a.dir, "tables/rows.jsonl"), "utf8");
    const samplesBefore = await readFile(join(a.dir, "tables/device-samples.jsonl"), "utf8");
    await reindexRun(a.dir);
    assert.equal(await readFile(join(a.dir, "tables/rows.jsonl"), "utf8"), before);
    assert.equal(await readFile(join(a.dir, "tables/device-samples.jsonl"), "utf8"), samplesBefore);

    // loaded from the store: per-event latency samples, and a join with the host run on group + param
    const loaded = await loadRun(a.dir);
    const lat = loaded.deviceSamples.filter((s) => s.id === "interrupt_latency/systick_to_actor");
    assert.equal(lat.length, 128);
    const latMean = a.rows.find((r) => r.id === "interrupt_latency/systick_to_actor" && r.stat === "mean")!.value;
    assert.ok(Math.abs(latMean - lat.reduce((s, x) => s + x.ticks, 0) / lat.length) < 1e-9);
    const host = await loadRun(BUNDLED_HOST);
    const joined = deviceVsHost([...host.rows, ...loaded.rows]).objects() as { benchmark: string; side: string; paired: boolean }[];
    const paired = new Set(joined.filter((r) => r.paired).map((r) => r.benchmark));
    assert.deepEqual([...paired].sort(), ["message_throughput/1000", "message_throughput/10000", "pingpong/100"]);

    // the CLI: exit 0, the run folder on stdout as JSON
    const cli = await execa("node", [join(ROOT, "bin/litlab.js"), "run", "device", "--qemu", elf, "--runs", runs, "--json"], { reject: false });
    assert.equal(cli.exitCode, 0, cli.stderr);
    assert.equal(JSON.parse(cli.stdout.trim().split("\n").pop()!).status, "ok");
  } finally {
    await rm(runs, { recursive: true, force: true });
  }
});

test("riscv32 firmware on QEMU virt through litlab run device: complete, mcycle under icount", { timeout: 15 * 60_000 }, async (t) => {
  if (!requireTool(t, "/usr/bin/cargo", hasCommand("/usr/bin/cargo"), "apt-get install -y rustc-web cargo-web rust-web-src lld-22")) return;
  if (!requireTool(t, "qemu-system-riscv32", hasCommand("qemu-system-riscv32"), "apt-get install -y qemu-system-misc")) return;
  const { elf } = await buildFirmware({ dir: join(ROOT, "workloads/firmware"), target: "riscv32imac-unknown-none-elf" });
  const runs = await mkdtemp(join(tmpdir(), "litlab-device-rv-"));
  try {
    const a = await runDevice({ qemu: { elf }, runsRoot: runs, label: "rv-a" });
    const b = await runDevice({ qemu: { elf }, runsRoot: runs, label: "rv-b" });
    assert.equal(a.manifest.status, "ok", JSON.stringify(a.manifest.device));
    assert.equal(a.manifest.device?.machine, "virt");
    assert.equal(a.capture.begin?.target, "riscv32imac-unknown-none-elf");
    assert.equal(a.capture.begin?.clock, "mcycle");
    assert.ok(a.capture.complete);
    assert.deepEqual(tickRows(a.rows), tickRows(b.rows));
    assert.ok(a.rows.some((r) => r.id === "message_throughput/no_std/1000" && r.stat === "mean" && r.value > 0));
  } finally {
    await rm(runs, { recursive: true, force: true });
  }
});
