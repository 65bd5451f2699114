/**
 * The off-chain model of the rewards contract: per campaign, what the test sent in, what the emitted events
 * say went out, the roots posted and which leaves were paid. It also predicts the outcome of a claim from
 * the interface's NatSpec (`evalEventItem`, `evalChannelItem`), so an action can demand a revert or a
 * success with the exact amount. Pure: no chain access here.
 */
import { ChannelTree, ETH, EventTree, WAD } from "../shared/support";
import { lc } from "./config";
import type { Fx } from "./fixture";

export interface EventRootM {
  tree: EventTree;
  total: bigint;
  claimableAt: bigint;
  vetoed: boolean;
}

export interface EventM {
  id: bigint;
  token: string;
  brand: string;
  end: bigint;
  claimWindow: bigint;
  publishDeadline: bigint;
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
  rate: bigint;
  pendingRate: bigint;
  rateEffectiveAt: bigint;
  closesAt: bigint;
  withdrawn: boolean;
  inAmt: bigint;
  outAmt: bigint;
  lastEpoch: bigint;
  live?: ChannelRootM;
  pending?: ChannelRootM;
  history: ChannelRootM[];
  converted: Map<string, bigint>;
  latestScore: Map<string, bigint>;
  maxLiveScore: Map<string, bigint>;
  maxRatePaid: bigint;
  paidTo: Map<string, bigint>;
}

export interface Model {
  events: EventM[];
  channels: ChannelM[];
  paused: boolean;
  /** Timestamp of the last block the model scheduled; model time never goes back. */
  t: bigint;
  /** The fixture's four users (leaf accounts of channel trees, event leaves 0–3). */
  users: string[];
  /** Addresses whose ETH receive reverts (an ETH payout to them is skipped in a batch, reverts alone). */
  rejectsEth: Set<string>;
}

export function initModel(fx: Fx, t: bigint): Model {
  return {
    events: fx.initial.events.map((e) => newEvent(e.id, e.token, e.brand, e.end, e.claimWindow, e.publishDeadline, e.funded)),
    channels: fx.initial.channels.map((c) => newChannel(c.id, c.token, c.brand, c.rate, c.balance)),
    paused: false,
    t,
    users: fx.users.map((u) => u.address),
    rejectsEth: new Set([lc(fx.rejectingAddress)]),
  };
}

export function newEvent(id: bigint, token: string, brand: string, end: bigint, claimWindow: bigint, publishDeadline: bigint, funded: bigint): EventM {
  return {
    id, token, brand, end, claimWindow, publishDeadline,
    inAmt: funded, outAmt: 0n, claimedSum: 0n, roots: [], settled: false, paid: new Set(), paidTo: new Map(),
  };
}

export function newChannel(id: bigint, token: string, brand: string, rate: bigint, funded: bigint): ChannelM {
  return {
    id, token, brand, rate, pendingRate: 0n, rateEffectiveAt: 0n, closesAt: 0n, withdrawn: false,
    inAmt: funded, outAmt: 0n, lastEpoch: 0n, history: [],
    converted: new Map(), latestScore: new Map(), maxLiveScore: new Map(), maxRatePaid: 0n, paidTo: new Map(),
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
      if (l.score > getOr0(c.maxLiveScore, l.account)) c.maxLiveScore.set(lc(l.account), l.score);
    }
  }
}

/** The channel rate in force at `t` (a pending rate applies from its effective time on). */
export function rateAt(c: ChannelM, t: bigint): bigint {
  return c.pendingRate !== 0n && t >= c.rateEffectiveAt ? c.pendingRate : c.rate;
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

/* ------------------------------------------- predictions ------------------------------------------- */

/** Changes a batch made so far, on top of the model (so items can be evaluated in order). */
export class Overlay {
  paid = new Set<string>();
  claimed = new Map<bigint, bigint>();
  converted = new Map<string, bigint>();
  channelOut = new Map<bigint, bigint>();
}

export type ItemOutcome =
  | { kind: "hard"; why: string }
  | { kind: "skip"; reason: number; why: string }
  | { kind: "pay"; amount: bigint; scoreConverted?: bigint }
  /** Already claimed and otherwise a hard failure: the spec does not order the checks, so a batch may skip or revert. */
  | { kind: "skipOrHard"; why: string };

export const PAUSED: ItemOutcome = { kind: "hard", why: "paused" };

export function describeOutcome(o: ItemOutcome): string {
  return `${o.kind}${"why" in o ? ` (${o.why})` : ""}`;
}

/** The outcome of claiming leaf `index` of `tree` (of event `e`) paid to `payee` at `t`. */
export function evalEventItem(m: Model, e: EventM, tree: EventTree, index: number, payee: string, t: bigint, o: Overlay): ItemOutcome {
  const r = e.roots.at(-1);
  const alreadyPaid = e.paid.has(index) || o.paid.has(`${e.id}:${index}`);
  const hard = (why: string): ItemOutcome => (alreadyPaid ? { kind: "skipOrHard", why: `already claimed; ${why}` } : { kind: "hard", why });
  if (!r || r.vetoed) return hard("no live root");
  if (t < r.claimableAt) return hard("root in challenge");
  if (t >= r.claimableAt + e.claimWindow) return hard("claim window closed");
  if (tree.root !== r.tree.root) return hard("proof for another root");
  if (alreadyPaid) return { kind: "skip", reason: 0, why: "already claimed" };
  const amount = tree.leaves[index].amount;
  const claimed = e.claimedSum + (o.claimed.get(e.id) ?? 0n);
  if (claimed + amount > r.total) return { kind: "skip", reason: 1, why: "exceeds total" };
  if (e.token === ETH && m.rejectsEth.has(lc(payee))) return { kind: "skip", reason: 2, why: "receiver rejects ETH" };
  return { kind: "pay", amount };
}

/** The outcome of `account` claiming its leaf of `tree` (of channel `c`) paid to `payee` at `t`. */
export function evalChannelItem(m: Model, c: ChannelM, tree: ChannelTree, account: string, payee: string, t: bigint, o: Overlay): ItemOutcome {
  if (c.closesAt !== 0n && t >= c.closesAt) return { kind: "hard", why: "channel closed" };
  if (!c.live) return { kind: "hard", why: "no live root" };
  if (tree.root !== c.live.tree.root) return { kind: "hard", why: "proof for another root" };
  const cum = tree.score(account);
  const conv = getOr0(c.converted, account) + (o.converted.get(`${c.id}:${lc(account)}`) ?? 0n);
  if (cum <= conv) return { kind: "skip", reason: 0, why: "nothing owed" };
  const owed = cum - conv;
  const rate = rateAt(c, t);
  const full = (owed * rate) / WAD;
  if (full === 0n) return { kind: "skip", reason: 0, why: "owed worth < 1 wei" };
  const balance = heldC(c) - (o.channelOut.get(c.id) ?? 0n);
  if (balance === 0n) return { kind: "skip", reason: 1, why: "pool empty" };
  if (c.token === ETH && m.rejectsEth.has(lc(payee))) return { kind: "skip", reason: 2, why: "receiver rejects ETH" };
  if (full <= balance) return { kind: "pay", amount: full, scoreConverted: owed };
  // The pool runs short: it converts only the score it can pay for, ⌊balance·1e18/rate⌋, and pays that
  // score's value rounded down (never more than it holds); the rest stays claimable.
  const score = (balance * WAD) / rate;
  const amount = (score * rate) / WAD;
  if (amount === 0n) return { kind: "skip", reason: 1, why: "pool holds less than 1 wei of score" };
  return { kind: "pay", amount, scoreConverted: score };
}

/** Books a predicted payment into a batch's overlay, so the next items see it. */
export function overlayEventPay(o: Overlay, e: EventM, index: number, amount: bigint): void {
  o.paid.add(`${e.id}:${index}`);
  o.claimed.set(e.id, (o.claimed.get(e.id) ?? 0n) + amount);
}
export function overlayChannelPay(o: Overlay, c: ChannelM, account: string, amount: bigint, score: bigint): void {
  const key = `${c.id}:${lc(account)}`;
  o.converted.set(key, (o.converted.get(key) ?? 0n) + score);
  o.channelOut.set(c.id, (o.channelOut.get(c.id) ?? 0n) + amount);
}
