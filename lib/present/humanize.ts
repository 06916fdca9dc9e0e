/**
 * Numbers as a performance engineer reads them: Criterion-style durations (`1.655 ms`) and rates (`1.23 Melem/s`).
 * Pure string functions, shared by tables, tooltips and chart axes so every view prints the same number the same way.
 */

const TIME_UNITS: readonly [string, number][] = [["ps", 1e-3], ["ns", 1], ["µs", 1e3], ["ms", 1e6], ["s", 1e9]];

/** `x` with `digits` significant digits, without exponent notation, trailing zeros kept (`1.500`) like Criterion. */
function significant(x: number, digits: number): string {
  if (x === 0) return "0";
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  const text = x.toFixed(decimals);
  // Rounding can carry into the next power of ten (9.9996 → 10.000): drop the now-extra digit.
  return Math.abs(Number(text)) >= 10 ** (magnitude + 1) ? x.toFixed(Math.max(0, decimals - 1)) : text;
}

/** Picks the largest unit whose scaled value is ≥ 1, then re-checks after rounding (999.96 ns → `1.000 µs`, not `1000.0 ns`). */
function scaled(x: number, units: readonly [string, number][], digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x < 0) return `-${scaled(-x, units, digits)}`;
  if (x === 0) return `0 ${units.find(([, f]) => f === 1)?.[0] ?? units[0]![0]}`;
  let i = 0;
  while (i + 1 < units.length && x >= units[i + 1]![1]) i++;
  let text = significant(x / units[i]![1], digits);
  if (i + 1 < units.length && Number(text) * units[i]![1] >= units[i + 1]![1]) {
    i++;
    text = significant(x / units[i]![1], digits);
  }
  return `${text} ${units[i]![0]}`;
}

/** Nanoseconds → `812.3 ps`, `123.4 ns`, `12.35 µs`, `1.655 ms`, `2.000 s` (4 significant digits). */
export function formatDuration(ns: number): string {
  return scaled(ns, TIME_UNITS, 4);
}

const DECIMAL = (base: string): [string, number][] =>
  [["", 1], ["K", 1e3], ["M", 1e6], ["G", 1e9], ["T", 1e12]].map(([p, f]) => [`${p as string}${base}`, f as number]);
const BINARY = (base: string): [string, number][] =>
  [["", 1], ["Ki", 1024], ["Mi", 1024 ** 2], ["Gi", 1024 ** 3], ["Ti", 1024 ** 4]].map(([p, f]) => [`${p as string}${base}`, f as number]);

/**
 * A rate → `1.23 Melem/s`, `45.6 MiB/s` (3 significant digits). Units as the tidy rows spell them:
 * `elements/s` (decimal prefixes, like Criterion's Kelem/s), `bytes/s` (binary prefixes, like Criterion's
 * `Throughput::Bytes`), `bytes_decimal/s` (KB/s, MB/s); any other `X/s` gets decimal prefixes on X.
 */
export function formatRate(perSecond: number, unit: string): string {
  const base = unit.endsWith("/s") ? unit.slice(0, -2) : unit;
  const units = base === "elements" || base === "elem" ? DECIMAL("elem/s")
    : base === "bytes" || base === "B" ? BINARY("B/s")
    : base === "bytes_decimal" ? DECIMAL("B/s")
    : DECIMAL(unit);
  return scaled(perSecond, units, 3);
}

/** Any tidy value with its unit: durations for `ns`, rates for `…/s`, `12.5%` for `%`, else `1234 unit`. Null → `–`. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (unit === "ns") return formatDuration(value);
  if (unit.endsWith("/s")) return formatRate(value, unit);
  if (unit === "%") return `${significant(value, 3)}%`;
  if (unit === "") return formatNumber(value);
  return `${formatNumber(value)} ${unit}`;
}

/** A plain number: integers in full, others with 4 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** A confidence interval `[1.549 ms – 1.765 ms]`, or `` when either bound is unknown. */
export function formatInterval(lower: number | null | undefined, upper: number | null | undefined, unit: string): string {
  if (lower == null || upper == null) return "";
  return `[${formatValue(lower, unit)} – ${formatValue(upper, unit)}]`;
}
