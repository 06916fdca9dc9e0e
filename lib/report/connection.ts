/** Jupyter connection files: five free TCP ports on loopback and a fresh HMAC key. */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";

export interface ConnectionInfo {
  transport: "tcp";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: "hmac-sha256";
  kernel_name?: string;
}

/** A port the OS considers free right now (there is a small race until the kernel binds it, as in jupyter_client). */
function freePort(ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, ip, () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function newConnectionInfo(kernelName = "litlab", ip = "127.0.0.1"): Promise<ConnectionInfo> {
  const ports = new Set<number>();
  // Sequentially, so that the five ports differ (a closed port can be handed out again at once).
  while (ports.size < 5) ports.add(await freePort(ip));
  const [shell, iopub, stdin, control, hb] = [...ports] as [number, number, number, number, number];
  return {
    transport: "tcp", ip, shell_port: shell, iopub_port: iopub, stdin_port: stdin, control_port: control, hb_port: hb,
    key: randomBytes(32).toString("hex"), signature_scheme: "hmac-sha256", kernel_name: kernelName,
  };
}

export function endpoint(info: ConnectionInfo, port: number): string {
  return `${info.transport}://${info.ip}:${port}`;
}

/** Written with mode 0600: the key lets anyone who reads it run code in the kernel. */
export async function writeConnectionFile(file: string, info: ConnectionInfo): Promise<void> {
  await writeFile(file, JSON.stringify(info, null, 2), { mode: 0o600 });
}
