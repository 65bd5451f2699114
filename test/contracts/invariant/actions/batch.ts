/**
 * Batch claims: a user claims up to four event leaves (for their accounts) and up to two of its own channel
 * leaves in one transaction; or a relayer sweeps every leaf of one event's root at once, hostile receivers
 * included. Items are predicted in order on an overlay of the model: one that can't be paid for a reason the
 * spec says is skipped (already claimed, beyond the total, the receiver rejects or runs out of gas) must be
 * skipped with that reason; any other failure must revert the batch; every other item must be paid.
 */
import { expect } from "chai";
import fc from "fast-check";
import { type ChannelTree, ETH, type EventTree, SKIP } from "../../shared/fixtures";
import { CLAIM_WINDOWS, COVERAGE, count, GAS, lc, MAX_EVENTS } from "../config";
import { bookLogs, expectOutcome, send } from "../chain";
import type { Fx } from "../fixture";
import { batchGasBound, honestItemsPaidDespiteHostile } from "../invariants";
import {
  type ChannelM,
  channelTreeFor,
  currentEventRoot,
  type EventM,
  eventsWithRoots,
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
import { CreateEvent, eventClaimTiming, PublishEvent, tryWithdrawUnclaimed, windowEnd } from "./events";
import { SignedEventClaim } from "./signed";

type EventItem = { e: EventM; tree: EventTree; index: number };
type ChannelItem = { c: ChannelM; tree: ChannelTree };

/** Predicts, sends and checks one batch (the caller's channel items are for the caller). */
async function runBatch(m: Model, fx: Fx, t: bigint, callerIndex: number, events: EventItem[], channels: ChannelItem[]): Promise<void> {
  const caller = fx.users[callerIndex];
  const o = new Overlay();
  const expected: ItemOutcome[] = [];
  const names: string[] = [];
  const accounts: string[] = [];
  const tokens: string[] = [];
  for (const { e, tree, index } of events) {
    tokens.push(e.token);
    const account = tree.leaves[index].account;
    const out = m.pause.paused ? PAUSED : evalEventItem(m, e, tree, index, account, t, o);
    if (out.kind === "pay") overlayEventPay(o, e, index, out.amount);
    expected.push(out);
    names.push(`event ${e.id}#${index}`);
    accounts.push(account);
  }
  for (const { c, tree } of channels) {
    tokens.push(c.token);
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
  const failed = (x: ItemOutcome) => x.kind === "skip" && (x.reason === SKIP.paymentRejected || x.reason === SKIP.paymentOutOfGas);
  const failingEth = expected.filter((x, i) => failed(x) && tokens[i] === ETH).length;
  const failingToken = expected.filter((x, i) => failed(x) && tokens[i] !== ETH).length;
  const failing = failingEth + failingToken;
  if (failingToken > 0) count("batch skipped a hook-token payout");
  if (failing > 0) {
    count("batch with hostile receivers paid");
    if (expected.some((x) => x.kind === "pay")) count("batch paid honest items next to hostile ones");
  }
  if (!COVERAGE) {
    const bound = batchGasBound(expected.length, failingEth, failingToken);
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
    return eventsWithRoots(m).length > 0;
  }
  protected timing(m: Model): Timing {
    return eventClaimTiming(m, pick(eventsWithRoots(m), this.p.ev));
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    // Among the events that have a root (`ev` indexes those).
    const e = pick(eventsWithRoots(m), this.p.ev);
    const tree = eventTreeFor(e, 0)!;
    count(e.token === ETH ? "sweep (ETH)" : "sweep (ERC-20)");
    await runBatch(m, fx, t, this.p.caller, tree.leaves.map((_, index) => ({ e, tree, index })), []);
  }
}

/**
 * A whole hostile payout round in one action, so every run meets it: a brand opens an event (ETH or the hook
 * token) whose root names the gas burner, the return bomb and the ETH rejecter between two honest users; the
 * publisher posts it at the end; once it is live a relayer submits one user's signed claim and sweeps the
 * rest; the brand withdraws the rest when the
 * window is over. The honest items must be paid at about their normal cost (invariant 15), whatever else
 * the run has done (a pause, other parameters).
 */
export class HostileSweep extends RewardsCommand<{ hookToken: boolean; brand: number; caller: number; order: number }> {
  readonly name = "hostileSweep";
  check(m: Readonly<Model>): boolean {
    return m.events.length < MAX_EVENTS;
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const before = m.events.length;
    await new CreateEvent({ asset: this.p.hookToken ? 2 : 0, brand: this.p.brand, units: 8, end: 0, window: CLAIM_WINDOWS.length - 1 }).perform(m, fx, t);
    if (m.events.length === before) return;
    const ev = m.events.length - 1;
    const e = m.events[ev];
    const hostile = [{ acct: 5, units: 1 }, { acct: 6, units: 1 }, { acct: 4, units: 1 }];
    const honest = [{ acct: this.p.caller, units: 2 }, { acct: (this.p.caller + 1) % 4, units: 3 }];
    // The honest leaves before, between or after the hostile ones.
    const leaves = [[...honest, ...hostile], [honest[0], ...hostile, honest[1]], [...hostile, ...honest]][this.p.order];
    await new PublishEvent({ ev, leaves, mode: "exact", byPublisher: true, when: 0 }).perform(m, fx, e.end);
    const root = currentEventRoot(e);
    if (!root) return;
    const live = root.claimableAt > e.end ? root.claimableAt : e.end + 1n;
    // A relayer first submits the first honest user's signed claim (fee a tenth of the payout), then sweeps.
    await new SignedEventClaim({
      ev: eventsWithRoots(m).indexOf(e), stale: 0, leaf: 0, anyLeaf: false,
      recipient: this.p.caller, relayer: 4, maxFee: 1, fee: 0, deadline: 0, wrongSigner: false, when: 0,
    }).perform(m, fx, live);
    await new SweepEvent({ ev: eventsWithRoots(m).indexOf(e), caller: this.p.caller, when: 0 }).perform(m, fx, m.t + 1n);
    // What the hostile receivers could not take goes back to the brand once the window is over.
    const closes = windowEnd(m, e, m.t + 1n)!;
    await tryWithdrawUnclaimed(m, fx, closes > m.t ? closes : m.t + 1n, e, true, 0);
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
  {
    weight: 1,
    arbitrary: fc
      .record({ hookToken: fc.boolean(), brand: fc.nat(1), caller: fc.nat(3), order: fc.nat(2) })
      .map((p) => new HostileSweep(p)),
  },
];
