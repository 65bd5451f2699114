/**
 * The invariants of test/contracts/README.md, one function each, numbered as there.
 *
 * Two kinds: payout invariants judge every payment the chain emits before the model books it (a payout
 * must be one the rules allow: the model cannot "learn" a wrong payment), and state invariants compare the
 * chain's ledgers, balances, bitmap, converted scores and closing times with the model after every step.
 * Invariants 6 (timing) and 7 (liveness) are checked where each action demands the outcome the model
 * predicts.
 */
import { expect } from "chai";
import { type LogDescription, ZeroHash } from "ethers";
import { ETH, WAD } from "../shared/fixtures";
import { ETH_PAYOUT_GAS, lc, TOKEN_PAYOUT_GAS } from "./config";
import { assetsOf, type Fx } from "./fixture";
import {
  type ChannelM,
  channelClosed,
  clockAt,
  currentEventRoot,
  type EventM,
  getOr0,
  heldC,
  heldE,
  type ItemOutcome,
  liveEventRoot,
  type Model,
  pendingChannelRoot,
  rateAt,
  unixOf,
  type WindowsSnapshot,
} from "./model";

/* -------------------------------------------- payouts ---------------------------------------------- */

/**
 * 4–6 for an event payout: paid from the live root (past its challenge period, not vetoed), inside the
 * claim window (on the claim clock), for an index never paid before, to that leaf's account for exactly its
 * amount, within the root's total.
 */
export function eventPayoutIsALiveUnpaidLeaf(m: Model, e: EventM, t: bigint, index: number, account: string, amount: bigint): void {
  const r = liveEventRoot(e, t);
  expect(m.pause.paused, `event ${e.id} paid while claims are paused`).to.equal(false);
  expect(r, `event ${e.id} paid without a live root`).to.not.equal(undefined);
  expect(clockAt(m, t) < r!.closesClock, `event ${e.id} paid after its claim window`).to.equal(true);
  expect(e.paid.has(index), `event ${e.id} leaf ${index} paid twice`).to.equal(false);
  const leaf = r!.tree.leaves[index];
  expect(leaf, `event ${e.id} paid index ${index} that is not a leaf of the live root`).to.not.equal(undefined);
  expect(lc(account)).to.equal(lc(leaf.account), `event ${e.id} leaf ${index} paid for another account`);
  expect(amount).to.equal(leaf.amount, `event ${e.id} leaf ${index} paid a different amount`);
  expect(e.claimedSum + amount <= r!.total, `event ${e.id} paid beyond its root's total`).to.equal(true);
}

/**
 * 2 and 11 for a brand's exit from an event: it takes exactly what the event holds, and only when no user
 * can claim anything from it any more, now or after a pause: a refund only with no root standing (none, or
 * vetoed); the unclaimed rest only while not paused and once the window is over on the claim clock.
 */
export function eventExitLeavesNothingClaimable(m: Model, e: EventM, t: bigint, what: "refund" | "withdrawal", amount: bigint): void {
  expect(amount).to.equal(heldE(e), `event ${e.id} ${what} is not the unclaimed rest`);
  const r = currentEventRoot(e);
  if (what === "refund") {
    expect(r, `event ${e.id} refunded with a root standing`).to.equal(undefined);
  } else {
    expect(m.pause.paused, `event ${e.id}: the brand withdrew while claims are paused`).to.equal(false);
    expect(r !== undefined && clockAt(m, t) >= r.closesClock, `event ${e.id}: the brand withdrew inside the claim window`).to.equal(true);
  }
}

/**
 * 5–6 for a channel payout: from a live root, before the close (claim clock); the score converted is within
 * what the leaf still owes; no wei made up or lost: amount·1e18 + newCarry = scoreConverted·rate + carry,
 * with 0 ≤ newCarry < max(1e18, rate); within the pool; a partial conversion only when the pool runs dry
 * (it then pays all the pool holds). Returns the new carry.
 */
export function channelPayoutWithinLeafAndRate(
  m: Model,
  c: ChannelM,
  t: bigint,
  account: string,
  scoreConverted: bigint,
  amount: bigint,
  scoreLeft: bigint,
): { partial: boolean; rate: bigint; carry: bigint } {
  const clock = clockAt(m, t);
  expect(m.pause.paused, `channel ${c.id} paid while claims are paused`).to.equal(false);
  expect(c.live, `channel ${c.id} paid without a live root`).to.not.equal(undefined);
  expect(channelClosed(c, clock), `channel ${c.id} paid after its close`).to.equal(false);
  const cum = c.live!.tree.score(account);
  const conv = getOr0(c.converted, account);
  const rate = rateAt(c, clock);
  const balance = heldC(c);
  expect(scoreConverted > 0n && scoreConverted <= cum - conv, `channel ${c.id} converted beyond the leaf's score`).to.equal(true);
  expect(scoreLeft).to.equal(cum - conv - scoreConverted, `channel ${c.id} scoreLeft`);
  expect(amount > 0n && amount <= balance, `channel ${c.id} paid ${amount}, beyond its pool ${balance}`).to.equal(true);
  const carry = scoreConverted * rate + getOr0(c.carry, account) - amount * WAD;
  expect(carry >= 0n, `channel ${c.id} paid ${amount} for score ${scoreConverted} at rate ${rate}: more than it is worth`).to.equal(true);
  expect(carry < (rate > WAD ? rate : WAD), `channel ${c.id} paid ${amount} for score ${scoreConverted} at rate ${rate}: a wei or more lost`).to.equal(true);
  const partial = scoreConverted < cum - conv;
  if (partial) expect(amount).to.equal(balance, `channel ${c.id} converted part of the score but stopped short of the pool`);
  return { partial, rate, carry };
}

/** 2 and 11 for a channel withdrawal: the brand takes exactly the rest, never while paused or before the close. */
export function channelExitLeavesNothingClaimable(m: Model, c: ChannelM, t: bigint, amount: bigint): void {
  expect(amount).to.equal(heldC(c), `channel ${c.id} withdrawal is not the rest`);
  expect(m.pause.paused, `channel ${c.id}: the brand withdrew while claims are paused`).to.equal(false);
  expect(channelClosed(c, clockAt(m, t)), `channel ${c.id}: the brand withdrew before the close`).to.equal(true);
}

/** 14. A relayer's fee never exceeds what the account signed (summed over every use of one signature), nor the payout. */
export function feeWithinSigned(m: Model, digest: string, fee: bigint, maxFee: bigint, payout: bigint): void {
  const total = (m.feesBySignature.get(digest) ?? 0n) + fee;
  expect(fee <= payout, `relayer fee ${fee} > payout ${payout}`).to.equal(true);
  expect(total <= maxFee, `relayer fees ${total} under one signature > signed maxFee ${maxFee}`).to.equal(true);
  m.feesBySignature.set(digest, total);
}

/**
 * 15. Hostile receivers never make an honest batch item fail: every item the model says pays was paid, with
 * its amount, whatever the other items' receivers did; each hostile item costs the batch at most its payout
 * gas allowance plus the work of one item, so the batch stays within `gasBound`.
 */
export function honestItemsPaidDespiteHostile(expected: ItemOutcome[], paidAmounts: (bigint | undefined)[], desc: string): void {
  expected.forEach((x, i) => {
    if (x.kind !== "pay") return;
    expect(paidAmounts[i] !== undefined, `batch item ${i} [${desc}] not paid`).to.equal(true);
    expect(paidAmounts[i]).to.equal(x.amount, `batch item ${i} [${desc}] amount`);
  });
}

/**
 * Upper bound (with headroom) on a batch's gas: a base, each item's proof and bookkeeping, and each failing
 * payout's gas allowance (ETH_PAYOUT_GAS to an ETH receiver, TOKEN_PAYOUT_GAS to a token) + 10k.
 */
export function batchGasBound(items: number, failingEthPayouts: number, failingTokenPayouts: number): bigint {
  return 80_000n + 80_000n * BigInt(items) + (ETH_PAYOUT_GAS + 10_000n) * BigInt(failingEthPayouts) + (TOKEN_PAYOUT_GAS + 10_000n) * BigInt(failingTokenPayouts);
}

/**
 * 12. No pause shortens a claim window or a close notice: for every window open when the pause began, the
 * time left after the unpause (Unix, as the chain reports it) is at least the time that was left then.
 */
export function noPauseShortensAWindow(before: WindowsSnapshot, after: WindowsSnapshot): void {
  for (const [id, close] of before.eventCloses) {
    if (close <= before.at) continue;
    const now = after.eventCloses.get(id) ?? 0n;
    expect(now - after.at >= close - before.at, `event ${id}: ${close - before.at} s of claim window left at the pause, ${now - after.at} s after it`).to.equal(true);
  }
  for (const [id, close] of before.channelCloses) {
    if (close === 0n || close <= before.at) continue;
    const now = after.channelCloses.get(id) ?? 0n;
    expect(now - after.at >= close - before.at, `channel ${id}: ${close - before.at} s of close notice left at the pause, ${now - after.at} s after it`).to.equal(true);
  }
}

/** Every claim window and close as the chain reports it now (for invariant 12). */
export async function readWindows(fx: Fx, m: Model, t: bigint): Promise<WindowsSnapshot> {
  const snap = await fx.lens.snapshot(fx.rewardsAddress, [ETH]);
  return {
    at: t,
    eventCloses: new Map(snap.events.map((e, i) => [m.events[i].id, e.claimsCloseAt])),
    channelCloses: new Map(snap.channels.map((c, i) => [m.channels[i].id, c.closesAt])),
  };
}

/**
 * 13. The channel epoch is always the last posted one + 1: the model's last epoch is that of the newest root
 * not vetoed, and the chain's live and pending roots (with their epochs) are the model's.
 */
export async function channelRootsMatch(fx: Fx, c: ChannelM): Promise<void> {
  const newest = c.history.filter((h) => !h.vetoed).at(-1);
  expect(c.lastEpoch).to.equal(newest?.epoch ?? 0n, `channel ${c.id}: last epoch is not the newest root not vetoed`);
  const [[live, liveEpoch], [pending, pendingEpoch]] = await Promise.all([fx.rewards.liveChannelRoot(c.id), fx.rewards.pendingChannelRoot(c.id)]);
  const p = pendingChannelRoot(c);
  expect([live.root, liveEpoch]).to.deep.equal([c.live?.tree.root ?? ZeroHash, c.live?.epoch ?? 0n], `channel ${c.id} live root and epoch`);
  expect([pending.root, pendingEpoch]).to.deep.equal([p?.tree.root ?? ZeroHash, p?.epoch ?? 0n], `channel ${c.id} pending root and epoch`);
}

/**
 * 16 for what a campaign announces: the time in an event's or channel's log (a root's claimableAt, a rate's
 * effective time, a close) is the one its own terms give (the challenge period and notices it was created
 * under), never the parameters in force now.
 */
export function announcedTimeMatches(what: string, logs: LogDescription[], name: string, expected: bigint): void {
  const log = logs.find((l) => l.name === name);
  expect(log, `${what}: no ${name}`).to.not.equal(undefined);
  expect(log!.args.at(-1)).to.equal(expected, `${what}: ${name} time is not the one the campaign's own terms give`);
}

/* --------------------------------------------- state ----------------------------------------------- */

type Snapshot = Awaited<ReturnType<Fx["lens"]["snapshot"]>>;

/** 1. Solvency, per asset: the contract's balance == Σ ledgers == Σ (money in − money out) of the model. */
export function solvencyPerAsset(snap: Snapshot, m: Model, tokens: string[]): void {
  expect(snap.ledgerUnderflow, "a ledger has claimed > funded").to.equal(false);
  tokens.forEach((token, i) => {
    const name = token === ETH ? "ETH" : `ERC-20 ${token}`;
    const modelSum =
      m.events.filter((e) => e.token === token).reduce((s, e) => s + heldE(e), 0n) +
      m.channels.filter((c) => c.token === token).reduce((s, c) => s + heldC(c), 0n);
    expect(snap.balances[i]).to.equal(snap.ledgerSums[i], `${name}: contract balance != Σ ledgers`);
    expect(snap.ledgerSums[i]).to.equal(modelSum, `${name}: Σ ledgers != money in − money out`);
  });
}

/** 2. Every ledger matches the money that moved (what the test sent in, what the events say went out). */
export function ledgersMatchMoneyMoved(snap: Snapshot, m: Model): void {
  expect(snap.events.length).to.equal(m.events.length);
  expect(snap.channels.length).to.equal(m.channels.length);
  m.events.forEach((e, i) => {
    const s = snap.events[i];
    expect(s.funded).to.equal(e.inAmt, `event ${e.id} funded`);
    expect(s.settled).to.equal(e.settled, `event ${e.id} settled`);
    expect(s.claimed).to.equal(e.claimedSum, `event ${e.id} claimed`);
    expect(s.settled ? 0n : s.funded - s.claimed).to.equal(heldE(e), `event ${e.id} held`);
  });
  m.channels.forEach((c, i) => {
    const s = snap.channels[i];
    expect(s.withdrawn).to.equal(c.withdrawn, `channel ${c.id} withdrawn`);
    expect(s.withdrawn ? 0n : s.balance).to.equal(heldC(c), `channel ${c.id} balance`);
  });
}

/** 3. No campaign pays more than it received: Σ paid per campaign ≤ funded; for an event with a live root, claimed ≤ total ≤ funded. */
export function noCampaignPaysMoreThanReceived(snap: Snapshot, m: Model): void {
  m.events.forEach((e, i) => {
    const s = snap.events[i];
    expect(e.outAmt <= e.inAmt, `event ${e.id} paid ${e.outAmt} > received ${e.inAmt}`).to.equal(true);
    expect(s.claimed <= s.funded, `event ${e.id} claimed > funded`).to.equal(true);
    if (s.total !== 0n) {
      expect(s.total <= s.funded && s.claimed <= s.total, `event ${e.id}: claimed ≤ total ≤ funded`).to.equal(true);
    }
  });
  for (const c of m.channels) {
    expect(c.outAmt <= c.inAmt, `channel ${c.id} paid ${c.outAmt} > received ${c.inAmt}`).to.equal(true);
  }
}

/** 4. No leaf is paid twice: `isEventClaimed` is true for exactly the indices the model saw paid. */
export function noLeafPaidTwice(ids: bigint[], indices: bigint[], expected: boolean[], claimed: boolean[]): void {
  claimed.forEach((b, k) => expect(b).to.equal(expected[k], `isEventClaimed(${ids[k]}, ${indices[k]})`));
}

/**
 * 5. No account is paid beyond its leaf: an event account never beyond its leaves in the one root that
 * went live; a channel account never converts beyond its highest live leaf, `convertedScore` equals the sum
 * converted by its claims, it was never paid beyond that score × the highest rate it was paid at, and (no
 * wei lost to rounding) an account converted at one rate only was paid exactly ⌊converted · rate / 1e18⌋.
 */
export function noAccountBeyondItsLeaf(m: Model, channelIds: bigint[], accounts: string[], converted: bigint[]): void {
  for (const e of m.events) {
    const live = e.roots.find((r) => !r.vetoed);
    for (const [account, paid] of e.paidTo) {
      const entitled = (live?.tree.leaves ?? []).filter((l) => lc(l.account) === account).reduce((x, l) => x + l.amount, 0n);
      expect(paid <= entitled, `event ${e.id}: ${account} paid ${paid} > its leaves ${entitled}`).to.equal(true);
    }
  }
  for (const c of m.channels) {
    for (const [account, paid] of c.paidTo) {
      const bound = (getOr0(c.maxLiveScore, account) * c.maxRatePaid) / WAD;
      expect(paid <= bound, `channel ${c.id}: ${account} paid ${paid} > score × rate ${bound}`).to.equal(true);
      const rates = c.ratesPaid.get(account)!;
      if (rates.size === 1) {
        const [rate] = [...rates];
        const exact = (getOr0(c.converted, account) * rate) / WAD;
        expect(paid).to.equal(exact, `channel ${c.id}: ${account} paid ${paid} for its converted score at one rate, one claim would pay ${exact}`);
      }
    }
  }
  converted.forEach((v, k) => {
    const c = m.channels[Number(channelIds[k]) - 1];
    expect(v).to.equal(getOr0(c.converted, accounts[k]), `convertedScore(${channelIds[k]}, ${accounts[k]})`);
    expect(v <= getOr0(c.maxLiveScore, accounts[k]), `channel ${c.id}: converted beyond a live leaf`).to.equal(true);
  });
}

/**
 * 11–13 as the chain shows them. Parameters are per campaign: each keeps the terms it was created under.
 * Closing times are the model's claim-clock times as Unix times now (so a pause moved them by exactly the
 * time spent paused). The channel epoch is the last non-vetoed posted one (the next must be it + 1).
 */
export function termsAndClosingTimesMatch(snap: Snapshot, m: Model, t: bigint): void {
  m.events.forEach((e, i) => {
    const s = snap.events[i];
    expect(s.challengePeriod).to.equal(e.challengePeriod, `event ${e.id} challenge period (copied at creation)`);
    expect(s.rootDeadline).to.equal(e.rootDeadline, `event ${e.id} root deadline`);
    const r = liveEventRoot(e, t);
    expect(s.claimsCloseAt).to.equal(r ? unixOf(m, r.closesClock, t) : 0n, `event ${e.id} claimsCloseAt`);
  });
  m.channels.forEach((c, i) => {
    const s = snap.channels[i];
    expect([s.challengePeriod, s.rateChangeNotice, s.closeNotice]).to.deep.equal(
      [c.challengePeriod, c.rateChangeNotice, c.closeNotice],
      `channel ${c.id} terms (copied at creation)`,
    );
    expect(s.closesAt).to.equal(unixOf(m, c.closesClock, t), `channel ${c.id} closesAt`);
    const clock = clockAt(m, t);
    const effective = c.pendingRate !== 0n && clock >= c.rateEffectiveClock;
    expect(s.rate).to.equal(rateAt(c, clock), `channel ${c.id} rate in force`);
    expect(s.pendingRate).to.equal(effective ? 0n : c.pendingRate, `channel ${c.id} pending rate`);
    expect(s.rateEffectiveAt).to.equal(effective || c.pendingRate === 0n ? 0n : unixOf(m, c.rateEffectiveClock, t), `channel ${c.id} rateEffectiveAt`);
    expect(s.lastEpoch).to.equal(c.lastEpoch, `channel ${c.id} lastEpoch (the last posted epoch not vetoed)`);
  });
}

/** Reads the chain (two `eth_call`s to RewardsLedgerLens) and checks the state invariants against the model at `t`. */
export async function checkInvariants(fx: Fx, m: Model, t: bigint): Promise<void> {
  const tokens = assetsOf(fx);
  const snap = await fx.lens.snapshot(fx.rewardsAddress, tokens);
  solvencyPerAsset(snap, m, tokens);
  ledgersMatchMoneyMoved(snap, m);
  noCampaignPaysMoreThanReceived(snap, m);
  termsAndClosingTimesMatch(snap, m, t);

  const eventIds: bigint[] = [];
  const indices: bigint[] = [];
  const expectedClaimed: boolean[] = [];
  for (const e of m.events) {
    const n = Math.max(0, ...e.roots.map((r) => r.tree.leaves.length));
    for (let i = 0; i < n; i++) {
      eventIds.push(e.id);
      indices.push(BigInt(i));
      expectedClaimed.push(e.paid.has(i));
    }
  }
  const channelIds: bigint[] = [];
  const accounts: string[] = [];
  for (const c of m.channels) {
    for (const u of fx.users) {
      channelIds.push(c.id);
      accounts.push(u.address);
    }
  }
  const [claimed, converted] = await fx.lens.claimState(fx.rewardsAddress, eventIds, indices, channelIds, accounts);
  noLeafPaidTwice(eventIds, indices, expectedClaimed, claimed);
  noAccountBeyondItsLeaf(m, channelIds, accounts, converted);
}
