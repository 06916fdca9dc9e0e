// The CLI as a user types it (needs the build: `npx tsc -p .`): negative numbers after value-taking options reach the
// command's own checks, `--help`/`-h` on a subcommand prints its usage line and exits 0, `litlab help` lists every
// ingest kind.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { INGEST_KINDS } from "../lib/ingest/ingestPath.js";
import { parseCommandArgs } from "../lib/cli/usage.js";

const ROOT = resolve(import.meta.dirname, "..");
const BUILT = existsSync(join(ROOT, "dist/lib/cli/main.js"));
const litlab = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/litlab.js"), ...args], { cwd: ROOT, encoding: "utf8" });

const FOOTPRINT_USAGE_LINE = "usage: litlab footprint ELF[=LABEL]... [--baseline LABEL] [--top N] [--json] [--markdown FILE] [--svg FILE]\n";

test("a negative number after a value-taking option is its value: the command's own message, exit 2", (t) => {
  if (!BUILT) { t.skip("not built: run `npx tsc -p .`"); return; }
  const cases: [string[], string][] = [
    [["footprint", "some.elf", "--top", "-1"], "litlab: footprint: --top must be a whole number ≥ 0 (got -1)\n"],
    [["run", "device", "--qemu", "fw.elf", "--icount", "-1"], "litlab: run device: --icount must be a shift 0..10 or off (got -1)\n"],
    [["run", "device", "--qemu", "fw.elf", "--timeout", "-5"], "litlab: run device: --timeout must be a number of seconds > 0 (got -5)\n"],
  ];
  for (const [args, stderr] of cases) {
    const r = litlab(args);
    assert.equal(r.stderr, stderr, args.join(" "));
    assert.doesNotMatch(r.stderr, /ambiguous/);
    assert.equal(r.status, 2);
  }
});

test("parseCommandArgs: negative values for long and short options, `=` forms, nothing after --", () => {
  const opts = { top: { type: "string", short: "t" }, json: { type: "boolean" } } as const;
  assert.deepEqual({ ...parseCommandArgs(["--top", "-1", "a"], opts, "x").values }, { top: "-1" });
  assert.deepEqual({ ...parseCommandArgs(["-t", "-2.5"], opts, "x").values }, { top: "-2.5" });
  assert.deepEqual({ ...parseCommandArgs(["--top=-3"], opts, "x").values }, { top: "-3" });
  assert.deepEqual(parseCommandArgs(["a", "--", "--top", "-1"], opts, "x").positionals, ["a", "--top", "-1"]);
  // a boolean takes no value: `-1` after it is still an unknown option
  assert.throws(() => parseCommandArgs(["--json", "-1"], opts, "x"), /^UsageError: x: Unknown option '-1'/);
  // only numbers: a dash-word after a value-taking option is still node's complaint
  assert.throws(() => parseCommandArgs(["--top", "-x"], opts, "x"), /x: Option '--top' argument is ambiguous/);
});

test("--help / -h on a subcommand prints its usage line on stdout and exits 0", (t) => {
  if (!BUILT) { t.skip("not built: run `npx tsc -p .`"); return; }
  for (const args of [["footprint", "--help"], ["footprint", "-h"], ["footprint", "a.elf", "--top", "3", "--help"]]) {
    const r = litlab(args);
    assert.equal(r.stdout, FOOTPRINT_USAGE_LINE, args.join(" "));
    assert.equal(r.stderr, "");
    assert.equal(r.status, 0);
  }
  const d = litlab(["run", "device", "--help"]);
  assert.equal(d.status, 0);
  assert.equal(d.stderr, "");
  assert.equal(d.stdout, "usage: litlab run device (--qemu ELF [--machine M] [--icount N|off] [--channel semihosting|uart] [--append WORDS] | --serial PATH [--baud N] [--send STR] | --probe-rs ELF --chip CHIP) [--timeout S] [--label L] [--runs DIR] [--json]  |  litlab run device --list-ports [--json]\n");
  // after `--` it is an argument, not a request for help
  const after = litlab(["footprint", "missing.elf", "--", "--help"]);
  assert.equal(after.status, 2);
  assert.equal(after.stdout, "");
  // a command not wired yet: a one-line pointer to `litlab help`, not node's "Unknown option '--help'"
  const runs = litlab(["runs", "--help"]);
  assert.equal(runs.stderr, "litlab: runs: see `litlab help` for its usage\n");
  assert.equal(runs.status, 2);
});

test("litlab help lists every ingest kind", (t) => {
  if (!BUILT) { t.skip("not built: run `npx tsc -p .`"); return; }
  const r = litlab(["help"]);
  assert.equal(r.status, 0);
  const lines = r.stdout.split("\n");
  const start = lines.findIndex((l) => l.trimStart().startsWith("KIND: "));
  const end = lines.findIndex((l, i) => i > start && l.includes("(default: picked by content)"));
  assert.ok(start > 0 && end >= start, r.stdout);
  const listed = lines.slice(start, end + 1).join(" ").replace("KIND:", "").replace("(default: picked by content)", "").split(",").map((k) => k.trim());
  assert.deepEqual(listed, [...INGEST_KINDS]);
  // the 15 readers of the README's table and the memory readers, as of this writing
  assert.deepEqual(listed, ["criterion", "cargo-criterion-data", "device-records", "criterion-stdout", "bencher", "cargo-criterion-json", "dhat", "massif", "jemalloc", "perf-stat", "time", "elf", "size-sysv", "size-berkeley", "cargo-bloat"]);
  assert.ok(lines.every((l) => l.length <= 130), "a help line is too wide");
});
