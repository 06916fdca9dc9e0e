import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { TestContext } from "node:test";

/** True when `cmd args` runs and exits 0. */
export function hasCommand(cmd: string, args: string[] = ["--version"]): boolean {
  const r = spawnSync(cmd, args, { stdio: "ignore" });
  return r.status === 0;
}

/**
 * Skips a test whose tool is missing, printing why; under LITLAB_REQUIRE_TOOLS=1 (CI) a missing tool fails it.
 * Returns true when the test may go on.
 */
export function requireTool(t: TestContext, name: string, available: boolean, why = ""): boolean {
  if (available) return true;
  const reason = `${name} is not available${why ? ` (${why})` : ""}`;
  if (process.env["LITLAB_REQUIRE_TOOLS"] === "1") assert.fail(`${reason}, and LITLAB_REQUIRE_TOOLS=1 requires it`);
  process.stdout.write(`# skipped: ${reason}\n`);
  t.skip(reason);
  return false;
}
