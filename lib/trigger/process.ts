import { execa, type ResultPromise } from "execa";
import { createInterface } from "node:readline";
import { LitlabError } from "../errors.js";

export interface RunProcessOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Kill the whole process group after this many ms (default 30 min). */
  timeoutMs?: number;
  /** Called for every stdout line as it arrives (without the newline). */
  onStdoutLine?: (line: string) => void;
  /** Called for every stderr line as it arrives. */
  onStderrLine?: (line: string) => void;
  /** Called with every stdout chunk as it arrives, bytes untouched (device runs keep exactly what was captured). */
  onStdoutData?: (chunk: Uint8Array) => void;
  /** Aborting stops the program early: SIGTERM to the whole group, SIGKILL after a grace (the result is returned as usual). */
  signal?: AbortSignal;
}

export interface ProcessResult {
  command: string;
  args: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
}

const KILL_GRACE_MS = 2000;

/**
 * Runs one program with an argument array (never a shell string) in its own process group, streaming its
 * lines. On timeout, or when litlab itself is interrupted, the whole group is killed: cargo and the
 * bench binaries it starts must not outlive us. A non-zero exit is returned, not thrown; only a program
 * that cannot be started at all throws (`tool-missing`).
 */
export async function runProcess(command: string, args: string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  let child: ResultPromise<{ detached: true; reject: false; buffer: false; stdin: "ignore" }>;
  try {
    child = execa(command, args, {
      cwd: options.cwd,
      env: options.env,
      extendEnv: true,
      detached: true,
      reject: false,
      buffer: false,
      stdin: "ignore",
    });
  } catch (cause) {
    throw new LitlabError("tool-missing", `cannot start ${command}: ${(cause as Error).message}`, { cause });
  }
  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = (stream: NodeJS.ReadableStream | null, sink: string[], onLine?: (l: string) => void): Promise<void> => {
    if (!stream) return Promise.resolve();
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    rl.on("line", (line) => { sink.push(line); onLine?.(line); });
    return new Promise((resolve) => rl.on("close", () => resolve()));
  };
  const killGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try { process.kill(-child.pid, signal); } catch { /* already gone */ }
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup("SIGTERM");
    setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS).unref();
  }, timeoutMs);
  const onExit = (): void => killGroup("SIGKILL");
  const onSignal = (sig: NodeJS.Signals): void => { killGroup("SIGTERM"); process.exitCode = 130; process.off(sig, onSignal); process.kill(process.pid, sig); };
  process.once("exit", onExit);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const onAbort = (): void => {
    killGroup("SIGTERM");
    setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS).unref();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.onStdoutData) {
    const onData = options.onStdoutData;
    child.stdout?.on("data", (chunk: Buffer) => onData(chunk));
  }
  const readers = Promise.all([
    collect(child.stdout, stdout, options.onStdoutLine),
    collect(child.stderr, stderr, options.onStderrLine),
  ]);
  const result = await child;
  await readers;
  clearTimeout(timer);
  options.signal?.removeEventListener("abort", onAbort);
  process.off("exit", onExit);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  if (result.failed && result.exitCode === undefined && !result.signal && !timedOut) {
    const code = (result as { code?: string }).code;
    if (code === "ENOENT") {
      throw new LitlabError("tool-missing", `${command} is not installed or not on PATH`);
    }
    throw new LitlabError("spawn", `cannot start ${command}: ${result.shortMessage ?? result.message}`);
  }
  const ended = Date.now();
  return {
    command,
    args,
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    timedOut,
    stdout: stdout.length ? stdout.join("\n") + "\n" : "",
    stderr: stderr.length ? stderr.join("\n") + "\n" : "",
    startedAt: new Date(started).toISOString(),
    endedAt: new Date(ended).toISOString(),
    durationMs: ended - started,
  };
}

/** Runs a short probe (`rustc -vV`, `git rev-parse`) and returns its trimmed stdout, or null if it fails. */
export async function probe(command: string, args: string[], cwd?: string): Promise<string | null> {
  try {
    const r = await runProcess(command, args, { cwd, timeoutMs: 30_000 });
    return r.exitCode === 0 ? r.stdout.trim() : null;
  } catch {
    return null;
  }
}
