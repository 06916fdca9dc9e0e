// bencher / libtest lines (../shared/real-inputs/bencher). Every expected number was read by hand from the line
// quoted next to it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { bencherLines } from "../lib/ingest/text/bencher.js";
import { ParseError } from "../lib/errors.js";
import type { TidyRow } from "../lib/ingest/rows.js";
import { idsOf, oneRow } from "./helpers/rows.js";

const REAL = resolve(import.meta.dirname, "../../shared/real-inputs/bencher");
const real = (name: string): string => readFileSync(resolve(REAL, name), "utf8");

const one = oneRow;
const ids = idsOf;
const vu = (r: TidyRow): [number, string] => [r.value, r.unit];

test("libtest cargo output: thousands separators, running N tests / test result: noise", () => {
  const { rows, warnings } = bencherLines(real("gab-libtest-cargo-output.txt"), { source: "cargo.txt", target: "fib" });
  assert.deepEqual(warnings, []);
  assert.deepEqual(ids(rows), ["bench_fib_10", "bench_fib_20"]);
  assert.equal(rows.length, 4);
  // `test bench_fib_20 ... bench:      18,149 ns/iter (+/- 755)`
  assert.deepEqual(one(rows, "bench_fib_20", "time", "median"), {
    id: "bench_fib_20", group: "bench_fib_20", function: null, param: null, source: "cargo.txt", format: "bencher",
    metric: "time", stat: "median", value: 18149, unit: "ns", lower: null, upper: null, confidence: null, baseline: "new", target: "fib",
  });
  assert.deepEqual(vu(one(rows, "bench_fib_20", "time", "dev")), [755, "ns"]);
  // `test bench_fib_10 ... bench:         135 ns/iter (+/- 24)`
  assert.equal(one(rows, "bench_fib_10", "time", "median").value, 135);
});

test("newer libtest: decimals with separators", () => {
  const { rows, warnings } = bencherLines(real("gab-libtest-decimal-ns.txt"));
  assert.deepEqual(warnings, []);
  assert.equal(rows.length, 4);
  // `test bench_fib_20 ... bench:      18,794.12 ns/iter (+/- 440.25)`
  assert.deepEqual(vu(one(rows, "bench_fib_20", "time", "median")), [18794.12, "ns"]);
  assert.deepEqual(vu(one(rows, "bench_fib_20", "time", "dev")), [440.25, "ns"]);
  // `test bench_fib_10 ... bench:         148.70 ns/iter (+/- 2.21)`
  assert.deepEqual(vu(one(rows, "bench_fib_10", "time", "median")), [148.7, "ns"]);
});

test("libtest `= N MB/s` suffix: a throughput row in bytes/s", () => {
  const { rows, warnings } = bencherLines(real("fxhash-pr19-libtest-mbs-suffix.txt"));
  assert.deepEqual(warnings, []);
  assert.equal(rows.length, 6);
  // `test bench_fx64_003    ... bench:           2 ns/iter (+/- 1) = 1500 MB/s`
  assert.deepEqual(vu(one(rows, "bench_fx64_003", "time", "median")), [2, "ns"]);
  assert.deepEqual(vu(one(rows, "bench_fx64_003", "time", "dev")), [1, "ns"]);
  assert.deepEqual(vu(one(rows, "bench_fx64_003", "throughput", "median")), [1.5e9, "bytes/s"]);
  // `test bench_fx64_004    ... bench:           2 ns/iter (+/- 0) = 2000 MB/s`
  assert.deepEqual(vu(one(rows, "bench_fx64_004", "throughput", "median")), [2e9, "bytes/s"]);
  assert.equal(one(rows, "bench_fx64_004", "time", "dev").value, 0);
});

test("Criterion --output-format bencher: names with spaces and parentheses, warnings and blank lines between", () => {
  const { rows, warnings } = bencherLines(real("gab-criterion-bencher-spaces-parens-warnings.txt"));
  assert.deepEqual(warnings, []);
  assert.deepEqual(ids(rows), ["Create Realm", "Symbols (Execution)", "For loop (Execution)", "Fibonacci (Execution)"]);
  // `test Symbols (Execution) ... bench:        3268 ns/iter (+/- 47)`
  assert.deepEqual(vu(one(rows, "Symbols (Execution)", "time", "median")), [3268, "ns"]);
  assert.equal(one(rows, "Symbols (Execution)", "time", "dev").value, 47);
  // `test Fibonacci (Execution) ... bench:     1672496 ns/iter (+/- 10166)`, after the "Unable to complete" warning
  assert.equal(one(rows, "Fibonacci (Execution)", "time", "median").value, 1672496);
});

test("custom units: cycles/iter stays cycles (time), MS/s stays MS/s (throughput); no newline at EOF", () => {
  const { rows, warnings } = bencherLines(real("gab-custom-units-cycles-MSs.txt"));
  assert.deepEqual(warnings, []);
  assert.deepEqual(ids(rows), ["cmov", "cmov2", "mov", "upload", "download"]);
  // `test cmov ... bench:        2835 cycles/iter (+/- 14)`
  assert.deepEqual(vu(one(rows, "cmov", "time", "median")), [2835, "cycles"]);
  assert.deepEqual(vu(one(rows, "cmov", "time", "dev")), [14, "cycles"]);
  // `test download ... bench:        9001 MS/s (+/- 69)` (the last line, no trailing newline)
  assert.deepEqual(vu(one(rows, "download", "throughput", "median")), [9001, "MS/s"]);
  assert.deepEqual(vu(one(rows, "upload", "throughput", "dev")), [420, "MS/s"]);
});

test("a record split by output printed between `test <id> ... ` and `bench:` is joined", () => {
  const text = [
    "running 3 tests",
    "test first/one ... bench:         100 ns/iter (+/- 3)",
    "test kpi_validation/single_actor_512b_target ... ",
    "thread 'main' panicked at 'something odd', src/lib.rs:1:1",
    "Warning: Unable to complete 100 samples in 5.0s.",
    "bench:       1,044 ns/iter (+/- 12)",
    "test broken/never ... ",
    "test result: ok. 0 passed; 0 failed; 0 ignored; 3 measured; 0 filtered out",
    "test libtest::tests::a_test ... ignored",
    "test libtest::tests::b_test ... ok",
  ].join("\r\n");
  const { rows, warnings } = bencherLines(text);
  assert.deepEqual(ids(rows), ["first/one", "kpi_validation/single_actor_512b_target"]);
  const kpi = one(rows, "kpi_validation/single_actor_512b_target", "time", "median");
  assert.deepEqual([kpi.value, kpi.group, kpi.function, kpi.param], [1044, "kpi_validation", "single_actor_512b_target", null]);
  assert.equal(one(rows, "first/one", "time", "median").value, 100);
  assert.deepEqual(warnings, ["line 7: broken/never: no bench: value followed; skipped"]);
});

test("an id containing `...` and ` ... ` keeps all of it", () => {
  const { rows } = bencherLines("test limbo/Prepare 'SELECT a ... b' HAVING count(1)... ... bench:   5 ns/iter (+/- 1)\n");
  assert.deepEqual(ids(rows), ["limbo/Prepare 'SELECT a ... b' HAVING count(1)..."]);
});

test("bad input: nothing recognisable is a ParseError; an unreadable bench: value a warning", () => {
  assert.throws(() => bencherLines("running 0 tests\n\ntest result: ok.\n", { source: "empty.txt" }), (e: unknown) =>
    e instanceof ParseError && /^empty\.txt: no bencher results found/.test(e.message));
  const { rows, warnings } = bencherLines("test a ... bench: 1 ns/iter (+/- 1)\ntest b ... bench: 1,2,3 ns/iter (+/- 1)\n");
  assert.deepEqual(ids(rows), ["a"]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^line 2: b: not a number/);
});
