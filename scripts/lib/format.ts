/**
 * Formatting for the scripts' output: amounts in ETH (with wei where it matters), scores, dates and
 * small aligned tables. Pure functions, no I/O except {@link printTable}.
 */
import { formatEther, formatUnits } from "ethers";

/** `1.5 ETH` from wei. Keeps every significant digit (no rounding), so sums reconcile by eye. */
export function eth(wei: bigint): string {
  return `${formatEther(wei)} ETH`;
}

/** `1.5 ETH (1500000000000000000 wei)`: for the lines where the exact wei matters. */
export function ethWei(wei: bigint): string {
  return `${formatEther(wei)} ETH (${wei.toString()} wei)`;
}

/** A score held as an 18-decimal fixed-point integer, shown as a decimal number. */
export function score(fixed: bigint): string {
  return formatUnits(fixed, 18);
}

/** `2025-01-31 12:00:00 UTC` from a Unix timestamp in seconds. */
export function date(unixSeconds: bigint | number): string {
  const ms = Number(unixSeconds) * 1000;
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

/** `1d 2h 3m 4s` from seconds. */
export function duration(seconds: bigint | number): string {
  let s = Number(seconds);
  if (s <= 0) return "0s";
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0) parts.push(`${s}s`);
  return parts.join(" ");
}

/** `0x1234…abcd` for tables. */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

export type Cell = string | number | bigint | boolean | null | undefined;

/** Renders rows as an aligned text table; numbers-looking cells are right-aligned. */
export function table(headers: string[], rows: Cell[][]): string {
  const text = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? "" : String(cell))));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? "").length)));
  const numeric = headers.map((_, i) => text.length > 0 && text.every((row) => /^-?[\d.,]+( ETH)?$|^$/.test(row[i] ?? "")));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...text.map(line)].join("\n");
}

/** Prints a table with an optional title line. */
export function printTable(title: string | undefined, headers: string[], rows: Cell[][], log = console.log): void {
  if (title) log(`\n${title}`);
  log(table(headers, rows));
}
