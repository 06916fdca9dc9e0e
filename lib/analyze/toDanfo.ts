import type { ColumnTable } from "arquero";
import { LitlabError } from "../errors.js";

/**
 * The part of danfo's DataFrame litlab relies on. danfojs is an optional peer dependency, so its own types must
 * not appear in litlab's public signatures (they would force every user to install it); cast the result to
 * `import("danfojs").DataFrame` in code that has danfojs installed.
 */
export interface DataFrameLike {
  readonly columns: string[];
  readonly shape: number[];
  readonly dtypes: string[];
  column(name: string): { readonly values: unknown[] };
  print(): void;
}

type DanfoModule = { DataFrame: new (data: unknown, options?: { columns?: string[]; dtypes?: string[] }) => DataFrameLike };

export const MISSING_DANFO = "toDanfo needs danfojs: npm install danfojs (with \"overrides\": {\"xlsx\": \"0.18.5\"})";

/**
 * danfo infers a dtype from the first values and gets mixed columns wrong (a boolean column with a null comes out
 * float32), so each column's dtype is given: numbers `float32` (danfo's name; the values stay JS doubles),
 * booleans `boolean`, everything else `string`.
 */
function dtypeOf(values: readonly unknown[]): string {
  let kind: string | null = null;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const k = typeof v === "number" ? "float32" : typeof v === "boolean" ? "boolean" : "string";
    if (kind !== null && kind !== k) return "string";
    kind = k;
  }
  return kind ?? "string";
}

/**
 * An Arquero table as a danfo DataFrame, for users who prefer danfo's pandas-like API. danfojs is loaded only
 * here, with a dynamic import, so litlab works without it; when it is missing this throws LitlabError
 * `missing-dependency` saying how to install it. `options.module` picks another build (e.g. `danfojs-node`).
 */
export async function toDanfo(table: ColumnTable, options: { module?: string } = {}): Promise<DataFrameLike> {
  const specifier = options.module ?? "danfojs";
  let danfo: DanfoModule;
  try {
    // a variable specifier keeps TypeScript from requiring danfojs' types at build time
    danfo = (await import(specifier)) as DanfoModule;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new LitlabError("missing-dependency", specifier === "danfojs" ? MISSING_DANFO : `toDanfo needs ${specifier}: npm install ${specifier}`, { cause: e });
    }
    throw e;
  }
  const names = table.columnNames();
  const data: Record<string, unknown[]> = {};
  for (const name of names) data[name] = Array.from(table.array(name) as ArrayLike<unknown>, (v) => (v === undefined ? null : v));
  const dtypes = names.map((n) => dtypeOf(data[n]!));
  // danfo cannot build a frame from empty column arrays; an empty frame with the columns named is what it accepts
  if (table.numRows() === 0) return new danfo.DataFrame([], { columns: names });
  return new danfo.DataFrame(data, { columns: names, dtypes });
}
