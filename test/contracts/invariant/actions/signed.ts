/**
 * Signed claims (EIP-712, see docs and ILike2EarnRewards): the leaf's account signs (campaign, leaf,
 * recipient, maxFee, deadline) and a relayer submits it, taking `fee` out of the payout. Varied: the fee
 * (at, under or above maxFee; above the payout), the deadline (future, this very second, past), the signer
 * (the account or someone else; contract accounts can't sign), the channel epoch signed for (the claimable
 * one or another), hostile recipients, and submitting the same signature twice.
 */
import { expect } from "chai";
import fc from "fast-check";
import { TypedDataEncoder } from "ethers";
import { CHANNEL_CLAIM_TYPES, EVENT_CLAIM_TYPES } from "../../../../scorer/src/format/signed-claim";
import { ETH, HOUR } from "../../shared/fixtures";
import { count, GAS, lc, UNIT } from "../config";
import { bookLogs, expectOutcome, onePayout, type Sent, send } from "../chain";
import { accountOf, balanceIn, type Fx } from "../fixture";
import {
  channelTreeFor,
  describeOutcome,
  eventsWithRoots,
  eventTreeFor,
  evalChannelItem,
  evalEventItem,
  type ItemOutcome,
  type Model,
  Overlay,
  PAUSED,
  promote,
} from "../model";
import { pick, RewardsCommand, type Timing, whenArb } from "./base";
import { channelClaimTiming } from "./channels";
import { eventClaimTiming, leafAccountArb } from "./events";

// The typed data is the signed-claim format's (its one owner), so the test signs what wallets sign.
const EVENT_CLAIM = EVENT_CLAIM_TYPES;
const CHANNEL_CLAIM = CHANNEL_CLAIM_TYPES;

interface SignedParams {
  recipient: number;
  relayer: number;
  /** maxFee: 0, a tenth of the payout, all of it, twice it. */
  maxFee: number;
  /** fee: maxFee, half of it, maxFee + 1 (refused), nothing. */
  fee: number;
  /** deadline: in an hour, this very second (accepted), a second ago (refused). */
  deadline: number;
  /** Signed by another user than the account (refused). */
  wrongSigner: boolean;
  when: number;
}

const signedArb = {
  recipient: leafAccountArb,
  relayer: fc.nat(4),
  maxFee: fc.nat(3),
  fee: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(0, 1, 3) }, { weight: 1, arbitrary: fc.constant(2) }),
  deadline: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, 2) }),
  wrongSigner: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  when: whenArb,
};

/** maxFee, fee and deadline from the parameters; `payout` is what the claim would pay (for relative fees). */
function terms(p: SignedParams, payout: bigint, t: bigint) {
  const maxFee = [0n, payout / 10n, payout, 2n * payout][p.maxFee];
  const fee = [maxFee, maxFee / 2n, maxFee + 1n, 0n][p.fee];
  const deadline = [t + HOUR, t, t - 1n][p.deadline];
  return { maxFee, fee, deadline };
}

/** Why a signed claim is refused before the claim itself is looked at (undefined: the signature checks pass). */
function signatureFailure(m: Model, account: string, p: SignedParams, fee: bigint, maxFee: bigint, deadline: bigint, t: bigint): string | undefined {
  if (t > deadline) return "signature expired";
  if (fee > maxFee) return "fee above maxFee";
  if (!m.users.some((u) => lc(u) === lc(account))) return "a contract account can't sign (EIP-1271 refuses)";
  if (p.wrongSigner) return "signed by another account";
  return undefined;
}

/** The signer for `account` (or, with wrongSigner, another user). Contract accounts get a user's signature, which fails. */
function signerFor(fx: Fx, account: string, wrongSigner: boolean) {
  const i = fx.users.findIndex((u) => lc(u.address) === lc(account));
  return fx.users[i < 0 ? 0 : wrongSigner ? (i + 1) % fx.users.length : i];
}

/**
 * Checks a successful signed claim: one payout to `recipient` of `amount`; a ClaimRelayed of exactly `fee`
 * to the relayer when a fee was taken (none otherwise); the recipient's and relayer's balances moved by
 * amount − fee and fee (the relayer's ETH net of its gas).
 */
async function expectSignedPayout(
  fx: Fx,
  r: Sent,
  name: "EventClaimed" | "ChannelClaimed",
  recipient: string,
  relayer: string,
  token: string,
  amount: bigint,
  fee: bigint,
  before: { recipient: bigint; relayer: bigint },
): Promise<void> {
  const paid = onePayout(r, name, recipient);
  expect(paid.args[name === "EventClaimed" ? 4 : 3]).to.equal(amount, `${name} amount`);
  const relayed = r.logs.filter((l) => l.name === "ClaimRelayed");
  expect(relayed.length).to.equal(fee > 0n ? 1 : 0, "ClaimRelayed logs");
  if (fee > 0n) {
    expect(lc(relayed[0].args[3] as string)).to.equal(lc(relayer), "the fee went to another address than the relayer");
    expect(relayed[0].args[4]).to.equal(fee, "relayer fee");
  }
  const after = await balances(fx, token, recipient, relayer);
  const gas = token === ETH ? r.gasCost! : 0n;
  if (lc(recipient) === lc(relayer)) {
    expect(after.relayer - before.relayer + gas).to.equal(amount, "relayer (also the recipient) received the payout");
  } else {
    expect(after.recipient - before.recipient).to.equal(amount - fee, "recipient received payout − fee");
    expect(after.relayer - before.relayer + gas).to.equal(fee, "relayer received the fee");
  }
}

async function balances(fx: Fx, token: string, recipient: string, relayer: string) {
  const [r, s] = await Promise.all([balanceIn(fx, token, recipient), balanceIn(fx, token, relayer)]);
  return { recipient: r, relayer: s };
}

const relayerOf = (fx: Fx, i: number) => [...fx.users, fx.stranger][i % 5];

/** A relayer submits an event claim signed by the leaf's account, for a fee. */
export class SignedEventClaim extends RewardsCommand<SignedParams & { ev: number; stale: number; leaf: number; anyLeaf: boolean }> {
  readonly name = "claimEventBySig";
  check(m: Readonly<Model>): boolean {
    return eventsWithRoots(m).length > 0;
  }
  protected timing(m: Model): Timing {
    return eventClaimTiming(m, pick(eventsWithRoots(m), this.p.ev));
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    // Among the events that have a root (a relayer only submits claims for published campaigns).
    const e = pick(eventsWithRoots(m), this.p.ev);
    const tree = eventTreeFor(e, this.p.stale)!;
    // Mostly an unpaid leaf of a user (who can sign: what a relayer is handed); with anyLeaf, any leaf (a
    // contract account can't sign, a paid leaf is refused).
    const userLeaves = tree.leaves.map((_, i) => i).filter((i) => m.users.some((u) => lc(u) === lc(tree.leaves[i].account)));
    const unpaid = userLeaves.filter((i) => !e.paid.has(i));
    const pool = this.p.anyLeaf ? [] : unpaid.length ? unpaid : userLeaves;
    const index = pool.length ? pool[this.p.leaf % pool.length] : this.p.leaf % tree.leaves.length;
    const leaf = tree.leaves[index];
    const recipient = accountOf(fx, this.p.recipient);
    const relayer = relayerOf(fx, this.p.relayer);
    const { maxFee, fee, deadline } = terms(this.p, leaf.amount, t);
    const claim = { eventId: e.id, index: BigInt(index), account: leaf.account, amount: leaf.amount, recipient, maxFee, deadline };
    const signature = await signerFor(fx, leaf.account, this.p.wrongSigner).signTypedData(fx.domain, EVENT_CLAIM, claim);
    const digest = TypedDataEncoder.hash(fx.domain, EVENT_CLAIM, claim);

    const refused = signatureFailure(m, leaf.account, this.p, fee, maxFee, deadline, t) ?? (fee > leaf.amount ? "fee above the payout" : undefined);
    const out: ItemOutcome = m.pause.paused
      ? PAUSED
      : refused
        ? { kind: "hard", why: refused }
        : evalEventItem(m, e, tree, index, recipient, t, new Overlay());
    const before = await balances(fx, e.token, recipient, relayer.address);
    const r = await send(fx, m, t, () => fx.rewards.connect(relayer).claimEventBySig(claim, tree.proof(index), fee, signature, GAS));
    expectOutcome(`claimEventBySig ${e.id}#${index} fee ${fee}/${maxFee} (${describeOutcome(out)})`, out.kind === "pay" ? "ok" : "revert", r);
    if (!r.ok) {
      count(`signed event claim reverted (${"why" in out ? out.why : out.kind})`);
      return;
    }
    bookLogs(m, t, r.logs, { digest, maxFee });
    await expectSignedPayout(fx, r, "EventClaimed", recipient, relayer.address, e.token, leaf.amount, fee, before);
    count("signed event claim paid");
  }
}

/**
 * A relayer submits a channel claim signed by the account for an epoch (the claimable root's, or another);
 * with `again`, submits the same signature a second time right after (it must pay nothing more than the
 * model says, and its fees stay within maxFee).
 */
export class SignedChannelClaim extends RewardsCommand<SignedParams & { ch: number; user: number; sel: number; epoch: number; again: boolean }> {
  readonly name = "claimChannelBySig";
  check(m: Readonly<Model>): boolean {
    const tree = channelTreeFor(pick(m.channels, this.p.ch), this.p.sel);
    return tree !== undefined && tree.leaves.some((l) => lc(l.account) === lc(m.users[this.p.user]));
  }
  protected timing(m: Model): Timing {
    return channelClaimTiming(m, pick(m.channels, this.p.ch));
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const c = pick(m.channels, this.p.ch);
    const tree = channelTreeFor(c, this.p.sel)!;
    const account = fx.users[this.p.user].address;
    const recipient = accountOf(fx, this.p.recipient);
    const relayer = relayerOf(fx, this.p.relayer);
    const claimable = c.live?.epoch ?? c.lastEpoch;
    const epoch = [claimable, claimable + 1n, claimable > 0n ? claimable - 1n : claimable + 2n][this.p.epoch];
    const preview = m.pause.paused ? undefined : evalChannelItem(m, c, tree, account, recipient, t, new Overlay(), epoch);
    const { maxFee, fee, deadline } = terms(this.p, preview?.kind === "pay" ? preview.amount : UNIT, t);
    const claim = { channelId: c.id, epoch, account, cumulativeScore: tree.score(account), recipient, maxFee, deadline };
    const signature = await signerFor(fx, account, this.p.wrongSigner).signTypedData(fx.domain, CHANNEL_CLAIM, claim);
    const digest = TypedDataEncoder.hash(fx.domain, CHANNEL_CLAIM, claim);

    for (const [attempt, at] of (this.p.again ? [t, t + 1n] : [t]).entries()) {
      for (const ch of m.channels) promote(ch, at);
      const refused = signatureFailure(m, account, this.p, fee, maxFee, deadline, at);
      let out: ItemOutcome = m.pause.paused
        ? PAUSED
        : refused
          ? { kind: "hard", why: refused }
          : evalChannelItem(m, c, tree, account, recipient, at, new Overlay(), epoch);
      // The fee is taken only by a claim that converts everything owed, and never beyond its payout.
      const feeTaken = out.kind === "pay" && out.whole ? fee : 0n;
      if (out.kind === "pay" && feeTaken > out.amount) out = { kind: "hard", why: "fee above the payout" };
      const before = await balances(fx, c.token, recipient, relayer.address);
      const r = await send(fx, m, at, () => fx.rewards.connect(relayer).claimChannelBySig(claim, tree.proof(account), fee, signature, GAS));
      const what = `claimChannelBySig ${c.id} epoch ${epoch}${attempt ? " (again)" : ""} fee ${fee}/${maxFee} (${describeOutcome(out)})`;
      expectOutcome(what, out.kind === "pay" ? "ok" : "revert", r);
      if (!r.ok) {
        count(`signed channel claim reverted (${"why" in out ? out.why : out.kind})${attempt ? " again" : ""}`);
        continue;
      }
      bookLogs(m, at, r.logs, { digest, maxFee });
      const paid = out as ItemOutcome & { kind: "pay" };
      await expectSignedPayout(fx, r, "ChannelClaimed", recipient, relayer.address, c.token, paid.amount, feeTaken, before);
      count(attempt ? "signed channel claim paid again" : feeTaken > 0n ? "signed channel claim paid a fee" : "signed channel claim paid");
      count("signed channel claim paid (any)");
    }
  }
}

export const signedCommands = [
  {
    weight: 6,
    arbitrary: fc
      .record({
        ...signedArb,
        ev: fc.nat(9),
        stale: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }),
        leaf: fc.nat(3),
        anyLeaf: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      })
      .map((p) => new SignedEventClaim(p)),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({
        ...signedArb,
        ch: fc.nat(9),
        user: fc.nat(3),
        sel: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }),
        epoch: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, 2) }),
        again: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      })
      .map((p) => new SignedChannelClaim(p)),
  },
];
