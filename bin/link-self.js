#!/usr/bin/env node
// Makes `import ... from "litlab"` resolve inside this checkout (notebooks/, tests, the tslab kernel):
// tslab type-checks cells with node10 resolution, which does not know package self-references,
// so node_modules/litlab points back at the project root.
import { existsSync, lstatSync, mkdirSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const link = join(root, "node_modules", "litlab");
mkdirSync(join(root, "node_modules"), { recursive: true });
let present = false;
try { present = lstatSync(link).isSymbolicLink() || existsSync(link); } catch { present = false; }
if (!present) symlinkSync("..", link, "dir");
