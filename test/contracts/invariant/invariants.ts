/**
 * The invariants of test/contracts/README.md, one function each, numbered as there.
 *
 * Two kinds: payout invariants judge every payment the chain emits before the model books it (a payout
 * must be one the rules allow: the model cannot "learn" a wrong payment), and state invariants compare the
 * chain's ledgers, balances, bitmap and converted scores with the model after every step. Invariants 6
 * (timing) and 7 (liveness) are checked where each action demands the outcome the model predicts.
 */
import { expect } from "chai";
import { ETH, WAD } from "../shared/support";
import { lc } from "./config";
import type { Fx } from "./fixture";
import { type ChannelM, type EventM, type Model, getOr0, heldC, heldE, liveEventRoot, rateAt } from "./model";

/* -------------------------------------------- payouts ---------------------------------------------- */

/**
 * 4–6 for an event payout: paid from the live root (past its challenge period, not vetoed), inside the
 * claim window, for an index never paid before, to that leaf's account for exactly its amount, within the
 * root's total.
 */
export function eventPayoutIsALiveUnpaidLeaf(e: EventM, t: bigint, index: number, account: string, amount: bigint): void {
  const r = liveEventRoot(e, t);
  expect(r, `event ${e.id} paid without a live root`).to.not.equal(undefined);
  expect(t < r!.claimableAt + e.claimWindow, `event ${e.id} paid after its claim window`).to.equal(true);
  expect(e.paid.has(index), `event ${e.id} leaf ${index} paid twice`).to.equal(false);
  const leaf = r!.tree.leaves[index];
  expect(leaf, `event ${e.id} paid index ${index} that is not a leaf of the live root`).to.not.equal(undefined);
  expect(lc(account)).to.equal(lc(leaf.account), `event ${e.id} leaf ${index} paid for another account`);
  expect(amount).to.equal(leaf.amount, `event ${e.id} leaf ${index} paid a different amount`);
  expect(e.claimedSum + amount <= r!.total, `event ${e.id} paid beyond its root's total`).to.equal(true);
}

/** 2 for a brand's exit from an event (refund or unclaimed rest): it takes exactly what the event holds. */
export function eventExitIsTheRest(e: EventM, what: string, amount: bigint): void {
  expect(amount).to.equal(heldE(e), `event ${e.id} ${what} is not the unclaimed rest`);
}

/**
 * 5–6 for a channel payout: from a live root, before the close; the score converted is within what the
 * leaf still owes; the amount is at most `scoreConverted × rate / 1e18` at the rate in force, and within the
 * pool. A partial conversion happens only when the pool runs dry.
 */
export function channelPayoutWithinLeafAndRate(
  c: ChannelM,
  t: bigint,
  account: string,
  scoreConverted: bigint,
  amount: bigint,
  scoreLeft: bigint,
): { partial: boolean; rate: bigint } {
  expect(c.live, `channel ${c.id} paid without a live root`).to.not.equal(undefined);
  expect(c.closesAt === 0n || t < c.closesAt, `channel ${c.id} paid after its close`).to.equal(true);
  const cum = c.live!.tree.score(account);
  const conv = getOr0(c.converted, account);
  const rate = rateAt(c, t);
  const balance = heldC(c);
  expect(scoreConverted > 0n && scoreConverted <= cum - conv, `channel ${c.id} converted beyond the leaf's score`).to.equal(true);
  expect(scoreLeft).to.equal(cum - conv - scoreConverted, `channel ${c.id} scoreLeft`);
  expect(amount <= balance, `channel ${c.id} paid beyond its pool`).to.equal(true);
  expect(amount * WAD <= scoreConverted * rate, `channel ${c.id} paid ${amount} for score ${scoreConverted} at rate ${rate}`).to.equal(true);
  const partial = scoreConverted < cum - conv;
  if (partial) {
    // A partial payment happens only when the pool runs dry: it pays (almost) everything it holds.
    const dust = rate / WAD + 1n;
    expect(amount + dust >= balance, `channel ${c.id} stopped short: paid ${amount} of ${balance}`).to.equal(true);
  }
  return { partial, rate };
}

/** 2 for a channel withdrawal: the brand takes exactly the rest of the pool. */
export function channelExitIsTheRest(c: ChannelM, amount: bigint): void {
  expect(amount).to.equal(heldC(c), `channel ${c.id} withdrawal is not the rest`);
}

/* --------------------------------------------- state ----------------------------------------------- */

type Snapshot = Awaited<ReturnType<Fx["lens"]["snapshot"]>>;

/** 1. Solvency, per asset: the contract's balance == Σ ledgers == Σ (money in − money out) of the model. */
export function solvencyPerAsset(snap: Snapshot, m: Model, tokens: string[]): void {
  expect(snap.ledgerUnderflow, "a ledger has claimed > funded").to.equal(false);
  tokens.forEach((token, i) => {
    const name = token === ETH ? "ETH" : "ERC-20";
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
    expect(s.lastEpoch).to.equal(c.lastEpoch, `channel ${c.id} lastEpoch`);
  });
}

/** 3. No campaign pays more than it received; for an event with a live root, claimed ≤ total ≤ funded. */
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
 * converted by its claims, and it was never paid beyond that score × the highest rate it was paid at.
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
    }
  }
  converted.forEach((v, k) => {
    const c = m.channels[Number(channelIds[k]) - 1];
    expect(v).to.equal(getOr0(c.converted, accounts[k]), `convertedScore(${channelIds[k]}, ${accounts[k]})`);
    expect(v <= getOr0(c.maxLiveScore, accounts[k]), `channel ${c.id}: converted beyond a live leaf`).to.equal(true);
  });
}

/** Reads the chain once (two `eth_call`s to RewardsLedgerLens) and checks invariants 1–5 against the model. */
export async function checkInvariants(fx: Fx, m: Model): Promise<void> {
  const tokens = [ETH, fx.tokenAddress];
  const snap = await fx.lens.snapshot(fx.rewardsAddress, tokens);
  solvencyPerAsset(snap, m, tokens);
  ledgersMatchMoneyMoved(snap, m);
  noCampaignPaysMoreThanReceived(snap, m);

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
