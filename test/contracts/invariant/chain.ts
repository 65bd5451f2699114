/**
 * Talking to the chain: send a transaction at the timestamp the model chose, decode its events or its
 * custom error, demand the predicted outcome, and book the emitted payouts into the model (each one judged
 * by the payout invariants first).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse, Log, LogDescription } from "ethers";
import { count, debug, DEBUG, lc } from "./config";
import type { Fx } from "./fixture";
import {
  channelExitLeavesNothingClaimable,
  channelPayoutWithinLeafAndRate,
  eventExitLeavesNothingClaimable,
  eventPayoutIsALiveUnpaidLeaf,
  feeWithinSigned,
} from "./invariants";
import { addTo, getOr0, type Model, promote } from "./model";

export interface Sent {
  ok: boolean;
  logs: LogDescription[];
  error?: string;
  gasUsed?: bigint;
  /** What the sender paid for gas (to tell a relayer's fee from its gas cost in ETH balances). */
  gasCost?: bigint;
}

/** Mines `call` in a block at exactly `t` (the model's clock follows). A revert is returned, not thrown. */
export async function send(fx: Fx, m: Model, t: bigint, call: () => Promise<ContractTransactionResponse>): Promise<Sent> {
  await time.setNextBlockTimestamp(t);
  m.t = t;
  m.chainT = t; // a reverted transaction is mined too
  try {
    const tx = await call();
    const rc = await tx.wait();
    if (DEBUG) debug(`      tx at ${t} mined at ${(await ethers.provider.getBlock(rc!.blockNumber))!.timestamp}`);
    const logs: LogDescription[] = [];
    for (const log of (rc?.logs ?? []) as Log[]) {
      if (lc(log.address) !== lc(fx.rewardsAddress)) continue;
      const parsed = fx.rewards.interface.parseLog(log);
      if (parsed) logs.push(parsed);
    }
    debug(`      ok: ${logs.map((l) => `${l.name}(${l.args.map(String).join(", ")})`).join(" ")}`);
    return { ok: true, logs, gasUsed: rc!.gasUsed, gasCost: rc!.gasUsed * rc!.gasPrice };
  } catch (err) {
    debug(`      reverted: ${describeError(fx, err)}`);
    return { ok: false, logs: [], error: describeError(fx, err) };
  }
}

/** The decoded custom error of a revert (`Name(args)`), else the first line of the message. */
export function describeError(fx: Fx, err: unknown): string {
  const e = err as { data?: string; message?: string };
  if (typeof e.data === "string" && e.data.length >= 10) {
    try {
      const parsed = fx.rewards.interface.parseError(e.data);
      if (parsed) return `${parsed.name}(${parsed.args.map(String).join(", ")})`;
    } catch {
      /* fall through */
    }
  }
  return (e.message ?? String(err)).split("\n")[0];
}

export type Expected = "ok" | "revert" | "either";

export function expectOutcome(what: string, expected: Expected, r: Sent): void {
  if (expected === "ok" && !r.ok) throw new Error(`${what}: expected success, reverted with ${r.error}`);
  if (expected === "revert" && r.ok) throw new Error(`${what}: expected a revert, but it succeeded`);
}

/** The signature a signed claim was submitted under (for the fee invariant). */
export interface SignedContext {
  digest: string;
  maxFee: bigint;
}

/**
 * Applies the logs of a successful transaction to the model. Every payout is first judged by the payout
 * invariants (a leaf of the live root, paid once, for its amount, within the root's total; channel payouts
 * within the converted score at the current rate with no wei made up or lost, never beyond the pool; exits
 * take exactly the rest and only when nothing is claimable; relayer fees within what was signed).
 */
export function bookLogs(m: Model, t: bigint, logs: LogDescription[], signed?: SignedContext): void {
  let lastPayout = 0n;
  for (const log of logs) {
    switch (log.name) {
      case "EventClaimed": {
        const [id, index, account, , amount] = log.args as unknown as [bigint, bigint, string, string, bigint];
        const e = m.events[Number(id) - 1];
        const i = Number(index);
        eventPayoutIsALiveUnpaidLeaf(m, e, t, i, account, amount);
        e.paid.add(i);
        e.claimedSum += amount;
        e.outAmt += amount;
        addTo(e.paidTo, account, amount);
        lastPayout = amount;
        count("event claim paid");
        break;
      }
      case "EventRefunded":
      case "EventUnclaimedWithdrawn": {
        const [id, , , amount] = log.args as unknown as [bigint, string, string, bigint];
        const e = m.events[Number(id) - 1];
        const refund = log.name === "EventRefunded";
        eventExitLeavesNothingClaimable(m, e, t, refund ? "refund" : "withdrawal", amount);
        e.outAmt += amount;
        e.settled = true;
        count(refund ? "event refunded" : "event unclaimed withdrawn");
        break;
      }
      case "ChannelClaimed": {
        const [id, account, , amount, scoreConverted] = log.args as unknown as [bigint, string, string, bigint, bigint];
        const c = m.channels[Number(id) - 1];
        promote(c, t);
        const { partial, rate, carry } = channelPayoutWithinLeafAndRate(m, c, t, account, scoreConverted, amount);
        if (partial) count("channel claim partial");
        c.converted.set(lc(account), getOr0(c.converted, account) + scoreConverted);
        c.carry.set(lc(account), carry);
        if (!c.ratesPaid.has(lc(account))) c.ratesPaid.set(lc(account), new Set());
        c.ratesPaid.get(lc(account))!.add(rate);
        c.outAmt += amount;
        addTo(c.paidTo, account, amount);
        if (rate > c.maxRatePaid) c.maxRatePaid = rate;
        lastPayout = amount;
        count("channel claim paid");
        break;
      }
      case "ChannelWithdrawn": {
        const [id, , , amount] = log.args as unknown as [bigint, string, string, bigint];
        const c = m.channels[Number(id) - 1];
        channelExitLeavesNothingClaimable(m, c, t, amount);
        c.outAmt += amount;
        c.withdrawn = true;
        count("channel withdrawn");
        break;
      }
      case "ClaimRelayed": {
        const fee = log.args[4] as bigint;
        expect(signed, "a relayer fee on a claim that was not signed").to.not.equal(undefined);
        feeWithinSigned(m, signed!.digest, fee, signed!.maxFee, lastPayout);
        count("relayer fee paid");
        break;
      }
      case "BatchItemSkipped":
        count(`batch item skipped (reason ${log.args[3]})`);
        break;
      default:
        break;
    }
  }
}

/** The one payout log of a single claim, paid to `payee`. */
export function onePayout(r: Sent, name: "EventClaimed" | "ChannelClaimed", payee: string): LogDescription {
  const paid = r.logs.filter((l) => l.name === name);
  expect(paid.length).to.equal(1, `${name} logs`);
  const recipient = paid[0].args[name === "EventClaimed" ? 3 : 2] as string;
  expect(lc(recipient)).to.equal(lc(payee), `${name}: paid another recipient`);
  return paid[0];
}
