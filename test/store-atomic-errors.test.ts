// writeFileAtomic on paths a user can get wrong: a folder, a file where a folder should be, a folder nobody may write.
// Each is one LitlabError("io") line naming the path, what went wrong and what to do; `litlab footprint --markdown DIR`
// prints it without a stack and exits 2. (The CLI test needs the build: `npx tsc -p .`.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { LitlabError } from "../lib/errors.js";
import { writeFileAtomic, writeJsonAtomic } from "../lib/store/atomic.js";

const ROOT = resolve(import.meta.dirname, "..");
const FIRMWARE = join(ROOT, "workloads/firmware/target/thumbv7m-none-eabi/release/litlab-firmware");

/** Runs `f` and returns the LitlabError it rejects with (fails on anything else). */
async function ioError(f: () => Promise<unknown>): Promise<LitlabError> {
  try {
    await f();
  } catch (e) {
    assert.ok(e instanceof LitlabError, `not a LitlabError: ${String(e)}`);
    assert.equal(e.code, "io");
    assert.doesNotMatch(e.message, /\n/);
    return e;
  }
  assert.fail("no error");
}

test("writeFileAtomic: a path that is a folder", async () => {
  const dir = await mkdtemp(join(tmpdir(), "litlab-atomic-"));
  const out = join(dir, "reports");
  await mkdir(out);
  const e = await ioError(() => writeFileAtomic(out, "x"));
  assert.equal(e.message, `${out}: cannot write (it is a folder): give a file path instead, e.g. a name inside that folder`);
  assert.equal(e.file, out);
  // nothing left behind: no temp file next to it, the folder untouched
  assert.deepEqual(await readdir(dir), ["reports"]);
  assert.deepEqual(await readdir(out), []);
});

test("writeFileAtomic: a file where its folder should be (directly above, or further up)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "litlab-atomic-"));
  const file = join(dir, "notes.txt");
  await writeFile(file, "keep me");
  const e1 = await ioError(() => writeFileAtomic(join(file, "out.md"), "x"));
  assert.equal(e1.message, `${join(file, "out.md")}: cannot write (its folder ${file} cannot be created: a part of the path is a file, not a folder): choose another path, or move the file that stands where the folder ${file} should be`);
  const deep = join(file, "a", "b", "out.json");
  const e2 = await ioError(() => writeJsonAtomic(deep, { a: 1 }));
  assert.match(e2.message, new RegExp(`^${deep.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: cannot write \\(its folder ${join(file, "a", "b").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} cannot be created: a part of the path is a file, not a folder\\): `));
  assert.equal(await readFile(file, "utf8"), "keep me");
});

test("writeFileAtomic: a folder that cannot be written (/sys refuses even root)", async (t) => {
  if (!existsSync("/sys/kernel")) { t.skip("no /sys on this system"); return; }
  const e = await ioError(() => writeFileAtomic("/sys/kernel/litlab-report.md", "x"));
  assert.equal(e.message, "/sys/kernel/litlab-report.md: cannot write (permission denied): choose a folder you can write to, or fix the permissions of /sys/kernel");
});

test("writeFileAtomic: ordinary writes still work, folders are created", async () => {
  const dir = await mkdtemp(join(tmpdir(), "litlab-atomic-"));
  const path = join(dir, "a", "b", "c.txt");
  await writeFileAtomic(path, "one");
  await writeFileAtomic(path, "two");
  assert.equal(await readFile(path, "utf8"), "two");
  assert.deepEqual(await readdir(join(dir, "a", "b")), ["c.txt"]);
});

test("litlab footprint ELF --markdown DIR: one line, no stack, exit 2", async (t) => {
  if (!existsSync(join(ROOT, "dist/lib/cli/main.js"))) { t.skip("not built: run `npx tsc -p .`"); return; }
  if (!existsSync(FIRMWARE)) { t.skip("no firmware ELF: run `npm run firmware`"); return; }
  const dir = await mkdtemp(join(tmpdir(), "litlab-atomic-cli-"));
  const r = spawnSync(process.execPath, [join(ROOT, "bin/litlab.js"), "footprint", FIRMWARE, "--markdown", dir], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, `litlab: ${dir}: cannot write (it is a folder): give a file path instead, e.g. a name inside that folder\n`);
  assert.equal(r.stdout, "");
});
