// The device record protocol (README "Device record protocol"): one line → record, the incremental capture with its
// completeness rules, tidy rows per the protocol's table, the device-records reader, and the real embedded logs
// that do NOT speak the protocol. Expected numbers are worked out by hand from the fixtures (comments say how).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { DEVICE_MARKER, parseRecordLine } from "../lib/ingest/device/records.js";
import { DeviceCapture, parseDeviceLog, type DeviceCaptureResult } from "../lib/ingest/device/capture.js";
import { deviceRows, stdDevFromSums } from "../lib/ingest/device/deviceRows.js";
import { deviceRecordsReader } from "../lib/ingest/device/readers.js";
import { ParseError } from "../lib/errors.js";
import type { TidyRow } from "../lib/ingest/rows.js";

const FIX = resolve(import.meta.dirname, "fixtures/device");
const REAL = resolve(import.meta.dirname, "../../shared/real-inputs/embedded");
const fixture = (name: string): Promise<Buffer> => readFile(join(FIX, name));
const text = async (name: string): Promise<string> => (await fixture(name)).toString("utf8");
/** metric/stat → value, for one id. */
const stats = (rows: readonly TidyRow[], id: string): Record<string, number> =>
  Object.fromEntries(rows.filter((r) => r.id === id).map((r) => [`${r.metric}/${r.stat}`, r.value]));

test("parseRecordLine: marker anywhere, fields, percent-decoding, optional and extra fields", () => {
  assert.equal(parseRecordLine("booting… no marker here", 1), null);
  assert.equal(parseRecordLine("@LB", 1), null); // the marker is "@LB " with its space
  assert.equal(parseRecordLine("@LB\tbench id=a iters=1 ticks=1", 1), null);
  const begin = parseRecordLine("0.000012 INFO  @LB begin proto=1 fw=ref%20fw commit= target=thumbv7m-none-eabi clock=dwt hz=0 icount=1 cpu=m3\r", 3);
  assert.deepEqual(begin, {
    begin: { proto: 1, fw: "ref fw", commit: null /* empty value = absent */, target: "thumbv7m-none-eabi", clock: "dwt", hz: 0, icount: true, board: null, line: 3, extra: { cpu: "m3" } },
  });
  assert.deepEqual(parseRecordLine("\x1b[32mUART: @LB bench\t  id=a%3Db%25/f/1 iters=7 ticks=70 min=9\x1b[0m", 4), {
    record: { type: "bench", line: 4, id: "a=b%/f/1", iters: 7, ticks: 70, min: 9, max: null, elements: null },
  });
  assert.deepEqual(parseRecordLine("@LB hist id=h lo=-5 width=2 counts=0,3,1", 5), { record: { type: "hist", line: 5, id: "h", lo: -5, width: 2, counts: [0, 3, 1] } });
  assert.deepEqual(parseRecordLine("@LB end records=0 status=fail code=-1", 6), { end: { records: 0, status: "fail", code: -1, line: 6 } });
  assert.deepEqual(parseRecordLine("@LB gpio pin=3", 7), { unknownType: "gpio" });
  // the largest safe integer is read exactly; one more is refused rather than rounded
  assert.deepEqual(parseRecordLine("@LB size section=.text bytes=9007199254740991", 8), { record: { type: "size", line: 8, section: ".text", bytes: 9007199254740991 } });
});

test("parseRecordLine: what is wrong with a malformed record, naming the line and the field", () => {
  const bad: [string, RegExp][] = [
    ["@LB begin proto=1 fw=x target=t clock=dwt hz=1", /^line 9: begin record: missing field icount: skipped$/],
    ["@LB bench id=x iters=10 ticks=1.5", /^line 9: .*ticks=1\.5 is not a decimal integer/],
    ["@LB bench id=x iters=10 ticks=0x10", /ticks=0x10 is not a decimal integer/],
    ["@LB bench id=x iters=0 ticks=10", /iters=0 must be at least 1/],
    ["@LB bench id=x iters=1 ticks=-3", /ticks=-3 must not be negative/],
    ["@LB size section=.text bytes=9007199254740992", /larger than 9007199254740991/],
    ["@LB bench id=x iters=1 ticks=1 ticks=2", /gives ticks twice/],
    ["@LB bench id=%zz iters=1 ticks=1", /broken percent-escape/],
    ["@LB bench id=x iters=1 ticks=1 stray", /"stray" is not a key=value field/],
    ["@LB bench id=x iters=1\u0000 ticks=1", /garbage/],
    ["@LB bench id=caf\uFFFD iters=1 ticks=1", /garbage/],
    ["@LB hist id=h lo=0 width=0 counts=1", /width=0 must be at least 1/],
    ["@LB hist id=h lo=0 width=1 counts=1,,2", /counts= is not a decimal integer/],
    ["@LB begin proto=1 fw=x target=t clock=dwt hz=1 icount=2", /icount=2 must be 0 or 1/],
    ["@LB ", /marker with no record/],
    ["@LB Bench id=x", /not a record type/],
  ];
  for (const [line, want] of bad) {
    const got = parseRecordLine(line, 9);
    assert.equal(typeof got, "string", line);
    assert.match(got as string, want, line);
  }
});

test("clean capture: every record type, complete, rows as the protocol's table says", async () => {
  const result = parseDeviceLog(await text("clean.log"), "clean.log");
  assert.equal(result.complete, true);
  assert.deepEqual([result.problems, result.warnings], [[], []]);
  assert.equal(result.records.length, 13);
  assert.equal(result.lines, 15);
  assert.equal(result.begin?.board, "mps2-an385");
  assert.deepEqual(result.end, { records: 13, status: "ok", code: 0, line: 15 });
  const { rows, samples } = deviceRows(result, { source: "clean.log" });
  assert.equal(rows.length, 28);
  for (const r of rows) {
    assert.equal(r.format, "device-records");
    assert.equal(r.source, "clean.log");
    assert.equal(r.baseline, "new");
    assert.equal(r.clock, "systick");
    assert.deepEqual([r.lower, r.upper, r.confidence], [null, null, null]);
  }
  const mt = rows.find((r) => r.id === "message_throughput/no_std/1000")!;
  assert.deepEqual([mt.group, mt.function, mt.param], ["message_throughput", "no_std", "1000"]);
  // 2,500,000 ticks / 1000 iters = 2500; throughput 1 element × 1000 iters × 25 MHz / 2,500,000 ticks = 10,000/s
  assert.deepEqual(stats(rows, "message_throughput/no_std/1000"), { "time/mean": 2500, "time/min": 2400, "time/max": 3100, "throughput/mean": 10000 });
  assert.equal(rows.find((r) => r.metric === "throughput")!.unit, "elements/s");
  // `ping%20pong/no_std`: 10 / 3 ticks; two parts = group + function
  const pp = rows.find((r) => r.id === "ping pong/no_std")!;
  assert.deepEqual([pp.group, pp.function, pp.param, pp.value], ["ping pong", "no_std", null, 10 / 3]);
  // samples 90 40 60 50 60: mean 300/5 = 60; sample variance (5·19400 − 300²)/(5·4) = 350 → sd √350;
  // sorted 40 50 60 60 90: p50 rank ⌈2.5⌉=3 → 60, p90 rank ⌈4.5⌉=5 → 90, p99 and p99.9 rank 5 → 90
  assert.deepEqual(stats(rows, "systick_to_actor"), {
    "latency/min": 40, "latency/max": 90, "latency/mean": 60, "latency/std_dev": Math.sqrt(350),
    "latency/p50": 60, "latency/p90": 90, "latency/p99": 90, "latency/p99.9": 90,
  });
  // no samples, a histogram lo=10 width=5 counts=2,5,0,2,0,1 (10 events), no sumsq → no std_dev.
  // ranks: p50 5 → 2nd bin [15,20) → upper edge 20; p90 9 → 4th bin [25,30) → 30; p99/p99.9 10 → last bin [35,40) → 40
  assert.deepEqual(stats(rows, "timer_to_actor"), {
    "latency/min": 12, "latency/max": 37, "latency/mean": 20, "latency/p50": 20, "latency/p90": 30, "latency/p99": 40, "latency/p99.9": 40,
  });
  assert.deepEqual(stats(rows, "actors"), { "heap/peak": 4096, "heap/current": 1024, "heap/allocs": 12, "heap/frees": 9, "heap/capacity": 16384 });
  assert.deepEqual(rows.filter((r) => r.id === "actors").map((r) => r.unit), ["bytes", "bytes", "count", "count", "bytes"]);
  assert.deepEqual(stats(rows, "main"), { "stack/used": 1536, "stack/size": 8192 });
  // size rows carry no id of their own: the firmware's name
  assert.deepEqual(stats(rows, "litlab-ref"), { "size/.bss": 2048 });
  assert.deepEqual(samples.map((s) => [s.id, s.seq, s.ticks, s.clock, s.source]), [0, 1, 2, 3, 4].map((i) => ["systick_to_actor", i, [90, 40, 60, 50, 60][i], "systick", "clean.log"]));
});

test("the same capture behind defmt timestamps, INFO prefixes and colours, and with CRLF, gives the same rows", async () => {
  const clean = deviceRows(parseDeviceLog(await text("clean.log")), { source: "x" });
  for (const name of ["defmt.log", "crlf.log"]) {
    const result = parseDeviceLog(await text(name));
    assert.equal(result.complete, true, name);
    assert.deepEqual(result.warnings, [], name);
    assert.deepEqual(deviceRows(result, { source: "x" }), clean, name);
  }
  assert.equal(parseDeviceLog(await text("defmt.log")).lines, 35); // 3 host lines + 15 × (record + location) + 2
});

test("noisy boot text: malformed records skipped with warnings naming the line, unknown types counted", async () => {
  const result = parseDeviceLog(await text("noisy.log"));
  // begin, bench (line 5), heap (10, inside colour codes), gpio (11, unknown type, still counted), stack (13) = 4
  assert.equal(result.complete, true);
  assert.deepEqual(result.records.map((r) => [r.type, r.line]), [["bench", 5], ["heap", 10], ["stack", 13]]);
  assert.equal(result.unknownRecords, 1);
  assert.deepEqual(result.warnings.map((w) => w.replace(/:.*/, "")), ["line 6", "line 7", "line 8", "line 9", "line 11"]);
  assert.match(result.warnings[1]!, /missing field ticks/);
  assert.match(result.warnings[2]!, /max=9007199254740993 is larger than/);
  assert.match(result.warnings[4]!, /unknown record type "gpio"/);
  const { rows } = deviceRows(result, { source: "noisy.log" });
  // clock dwt, no elements → no throughput; 123456 / 100
  assert.deepEqual(stats(rows, "message_throughput/no_std/100"), { "time/mean": 1234.56 });
  assert.ok(rows.every((r) => r.clock === "dwt"));
});

test("incomplete captures keep what arrived and say why", async () => {
  const truncated = parseDeviceLog(await text("truncated.log"));
  assert.equal(truncated.complete, false);
  assert.equal(truncated.records.length, 6); // begin + 6 records; the 8th line `… seq=3 ti` was cut
  assert.deepEqual(truncated.warnings, ["line 8: cut off (the log ends without a newline after it): skipped"]);
  assert.match(truncated.problems.join("\n"), /no end record/);

  const mismatch = parseDeviceLog(await text("count-mismatch.log"));
  assert.equal(mismatch.complete, false);
  assert.equal(mismatch.records.length, 12);
  assert.match(mismatch.problems[0]!, /^count mismatch: end says 13, got 12 \(line 15\)/);
  assert.deepEqual(mismatch.warnings, ["line 7: sample record: ticks=6#0 is not a decimal integer: skipped"]);
  // the 4 surviving samples 90 40 50 60: p50 rank 2 → 50, p90 rank ⌈3.6⌉=4 → 90
  const m = stats(deviceRows(mismatch, { source: "m" }).rows, "systick_to_actor");
  assert.deepEqual([m["latency/p50"], m["latency/p90"]], [50, 90]);

  const missing = parseDeviceLog(await text("missing-end.log"));
  assert.deepEqual([missing.complete, missing.records.length, missing.end], [false, 13, null]);
  assert.deepEqual(missing.problems, ["no end record (the log stops after line 14: the device hung, was reset or the capture was cut short)"]);

  const restart = parseDeviceLog(await text("restart.log"));
  assert.equal(restart.complete, false);
  assert.deepEqual(restart.problems, ["device restarted at line 5: a second begin record before an end (line 1); records from both parts are kept"]);
  assert.equal(restart.begin?.line, 5); // the last begin
  assert.deepEqual(restart.records.map((r) => r.line), [2, 3, 6, 7]); // both parts; the end's count (2) is the part after the restart
  // 1000/10 before the restart, 1200/10 after: both rows kept
  assert.deepEqual(deviceRows(restart, { source: "r" }).rows.filter((r) => r.id === "message_throughput/no_std/10").map((r) => r.value), [100, 120]);
});

test("stray records, second captures, records without begin, newer protocol versions", () => {
  const B = "@LB begin proto=1 fw=f target=t clock=dwt hz=1000 icount=0";
  const after = parseDeviceLog(`${B}\n@LB stack id=s used=1 size=2\n@LB end records=1 status=ok\n@LB stack id=s used=3 size=4\n`);
  assert.deepEqual([after.complete, after.records.length], [false, 2]);
  assert.deepEqual(after.problems, ["1 record(s) after the end record (first at line 4): kept"]);
  const twice = parseDeviceLog(`${B}\n@LB end records=0 status=ok\n${B}\n@LB end records=0 status=ok\n`);
  assert.match(twice.problems.join("\n"), /a second capture began at line 3 after the end record at line 2/);
  const noBegin = parseDeviceLog("@LB stack id=s used=1 size=2\n");
  assert.deepEqual([noBegin.complete, noBegin.records.length], [false, 1]);
  assert.match(noBegin.problems[0]!, /^no begin record/);
  assert.ok(deviceRows(noBegin, { source: "s" }).rows.every((r) => r.clock === "unknown"));
  const newer = parseDeviceLog(`${B.replace("proto=1", "proto=2")}\n@LB end records=0 status=fail code=3\n`);
  assert.equal(newer.complete, true); // a failed run is still a complete capture; the runner maps the status
  assert.deepEqual(newer.warnings, ["line 1: protocol version 2 is newer than the one litlab reads (1): read on a best-effort basis", "line 2: the device reported status=fail code=3"]);
  // LF CR line endings (some UART consoles): the CR starts the next line, before the marker
  assert.equal(parseDeviceLog(`${B}\n\r@LB end records=0 status=ok\n\r`).complete, true);
  // a log full of broken records: 200 warnings kept, the rest counted
  const flood = parseDeviceLog("@LB bench id=x\n".repeat(300));
  assert.equal(flood.warnings.length, 201);
  assert.deepEqual([flood.warnings[199], flood.warnings[200]], ["line 200: bench record: missing field iters: skipped", "… and 100 more warnings"]);
});

test("rows: icount clock, no throughput without real time, n=0 latency, exact std_dev, nearest-rank percentiles", () => {
  const log = (begin: string): DeviceCaptureResult => parseDeviceLog(`@LB begin proto=1 fw=f target=t ${begin}\n@LB bench id=g/f/1 iters=4 ticks=100 elements=2\n@LB lat id=empty n=0 min=4294967295 max=0 sum=0\n`);
  const byRunner = deviceRows(log("clock=dwt hz=1000 icount=0"), { source: "s", icount: true }).rows;
  assert.deepEqual(byRunner.map((r) => [r.metric, r.stat, r.value, r.clock]), [["time", "mean", 25, "icount"]]); // no throughput, n=0 → no latency rows
  assert.deepEqual(deviceRows(log("clock=dwt hz=1000 icount=1"), { source: "s" }).rows.map((r) => r.clock), ["icount"]);
  // hz=0 (unknown): no throughput; hz=1000: 2 × 4 × 1000 / 100 = 80 elements/s
  assert.equal(deviceRows(log("clock=dwt hz=0 icount=0"), { source: "s" }).rows.length, 1);
  assert.deepEqual(stats(deviceRows(log("clock=dwt hz=1000 icount=0"), { source: "s" }).rows, "g/f/1"), { "time/mean": 25, "throughput/mean": 80 });
  // values 5e7+1, 5e7+2, 5e7+3: n·sumsq = 22,500,001,800,000,042 is past 2^53, so doubles would lose it; exactly:
  // n·sumsq − sum² = 6, / (3·2) = 1 → sd 1
  assert.equal(stdDevFromSums(3, 150000006, 7500000600000014), 1);
  assert.equal(stdDevFromSums(1, 5, 25), null);
  assert.equal(stdDevFromSums(2, 10, 1), null); // sumsq < sum²/n: inconsistent figures, no row
  // 1000 samples with ticks 1..1000: nearest rank gives 500, 900, 990, 999 exactly (0.999·1000 in doubles is not integer-safe in general)
  const lines = ["@LB begin proto=1 fw=f target=t clock=dwt hz=1 icount=0", ...Array.from({ length: 1000 }, (_, i) => `@LB sample id=l seq=${i} ticks=${1000 - i}`)];
  const p = stats(deviceRows(parseDeviceLog(lines.join("\n") + "\n"), { source: "s" }).rows, "l");
  assert.deepEqual(p, { "latency/p50": 500, "latency/p90": 900, "latency/p99": 990, "latency/p99.9": 999 });
  // 7 samples 10..70 (shuffled): p50 rank ⌈3.5⌉=4 → 40; p90 rank ⌈6.3⌉=7 → 70 (rounding would give rank 6 → 60)
  const seven = [30, 70, 10, 50, 20, 60, 40].map((t, i) => `@LB sample id=s7 seq=${i} ticks=${t}`).join("\n");
  const p7 = stats(deviceRows(parseDeviceLog(`${seven}\n`), { source: "s" }).rows, "s7");
  assert.deepEqual(p7, { "latency/p50": 40, "latency/p90": 70, "latency/p99": 70, "latency/p99.9": 70 });
});

test("DeviceCapture: 1-byte, 7-byte and random chunks give the identical result; ended; long lines bounded", async () => {
  for (const name of readdirSync(FIX)) {
    const bytes = await fixture(name);
    const whole = parseDeviceLog(bytes.toString("utf8"));
    const byBytes = (size: (i: number) => number): DeviceCaptureResult => {
      const c = new DeviceCapture();
      for (let i = 0, k = 0; i < bytes.length; k++) {
        const n = Math.max(1, size(k));
        c.push(bytes.subarray(i, i + n));
        i += n;
      }
      return c.finish();
    };
    assert.deepEqual(byBytes(() => 1), whole, `${name}: 1-byte chunks`);
    assert.deepEqual(byBytes(() => 7), whole, `${name}: 7-byte chunks`);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }), (sizes) => {
      assert.deepEqual(byBytes((k) => sizes[k % sizes.length]!), whole);
    }), { numRuns: 40 });
  }
  // string chunks cut anywhere, even between the halves of a surrogate pair (🦀)
  const log = "boot 🦀🦀 ok\n@LB begin proto=1 fw=f target=t clock=dwt hz=1 icount=0\n@LB bench id=%F0%9F%A6%80 iters=1 ticks=1\n@LB end records=1 status=ok\n";
  const whole = parseDeviceLog(log);
  assert.deepEqual([whole.complete, whole.records[0]?.type === "bench" && whole.records[0].id], [true, "🦀"]);
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1 }), (sizes) => {
    const c = new DeviceCapture();
    for (let i = 0, k = 0; i < log.length; k++) { const n = sizes[k % sizes.length]!; c.push(log.slice(i, i + n)); i += n; }
    assert.deepEqual(c.finish(), whole);
  }), { numRuns: 60 });
  // bytes cut inside a 4-byte UTF-8 character: it is decoded whole, as the warning quoting it shows
  const crab = Buffer.from("@LB bench id=🦀 iters=1 ticks=1\n");
  const c1 = new DeviceCapture();
  for (const b of crab) c1.push(Uint8Array.of(b));
  assert.deepEqual(c1.finish().warnings, ['line 1: bench record with garbage (non-ASCII or control characters) in "id=🦀": skipped']);

  const c = new DeviceCapture({ maxLineLength: 100 });
  c.pushLine("@LB begin proto=1 fw=f target=t clock=dwt hz=1 icount=0");
  for (let i = 0; i < 1000; i++) c.push("@LB x".repeat(10)); // 50,000 characters with no newline
  assert.ok((c as unknown as { held: string }).held.length <= 100, "a line without end is not buffered without bound");
  assert.equal(c.ended, false);
  c.push("\n@LB stack id=s used=1 size=2\n@LB end records=1 status=ok\n");
  assert.equal(c.ended, true);
  const r = c.finish();
  assert.deepEqual([r.complete, r.lines, r.warnings], [true, 4, ["line 2: longer than 100 characters: skipped"]]);
});

test("properties: never throws, never NaN, garbage lines between records do not change the rows", async () => {
  const noNaN = (result: DeviceCaptureResult): void => {
    const { rows, samples } = deviceRows(result, { source: "p" });
    for (const r of rows) assert.ok(Number.isFinite(r.value), JSON.stringify(r));
    for (const s of samples) assert.ok(Number.isFinite(s.ticks));
  };
  // strings around the marker and record shapes, so the parser's branches are reached, not only "no marker"
  const token = fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), fc.constantFrom("id=a", "iters=1", "ticks=0", "n=0", "min=1", "max=1", "sum=0", "sumsq=99", "lo=-3", "width=1", "counts=0,1", "peak=1", "used=1", "size=1", "section=x", "bytes=1", "seq=0", "records=1", "status=ok", "hz=1", "icount=1", "proto=1", "fw=f", "target=t", "clock=dwt", "ticks=99999999999999999"));
  const type = fc.constantFrom("begin", "bench", "lat", "sample", "hist", "heap", "stack", "size", "end", "zz");
  const recordish = fc.tuple(fc.string({ maxLength: 6 }), type, fc.array(token, { maxLength: 8 })).map(([pre, t, ts]) => `${pre}${DEVICE_MARKER}${t} ${ts.join(" ")}`);
  const line = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), recordish);
  fc.assert(fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom("\n", "\r\n"), (lines, eol) => {
    noNaN(parseDeviceLog(lines.join(eol)));
  }), { numRuns: 300 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
    const c = new DeviceCapture();
    c.push(bytes);
    noNaN(c.finish());
  }), { numRuns: 300 });

  // garbage (no line of it a well-formed record) inserted between the lines of the clean capture
  const cleanLines = (await text("clean.log")).split("\n").slice(0, -1);
  const expected = deviceRows(parseDeviceLog(await text("clean.log")), { source: "c" });
  const garbage = line.filter((g) => g.split("\n").every((l) => { const p = parseRecordLine(l, 1); return p === null || typeof p === "string"; }));
  fc.assert(fc.property(fc.array(fc.tuple(fc.nat(cleanLines.length), garbage), { maxLength: 10 }), (inserts) => {
    const out = cleanLines.map((l) => [l]);
    out.push([]);
    for (const [at, g] of inserts) out[at]!.unshift(g);
    const got = deviceRows(parseDeviceLog(out.flat().join("\n") + "\n"), { source: "c" });
    assert.deepEqual(got, expected);
  }), { numRuns: 200 });
});

test("real embedded logs without the protocol: no records and a clear problem, never a throw", async () => {
  const names = ["defmt-qemu-alloc-timestamped.out.txt", "rtic-ci-expected-baseline-instant-cycles.run.txt", "acetimeclock-autobenchmark-stm32-serial.txt"];
  for (const name of names) {
    const path = join(REAL, name);
    const result = parseDeviceLog(await readFile(path, "utf8"), name);
    assert.deepEqual([result.records.length, result.begin, result.end, result.complete], [0, null, null, false], name);
    assert.equal(result.problems.length, 1, name);
    assert.match(result.problems[0]!, /^no device records found: .*"Device record protocol"/, name);
    assert.equal(await deviceRecordsReader.detect(path, false), false, name);
    await assert.rejects(deviceRecordsReader.read(path, false), (e: unknown) => e instanceof ParseError && e.file === path && /no device records found.*README "Device record protocol"/.test(e.message), name);
  }
  // line counts, by `wc -l` + 1 for a last line without newline: defmt 15, RTIC 4 (no trailing newline), AceTime 11
  assert.deepEqual(await Promise.all(names.map(async (n) => parseDeviceLog(await readFile(join(REAL, n), "utf8")).lines)), [15, 4, 11]);
});

test("deviceRecordsReader: detects device logs (even with NUL noise), not docs quoting the protocol or an ELF", async () => {
  for (const name of readdirSync(FIX)) assert.equal(await deviceRecordsReader.detect(join(FIX, name), false), true, name);
  assert.equal(await deviceRecordsReader.detect(FIX, true), false);
  const dir = await mkdtemp(join(tmpdir(), "litlab-device-"));
  try {
    const doc = join(dir, "protocol.md");
    await writeFile(doc, "```\n@LB begin proto=1 fw=NAME target=TRIPLE clock=dwt hz=N icount=0|1\n@LB bench id=ID iters=N ticks=N\n```\n");
    assert.equal(await deviceRecordsReader.detect(doc, false), false);
    const elf = join(dir, "firmware.elf");
    await writeFile(elf, Buffer.concat([Buffer.from("\x7fELF\x01\x01\x01", "latin1"), Buffer.alloc(64), Buffer.from("\n@LB end records=0 status=ok\n")]));
    assert.equal(await deviceRecordsReader.detect(elf, false), false);

    const clean = await deviceRecordsReader.read(join(FIX, "clean.log"), false);
    assert.deepEqual([clean.rows.length, clean.samples, clean.warnings], [28, [], []]);
    assert.ok(clean.rows.every((r) => r.source === "clean.log"));
    // incomplete: rows still come back, the problems are warnings
    const missing = await deviceRecordsReader.read(join(FIX, "missing-end.log"), false);
    assert.equal(missing.rows.length, 28);
    assert.deepEqual(missing.warnings, ["incomplete capture: no end record (the log stops after line 14: the device hung, was reset or the capture was cut short)"]);
    const noisy = await deviceRecordsReader.read(join(FIX, "noisy.log"), false);
    assert.equal(noisy.warnings?.length, 5);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("defmt formats with the source location on the record's line: the location is not a field", () => {
  const log = [
    "0.000000 INFO  @LB begin proto=1 fw=fw target=thumbv7em-none-eabihf clock=dwt hz=64000000 icount=0 (src/main.rs:10)",
    "0.000100 INFO  @LB bench id=pingpong/no_std/100 iters=4 ticks=1000 (src/bench.rs:42)",
    "[INFO ] @LB stack id=main used=512 size=4096 @ src/main.rs:77",
    "0.000200 INFO  @LB end records=2 status=ok code=0 (src/main.rs:99)",
    "",
  ].join("\n");
  const r = parseDeviceLog(log);
  assert.equal(r.complete, true, r.problems.join("; "));
  assert.deepEqual(r.warnings, []);
  // 1000 ticks / 4 iterations = 250 per iteration
  const bench = r.records.find((x) => x.type === "bench");
  assert.ok(bench && bench.type === "bench" && bench.ticks / bench.iters === 250);
});

test("ingestPath: device logs without litlab records and empty files get errors that say what to do", async () => {
  const { ingestPath } = await import("../lib/ingest/ingestPath.js");
  for (const name of ["defmt-qemu-alloc-timestamped.out.txt", "rtic-ci-expected-baseline-instant-cycles.run.txt", "acetimeclock-autobenchmark-stm32-serial.txt"]) {
    const file = join("/work/shared/real-inputs/embedded", name);
    await assert.rejects(ingestPath(file), (e: unknown) => e instanceof Error && e.message.startsWith(`${file}: unrecognised format`) && /Device record protocol/.test(e.message));
  }
  const dir = await mkdtemp(join(tmpdir(), "litlab-empty-"));
  try {
    const empty = join(dir, "capture.log");
    await writeFile(empty, "");
    await assert.rejects(ingestPath(empty), (e: unknown) => e instanceof Error && e.message === `${empty}: empty file: there is nothing to read (was the run cut short, or the log not written yet?)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
