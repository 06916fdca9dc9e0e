// Device-run faults found by a new user: truncated ELFs and unusable ports make no run folder; Ctrl-C keeps what arrived.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { hasCommand, requireTool } from "./helpers/tools.js";
import { runDevice } from "../lib/trigger/device/deviceRun.js";
import { LitlabError } from "../lib/errors.js";

const FIX = resolve(import.meta.dirname, "fixtures");
const hasQemu = hasCommand("qemu-system-arm", ["--version"]);
const hasGcc = hasCommand("arm-none-eabi-gcc", ["--version"]);
let work = "";
let ELF = "";

before(async () => {
  work = await mkdtemp(join(tmpdir(), "litlab-device-faults-"));
  if (!hasGcc) return;
  ELF = join(work, "device-c.elf");
  const cc = spawnSync("arm-none-eabi-gcc", ["-mcpu=cortex-m3", "-mthumb", "-O1", "-nostdlib", "-nostartfiles", "-ffreestanding",
    "-T", join(FIX, "device-c/link.ld"), join(FIX, "device-c/prog.c"), "-o", ELF], { encoding: "utf8" });
  assert.equal(cc.status, 0, cc.stderr);
});

const foldersIn = async (dir: string): Promise<string[]> => readdir(dir).catch(() => []);

test("a truncated ELF is refused before QEMU starts: ParseError naming the file, no run folder", async (t) => {
  if (!requireTool(t, "arm-none-eabi-gcc", hasGcc)) return;
  const cut = join(work, "cut.elf");
  await writeFile(cut, (await readFile(ELF)).subarray(0, 100)); // the header survives, the section table does not
  const runs = join(work, "runs-cut");
  await assert.rejects(runDevice({ qemu: { elf: cut }, runsRoot: runs }), (e: unknown) => e instanceof LitlabError && e.code === "parse" && e.message.includes(cut) && /truncated|past the end/.test(e.message));
  assert.deepEqual(await foldersIn(runs), []);
});

test("a path that is not a serial port (/dev/null) is refused in plain words, no run folder", async () => {
  const runs = join(work, "runs-null");
  await assert.rejects(runDevice({ serial: { path: "/dev/null", timeoutMs: 2000 }, runsRoot: runs }),
    (e: unknown) => e instanceof LitlabError && /\/dev\/null is not a serial port/.test(e.message));
  assert.deepEqual(await foldersIn(runs), []);
});

test("Ctrl-C (abort) during a hanging firmware: partial run with the records that arrived, no QEMU left", async (t) => {
  if (!requireTool(t, "qemu-system-arm", hasQemu) || !requireTool(t, "arm-none-eabi-gcc", hasGcc)) return;
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 1500);
  const runs = join(work, "runs-int");
  const r = await runDevice({ qemu: { elf: ELF, append: ["hang-early"], timeoutMs: 60_000 }, runsRoot: runs, signal: stop.signal });
  assert.equal(r.manifest.status, "partial");
  assert.equal(r.manifest.device?.result, "interrupted");
  assert.ok(r.manifest.device!.problems.some((p) => /interrupted/.test(p)));
  assert.ok(r.capture.records.length >= 1, "the record printed before the hang is kept");
  const manifest = JSON.parse(await readFile(join(r.dir, "manifest.json"), "utf8")) as { status: string };
  assert.equal(manifest.status, "partial");
  const left = readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((p) => { try { return readFileSync(`/proc/${p}/cmdline`, "utf8").includes(ELF); } catch { return false; } });
  assert.deepEqual(left, []);
});
