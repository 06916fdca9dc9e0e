/**
 * The QEMU command line for one firmware image, and what QEMU's ending means. Pure: no I/O.
 *
 * Output routing is always explicit (env-probes.md §6): with `-nographic` UART output goes to stdout but semihosting
 * output to stderr, so litlab never uses it. Instead:
 * - channel `semihosting`: semihosting → a stdio chardev (litlab reads QEMU's stdout), UART → `file:<uartFile>`;
 * - channel `uart`: UART → `pty` (QEMU prints `char device redirected to /dev/pts/N` on stdout; litlab opens it
 *   like any serial port), semihosting still → stdout (the exit call and any boot text), the firmware is told
 *   `wait-uart` on its command line so it does not write before litlab has opened the PTY (early output is lost).
 * `-nodefaults -display none -monitor none` keep QEMU from adding its own serial/monitor/display devices.
 */
import { LitlabError } from "../../errors.js";

export type QemuChannel = "semihosting" | "uart";

/** The ELF header fields the command depends on (a subset of lib/ingest/footprint/elf.ts ElfHeader). */
export interface ElfMachineInfo {
  bits: 32 | 64;
  machine: number;
  machineName: string;
}

export interface QemuCommandOptions {
  elf: string;
  header: ElfMachineInfo;
  /** QEMU machine; default by architecture (arm → mps2-an385, riscv32 → virt). */
  machine?: string;
  /** `-icount shift=N`; null disables icount. Default 0 (1 instruction = 1 ns of virtual time, deterministic ticks). */
  icountShift?: number | null;
  /** Where the records come from (default `semihosting`). */
  channel?: QemuChannel;
  /** The UART log when channel is `semihosting` (default `raw/uart.log`, relative to QEMU's working directory). */
  uartFile?: string;
  /** More words for the firmware's semihosting command line (`-append`), e.g. a mode. */
  extraAppend?: string[];
  /** QEMU binary override (tests, unusual installs); default by architecture. */
  program?: string;
}

export interface QemuCommand {
  program: string;
  args: string[];
  machine: string;
  icountShift: number | null;
  channel: QemuChannel;
  /** The text passed with `-append` (the firmware reads it with SYS_GET_CMDLINE), or "" when none. */
  append: string;
  /** The UART log file (channel semihosting) or null (pty). */
  uartFile: string | null;
}

export const ARM_MACHINES = ["mps2-an385", "lm3s6965evb"] as const;
export const RISCV_MACHINES = ["virt"] as const;
export const DEFAULT_ICOUNT_SHIFT = 0;

const EM_ARM = 40;
const EM_RISCV = 243;

/** Builds the argv. An ELF for another architecture, a 64-bit RISC-V image or an unknown machine → LitlabError. */
export function qemuCommand(o: QemuCommandOptions): QemuCommand {
  const h = o.header;
  let program: string;
  let machine: string;
  let archArgs: string[];
  if (h.machine === EM_ARM) {
    if (h.bits !== 32) throw unsupported(o.elf, `a 64-bit ARM image (${h.machineName}) is not a Cortex-M firmware`);
    machine = o.machine ?? "mps2-an385";
    if (!(ARM_MACHINES as readonly string[]).includes(machine)) throw unsupported(o.elf, `machine ${JSON.stringify(machine)} is not one litlab runs ARM firmware on (${ARM_MACHINES.join(", ")})`);
    program = "qemu-system-arm";
    archArgs = ["-M", machine];
  } else if (h.machine === EM_RISCV) {
    if (h.bits !== 32) throw unsupported(o.elf, "a 64-bit RISC-V image: litlab runs riscv32 firmware on qemu-system-riscv32 -M virt");
    machine = o.machine ?? "virt";
    if (!(RISCV_MACHINES as readonly string[]).includes(machine)) throw unsupported(o.elf, `machine ${JSON.stringify(machine)} is not one litlab runs RISC-V firmware on (${RISCV_MACHINES.join(", ")})`);
    program = "qemu-system-riscv32";
    // -bios none: no OpenSBI, the image starts at its own entry in M-mode (env-probes.md §8)
    archArgs = ["-M", machine, "-bios", "none"];
  } else {
    throw unsupported(o.elf, `its machine type is ${h.machineName} (e_machine ${h.machine}); litlab runs arm (Cortex-M) and riscv32 firmware`);
  }
  const icountShift = o.icountShift === undefined ? DEFAULT_ICOUNT_SHIFT : o.icountShift;
  if (icountShift !== null && !(Number.isInteger(icountShift) && icountShift >= 0 && icountShift <= 10)) {
    throw new LitlabError("usage", `run device: --icount must be an integer shift 0..10 or off (got ${icountShift})`);
  }
  const channel = o.channel ?? "semihosting";
  const uartFile = channel === "semihosting" ? (o.uartFile ?? "raw/uart.log") : null;
  const words = [...(icountShift !== null ? ["icount"] : []), ...(channel === "uart" ? ["wait-uart"] : []), ...(o.extraAppend ?? [])];
  const append = words.join(" ");
  const args = [
    ...archArgs,
    "-display", "none", "-monitor", "none", "-nodefaults",
    "-chardev", "stdio,id=semihost",
    "-semihosting-config", "enable=on,target=native,chardev=semihost",
    // file: paths are parsed by QEMU's option parser: a comma would start a new option, so it is doubled
    "-serial", uartFile !== null ? `file:${uartFile.replaceAll(",", ",,")}` : "pty",
    ...(icountShift !== null ? ["-icount", `shift=${icountShift}`] : []),
    "-kernel", o.elf,
    ...(append ? ["-append", append] : []),
  ];
  return { program: o.program ?? program, args, machine, icountShift, channel, append, uartFile };
}

function unsupported(elf: string, why: string): LitlabError {
  return new LitlabError("unsupported", `${elf}: cannot run under QEMU: ${why}`, { file: elf });
}

/** `char device redirected to /dev/pts/3 (label serial0)` on QEMU's stdout → `/dev/pts/3`. */
export function ptyPathOf(line: string): string | null {
  const m = /char device redirected to (\S+) \(label serial0\)/.exec(line);
  return m ? m[1]! : null;
}

export type DeviceProcessResult = "ok" | "failed" | "timeout";

export interface ExitFacts {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** litlab stopped the process itself after the end record arrived and a short grace passed. */
  stoppedAfterEnd: boolean;
  /** The capture was complete (begin, end, matching count). */
  complete: boolean;
}

/**
 * What QEMU's (or probe-rs's) ending means. QEMU passes the semihosting SYS_EXIT(_EXTENDED) status through as its
 * own exit code (a fault exit, ADP_Stopped_InternalError, gives 1). Firmware that spins after its end record never
 * makes QEMU exit: litlab stops it, and that is a good run when the capture is complete.
 */
export function mapExit(f: ExitFacts): { result: DeviceProcessResult; message: string } {
  if (f.stoppedAfterEnd) {
    return f.complete
      ? { result: "ok", message: "stopped after the end record (the firmware does not exit)" }
      : { result: "failed", message: "stopped after the end record, but the capture is incomplete" };
  }
  if (f.timedOut) return { result: "timeout", message: "timed out: the process group was killed before an end record arrived" };
  if (f.exitCode === 0) return { result: "ok", message: "exited with status 0" };
  if (f.exitCode !== null) return { result: "failed", message: `exited with status ${f.exitCode}` };
  return { result: "failed", message: `ended by ${f.signal ?? "an unknown signal"}` };
}
