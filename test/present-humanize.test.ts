import { test } from "node:test";
import assert from "node:assert/strict";
import { formatDuration, formatInterval, formatNumber, formatRate, formatValue } from "../lib/present/humanize.js";

test("formatDuration picks ps/ns/µs/ms/s with 4 significant digits", () => {
  assert.equal(formatDuration(0.8123), "812.3 ps");
  assert.equal(formatDuration(26.54), "26.54 ns");
  assert.equal(formatDuration(123.44), "123.4 ns");
  assert.equal(formatDuration(12345), "12.35 µs");
  assert.equal(formatDuration(1654600), "1.655 ms"); // Criterion prints 1.6546 ms
  assert.equal(formatDuration(2e9), "2.000 s");
  assert.equal(formatDuration(3_600e9), "3600 s");
  assert.equal(formatDuration(0), "0 ns");
  assert.equal(formatDuration(-5), "-5.000 ns");
  assert.equal(formatDuration(Number.NaN), "NaN");
});

test("formatDuration carries rounding into the next unit", () => {
  assert.equal(formatDuration(999.96), "1.000 µs");
  assert.equal(formatDuration(9.99996), "10.00 ns");
  assert.equal(formatDuration(999_999_999), "1.000 s");
});

test("formatRate: decimal prefixes for elements, binary for bytes", () => {
  assert.equal(formatRate(1_234_567, "elements/s"), "1.23 Melem/s");
  assert.equal(formatRate(60_439, "elements/s"), "60.4 Kelem/s"); // Criterion: 60.439 Kelem/s
  assert.equal(formatRate(45.6 * 1024 * 1024, "bytes/s"), "45.6 MiB/s");
  assert.equal(formatRate(66, "bytes/s"), "66.0 B/s");
  assert.equal(formatRate(2.5e9, "bytes_decimal/s"), "2.50 GB/s");
  assert.equal(formatRate(999.6, "elements/s"), "1.00 Kelem/s");
  assert.equal(formatRate(5e6, "ops/s"), "5.00 Mops/s");
});

test("formatValue dispatches on the unit", () => {
  assert.equal(formatValue(1654600, "ns"), "1.655 ms");
  assert.equal(formatValue(604380, "elements/s"), "604 Kelem/s");
  assert.equal(formatValue(12.5, "%"), "12.5%");
  assert.equal(formatValue(3268, "cycles/iter"), "3268 cycles/iter");
  assert.equal(formatValue(1.23456, ""), "1.235");
  assert.equal(formatValue(null, "ns"), "–");
  assert.equal(formatNumber(1000), "1000");
  assert.equal(formatInterval(1549400, 1764600, "ns"), "[1.549 ms – 1.765 ms]");
  assert.equal(formatInterval(null, 5, "ns"), "");
});
