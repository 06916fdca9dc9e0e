/**
 * A minimal Jupyter client (messaging protocol 5.3 over zeromq 6) that starts a kernel from a kernelspec and runs
 * code in it, collecting nbformat outputs. Written for tslab, whose quirks it works around:
 * - a failed cell gets `status: "error"` without ename/evalue and without an `error` output → synthesized;
 * - for 200 ms after an error tslab aborts every request → the next request waits ~300 ms (and is retried once if
 *   it still gets `status: "abort"`);
 * - no execute_input is sent → execution_count comes from execute_reply.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import type { Dealer, Subscriber } from "zeromq";
import { LitlabError } from "../errors.js";
import type { KernelSpec } from "../kernel/kernelSpec.js";
import { endpoint, newConnectionInfo, writeConnectionFile, type ConnectionInfo } from "./connection.js";
import { decode, encode, newMessage, type Message } from "./wire.js";
import { OutputCollector, type DisplayRegistry } from "./outputs.js";
import type { Output } from "./nbformat.js";

export interface KernelStartOptions {
  spec: KernelSpec;
  /** The kernel's working directory (tslab resolves imports and relative paths from it). */
  cwd: string;
  /** Extra environment on top of this process's and the kernelspec's. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface ExecuteResult {
  status: "ok" | "error" | "abort";
  executionCount: number | null;
  outputs: Output[];
  /** ISO dates as nbformat's `metadata.execution` keys them. */
  timing: Record<string, string>;
}

/** How long tslab keeps aborting requests after an error (200 ms), plus margin. */
const AFTER_ERROR_MS = 300;

/** The kernel process ended (or could not start); `log` is the tail of its stdout/stderr. */
export class KernelDiedError extends LitlabError {
  override name = "KernelDiedError";
  constructor(message: string, readonly log: string) {
    super("kernel-died", message);
  }
}

interface Pending {
  collector: OutputCollector;
  reply?: Message;
  idle: boolean;
  timing: Record<string, string>;
  done: () => void;
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class KernelClient {
  private readonly shell: Dealer;
  private readonly control: Dealer;
  private readonly iopub: Subscriber;
  private readonly session = randomUUID();
  private readonly pending = new Map<string, Pending>();
  private readonly failures = new Set<(e: Error) => void>();
  private log = "";
  private exited: string | null = null;
  private quietUntil = 0;
  private count = 0;
  private closed = false;
  private readonly onProcessExit = () => this.killGroup();
  /** Milliseconds from spawn to the first kernel_info_reply with iopub flowing. */
  startMs = 0;
  languageInfo: Record<string, unknown> = {};

  private constructor(
    zmq: typeof import("zeromq"),
    private readonly child: ChildProcess,
    private readonly info: ConnectionInfo,
    private readonly dir: string,
  ) {
    this.shell = new zmq.Dealer({ linger: 0 });
    this.control = new zmq.Dealer({ linger: 0 });
    this.iopub = new zmq.Subscriber({ linger: 0 });
  }

  static async start(options: KernelStartOptions): Promise<KernelClient> {
    const t0 = performance.now();
    // Loaded here, not at the top: `import ... from "litlab"` in a notebook should not pull in a native addon.
    const zmq = await import("zeromq");
    const info = await newConnectionInfo();
    const dir = await mkdtemp(join(tmpdir(), "litlab-kernel-"));
    const file = join(dir, "kernel.json");
    await writeConnectionFile(file, info);
    const [cmd, ...args] = options.spec.argv.map((a) => a.replaceAll("{connection_file}", file));
    if (!cmd) throw new LitlabError("kernel", "kernelspec has an empty argv");
    // Own process group (detached) so that close() can kill the kernel and whatever its cells started.
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.spec.env, ...options.env, LITLAB_WATCH_PARENT: "1" },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const client = new KernelClient(zmq, child, info, dir);
    try {
      await client.connect(options.startTimeoutMs ?? 60_000);
    } catch (e) {
      await client.close();
      throw e;
    }
    client.startMs = Math.round(performance.now() - t0);
    return client;
  }

  private async connect(timeoutMs: number): Promise<void> {
    const keep = (chunk: Buffer) => { this.log = (this.log + chunk.toString()).slice(-16_384); };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    this.child.on("error", (e) => this.died(`cannot start the kernel (${e.message})`));
    this.child.on("exit", (code, signal) => this.died(`the kernel exited (${signal ? `signal ${signal}` : `exit code ${code}`})`));
    process.on("exit", this.onProcessExit);

    this.shell.connect(endpoint(this.info, this.info.shell_port));
    this.control.connect(endpoint(this.info, this.info.control_port));
    this.iopub.connect(endpoint(this.info, this.info.iopub_port));
    this.iopub.subscribe();
    void this.pump(this.shell, "shell");
    void this.pump(this.control, "control");
    void this.pump(this.iopub, "iopub");

    // Ready = a kernel_info_reply on shell AND its status on iopub: a subscriber misses what is published before
    // its subscription reaches the kernel, so keep asking until iopub is seen to flow (as nbclient does).
    await this.waitFor(timeoutMs, "the kernel did not start", (resolve) => {
      const ask = () => {
        if (this.closed || this.exited) return;
        const msg = newMessage("kernel_info_request", {}, this.session);
        this.pending.set(msg.header.msg_id, {
          collector: new OutputCollector(), idle: false, timing: {},
          done: () => {
            const reply = this.pending.get(msg.header.msg_id)?.reply;
            const li = reply?.content["language_info"];
            if (li && typeof li === "object") this.languageInfo = li as Record<string, unknown>;
            clearInterval(timer);
            resolve();
          },
        });
        void this.send(this.shell, msg);
      };
      const timer = setInterval(ask, 500);
      ask();
      return () => clearInterval(timer);
    });
    this.pending.clear();
  }

  /** Runs `code`; resolves when the kernel is idle again with the reply in hand. */
  async execute(code: string, options: { timeoutMs?: number; displays?: DisplayRegistry } = {}): Promise<ExecuteResult> {
    for (let attempt = 0; ; attempt++) {
      const wait = this.quietUntil - Date.now();
      if (wait > 0) await delay(wait);
      const result = await this.executeOnce(code, options);
      // Aborted = sent inside tslab's post-error window; not run at all, so running it again is safe.
      if (result.status !== "abort" || attempt >= 2) return result;
      this.quietUntil = Date.now() + AFTER_ERROR_MS;
    }
  }

  private async executeOnce(code: string, options: { timeoutMs?: number; displays?: DisplayRegistry }): Promise<ExecuteResult> {
    const msg = newMessage("execute_request", {
      code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false,
    }, this.session);
    const id = msg.header.msg_id;
    const collector = new OutputCollector(options.displays);
    const timeoutMs = options.timeoutMs ?? 120_000;
    let entry: Pending | undefined;
    try {
      await this.waitFor(timeoutMs, `timed out after ${(timeoutMs / 1000).toFixed(0)} s`, (resolve) => {
        entry = { collector, idle: false, timing: {}, done: resolve };
        this.pending.set(id, entry);
        void this.send(this.shell, msg);
        return () => undefined;
      }, "timeout");
    } finally {
      this.pending.delete(id);
    }
    const reply = entry!.reply!.content;
    const status = reply["status"] === "error" ? "error" : reply["status"] === "abort" ? "abort" : "ok";
    if (status === "error") {
      collector.synthesizeError(reply);
      this.quietUntil = Date.now() + AFTER_ERROR_MS;
    }
    const count = typeof reply["execution_count"] === "number" ? reply["execution_count"] : status === "abort" ? null : this.count + 1;
    if (count !== null) this.count = count;
    return { status, executionCount: count, outputs: collector.outputs, timing: entry!.timing };
  }

  /** Asks the kernel to shut down, then kills its process group; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.exited) {
      const gone = new Promise<void>((r) => this.child.once("exit", () => r()));
      void this.send(this.control, newMessage("shutdown_request", { restart: false }, this.session));
      await Promise.race([gone, delay(1000)]);
    }
    this.closed = true;
    this.killGroup();
    process.off("exit", this.onProcessExit);
    for (const s of [this.shell, this.control, this.iopub]) s.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The tail of the kernel's own stdout/stderr (tslab logs there, outside any cell). */
  get kernelLog(): string {
    return this.log;
  }

  private killGroup(): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }

  private died(why: string): void {
    if (this.exited) return;
    this.exited = why;
    const err = new KernelDiedError(why + (this.log.trim() ? `; its last output:\n${this.log.trim().split("\n").slice(-8).join("\n")}` : ""), this.log);
    for (const fail of [...this.failures]) fail(err);
  }

  /** Waits until `arm`'s resolve is called, the timeout passes, or the kernel dies. */
  private waitFor(timeoutMs: number, timeoutMessage: string, arm: (resolve: () => void) => () => void, code = "kernel"): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.exited) return reject(new KernelDiedError(this.exited, this.log));
      let disarm: () => void = () => undefined;
      const finish = (e?: Error) => {
        clearTimeout(timer);
        this.failures.delete(fail);
        disarm();
        if (e) reject(e);
        else resolve();
      };
      const fail = (e: Error) => finish(e);
      const timer = setTimeout(() => finish(new LitlabError(code, timeoutMessage)), timeoutMs);
      this.failures.add(fail);
      disarm = arm(() => finish());
    });
  }

  private async send(sock: Dealer, msg: Message): Promise<void> {
    try {
      await sock.send(encode(this.info.key, msg));
    } catch {
      // Closed meanwhile: the waiter times out or sees the exit.
    }
  }

  private async pump(sock: Dealer | Subscriber, channel: "shell" | "control" | "iopub"): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: Message;
        try {
          msg = decode(this.info.key, frames);
        } catch {
          continue; // not ours to understand (bad signature/garbage): ignore like jupyter_client does
        }
        try {
          this.dispatch(channel, msg);
        } catch (e) {
          // A bug handling one message must not stop this channel (every later message would be lost).
          this.log += `\nlitlab: cannot handle ${msg.header.msg_type} on ${channel}: ${String(e)}`;
        }
      }
    } catch {
      // Socket closed.
    }
  }

  private dispatch(channel: "shell" | "control" | "iopub", msg: Message): void {
    const entry = this.pending.get(msg.parent_header.msg_id ?? "");
    if (!entry) return;
    const type = msg.header.msg_type;
    if (channel === "iopub") {
      if (type === "status") {
        const state = msg.content["execution_state"];
        if (state === "busy") entry.timing["iopub.status.busy"] = msg.header.date;
        if (state === "idle") {
          entry.timing["iopub.status.idle"] = msg.header.date;
          entry.idle = true;
        }
      } else {
        entry.collector.add(type, msg.content);
      }
    } else if (type.endsWith("_reply")) {
      entry.reply = msg;
      entry.timing["shell.execute_reply"] = msg.header.date;
    }
    if (entry.reply && entry.idle) entry.done();
  }
}
