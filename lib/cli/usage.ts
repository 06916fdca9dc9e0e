import { parseArgs, type ParseArgsConfig } from "node:util";

import { LitlabError } from "../errors.js";

export class UsageError extends LitlabError {
  override name = "UsageError";
  constructor(message: string) { super("usage", message); }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** node:util parseArgs, with its errors turned into one-line usage errors. */
export function parseCommandArgs<O extends Options>(args: string[], options: O, command: string): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message.split("\n")[0]}; see \`litlab help\``);
  }
}
