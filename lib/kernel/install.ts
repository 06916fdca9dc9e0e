import { mkdir, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { LitlabError } from "../errors.js";
import { KERNEL_NAME, kernelSpecFor, launcherPath, type KernelSpec } from "./kernelSpec.js";

export type KernelScope = "user" | "project" | "sys";

export interface InstallKernelOptions {
  scope: KernelScope;
  projectRoot: string;
  /** Kernel folder name (default `litlab`). */
  name?: string;
}

/**
 * Where Jupyter looks for a kernel called `name` in each scope. `project` is a prefix inside the checkout:
 * Jupyter sees it with `JUPYTER_PATH=<projectRoot>/.jupyter-prefix/share/jupyter`.
 */
export function kernelDir(scope: KernelScope, projectRoot: string, name: string = KERNEL_NAME): string {
  switch (scope) {
    case "user": {
      // Jupyter's own rule on Linux: $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter.
      const dataHome = process.env["XDG_DATA_HOME"] || join(homedir(), ".local", "share");
      return join(dataHome, "jupyter", "kernels", name);
    }
    case "project":
      return join(projectRoot, ".jupyter-prefix", "share", "jupyter", "kernels", name);
    case "sys":
      return join("/usr/local/share/jupyter/kernels", name);
  }
}

/** Writes `kernel.json` for the litlab kernel (replacing an older one atomically). */
export async function installKernel(options: InstallKernelOptions): Promise<{ dir: string; spec: KernelSpec }> {
  const { scope, projectRoot } = options;
  if (!existsSync(launcherPath(projectRoot))) {
    throw new LitlabError("not-found", `${launcherPath(projectRoot)}: kernel launcher missing (is ${projectRoot} a litlab checkout?)`, {
      file: launcherPath(projectRoot),
    });
  }
  const dir = kernelDir(scope, projectRoot, options.name);
  const spec = kernelSpecFor(projectRoot);
  try {
    await mkdir(dir, { recursive: true });
    const file = join(dir, "kernel.json");
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(spec, null, 2)}\n`);
    await rename(tmp, file);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "EACCES" ? "permission denied (sys scope needs root)" : String(e);
    throw new LitlabError("install", `${dir}: cannot write the kernelspec: ${why}`, { file: dir, cause: e });
  }
  return { dir, spec };
}
