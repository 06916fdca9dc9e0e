// The reference firmware (workloads/firmware) built with buildFirmware and run under QEMU directly:
// the records it prints (device record protocol v1), its determinism under -icount, and its exit status.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, realpathSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import type { TestContext } from "node:test";
import { hasCommand, requireTool } from "./helpers/tools.js";
import { buildFirmware, firmwareArtifact, RUST_SRC, type FirmwareBuild, type FirmwareTarget } from "../lib/trigger/firmwareBuild.js";
import { LitlabError } from "../lib/errors.js";

const ROOT = resolve(import.meta.dirname, "..");
const FIRMWARE = join(ROOT, "workloads", "firmware");
const BUILD_TIMEOUT = 10 * 60_000;

const ARM = "thumbv7m-none-eabi";
const RISCV = "riscv32imac-unknown-none-elf";
const BENCH_IDS = ["message_throughput/no_std/1000", "message_throughput/no_std/10000", "pingpong/no_std/100", "heap/boxed_messages/100"];
const LATENCY_ID = "interrupt_latency/systick_to_actor";

function lldWorks(): boolean {
  try { return existsSync(realpathSync("/usr/bin/rust-lld")); } catch { return false; }
}

/** Skips (or fails under LITLAB_REQUIRE_TOOLS=1) when the toolchain for `target` is missing. */
function toolsFor(t: TestContext, target: FirmwareTarget): boolean {
  return requireTool(t, "/usr/bin/cargo", hasCommand("/usr/bin/cargo"), "apt-get install -y rustc-web cargo-web rust-web-src")
    && requireTool(t, "rust-src", existsSync(join(RUST_SRC, "core")), "apt-get install -y rust-web-src")
    && (target === ARM
      ? requireTool(t, "qemu-system-arm", hasCommand("qemu-system-arm")) && requireTool(t, "arm-none-eabi-gcc", hasCommand("arm-none-eabi-gcc"))
      : requireTool(t, "qemu-system-riscv32", hasCommand("qemu-system-riscv32")) && requireTool(t, "rust-lld", lldWorks(), "apt-get install -y lld-22"));
}

// One build per target for the whole file (the first compiles core: ~30 s).
const builds = new Map<FirmwareTarget, Promise<FirmwareBuild>>();
const build = (target: FirmwareTarget): Promise<FirmwareBuild> => {
  let b = builds.get(target);
  if (!b) { b = buildFirmware({ dir: FIRMWARE, target, timeoutMs: BUILD_TIMEOUT }); builds.set(target, b); }
  return b;
};

interface QemuRun { exitCode: number | undefined; stdout: string; uart: string; ms: number }

/** Runs the ELF: semihosting → stdout, UART → a file, deterministic icount, `-append` words. */
async function qemu(target: FirmwareTarget, elf: string, append = "icount"): Promise<QemuRun> {
  const dir = await mkdtemp(join(tmpdir(), "litlab-fw-"));
  const uartFile = join(dir, "uart.log");
  const [bin, machine] = target === ARM ? ["qemu-system-arm", ["-M", "mps2-an385"]] : ["qemu-system-riscv32", ["-M", "virt", "-bios", "none"]];
  const started = Date.now();
  const r = await execa(bin, [
    ...machine, "-display", "none", "-monitor", "none",
    "-chardev", "stdio,id=con", "-semihosting-config", "enable=on,target=native,chardev=con", "-serial", `file:${uartFile}`,
    "-icount", "shift=0", "-kernel", elf, "-append", append,
  ], { reject: false, timeout: 20_000, stdin: "ignore" });
  const ms = Date.now() - started;
  const uart = existsSync(uartFile) ? await readFile(uartFile, "utf8") : "";
  await rm(dir, { recursive: true, force: true });
  return { exitCode: r.exitCode, stdout: String(r.stdout), uart, ms };
}

interface Rec { type: string; f: Record<string, string>; line: string }
/** The `@LB` records of a log (text before the marker ignored). */
function records(log: string): Rec[] {
  const out: Rec[] = [];
  for (const raw of log.split(/\r?\n/)) {
    const at = raw.indexOf("@LB ");
    if (at < 0) continue;
    const line = raw.slice(at);
    const [, type, ...pairs] = line.split(/ +/);
    const f: Record<string, string> = {};
    for (const p of pairs) { const eq = p.indexOf("="); if (eq > 0) f[p.slice(0, eq)] = p.slice(eq + 1); }
    out.push({ type: type!, f, line });
  }
  return out;
}
const num = (r: Rec, key: string): number => {
  const v = r.f[key];
  assert.ok(v !== undefined && /^-?\d+$/.test(v), `${r.line}: ${key} is not an integer`);
  return Number(v);
};
const benchOf = (recs: Rec[], id: string): Rec => {
  const b = recs.find((r) => r.type === "bench" && r.f["id"] === id);
  assert.ok(b, `no bench record for ${id}`);
  return b;
};

/** The checks shared by both targets: begin/end framing, bench sanity, heap, stack. */
function checkCapture(recs: Rec[], target: FirmwareTarget, build: FirmwareBuild): void {
  assert.equal(recs[0]?.type, "begin");
  const begin = recs[0]!;
  assert.equal(begin.f["proto"], "1");
  assert.equal(begin.f["fw"], "litlab-firmware");
  assert.equal(begin.f["target"], target);
  assert.equal(begin.f["icount"], "1"); // `-append icount` reached the firmware through SYS_GET_CMDLINE
  assert.equal(begin.f["commit"], build.commit ?? "unknown");
  const end = recs[recs.length - 1]!;
  assert.equal(end.type, "end");
  assert.equal(end.f["status"], "ok");
  assert.equal(end.f["code"], "0");
  assert.equal(num(end, "records"), recs.length - 2, "end.records counts the records between begin and end");
  assert.equal(recs.filter((r) => r.type === "begin").length, 1);

  for (const id of BENCH_IDS) {
    const b = benchOf(recs, id);
    const iters = num(b, "iters"), ticks = num(b, "ticks"), min = num(b, "min"), max = num(b, "max");
    assert.equal(iters, 10);
    assert.ok(min > 0 && min <= max, `${b.line}: 0 < min <= max`);
    assert.ok(min * iters <= ticks && ticks <= max * iters, `${b.line}: ticks lies between iters×min and iters×max`);
  }
  assert.equal(num(benchOf(recs, BENCH_IDS[0]!), "elements"), 1000);
  assert.equal(num(benchOf(recs, BENCH_IDS[1]!), "elements"), 10000);
  // 10× the messages ≈ 10× the ticks (within a factor of 2)
  const ratio = num(benchOf(recs, BENCH_IDS[1]!), "ticks") / num(benchOf(recs, BENCH_IDS[0]!), "ticks");
  assert.ok(ratio > 5 && ratio < 20, `throughput 10000/1000 tick ratio ${ratio}`);

  const heap = recs.find((r) => r.type === "heap");
  assert.ok(heap);
  assert.equal(heap.f["id"], "heap/boxed_messages/100");
  // 100 boxed 32-byte messages ([u32; 8]) are alive at once; 11 iterations (1 warm-up + 10) × 100 boxes
  assert.equal(num(heap, "peak"), 3200);
  assert.equal(num(heap, "current"), 0);
  assert.equal(num(heap, "allocs"), 1100);
  assert.equal(num(heap, "frees"), 1100);
  assert.equal(num(heap, "size"), 8192);

  const stack = recs.find((r) => r.type === "stack");
  assert.ok(stack);
  assert.equal(stack.f["id"], "main");
  assert.equal(num(stack, "size"), 16384); // _stack_size in the linker scripts
  const used = num(stack, "used");
  assert.ok(used > 256 && used < 16384, `stack used ${used}`);
}

test("thumbv7m firmware: every record under QEMU mps2-an385, deterministic with icount, same records on the UART", { timeout: BUILD_TIMEOUT }, async (t) => {
  if (!toolsFor(t, ARM)) return;
  const b = await build(ARM);
  assert.equal(b.target, ARM);
  assert.equal(b.profile, "release");
  assert.ok(b.elf.endsWith(`/target/${ARM}/release/litlab-firmware`), b.elf);
  assert.ok(existsSync(b.elf));

  const first = await qemu(ARM, b.elf);
  assert.equal(first.exitCode, 0, first.stdout);
  // 30–100 ms here; "well under 2 s" with room for a loaded machine
  assert.ok(first.ms < 5000, `QEMU run took ${first.ms} ms`);
  const recs = records(first.stdout);
  checkCapture(recs, ARM, b);
  assert.equal(recs[0]!.f["clock"], "systick");
  assert.equal(recs[0]!.f["hz"], "25000000");

  const lat = recs.find((r) => r.type === "lat" && r.f["id"] === LATENCY_ID);
  assert.ok(lat, "no lat record");
  const n = num(lat, "n");
  assert.ok(n >= 64 && n <= 200);
  const samples = recs.filter((r) => r.type === "sample" && r.f["id"] === LATENCY_ID).map((r) => num(r, "ticks"));
  assert.equal(samples.length, n);
  assert.deepEqual(recs.filter((r) => r.type === "sample").map((r) => num(r, "seq")), [...Array(n).keys()]);
  assert.equal(num(lat, "min"), Math.min(...samples));
  assert.equal(num(lat, "max"), Math.max(...samples));
  assert.equal(num(lat, "sum"), samples.reduce((a, s) => a + s, 0));
  assert.equal(num(lat, "sumsq"), samples.reduce((a, s) => a + s * s, 0));
  assert.ok(num(lat, "max") > 0 && num(lat, "max") < 2500, "latency is below one SysTick period (2500 ticks)");
  assert.equal(lat.f["late"], "0");
  const hist = recs.find((r) => r.type === "hist" && r.f["id"] === LATENCY_ID);
  assert.ok(hist);
  const counts = hist.f["counts"]!.split(",").map(Number);
  assert.equal(counts.reduce((a, c) => a + c, 0), n);
  const lo = num(hist, "lo"), width = num(hist, "width");
  samples.forEach((s) => assert.ok(s >= lo && s < lo + counts.length * width));

  const second = await qemu(ARM, b.elf);
  assert.equal(second.exitCode, 0);
  assert.deepEqual(records(second.stdout).map((r) => r.line), recs.map((r) => r.line), "two icount runs give identical records");
  assert.deepEqual(records(first.uart).map((r) => r.line), recs.map((r) => r.line), "the UART carries the same records");
});

test("thumbv7m firmware: a panic closes the capture with status=fail code=101 and QEMU exits 101", { timeout: BUILD_TIMEOUT }, async (t) => {
  if (!toolsFor(t, ARM)) return;
  const b = await build(ARM);
  const r = await qemu(ARM, b.elf, "icount panic");
  assert.equal(r.exitCode, 101);
  assert.match(r.stdout, /panic: panicked at src\/main\.rs:\d+:\d+:\nthe command line asked for a panic\n/);
  const recs = records(r.stdout);
  assert.deepEqual(recs.map((x) => x.type), ["begin", "end"]);
  assert.deepEqual(recs[1]!.f, { records: "0", status: "fail", code: "101" });
});

test("thumbv7m firmware: wait-uart holds the begin record until a line arrives on the UART", { timeout: BUILD_TIMEOUT }, async (t) => {
  if (!toolsFor(t, ARM)) return;
  const b = await build(ARM);
  // no input (stdin closed): nothing is printed before QEMU's own 20 s timeout would hit, so cap it at 1.5 s
  const idle = await execa("qemu-system-arm", ["-M", "mps2-an385", "-display", "none", "-monitor", "none",
    "-chardev", "stdio,id=con,mux=on", "-serial", "chardev:con", "-semihosting-config", "enable=on,target=native,chardev=con",
    "-icount", "shift=0", "-kernel", b.elf, "-append", "icount wait-uart"], { reject: false, timeout: 1500, stdin: "ignore" });
  assert.equal(idle.timedOut, true);
  assert.doesNotMatch(String(idle.stdout), /@LB begin/);
  // a line on the UART (stdin muxed onto serial0) releases it. Bytes that arrive before the firmware has
  // enabled the UART's receiver are dropped (as on silicon), so the host repeats the line until `begin` shows.
  const child = execa("qemu-system-arm", ["-M", "mps2-an385", "-display", "none", "-monitor", "none",
    "-chardev", "stdio,id=con,mux=on", "-serial", "chardev:con", "-semihosting-config", "enable=on,target=native,chardev=con",
    "-icount", "shift=0", "-kernel", b.elf, "-append", "icount wait-uart"], { reject: false, timeout: 20_000, stdin: "pipe" });
  let seen = "";
  child.stdout.on("data", (d: Buffer) => { seen += d.toString(); });
  // after its end record the firmware waits for the host's `q` before exiting (so a PTY reader loses no tail)
  let acked = false;
  const poke = setInterval(() => {
    if (!seen.includes("@LB begin")) child.stdin.write("go\r");
    else if (seen.includes("@LB end") && !acked) { acked = true; child.stdin.write("q"); }
  }, 100);
  const r = await child;
  clearInterval(poke);
  assert.equal(r.exitCode, 0, seen);
  // both routes share stdout, so each record shows twice
  const recs = records(String(r.stdout));
  assert.equal(recs.filter((x) => x.type === "begin").length, 2);
  assert.equal(recs.filter((x) => x.type === "end" && x.f["status"] === "ok").length, 2);
  assert.ok(acked, "the firmware exited only after the q");
});

test("riscv32 firmware: benches, heap and stack under QEMU virt with mcycle", { timeout: BUILD_TIMEOUT }, async (t) => {
  if (!toolsFor(t, RISCV)) return;
  const b = await build(RISCV);
  assert.ok(b.elf.endsWith(`/target/${RISCV}/release/litlab-firmware`), b.elf);
  const first = await qemu(RISCV, b.elf);
  assert.equal(first.exitCode, 0, first.stdout);
  const recs = records(first.stdout);
  checkCapture(recs, RISCV, b);
  assert.equal(recs[0]!.f["clock"], "mcycle");
  // QEMU's mcycle under -icount counts virtual nanoseconds (shift=4 gives exactly 16× the shift=0 figures)
  assert.equal(recs[0]!.f["hz"], "1000000000");
  assert.equal(recs.filter((r) => r.type === "lat").length, 0, "no timer-interrupt bench on riscv32 (yet)");
  const second = await qemu(RISCV, b.elf);
  assert.deepEqual(records(second.stdout).map((r) => r.line), recs.map((r) => r.line));
  assert.deepEqual(records(first.uart).map((r) => r.line), recs.map((r) => r.line), "the ns16550 UART carries the same records");
});

test("buildFirmware reports a compile error with its file:line", { timeout: BUILD_TIMEOUT }, async (t) => {
  if (!toolsFor(t, ARM)) return;
  await build(ARM); // core is compiled once, into the real target dir
  const dir = await mkdtemp(join(tmpdir(), "litlab-fw-broken-"));
  try {
    await cp(FIRMWARE, dir, { recursive: true, filter: (src) => !src.startsWith(join(FIRMWARE, "target")) });
    // share the built core/alloc (their fingerprints do not depend on the crate's folder), so this takes seconds
    const config = join(dir, ".cargo", "config.toml");
    const recipe = await readFile(config, "utf8");
    assert.match(recipe, /^\[build\]$/m);
    await writeFile(config, recipe.replace("[build]\n", `[build]\ntarget-dir = ${JSON.stringify(join(FIRMWARE, "target"))}\n`));
    const main = join(dir, "src", "main.rs");
    const src = await readFile(main, "utf8");
    const lines = src.split("\n");
    const at = lines.findIndex((l) => l.startsWith("pub fn main() -> ! {"));
    lines.splice(at + 1, 0, "    let broken: u32 = \"not a number\";");
    await writeFile(main, lines.join("\n"));
    await assert.rejects(buildFirmware({ dir, target: ARM, timeoutMs: BUILD_TIMEOUT }), (e: unknown) => {
      assert.ok(e instanceof LitlabError);
      assert.equal(e.code, "build");
      assert.match(e.message, new RegExp(`compile error at ${main.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${at + 2}:\\d+: mismatched types`));
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("firmwareArtifact picks the bin's executable from cargo's JSON messages", () => {
  // shape of a real `cargo build --message-format=json` line for this crate (trimmed)
  const lines = [
    `{"reason":"compiler-artifact","package_id":"path+file:///usr/lib/rustlib/src/rust/library/core#0.0.0","target":{"kind":["lib"],"name":"core"},"executable":null}`,
    `{"reason":"compiler-artifact","package_id":"path+file:///x/firmware#litlab-firmware@0.1.0","target":{"kind":["bin"],"name":"litlab-firmware"},"executable":"/x/firmware/target/thumbv7m-none-eabi/release/litlab-firmware","fresh":true}`,
    `not json`,
    `{"reason":"build-finished","success":true}`,
  ];
  assert.equal(firmwareArtifact(lines.join("\n")), "/x/firmware/target/thumbv7m-none-eabi/release/litlab-firmware");
  assert.equal(firmwareArtifact(lines[0]!), null);
});
