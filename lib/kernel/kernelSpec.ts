import { join } from "node:path";

/** A Jupyter kernelspec (`kernel.json`), the fields litlab writes and reads. */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  env?: Record<string, string>;
  interrupt_mode?: "signal" | "message";
  metadata?: Record<string, unknown>;
}

export const KERNEL_NAME = "litlab";
export const KERNEL_DISPLAY_NAME = "litlab (TypeScript)";

/** The launcher in the project's top-level `kernel/` folder (CommonJS, like tslab). */
export function launcherPath(projectRoot: string): string {
  return join(projectRoot, "kernel", "launch.cjs");
}

/**
 * The litlab kernelspec for a checkout at `projectRoot` (pure). The launcher starts the project's own tslab
 * (`node_modules/tslab/dist/main.js`, what `node_modules/tslab/bin/tslab kernel` runs) after making
 * `import ... from "litlab"` resolve from any notebook folder, for both the runtime and tslab's type-checker.
 * `nodePath` defaults to the absolute path of the Node running now, so Jupyter needs no PATH to find it.
 *
 * NODE_PATH is not set here: Jupyter would replace the user's own value; the launcher prepends the project's
 * node_modules to whatever NODE_PATH the kernel inherits.
 */
export function kernelSpecFor(projectRoot: string, nodePath: string = process.execPath): KernelSpec {
  return {
    argv: [nodePath, launcherPath(projectRoot), "kernel", "--config-path", "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    env: { LITLAB_PROJECT_ROOT: projectRoot },
    interrupt_mode: "signal",
    metadata: { litlab: { projectRoot } },
  };
}
