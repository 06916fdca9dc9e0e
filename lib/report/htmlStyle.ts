/** The report's stylesheet: system fonts only (no web fonts to fetch), readable widths, quiet code cells. */
export const REPORT_CSS = `
:root { --fg: #1f2328; --muted: #656d76; --border: #d0d7de; --code-bg: #f6f8fa; --err-bg: #fff0f0; --err: #b42318; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
header.report { border-bottom: 1px solid var(--border); margin-bottom: 1.5rem; color: var(--muted); font-size: .85rem; }
h1, h2, h3 { line-height: 1.25; margin: 1.6em 0 .6em; }
h1 { font-size: 1.9rem; } h2 { font-size: 1.4rem; border-bottom: 1px solid var(--border); padding-bottom: .25em; }
a { color: var(--accent); }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
:not(pre) > code { background: var(--code-bg); padding: .1em .35em; border-radius: 4px; }
pre { margin: 0; padding: .75rem 1rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; }
th, td { border: 1px solid var(--border); padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--code-bg); }
.cell { margin: 1rem 0; }
.cell.code .source { position: relative; background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; }
.prompt { position: absolute; right: .6rem; top: .35rem; color: var(--muted); font: 12px ui-monospace, monospace; }
.outputs { margin: .4rem 0 0; }
.output { margin: .35rem 0; overflow-x: auto; }
.output pre.stream { padding: .25rem 1rem; }
.output pre.stderr { background: #fff8e6; border-left: 3px solid #d4a72c; }
.output.error { background: var(--err-bg); border-left: 3px solid var(--err); padding: .5rem 1rem; border-radius: 0 6px 6px 0; }
.output.error .ename { color: var(--err); font-weight: 600; }
.output.error pre { padding: .4rem 0 0; }
.output img { max-width: 100%; height: auto; }
.output svg { max-width: 100%; }
figure.chart { margin: .5rem 0; }
figure.chart.live > .chart-static { display: none; }
figure.chart .chart-note { color: var(--muted); font-size: .85rem; }
`;
