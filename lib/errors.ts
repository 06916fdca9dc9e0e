/**
 * Errors a user can act on. The CLI prints `message` in one line (no stack) and exits 2;
 * anything else is a bug and keeps its stack.
 */
export class LitlabError extends Error {
  override name = "LitlabError";
  /** Machine-readable kind, e.g. `parse`, `build`, `not-found`, `tool-missing`, `timeout`. */
  readonly code: string;
  /** The file the problem is about, when there is one. */
  readonly file: string | undefined;
  constructor(code: string, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.file = options.file;
  }
}

/** A file could not be read as the format it claims to be. */
export class ParseError extends LitlabError {
  override name = "ParseError";
  constructor(file: string, problem: string, options: { cause?: unknown } = {}) {
    super("parse", `${file}: ${problem}`, { file, ...options });
  }
}

export function isLitlabError(e: unknown): e is LitlabError {
  return e instanceof LitlabError;
}
