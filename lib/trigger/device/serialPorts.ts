/**
 * Serial port discovery for `litlab run device --list-ports`. SerialPort.list() asks udevadm, which is missing in
 * many containers (`spawn udevadm ENOENT`): then the usual device nodes are listed instead. PTYs (socat, QEMU
 * `-serial pty`) are never listed by either: `--serial PATH` always accepts a path directly.
 */
import { readdir } from "node:fs/promises";
import { SerialPort } from "serialport";

export interface SerialPortEntry {
  path: string;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
  /** `udev` (SerialPort.list) or `dev-glob` (the fallback: no details). */
  via: "udev" | "dev-glob";
}

export interface SerialPortList {
  ports: SerialPortEntry[];
  /** Things to tell the user (the fallback's reason, the PTY note). */
  notes: string[];
}

export const PTY_NOTE = "PTYs (socat, QEMU -serial pty) are never listed: pass their path to --serial directly";
const DEV_PATTERN = /^tty(S|USB|ACM)\d+$/;

export async function listSerialPorts(options: { devDir?: string; list?: () => Promise<Awaited<ReturnType<typeof SerialPort.list>>> } = {}): Promise<SerialPortList> {
  const list = options.list ?? (() => SerialPort.list());
  try {
    const found = await list();
    return {
      ports: found.map((p) => ({
        path: p.path, manufacturer: p.manufacturer ?? null, serialNumber: p.serialNumber ?? null,
        vendorId: p.vendorId ?? null, productId: p.productId ?? null, via: "udev" as const,
      })),
      notes: [PTY_NOTE],
    };
  } catch (e) {
    const devDir = options.devDir ?? "/dev";
    const names = await readdir(devDir).catch(() => [] as string[]);
    const ports = names.filter((n) => DEV_PATTERN.test(n))
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
      .map((n) => ({ path: `${devDir}/${n}`, manufacturer: null, serialNumber: null, vendorId: null, productId: null, via: "dev-glob" as const }));
    return { ports, notes: [`port details unavailable (${(e as Error).message}; install udev for them): listed ${devDir}/ttyS*, ttyUSB*, ttyACM*`, PTY_NOTE] };
  }
}
