// Device runners: the QEMU command line (pure), QEMU runs of a small C test image (test/fixtures/device-c), QEMU's
// `-serial pty`, a socat PTY pair standing in for a USB-UART, and probe-rs replayed from a recorded transcript.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, realpath, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { before, describe, test } from "node:test";
import { SerialPort } from "serialport";
import { deviceCommand } from "../lib/cli/deviceCommand.js";
import { LitlabError } from "../lib/errors.js";
import { parseDeviceLog } from "../lib/ingest/device/capture.js";
import { deviceRows } from "../lib/ingest/device/deviceRows.js";
import type { TidyRow } from "../lib/ingest/rows.js";
import { readJsonLines, readManifest } from "../lib/store/runFolder.js";
import { runDevice } from "../lib/trigger/device/deviceRun.js";
import { runProcess } from "../lib/trigger/process.js";
import { probeRsCommand } from "../lib/trigger/device/probeRs.js";
import { mapExit, ptyPathOf, qemuCommand, type ElfMachineInfo } from "../lib/trigger/device/qemuCommand.js";
import { unescapeSend } from "../lib/trigger/device/serialCapture.js";
import { listSerialPorts, PTY_NOTE } from "../lib/trigger/device/serialPorts.js";
import { hasCommand, requireTool } from "./helpers/tools.js";

const FIX = resolve(import.meta.dirname, "fixtures");
const ARM: ElfMachineInfo = { bits: 32, machine: 40, machineName: "arm" };
const RV32: ElfMachineInfo = { bits: 32, machine: 243, machineName: "riscv" };
const newDir = (p: string): Promise<string> => mkdtemp(join(tmpdir(), `litlab-dev-${p}-`));
const find = (rows: TidyRow[], id: string, metric: string, stat: string): TidyRow | undefined => rows.find((r) => r.id === id && r.metric === metric && r.stat === stat);
const isLitlab = (code: string, re?: RegExp) => (e: unknown): boolean => e instanceof LitlabError && e.code === code && (re === undefined || re.test(e.message));
const runsIn = async (root: string): Promise<string[]> => (await readdir(root).catch(() => [] as string[]));

describe("qemuCommand (pure)", () => {
  test("arm → qemu-system-arm -M mps2-an385 with explicit routing, icount shift 0 and the firmware's command line", () => {
    const c = qemuCommand({ elf: "/fw/a.elf", header: ARM, uartFile: "/run/raw/uart.log" });
    assert.equal(c.program, "qemu-system-arm");
    assert.deepEqual(c.args, [
      "-M", "mps2-an385", "-display", "none", "-monitor", "none", "-nodefaults",
      "-chardev", "stdio,id=semihost", "-semihosting-config", "enable=on,target=native,chardev=semihost",
      "-serial", "file:/run/raw/uart.log", "-icount", "shift=0", "-kernel", "/fw/a.elf", "-append", "icount",
    ]);
    assert.equal(c.machine, "mps2-an385");
    assert.equal(c.icountShift, 0);
    assert.ok(!c.args.includes("-nographic"));
  });
  test("lm3s6965evb, icount off (no -icount, no `icount` word), extra words", () => {
    const c = qemuCommand({ elf: "a.elf", header: ARM, machine: "lm3s6965evb", icountShift: null, extraAppend: ["hang"] });
    assert.deepEqual(c.args.slice(0, 2), ["-M", "lm3s6965evb"]);
    assert.ok(!c.args.includes("-icount"));
    assert.equal(c.append, "hang");
    assert.deepEqual(c.args.slice(-2), ["-append", "hang"]);
    assert.equal(c.uartFile, "raw/uart.log");
  });
  test("icount shift 4; no -append at all when there are no words", () => {
    assert.deepEqual(qemuCommand({ elf: "a.elf", header: ARM, icountShift: 4 }).args.slice(-6), ["-icount", "shift=4", "-kernel", "a.elf", "-append", "icount"]);
    assert.ok(!qemuCommand({ elf: "a.elf", header: ARM, icountShift: null }).args.includes("-append"));
  });
  test("channel uart → -serial pty and `wait-uart` on the command line", () => {
    const c = qemuCommand({ elf: "a.elf", header: ARM, channel: "uart" });
    assert.equal(c.args[c.args.indexOf("-serial") + 1], "pty");
    assert.equal(c.append, "icount wait-uart");
    assert.equal(c.uartFile, null);
  });
  test("riscv32 → qemu-system-riscv32 -M virt -bios none", () => {
    const c = qemuCommand({ elf: "r.elf", header: RV32 });
    assert.equal(c.program, "qemu-system-riscv32");
    assert.deepEqual(c.args.slice(0, 4), ["-M", "virt", "-bios", "none"]);
  });
  test("a comma in the UART file path is doubled (QEMU's option syntax)", () => {
    const c = qemuCommand({ elf: "a.elf", header: ARM, uartFile: "/tmp/a,b/uart.log" });
    assert.equal(c.args[c.args.indexOf("-serial") + 1], "file:/tmp/a,,b/uart.log");
  });
  test("unsupported: x86-64, riscv64, aarch64, an ARM image on `virt`, a bad shift", () => {
    assert.throws(() => qemuCommand({ elf: "/bin/true", header: { bits: 64, machine: 62, machineName: "x86_64" } }), isLitlab("unsupported", /\/bin\/true: .*x86_64 \(e_machine 62\)/));
    assert.throws(() => qemuCommand({ elf: "r64.elf", header: { bits: 64, machine: 243, machineName: "riscv" } }), isLitlab("unsupported", /64-bit RISC-V/));
    assert.throws(() => qemuCommand({ elf: "a64.elf", header: { bits: 64, machine: 40, machineName: "arm" } }), isLitlab("unsupported", /64-bit ARM/));
    assert.throws(() => qemuCommand({ elf: "a.elf", header: ARM, machine: "virt" }), isLitlab("unsupported", /"virt"/));
    assert.throws(() => qemuCommand({ elf: "a.elf", header: ARM, icountShift: -1 }), isLitlab("usage"));
  });
  test("exit mapping: 0 ok, N failed, timeout, stopped after a complete capture ok, stopped incomplete failed", () => {
    const f = { exitCode: null, signal: null, timedOut: false, stoppedAfterEnd: false, complete: true };
    assert.equal(mapExit({ ...f, exitCode: 0 }).result, "ok");
    assert.deepEqual(mapExit({ ...f, exitCode: 3 }), { result: "failed", message: "exited with status 3" });
    assert.equal(mapExit({ ...f, signal: "SIGTERM", timedOut: true }).result, "timeout");
    assert.equal(mapExit({ ...f, signal: "SIGTERM", stoppedAfterEnd: true }).result, "ok");
    assert.equal(mapExit({ ...f, signal: "SIGTERM", stoppedAfterEnd: true, complete: false }).result, "failed");
    assert.equal(mapExit({ ...f, signal: "SIGKILL" }).result, "failed");
  });
  test("PTY line, --send escapes, probe-rs argv", () => {
    assert.equal(ptyPathOf("char device redirected to /dev/pts/7 (label serial0)"), "/dev/pts/7");
    assert.equal(ptyPathOf("boot: device-c"), null);
    assert.equal(unescapeSend("go\\r\\n\\x41\\\\\\q"), "go\r\nA\\\\q");
    assert.deepEqual(probeRsCommand("/fw/a.elf", "nRF52840_xxAA"), ["probe-rs", "run", "--chip", "nRF52840_xxAA", "/fw/a.elf"]);
  });
});

describe("runProcess: abort signal and raw stdout chunks (used by the device runners)", () => {
  test("aborting kills the group early; onStdoutData gets the bytes untouched", { timeout: 20_000 }, async () => {
    const stop = new AbortController();
    const chunks: Buffer[] = [];
    const started = Date.now();
    // prints bytes without a newline (readline would hold them), then would sleep 30 s
    const r = await runProcess(process.execPath, ["-e", "process.stdout.write('a\\r\\nb\\xff'); setTimeout(() => {}, 30000)"], {
      timeoutMs: 25_000, signal: stop.signal, onStdoutData: (c) => { chunks.push(Buffer.from(c)); stop.abort(); },
    });
    assert.ok(Date.now() - started < 10_000);
    assert.equal(r.timedOut, false);
    assert.equal(r.signal, "SIGTERM");
    assert.deepEqual(Buffer.concat(chunks), Buffer.from("a\r\nb\xff", "utf8"));
  });
});

describe("listSerialPorts", () => {
  test("SerialPort.list() failing (no udevadm) → /dev/ttyS*, ttyUSB*, ttyACM* with a note; PTYs never listed", async () => {
    const dev = await newDir("devdir");
    for (const n of ["ttyS1", "ttyS0", "ttyUSB0", "ttyACM10", "ttyACM2", "tty0", "ptmx", "ttyS"]) await writeFile(join(dev, n), "");
    const l = await listSerialPorts({ devDir: dev, list: () => Promise.reject(new Error("spawn udevadm ENOENT")) });
    assert.deepEqual(l.ports.map((p) => p.path.slice(dev.length + 1)), ["ttyACM2", "ttyACM10", "ttyS0", "ttyS1", "ttyUSB0"]);
    assert.ok(l.ports.every((p) => p.via === "dev-glob"));
    assert.match(l.notes[0]!, /spawn udevadm ENOENT/);
    assert.equal(l.notes[1], PTY_NOTE);
  });
  test("SerialPort.list() working → its ports", async () => {
    const l = await listSerialPorts({ list: () => Promise.resolve([{ path: "/dev/ttyUSB0", manufacturer: "FTDI", serialNumber: "A1", pnpId: undefined, locationId: undefined, productId: "6001", vendorId: "0403" }]) });
    assert.deepEqual(l.ports, [{ path: "/dev/ttyUSB0", manufacturer: "FTDI", serialNumber: "A1", vendorId: "0403", productId: "6001", via: "udev" }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// QEMU runs of the C test image

const hasQemu = hasCommand("qemu-system-arm", ["--version"]);
const hasGcc = hasCommand("arm-none-eabi-gcc", ["--version"]);
let ELF = "";

before(async () => {
  if (!hasQemu || !hasGcc) return;
  const dir = await newDir("elf");
  ELF = join(dir, "device-c.elf");
  const cc = spawnSync("arm-none-eabi-gcc", [
    "-mcpu=cortex-m3", "-mthumb", "-O1", "-nostdlib", "-nostartfiles", "-ffreestanding", "-Wall", "-Werror",
    "-T", join(FIX, "device-c/link.ld"), join(FIX, "device-c/prog.c"), "-o", ELF,
  ], { encoding: "utf8" });
  assert.equal(cc.status, 0, cc.stderr);
});

const qemuOk = (t: import("node:test").TestContext): boolean =>
  requireTool(t, "qemu-system-arm", hasQemu, "apt-get install qemu-system-arm") && requireTool(t, "arm-none-eabi-gcc", hasGcc, "apt-get install gcc-arm-none-eabi");

/** Processes whose command line names `needle` (the ELF path is unique to this test run). */
function processesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try { if (readFileSync(`/proc/${p}/cmdline`, "utf8").includes(needle)) pids.push(Number(p)); } catch { /* gone */ }
  }
  return pids;
}

describe("QEMU runs (device-c test image on mps2-an385)", () => {
  test("ok: exit 0, complete, rows equal the records, raw logs and manifest", { timeout: 60_000 }, async (t) => {
    if (!qemuOk(t)) return;
    const root = await newDir("runs");
    const r = await runDevice({ qemu: { elf: ELF, timeoutMs: 20_000 }, runsRoot: root, label: "c-ok" });
    assert.equal(r.manifest.status, "ok");
    const m = await readManifest(r.dir);
    assert.equal(m.kind, "device");
    assert.match(m.id, /-device-c-ok$/);
    const d = m.device!;
    assert.equal(d.runner, "qemu");
    assert.equal(d.result, "ok");
    assert.equal(d.exitCode, 0);
    assert.equal(d.stoppedAfterEnd, false);
    assert.equal(d.complete, true);
    assert.equal(d.records, 3); // bench, heap, stack (prog.c)
    assert.equal(d.machine, "mps2-an385");
    assert.equal(d.icountShift, 0);
    assert.equal(d.channel, "semihosting");
    assert.equal(d.target, "thumbv7m-none-eabi");
    assert.deepEqual(d.problems, []);
    assert.equal(d.elf!.path, ELF);
    assert.equal(d.elf!.bytes, readFileSync(ELF).length);
    assert.match(d.elf!.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(d.argv!.slice(0, 3), ["qemu-system-arm", "-M", "mps2-an385"]);
    assert.deepEqual(d.rawFiles, ["raw/device.log", "raw/uart.log", "raw/qemu-stderr.log"]);
    assert.ok(m.endedAt !== null && m.host !== null);
    // raw/device.log is exactly the semihosting stream: the boot line, then the records (prog.c)
    const log = await readFile(join(r.dir, "raw/device.log"), "utf8");
    assert.match(log, /^boot: device-c test image\n@LB begin proto=1 fw=device-c target=thumbv7m-none-eabi clock=systick hz=25000000 icount=1 board=mps2-an385\n\[INFO \] @LB bench id=loop\/c\/1000 iters=1 ticks=\d+\n@LB heap .*\n@LB stack .*\n@LB end records=3 status=ok code=0\n$/);
    // the UART got the same text (prog.c writes both)
    assert.equal(await readFile(join(r.dir, "raw/uart.log"), "utf8"), log);
    // rows: exactly what the device-records reader makes of the raw log, with clock icount (QEMU ran with -icount)
    const again = deviceRows(parseDeviceLog(log, "raw/device.log"), { source: "raw/device.log", icount: true });
    const stored = await readJsonLines<TidyRow>(join(r.dir, "tables/rows.jsonl"));
    assert.deepEqual(stored, again.rows);
    assert.deepEqual(r.rows, again.rows);
    assert.ok(stored.every((x) => x.clock === "icount"));
    const ticks = Number(/ticks=(\d+)/.exec(log)![1]);
    assert.ok(ticks > 0);
    assert.equal(find(stored, "loop/c/1000", "time", "mean")?.value, ticks); // iters=1: per-iteration = total
    assert.equal(find(stored, "static", "heap", "peak")?.value, 128);
    assert.equal(find(stored, "main", "stack", "used")?.value, 256);
    assert.equal(m.tables?.rows, "tables/rows.jsonl");
    assert.ok(existsSync(join(r.dir, "tables/device-samples.jsonl")));
  });

  test("icount shift 0: two runs give the same tick count", { timeout: 60_000 }, async (t) => {
    if (!qemuOk(t)) return;
    const root = await newDir("runs");
    const a = await runDevice({ qemu: { elf: ELF }, runsRoot: root });
    const b = await runDevice({ qemu: { elf: ELF }, runsRoot: root });
    const ticks = (r: typeof a): number | undefined => find(r.rows, "loop/c/1000", "time", "mean")?.value;
    assert.ok((ticks(a) ?? 0) > 0);
    assert.equal(ticks(a), ticks(b));
    assert.notEqual(a.dir, b.dir);
  });

  test("exit3: failed with exit code 3, the record that arrived is kept", { timeout: 60_000 }, async (t) => {
    if (!qemuOk(t)) return;
    const r = await runDevice({ qemu: { elf: ELF, append: ["exit3"] }, runsRoot: await newDir("runs") });
    assert.equal(r.manifest.status, "failed");
    assert.equal(r.manifest.device!.result, "failed");
    assert.equal(r.manifest.device!.exitCode, 3);
    assert.equal(r.capture.records.length, 1);
    assert.equal(r.rows.length, 1); // bench time mean (iters=1: no min/max)
    assert.ok(r.manifest.device!.problems.includes("QEMU exited with status 3"));
  });

  test("hang after the end record: QEMU stopped after the grace, status ok", { timeout: 60_000 }, async (t) => {
    if (!qemuOk(t)) return;
    const started = Date.now();
    const r = await runDevice({ qemu: { elf: ELF, append: ["hang"], timeoutMs: 20_000 }, runsRoot: await newDir("runs") });
    assert.equal(r.manifest.status, "ok");
    assert.equal(r.manifest.device!.stoppedAfterEnd, true);
    assert.equal(r.manifest.device!.exitCode, null);
    assert.ok(Date.now() - started < 10_000, "stopped long before the 20 s timeout");
    assert.deepEqual(processesWith(ELF), []);
  });

  test("hang-early: timeout, partial with the record that arrived, no QEMU left behind", { timeout: 60_000 }, async (t) => {
    if (!qemuOk(t)) return;
    const r = await runDevice({ qemu: { elf: ELF, append: ["hang-early"], timeoutMs: 1500 }, runsRoot: await newDir("runs") });
    assert.equal(r.manifest.status, "partial");
    assert.equal(r.manifest.device!.result, "timeout");
    assert.equal(r.manifest.device!.complete, false);
    assert.equal(r.capture.records.length, 1);
    assert.ok(r.manifest.device!.problems.some((p) => /no end record/.test(p)));
    assert.deepEqual(processesWith(ELF), []);
  });

  test("channel uart: QEMU's -serial pty read through serialCapture, complete, exit status kept", { timeout: 60_000 }, async (t) => {
    if (!qemuOk(t)) return;
    for (const [mode, status, code] of [["ok", "ok", 0], ["exit3", "failed", 3]] as const) {
      const r = await runDevice({ qemu: { elf: ELF, channel: "uart", append: [mode], timeoutMs: 20_000 }, runsRoot: await newDir("runs") });
      assert.equal(r.manifest.status, status, mode);
      assert.equal(r.manifest.device!.exitCode, code);
      assert.equal(r.manifest.device!.channel, "uart");
      assert.match(r.manifest.device!.port!.path, /^\/dev\/pts\/\d+$/);
      assert.equal(r.capture.complete, true, `${mode}: ${r.capture.problems.join("; ")}`);
      const console_ = await readFile(join(r.dir, "raw/qemu-stdout.log"), "utf8");
      assert.match(console_, /char device redirected to \/dev\/pts\/\d+ \(label serial0\)/);
      assert.match(await readFile(join(r.dir, "raw/device.log"), "utf8"), /@LB end records=\d status=/);
    }
  });

  test("bad inputs fail before any folder is made: missing ELF, not an ELF, an x86-64 ELF", { timeout: 30_000 }, async () => {
    const root = await newDir("runs");
    await assert.rejects(runDevice({ qemu: { elf: join(root, "nope.elf") }, runsRoot: root }), isLitlab("not-found", /nope\.elf: no such firmware image/));
    const txt = join(root, "notes.txt");
    await writeFile(txt, "hello\n");
    await assert.rejects(runDevice({ qemu: { elf: txt }, runsRoot: root }), isLitlab("parse", /notes\.txt: not an ELF file/));
    await assert.rejects(runDevice({ qemu: { elf: process.execPath }, runsRoot: root }), isLitlab("unsupported", /x86_64/));
    await assert.rejects(runDevice({ runsRoot: root }), isLitlab("usage", /exactly one/));
    assert.deepEqual(await runsIn(root), ["notes.txt"]);
  });

  test("CLI: litlab run device --qemu ELF --json → exit 0, the run on stdout", { timeout: 60_000 }, async (t) => {
    if (!qemuOk(t)) return;
    const root = await newDir("runs");
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const errWrite = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((s: string) => { out.push(s); return true; }) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    let code: number;
    try {
      code = await deviceCommand(["--qemu", ELF, "--icount", "off", "--runs", root, "--json"], ["run", "device", "--qemu", ELF]);
    } finally {
      process.stdout.write = write;
      process.stderr.write = errWrite;
    }
    assert.equal(code, 0);
    const j = JSON.parse(out.join("")) as { dir: string; status: string; records: number; complete: boolean };
    assert.equal(j.status, "ok");
    assert.equal(j.records, 3);
    const m = await readManifest(j.dir);
    assert.equal(m.device!.icountShift, null);
    assert.ok(!m.device!.argv!.includes("-icount"));
    assert.deepEqual(m.command, ["litlab", "run", "device", "--qemu", ELF]);
    const rows = await readJsonLines<TidyRow>(join(j.dir, "tables/rows.jsonl"));
    assert.ok(rows.every((r) => r.clock === "systick")); // icount off and the begin record says icount=0
  });

  test("CLI usage errors", async () => {
    await assert.rejects(deviceCommand(["--qemu", "a.elf", "--serial", "/dev/ttyS0"], []), isLitlab("usage", /exactly one/));
    await assert.rejects(deviceCommand(["--qemu", "a.elf", "--icount", "fast"], []), isLitlab("usage", /--icount/));
    await assert.rejects(deviceCommand(["--serial", "/dev/ttyS0", "--machine", "virt"], []), isLitlab("usage", /--machine goes with --qemu/));
    await assert.rejects(deviceCommand(["--probe-rs", "a.elf"], []), isLitlab("usage", /--chip/));
    await assert.rejects(deviceCommand(["--qemu", "a.elf", "--channel", "spi"], []), isLitlab("usage", /--channel/));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A socat PTY pair standing in for a USB-UART: a Node writer on one end, the capture on the other

const hasSocat = hasCommand("socat", ["-V"]);

async function ptyPair(): Promise<{ a: string; b: string; socat: ChildProcess }> {
  const dir = await newDir("pty");
  const a = join(dir, "ttyA");
  const b = join(dir, "ttyB");
  const socat = spawn("socat", ["-d", "-d", `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: "ignore" });
  for (let i = 0; i < 100 && !(existsSync(a) && existsSync(b)); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(existsSync(a) && existsSync(b), "socat made no PTY pair");
  return { a, b, socat };
}

/** The device side: waits for `start`, then writes `lines` (one write each, 20 ms apart); resolves when done. */
async function device(path: string, lines: string[]): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 115200 });
  port.on("error", () => {});
  await new Promise<void>((resolve) => port.on("open", () => resolve()));
  let got = "";
  await new Promise<void>((resolve) => port.on("data", (c: Buffer) => { got += c.toString(); if (got.includes("start\n")) resolve(); }));
  for (const l of lines) {
    port.write(l);
    await new Promise((r) => setTimeout(r, 20));
  }
  return port;
}

const SERIAL_LINES = [
  "boot noise \x00\xff garbage\r\n",
  "@LB begin proto=1 fw=uart-test target=thumbv7m-none-eabi clock=dwt hz=72000000 icount=0\r\n",
  "UART: @LB bench id=ping_pong/no_std/1 iters=10 ticks=5000 min=480 max=530\r\n",
  "@LB heap id=mailbox peak=640 current=0\r\n",
  "@LB end records=2 status=ok code=0\r\n",
];

describe("serial (socat PTY pair)", () => {
  test("complete: --send reaches the device, records come back, rows made, port released", { timeout: 30_000 }, async (t) => {
    if (!requireTool(t, "socat", hasSocat, "apt-get install socat")) return;
    const { a, b, socat } = await ptyPair();
    const pts = await realpath(a);
    try {
      const writer = device(b, SERIAL_LINES);
      const r = await runDevice({ serial: { path: a, send: unescapeSend("start\\n"), timeoutMs: 10_000 }, runsRoot: await newDir("runs"), label: "socat" });
      (await writer).close();
      assert.equal(r.manifest.status, "ok");
      const d = r.manifest.device!;
      assert.equal(d.runner, "serial");
      assert.equal(d.argv, null);
      assert.equal(d.elf, null);
      assert.deepEqual(d.port, { path: a, baud: 115200 });
      assert.equal(d.send, "start\n");
      assert.equal(d.channel, "serial");
      assert.equal(d.complete, true);
      assert.equal(d.records, 2);
      // time mean = 5000 / 10 ticks; throughput absent (no elements); clock dwt
      assert.equal(find(r.rows, "ping_pong/no_std/1", "time", "mean")?.value, 500);
      assert.equal(find(r.rows, "ping_pong/no_std/1", "time", "min")?.value, 480);
      assert.equal(find(r.rows, "mailbox", "heap", "peak")?.value, 640);
      assert.ok(r.rows.every((x) => x.clock === "dwt"));
      // raw/serial.log holds the bytes as sent (CRLF, garbage); raw/device.log is the same file
      const raw = await readFile(join(r.dir, "raw/serial.log"));
      assert.ok(raw.includes(Buffer.from("@LB end records=2 status=ok code=0\r\n")));
      assert.deepEqual(await readFile(join(r.dir, "raw/device.log")), raw);
      assert.deepEqual(d.rawFiles, ["raw/serial.log", "raw/device.log"]);
      assert.equal(openFdsTo(pts), 0, "the port is still open");
    } finally {
      socat.kill();
    }
  });

  test("the device disappears mid-run: partial, the records that arrived and the raw log kept, port released", { timeout: 30_000 }, async (t) => {
    if (!requireTool(t, "socat", hasSocat, "apt-get install socat")) return;
    const { a, b, socat } = await ptyPair();
    const pts = await realpath(a);
    const run = runDevice({ serial: { path: a, send: "start\n", timeoutMs: 15_000 }, runsRoot: await newDir("runs") });
    const writer = await device(b, SERIAL_LINES.slice(0, 3)); // begin + bench, no end
    await new Promise((r) => setTimeout(r, 200));
    socat.kill("SIGKILL"); // both PTYs vanish
    const started = Date.now();
    const r = await run;
    writer.close(() => {});
    assert.ok(Date.now() - started < 5000, "noticed the disconnect long before the 15 s timeout");
    assert.equal(r.manifest.status, "partial");
    const d = r.manifest.device!;
    assert.equal(d.result, "disconnected");
    assert.equal(d.records, 1);
    assert.ok(d.problems.some((p) => p.includes(`${a} disappeared mid-run`)), d.problems.join("; "));
    assert.ok(d.problems.some((p) => /no end record/.test(p)));
    assert.equal(find(r.rows, "ping_pong/no_std/1", "time", "mean")?.value, 500);
    assert.match(await readFile(join(r.dir, "raw/serial.log"), "latin1"), /@LB bench id=ping_pong\/no_std\/1 iters=10 ticks=5000/);
    assert.equal(openFdsTo(pts), 0, "the port is still open");
  });

  test("no such port, or a regular file → an error before a folder is made", async () => {
    const root = await newDir("runs");
    await assert.rejects(runDevice({ serial: { path: join(root, "ttyNOPE") }, runsRoot: root }), isLitlab("not-found", /ttyNOPE: no such serial port/));
    await writeFile(join(root, "log.txt"), "@LB begin\n");
    await assert.rejects(runDevice({ serial: { path: join(root, "log.txt") }, runsRoot: root }), isLitlab("usage", /log\.txt: not a serial device \(a regular file\)/));
    assert.deepEqual(await runsIn(root), ["log.txt"]);
  });
});

/** How many of this process's file descriptors point at `dev`. */
function openFdsTo(dev: string): number {
  let n = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try { if (readlinkSync(`/proc/self/fd/${fd}`) === dev) n++; } catch { /* closed meanwhile */ }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// probe-rs replayed from recorded transcripts (test/fixtures/probe-rs)

describe("probe-rs (recorded transcript)", () => {
  let bin = "";
  before(async () => {
    const dir = await newDir("probe-rs-bin");
    bin = join(dir, "probe-rs");
    // a wrapper, so the fixture's executable bit does not matter
    await writeFile(bin, `#!/bin/sh\nexec sh ${JSON.stringify(join(FIX, "probe-rs/fake-probe-rs.sh"))} "$@"\n`);
    await chmod(bin, 0o755);
  });
  const withEnv = async <T>(env: Record<string, string>, f: () => Promise<T>): Promise<T> => {
    const old = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try { return await f(); } finally { for (const [k, v] of Object.entries(old)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; } }
  };

  test("timestamped defmt output: complete, hand-checked rows, argv as given", { timeout: 30_000 }, async () => {
    const argsFile = join(await newDir("args"), "args.txt");
    const elf = ELF || process.execPath; // probe-rs itself is replayed: any file that is an ELF will do
    const r = await withEnv({ FAKE_PROBE_RS_ARGS: argsFile, FAKE_PROBE_RS_TRANSCRIPT: "run-timestamped" },
      () => runDevice({ probeRs: { elf, chip: "nRF52840_xxAA", probeRsPath: bin }, runsRoot: resolve(tmpdir(), "litlab-dev-probe-runs") }));
    assert.equal(r.manifest.status, "ok");
    const d = r.manifest.device!;
    assert.equal(d.runner, "probe-rs");
    assert.equal(d.channel, "defmt");
    assert.equal(d.machine, "nRF52840_xxAA");
    assert.equal(d.exitCode, 0);
    assert.equal(d.records, 7); // bench, lat, 4 samples, stack (fixture)
    assert.deepEqual((await readFile(argsFile, "utf8")).trim().split("\n"), ["run", "--chip", "nRF52840_xxAA", resolve(elf)]);
    assert.equal(d.target, "thumbv7em-none-eabihf");
    // 18734200 ticks / 100 iters = 187342 ticks per iteration
    assert.equal(find(r.rows, "message_throughput/no_std/1000", "time", "mean")?.value, 187342);
    // 1000 elements × 100 iters × 64e6 Hz / 18734200 ticks = 341621.206… elements/s
    assert.ok(Math.abs(find(r.rows, "message_throughput/no_std/1000", "throughput", "mean")!.value - 341621.206) < 0.001);
    // latency mean = 930 / 4
    assert.equal(find(r.rows, "systick_to_actor/no_std", "latency", "mean")?.value, 232.5);
    assert.equal(find(r.rows, "main", "stack", "used")?.value, 1432);
    assert.ok(r.rows.every((x) => x.clock === "dwt"));
    const samples = await readJsonLines<{ id: string; seq: number; ticks: number }>(join(r.dir, "tables/device-samples.jsonl"));
    assert.deepEqual(samples.map((s) => s.ticks), [212, 228, 230, 260]);
    assert.match(await readFile(join(r.dir, "raw/probe-rs-stderr.log"), "utf8"), /Finished in 0\.84s/);
    assert.equal(await readFile(join(r.dir, "raw/device.log"), "utf8"), await readFile(join(FIX, "probe-rs/run-timestamped.stdout.txt"), "utf8"));
  });

  test("without timestamps, firmware that keeps running: stopped after the end record, complete, found on PATH", { timeout: 30_000 }, async () => {
    const elf = ELF || process.execPath;
    const started = Date.now();
    const r = await withEnv({ FAKE_PROBE_RS_TRANSCRIPT: "run-plain", FAKE_PROBE_RS_MODE: "spin", PATH: `${resolve(bin, "..")}:${process.env["PATH"]}` },
      () => runDevice({ probeRs: { elf, chip: "STM32F411RETx", timeoutMs: 20_000 }, runsRoot: resolve(tmpdir(), "litlab-dev-probe-runs") }));
    assert.ok(Date.now() - started < 10_000);
    assert.equal(r.manifest.status, "ok");
    assert.equal(r.manifest.device!.stoppedAfterEnd, true);
    assert.equal(r.manifest.device!.argv![0], bin);
    assert.equal(r.capture.records.length, 2);
    assert.equal(find(r.rows, "ping_pong/no_std/1", "time", "mean")?.value, 1764); // 1764000 / 1000
    assert.equal(find(r.rows, "mailbox", "heap", "peak")?.value, 2048);
    assert.deepEqual(processesWith("sleep\u0000120\u0000"), []); // the fake's `exec sleep 120` was killed with its group
  });

  test("probe-rs missing → tool-missing saying what to install, no folder", async () => {
    const root = await newDir("runs");
    const elf = ELF || process.execPath;
    await assert.rejects(runDevice({ probeRs: { elf, chip: "nRF52840_xxAA", probeRsPath: join(root, "no-probe-rs") }, runsRoot: root }), isLitlab("tool-missing", /cargo install probe-rs-tools/));
    assert.deepEqual(await runsIn(root), []);
  });
});
