/**
 * The Vega runtime for interactive charts in self-contained reports: the UMD builds of vega, vega-lite and
 * vega-embed from node_modules (each package's `unpkg` build, e.g. vega/build/vega.min.js), concatenated in the
 * order their globals depend on (vega → vegaLite → vegaEmbed). Read once per process.
 */
import { readFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { LitlabError } from "../errors.js";

const PACKAGES = ["vega", "vega-lite", "vega-embed"] as const;
const require = createRequire(import.meta.url);

/** The folder of an installed package (its `exports` hide package.json, so walk up from the entry point). */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === name) return dir;
    const up = dirname(dir);
    if (up === dir) throw new LitlabError("not-found", `cannot find the ${name} package folder`);
    dir = up;
  }
}

async function umdBuild(name: string): Promise<{ file: string; code: string; version: string }> {
  const dir = packageDir(name);
  const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { version: string; unpkg?: string; jsdelivr?: string };
  const rel = pkg.unpkg ?? pkg.jsdelivr ?? `build/${name}.min.js`;
  const file = join(dir, rel);
  const code = await readFile(file, "utf8").catch((e: unknown) => {
    throw new LitlabError("not-found", `${file}: the ${name} browser build is missing (${String(e)})`, { file });
  });
  return { file, code, version: pkg.version };
}

let cached: Promise<{ code: string; versions: Record<string, string> }> | undefined;

/** JavaScript defining the globals `vega`, `vegaLite` and `vegaEmbed`, safe to put inside one <script> element. */
export function vegaRuntime(): Promise<{ code: string; versions: Record<string, string> }> {
  cached ??= Promise.all(PACKAGES.map(umdBuild)).then((builds) => ({
    // "</script" would end the element early; the builds have none today, and inside JS strings/regexes "<\/" is equivalent.
    code: builds.map((b) => `/* ${b.file.slice(b.file.lastIndexOf("node_modules"))} */\n${b.code.replace(/<\/script/gi, "<\\/script")}`).join("\n;\n"),
    versions: Object.fromEntries(PACKAGES.map((p, i) => [p, builds[i]!.version])),
  }));
  cached.catch(() => { cached = undefined; });
  return cached;
}
