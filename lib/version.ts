import { readFileSync } from "node:fs";

// This file runs from lib/ (tests, via tsx) and from dist/lib/ (the built package): look in both places.
function readVersion(): string {
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "litlab" && pkg.version) return pkg.version;
    } catch { /* try the next */ }
  }
  return "0.0.0";
}

/** litlab's own version, from package.json (recorded in every manifest). */
export const LITLAB_VERSION: string = readVersion();

/** The litlab project folder (where package.json, notebooks/ and data/ are). */
export const PROJECT_ROOT: string = (() => {
  for (const rel of ["../", "../../"]) {
    try {
      const url = new URL(rel, import.meta.url);
      const pkg = JSON.parse(readFileSync(new URL("package.json", url), "utf8")) as { name?: string };
      if (pkg.name === "litlab") return decodeURIComponent(url.pathname).replace(/\/$/, "");
    } catch { /* try the next */ }
  }
  return process.cwd();
})();
