// `importRun` (litlab ingest --into) and `reindexRun`: foreign results copied unchanged into a new run, the
// manifest saying where they came from, and tables that rebuild to the same bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { LitlabError } from "../lib/errors.js";
import { importRun } from "../lib/store/importRun.js";
import { reindexRun } from "../lib/store/reindex.js";
import { loadRun, readManifest } from "../lib/store/runFolder.js";
import { writeHostRunFolder } from "../bench/hostRunFixture.js";

const REAL = resolve(import.meta.dirname, "../../shared/real-inputs/criterion");
const SZSE = join(REAL, "szse-crit0.5.1-throughput");
const TRACK = join(REAL, "track-crit0.3.1");
const tmp = (p: string) => mkdtemp(join(tmpdir(), `litlab-${p}-`));

/** path (relative) → sha256 of every file below dir, plus the listing itself. */
async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    out[relative(dir, full)] = createHash("sha256").update(await readFile(full)).digest("hex");
  }
  return out;
}

test("importRun copies the sources unchanged, records where they came from, and never modifies them", async () => {
  const root = await tmp("import");
  const before = { szse: await hashTree(SZSE), track: await hashTree(TRACK) };
  const r = await importRun([SZSE, TRACK], { id: "old-results", runsRoot: root, label: "from CI" });
  assert.deepEqual({ szse: await hashTree(SZSE), track: await hashTree(TRACK) }, before);
  assert.deepEqual(r.failures, []);
  assert.equal(r.dir, join(root, "old-results"));

  const m = await readManifest(r.dir);
  assert.equal(m.kind, "import");
  assert.equal(m.status, "ok");
  assert.equal(m.label, "from CI");
  assert.equal(m.host, null); // where foreign results ran is not known
  assert.deepEqual(m.imports!.map((i) => [i.source, i.reader, i.copy]), [
    [SZSE, "criterion", "raw/import/1-szse-crit0.5.1-throughput"],
    [TRACK, "criterion", "raw/import/2-track-crit0.3.1"],
  ]);
  // szse holds 3 benchmarks × 2 baselines × 4 files (benchmark, estimates, sample, tukey) = 24 files
  assert.equal(m.imports![0]!.files.length, 24);
  const est = m.imports![0]!.files.find((f) => f.path === "TickTrade_batch/parse_10k/new/estimates.json")!;
  assert.equal(est.sha256, before.szse["TickTrade_batch/parse_10k/new/estimates.json"]);
  assert.ok(m.imports![0]!.importedAt <= m.endedAt!);
  assert.equal(typeof m.imports![0]!.importedBy.hostname, "string");
  // the copy is byte for byte the source
  assert.deepEqual(await hashTree(join(r.dir, "raw/import/1-szse-crit0.5.1-throughput")), before.szse);

  // rows come from the copies; 42 szse rows (see cli-ingest.test.ts) + 38 track rows
  assert.equal(r.rows.length, 80);
  const run = await loadRun(r.dir);
  const row = run.rows.find((x) => x.id === "TickTrade_batch/parse_10k" && x.stat === "typical" && x.metric === "time" && x.baseline === "new")!;
  // TickTrade_batch/parse_10k/new/estimates.json: slope.point_estimate
  assert.equal(row.value, 122573.01232119107);
  assert.equal(row.source, "1-szse-crit0.5.1-throughput/TickTrade_batch/parse_10k/new/estimates.json");
  assert.equal(row.run, "old-results");
});

test("reindex rebuilds the same bytes, for import runs and host runs", async () => {
  const root = await tmp("reindex");
  const imp = await importRun([SZSE, TRACK], { id: "imp", runsRoot: root });
  const host = await writeHostRunFolder(root, "host", { targets: { message_throughput: [
    { group: "message_throughput", function: "tokio_single", param: "1000", slopeNs: 34533, elements: 1000 },
    { group: "message_throughput", function: "futures_lite", param: "1000", slopeNs: 19364, elements: 1000 },
  ] } });
  for (const dir of [imp.dir, host.dir]) {
    const first = { rows: await readFile(join(dir, "tables/rows.jsonl")), samples: await readFile(join(dir, "tables/samples.jsonl")) };
    assert.ok(first.rows.length > 0);
    await rm(join(dir, "tables"), { recursive: true });
    for (let i = 0; i < 2; i++) {
      await reindexRun(dir);
      assert.ok((await readFile(join(dir, "tables/rows.jsonl"))).equals(first.rows), `${dir} rows, reindex ${i + 1}`);
      assert.ok((await readFile(join(dir, "tables/samples.jsonl"))).equals(first.samples), `${dir} samples, reindex ${i + 1}`);
    }
    assert.equal((await readManifest(dir)).status, "ok");
  }
  // host run: 2 benchmarks × (typical + 5 stats + throughput) = 14 rows
  assert.equal((await loadRun(host.dir)).rows.length, 14);
});

test("reindex without raw files, and bad import inputs, are one-line LitlabErrors naming the folder or file", async () => {
  const root = await tmp("bad");
  const host = await writeHostRunFolder(root, "h", { targets: { t: [{ group: "g", function: "f", param: null, slopeNs: 5 }] } });
  await rm(join(host.dir, "raw/criterion"), { recursive: true });
  await assert.rejects(reindexRun(host.dir), (e: unknown) => e instanceof LitlabError
    && e.message === `${host.dir}: no raw files to rebuild tables from (raw/criterion is missing or holds no Criterion files)`);
  const imp = await importRun([SZSE], { id: "i", runsRoot: root });
  await rm(join(imp.dir, "raw/import"), { recursive: true });
  await assert.rejects(reindexRun(imp.dir), (e: unknown) => e instanceof LitlabError
    && e.message === `${imp.dir}: no raw files to rebuild tables from (missing raw/import/1-szse-crit0.5.1-throughput)`);
  await assert.rejects(reindexRun(join(root, "nope")), /nope is not a litlab run folder \(no manifest.json\)/);

  await assert.rejects(importRun([SZSE], { id: "../x", runsRoot: root }), /invalid run id "\.\.\/x": it contains a path separator/);
  // nothing readable: nothing created
  const empty = join(root, "empty-dir");
  await mkdir(empty);
  await assert.rejects(importRun([empty], { id: "e", runsRoot: root }), (e: unknown) => e instanceof LitlabError && e.message.startsWith(`${empty}: unrecognised format`));
  assert.deepEqual((await readdir(root)).sort(), ["empty-dir", "h", "i"]);
});

test("a batch import reports the bad source and imports the good ones; a lone Criterion file is refused", async () => {
  const root = await tmp("batch");
  const bad = join(root, "bad.json");
  await writeFile(bad, "{ not json");
  const r = await importRun([bad, SZSE], { id: "mixed", runsRoot: root });
  assert.equal(r.failures.length, 1);
  assert.equal(r.failures[0]!.path, bad);
  assert.match(r.failures[0]!.error.message, new RegExp(`^${bad}: unrecognised format`));
  assert.equal(r.manifest.status, "partial");
  assert.equal(r.manifest.imports!.length, 1);
  assert.equal(r.rows.length, 42);

  // a lone estimates.json means something only next to its benchmark.json: its copy alone cannot be read
  const tree = join(root, "tree");
  await cp(SZSE, tree, { recursive: true });
  const lone = join(tree, "MsgHeader/parse/new/estimates.json");
  await assert.rejects(importRun([lone], { id: "lone", runsRoot: root }), /cannot be imported on its own .*import the folder that holds it/);
  assert.deepEqual((await readdir(root)).sort(), ["bad.json", "mixed", "tree"]); // no folder left for the failed import
});
