import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, basename, join } from "node:path";

import { LitlabError } from "../errors.js";

/** What went wrong, for a person: `a folder`, `permission denied`, ... (the errno code when there is no better word). */
const WHAT: Record<string, string> = {
  EACCES: "permission denied", EPERM: "permission denied", EROFS: "read-only file system",
  ENOSPC: "no space left on the device", EDQUOT: "disk quota exceeded", ENAMETOOLONG: "the name is too long",
  EISDIR: "it is a folder", ENOTDIR: "a part of the path is a file, not a folder", EEXIST: "a part of the path is a file, not a folder",
  ELOOP: "too many symbolic links", EMFILE: "too many open files", ENFILE: "too many open files", EIO: "an I/O error",
};

/** What to do about it. */
function remedy(code: string | undefined, folder: string): string {
  switch (code) {
    case "EISDIR": return "give a file path instead, e.g. a name inside that folder";
    case "ENOTDIR": case "EEXIST": return `choose another path, or move the file that stands where the folder ${folder} should be`;
    case "EACCES": case "EPERM": return `choose a folder you can write to, or fix the permissions of ${folder}`;
    case "EROFS": return "choose a path on a writable file system";
    case "ENOSPC": case "EDQUOT": return "free some space, or choose a path on another disk";
    case "ENAMETOOLONG": return "choose a shorter path";
    default: return "check the path and try again";
  }
}

/** A Node error from writing `path` as a one-line LitlabError("io"); anything that is not an errno error passes through. */
function writeError(path: string, e: unknown, stage: "folder" | "file"): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== "string") return e;
  const folder = dirname(path);
  const what = WHAT[code] ?? code;
  const detail = stage === "folder" ? `its folder ${folder} cannot be created: ${what}` : what;
  return new LitlabError("io", `${path}: cannot write (${detail}): ${remedy(code, folder)}`, { file: path, cause: e });
}

/**
 * Writes a file so that readers see either the old content or the whole new one, never a torn file:
 * write a temp file in the same folder, fsync it, rename it over the target.
 * A path that is a folder, or whose folder cannot be created or written, is a LitlabError("io") naming the path,
 * what went wrong and what to do.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) {
    throw new LitlabError("io", `${path}: cannot write (it is a folder): ${remedy("EISDIR", dirname(path))}`, { file: path });
  }
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (e) {
    throw writeError(path, e, "folder");
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let fh;
  try {
    fh = await open(tmp, "wx");
  } catch (e) {
    throw writeError(path, e, "file");
  }
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw writeError(path, e, "file");
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw writeError(path, e, "file");
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/** JSON Lines: one object per line, so large tables stream and diff well. */
export async function writeJsonLinesAtomic(path: string, rows: readonly object[]): Promise<void> {
  await writeFileAtomic(path, rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length ? "\n" : ""));
}
