/**
 * Channel pool actions: create, fund, publish an epoch root, veto it, claim, announce a rate change,
 * announce the close, withdraw the rest. Each demands the outcome the model predicts (invariants 6, 7).
 */
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { channelTree, type ChannelLeafInput, ETH } from "../../shared/fixtures";
import { count, GAS, lc, MAX_CHANNELS, RATES, SCORE_STEP, UNIT } from "../config";
import { bookLogs, expectOutcome, onePayout, send } from "../chain";
import { accountOf, assetOf, type Fx, signerOf } from "../fixture";
import { announcedTimeMatches, channelRootsMatch } from "../invariants";
import {
  type ChannelM,
  type ChannelRootM,
  channelClosed,
  channelTreeFor,
  clockAt,
  describeOutcome,
  evalChannelItem,
  getOr0,
  heldC,
  type Model,
  newChannel,
  Overlay,
  PAUSED,
  pendingChannelRoot,
  promote,
  rateAt,
  unixOf,
} from "../model";
import { byBrandArb, pick, RewardsCommand, type Timing, whenArb } from "./base";
import { assetArb, exitPayable, exitRecipient, exitToArb } from "./events";

/** A brand opens a channel (ETH or the ERC-20) at one of the rates, maybe unfunded. */
export class CreateChannel extends RewardsCommand<{ asset: number; brand: number; units: number; rate: number }> {
  readonly name = "createChannel";
  check(m: Readonly<Model>): boolean {
    return m.channels.length < MAX_CHANNELS;
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const brand = this.p.brand === 0 ? fx.brand : fx.brand2;
    const token = assetOf(fx, this.p.asset);
    const amount = BigInt(this.p.units) * UNIT;
    const r = await send(fx, m, t, () =>
      fx.rewards.connect(brand).createChannel(token, RATES[this.p.rate], amount, "ipfs://c", { value: token === ETH ? amount : 0n, ...GAS }),
    );
    expectOutcome("createChannel", "ok", r);
    m.channels.push(newChannel(BigInt(m.channels.length + 1), token, brand.address, RATES[this.p.rate], amount, m.params));
    count("channel created");
  }
}

/** Anyone tops a channel up; allowed until a close is announced. */
export class FundChannel extends RewardsCommand<{ ch: number; funder: number; units: number }> {
  readonly name = "fundChannel";
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const c = pick(m.channels, this.p.ch);
    const funder = [fx.brand, fx.brand2, ...fx.users][this.p.funder % 6];
    const amount = BigInt(this.p.units) * UNIT;
    const r = await send(fx, m, t, () => fx.rewards.connect(funder).fundChannel(c.id, amount, { value: c.token === ETH ? amount : 0n, ...GAS }));
    expectOutcome(`fundChannel ${c.id}`, c.closesClock === 0n ? "ok" : "revert", r);
    if (r.ok) {
      c.inAmt += amount;
      count("channel funded");
    }
  }
}

/**
 * The publisher (or a stranger) posts a channel root: each user's cumulative score grows by 0–4 steps (or
 * the first one decreases); the epoch is the next one, or skips one, replays the last, or an older one.
 */
export class PublishChannel extends RewardsCommand<{
  ch: number;
  epoch: number;
  incs: (number | undefined)[];
  decrease: boolean;
  byPublisher: boolean;
  /** The guardian vetoes the root a second later and the publisher posts a corrected one for the same epoch. */
  veto?: boolean;
  when: number;
}> {
  readonly name = "publishChannel";
  protected timing(m: Model): Timing {
    const p = pendingChannelRoot(pick(m.channels, this.p.ch));
    return { edges: p ? [p.claimableAt - 1n, p.claimableAt] : [] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const c = pick(m.channels, this.p.ch);
    const leaves: ChannelLeafInput[] = [];
    this.p.incs.forEach((inc, i) => {
      if (inc === undefined) return;
      const account = fx.users[i].address;
      let score = getOr0(c.latestScore, account) + BigInt(inc) * SCORE_STEP;
      if (this.p.decrease && leaves.length === 0) score = score >= 2n * SCORE_STEP ? score - 2n * SCORE_STEP : 0n;
      leaves.push({ account, cumulativeScore: score });
    });
    if (leaves.length === 0) leaves.push({ account: fx.users[0].address, cumulativeScore: getOr0(c.latestScore, fx.users[0].address) + SCORE_STEP });
    const tree = channelTree(c.id, leaves);
    const epoch = [c.lastEpoch + 1n, c.lastEpoch + 2n, c.lastEpoch, c.lastEpoch > 0n ? c.lastEpoch - 1n : 0n][this.p.epoch];
    const who = this.p.byPublisher ? fx.publisher : fx.stranger;
    const pendingInChallenge = c.pending !== undefined && !c.pending.vetoed && t < c.pending.claimableAt;
    // A root registered now (posted before and not vetoed) can't be posted again (ChannelPools_RootInUse).
    const inUse = c.history.some((h) => !h.vetoed && h.tree.root === tree.root);
    // Roots may still be posted while a close is announced but not yet effective (users claim until then).
    const expected =
      this.p.byPublisher && epoch === c.lastEpoch + 1n && !pendingInChallenge && !inUse && !channelClosed(c, clockAt(m, t)) ? "ok" : "revert";
    const r = await send(fx, m, t, () =>
      fx.rewards.connect(who).publishChannelRoot(c.id, epoch, tree.root, tree.scoreTotal, tree.leaves.length, ethers.ZeroHash, GAS),
    );
    expectOutcome(`publishChannelRoot ${c.id} epoch ${epoch} (last ${c.lastEpoch})`, expected, r);
    if (r.ok) {
      announcedTimeMatches(`channel ${c.id} root`, r.logs, "ChannelRootPosted", t + c.challengePeriod);
      const root: ChannelRootM = { tree, epoch, claimableAt: t + c.challengePeriod, vetoed: false };
      c.pending = root;
      c.history.push(root);
      c.lastEpoch = epoch;
      for (const l of leaves) c.latestScore.set(lc(l.account), l.cumulativeScore);
      promote(c, t); // a zero challenge period makes it live at once
      count(c.history.some((h) => h.vetoed && h.epoch === epoch) ? "channel epoch posted again after a veto" : "channel root published");
      await channelRootsMatch(fx, c);
      if (this.p.veto) await new VetoChannel({ ch: m.channels.indexOf(c), by: 1, republish: true, when: 0 }).perform(m, fx, t + 1n);
    }
  }
}

/** The brand or the guardian (or a stranger, refused) vetoes the pending root in its challenge period. */
export class VetoChannel extends RewardsCommand<{ ch: number; by: number; republish: boolean; when: number }> {
  readonly name = "vetoChannel";
  protected timing(m: Model): Timing {
    const p = pendingChannelRoot(pick(m.channels, this.p.ch));
    return { edges: p ? [p.claimableAt - 1n, p.claimableAt] : [] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const c = pick(m.channels, this.p.ch);
    const who = [signerOf(fx, c.brand), fx.guardian, fx.stranger][this.p.by];
    const ok = this.p.by < 2 && c.pending !== undefined && !c.pending.vetoed && t < c.pending.claimableAt;
    const r = await send(fx, m, t, () => fx.rewards.connect(who).vetoChannelRoot(c.id, GAS));
    expectOutcome(`vetoChannelRoot ${c.id}`, ok ? "ok" : "revert", r);
    if (r.ok) {
      c.pending!.vetoed = true;
      c.lastEpoch = c.pending!.epoch - 1n; // the epoch number is handed back
      count("channel root vetoed");
      await channelRootsMatch(fx, c);
      // The publisher posts a corrected root for the same epoch number a second later.
      if (this.p.republish) {
        await new PublishChannel({ ch: this.p.ch, epoch: 0, incs: [1, 0, undefined, 2], decrease: false, byPublisher: true, when: 0 }).perform(m, fx, t + 1n);
      }
    }
  }
}

/** The claim instants of a channel: its pending root's claimableAt, the pending rate's start, the close (as they stand now). */
export function channelClaimTiming(m: Model, c: ChannelM): Timing {
  const p = pendingChannelRoot(c);
  const now = m.t + 1n;
  const closes = unixOf(m, c.closesClock, now);
  return {
    natural: p?.claimableAt,
    edges: [
      p?.claimableAt,
      c.pendingRate !== 0n ? unixOf(m, c.rateEffectiveClock, now) : undefined,
      c.closesClock !== 0n ? closes - 1n : undefined,
      c.closesClock !== 0n ? closes : undefined,
    ],
  };
}

/** A user who has a leaf claims (with the live, the pending or an old tree's proof), to itself or elsewhere. */
export class ClaimChannel extends RewardsCommand<{ ch: number; user: number; sel: number; to: number; when: number }> {
  readonly name = "claimChannel";
  check(m: Readonly<Model>): boolean {
    const tree = channelTreeFor(pick(m.channels, this.p.ch), this.p.sel);
    return tree !== undefined && tree.leaves.some((l) => lc(l.account) === lc(m.users[this.p.user]));
  }
  protected timing(m: Model): Timing {
    return channelClaimTiming(m, pick(m.channels, this.p.ch));
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const c = pick(m.channels, this.p.ch);
    const user = fx.users[this.p.user];
    const tree = channelTreeFor(c, this.p.sel)!;
    const score = tree.score(user.address);
    const proof = tree.proof(user.address);
    // 0 claimChannel; 1 to another user; 2–4 to a hostile contract (rejects ETH, burns gas, bombs); 5 to itself via claimChannelTo
    const payee = [user.address, fx.users[(this.p.user + 1) % 4].address, accountOf(fx, 4), accountOf(fx, 5), accountOf(fx, 6), user.address][this.p.to];
    const out = m.pause.paused ? PAUSED : evalChannelItem(m, c, tree, user.address, payee, t, new Overlay());
    const r = await send(fx, m, t, () =>
      this.p.to === 0
        ? fx.rewards.connect(user).claimChannel(c.id, score, proof, GAS)
        : fx.rewards.connect(user).claimChannelTo(c.id, score, payee, proof, GAS),
    );
    expectOutcome(`claimChannel ${c.id} ${describeOutcome(out)}`, out.kind === "pay" ? "ok" : "revert", r);
    if (r.ok) {
      bookLogs(m, t, r.logs);
      const paid = onePayout(r, "ChannelClaimed", payee);
      if (out.kind === "pay") {
        expect(paid.args[3]).to.equal(out.amount, "channel claim amount");
        expect(paid.args[4]).to.equal(out.scoreConverted, "channel claim score converted");
      }
    } else {
      count(`channel claim reverted (${"why" in out ? out.why : out.kind})`);
    }
  }
}


/** The brand (or a stranger, refused) announces a new rate; the pending one, if already in force, applies first. */
export class RateChange extends RewardsCommand<{ ch: number; rate: number; byBrand: boolean; when: number }> {
  readonly name = "rateChange";
  protected timing(m: Model): Timing {
    // Announce again once (or just before) the pending rate took effect.
    const c = pick(m.channels, this.p.ch);
    const natural = c.pendingRate !== 0n ? unixOf(m, c.rateEffectiveClock, m.t + 1n) : undefined;
    return { natural, edges: natural !== undefined ? [natural - 1n, natural] : [] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const c = pick(m.channels, this.p.ch);
    const who = this.p.byBrand ? signerOf(fx, c.brand) : fx.stranger;
    const ok = this.p.byBrand && c.closesClock === 0n;
    const r = await send(fx, m, t, () => fx.rewards.connect(who).announceRateChange(c.id, RATES[this.p.rate], GAS));
    expectOutcome(`announceRateChange ${c.id}`, ok ? "ok" : "revert", r);
    if (r.ok) {
      // The notice runs on the claim clock (the channel's own notice, copied at creation).
      const clock = clockAt(m, t);
      c.rate = rateAt(c, clock);
      c.pendingRate = RATES[this.p.rate];
      c.rateEffectiveClock = clock + c.rateChangeNotice;
      announcedTimeMatches(`channel ${c.id} rate`, r.logs, "ChannelRateChangeAnnounced", unixOf(m, c.rateEffectiveClock, t));
      count("rate change announced");
    }
  }
}

/** The brand (or a stranger, refused) announces the close; users claim until it takes effect. */
export class CloseChannel extends RewardsCommand<{ ch: number; byBrand: boolean; thenWithdraw: boolean }> {
  readonly name = "close";
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const c = pick(m.channels, this.p.ch);
    const who = this.p.byBrand ? signerOf(fx, c.brand) : fx.stranger;
    const ok = this.p.byBrand && c.closesClock === 0n;
    const r = await send(fx, m, t, () => fx.rewards.connect(who).announceClose(c.id, GAS));
    expectOutcome(`announceClose ${c.id}`, ok ? "ok" : "revert", r);
    if (r.ok) {
      c.closesClock = clockAt(m, t) + c.closeNotice;
      announcedTimeMatches(`channel ${c.id} close`, r.logs, "ChannelCloseAnnounced", unixOf(m, c.closesClock, t));
      // The brand comes back to withdraw the rest at the very second the close takes effect.
      if (this.p.thenWithdraw) await tryWithdrawChannel(m, fx, unixOf(m, c.closesClock, t), c, true, 0);
      count("close announced");
    }
  }
}

/** A withdrawal attempt of the pool's rest at `t`: from the close on (claim clock), once, never while paused. */
export async function tryWithdrawChannel(m: Model, fx: Fx, t: bigint, c: ChannelM, byBrand: boolean, toSel: number): Promise<void> {
  const who = byBrand ? signerOf(fx, c.brand) : fx.stranger;
  const to = exitRecipient(fx, c.brand, toSel);
  const ok = byBrand && !m.pause.paused && channelClosed(c, clockAt(m, t)) && !c.withdrawn && exitPayable(m, c.token, to, heldC(c));
  const r = await send(fx, m, t, () => fx.rewards.connect(who).withdrawChannel(c.id, to, GAS));
  expectOutcome(`withdrawChannel ${c.id} to ${to}${m.pause.paused ? " (paused)" : ""}`, ok ? "ok" : "revert", r);
  if (r.ok) bookLogs(m, t, r.logs);
  else if (m.pause.paused && byBrand && c.closesClock !== 0n) count("channel withdrawal refused while paused");
}

/** The brand (or a stranger, refused) withdraws the rest of the pool to an address it names. */
export class WithdrawChannel extends RewardsCommand<{ ch: number; byBrand: boolean; to: number; when: number }> {
  readonly name = "withdrawChannel";
  protected timing(m: Model): Timing {
    const c = pick(m.channels, this.p.ch);
    const natural = c.closesClock !== 0n ? unixOf(m, c.closesClock, m.t + 1n) : undefined;
    return { natural, edges: natural !== undefined ? [natural - 1n, natural] : [] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    await tryWithdrawChannel(m, fx, t, pick(m.channels, this.p.ch), this.p.byBrand, this.p.to);
  }
}

export const channelCommands = [
  {
    weight: 1,
    arbitrary: fc
      .record({ asset: assetArb, brand: fc.nat(1), units: fc.integer({ min: 0, max: 30 }), rate: fc.nat(RATES.length - 1) })
      .map((p) => new CreateChannel(p)),
  },
  { weight: 2, arbitrary: fc.record({ ch: fc.nat(9), funder: fc.nat(4), units: fc.integer({ min: 1, max: 10 }) }).map((p) => new FundChannel(p)) },
  {
    weight: 6,
    arbitrary: fc
      .record({
        ch: fc.nat(9),
        epoch: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }), // 0 next, 1 skip one, 2 replay, 3 older
        incs: fc.array(fc.option(fc.nat(4), { nil: undefined }), { minLength: 4, maxLength: 4 }),
        decrease: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        byPublisher: byBrandArb,
        veto: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        when: whenArb,
      })
      .map((p) => new PublishChannel(p)),
  },
  { weight: 4, arbitrary: fc.record({ ch: fc.nat(9), by: fc.nat(2), republish: fc.boolean(), when: whenArb }).map((p) => new VetoChannel(p)) },
  {
    weight: 8,
    arbitrary: fc
      .record({
        ch: fc.nat(9),
        user: fc.nat(3),
        sel: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }), // 0 live, 1 pending, 2+ history
        to: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(0, 1, 5) }, { weight: 2, arbitrary: fc.integer({ min: 2, max: 4 }) }),
        when: whenArb,
      })
      .map((p) => new ClaimChannel(p)),
  },
  {
    weight: 3,
    arbitrary: fc.record({ ch: fc.nat(9), rate: fc.nat(RATES.length - 1), byBrand: byBrandArb, when: whenArb }).map((p) => new RateChange(p)),
  },
  { weight: 1, arbitrary: fc.record({ ch: fc.nat(9), byBrand: byBrandArb, thenWithdraw: fc.boolean() }).map((p) => new CloseChannel(p)) },
  { weight: 2, arbitrary: fc.record({ ch: fc.nat(9), byBrand: byBrandArb, to: exitToArb, when: whenArb }).map((p) => new WithdrawChannel(p)) },
];
