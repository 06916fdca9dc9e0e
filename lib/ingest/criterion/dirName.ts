/*
 * Criterion's directory names for benchmark ids (criterion.rs src/report.rs, identical from 0.3.0 through 0.5.1
 * and 0.7.0; cargo-criterion's report.rs the same): `make_filename_safe` turns each of ? " / \ * < > : | ^ into
 * `_`, then truncates to 64 bytes at a char boundary; on Windows only, it then trims trailing whitespace and
 * lowercases (0.2.x lowercased before truncating). The parts (group, function, value) are made safe one by one
 * and joined with `/`, so a group "a/b" is the single folder `a_b`. Within one run a directory name already used
 * gets `_2`, `_3`, ... appended to the whole name (ensure_directory_name_unique): a suffix on the last folder.
 * The id itself is never recoverable from these names: litlab reads it from benchmark.json.
 */

/** A Criterion benchmark id in its parts; a bare string is a group-only id (`c.bench_function("name", ..)`). */
export interface CriterionIdParts {
  group: string;
  function?: string | null;
  param?: string | null;
}

export interface DirNameOptions {
  /** Apply Criterion's Windows-only steps (trim trailing whitespace, lowercase). Default false. */
  windows?: boolean;
}

const UNSAFE = /[?"/\\*<>:|^]/g;
export const MAX_DIRECTORY_NAME_BYTES = 64;

/** Longest prefix of `s` of at most `max` UTF-8 bytes that ends on a code point boundary. */
export function truncateUtf8(s: string, max: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > max) break;
    bytes += n;
    end += ch.length;
  }
  return s.slice(0, end);
}

/** Criterion's make_filename_safe for one part. */
export function makeFilenameSafe(part: string, options: DirNameOptions = {}): string {
  const safe = truncateUtf8(part.replace(UNSAFE, "_"), MAX_DIRECTORY_NAME_BYTES);
  return options.windows ? safe.trimEnd().toLowerCase() : safe;
}

/** The directory (relative, `/`-separated) Criterion writes a benchmark to, before de-duplication. */
export function criterionDirName(id: string | CriterionIdParts, options: DirNameOptions = {}): string {
  const parts = typeof id === "string" ? { group: id } : id;
  return [parts.group, parts.function ?? null, parts.param ?? null]
    .filter((p): p is string => p !== null)
    .map((p) => makeFilenameSafe(p, options))
    .join("/");
}

/**
 * Directory names for the benchmarks of one run, in the order they run: a name already handed out gets `_2`,
 * `_3`, ... like Criterion's ensure_directory_name_unique.
 */
export class CriterionDirNames {
  readonly #used = new Set<string>();
  constructor(private readonly options: DirNameOptions = {}) {}

  next(id: string | CriterionIdParts): string {
    let name = criterionDirName(id, this.options);
    if (this.#used.has(name)) {
      let n = 2;
      while (this.#used.has(`${name}_${n}`)) n++;
      name = `${name}_${n}`;
    }
    this.#used.add(name);
    return name;
  }
}
