import { existsSync, realpathSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { LitlabError } from "../errors.js";
import { parseCargoBuildMessages } from "./cargoBuild.js";
import { probe, runProcess } from "./process.js";

export type FirmwareTarget = "thumbv7m-none-eabi" | "riscv32imac-unknown-none-elf";

export interface FirmwareBuildOptions {
  /** The firmware crate (holds Cargo.toml and the .cargo/config.toml with the build-std recipe). */
  dir: string;
  target: FirmwareTarget;
  /** Default `release`. */
  profile?: "release" | "dev";
  /** Kill the build after this many ms (default 10 min; a first build compiles core in ~30 s). */
  timeoutMs?: number;
  /** Progress: cargo's stderr lines and rendered compiler messages. */
  onLine?: (line: string) => void;
}

export interface FirmwareBuild {
  /** Absolute path of the built ELF. */
  elf: string;
  target: string;
  profile: string;
  /** The cargo binary used. */
  cargo: string;
  /** `git rev-parse --short HEAD` of the firmware folder (passed to the firmware as FW_COMMIT), or null. */
  commit: string | null;
  durationMs: number;
}

/**
 * Debian's cargo (rustc-web), not rustup's: rustup's cargo comes first on PATH here and has no rust-src,
 * which `-Zbuild-std` needs.
 */
export const FIRMWARE_CARGO = "/usr/bin/cargo";
export const RUST_SRC = "/usr/lib/rustlib/src/rust/library";
const APT_RUST = "apt-get install -y rustc-web cargo-web rust-web-src";

/** The linker each target's .cargo/config.toml names, and the Debian package that provides it. */
const LINKERS: Record<FirmwareTarget, { command: string; apt: string }> = {
  "thumbv7m-none-eabi": { command: "arm-none-eabi-gcc", apt: "gcc-arm-none-eabi" },
  "riscv32imac-unknown-none-elf": { command: "rust-lld", apt: "lld-22" },
};

/** The first `command` on `path` that exists (following symlinks: /usr/bin/rust-lld dangles without lld). */
function findOnPath(command: string, path: string): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      if (existsSync(realpathSync(candidate))) return candidate;
    } catch { /* missing or dangling */ }
  }
  return null;
}

/** Throws `tool-missing` naming the apt-get line that installs what is missing. */
function checkToolchain(target: FirmwareTarget, path: string): void {
  const linker = LINKERS[target];
  if (!existsSync(FIRMWARE_CARGO)) {
    throw new LitlabError("tool-missing", `${FIRMWARE_CARGO} is missing: install Debian's Rust with \`${APT_RUST} ${linker.apt}\``);
  }
  if (!existsSync(join(RUST_SRC, "core", "Cargo.toml"))) {
    throw new LitlabError("tool-missing",
      `the Rust sources for -Zbuild-std are missing (${RUST_SRC}): install them with \`${APT_RUST}\``);
  }
  if (!findOnPath(linker.command, path)) {
    throw new LitlabError("tool-missing",
      `the ${target} linker ${linker.command} is missing: install it with \`apt-get install -y ${linker.apt}\``);
  }
}

/** The bin ELF from cargo's `compiler-artifact` JSON messages (the last one wins). */
export function firmwareArtifact(stdout: string): string | null {
  let elf: string | null = null;
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    let msg: { reason?: unknown; target?: { kind?: unknown }; executable?: unknown };
    try { msg = JSON.parse(line) as typeof msg; } catch { continue; }
    const kind = msg.target?.kind;
    if (msg.reason === "compiler-artifact" && Array.isArray(kind) && kind.includes("bin") && typeof msg.executable === "string") {
      elf = msg.executable;
    }
  }
  return elf;
}

/** Rendered compiler messages in a JSON line, for progress output. */
function renderedLines(line: string): string[] {
  if (!line.startsWith("{") || !line.includes("\"compiler-message\"")) return [];
  try {
    const msg = JSON.parse(line) as { message?: { rendered?: unknown } };
    const rendered = msg.message?.rendered;
    return typeof rendered === "string" ? rendered.trimEnd().split("\n") : [];
  } catch {
    return [];
  }
}

/**
 * Builds the no_std firmware crate in `dir` for `target` with Debian's cargo and `-Zbuild-std`
 * (RUSTC_BOOTSTRAP=1; the recipe lives in the crate's .cargo/config.toml, so cargo runs inside `dir`).
 */
export async function buildFirmware(o: FirmwareBuildOptions): Promise<FirmwareBuild> {
  const dir = resolve(o.dir);
  const profile = o.profile ?? "release";
  if (!existsSync(join(dir, "Cargo.toml"))) {
    throw new LitlabError("not-found", `${dir} has no Cargo.toml: point at the firmware crate's folder`, { file: dir });
  }
  const path = `/usr/bin${delimiter}${process.env["PATH"] ?? ""}`;
  checkToolchain(o.target, path);
  const commit = await probe("git", ["rev-parse", "--short", "HEAD"], dir);
  const args = ["build", "--target", o.target, "--message-format=json"];
  if (profile === "release") args.push("--release");
  const result = await runProcess(FIRMWARE_CARGO, args, {
    cwd: dir,
    env: { PATH: path, RUSTC_BOOTSTRAP: "1", FW_COMMIT: commit ?? undefined },
    timeoutMs: o.timeoutMs ?? 10 * 60_000,
    onStderrLine: o.onLine,
    onStdoutLine: o.onLine ? (line) => renderedLines(line).forEach((l) => o.onLine?.(l)) : undefined,
  });
  if (result.timedOut) {
    throw new LitlabError("timeout", `building the firmware in ${dir} took longer than ${Math.round((o.timeoutMs ?? 600_000) / 1000)} s`, { file: dir });
  }
  if (result.exitCode !== 0) throw firmwareBuildError(result.stdout, result.stderr, dir);
  const found = firmwareArtifact(result.stdout);
  if (!found) {
    throw new LitlabError("build", `cargo built ${dir} but reported no bin target: the crate needs a [[bin]]`, { file: dir });
  }
  const elf = isAbsolute(found) ? found : resolve(dir, found);
  return { elf, target: o.target, profile, cargo: FIRMWARE_CARGO, commit, durationMs: result.durationMs };
}

/** The first compiler error with its file:line, or cargo's own first `error:` line. */
export function firmwareBuildError(stdout: string, stderr: string, dir: string): LitlabError {
  const outcome = parseCargoBuildMessages(stdout);
  const first = outcome.errors[0];
  if (first) {
    const file = first.file ? resolve(dir, first.file) : dir;
    const where = first.file ? `${file}:${first.line ?? "?"}:${first.column ?? "?"}` : dir;
    const more = outcome.errors.length > 1 ? ` (and ${outcome.errors.length - 1} more errors)` : "";
    return new LitlabError("build", `firmware compile error at ${where}: ${first.message}${more}`, { file });
  }
  const errLine = stderr.split("\n").find((l) => /^error(\[|:)/.test(l.trim())) ?? stderr.trim().split("\n").pop() ?? "cargo failed";
  return new LitlabError("build", `cargo build of the firmware in ${dir} failed: ${errLine.trim()}`, { file: dir });
}
