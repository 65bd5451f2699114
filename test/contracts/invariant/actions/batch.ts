/**
 * Batch claims: a user claims up to four event leaves (for their accounts) and up to two of its own channel
 * leaves in one transaction; or a relayer sweeps every leaf of one event's root at once, hostile receivers
 * included. Items are predicted in order on an overlay of the model: one that can't be paid for a reason the
 * spec says is skipped (already claimed, beyond the total, the receiver rejects or runs out of gas) must be
 * skipped with that reason; any other failure must revert the batch; every other item must be paid.
 */
import { expect } from "chai";
import fc from "fast-check";
import type { ChannelTree, EventTree } from "../../shared/support";
import { COVERAGE, count, GAS, lc, SKIP } from "../config";
import { bookLogs, expectOutcome, send } from "../chain";
import type { Fx } from "../fixture";
import { batchGasBound, honestItemsPaidDespiteHostile } from "../invariants";
import {
  type ChannelM,
  channelTreeFor,
  type EventM,
  eventTreeFor,
  evalChannelItem,
  evalEventItem,
  type ItemOutcome,
  type Model,
  Overlay,
  overlayChannelPay,
  overlayEventPay,
  PAUSED,
} from "../model";
import { pick, RewardsCommand, type Timing, whenArb } from "./base";
import { channelClaimTiming } from "./channels";
import { eventClaimTiming } from "./events";

type EventItem = { e: EventM; tree: EventTree; index: number };
type ChannelItem = { c: ChannelM; tree: ChannelTree };

/** Predicts, sends and checks one batch (the caller's channel items are for the caller). */
async function runBatch(m: Model, fx: Fx, t: bigint, callerIndex: number, events: EventItem[], channels: ChannelItem[]): Promise<void> {
  const caller = fx.users[callerIndex];
  const o = new Overlay();
  const expected: ItemOutcome[] = [];
  const names: string[] = [];
  const accounts: string[] = [];
  for (const { e, tree, index } of events) {
    const account = tree.leaves[index].account;
    const out = m.pause.paused ? PAUSED : evalEventItem(m, e, tree, index, account, t, o);
    if (out.kind === "pay") overlayEventPay(o, e, index, out.amount);
    expected.push(out);
    names.push(`event ${e.id}#${index}`);
    accounts.push(account);
  }
  for (const { c, tree } of channels) {
    const out = m.pause.paused ? PAUSED : evalChannelItem(m, c, tree, caller.address, caller.address, t, o);
    if (out.kind === "pay") overlayChannelPay(o, c, caller.address, out);
    expected.push(out);
    names.push(`channel ${c.id}`);
    accounts.push(caller.address);
  }
  const anyHard = expected.some((x) => x.kind === "hard");
  const anyEither = expected.some((x) => x.kind === "skipOrHard");
  const r = await send(fx, m, t, () =>
    fx.rewards.connect(caller).batchClaim(
      events.map(({ tree, index }) => tree.item(index)),
      channels.map(({ tree }) => tree.item(caller.address)),
      GAS,
    ),
  );
  const desc = expected.map((x, i) => `${names[i]}=${x.kind}${"why" in x ? `(${x.why})` : ""}`).join(", ");
  expectOutcome(`batchClaim [${desc}]`, anyHard ? "revert" : anyEither ? "either" : "ok", r);
  if (!r.ok) {
    count("batch reverted");
    return;
  }
  bookLogs(m, t, r.logs);
  count("batch paid");
  // Each item either paid or was skipped, in order, as predicted; a skip names the item's (proven) account.
  const itemLogs = r.logs.filter((l) => ["EventClaimed", "ChannelClaimed", "BatchItemSkipped"].includes(l.name));
  expect(itemLogs.length).to.equal(expected.length, `batch item logs [${desc}]`);
  const paidAmounts: (bigint | undefined)[] = [];
  itemLogs.forEach((log, i) => {
    const x = expected[i];
    if (log.name === "BatchItemSkipped") {
      expect(x.kind === "skip" || x.kind === "skipOrHard", `batch item ${i} [${desc}] skipped`).to.equal(true);
      expect(lc(log.args[2] as string)).to.equal(lc(accounts[i]), `batch item ${i} [${desc}] skip names another account`);
      expect(log.args[3]).to.equal(x.kind === "skip" ? BigInt(x.reason) : BigInt(SKIP.nothingOwed), `batch item ${i} [${desc}] skip reason`);
      paidAmounts.push(undefined);
    } else {
      expect(x.kind, `batch item ${i} [${desc}] paid`).to.equal("pay");
      paidAmounts.push(log.args[log.name === "EventClaimed" ? 4 : 3] as bigint);
    }
  });
  honestItemsPaidDespiteHostile(expected, paidAmounts, desc);
  const failing = expected.filter((x) => x.kind === "skip" && (x.reason === SKIP.paymentRejected || x.reason === SKIP.paymentOutOfGas)).length;
  if (failing > 0) {
    count("batch with hostile receivers paid");
    if (expected.some((x) => x.kind === "pay")) count("batch paid honest items next to hostile ones");
  }
  if (!COVERAGE) {
    const bound = batchGasBound(expected.length, failing);
    expect(r.gasUsed! <= bound, `batch [${desc}] used ${r.gasUsed} gas > ${bound}`).to.equal(true);
  }
}

interface BatchParams {
  caller: number;
  events: { ev: number; stale: number; leaf: number }[];
  channels: { ch: number; sel: number }[];
  when: number;
}

/** The items a batch can form in this model state (event leaves of existing trees, the caller's channel leaves). */
function formItems(m: Readonly<Model>, p: BatchParams) {
  const caller = m.users[p.caller];
  const events: EventItem[] = [];
  for (const it of p.events) {
    const e = pick(m.events, it.ev);
    const tree = eventTreeFor(e, it.stale);
    if (tree) events.push({ e, tree, index: it.leaf % tree.leaves.length });
  }
  const channels: ChannelItem[] = [];
  for (const it of p.channels) {
    const c = pick(m.channels, it.ch);
    const tree = channelTreeFor(c, it.sel);
    if (tree && tree.leaves.some((l) => lc(l.account) === lc(caller))) channels.push({ c, tree });
  }
  return { events, channels };
}

export class BatchClaim extends RewardsCommand<BatchParams> {
  readonly name = "batch";
  check(m: Readonly<Model>): boolean {
    const { events, channels } = formItems(m, this.p);
    return events.length + channels.length > 0;
  }
  protected timing(m: Model): Timing {
    if (this.p.events.length) return eventClaimTiming(m, pick(m.events, this.p.events[0].ev));
    if (this.p.channels.length) return channelClaimTiming(m, pick(m.channels, this.p.channels[0].ch));
    return { edges: [] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const { events, channels } = formItems(m, this.p);
    await runBatch(m, fx, t, this.p.caller, events, channels);
  }
}

/**
 * A relayer sweeps one event: every leaf of its current root in one batch, in the tree's order, so hostile
 * receivers (gas burner, return bomb, ETH rejecter) sit before, between and after honest ones.
 */
export class SweepEvent extends RewardsCommand<{ ev: number; caller: number; when: number }> {
  readonly name = "sweepEvent";
  check(m: Readonly<Model>): boolean {
    return pick(m.events, this.p.ev).roots.length > 0;
  }
  protected timing(m: Model): Timing {
    return eventClaimTiming(m, pick(m.events, this.p.ev));
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const e = pick(m.events, this.p.ev);
    const tree = eventTreeFor(e, 0)!;
    await runBatch(m, fx, t, this.p.caller, tree.leaves.map((_, index) => ({ e, tree, index })), []);
  }
}

export const batchCommands = [
  {
    weight: 5,
    arbitrary: fc
      .record({
        caller: fc.nat(3),
        events: fc.array(
          fc.record({ ev: fc.nat(9), stale: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }), leaf: fc.nat(3) }),
          { maxLength: 4 },
        ),
        channels: fc.array(fc.record({ ch: fc.nat(9), sel: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }) }), {
          maxLength: 2,
        }),
        when: whenArb,
      })
      .map((p) => new BatchClaim(p)),
  },
  // Mostly at the root's claimableAt (when 1), where every leaf is still unpaid.
  { weight: 3, arbitrary: fc.record({ ev: fc.nat(9), caller: fc.nat(3), when: fc.constantFrom(1, 1, 1, 0, 2, 3) }).map((p) => new SweepEvent(p)) },
];
