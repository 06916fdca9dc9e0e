// Criterion's printed results (../shared/real-inputs/criterion-text). Every expected number was read by hand from
// the line of the file named in the comment next to it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { criterionStdout } from "../lib/ingest/text/criterionStdout.js";
import { ParseError } from "../lib/errors.js";
import type { TidyRow } from "../lib/ingest/rows.js";
import { idsOf, oneRow } from "./helpers/rows.js";

const REAL = resolve(import.meta.dirname, "../../shared/real-inputs/criterion-text");
const real = (name: string): string => readFileSync(resolve(REAL, name), "utf8");

const one = oneRow;
const ids = idsOf;
const count = (rows: TidyRow[], metric: string, stat: string): number => rows.filter((r) => r.metric === metric && r.stat === stat).length;

test("chacha20: custom measurement (cycles, cpb), three-line change block, Running/Gnuplot noise", () => {
  const { rows, warnings } = criterionStdout(real("chacha20-avx2-cycles-cpb.txt"), { source: "chacha.txt", target: "chacha20" });
  assert.deepEqual(warnings, []);
  assert.equal(ids(rows).length, 10);
  assert.equal(rows.length, 40); // per result: time, throughput, change mean, change p
  const id = "stream-cipher/apply_keystream/1024";
  // `time:   [1029.9477 cycles 1033.5128 cycles 1037.3747 cycles]`
  assert.deepEqual(one(rows, id, "time", "typical"), {
    id, group: "stream-cipher", function: "apply_keystream", param: "1024", source: "chacha.txt", format: "criterion-stdout",
    metric: "time", stat: "typical", value: 1033.5128, unit: "cycles", lower: 1029.9477, upper: 1037.3747,
    confidence: null, baseline: "new", target: "chacha20",
  });
  // `thrpt:  [1.0131 cpb 1.0093 cpb 1.0058 cpb]`: printed descending, stored as an ordered interval
  const thrpt = one(rows, id, "throughput", "typical");
  assert.deepEqual([thrpt.value, thrpt.unit, thrpt.lower, thrpt.upper], [1.0093, "cpb", 1.0058, 1.0131]);
  // `time:   [-2.1626% -1.2213% -0.4057%] (p = 0.01 < 0.05)` under `change:`
  const change = one(rows, id, "change", "mean");
  assert.deepEqual([change.value, change.unit, change.lower, change.upper, change.baseline], [-0.012213, "ratio", -0.021626, -0.004057, "change"]);
  assert.equal(one(rows, id, "change", "p_value").value, 0.01);
  // ChaCha20Rng/fill_bytes/8192: `(p = 0.00 < 0.05)` is a number: a p row of 0
  assert.equal(one(rows, "ChaCha20Rng/fill_bytes/8192", "change", "p_value").value, 0);
  // the percent `thrpt:` line of the change block is not a throughput row
  assert.equal(count(rows, "throughput", "typical"), 10);
});

test("issue606: a 24-char id alone on its line, time: on the next", () => {
  const { rows, warnings } = criterionStdout(real("criterion-issue606-long-id-wrap.txt"));
  assert.deepEqual(warnings, []);
  assert.equal(rows.length, 1);
  // `samplei8/SmallRng/single` / `time:   [2.5193 ns 2.5198 ns 2.5203 ns]`
  assert.deepEqual(rows[0], {
    id: "samplei8/SmallRng/single", group: "samplei8", function: "SmallRng", param: "single", source: "stdout",
    format: "criterion-stdout", metric: "time", stat: "typical", value: 2.5198, unit: "ns", lower: 2.5193, upper: 2.5203,
    confidence: null, baseline: "new", target: null,
  });
});

test("limbo: quotes, colons, `...` in ids, µs and Kelem/s, progress and libtest lines", () => {
  const { rows, warnings } = criterionStdout(real("limbo-quotes-colons-kelem.txt"));
  assert.deepEqual(warnings, []);
  assert.equal(ids(rows).length, 11); // 6 limbo + 5 rusqlite
  assert.equal(rows.length, 22); // time + throughput each, no change blocks
  const id = "limbo/Prepare statement: 'SELECT 1'";
  // `time:   [2.0631 µs 2.0688 µs 2.0763 µs]`
  const time = one(rows, id, "time", "typical");
  assert.deepEqual([time.value, time.unit, time.lower, time.upper], [2068.8, "ns", 2063.1, 2076.3]);
  assert.deepEqual([time.group, time.function, time.param], ["limbo", "Prepare statement: 'SELECT 1'", null]);
  // `thrpt:  [481.63 Kelem/s 483.37 Kelem/s 484.70 Kelem/s]`
  const thrpt = one(rows, id, "throughput", "typical");
  assert.deepEqual([thrpt.value, thrpt.unit, thrpt.lower, thrpt.upper], [483370, "elements/s", 481630, 484700]);
  // the id Criterion truncated with a literal `...`; `thrpt: [96.544 Kelem/s 97.281 Kelem/s 97.846 Kelem/s]`
  const long = "limbo/Prepare statement: 'SELECT first_name, count(1) FROM users GROUP BY first_name HAVING count(1)...";
  assert.equal(one(rows, long, "throughput", "typical").value, 97281);
  // `rusqlite/Execute prepared statement: 'SELECT 1'`: `time: [60.613 ns 60.788 ns 61.098 ns]`, `16.451 Melem/s`
  assert.equal(one(rows, "rusqlite/Execute prepared statement: 'SELECT 1'", "time", "typical").value, 60.788);
  assert.equal(one(rows, "rusqlite/Execute prepared statement: 'SELECT 1'", "throughput", "typical").value, 16451000);
  assert.ok(!ids(rows).some((i) => i.startsWith("Benchmarking") || i.startsWith("test ")));
});

test("object-pool (Criterion 0.2): ASCII us, padded wrapped ids, one-line change:, some groups without change", () => {
  const { rows, warnings } = criterionStdout(real("object-pool-stdout-crit0.2-wrapped-names.txt"));
  assert.deepEqual(warnings, []);
  assert.equal(ids(rows).length, 75); // 75 `time:` lines in the file
  assert.equal(count(rows, "time", "typical"), 75);
  assert.equal(count(rows, "change", "mean"), 60); // 60 `change:` lines (pull_from_pool_life_guard has none)
  assert.equal(count(rows, "change", "p_value"), 60);
  // `pulling_from_pool/131072` + 80 spaces, then `time:   [10.004 ns 10.005 ns 10.007 ns]`,
  // `change: [-0.1552% -0.0556% +0.0146%] (p = 0.25 > 0.05)`
  const id = "pulling_from_pool/131072";
  const time = one(rows, id, "time", "typical");
  assert.deepEqual([time.value, time.lower, time.upper, time.group, time.function, time.param], [10.005, 10.004, 10.007, "pulling_from_pool", "131072", null]);
  const change = one(rows, id, "change", "mean");
  assert.deepEqual([change.value, change.lower, change.upper], [-0.000556, -0.001552, 0.000146]);
  assert.equal(one(rows, id, "change", "p_value").value, 0.25);
  // `alloc/33554432          time:   [2.9480 us 2.9828 us 3.0220 us]`
  const alloc = one(rows, "alloc/33554432", "time", "typical");
  assert.deepEqual([alloc.value, alloc.unit, alloc.lower, alloc.upper], [2982.8, "ns", 2948, 3022]);
  // `detach_from_pool/268435456`: `change: [+39.806% +40.574% +41.248%]`
  assert.equal(one(rows, "detach_from_pool/268435456", "change", "mean").value, 0.40574);
  assert.equal(rows.filter((r) => r.id === "pull_from_pool_life_guard/4096").length, 1);
});

test("CRLF line endings and ANSI colours give the same rows", () => {
  for (const name of ["chacha20-avx2-cycles-cpb.txt", "object-pool-stdout-crit0.2-wrapped-names.txt", "limbo-quotes-colons-kelem.txt"]) {
    const text = real(name);
    const plain = criterionStdout(text).rows;
    const crlf = criterionStdout(text.replace(/\n/g, "\r\n"));
    assert.deepEqual(crlf.rows, plain, `${name} with CRLF`);
    // colour as Criterion's CLI report does it: green bold id, bold estimates, red/green change, then reset
    // (estimates first: the id colouring adds `[` of its own)
    const coloured = text
      .replace(/\[([^\]\n]*)\]/g, (_m, inside: string) => `[${inside.split(" ").map((tok) => (/^[+-]?\d/.test(tok) ? `\x1b[1m${tok}\x1b[0m` : tok)).join(" ")}]`)
      .replace(/^(\S[^\n]*?)(\s*)(time:|$)/gm, (_m, id: string, sp: string, t: string) => `\x1b[32m\x1b[1m${id}\x1b[0m${sp}${t}`)
      .replace(/\n/g, "\r\n");
    assert.notEqual(coloured, text);
    assert.ok(coloured.includes("\x1b[1m"));
    const c = criterionStdout(coloured);
    assert.deepEqual(c.warnings, []);
    assert.deepEqual(c.rows, plain, `${name} with ANSI colours + CRLF`);
  }
});

test("a TTY progress overwrite (\\r) before the id keeps only the visible text", () => {
  const text = "Benchmarking alloc/4096: Analyzing\ralloc/4096              time:   [45.559 ns 45.577 ns 45.601 ns]\n";
  const { rows } = criterionStdout(text);
  assert.deepEqual(rows.map((r) => [r.id, r.value]), [["alloc/4096", 45.577]]);
});

test("units: ps ms s, B/s KiB/s GiB/s (binary), KB/s MB/s (decimal), elem/s Gelem/s; p = NaN gives no p row", () => {
  const text = [
    "a/ps                    time:   [900.00 ps 950.00 ps 1.0000 ns]",
    "                        thrpt:  [1.0000 GiB/s 1.5000 GiB/s 2.0000 GiB/s]",
    "a/ms                    time:   [1.5000 ms 2.0000 ms 2.5000 ms]",
    "                        thrpt:  [512.00 KiB/s 1.0000 MiB/s 2.0000 MiB/s]",
    "a/s                     time:   [1.2000 s 1.2500 s 1.3000 s]",
    "                        thrpt:  [800.00 B/s 1.5000 KB/s 2.5000 MB/s]",
    "a/elem                  time:   [1.0000 ns 1.0000 ns 1.0000 ns]",
    "                        thrpt:  [999.00 elem/s 1.0000 Gelem/s 1.0000 Gelem/s]",
    "                        change: [+0.0000% +0.0000% +0.0000%] (p = NaN > 0.05)",
  ].join("\n");
  const { rows, warnings } = criterionStdout(text);
  assert.deepEqual(warnings, []);
  const t = (id: string): TidyRow => one(rows, id, "time", "typical");
  const q = (id: string): TidyRow => one(rows, id, "throughput", "typical");
  assert.deepEqual([t("a/ps").lower, t("a/ps").value, t("a/ps").upper], [0.9, 0.95, 1]);
  assert.deepEqual([q("a/ps").lower, q("a/ps").value, q("a/ps").unit], [1024 ** 3, 1.5 * 1024 ** 3, "bytes/s"]);
  assert.equal(t("a/ms").value, 2e6);
  assert.deepEqual([q("a/ms").lower, q("a/ms").value, q("a/ms").upper], [512 * 1024, 1024 ** 2, 2 * 1024 ** 2]);
  assert.equal(t("a/s").value, 1.25e9);
  assert.deepEqual([q("a/s").lower, q("a/s").value, q("a/s").upper], [800, 1500, 2.5e6]);
  assert.deepEqual([q("a/elem").lower, q("a/elem").value, q("a/elem").unit], [999, 1e9, "elements/s"]);
  assert.equal(one(rows, "a/elem", "change", "mean").value, 0);
  assert.equal(count(rows, "change", "p_value"), 0);
});

test("each estimate carries its own unit: [999.51 ns 1.0002 µs 1.0010 µs] (μ U+03BC too); cycles next to ns is refused", () => {
  const text = [
    "mixed/one               time:   [999.51 ns 1.0002 µs 1.0010 μs]",
    "mixed/two               time:   [1.0 cycles 2.0 ns 3.0 ns]",
  ].join("\n");
  const { rows, warnings } = criterionStdout(text);
  const t = one(rows, "mixed/one", "time", "typical");
  assert.deepEqual([t.lower, t.value, t.upper, t.unit], [999.51, 1000.2, 1001, "ns"]);
  assert.deepEqual(ids(rows), ["mixed/one"]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^line 2: mixed\/two: time: mixed units/);
});

test("bad input: malformed time: line is a warning, nothing recognisable is a ParseError naming the source", () => {
  const text = [
    "good/one                time:   [1.0000 ns 2.0000 ns 3.0000 ns]",
    "bad/two                 time:   [1.0000 ns 2.0000 ns]",
    "bad/three               time:   [1.0000 ns abc ns 3.0000 ns]",
    "                        time:   [1.0000 ns 2.0000 ns 3.0000 ns]",
  ].join("\n");
  const { rows, warnings } = criterionStdout(text);
  assert.deepEqual(ids(rows), ["good/one"]);
  assert.equal(warnings.length, 3);
  assert.match(warnings[0]!, /^line 2: bad\/two: time: expected three estimates/);
  assert.match(warnings[1]!, /^line 3: bad\/three: time: not a number/);
  assert.match(warnings[2]!, /^line 4: time: line without a benchmark id/);

  assert.throws(() => criterionStdout("hello\nworld\n", { source: "notes.txt" }), (e: unknown) =>
    e instanceof ParseError && e.file === "notes.txt" && /^notes\.txt: no Criterion results found/.test(e.message));
  assert.throws(() => criterionStdout("", { source: "empty.txt" }), ParseError);
  // a lone malformed result: the error says why
  assert.throws(() => criterionStdout("x/y   time:   [1 ns 2 ns]\n", { source: "one.txt" }), /no Criterion results found.*expected three estimates/);
});
