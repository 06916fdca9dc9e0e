/** A file of a Criterion tree: posix path relative to the root that was read, and its text. */
export interface CriterionFile {
  path: string;
  text: string;
}

/** The file names of a Criterion tree that carry data; everything else (svg, html, csv, tukey.json) is ignored. */
export const CRITERION_FILE_NAMES: ReadonlySet<string> = new Set(["benchmark.json", "estimates.json", "sample.json", "raw.csv"]);

/** Folders next to the baselines that are not baselines: `report/` holds HTML/SVG, `change/` the relative change. */
export const NOT_BASELINES: ReadonlySet<string> = new Set(["report", "change"]);

// Posix path helpers: CriterionFile paths are always `/`-separated, whatever the OS.
export const dirOf = (p: string): string => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "");
export const nameOf = (p: string): string => p.slice(p.lastIndexOf("/") + 1);
export const joinPosix = (dir: string, name: string): string => (dir === "" ? name : `${dir}/${name}`);
/** `./a//b\c` → `a/b/c`, so callers may hand in paths built by hand. */
export const normalisePath = (p: string): string => p.replace(/\\/g, "/").replace(/\/{2,}/g, "/").replace(/^(\.\/)+/, "");
