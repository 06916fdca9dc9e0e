import { runDevice, type DeviceRunOptions } from "../trigger/device/deviceRun.js";
import { ARM_MACHINES, RISCV_MACHINES } from "../trigger/device/qemuCommand.js";
import { unescapeSend } from "../trigger/device/serialCapture.js";
import { listSerialPorts } from "../trigger/device/serialPorts.js";
import { helpRequested, parseCommandArgs, UsageError } from "./usage.js";

export const DEVICE_USAGE = "litlab run device (--qemu ELF [--machine M] [--icount N|off] [--channel semihosting|uart] [--append WORDS] | --serial PATH [--baud N] [--send STR] | --probe-rs ELF --chip CHIP) [--timeout S] [--label L] [--runs DIR] [--json]  |  litlab run device --list-ports [--json]";

/**
 * `litlab run device ...` (`args` are the words after `device`): run firmware under QEMU or probe-rs, or read a
 * serial port, and print the run folder (progress on stderr). Exit 0 only when the run is `ok`.
 */
export async function deviceCommand(args: string[], fullArgv: string[]): Promise<number> {
  if (helpRequested(args, DEVICE_USAGE)) return 0;
  const { values, positionals } = parseCommandArgs(args, {
    qemu: { type: "string" }, machine: { type: "string" }, append: { type: "string" }, icount: { type: "string" }, channel: { type: "string" },
    serial: { type: "string" }, baud: { type: "string" }, send: { type: "string" },
    "probe-rs": { type: "string" }, chip: { type: "string" },
    timeout: { type: "string" }, label: { type: "string" }, runs: { type: "string" }, json: { type: "boolean" },
    "list-ports": { type: "boolean" },
  }, "run device");
  if (positionals.length) throw new UsageError(`run device: unexpected ${JSON.stringify(positionals[0])} (${DEVICE_USAGE})`);

  if (values["list-ports"]) {
    const runner = (["qemu", "serial", "probe-rs"] as const).find((k) => values[k] !== undefined);
    if (runner) throw new UsageError(`run device: --list-ports lists ports and runs nothing; drop --${runner}, or drop --list-ports`);
    const list = await listSerialPorts();
    if (values.json) process.stdout.write(JSON.stringify(list) + "\n");
    else {
      for (const p of list.ports) process.stdout.write(`${p.path}${p.manufacturer ? `\t${p.manufacturer}` : ""}${p.vendorId ? `\t${p.vendorId}:${p.productId ?? ""}` : ""}\n`);
      for (const n of list.notes) process.stderr.write(`note: ${n}\n`);
    }
    return 0;
  }

  const chosen = (["qemu", "serial", "probe-rs"] as const).filter((k) => values[k] !== undefined);
  if (chosen.length !== 1) throw new UsageError(`run device: give exactly one of --qemu ELF, --serial PATH, --probe-rs ELF (${DEVICE_USAGE})`);
  const only = (flags: readonly string[], runner: string): void => {
    for (const f of flags) if ((values as Record<string, unknown>)[f] !== undefined) throw new UsageError(`run device: --${f} goes with ${runner}`);
  };
  if (!values.qemu) only(["machine", "icount", "channel", "append"], "--qemu");
  if (!values.serial) only(["baud", "send"], "--serial");
  if (!values["probe-rs"]) only(["chip"], "--probe-rs");

  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const s = Number(values.timeout);
    if (!Number.isFinite(s) || s <= 0) throw new UsageError(`run device: --timeout must be a number of seconds > 0 (got ${values.timeout})`);
    timeoutMs = s * 1000;
  }
  const t = timeoutMs !== undefined ? { timeoutMs } : {};
  const options: DeviceRunOptions = {
    ...(values.label ? { label: values.label } : {}),
    ...(values.runs ? { runsRoot: values.runs } : {}),
    litlabCommand: ["litlab", ...fullArgv],
    onEvent: (line) => process.stderr.write(line + "\n"),
  };
  if (values.qemu) {
    let icount: number | null | undefined;
    if (values.icount !== undefined) {
      if (values.icount === "off") icount = null;
      else if (/^\d+$/.test(values.icount) && Number(values.icount) <= 10) icount = Number(values.icount);
      else throw new UsageError(`run device: --icount must be a shift 0..10 or off (got ${values.icount})`);
    }
    const machines: readonly string[] = [...ARM_MACHINES, ...RISCV_MACHINES];
    if (values.machine !== undefined && !machines.includes(values.machine)) throw new UsageError(`run device: --machine must be one of ${machines.join(", ")} (got ${values.machine})`);
    if (values.channel !== undefined && values.channel !== "semihosting" && values.channel !== "uart") throw new UsageError(`run device: --channel must be semihosting or uart (got ${values.channel})`);
    options.qemu = {
      elf: values.qemu, ...t,
      ...(values.machine ? { machine: values.machine } : {}),
      ...(icount !== undefined ? { icount } : {}),
      ...(values.channel ? { channel: values.channel as "semihosting" | "uart" } : {}),
      ...(values.append ? { append: values.append.split(/\s+/).filter(Boolean) } : {}),
    };
  } else if (values.serial) {
    let baud: number | undefined;
    if (values.baud !== undefined) {
      baud = Number(values.baud);
      if (!Number.isInteger(baud) || baud <= 0) throw new UsageError(`run device: --baud must be a positive integer (got ${values.baud})`);
    }
    options.serial = { path: values.serial, ...t, ...(baud !== undefined ? { baud } : {}), ...(values.send !== undefined ? { send: unescapeSend(values.send) } : {}) };
  } else {
    if (!values.chip) throw new UsageError("run device: --probe-rs ELF needs --chip CHIP (see `probe-rs chip list`)");
    options.probeRs = { elf: values["probe-rs"]!, chip: values.chip, ...t };
  }

  // Ctrl-C stops the device run, not litlab: the records that arrived are stored and the run is marked partial
  const interrupt = new AbortController();
  const onInterrupt = (): void => {
    if (interrupt.signal.aborted) return;
    process.stderr.write("interrupted: stopping the device run and keeping what arrived\n");
    interrupt.abort();
  };
  process.on("SIGINT", onInterrupt);
  process.on("SIGTERM", onInterrupt);
  let result: Awaited<ReturnType<typeof runDevice>>;
  try {
    result = await runDevice({ ...options, signal: interrupt.signal });
  } finally {
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onInterrupt);
  }
  if (values.json) {
    const d = result.manifest.device!;
    process.stdout.write(JSON.stringify({
      dir: result.dir, id: result.manifest.id, status: result.manifest.status, runner: d.runner, result: d.result, exitCode: d.exitCode,
      complete: d.complete, records: d.records, rows: result.rows.length, problems: d.problems, rawFiles: d.rawFiles, tables: result.manifest.tables,
    }) + "\n");
  } else {
    process.stdout.write(`${result.dir}\n`);
  }
  if (interrupt.signal.aborted) return 130;
  return result.manifest.status === "ok" ? 0 : 1;
}
