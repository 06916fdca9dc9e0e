#!/usr/bin/env node
// litlab kernel launcher: starts this project's tslab kernel (what `node_modules/tslab/bin/tslab kernel
// --config-path FILE` does) so that `import { lab } from "litlab"` works in a notebook in ANY folder.
// tslab runs cells with `require` rooted at the notebook's folder and type-checks them with TypeScript's
// node10 resolution from that folder, with compiler options hard-coded in tslab/dist/converter.js (no tsconfig,
// no NODE_PATH for types). So, before tslab loads:
//  - runtime: prepend <root>/node_modules to NODE_PATH (project deps + the node_modules/litlab self-link), and
//    if `litlab` still does not resolve, resolve it from the project root (package self-reference via "exports");
//  - types: hand tslab's TypeScript compiler a `paths` mapping litlab -> <root> (its package.json `types`).
// Usage (from kernel.json): node kernel/launch.cjs kernel --config-path {connection_file}
"use strict";
const Module = require("node:module");
const path = require("node:path");

const root = process.env.LITLAB_PROJECT_ROOT || path.resolve(__dirname, "..");
const fromRoot = Module.createRequire(path.join(root, "package.json"));

// Runtime resolution.
const ownModules = path.join(root, "node_modules");
const nodePath = (process.env.NODE_PATH || "").split(path.delimiter).filter(Boolean);
if (!nodePath.includes(ownModules)) {
  process.env.NODE_PATH = [ownModules, ...nodePath].join(path.delimiter);
  Module._initPaths(); // re-reads NODE_PATH into Module.globalPaths (Node reads it once at startup)
}
const isLitlab = (request) => request === "litlab" || request.startsWith("litlab/");
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
  try {
    return originalResolve.call(this, request, parent, isMain, options);
  } catch (e) {
    if (!isLitlab(request) || !e || e.code !== "MODULE_NOT_FOUND") throw e;
    return fromRoot.resolve(request);
  }
};

// Type resolution: wrap the TypeScript module tslab's converter is about to load. Its exports are
// non-configurable getters, so the module object is replaced in the require cache by a forwarding copy.
const tslabMain = fromRoot.resolve("tslab/dist/main.js");
const tslabRequire = Module.createRequire(tslabMain);
const tsFile = tslabRequire.resolve("@tslab/typescript-for-tslab");
const ts = tslabRequire(tsFile);
const forwarding = {};
for (const key of Object.keys(ts)) {
  Object.defineProperty(forwarding, key, { enumerable: true, configurable: true, get: () => ts[key] });
}
Object.defineProperty(forwarding, "createWatchCompilerHost", {
  enumerable: true,
  value: function createWatchCompilerHost(rootFiles, options, ...rest) {
    if (Array.isArray(rootFiles) && options && typeof options === "object") {
      options = { ...options, paths: { ...(options.paths || {}), litlab: [root], "litlab/*": [path.join(root, "*")] } };
    }
    return ts.createWatchCompilerHost(rootFiles, options, ...rest);
  },
});
require.cache[tsFile].exports = forwarding;

// A kernel started by litlab's own client (not by Jupyter) leaves when that client's process is gone, even if it
// died without cleaning up: the kernel runs in its own process group, so nothing else would stop it.
if (process.env.LITLAB_WATCH_PARENT === "1") {
  delete process.env.LITLAB_WATCH_PARENT;
  const parent = process.ppid;
  setInterval(() => {
    try { process.kill(parent, 0); } catch { process.exit(0); } // ESRCH: the parent is gone
  }, 1000).unref();
}

const tslab = require(tslabMain);
const args = process.argv.slice(2);
const at = args.indexOf("--config-path");
if (args[0] === "kernel" && at >= 0 && args[at + 1]) {
  // enableFindLocal: false keeps THIS tslab (the one patched above) even when the notebook's folder has its own.
  tslab.startKernel({ configPath: args[at + 1], enableFindLocal: false, jsKernel: args.includes("--js") });
} else {
  tslab.main(); // anything else (--version, install, …): tslab's own CLI
}
