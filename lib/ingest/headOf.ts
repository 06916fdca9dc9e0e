import { open } from "node:fs/promises";

/** How much of a file a reader's detect() may look at: every reader is asked about every file. */
export const DETECT_BYTES = 64 * 1024;

/** The first 64 KB of a file as text; "" when it cannot be read or holds a NUL byte (binary: CBOR, an executable). */
export async function headOf(path: string, bytes = DETECT_BYTES): Promise<string> {
  let fh;
  try {
    fh = await open(path, "r");
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    const head = buf.subarray(0, bytesRead);
    return head.includes(0) ? "" : head.toString("utf8");
  } catch {
    return "";
  } finally {
    await fh?.close();
  }
}
