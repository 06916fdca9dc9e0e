// The FormatReaders for Criterion stdout and bencher lines: content detection over every real input, and read().
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import type { Dirent } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bencherReader, criterionStdoutReader } from "../lib/ingest/text/readers.js";

const SHARED = resolve(import.meta.dirname, "../../shared/real-inputs");
const files = async (dir: string): Promise<string[]> => (await readdir(join(SHARED, dir))).sort().map((f) => join(SHARED, dir, f));

test("every criterion-text file is Criterion stdout and not bencher, and loads", async () => {
  for (const f of await files("criterion-text")) {
    assert.equal(await criterionStdoutReader.detect(f, false), true, f);
    assert.equal(await bencherReader.detect(f, false), false, f);
    const { rows, samples } = await criterionStdoutReader.read(f, false);
    assert.ok(rows.length > 0, f);
    assert.deepEqual(samples, []);
  }
});

test("every bencher file is bencher and not Criterion stdout, and loads", async () => {
  for (const f of await files("bencher")) {
    assert.equal(await bencherReader.detect(f, false), true, f);
    assert.equal(await criterionStdoutReader.detect(f, false), false, f);
    assert.ok((await bencherReader.read(f, false)).rows.length > 0, f);
  }
});

async function* walk(dir: string): AsyncGenerator<string> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

test("no other real input (JSON trees, dhat, massif, perf, the README quoting Criterion lines) is claimed", async () => {
  let n = 0;
  for await (const f of walk(SHARED)) {
    if (f.includes("/criterion-text/") || f.includes("/bencher/")) continue;
    n++;
    assert.equal(await criterionStdoutReader.detect(f, false), false, f);
    assert.equal(await bencherReader.detect(f, false), false, f);
  }
  assert.ok(n > 20);
});

test("neither reader claims folders, Criterion JSON, other text or binary files", async () => {
  const dir = await mkdtemp(join(tmpdir(), "litlab-text-"));
  try {
    const estimates = join(SHARED, "criterion/ecs_bench_suite-crit0.3");
    const others = [join(dir, "notes.txt"), join(dir, "blob.bin"), join(dir, "empty.txt")];
    await writeFile(others[0]!, "time: to write some notes\nrunning 0 tests\ntest result: ok.\n");
    await writeFile(others[1]!, Buffer.from([0x82, 0x00, 0x74, 0x69, 0x6d, 0x65, 0x3a, 0x20, 0x5b, 0x31, 0x20, 0x32]));
    await writeFile(others[2]!, "");
    for (const reader of [criterionStdoutReader, bencherReader]) {
      assert.equal(await reader.detect(estimates, true), false);
      assert.equal(await reader.detect(SHARED, true), false);
      for (const f of others) assert.equal(await reader.detect(f, false), false, `${reader.kind} ${f}`);
      assert.equal(await reader.detect(join(dir, "missing.txt"), false), false);
    }
    await assert.rejects(criterionStdoutReader.read(others[0]!, false), /notes\.txt: no Criterion results found/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("read(): source is the file name, target comes from a run folder's <target>.stdout.txt", async () => {
  const dir = await mkdtemp(join(tmpdir(), "litlab-text-"));
  try {
    const f = join(dir, "memory_usage.stdout.txt");
    await copyFile(resolve(import.meta.dirname, "fixtures/text/litbit-memory-usage.stdout.txt"), f);
    assert.equal(await criterionStdoutReader.detect(f, false), true);
    const { rows } = await criterionStdoutReader.read(f, false);
    assert.ok(rows.every((r) => r.source === "memory_usage.stdout.txt" && r.target === "memory_usage"));
    assert.equal(rows.filter((r) => r.metric === "memory").length, 3);

    const plain = join(SHARED, "criterion-text/limbo-quotes-colons-kelem.txt");
    const limbo = (await criterionStdoutReader.read(plain, false)).rows;
    assert.ok(limbo.every((r) => r.source === "limbo-quotes-colons-kelem.txt" && r.target === null));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a lit-bit print with no Criterion line in the first 64 KB is still Criterion stdout", async () => {
  const dir = await mkdtemp(join(tmpdir(), "litlab-text-"));
  try {
    const block = "\n🎯 Memory Usage KPI Validation\n==============================\nCurrent memory: 864 bytes\nPeak memory:    864 bytes\nKPI target:     512 bytes\nStatus:         ❌ FAIL\n";
    const f = join(dir, "memory_usage.stdout.txt");
    await writeFile(f, block.repeat(600) + `kpi_validation/single_actor_512b_target\n${" ".repeat(24)}time:   [1.0 µs 1.1 µs 1.2 µs]\n`);
    assert.equal(await criterionStdoutReader.detect(f, false), true);
    assert.equal(await bencherReader.detect(f, false), false);
    const { rows } = await criterionStdoutReader.read(f, false);
    assert.equal(rows.filter((r) => r.metric === "memory").length, 3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
