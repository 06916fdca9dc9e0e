/**
 * The ONE mapping from lit-bit's benchmark function ids to runtime labels, used for the `runtime` column of
 * `runsTable` and by anything that names runtimes in a chart.
 *
 * lit-bit names runtimes two ways (see the bench spec, §1 and §2.1):
 * - Criterion function ids: `message_throughput/tokio_single/1000` → function `tokio_single`;
 * - the stdout leaderboard: `TokioSingleThread_1000`, i.e. `RuntimeTypeDebug_batch`.
 *
 * | function id (or prefix)                         | label                  |
 * |-------------------------------------------------|------------------------|
 * | `tokio_single`, `TokioSingleThread_*`           | Tokio current-thread   |
 * | `tokio_multi`, `TokioMultiThread_*`             | Tokio multi-thread     |
 * | `futures_lite`, `FuturesLite_*`                 | futures-lite           |
 * | `embassy`, `Embassy_*`                          | Embassy                |
 * | `std_thread`, `StdThread_*`                     | std thread             |
 *
 * Extend it with `registerRuntime("smol", "smol")` or `registerRuntime(/^Smol_\d+$/, "smol")`; registrations are
 * tried before the built-in entries, newest first, so a user can also relabel a built-in id.
 */

interface Entry {
  pattern: string | RegExp;
  label: string;
}

// leaderboard names are the Debug name of lit-bit's RuntimeType, `_`, then the batch size
const leaderboard = (debugName: string): RegExp => new RegExp(`^${debugName}_\\d+$`);

const BUILT_IN: readonly Entry[] = [
  { pattern: "tokio_single", label: "Tokio current-thread" },
  { pattern: "tokio_multi", label: "Tokio multi-thread" },
  { pattern: "futures_lite", label: "futures-lite" },
  { pattern: "embassy", label: "Embassy" },
  { pattern: "std_thread", label: "std thread" },
  { pattern: leaderboard("TokioSingleThread"), label: "Tokio current-thread" },
  { pattern: leaderboard("TokioMultiThread"), label: "Tokio multi-thread" },
  { pattern: leaderboard("FuturesLite"), label: "futures-lite" },
  { pattern: leaderboard("Embassy"), label: "Embassy" },
  { pattern: leaderboard("StdThread"), label: "std thread" },
];

const registered: Entry[] = [];

const matches = (e: Entry, id: string): boolean => {
  if (typeof e.pattern === "string") return e.pattern === id;
  e.pattern.lastIndex = 0; // a /g or /y regex keeps state between calls
  return e.pattern.test(id);
};

/** The runtime label of a function id (`tokio_single` → "Tokio current-thread"); null when the id is not a known runtime. */
export function runtimeOf(functionId: string | null | undefined): string | null {
  if (functionId == null) return null;
  for (let i = registered.length - 1; i >= 0; i--) if (matches(registered[i]!, functionId)) return registered[i]!.label;
  for (const e of BUILT_IN) if (matches(e, functionId)) return e.label;
  return null;
}

/** Adds a mapping: a string matches a function id exactly, a RegExp is tested against it. Later registrations win. */
export function registerRuntime(pattern: string | RegExp, label: string): void {
  registered.push({ pattern, label });
}

/** Forgets every registerRuntime call (tests, or a notebook that wants the documented mapping back). */
export function resetRuntimes(): void {
  registered.length = 0;
}

/** The built-in mapping, for documentation and charts that list every known runtime. */
export const BUILT_IN_RUNTIMES: readonly { pattern: string; label: string }[] = BUILT_IN.map((e) => ({
  pattern: typeof e.pattern === "string" ? e.pattern : e.pattern.source,
  label: e.label,
}));
