/**
 * 18-decimal fixed-point arithmetic on bigints ("WAD": 1e18 is 1.0).
 *
 * Every score, weight and factor between the inputs and the amounts is a WAD bigint. The few
 * transcendental functions (log10, exp, ln) go through decimal.js at 50 significant digits and are
 * floored to 18 decimals; their results are memoised by the callers. No float ever feeds a result.
 */
import Decimal from "decimal.js";

/** 1.0 in 18-decimal fixed point. */
export const WAD = 10n ** 18n;
/** WAD squared, for products of two WAD factors. */
export const WAD2 = WAD * WAD;

/** decimal.js with 50 significant digits: far more than the 18 decimals we keep. */
export const Dec = Decimal.clone({
  precision: 50,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -100,
  toExpPos: 100,
});
export type Dec = Decimal;

const DECIMAL_RE = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a non-negative decimal string (`"3"`, `"0.1"`, `"0.015051502236832328"`) exactly into WAD.
 * Returns `undefined` when the string is not such a number or has more than 18 decimals (which
 * would not be exact).
 */
export function parseWad(text: string): bigint | undefined {
  const m = DECIMAL_RE.exec(text);
  if (!m) return undefined;
  const frac = m[2] ?? "";
  if (frac.length > 18) return undefined;
  return BigInt(m[1]) * WAD + BigInt(frac.padEnd(18, "0"));
}

/** Canonical decimal string of a WAD value: `3`, `0.1`, `1.25` (no trailing zeros). */
export function formatWad(x: bigint): string {
  const neg = x < 0n;
  const a = neg ? -x : x;
  const int = a / WAD;
  const frac = (a % WAD).toString().padStart(18, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}

/** Fixed 18-decimal string of a WAD value: `3.000000000000000000`. */
export function formatWadFixed(x: bigint): string {
  const neg = x < 0n;
  const a = neg ? -x : x;
  return `${neg ? "-" : ""}${a / WAD}.${(a % WAD).toString().padStart(18, "0")}`;
}

export type Rounding = "floor" | "ceil";

/** `a · b / d` with explicit rounding, for non-negative operands and positive `d`. */
export function mulDiv(a: bigint, b: bigint, d: bigint, rounding: Rounding = "floor"): bigint {
  if (a < 0n || b < 0n || d <= 0n) throw new RangeError(`mulDiv(${a}, ${b}, ${d}): operands must be non-negative, divisor positive`);
  const p = a * b;
  const q = p / d;
  return rounding === "ceil" && q * d !== p ? q + 1n : q;
}

/** `a · b / WAD`, floored. */
export function wmul(a: bigint, b: bigint): bigint {
  return mulDiv(a, b, WAD);
}

/** A WAD bigint as a decimal.js number (exact). */
export function wadToDec(x: bigint): Dec {
  return new Dec(x.toString()).div(new Dec(WAD.toString()));
}

/** Floors a decimal.js number to WAD (toward negative infinity). */
export function decToWadFloor(d: Dec): bigint {
  if (!d.isFinite()) throw new RangeError(`not a finite number: ${d.toString()}`);
  return BigInt(d.times(new Dec(WAD.toString())).floor().toFixed(0));
}

/** The larger of two bigints. */
export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** The smaller of two bigints. */
export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
