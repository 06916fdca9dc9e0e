// Criterion's id ↔ directory rule (criterionDirName), raw.csv, and the property that a generated Criterion tree
// gives back every id exactly, however its folders were sanitised, truncated or de-duplicated.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import fc from "fast-check";
import { criterionDirName, CriterionDirNames, makeFilenameSafe, truncateUtf8 } from "../lib/ingest/criterion/dirName.js";
import { parseCsvRecords, parseRawCsv } from "../lib/ingest/criterion/rawCsv.js";
import { criterionRows } from "../lib/ingest/criterion/criterionRows.js";
import { readCriterionTree, ingestCriterionDir, criterionFilesBelow } from "../lib/ingest/readTree.js";
import { ParseError } from "../lib/errors.js";

const REAL = resolve(import.meta.dirname, "../../shared/real-inputs/criterion");

test("criterionDirName: Criterion's own directory_name for all 46 real benchmark.json files", async () => {
  let checked = 0;
  for await (const file of criterionFilesBelow(REAL)) {
    if (!file.endsWith("benchmark.json")) continue;
    const b = JSON.parse(await readFile(file, "utf8")) as { group_id: string; function_id: string | null; value_str: string | null; directory_name: string };
    const name = criterionDirName({ group: b.group_id, function: b.function_id, param: b.value_str });
    assert.equal(name, b.directory_name, file);
    // and the folder on disk is that name (…/<directory_name>/<baseline>/benchmark.json)
    assert.ok(relative(REAL, file).split(sep).join("/").includes(`${name}/`), file);
    checked++;
  }
  assert.equal(checked, 46);
});

test("criterionDirName: hand-checked cases", () => {
  // aoc2024: function "06.2: Guard Gallivant" → "06.2_ Guard Gallivant"; stack-queue: "tokio::mpsc" → "tokio__mpsc"
  assert.equal(criterionDirName({ group: "Day 06", function: "06.2: Guard Gallivant" }), "Day 06/06.2_ Guard Gallivant");
  assert.equal(criterionDirName({ group: "bounded", function: "tokio::mpsc", param: "64" }), "bounded/tokio__mpsc/64");
  // every one of ? " / \ * < > : | ^ (the ^ too, though Criterion's docs do not list it); a string is a group-only id
  assert.equal(criterionDirName(`a?b"c/d\\e*f<g>h:i|j^k`), "a_b_c_d_e_f_g_h_i_j_k");
  assert.equal(makeFilenameSafe("x/y"), "x_y");
  // 64 bytes at a char boundary: 40 × "é" (2 bytes) → 32; 63 × "a" + "é" → the é does not fit
  assert.equal(makeFilenameSafe("é".repeat(40)), "é".repeat(32));
  assert.equal(makeFilenameSafe("a".repeat(63) + "é"), "a".repeat(63));
  assert.equal(truncateUtf8("🦀".repeat(17), 64), "🦀".repeat(16)); // 4 bytes each, astral (two UTF-16 units)
  // each part on its own: only the long part is cut
  assert.equal(criterionDirName({ group: "g", function: "f".repeat(70), param: "p" }), `g/${"f".repeat(64)}/p`);
  // Windows only: trailing spaces trimmed after the cut, lowercased
  assert.equal(criterionDirName({ group: "Big Group ", function: "Fn" }, { windows: true }), "big group/fn");
  // de-duplication: the whole name gets _2, _3 (the same name twice, then the _2 name taken by a real id)
  const names = new CriterionDirNames();
  assert.deepEqual(
    [names.next({ group: "g", function: "a:b" }), names.next({ group: "g", function: "a|b" }), names.next({ group: "g", function: "a_b_2" }), names.next({ group: "g", function: "a?b" })],
    ["g/a_b", "g/a_b_2", "g/a_b_2_2", "g/a_b_3"],
  );
});

test("parseRawCsv: track (0.3.1 columns) and gridgen (0.2.11 columns) match their sample.json", async () => {
  // track-crit0.3.1 "Serialisation with bincode"/new/raw.csv line 2: `...,898687.0,ns,55840`; sample.json [0] the same
  const trackFile = join(REAL, "track-crit0.3.1/Serialisation with bincode/new/raw.csv");
  const track = parseRawCsv(await readFile(trackFile, "utf8"), trackFile);
  assert.equal(track.length, 100);
  assert.deepEqual({ ...track[0]! }, {
    id: "Serialisation with bincode", source: trackFile, baseline: "new", sample: 0, iterations: 55840, total_ns: 898687,
    per_iter_ns: 898687 / 55840, sampling_mode: "unknown",
  });
  // last line: 104232257.0 ns over 5584000 iterations
  assert.deepEqual([track[99]!.iterations, track[99]!.total_ns], [5584000, 104232257]);

  // gridgen-crit0.2.11 "Generate grid 128 (my method)"/base/raw.csv: group,function,value,sample_time_nanos,iteration_count
  const gridFile = join(REAL, "gridgen-crit0.2.11/Generate grid 128 (my method)/base/raw.csv");
  const grid = parseRawCsv(await readFile(gridFile, "utf8"), gridFile);
  assert.equal(grid[0]!.baseline, "base");
  const sample = JSON.parse(await readFile(join(REAL, "gridgen-crit0.2.11/Generate grid 128 (my method)/base/sample.json"), "utf8")) as [number[], number[]];
  assert.deepEqual(grid.map((s) => [s.iterations, s.total_ns]), sample[0].map((n, i) => [n, sample[1][i]]));
});

test("parseRawCsv: quoting, ids from the columns, custom units, bad lines", () => {
  const text = 'group,function,value,throughput_num,throughput_type,sample_measured_value,unit,iteration_count\r\n' +
    '"a, ""quoted"" group",f,"line\nbreak",64,bytes,2.5,us,5\r\n';
  const [s] = parseRawCsv(text, "x/raw.csv");
  assert.deepEqual([s!.id, s!.baseline, s!.total_ns, s!.per_iter_ns], ['a, "quoted" group/f/line\nbreak', "x", 2500, 500]);
  assert.deepEqual(parseCsvRecords("a,,\nb"), [["a", "", ""], ["b"]]);
  // a custom measurement's unit is kept as is (no ns to convert to)
  const cycles = parseRawCsv(text.replace(",us,", ",cycles,"), "raw.csv");
  assert.deepEqual([cycles[0]!.total_ns, cycles[0]!.baseline], [2.5, "new"]);
  assert.throws(() => parseRawCsv("", "r.csv"), { name: "ParseError", message: /^r\.csv: empty raw\.csv/ });
  assert.throws(() => parseRawCsv("a,b\n1,2\n", "r.csv"), { name: "ParseError", message: /^r\.csv: not a Criterion raw\.csv/ });
  assert.throws(() => parseRawCsv("group,sample_time_nanos,iteration_count\ng,NaN,3\n", "r.csv"), { name: "ParseError", message: /^r\.csv: line 2: sample is not/ });
  assert.throws(() => parseRawCsv("group,sample_time_nanos,iteration_count\ng,1\n", "r.csv"), (e: unknown) => e instanceof ParseError && e.message === "r.csv: line 2: 2 fields, the header has 3");
});

test("criterionRows: raw.csv stands in for a missing sample.json, with the id from benchmark.json", async () => {
  const dir = join(REAL, "track-crit0.3.1");
  const all = await readCriterionTree(dir);
  const withSampleJson = criterionRows(all);
  // readCriterionTree does not read raw.csv (files.ts); hand it in as a tree that lost its sample.json files would
  const files = all.filter((f) => !f.path.endsWith("sample.json"));
  for (const f of all.filter((f) => f.path.endsWith("sample.json"))) {
    const raw = f.path.replace(/sample\.json$/, "raw.csv");
    files.push({ path: raw, text: await readFile(join(dir, raw), "utf8") });
  }
  const fromCsv = criterionRows(files);
  assert.deepEqual(fromCsv.rows, withSampleJson.rows);
  const strip = (s: { id: string; baseline: string; iterations: number; total_ns: number }) => [s.id, s.baseline, s.iterations, s.total_ns];
  assert.equal(fromCsv.samples.length, 600); // 3 benchmarks × new, base × 100
  assert.deepEqual(fromCsv.samples.map(strip), withSampleJson.samples.map(strip));
  assert.equal(fromCsv.samples[0]!.source, "Monitoring Change/new/raw.csv");
});

// ---- property: id → directory (Criterion's rule) → ingest → the same id ----

// Parts mix plain text, Criterion's unsafe characters, separators and any unicode (valid code points, as Rust
// strings are), sometimes longer than 64 bytes. Left out: parts that make no folder (empty, ".", ".."; Criterion
// itself writes those into the parent) and NUL (no file name may hold it). Dot-names and "report" stay in: the tree
// reader once skipped them and lost such benchmarks.
const part = fc
  .oneof(
    // names that collide once sanitised (→ _2, _3) or nest one benchmark's folder inside another's
    fc.constantFrom("g", "a:b", "a|b", "a_b", "a_b_2", "new", "base", "x/y", "report", ". ", ".hidden"),
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.stringMatching(/^[a-z?"/\\*<>:|^ é🦀]{1,20}$/),
    fc.string({ unit: "binary", minLength: 1, maxLength: 30 }),
    fc.string({ unit: fc.constantFrom("a", "é", "🦀", ":", "/"), minLength: 60, maxLength: 90 }),
  )
  .filter((s) => !s.includes("\0") && ![".", ".."].includes(makeFilenameSafe(s)));

// most parts come from a few colliding names, so trees share folders and need _2 suffixes
const often = fc.oneof({ arbitrary: fc.constantFrom("g", "a:b", "a|b", "a_b", "a_b_2", "new"), weight: 3 }, part);
const benchId = fc.record({ group: often, function: fc.option(often, { nil: null }), param: fc.option(often, { nil: null }) });

test("property: a generated Criterion tree gives back every id exactly", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-rt-"));
  let run = 0;
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.array(benchId, { minLength: 1, maxLength: 6 }),
        async (ids) => {
          const dir = join(root, String(run++));
          const names = new CriterionDirNames();
          const want = new Map<string, number>();
          for (const [i, b] of ids.entries()) {
            const fullId = [b.group, b.function, b.param].filter((p) => p !== null).join("/");
            // Criterion warns about and later overwrites a repeated full id; each kept id is distinct here
            if (want.has(fullId)) continue;
            want.set(fullId, i);
            const base = join(dir, ...names.next(b).split("/"), "new");
            await mkdir(base, { recursive: true });
            await writeFile(join(base, "benchmark.json"), JSON.stringify({
              group_id: b.group, function_id: b.function, value_str: b.param, throughput: null, full_id: fullId, directory_name: "ignored", title: fullId,
            }));
            // mean i+1 ns tells the benchmarks apart in the rows
            const e = (v: number) => ({ confidence_interval: { confidence_level: 0.95, lower_bound: v, upper_bound: v }, point_estimate: v, standard_error: 0 });
            await writeFile(join(base, "estimates.json"), JSON.stringify({ mean: e(i + 1), median: e(i + 1), median_abs_dev: e(0), slope: null, std_dev: e(0) }));
          }
          const { rows } = await ingestCriterionDir(dir);
          const got = new Map(rows.filter((r) => r.stat === "typical" && r.metric === "time").map((r) => [r.id, r.value - 1]));
          assert.deepEqual([...got.entries()].sort(), [...want.entries()].sort());
          for (const r of rows) {
            const b = ids[want.get(r.id)!]!;
            assert.deepEqual([r.group, r.function, r.param], [b.group, b.function, b.param]);
          }
        },
      ),
      { numRuns: 50 },
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
