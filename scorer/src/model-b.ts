/**
 * Scoring model B, "social-ai" (SPEC §3). Pure; WAD bigints throughout.
 *
 *   Q_c = w_u·U + w_c·C + w_s·S        U likes, C comments, S retweets + quotes on content c
 *   Q_u = κ + Σ Q_c                     over u's content
 *   I_u = Σ m(t_k)                      voting power (mana) at each of u's interactions
 *   E_u = α·A_u + β·I_u                 A_u active days
 *   D_u = decay with recovery           (see decayFactor)
 *   P_u = stake_u · D_u
 *   w_u = Q_u · E_u · P_u               = floor(Q_u · E_u · P_u / 1e36)
 */
import type { SocialAiParams } from "./config";
import type { EngagementTable } from "./engagements";
import { TYPE_INDEX } from "./engagements";
import { decToWadFloor, wadToDec, WAD, WAD2 } from "./fixed";
import { rowComparator, sortByTime, type PreparedEngagements } from "./prepare";
import { DAY_MS } from "./time";

const expTables = new Map<bigint, bigint[]>();

/** exp(−λ·days) as WAD, floored; memoised per (λ, days). */
export function expNegWad(lambda: bigint, days: number): bigint {
  let t = expTables.get(lambda);
  if (!t) {
    t = [WAD];
    expTables.set(lambda, t);
  }
  if (days < t.length) return t[days];
  const l = wadToDec(lambda);
  while (t.length <= days) t.push(decToWadFloor(l.times(t.length).neg().exp()));
  return t[days];
}

/**
 * Voting power (mana) over a user's interactions, in time order (ms). Power starts at 1 at the
 * period start, regenerates ρ per day linearly (capped at 1), and each interaction first takes the
 * current power as its weight, then spends δ of it. Returns Σ weights (WAD).
 */
export function interactionWeight(times: ArrayLike<number>, periodStart: number, p: Pick<SocialAiParams, "rho" | "delta">): bigint {
  let m = WAD;
  let last = periodStart;
  let sum = 0n;
  const day = BigInt(DAY_MS);
  for (let k = 0; k < times.length; k++) {
    const t = times[k];
    if (t > last && m < WAD) {
      m += (p.rho * BigInt(t - last)) / day;
      if (m > WAD) m = WAD;
    }
    if (t > last) last = t;
    sum += m;
    m -= (m * p.delta) / WAD;
  }
  return sum;
}

/**
 * Power factor D at the end of the period (WAD), from the user's active days (day indices from the
 * period start, ascending, distinct) and the period's last day index.
 *
 * The clock starts at the user's first active day. After an active day, the first `graceDays`
 * silent days cost nothing; every further silent day multiplies D by e^−λ (so after t_inact silent
 * days D = exp(−λ·max(0, t_inact − grace)), as SPEC §3). Every active day restores
 * recoveryRate / recoveryPeriodDays of full power (floored), capped at 1: an active period of
 * `recoveryPeriodDays` active days restores `recoveryRate`. Silence never raises D.
 */
export function decayFactor(activeDays: ArrayLike<number>, lastDay: number, p: Pick<SocialAiParams, "graceDays" | "lambda" | "recoveryRate" | "recoveryPeriodDays">): bigint {
  let d = WAD;
  const perDay = p.recoveryRate / BigInt(p.recoveryPeriodDays);
  for (let k = 0; k < activeDays.length; k++) {
    const day = activeDays[k];
    if (day > lastDay) break;
    if (d < WAD) {
      d += perDay;
      if (d > WAD) d = WAD;
    }
    const next = k + 1 < activeDays.length && activeDays[k + 1] <= lastDay ? activeDays[k + 1] : lastDay + 1;
    const lapsed = next - day - 1 - p.graceDays;
    if (lapsed > 0) d = (d * expNegWad(p.lambda, lapsed)) / WAD;
  }
  return d;
}

export interface ModelBParticipantDetail {
  /** Q_u, WAD. */
  readonly quality: bigint;
  /** A_u, days. */
  readonly activeDays: number;
  /** I_u, WAD. */
  readonly interactions: bigint;
  /** E_u, WAD. */
  readonly engagement: bigint;
  /** D_u, WAD. */
  readonly decay: bigint;
  /** P_u, WAD (stake in ether units × D). */
  readonly power: bigint;
  /** w_u, WAD. */
  readonly weight: bigint;
}

/**
 * Model B over prepared engagements.
 * @param participantOfUser participant index of each user of the table, or -1
 * @param stakes stake (wei of the power asset) by participant index
 */
export function scoreModelB(
  table: EngagementTable,
  prepared: PreparedEngagements,
  params: SocialAiParams,
  period: { readonly start: number; readonly end: number },
  participantOfUser: Int32Array,
  stakes: readonly bigint[],
): ModelBParticipantDetail[] {
  const nP = stakes.length;
  const { order, contentStart } = prepared;
  const nContents = contentStart.length - 1;

  // Q_u = κ + Σ Q_c over the participant's content.
  const quality: bigint[] = new Array<bigint>(nP).fill(params.kappa);
  for (let c = 0; c < nContents; c++) {
    const p = participantOfUser[table.contentAuthor[c]];
    if (p < 0) continue;
    let likes = 0;
    let comments = 0;
    let shares = 0;
    for (let j = contentStart[c]; j < contentStart[c + 1]; j++) {
      const ty = table.type[order[j]];
      if (ty === TYPE_INDEX.like) likes++;
      else if (ty === TYPE_INDEX.comment) comments++;
      else if (ty === TYPE_INDEX.retweet || ty === TYPE_INDEX.quote) shares++;
    }
    quality[p] += params.wU * BigInt(likes) + params.wC * BigInt(comments) + params.wS * BigInt(shares);
  }

  // Each participant's interactions in time order (counting sort by participant, then sort).
  const count = new Int32Array(nP + 1);
  for (let j = 0; j < order.length; j++) {
    const p = participantOfUser[table.user[order[j]]];
    if (p >= 0) count[p + 1]++;
  }
  for (let p = 0; p < nP; p++) count[p + 1] += count[p];
  const fill = count.slice();
  const byUser = new Int32Array(count[nP]);
  for (let j = 0; j < order.length; j++) {
    const i = order[j];
    const p = participantOfUser[table.user[i]];
    if (p >= 0) byUser[fill[p]++] = i;
  }
  const cmp = rowComparator(table, prepared.time);
  const lastDay = Math.floor((period.end - 1 - period.start) / DAY_MS);

  const out: ModelBParticipantDetail[] = [];
  for (let p = 0; p < nP; p++) {
    const rows = byUser.subarray(count[p], count[p + 1]);
    sortByTime(byUser, count[p], count[p + 1], prepared.time, cmp);
    const times = new Float64Array(rows.length);
    const days: number[] = [];
    for (let k = 0; k < rows.length; k++) {
      times[k] = prepared.time[rows[k]];
      const day = Math.floor((times[k] - period.start) / DAY_MS);
      if (days.length === 0 || days[days.length - 1] !== day) days.push(day);
    }
    const interactions = interactionWeight(times, period.start, params);
    const engagement = params.alpha * BigInt(days.length) + (params.beta * interactions) / WAD;
    const decay = days.length === 0 ? WAD : decayFactor(days, lastDay, params);
    const power = (stakes[p] * decay) / WAD;
    const weight = (quality[p] * engagement * power) / WAD2;
    out.push({ quality: quality[p], activeDays: days.length, interactions, engagement, decay, power, weight });
  }
  return out;
}

