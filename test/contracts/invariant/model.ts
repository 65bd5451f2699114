/**
 * The off-chain model of the rewards contract: per campaign, what the test sent in, what the emitted events
 * say went out, the roots posted, which leaves were paid, the terms the campaign was created under; the
 * pause and its claim clock; the parameters new campaigns copy. It also predicts the outcome of a claim
 * from the interface's NatSpec (`evalEventItem`, `evalChannelItem`), so an action can demand a revert or a
 * success with the exact amount. Pure: no chain access here.
 */
import { type ChannelTree, ETH, type EventTree, PARAMS, type RewardsParams, SKIP, WAD } from "../shared/fixtures";
import { lc } from "./config";
import type { Fx } from "./fixture";

export interface EventRootM {
  tree: EventTree;
  total: bigint;
  /** Unix time the challenge period ends. */
  claimableAt: bigint;
  /** Claim-clock time the claim window closes (posting time on the claim clock + challenge + window). */
  closesClock: bigint;
  vetoed: boolean;
}

export interface EventM {
  id: bigint;
  token: string;
  brand: string;
  end: bigint;
  claimWindow: bigint;
  /** Unix time by which a root must be live, else the brand may refund (end + its publish deadline). */
  rootDeadline: bigint;
  /** The challenge period the event was created under. */
  challengePeriod: bigint;
  inAmt: bigint;
  outAmt: bigint;
  claimedSum: bigint;
  roots: EventRootM[]; // every root posted, the last one is current
  settled: boolean;
  paid: Set<number>;
  paidTo: Map<string, bigint>;
}

export interface ChannelRootM {
  tree: ChannelTree;
  epoch: bigint;
  claimableAt: bigint;
  vetoed: boolean;
}

export interface ChannelM {
  id: bigint;
  token: string;
  brand: string;
  /** Terms the channel was created under. */
  challengePeriod: bigint;
  rateChangeNotice: bigint;
  closeNotice: bigint;
  rate: bigint;
  pendingRate: bigint;
  /** Claim-clock time the pending rate applies from. */
  rateEffectiveClock: bigint;
  /** Claim-clock time of the close; 0 while none was announced. */
  closesClock: bigint;
  withdrawn: boolean;
  inAmt: bigint;
  outAmt: bigint;
  /** Epoch of the newest root not vetoed (the next one must be this + 1). */
  lastEpoch: bigint;
  live?: ChannelRootM;
  pending?: ChannelRootM;
  history: ChannelRootM[];
  converted: Map<string, bigint>;
  /** The fraction of a wei (numerator over 1e18) each account's converted score was worth beyond what it was paid. */
  carry: Map<string, bigint>;
  /** The rates each account's score was converted at. */
  ratesPaid: Map<string, Set<bigint>>;
  latestScore: Map<string, bigint>;
  maxLiveScore: Map<string, bigint>;
  maxRatePaid: bigint;
  paidTo: Map<string, bigint>;
}

export interface PauseM {
  paused: boolean;
  /** Unix time the running pause began. */
  pausedAt: bigint;
  /** Seconds spent in finished pauses. */
  pausedTotal: bigint;
}

export interface Model {
  events: EventM[];
  channels: ChannelM[];
  pause: PauseM;
  /** Parameters campaigns created now copy. */
  params: RewardsParams;
  /** Timestamp of the last block the model scheduled; model time never goes back. */
  t: bigint;
  /** Timestamp of the last block mined (what the chain's views see). */
  chainT: bigint;
  /** The fixture's four users (leaf accounts of channel trees, event leaves 0–3; they can sign). */
  users: string[];
  /** Receivers whose ETH payout fails, and the skip reason a batch reports for them. */
  hostile: Map<string, number>;
  /** The token whose transfers to `hookVictims` burn all gas. */
  hookToken: string;
  hookVictims: Set<string>;
  /** Fees relayers took under each signature (by EIP-712 digest). */
  feesBySignature: Map<string, bigint>;
  /** Closing times (Unix, as read from the chain) when the running pause began. */
  atPause?: WindowsSnapshot;
}

/** What a pause must not shorten: every open claim window and close notice, as Unix times at a moment. */
export interface WindowsSnapshot {
  at: bigint;
  eventCloses: Map<bigint, bigint>;
  channelCloses: Map<bigint, bigint>;
}

export function initModel(fx: Fx, t: bigint): Model {
  const p = PARAMS;
  return {
    events: fx.initial.events.map((e) => newEvent(e.id, e.token, e.brand, e.end, e.claimWindow, e.rootDeadline, p.challengePeriod, e.funded)),
    channels: fx.initial.channels.map((c) => newChannel(c.id, c.token, c.brand, c.rate, c.balance, p)),
    pause: { paused: false, pausedAt: 0n, pausedTotal: 0n },
    params: p,
    t,
    chainT: t,
    users: fx.users.map((u) => u.address),
    hostile: new Map([
      [lc(fx.rejectingAddress), SKIP.paymentRejected],
      [lc(fx.burnerAddress), SKIP.paymentOutOfGas],
      // The return bomb reverts with 20 kB of data within its allowance: a rejection the payer never copies.
      [lc(fx.bombAddress), SKIP.paymentRejected],
    ]),
    feesBySignature: new Map(),
    hookToken: lc(fx.hookTokenAddress),
    hookVictims: new Set([lc(fx.burnerAddress)]),
  };
}

export function newEvent(
  id: bigint,
  token: string,
  brand: string,
  end: bigint,
  claimWindow: bigint,
  rootDeadline: bigint,
  challengePeriod: bigint,
  funded: bigint,
): EventM {
  return {
    id, token, brand, end, claimWindow, rootDeadline, challengePeriod,
    inAmt: funded, outAmt: 0n, claimedSum: 0n, roots: [], settled: false, paid: new Set(), paidTo: new Map(),
  };
}

export function newChannel(id: bigint, token: string, brand: string, rate: bigint, funded: bigint, p: RewardsParams): ChannelM {
  return {
    id, token, brand,
    challengePeriod: p.challengePeriod, rateChangeNotice: p.rateChangeNotice, closeNotice: p.closeNotice,
    rate, pendingRate: 0n, rateEffectiveClock: 0n, closesClock: 0n, withdrawn: false,
    inAmt: funded, outAmt: 0n, lastEpoch: 0n, history: [],
    converted: new Map(), carry: new Map(), ratesPaid: new Map(), latestScore: new Map(), maxLiveScore: new Map(),
    maxRatePaid: 0n, paidTo: new Map(),
  };
}

export function addTo(map: Map<string, bigint>, key: string, v: bigint): void {
  map.set(lc(key), (map.get(lc(key)) ?? 0n) + v);
}
export function getOr0(map: Map<string, bigint>, key: string): bigint {
  return map.get(lc(key)) ?? 0n;
}

/** What a campaign still holds according to the model: money in − money out. */
export const heldE = (e: EventM) => e.inAmt - e.outAmt;
export const heldC = (c: ChannelM) => c.inAmt - c.outAmt;

/* ------------------------------------------- claim clock ------------------------------------------- */

/** The claim clock at Unix time `t`: Unix time minus the time claims spent paused (stopped while paused). */
export function clockAt(m: Readonly<Model>, t: bigint): bigint {
  const p = m.pause;
  return p.paused ? p.pausedAt - p.pausedTotal : t - p.pausedTotal;
}

/** A claim-clock time as the Unix time it falls on, as it stands at `t` (if claims are not paused again). */
export function unixOf(m: Readonly<Model>, clock: bigint, t: bigint): bigint {
  return clock === 0n ? 0n : clock + (t - clockAt(m, t));
}

/* ---------------------------------------------- roots ---------------------------------------------- */

/** The current (latest) event root if it is not vetoed (live or still in its challenge period). */
export function currentEventRoot(e: EventM): EventRootM | undefined {
  const r = e.roots.at(-1);
  return r && !r.vetoed ? r : undefined;
}

/** The current (latest) event root if it is live at `t`. */
export function liveEventRoot(e: EventM, t: bigint): EventRootM | undefined {
  const r = currentEventRoot(e);
  return r && t >= r.claimableAt ? r : undefined;
}

/** The pending channel root if it is not vetoed. */
export function pendingChannelRoot(c: ChannelM): ChannelRootM | undefined {
  return c.pending && !c.pending.vetoed ? c.pending : undefined;
}

/** A pending channel root past its challenge period becomes the live one. */
export function promote(c: ChannelM, t: bigint): void {
  if (c.pending && !c.pending.vetoed && t >= c.pending.claimableAt) {
    c.live = c.pending;
    c.pending = undefined;
    for (const l of c.live.tree.leaves) {
      if (l.cumulativeScore > getOr0(c.maxLiveScore, l.account)) c.maxLiveScore.set(lc(l.account), l.cumulativeScore);
    }
  }
}

/** The channel rate in force at claim-clock time `clock` (a pending rate applies from its effective time on). */
export function rateAt(c: ChannelM, clock: bigint): bigint {
  return c.pendingRate !== 0n && clock >= c.rateEffectiveClock ? c.pendingRate : c.rate;
}

/** Whether the channel's close has come at claim-clock time `clock`. */
export function channelClosed(c: ChannelM, clock: bigint): boolean {
  return c.closesClock !== 0n && clock >= c.closesClock;
}

/** The events that have had a root posted (the ones a claim can present a proof for). */
export function eventsWithRoots(m: Readonly<Model>): EventM[] {
  return m.events.filter((e) => e.roots.length > 0);
}

/** The event tree a claim presents: the current root's, or (stale > 0) an older one's. */
export function eventTreeFor(e: EventM, stale: number): EventTree | undefined {
  if (e.roots.length === 0) return undefined;
  return e.roots[Math.max(0, e.roots.length - 1 - stale)].tree;
}

/** The channel tree a claim presents: 0 the live one (else pending, else last posted), 1 pending, 2+ history. */
export function channelTreeFor(c: ChannelM, sel: number): ChannelTree | undefined {
  if (sel === 0) return (c.live ?? c.pending ?? c.history.at(-1))?.tree;
  if (sel === 1) return (c.pending ?? c.live)?.tree;
  return c.history.length ? c.history[(sel - 2) % c.history.length].tree : undefined;
}

/**
 * Why a payout to `payee` fails (a skip reason), or undefined when it arrives: ETH to a hostile contract; the
 * hook token to the gas burner (its transfer burns the whole token allowance). Plain token payouts arrive.
 */
export function payoutFailure(m: Readonly<Model>, token: string, payee: string): number | undefined {
  if (token === ETH) return m.hostile.get(lc(payee));
  if (lc(token) === m.hookToken && m.hookVictims.has(lc(payee))) return SKIP.paymentOutOfGas;
  return undefined;
}

/* ------------------------------------------- predictions ------------------------------------------- */

/** Changes a batch made so far, on top of the model (so items can be evaluated in order). */
export class Overlay {
  paid = new Set<string>();
  claimed = new Map<bigint, bigint>();
  converted = new Map<string, bigint>();
  carry = new Map<string, bigint>();
  channelOut = new Map<bigint, bigint>();
}

export type ItemOutcome =
  | { kind: "hard"; why: string }
  | { kind: "skip"; reason: number; why: string }
  /** `whole`: a channel claim that converts everything owed (only such a claim pays a relayer's fee). */
  | { kind: "pay"; amount: bigint; scoreConverted?: bigint; carry?: bigint; whole?: boolean }
  /** Already claimed and otherwise a hard failure: the spec does not order the checks, so a batch may skip or revert. */
  | { kind: "skipOrHard"; why: string };

export const PAUSED: ItemOutcome = { kind: "hard", why: "paused" };

export function describeOutcome(o: ItemOutcome): string {
  return `${o.kind}${"why" in o ? ` (${o.why})` : ""}`;
}

/** The outcome of claiming leaf `index` of `tree` (of event `e`) paid to `payee` at `t` (claims not paused). */
export function evalEventItem(m: Readonly<Model>, e: EventM, tree: EventTree, index: number, payee: string, t: bigint, o: Overlay): ItemOutcome {
  const r = e.roots.at(-1);
  const alreadyPaid = e.paid.has(index) || o.paid.has(`${e.id}:${index}`);
  const hard = (why: string): ItemOutcome => (alreadyPaid ? { kind: "skipOrHard", why: `already claimed; ${why}` } : { kind: "hard", why });
  if (!r || r.vetoed) return hard("no live root");
  if (tree.root !== r.tree.root) return hard("proof for another root");
  if (t < r.claimableAt) return hard("root in challenge");
  if (clockAt(m, t) >= r.closesClock) return hard("claim window closed");
  if (alreadyPaid) return { kind: "skip", reason: SKIP.nothingOwed, why: "already claimed" };
  const amount = tree.leaves[index].amount;
  const claimed = e.claimedSum + (o.claimed.get(e.id) ?? 0n);
  if (claimed + amount > r.total) return { kind: "skip", reason: SKIP.poolEmpty, why: "exceeds total" };
  const failure = payoutFailure(m, e.token, payee);
  if (failure !== undefined) return { kind: "skip", reason: failure, why: "receiver fails the payout" };
  return { kind: "pay", amount };
}

/**
 * The outcome of `account` claiming its leaf of `tree` (of channel `c`) paid to `payee` at `t` (claims not
 * paused). Conversion as IChannelPools documents it: value = owed·rate + carry; pays ⌊value/1e18⌋ and keeps
 * the rest as carry; when the pool is short, pays the whole pool and converts the score that needs, rounded
 * up. `signedEpoch`: a signed claim only matches the claimable root of that epoch.
 */
export function evalChannelItem(
  m: Readonly<Model>,
  c: ChannelM,
  tree: ChannelTree,
  account: string,
  payee: string,
  t: bigint,
  o: Overlay,
  signedEpoch?: bigint,
): ItemOutcome {
  const clock = clockAt(m, t);
  if (channelClosed(c, clock)) return { kind: "hard", why: "channel closed" };
  if (!c.live) return { kind: "hard", why: "no live root" };
  if (tree.root !== c.live.tree.root) return { kind: "hard", why: "proof for another root" };
  if (signedEpoch !== undefined && signedEpoch !== c.live.epoch) return { kind: "hard", why: "signed for another epoch" };
  const key = `${c.id}:${lc(account)}`;
  const cum = tree.score(account);
  const conv = o.converted.get(key) ?? getOr0(c.converted, account);
  const carry = o.carry.get(key) ?? getOr0(c.carry, account);
  if (cum <= conv) return { kind: "skip", reason: SKIP.nothingOwed, why: "nothing owed" };
  const owed = cum - conv;
  const rate = rateAt(c, clock);
  const value = owed * rate + carry;
  const full = value / WAD;
  if (full === 0n) return { kind: "skip", reason: SKIP.nothingOwed, why: "owed worth < 1 wei" };
  const balance = heldC(c) - (o.channelOut.get(c.id) ?? 0n);
  let pay: ItemOutcome & { kind: "pay" };
  if (full <= balance) {
    pay = { kind: "pay", amount: full, scoreConverted: owed, carry: value - full * WAD, whole: true };
  } else {
    if (balance === 0n) return { kind: "skip", reason: SKIP.poolEmpty, why: "pool empty" };
    const paid = balance * WAD;
    const needed = paid > carry ? paid - carry : 0n;
    const score = (needed + rate - 1n) / rate;
    pay = { kind: "pay", amount: balance, scoreConverted: score, carry: carry + score * rate - paid, whole: conv + score === cum };
  }
  const failure = payoutFailure(m, c.token, payee);
  if (failure !== undefined) return { kind: "skip", reason: failure, why: "receiver fails the payout" };
  return pay;
}

/** Books a predicted payment into a batch's overlay, so the next items see it. */
export function overlayEventPay(o: Overlay, e: EventM, index: number, amount: bigint): void {
  o.paid.add(`${e.id}:${index}`);
  o.claimed.set(e.id, (o.claimed.get(e.id) ?? 0n) + amount);
}
export function overlayChannelPay(o: Overlay, c: ChannelM, account: string, out: ItemOutcome & { kind: "pay" }): void {
  const key = `${c.id}:${lc(account)}`;
  o.converted.set(key, (o.converted.get(key) ?? getOr0(c.converted, account)) + out.scoreConverted!);
  o.carry.set(key, out.carry!);
  o.channelOut.set(c.id, (o.channelOut.get(c.id) ?? 0n) + out.amount);
}
