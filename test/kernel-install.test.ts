import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installKernel, kernelDir, kernelSpecFor } from "../lib/kernel/index.js";
import { LitlabError } from "../lib/errors.js";
import { PROJECT_ROOT } from "../lib/version.js";
import { requireTool } from "./helpers/tools.js";

test("kernelSpecFor: node + the project's launcher, Jupyter's {connection_file} placeholder, litlab names", () => {
  const spec = kernelSpecFor("/opt/litlab", "/usr/bin/node");
  assert.deepEqual(spec.argv, ["/usr/bin/node", "/opt/litlab/kernel/launch.cjs", "kernel", "--config-path", "{connection_file}"]);
  assert.equal(spec.display_name, "litlab (TypeScript)");
  assert.equal(spec.language, "typescript");
  assert.deepEqual(spec.env, { LITLAB_PROJECT_ROOT: "/opt/litlab" });
  assert.equal(kernelSpecFor("/opt/litlab").argv[0], process.execPath);
});

test("kernelDir: user (XDG_DATA_HOME or ~/.local/share), project prefix, sys", () => {
  const saved = process.env["XDG_DATA_HOME"];
  try {
    delete process.env["XDG_DATA_HOME"];
    assert.match(kernelDir("user", "/p"), /\/\.local\/share\/jupyter\/kernels\/litlab$/);
    process.env["XDG_DATA_HOME"] = "/xdg";
    assert.equal(kernelDir("user", "/p"), "/xdg/jupyter/kernels/litlab");
  } finally {
    if (saved === undefined) delete process.env["XDG_DATA_HOME"];
    else process.env["XDG_DATA_HOME"] = saved;
  }
  assert.equal(kernelDir("project", "/p"), "/p/.jupyter-prefix/share/jupyter/kernels/litlab");
  assert.equal(kernelDir("sys", "/p", "other"), "/usr/local/share/jupyter/kernels/other");
});

test("installKernel writes kernel.json (project scope, user scope via XDG_DATA_HOME)", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-kinstall-"));
  const saved = process.env["XDG_DATA_HOME"];
  try {
    await mkdir(join(root, "kernel"));
    await copyFile(join(PROJECT_ROOT, "kernel", "launch.cjs"), join(root, "kernel", "launch.cjs"));
    const { dir, spec } = await installKernel({ scope: "project", projectRoot: root });
    assert.equal(dir, join(root, ".jupyter-prefix/share/jupyter/kernels/litlab"));
    const written = JSON.parse(await readFile(join(dir, "kernel.json"), "utf8")) as unknown;
    assert.deepEqual(written, spec);
    assert.deepEqual(spec, kernelSpecFor(root));

    process.env["XDG_DATA_HOME"] = join(root, "xdg");
    const user = await installKernel({ scope: "user", projectRoot: root, name: "litlab-test" });
    assert.equal(user.dir, join(root, "xdg/jupyter/kernels/litlab-test"));
    assert.ok(existsSync(join(user.dir, "kernel.json")));
  } finally {
    if (saved === undefined) delete process.env["XDG_DATA_HOME"];
    else process.env["XDG_DATA_HOME"] = saved;
    await rm(root, { recursive: true, force: true });
  }
});

test("installKernel refuses a folder without the launcher", async () => {
  const root = await mkdtemp(join(tmpdir(), "litlab-kinstall-"));
  try {
    await assert.rejects(installKernel({ scope: "project", projectRoot: root }), (e: unknown) =>
      e instanceof LitlabError && e.code === "not-found" && e.message.includes("kernel/launch.cjs"));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("the launcher finds this project's tslab (argv without `kernel` goes to tslab's own CLI)", (t) => {
  const has = existsSync(join(PROJECT_ROOT, "node_modules", "tslab", "dist", "main.js"));
  if (!requireTool(t, "tslab", has, "node_modules/tslab missing: run npm install")) return;
  const [node, launcher] = kernelSpecFor(PROJECT_ROOT).argv;
  const r = spawnSync(node!, [launcher!, "--version"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "tslab 1.0.22");
});
