/** Display helpers. Pure: no DOM, no I/O. */
import { formatUnits } from "ethers";

const ETH_DECIMALS_SHOWN = 6;

/** Exact decimal string of `units` of a token with `decimals`, without trailing zeros ("1.5"). */
export function exactAmount(units: bigint, decimals = 18): string {
  const s = formatUnits(units, decimals);
  return s.endsWith(".0") ? s.slice(0, -2) : s;
}

/** Exact decimal string of `wei` as ETH, without trailing zeros ("1.5", "0.000000000000000001"). */
export function exactEth(wei: bigint): string {
  return exactAmount(wei, 18);
}

/** True when {@link formatAmount} rounds `units` (so the page must offer the exact amount too). */
export function isRounded(units: bigint, decimals = 18): boolean {
  return formatAmount(units, decimals).startsWith("≈") || formatAmount(units, decimals).startsWith("<");
}

/**
 * `wei` as ETH for reading: exact when it has at most 6 decimals, otherwise rounded down to 6 decimals and
 * prefixed with "≈" (the page shows the exact amount next to it on demand, see {@link exactEth}).
 */
export function formatEth(wei: bigint): string {
  return formatAmount(wei, 18);
}

/** A token amount for reading, with the same rounding rule as {@link formatEth}. */
export function formatAmount(units: bigint, decimals = 18): string {
  const exact = exactAmount(units, decimals);
  const wei = units;
  const dot = exact.indexOf(".");
  if (dot < 0 || exact.length - dot - 1 <= ETH_DECIMALS_SHOWN) return exact;
  let shown = exact.slice(0, dot + 1 + ETH_DECIMALS_SHOWN).replace(/0+$/, "");
  if (shown.endsWith(".")) shown = shown.slice(0, -1);
  if (shown === "0" || shown === "-0") return wei > 0n ? "< 0.000001" : "> -0.000001";
  return `≈ ${shown}`;
}

/** An 18-decimal fixed-point score for reading (same rounding as {@link formatEth}). */
export function formatScore(score: bigint): string {
  return formatEth(score);
}


/** "0x1234…abcd". */
export function shortHex(hex: string, keep = 4): string {
  return hex.length <= 2 + keep * 2 + 1 ? hex : `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}`;
}

/** A Unix timestamp (seconds) as local date and time. */
export function formatTime(ts: bigint | number): string {
  return new Date(Number(ts) * 1000).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** Seconds as "2 d 3 h", "5 h 10 min", "42 s". */
export function formatDuration(seconds: bigint | number): string {
  let s = Math.max(0, Math.floor(Number(seconds)));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

/** "<date> (in 2 h 5 min)" or "<date> (3 d ago)", relative to the chain's `now`. */
export function formatWhen(ts: bigint, now: bigint): string {
  const rel = ts >= now ? `in ${formatDuration(ts - now)}` : `${formatDuration(now - ts)} ago`;
  return `${formatTime(ts)} (${rel})`;
}
