import { open, readFile } from "node:fs/promises";
import type { FormatReader } from "../ingestPath.js";
import { hasCargoCriterionData, ingestCargoCriterionData } from "./dataFolder.js";
import { cargoCriterionMessages, looksLikeCargoCriterionMessages } from "./messages.js";

const HEAD_BYTES = 64 * 1024;

/** The first bytes of a file as text (a cut multi-byte char at the end is harmless for a regex probe). */
async function head(path: string): Promise<string> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead).toString("utf8");
  } finally {
    await fh.close();
  }
}

export const cargoCriterionJsonReader: FormatReader = {
  kind: "cargo-criterion-json",
  expects: `cargo-criterion-json: output of cargo criterion --message-format=json ({"reason":"benchmark-complete",...} messages)`,
  detect: async (path, isDir) => !isDir && looksLikeCargoCriterionMessages(await head(path).catch(() => "")),
  read: async (path) => cargoCriterionMessages(await readFile(path, "utf8"), { source: path }),
};

export const cargoCriterionDataReader: FormatReader = {
  kind: "cargo-criterion-data",
  expects: "cargo-criterion-data: cargo-criterion's data folder (data/main/<benchmark>/benchmark.cbor + measurement_*.cbor)",
  detect: async (path, isDir) => (isDir ? hasCargoCriterionData(path) : /^(benchmark|measurement_.*)\.cbor$/.test(path.split(/[\\/]/).pop() ?? "")),
  read: async (path, isDir) => ingestCargoCriterionData(path, { isDir }),
};
