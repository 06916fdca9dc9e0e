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
    m.kind === "device"
      ? ["What", deviceWhat(run)]
      : m.kind === "memory"
      ? ["What", `${m.memory?.tool ?? "?"} profile of \`${(m.memory?.command ?? []).join(" ")}\``]
      : m.kind === "import"
      ? ["What", `imported results: ${(m.imports ?? []).map((i) => `${i.source} (${i.reader})`).join(", ") || "none"}`]
      : ["What", `${m.package ?? "?"} (${m.workspace ? m.workspace.split("/").slice(-2).join("/") : "?"}), profile ${m.profile ?? "?"}, Criterion ${m.criterionVersion ?? "?"}`],
    ...(m.kind === "device" ? [] : [["Targets", targets || "none"] as [string, string]]),
    ...(m.kind === "device" ? devicePairs(run) : []),
    ["Benchmarks", String(benchmarks)],
    ["Commit", m.git?.commit ? `${m.git.commit.slice(0, 12)}${m.git.dirty ? " (dirty work tree)" : ""}` : "not a git checkout"],
    ["rustc", m.toolchain?.rustc?.["version"] ?? "unknown"],
    ["Host", m.host ? `${m.host.cpuModel}, ${m.host.cores} cores, ${m.host.os}` : "unknown"],
  ];
}

/** Firmware, board/machine and runner of a device run: `litlab-firmware (abc1234) on thumbv7m-none-eabi, QEMU mps2-an385`. */
function deviceWhat(run: RunWithOrigin): string {
  const d = run.manifest.device;
  const begin = run.rows.find((r) => r.clock);
  const runner = d?.runner === "qemu" ? `QEMU ${d.machine ?? "?"}` : d?.runner === "probe-rs" ? `probe-rs on ${d.machine ?? "?"}` : `serial ${d?.port?.path ?? "?"}`;
  return `device run of ${d?.elf ? d.elf.path.split("/").pop() : "a device"} on ${d?.target ?? "?"}, ${runner}${begin ? "" : " (no records)"}`;
}

/** The facts that decide how far device ticks can be trusted: the clock, icount, completeness. */
function devicePairs(run: RunWithOrigin): [string, string][] {
  const d = run.manifest.device;
  const clock = run.rows.find((r) => r.clock)?.clock ?? "unknown";
  return [
    ["Clock", clock === "icount" ? `QEMU -icount shift=${d?.icountShift ?? "?"}: emulated instruction-count ticks, deterministic, not silicon timing` : clock],
    ["Capture", d ? `${d.complete ? "complete" : "INCOMPLETE"}: ${d.records} records over ${d.channel}${d.problems.length ? `; ${d.problems.join("; ")}` : ""}` : "unknown"],
    ...(d?.elf ? [["Firmware", `${d.elf.path} (${d.elf.bytes} bytes, sha256 ${d.elf.sha256.slice(0, 12)})`] as [string, string]] : []),
  ];
}

export function runInfoMarkdown(run: RunWithOrigin): string {
  return ["| | |", "|---|---|", ...runInfoPairs(run).map(([k, v]) => `| ${k} | ${v.replace(/\|/g, "\\|")} |`)].join("\n");
}

export function runInfoHtml(run: RunWithOrigin): string {
  const rows = runInfoPairs(run).map(([k, v]) => `<tr><th style="text-align:left">${esc(k)}</th><td style="text-align:left">${esc(v)}</td></tr>`).join("");
  return `<table class="litlab-run-info">${rows}</table>`;
}
