/**
 * Batch claims: a user claims up to four event leaves (for their accounts) and up to two of its own channel
 * leaves in one transaction. Items are predicted in order on an overlay of the model: one that can't be paid
 * for a reason the spec says is skipped (already claimed, beyond the total, receiver refuses) must be
 * skipped with that reason; any other failure must revert the batch.
 */
import { expect } from "chai";
import fc from "fast-check";
import type { ChannelTree, EventTree } from "../../shared/support";
import { count, GAS, lc } from "../config";
import { bookLogs, expectOutcome, send } from "../chain";
import type { Fx } from "../fixture";
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

interface BatchParams {
  caller: number;
  events: { ev: number; stale: number; leaf: number }[];
  channels: { ch: number; sel: number }[];
  when: number;
}

/** The items a batch can form in this model state (event leaves of existing trees, the caller's channel leaves). */
function formItems(m: Readonly<Model>, p: BatchParams) {
  const caller = m.users[p.caller];
  const events: { e: EventM; tree: EventTree; index: number }[] = [];
  for (const it of p.events) {
    const e = pick(m.events, it.ev);
    const tree = eventTreeFor(e, it.stale);
    if (tree) events.push({ e, tree, index: it.leaf % tree.leaves.length });
  }
  const channels: { c: ChannelM; tree: ChannelTree }[] = [];
  for (const it of p.channels) {
    const c = pick(m.channels, it.ch);
    const tree = channelTreeFor(c, it.sel);
    if (tree && tree.leaves.some((l) => lc(l.account) === lc(caller))) channels.push({ c, tree });
  }
  return { caller, events, channels };
}

export class BatchClaim extends RewardsCommand<BatchParams> {
  readonly name = "batch";
  check(m: Readonly<Model>): boolean {
    const { events, channels } = formItems(m, this.p);
    return events.length + channels.length > 0;
  }
  protected timing(m: Model): Timing {
    if (this.p.events.length) return eventClaimTiming(pick(m.events, this.p.events[0].ev));
    if (this.p.channels.length) return channelClaimTiming(pick(m.channels, this.p.channels[0].ch));
    return { edges: [] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const caller = fx.users[this.p.caller];
    const { events, channels } = formItems(m, this.p);
    const o = new Overlay();
    const expected: ItemOutcome[] = [];
    const names: string[] = [];
    for (const { e, tree, index } of events) {
      const out = m.paused ? PAUSED : evalEventItem(m, e, tree, index, tree.leaves[index].account, t, o);
      if (out.kind === "pay") overlayEventPay(o, e, index, out.amount);
      expected.push(out);
      names.push(`event ${e.id}#${index}`);
    }
    for (const { c, tree } of channels) {
      const out = m.paused ? PAUSED : evalChannelItem(m, c, tree, caller.address, caller.address, t, o);
      if (out.kind === "pay") overlayChannelPay(o, c, caller.address, out.amount, out.scoreConverted!);
      expected.push(out);
      names.push(`channel ${c.id}`);
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
    // Each item either paid or was skipped, in order, as predicted.
    const itemLogs = r.logs.filter((l) => ["EventClaimed", "ChannelClaimed", "BatchItemSkipped"].includes(l.name));
    expect(itemLogs.length).to.equal(expected.length, `batch item logs [${desc}]`);
    itemLogs.forEach((log, i) => {
      const x = expected[i];
      if (x.kind === "pay") {
        expect(log.name).to.not.equal("BatchItemSkipped", `batch item ${i} [${desc}] skipped`);
        expect(log.args[4]).to.equal(x.amount, `batch item ${i} amount`);
      } else if (x.kind === "skip" || x.kind === "skipOrHard") {
        expect(log.name).to.equal("BatchItemSkipped", `batch item ${i} [${desc}] not skipped`);
        expect(log.args[3]).to.equal(x.kind === "skip" ? BigInt(x.reason) : 0n, `batch item ${i} [${desc}] skip reason`);
      }
    });
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
];
