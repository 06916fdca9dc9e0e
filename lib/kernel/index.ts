// The litlab Jupyter kernel: a tslab kernel started from this project so that `import { lab } from "litlab"` works.
export { KERNEL_NAME, KERNEL_DISPLAY_NAME, kernelSpecFor, launcherPath, type KernelSpec } from "./kernelSpec.js";
export { installKernel, kernelDir, type InstallKernelOptions, type KernelScope } from "./install.js";
