import { test } from "node:test";
import assert from "node:assert/strict";
import { clockDescription, deviceVsHost } from "../lib/analyze/deviceVsHost.js";
import { deviceVsHostSpec, formatPerOp, latencyDistributionSpec } from "../lib/present/deviceCharts.js";
import { renderSvg } from "../lib/present/svg.js";

type Obj = Record<string, any>;

const row = (id: string, metric: string, stat: string, value: number, unit: string, extra: Obj = {}): Obj => {
  const [group, fn, param] = id.split("/");
  return { id, group, function: fn ?? null, param: param ?? null, source: "x", format: "f", metric, stat, value, unit, lower: null, upper: null, confidence: null, baseline: "new", ...extra };
};

// host: Criterion typical in ns; device: mean ticks (icount); plus rows that must be ignored
const ROWS = [
  row("message_throughput/tokio_single/1000", "time", "typical", 52_000, "ns", { lower: 50_000, upper: 54_000 }),
  row("message_throughput/tokio_single/1000", "time", "mean", 53_000, "ns"),
  row("message_throughput/tokio_single/1000", "time", "typical", 60_000, "ns", { baseline: "base" }),
  row("message_throughput/no_std/1000", "time", "mean", 41_234, "ticks", { clock: "icount" }),
  row("message_throughput/no_std/1000", "time", "max", 43_000, "ticks", { clock: "icount" }),
  row("message_throughput/no_std/10000", "time", "mean", 412_000, "ticks", { clock: "icount" }),
  row("pingpong/tokio_single/100", "time", "typical", 9_000, "ns"),
  row("interrupt_latency/systick_to_actor", "latency", "mean", 88, "ticks", { clock: "icount" }),
];

test("deviceVsHost: host typical ns and device mean ticks per benchmark, paired on group + param", () => {
  const out = deviceVsHost(ROWS).objects() as Obj[];
  assert.deepEqual(out.map((r) => [r.benchmark, r.side, r.runtime, r.value, r.paired]), [
    ["message_throughput/1000", "host", "tokio_single", 52_000, true],
    ["message_throughput/1000", "device", "no_std", 41_234, true],
    ["message_throughput/10000", "device", "no_std", 412_000, false],
    ["pingpong/100", "host", "tokio_single", 9_000, false],
  ]);
  assert.equal(out[0].measure, "ns per op (host, wall clock)");
  assert.equal(out[1].measure, "ticks per op (device, QEMU icount ticks, emulated: not silicon timing)");
  assert.equal(out[0].lower, 50_000);
  assert.equal(clockDescription("dwt"), "DWT cycles");
});

test("deviceVsHostSpec: one panel per measure with its own axis, renders to SVG naming the clock", async () => {
  const spec = deviceVsHostSpec(deviceVsHost(ROWS), { pairedOnly: true });
  const values = (spec["data"] as Obj).values as Obj[];
  assert.equal(values.length, 2);
  assert.deepEqual((spec["resolve"] as Obj).scale, { x: "independent", y: "independent" });
  assert.equal(values[1]!.valueText, "41,234 ticks");
  const svg = await renderSvg(spec);
  assert.match(svg, /<svg/);
  assert.match(svg, /emulated: not silicon timing/);
  assert.match(svg, /wall clock/);
  assert.equal(formatPerOp(41_234.4, "ticks"), "41,234 ticks");
});

test("latencyDistributionSpec: nearest-rank p50/p99/max markers, one panel per latency id", async () => {
  // 1..100 ticks: p50 = 50 (rank 50), p99 = 99 (rank 99), max = 100
  const samples = Array.from({ length: 100 }, (_, i) => ({ id: "interrupt_latency/systick_to_actor", ticks: i + 1, clock: "icount" }));
  const spec = latencyDistributionSpec(samples);
  const layer = spec["layer"] as Obj[];
  assert.deepEqual((layer[1]!.data.values as Obj[]).map((m) => [m.label, m.ticks]), [["p50", 50], ["p99", 99], ["max", 100]]);
  assert.match(String(spec["title"]), /icount/);
  const svg = await renderSvg(spec);
  assert.match(svg, /p99/);

  const two = latencyDistributionSpec([...samples, { id: "b", ticks: 7, clock: "icount" }]);
  const panels = two["vconcat"] as Obj[];
  assert.equal(panels.length, 2);
  assert.deepEqual(panels[1]!.layer[1].data.values.map((m: Obj) => m.ticks), [7, 7, 7]);
  await renderSvg(two);
});
