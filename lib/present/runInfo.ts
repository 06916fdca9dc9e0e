import type { LoadedRun } from "../store/runFolder.js";

type RunWithOrigin = LoadedRun & { origin?: string; note?: string | null };

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The facts a reviewer needs to trust (or distrust) a run, as label/value pairs. */
export function runInfoPairs(run: RunWithOrigin): [string, string][] {
  const m = run.manifest;
  const origin = run.origin === "live" ? "live run (made just now on this machine)"
    : run.origin === "bundled" ? `bundled recorded run (data/bundled)${run.note ? `: ${run.note}` : ""}`
    : "stored run";
  const benchmarks = new Set(run.rows.map((r) => r.id)).size;
  const targets = (m.targets ?? []).map((t) => `${t.name} ${t.status}`).join(", ");
  return [
    ["Data", origin],
    ["Run", m.id],
    ["When", `${m.startedAt}${m.endedAt ? ` → ${m.endedAt}` : ""}`],
    m.kind === "memory"
      ? ["What", `${m.memory?.tool ?? "?"} profile of \`${(m.memory?.command ?? []).join(" ")}\``]
      : m.kind === "import"
      ? ["What", `imported results: ${(m.imports ?? []).map((i) => `${i.source} (${i.reader})`).join(", ") || "none"}`]
      : ["What", `${m.package ?? "?"} (${m.workspace ? m.workspace.split("/").slice(-2).join("/") : "?"}), profile ${m.profile ?? "?"}, Criterion ${m.criterionVersion ?? "?"}`],
    ["Targets", targets || "none"],
    ["Benchmarks", String(benchmarks)],
    ["Commit", m.git?.commit ? `${m.git.commit.slice(0, 12)}${m.git.dirty ? " (dirty work tree)" : ""}` : "not a git checkout"],
    ["rustc", m.toolchain?.rustc?.["version"] ?? "unknown"],
    ["Host", m.host ? `${m.host.cpuModel}, ${m.host.cores} cores, ${m.host.os}` : "unknown"],
  ];
}

export function runInfoMarkdown(run: RunWithOrigin): string {
  return ["| | |", "|---|---|", ...runInfoPairs(run).map(([k, v]) => `| ${k} | ${v.replace(/\|/g, "\\|")} |`)].join("\n");
}

export function runInfoHtml(run: RunWithOrigin): string {
  const rows = runInfoPairs(run).map(([k, v]) => `<tr><th style="text-align:left">${esc(k)}</th><td style="text-align:left">${esc(v)}</td></tr>`).join("");
  return `<table class="litlab-run-info">${rows}</table>`;
}
