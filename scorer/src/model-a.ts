/**
 * Scoring model A, "like2earn" (SPEC §2). Pure; the hot loop does bigint table look-ups and
 * additions only.
 *
 *   v0(n) = max(0, r − log10 n)               (cutoff)   or   log10(1 + 10^r / n)   (smooth)
 *   v     = k_engage[type] · k_user · v0(n)   = floor(k_engage · k_user · v0 / 1e36)
 *   V     = k_creator · Σ v
 *   S_u   = Σ v (u's own engagements, u registered) + floor(k_creator · Σ_{c by u} Σ v / 1e18)
 * (V is summed over the author's content before the one floor: fewer roundings.)
 */
import type { Curve, Like2EarnParams } from "./config";
import type { EngagementTable } from "./engagements";
import { ENGAGEMENT_TYPES } from "./engagements";
import { Dec, decToWadFloor, wadToDec, WAD, WAD2 } from "./fixed";
import { LOG_SCALE, log10Scaled, MAX_FACTORED } from "./log10";
import type { PreparedEngagements } from "./prepare";

interface V0Table {
  readonly values: bigint[];
  /** First n from which v0 is 0 for good (cutoff curve); Infinity for smooth. */
  zeroFrom: number;
  readonly r: Dec;
  readonly rWad: bigint;
  readonly curve: Curve;
}

const v0Tables = new Map<string, V0Table>();

function v0Table(r: bigint, curve: Curve): V0Table {
  const key = `${r}:${curve}`;
  let t = v0Tables.get(key);
  if (!t) {
    t = { values: [0n], zeroFrom: Infinity, r: wadToDec(r), rWad: r, curve };
    v0Tables.set(key, t);
  }
  return t;
}

const SCALE_TO_WAD = LOG_SCALE / WAD;

function computeV0(t: V0Table, n: number): bigint {
  const rWad = t.rWad;
  if (t.curve === "cutoff") {
    const v = rWad * SCALE_TO_WAD - log10Scaled(n);
    return v <= 0n ? 0n : v / SCALE_TO_WAD;
  }
  // smooth: log10(1 + 10^r / n) = log10(n + 10^r) − log10(n) when 10^r is an integer.
  if (rWad % WAD === 0n) {
    const x = BigInt(n) + 10n ** (rWad / WAD);
    if (x <= BigInt(MAX_FACTORED)) return (log10Scaled(Number(x)) - log10Scaled(n)) / SCALE_TO_WAD;
  }
  return decToWadFloor(new Dec(10).pow(t.r).div(new Dec(n)).plus(1).log(10));
}

/**
 * v0(n) as WAD, memoised per (r, curve): `max(0, r − log10 n)` (cutoff) or `log10(1 + 10^r/n)`
 * (smooth), floored to 18 decimals. log10 comes from log10.ts (40 decimals, from decimal.js prime
 * logarithms); a smooth curve with a non-integer r uses decimal.js directly.
 */
export function v0Wad(n: number, r: bigint, curve: Curve): bigint {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`v0(n) needs an integer n ≥ 1, got ${n}`);
  const t = v0Table(r, curve);
  if (n >= t.zeroFrom) return 0n;
  const values = t.values;
  while (values.length <= n) {
    const m = values.length;
    const v = computeV0(t, m);
    values.push(v);
    if (v === 0n && curve === "cutoff") {
      t.zeroFrom = m; // r − log10 n only decreases: zero from here on
      return 0n;
    }
  }
  return values[n];
}

/** k_user for an asset value (wei): the highest tier whose `min` is at most the value. */
export function kUserForAssets(params: Like2EarnParams, assets: bigint): bigint {
  const tiers = params.kUser.tiers;
  let k = tiers[0].k;
  for (const tier of tiers) if (assets >= tier.min) k = tier.k;
  return k;
}

export interface ModelAResult {
  /** Σ v of each participant's own engagements (WAD), by participant index. */
  readonly engagement: bigint[];
  /** k_creator · Σ v over each participant's content (WAD, floored once per participant). */
  readonly creator: bigint[];
}

/**
 * Exact sums without bigints in the hot loop: a value below 2^104 is four 26-bit limbs held in
 * doubles. Adding fewer than 2^26 values keeps every limb sum below 2^52, so the sums are exact;
 * the limbs are turned into one bigint per account at the end.
 */
const LIMB = 2 ** 26;
const LIMB_BITS = 26n;
const LIMB_MASK = (1n << LIMB_BITS) - 1n;
/** The limb path holds for fewer rows than this (else the bigint path runs). */
export const LIMB_MAX_ROWS = 2 ** 26;
const LIMB_MAX_VALUE = 1n << 104n;

function limbsToBig(a0: number, a1: number, a2: number, a3: number): bigint {
  let c = Math.floor(a0 / LIMB);
  a0 -= c * LIMB;
  a1 += c;
  c = Math.floor(a1 / LIMB);
  a1 -= c * LIMB;
  a2 += c;
  c = Math.floor(a2 / LIMB);
  a2 -= c * LIMB;
  a3 += c;
  const lo = a1 * LIMB + a0;
  if (a2 === 0 && a3 === 0) return BigInt(lo);
  return (BigInt(a3) << 78n) + (BigInt(a2) << 52n) + BigInt(lo);
}

interface WeightClasses {
  readonly classOf: Int32Array;
  readonly weights: bigint[];
}

/** Users grouped by k_user; slot = class · 5 + type has weight k_user · k_engage[type] (WAD²). */
function weightClasses(params: Like2EarnParams, kUserOfUser: readonly bigint[]): WeightClasses {
  const classOf = new Int32Array(kUserOfUser.length);
  const classK: bigint[] = [];
  const classIndex = new Map<bigint, number>();
  for (let u = 0; u < kUserOfUser.length; u++) {
    let c = classIndex.get(kUserOfUser[u]);
    if (c === undefined) {
      c = classK.length;
      classIndex.set(kUserOfUser[u], c);
      classK.push(kUserOfUser[u]);
    }
    classOf[u] = c;
  }
  const weights: bigint[] = [];
  for (const k of classK) for (const t of ENGAGEMENT_TYPES) weights.push(k * params.kEngage[t]);
  return { classOf, weights };
}

/** Engagements per content past this position score 0 (cutoff curve); also warms the v0 table. */
function scoringLimit(prepared: PreparedEngagements, params: Like2EarnParams): number {
  const { contentStart } = prepared;
  let maxLen = 0;
  for (let c = 0; c + 1 < contentStart.length; c++) maxLen = Math.max(maxLen, contentStart[c + 1] - contentStart[c]);
  if (maxLen > 0) v0Wad(maxLen, params.r, params.curve);
  return Math.min(maxLen, v0Table(params.r, params.curve).zeroFrom - 1);
}

/**
 * Model A over prepared engagements.
 * @param participantOfUser participant index of each user of the table, or -1 (not registered)
 * @param kUserOfUser k_user (WAD) of each user of the table (non-registered users: the first tier)
 */
export function scoreModelA(
  table: EngagementTable,
  prepared: PreparedEngagements,
  params: Like2EarnParams,
  participantOfUser: Int32Array,
  kUserOfUser: readonly bigint[],
  participantCount: number,
): ModelAResult {
  const { classOf, weights } = weightClasses(params, kUserOfUser);
  const limit = scoringLimit(prepared, params);
  const maxWeight = weights.reduce((m, x) => (x > m ? x : m), 0n);
  const v1 = limit > 0 ? v0Wad(1, params.r, params.curve) : 0n;
  if (prepared.order.length >= LIMB_MAX_ROWS || (maxWeight * v1) / WAD2 >= LIMB_MAX_VALUE) {
    return scoreModelABigint(table, prepared, params, participantOfUser, kUserOfUser, participantCount);
  }
  const nTypes = ENGAGEMENT_TYPES.length;
  const { r, curve } = params;
  // v as limbs by (slot, n): tables[slot][4n .. 4n+3], filled up to filled[slot] (exclusive).
  const tables: Float64Array[] = weights.map(() => new Float64Array(4 * Math.min(limit + 1, 1024)));
  const filled = weights.map(() => 1);
  const extend = (slot: number, n: number): Float64Array => {
    let tbl = tables[slot];
    if (tbl.length < 4 * (n + 1)) {
      const bigger = new Float64Array(Math.max(4 * (n + 1), tbl.length * 2));
      bigger.set(tbl);
      tables[slot] = tbl = bigger;
    }
    for (let m = filled[slot]; m <= n; m++) {
      const v = (weights[slot] * v0Wad(m, r, curve)) / WAD2;
      tbl[4 * m] = Number(v & LIMB_MASK);
      tbl[4 * m + 1] = Number((v >> LIMB_BITS) & LIMB_MASK);
      tbl[4 * m + 2] = Number((v >> (2n * LIMB_BITS)) & LIMB_MASK);
      tbl[4 * m + 3] = Number(v >> (3n * LIMB_BITS));
    }
    filled[slot] = n + 1;
    return tbl;
  };

  const own = new Float64Array(4 * participantCount);
  const made = new Float64Array(4 * participantCount);
  const { order, contentStart } = prepared;
  const { user, type, contentAuthor } = table;
  const nContents = contentStart.length - 1;
  for (let c = 0; c < nContents; c++) {
    const a = contentStart[c];
    const end = a + Math.min(contentStart[c + 1] - a, limit);
    if (a === end) continue;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = a; j < end; j++) {
      const i = order[j];
      const u = user[i];
      const slot = classOf[u] * nTypes + type[i];
      const n = j - a + 1;
      const tbl = n < filled[slot] ? tables[slot] : extend(slot, n);
      const q = 4 * n;
      const l0 = tbl[q];
      const l1 = tbl[q + 1];
      const l2 = tbl[q + 2];
      const l3 = tbl[q + 3];
      s0 += l0;
      s1 += l1;
      s2 += l2;
      s3 += l3;
      const p = participantOfUser[u];
      if (p >= 0) {
        const o = 4 * p;
        own[o] += l0;
        own[o + 1] += l1;
        own[o + 2] += l2;
        own[o + 3] += l3;
      }
    }
    const p = participantOfUser[contentAuthor[c]];
    if (p >= 0) {
      const o = 4 * p;
      made[o] += s0;
      made[o + 1] += s1;
      made[o + 2] += s2;
      made[o + 3] += s3;
    }
  }
  const engagement: bigint[] = new Array<bigint>(participantCount);
  const creator: bigint[] = new Array<bigint>(participantCount);
  for (let p = 0; p < participantCount; p++) {
    const o = 4 * p;
    engagement[p] = own[o] + own[o + 1] + own[o + 2] + own[o + 3] === 0 ? 0n : limbsToBig(own[o], own[o + 1], own[o + 2], own[o + 3]);
    const sum = made[o] + made[o + 1] + made[o + 2] + made[o + 3] === 0 ? 0n : limbsToBig(made[o], made[o + 1], made[o + 2], made[o + 3]);
    creator[p] = sum === 0n ? 0n : (params.kCreator * sum) / WAD;
  }
  return { engagement, creator };
}

/**
 * The same computation with bigint sums: the reference the fast path is tested against, and the
 * path for inputs beyond the limb bounds.
 */
export function scoreModelABigint(
  table: EngagementTable,
  prepared: PreparedEngagements,
  params: Like2EarnParams,
  participantOfUser: Int32Array,
  kUserOfUser: readonly bigint[],
  participantCount: number,
): ModelAResult {
  const { classOf, weights } = weightClasses(params, kUserOfUser);
  const limit = scoringLimit(prepared, params);
  const nTypes = ENGAGEMENT_TYPES.length;
  const own: bigint[] = new Array<bigint>(participantCount).fill(0n);
  const made: bigint[] = new Array<bigint>(participantCount).fill(0n);
  const { order, contentStart } = prepared;
  const nContents = contentStart.length - 1;
  for (let c = 0; c < nContents; c++) {
    const a = contentStart[c];
    const end = a + Math.min(contentStart[c + 1] - a, limit);
    let sum = 0n;
    for (let j = a; j < end; j++) {
      const i = order[j];
      const u = table.user[i];
      const v = (weights[classOf[u] * nTypes + table.type[i]] * v0Wad(j - a + 1, params.r, params.curve)) / WAD2;
      sum += v;
      const p = participantOfUser[u];
      if (p >= 0) own[p] += v;
    }
    const p = participantOfUser[table.contentAuthor[c]];
    if (p >= 0) made[p] += sum;
  }
  return { engagement: own, creator: made.map((s) => (params.kCreator * s) / WAD) };
}
