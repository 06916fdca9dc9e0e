// Guards a new user asked for: unfinished or unrelated runs, broken sample tables, ticks of different devices, and
// saying when no run-to-run floors could be learned.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";

const ROOT = resolve(import.meta.dirname, "..");
const cli = (args: string[]) => execa("node", [join(ROOT, "bin/litlab.js"), "compare", ...args], { reject: false });

test("compare: running runs, nothing in common, broken samples, other devices, no floors", async () => {
  const quick = join(ROOT, "data/calibration/quick");
  const [a, b] = (await readdir(quick)).filter((d) => !d.startsWith(".")).sort();
  const tmp = await mkdtemp(join(tmpdir(), "litlab-compare-guards-"));
  try {
    // two runs alone in a folder: no repeated runs to learn floors from, and stderr says so
    await cp(join(quick, a!), join(tmp, "a"), { recursive: true });
    await cp(join(quick, b!), join(tmp, "b"), { recursive: true });
    const alone = await cli([join(tmp, "a"), join(tmp, "b")]);
    assert.equal(alone.exitCode, 0, alone.stderr);
    assert.match(alone.stderr, /no run-to-run floors: 0 repeated run\(s\)/);

    // a run still being written is refused
    const m = JSON.parse(await readFile(join(tmp, "b/manifest.json"), "utf8")) as { status: string };
    await writeFile(join(tmp, "b/manifest.json"), JSON.stringify({ ...m, status: "running" }));
    const running = await cli([join(tmp, "a"), join(tmp, "b")]);
    assert.equal(running.exitCode, 2);
    assert.match(running.stderr, /is still running/);
    await writeFile(join(tmp, "b/manifest.json"), JSON.stringify(m));

    // one broken line in the samples table is an error naming the file and line, not a silent "no samples"
    const samples = join(tmp, "b/tables/samples.jsonl");
    const lines = (await readFile(samples, "utf8")).split("\n");
    lines[4] = "not json at all";
    await writeFile(samples, lines.join("\n"));
    const broken = await cli([join(tmp, "a"), join(tmp, "b")]);
    assert.equal(broken.exitCode, 2);
    assert.match(broken.stderr, new RegExp(`${samples.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:5: invalid JSON line`));

    // a host run against a device run: nothing in common is an error, not an empty "0 of 0" review
    const device = join(ROOT, "data/bundled-device", (await readdir(join(ROOT, "data/bundled-device"))).find((d) => d.endsWith("thumbv7m-mps2-an385"))!);
    const unrelated = await cli([join(tmp, "a"), device, "--fail-on", "regression"]);
    assert.equal(unrelated.exitCode, 2);
    assert.match(unrelated.stderr, /have no benchmark in common/);

    // ticks of two different targets are not compared as exact changes
    const riscv = join(ROOT, "data/bundled-device", (await readdir(join(ROOT, "data/bundled-device"))).find((d) => d.endsWith("riscv32-virt"))!);
    const devices = await cli([device, riscv, "--json"]);
    assert.equal(devices.exitCode, 0, devices.stderr);
    const rows = devices.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string; unit: string; verdict: string; note: string | null });
    const ticks = rows.filter((r) => r.unit === "ticks" && !r.verdict.startsWith("missing"));
    assert.ok(ticks.length > 0);
    for (const r of ticks) {
      assert.equal(r.verdict, "inconclusive");
      assert.match(r.note!, /not comparable: ticks of thumbv7m-none-eabi on mps2-an385 vs riscv32imac-unknown-none-elf on virt/);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test("compare --noise-from leaves the two compared runs out of the floors", async () => {
  const quick = join(ROOT, "data/calibration/quick");
  const [a, b] = (await readdir(quick)).filter((d) => !d.startsWith(".")).sort();
  const r = await cli([join(quick, a!), join(quick, b!), "--noise-from", quick]);
  assert.equal(r.exitCode, 0, r.stderr);
  // 8 runs in the folder, the compared 2 left out
  assert.match(r.stderr, /learned from 6 runs in/);
});
