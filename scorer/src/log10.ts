/**
 * log10 of positive integers as fixed-point bigints with 40 decimals, fast and deterministic:
 * ln n = Σ e_p · ln p over n's prime factors, where each ln p comes once from decimal.js (50 digits)
 * and is floored to 40 decimals; log10 n = ln n / ln 10. Exact powers of ten are exact. Error below
 * 1e-38, far under the 18 decimals kept. A table of thousands of v0 values then costs a few
 * hundred decimal.js logarithms instead of thousands.
 */
import { Dec } from "./fixed";

/** 1.0 at 40 decimals. */
export const LOG_SCALE = 10n ** 40n;
const SCALE_DEC = new Dec(10).pow(40);

const floorScaled = (d: InstanceType<typeof Dec>): bigint => BigInt(d.times(SCALE_DEC).floor().toFixed(0));
const LN10 = floorScaled(new Dec(10).ln());

const lnPrime = new Map<number, bigint>();
/** Smallest prime factor of every integer below spf.length (0 and 1: 0). */
let spf = new Int32Array(0);

function sieve(limit: number): void {
  if (spf.length > limit) return;
  const size = Math.max(limit + 1, spf.length * 2, 1024);
  const s = new Int32Array(size);
  for (let i = 2; i < size; i++) {
    if (s[i] !== 0) continue;
    s[i] = i;
    if (i * i >= size) continue;
    for (let j = i * i; j < size; j += i) if (s[j] === 0) s[j] = i;
  }
  spf = s;
}

/** The largest integer this module factors (larger ones go straight to decimal.js). */
export const MAX_FACTORED = 4_000_000;

function lnScaled(n: number): bigint {
  if (n > MAX_FACTORED) return floorScaled(new Dec(n).ln());
  sieve(n);
  let sum = 0n;
  let m = n;
  while (m > 1) {
    const p = spf[m];
    let l = lnPrime.get(p);
    if (l === undefined) {
      l = floorScaled(new Dec(p).ln());
      lnPrime.set(p, l);
    }
    sum += l;
    m /= p;
  }
  return sum;
}

function powerOfTen(n: bigint): number {
  if (n < 1n) return -1;
  let k = 0;
  while (n % 10n === 0n) {
    n /= 10n;
    k++;
  }
  return n === 1n ? k : -1;
}

/** floor(log10(n) · 1e40) for a positive safe integer n (up to a 1e-38 error; powers of ten exact). */
export function log10Scaled(n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`log10 of ${n}: expected a positive integer`);
  const k = powerOfTen(BigInt(n));
  if (k >= 0) return BigInt(k) * LOG_SCALE;
  return (lnScaled(n) * LOG_SCALE) / LN10;
}
