import { test } from "node:test";
import assert from "node:assert/strict";
import type { TidyRow } from "../lib/ingest/rows.js";
import { rowsTable } from "../lib/analyze/rowsTable.js";
import { runtimeComparison } from "../lib/analyze/runtimeComparison.js";
import { htmlTable, markdownTable } from "../lib/present/table.js";
import { comparisonTable } from "../lib/present/comparisonTable.js";

const HOSTILE = "<script>alert(1)</script>&";

function row(fn: string, param: string, metric: "time" | "throughput", value: number, lower: number, upper: number): TidyRow {
  const id = `message_throughput/${fn}/${param}`;
  return {
    id, group: "message_throughput", function: fn, param, source: `${id}/new/estimates.json`, format: "criterion-json", metric,
    stat: "typical", value, unit: metric === "time" ? "ns" : "elements/s", lower, upper, confidence: 0.95, baseline: "new",
  };
}

const rows: TidyRow[] = [
  row("tokio_single", "1000", "time", 1654600, 1549400, 1764600),
  row("tokio_single", "1000", "throughput", 604380, 566700, 645420),
  row("std_thread", "1000", "time", 398000, 390000, 407000),
];

test("htmlTable humanizes durations, shows the CI, right-aligns numbers and hides raw unit/lower/upper", () => {
  const html = htmlTable(runtimeComparison(rowsTable(rows)), { caption: "a < b" });
  assert.match(html, /<caption>a &lt; b<\/caption>/);
  assert.match(html, /<th style="text-align:left">runtime<\/th>/);
  assert.match(html, /<td style="text-align:right">1\.655 ms<\/td><td style="text-align:right">\[1\.549 ms – 1\.765 ms\]<\/td>/);
  assert.match(html, /<td style="text-align:right">1000<\/td>/, "size is a right-aligned number");
  assert.doesNotMatch(html, /1654600|>unit</);
  assert.equal((html.match(/<tr>/g) ?? []).length, 3); // header + 2 rows
});

test("htmlTable escapes a hostile id; markdownTable escapes pipes and HTML", () => {
  const data = [{ id: HOSTILE, note: "a|b", value: 26.5, unit: "ns", lower: 26.1, upper: 26.9 }];
  const html = htmlTable(data);
  assert.ok(!html.includes("<script>"));
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;&amp;"));
  assert.ok(html.includes(">26.50 ns<"));
  const md = markdownTable(data);
  const lines = md.split("\n");
  assert.equal(lines[0], "| id | note | value | CI |");
  assert.equal(lines[1], "| --- | --- | ---: | ---: |");
  assert.equal(lines[2], "| \\<script\\>alert(1)\\</script\\>\\& | a\\|b | 26.50 ns | [26.10 ns – 26.90 ns] |");
});

test("htmlTable with explicit columns and plain rows", () => {
  const html = htmlTable([{ a: 1.23456, b: null, c: "x" }], { columns: ["c", "a", "b"] });
  assert.match(html, /<th style="text-align:left">c<\/th><th style="text-align:right">a<\/th>/);
  assert.match(html, /<td style="text-align:left">x<\/td><td style="text-align:right">1\.235<\/td><td style="text-align:left">–<\/td>/);
  assert.match(htmlTable([]), /<tbody>\n\n<\/tbody>/);
});

test("comparisonTable joins time and throughput per benchmark", () => {
  const { html, markdown } = comparisonTable(rowsTable(rows), { caption: "message throughput" });
  assert.equal(markdown, [
    "**message throughput**",
    "",
    "| group | size | runtime | time (CI) | throughput |",
    "| --- | ---: | --- | ---: | ---: |",
    "| message_throughput | 1000 | std_thread | 398.0 µs [390.0 µs – 407.0 µs] | – |",
    "| message_throughput | 1000 | tokio_single | 1.655 ms [1.549 ms – 1.765 ms] | 604 Kelem/s |",
  ].join("\n"));
  assert.match(html, /<td style="text-align:right">604 Kelem\/s<\/td>/);
  // From runtimeComparison output (one metric) it fills the matching column.
  const only = comparisonTable(runtimeComparison(rowsTable(rows), { metric: "throughput" })).markdown.split("\n");
  assert.equal(only[2], "| message_throughput | 1000 | tokio_single | – | 604 Kelem/s |");
});
