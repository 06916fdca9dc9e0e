import { parseArgs, type ParseArgsConfig } from "node:util";

import { LitlabError } from "../errors.js";

export class UsageError extends LitlabError {
  override name = "UsageError";
  constructor(message: string) { super("usage", message); }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * `--name -1` → `--name=-1` (and `-n -1` → `-n-1`) when the option takes a value: node's parseArgs calls a
 * dash-led value "ambiguous", so the command's own check (`--top must be a whole number ≥ 0`) never got to speak.
 * Only tokens that look like negative numbers (/^-\d/) are joined; everything after `--` is left alone.
 */
function joinNegativeValues(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    out.push(arg);
    if (arg === "--") { out.push(...args.slice(i + 1)); break; }
    const next = args[i + 1];
    if (next === undefined || !/^-\d/.test(next)) continue;
    let takesValue = false;
    if (/^--[^=]+$/.test(arg)) takesValue = options[arg.slice(2)]?.type === "string";
    else if (/^-[^-]$/.test(arg)) takesValue = Object.values(options).some((o) => o.short === arg[1] && o.type === "string");
    if (takesValue) {
      out[out.length - 1] = arg.startsWith("--") ? `${arg}=${next}` : `${arg}${next}`;
      i++;
    }
  }
  return out;
}

/** `--help` / `-h` among the words before `--`. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

/**
 * `litlab CMD --help`: when `args` (before `--`) hold `--help` or `-h`, prints `usage: litlab USAGE` to stdout and
 * returns true, and the command returns 0 without doing anything else:
 * `if (helpRequested(args, FOOTPRINT_USAGE)) return 0;` before parsing. `usage` may start with `litlab ` or not.
 */
export function helpRequested(args: readonly string[], usage: string): boolean {
  if (!asksForHelp(args)) return false;
  process.stdout.write(`usage: ${usage.startsWith("litlab ") ? usage : `litlab ${usage}`}\n`);
  return true;
}

/**
 * node:util parseArgs, with its errors turned into one-line usage errors. A negative number after an option that
 * takes a value is that option's value (`--icount -1`), so the command's own validation message is the one shown.
 */
export function parseCommandArgs<O extends Options>(args: string[], options: O, command: string): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: joinNegativeValues(args, options), options, allowPositionals: true, strict: true });
  } catch (e) {
    if (asksForHelp(args) && !("help" in options)) {
      throw new UsageError(`${command}: see \`litlab help\` for its usage`);
    }
    throw new UsageError(`${command}: ${(e as Error).message.split("\n")[0]}; see \`litlab help\``);
  }
}
