import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { ParseError } from "../lib/errors.js";
import type { TidyRow } from "../lib/ingest/rows.js";
import { jemallocStats } from "../lib/ingest/memory/jemalloc.js";
import { requireTool } from "./helpers/tools.js";

const REAL = "/work/shared/real-inputs/jemalloc";
const FIX = new URL("./fixtures/memory/", import.meta.url).pathname;
const read = (p: string): string => readFileSync(p, "utf8");
const LIBJEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";

function stat(rows: TidyRow[], id: string, name: string): TidyRow {
  const r = rows.find((x) => x.id === id && x.stat === name);
  assert.ok(r, `no row ${id} ${name} in ${rows.map((x) => `${x.id}:${x.stat}`).join(", ")}`);
  return r;
}

test("jemalloc JSON fragment (PR 697): the stats figures, with a warning that it is a fragment", () => {
  const r = jemallocStats(read(`${REAL}/jemalloc-pr697-json-stats-fragment.txt`), { source: "jemalloc-pr697-json-stats-fragment.txt" });
  const id = "jemalloc-pr697-json-stats-fragment";
  // lines 2-7 of the file
  assert.equal(stat(r.rows, id, "allocated_bytes").value, 485234768);
  assert.equal(stat(r.rows, id, "active_bytes").value, 689500160);
  assert.equal(stat(r.rows, id, "metadata_bytes").value, 67486528);
  assert.equal(stat(r.rows, id, "resident_bytes").value, 5974847488);
  assert.equal(stat(r.rows, id, "mapped_bytes").value, 6024658944);
  assert.equal(stat(r.rows, id, "retained_bytes").value, 2649161728);
  assert.equal(stat(r.rows, id, "allocated_bytes").unit, "bytes");
  assert.equal(stat(r.rows, id, "allocated_bytes").metric, "jemalloc");
  // 1 − 485234768/689500160 ≈ 0.2963; 1 − 689500160/5974847488 ≈ 0.8846
  assert.ok(Math.abs(stat(r.rows, id, "internal_fragmentation").value - 0.29625) < 1e-4);
  assert.ok(Math.abs(stat(r.rows, id, "page_fragmentation").value - 0.88460) < 1e-4);
  assert.equal(stat(r.rows, id, "page_fragmentation").unit, "ratio");
  assert.equal(r.rows.length, 8); // the "locks" object is not read
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /fragment/);
  assert.deepEqual(r.bins, []);
});

test("jemalloc 5.2.1 text excerpt (StarRocks): the Allocated line, values above 2^32 exact, merged small/large", () => {
  const r = jemallocStats(read(`${REAL}/starrocks-memz-jemalloc-5.2.1-text-excerpt.txt`), { source: "memz.txt", id: "be" });
  // line 63: Allocated: 23549031352, active: 25295286272, metadata: 1065318656 (n_thp 0), resident: 26613735424, mapped: 26898759680, retained: 160729759744
  assert.equal(stat(r.rows, "be", "allocated_bytes").value, 23549031352);
  assert.equal(stat(r.rows, "be", "active_bytes").value, 25295286272);
  assert.equal(stat(r.rows, "be", "metadata_bytes").value, 1065318656);
  assert.equal(stat(r.rows, "be", "resident_bytes").value, 26613735424);
  assert.equal(stat(r.rows, "be", "mapped_bytes").value, 26898759680);
  assert.equal(stat(r.rows, "be", "retained_bytes").value, 160729759744);
  // "Merged arenas stats:" then `small:  16484017080 ...`, `large:  7065014272 ...`
  assert.equal(stat(r.rows, "be", "small_allocated_bytes").value, 16484017080);
  assert.equal(stat(r.rows, "be", "large_allocated_bytes").value, 7065014272);
  assert.equal(stat(r.rows, "be", "internal_fragmentation").value, 1 - 23549031352 / 25295286272);
  assert.ok(r.rows.every((x) => x.format === "jemalloc-text" && x.source === "memz.txt"));
  assert.deepEqual(r.warnings, []);
});

test("jemalloc JSON captured here (libjemalloc2 5.3.0) after program stderr lines: figures and the bins table", () => {
  const r = jemallocStats(read(`${FIX}jemalloc-python.stderr.txt`), { source: "jemalloc-python.stderr.txt" });
  const id = "jemalloc-python";
  // "stats":{"allocated":1397352,"active":2039808,"metadata":2765936,...,"resident":5840896,"mapped":9453568,"retained":1556480
  assert.equal(stat(r.rows, id, "allocated_bytes").value, 1397352);
  assert.equal(stat(r.rows, id, "active_bytes").value, 2039808);
  assert.equal(stat(r.rows, id, "metadata_bytes").value, 2765936);
  assert.equal(stat(r.rows, id, "resident_bytes").value, 5840896);
  assert.equal(stat(r.rows, id, "mapped_bytes").value, 9453568);
  assert.equal(stat(r.rows, id, "retained_bytes").value, 1556480);
  // merged: "small":{"allocated":787048,...}, "large":{"allocated":610304,...}, "tcache_bytes":777176
  assert.equal(stat(r.rows, id, "small_allocated_bytes").value, 787048);
  assert.equal(stat(r.rows, id, "large_allocated_bytes").value, 610304);
  assert.equal(787048 + 610304, 1397352); // small + large = allocated: the merged section is the whole heap
  assert.equal(stat(r.rows, id, "tcache_bytes").value, 777176);
  assert.equal(stat(r.rows, id, "internal_fragmentation").value, 1 - 1397352 / 2039808);
  assert.deepEqual(r.warnings, []);
  // arenas.bin[0] = {"size":8,"nregs":512,"slab_size":4096}; merged bins[0] = {"nmalloc":100,"ndalloc":75,"curregs":25,"nrequests":65,...,"curslabs":1,"nonfull_slabs":0}
  const b8 = r.bins.find((b) => b.size === 8);
  assert.deepEqual(b8, {
    id, source: "jemalloc-python.stderr.txt", size: 8, nregs: 512, slab_size: 4096, curregs: 25, curslabs: 1, nonfull_slabs: 0,
    nmalloc: 100, ndalloc: 75, nrequests: 65, live_bytes: 200, utilization: 25 / 512,
  });
  assert.ok(r.bins.length > 5 && r.bins.length <= 36);
  assert.ok(r.bins.every((b) => b.nmalloc > 0 || b.curregs > 0));
  // live bytes of the small classes never exceed small.allocated (tcache-held regions count as allocated by jemalloc)
  assert.ok(r.bins.reduce((s, b) => s + b.live_bytes, 0) <= 787048);
});

test("several processes under LD_PRELOAD: one document each, numbered #1, #2, the glued stderr line skipped", () => {
  const text = read(`${FIX}jemalloc-process-tree.stderr.txt`);
  assert.match(text, /\}\}\}\}child two stderr\n\{"jemalloc"/); // no newline after a document
  const r = jemallocStats(text, { source: "tree.stderr.txt", id: "tree" });
  assert.equal(stat(r.rows, "tree#1", "allocated_bytes").value, 1424968);
  assert.equal(stat(r.rows, "tree#2", "allocated_bytes").value, 1425544);
  assert.equal(stat(r.rows, "tree#2", "retained_bytes").value, 1658880);
  assert.equal(r.rows.filter((x) => x.id === "tree#1").length, 8); // opts `g m`: no merged section, no bins
  assert.deepEqual(r.bins, []);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /2 jemalloc reports/);
});

test("a JSON document cut off after its stats object: the stats figures with a warning", () => {
  const text = read(`${FIX}jemalloc-python.stderr.txt`);
  const cut = text.slice(0, text.indexOf('"stats.arenas"'));
  const r = jemallocStats(cut, { source: "cut.txt" });
  assert.equal(stat(r.rows, "cut", "allocated_bytes").value, 1397352);
  assert.match(r.warnings.join("\n"), /truncated/);
  assert.deepEqual(r.bins, []);
});

test("bad jemalloc inputs: ParseError naming the file", () => {
  const text = read(`${FIX}jemalloc-python.stderr.txt`);
  assert.throws(() => jemallocStats("", { source: "empty.txt" }), (e: unknown) => e instanceof ParseError && /^empty\.txt: empty/.test(e.message));
  // truncated before the "stats" object: nothing to salvage
  assert.throws(
    () => jemallocStats(text.slice(0, 2000), { source: "trunc.txt" }),
    (e: unknown) => e instanceof ParseError && e.file === "trunc.txt" && /truncated/.test(e.message),
  );
  assert.throws(
    () => jemallocStats("program: hello\nno stats here\n", { source: "other.txt" }),
    (e: unknown) => e instanceof ParseError && /^other\.txt: no jemalloc statistics found/.test(e.message),
  );
});

test("live capture: a program run under LD_PRELOAD of libjemalloc.so.2 with stats_print_opts:J", (t) => {
  if (!requireTool(t, "libjemalloc2", existsSync(LIBJEMALLOC), `${LIBJEMALLOC} missing; apt-get install libjemalloc2`)) return;
  // perl allocates through malloc and exits through libc's exit, so jemalloc's atexit stats hook runs
  const p = spawnSync("perl", ["-e", 'print STDERR "before stats\\n"; my @a = map { "x" x 100 } 1..10000;'], {
    env: { ...process.env, LD_PRELOAD: LIBJEMALLOC, MALLOC_CONF: "stats_print:true,stats_print_opts:Jdalxeh" },
    encoding: "utf8",
  });
  assert.equal(p.status, 0);
  assert.match(p.stderr, /^before stats\n\{"jemalloc":/);
  const r = jemallocStats(p.stderr, { id: "perl" });
  const allocated = stat(r.rows, "perl", "allocated_bytes").value;
  // 10000 strings of 100 bytes are live at exit (perl frees nothing before global destruction)
  assert.ok(allocated > 10000 * 100, `allocated ${allocated}`);
  assert.ok(allocated <= stat(r.rows, "perl", "active_bytes").value);
  const frag = stat(r.rows, "perl", "internal_fragmentation").value;
  assert.ok(frag >= 0 && frag < 1);
  assert.ok(r.bins.some((b) => b.size === 112 || b.size === 128), "the size class of a 100-byte string has live regions");
});

test("no merged section (one arena, or opts without it): bins and small/large summed over the numbered arenas", () => {
  const text = read(`${FIX}jemalloc-python.stderr.txt`);
  const doc = JSON.parse(text.slice(text.indexOf('{"jemalloc"'))) as { jemalloc: { "stats.arenas": Record<string, unknown> } };
  const merged = doc.jemalloc["stats.arenas"]["merged"];
  // the same arena twice as "0" and "1": every counter doubles
  doc.jemalloc["stats.arenas"] = { "0": merged, "1": merged };
  const r = jemallocStats(JSON.stringify(doc), { id: "two" });
  assert.equal(stat(r.rows, "two", "small_allocated_bytes").value, 2 * 787048);
  assert.equal(stat(r.rows, "two", "allocated_bytes").value, 1397352); // the global figure is not per arena
  const b8 = r.bins.find((b) => b.size === 8);
  assert.equal(b8?.curregs, 50);
  assert.equal(b8?.nmalloc, 200);
});
