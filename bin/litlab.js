#!/usr/bin/env node
import { existsSync } from "node:fs";
const entry = new URL("../dist/lib/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("litlab: not built yet; run `npm install` (or `npm run build`) in the litlab folder first\n");
  process.exit(2);
}
// `litlab ingest … --json | head` closes the pipe early: that is the reader's choice, not an error
process.stdout.on("error", (e) => { if (e.code === "EPIPE") process.exit(0); throw e; });
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
