import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { renderReport } from "../report/index.js";
import { readManifest } from "../store/runFolder.js";
import { parseCommandArgs, UsageError } from "./usage.js";

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { out: { type: "string", default: "reports" }, run: { type: "string" } }, "report");
  if (positionals.length !== 1) throw new UsageError("report: give exactly one NOTEBOOK (.ipynb)");
  const env: Record<string, string> = {};
  // run folders named relative to where litlab was started; the kernel runs in the notebook's folder
  for (const name of ["LITLAB_RUN", "LITLAB_DEVICE_RUN", "LITLAB_BASE_RUN", "LITLAB_CAND_RUN"]) {
    const v = process.env[name];
    // a path from here, else a run id in ./data/runs (as `litlab compare` takes them)
    if (v) env[name] = existsSync(resolve(v)) || !existsSync(resolve("data/runs", v)) ? resolve(v) : resolve("data/runs", v);
  }
  if (values.run) {
    const m = await readManifest(values.run); // a wrong --run is one line now, not a failed cell later
    // a device run is what the device notebook shows; a host run what the others show
    env[m.kind === "device" ? "LITLAB_DEVICE_RUN" : "LITLAB_RUN"] = resolve(values.run);
  }
  const result = await renderReport(positionals[0]!, {
    outDir: values.out,
    env,
    onProgress: (e) => { if (e.status !== "start") process.stderr.write(`  cell ${e.cell}/${e.of}: ${e.status}\n`); },
  });
  for (const m of result.errorMessages) process.stderr.write(`  ${m}\n`);
  process.stderr.write(`report: ${result.htmlOut} (${(result.wallMs / 1000).toFixed(1)} s, ${result.errors} cell error(s))\n`);
  process.stdout.write(`${result.htmlOut}\n`);
  return result.errors ? 1 : 0;
}
