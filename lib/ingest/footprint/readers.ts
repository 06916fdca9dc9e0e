/**
 * The I/O edge of the footprint parsers: FormatReaders for ingestPath's READERS list (kinds `elf`, `size-sysv`,
 * `size-berkeley`, `cargo-bloat`). Detection reads 4 bytes (ELF) or the first 64 KB (text); reading hands the whole
 * file to the pure parsers.
 */
import { open, readFile } from "node:fs/promises";
import { basename } from "node:path";
import { ParseError } from "../../errors.js";
import type { FormatReader, IngestResult } from "../ingestPath.js";
import type { TidyRow } from "../rows.js";
import { headOf } from "../headOf.js";
import { cargoBloatRows, looksLikeCargoBloat } from "./cargoBloat.js";
import { elfFootprint } from "./footprint.js";
import { footprintRows } from "./rows.js";
import { looksLikeSizeBerkeley, sizeBerkeleyRows } from "./sizeBerkeley.js";
import { looksLikeSizeSysv, sizeSysvRows } from "./sizeSysv.js";

type Result = Omit<IngestResult, "kind">;

/** Runs a pure parser on `path` with the short name as source; a ParseError names the path the user gave. */
async function withPathInErrors(path: string, parse: (source: string) => Promise<Result> | Result): Promise<Result> {
  const source = basename(path);
  try {
    return await parse(source);
  } catch (e) {
    if (e instanceof ParseError && e.file === source && source !== path) throw new ParseError(path, e.message.slice(source.length + 2), { cause: e });
    throw e;
  }
}

async function startsWithElfMagic(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, "r");
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return bytesRead === 4 && buf[0] === 0x7f && buf.toString("latin1", 1, 4) === "ELF";
  } catch {
    return false;
  } finally {
    await fh?.close();
  }
}

const textReader = (kind: string, expects: string, looks: (head: string) => boolean, rows: (text: string, o: { source: string }) => { rows: TidyRow[]; warnings: string[] }): FormatReader => ({
  kind,
  expects,
  detect: async (path, isDir) => !isDir && looks(await headOf(path)),
  read: async (path, isDir) => {
    if (isDir) throw new ParseError(path, `is a folder; the ${kind} reader reads one file`);
    const text = await readFile(path, "utf8");
    return withPathInErrors(path, (source) => {
      const parsed = rows(text, { source });
      return { rows: parsed.rows, warnings: parsed.warnings, samples: [] };
    });
  },
});

export const elfReader: FormatReader = {
  kind: "elf",
  expects: "elf: an ELF executable (firmware or host binary, starting with \\x7fELF); its section sizes give text/rodata/data/bss, flash and RAM",
  detect: async (path, isDir) => !isDir && (await startsWithElfMagic(path)),
  read: async (path, isDir) => {
    if (isDir) throw new ParseError(path, "is a folder; the elf reader reads one file");
    const bytes = await readFile(path);
    return withPathInErrors(path, (source) => ({
      rows: footprintRows(elfFootprint(bytes, source), { build: source, source, format: "elf" }),
      samples: [],
      warnings: [],
    }));
  },
};

export const sizeSysvReader = textReader(
  "size-sysv",
  "size-sysv: `size -A` / `cargo size -- -A` / `llvm-size -A` output (`section size addr` table, `Total` line)",
  looksLikeSizeSysv,
  sizeSysvRows,
);

export const sizeBerkeleyReader = textReader(
  "size-berkeley",
  "size-berkeley: `size` / `cargo size` default output (`text data bss dec hex filename`)",
  looksLikeSizeBerkeley,
  sizeBerkeleyRows,
);

export const cargoBloatReader = textReader(
  "cargo-bloat",
  "cargo-bloat: `cargo bloat` table (`File .text Size Crate Name`, or `File .text Size Crate` with --crates)",
  looksLikeCargoBloat,
  cargoBloatRows,
);

/** All four, in the order ingestPath should try them (each claims only its own format). */
export const footprintReaders: readonly FormatReader[] = [elfReader, sizeSysvReader, sizeBerkeleyReader, cargoBloatReader];
