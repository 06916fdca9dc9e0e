import { ParseError } from "../../errors.js";

/** JSON.parse that names the file on failure (truncated files are the common case: a run killed mid-write). */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ParseError(file, `invalid JSON (${(e as Error).message})`, { cause: e });
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A finite number (serde_json writes NaN and infinities as `null`, so they arrive here as non-numbers). */
export const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
