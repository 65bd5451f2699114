/**
 * Event bounty actions: create, fund, publish a root, veto it, claim a leaf, refund, withdraw the rest.
 * Each demands the outcome the model predicts from the spec (invariants 6 and 7).
 */
import fc from "fast-check";
import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { ETH, EventTree, PARAMS } from "../../shared/support";
import { CLAIM_WINDOWS, count, EVENT_ENDS, GAS, lc, MAX_EVENTS, UNIT } from "../config";
import { bookLogs, expectOutcome, onePayout, send } from "../chain";
import { accountOf, type Fx, signerOf } from "../fixture";
import {
  currentEventRoot,
  describeOutcome,
  type EventM,
  eventTreeFor,
  evalEventItem,
  heldE,
  type Model,
  newEvent,
  Overlay,
  PAUSED,
} from "../model";
import { byBrandArb, pick, RewardsCommand, type Timing, whenArb } from "./base";

/** A brand creates an event (ETH or the ERC-20) starting now, funded at creation. */
export class CreateEvent extends RewardsCommand<{ eth: boolean; brand: number; units: number; end: number; window: number }> {
  readonly name = "createEvent";
  check(m: Readonly<Model>): boolean {
    return m.events.length < MAX_EVENTS;
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const brand = this.p.brand === 0 ? fx.brand : fx.brand2;
    const token = this.p.eth ? ETH : fx.tokenAddress;
    const amount = BigInt(this.p.units) * UNIT;
    const end = t + EVENT_ENDS[this.p.end];
    const window = CLAIM_WINDOWS[this.p.window];
    const r = await send(fx, m, t, () =>
      fx.rewards.connect(brand).createEvent(token, t, end, window, amount, "ipfs://e", { value: this.p.eth ? amount : 0n, ...GAS }),
    );
    expectOutcome("createEvent", "ok", r);
    m.events.push(newEvent(BigInt(m.events.length + 1), token, brand.address, end, window, end + PARAMS.publishDeadline, amount));
    count("event created");
  }
}

/** Anyone tops an event up; allowed until its end. */
export class FundEvent extends RewardsCommand<{ ev: number; funder: number; units: number; when: number }> {
  readonly name = "fundEvent";
  protected timing(m: Model): Timing {
    const e = pick(m.events, this.p.ev);
    return { edges: [e.end - 1n, e.end] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const e = pick(m.events, this.p.ev);
    const funder = [fx.brand, fx.brand2, ...fx.users][this.p.funder % 6];
    const amount = BigInt(this.p.units) * UNIT;
    const r = await send(fx, m, t, () => fx.rewards.connect(funder).fundEvent(e.id, amount, { value: e.token === ETH ? amount : 0n, ...GAS }));
    expectOutcome(`fundEvent ${e.id}`, t < e.end ? "ok" : "revert", r);
    if (r.ok) {
      e.inAmt += amount;
      count("event funded");
    }
  }
}

/**
 * The publisher (or a stranger) posts an event root of 1–4 leaves: summing to the total ("exact"), above it
 * ("under": the total leaves one leaf out), or with a total beyond the pot ("overPot", refused).
 */
export class PublishEvent extends RewardsCommand<{
  ev: number;
  leaves: { acct: number; units: number }[];
  mode: "exact" | "under" | "overPot";
  byPublisher: boolean;
  when: number;
}> {
  readonly name = "publishEvent";
  protected timing(m: Model): Timing {
    const e = pick(m.events, this.p.ev);
    const last = e.publishDeadline - PARAMS.challengePeriod; // the last second a root can be posted
    return { natural: e.end, edges: [e.end - 1n, e.end, last, last + 1n] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const e = pick(m.events, this.p.ev);
    const tree = new EventTree(e.id, this.p.leaves.map((l) => ({ account: accountOf(fx, l.acct), amount: BigInt(l.units) * UNIT })));
    let total = tree.total;
    if (this.p.mode === "under" && tree.leaves.length > 1) total = tree.total - tree.leaves[0].amount; // leaves sum above the total
    if (this.p.mode === "overPot") total = e.inAmt + 1n;
    const current = e.roots.at(-1);
    const ok =
      this.p.byPublisher &&
      t >= e.end &&
      !e.settled &&
      (!current || current.vetoed) &&
      total <= e.inAmt &&
      t + PARAMS.challengePeriod <= e.publishDeadline;
    const who = this.p.byPublisher ? fx.publisher : fx.stranger;
    // Re-posting a root the event already had (vetoed) may be refused (EventBounties_RootInUse).
    const reposted = e.roots.some((x) => x.tree.root === tree.root);
    const r = await send(fx, m, t, () =>
      fx.rewards.connect(who).publishEventRoot(e.id, tree.root, total, tree.leaves.length, ethers.ZeroHash, GAS),
    );
    expectOutcome(`publishEventRoot ${e.id}`, ok ? (reposted ? "either" : "ok") : "revert", r);
    if (r.ok) {
      e.roots.push({ tree, total, claimableAt: t + PARAMS.challengePeriod, vetoed: false });
      count(total < tree.total ? "event root published (leaves > total)" : "event root published");
    }
  }
}

/** The brand or the guardian (or a stranger, refused) vetoes the current root in its challenge period. */
export class VetoEvent extends RewardsCommand<{ ev: number; by: number; when: number }> {
  readonly name = "vetoEvent";
  protected timing(m: Model): Timing {
    const r = currentEventRoot(pick(m.events, this.p.ev));
    return { edges: r ? [r.claimableAt - 1n, r.claimableAt] : [] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const e = pick(m.events, this.p.ev);
    const who = [signerOf(fx, e.brand), fx.guardian, fx.stranger][this.p.by];
    const r0 = e.roots.at(-1);
    const ok = this.p.by < 2 && r0 !== undefined && !r0.vetoed && t < r0.claimableAt;
    const r = await send(fx, m, t, () => fx.rewards.connect(who).vetoEventRoot(e.id, GAS));
    expectOutcome(`vetoEventRoot ${e.id}`, ok ? "ok" : "revert", r);
    if (r.ok) {
      r0!.vetoed = true;
      count("event root vetoed");
    }
  }
}

/** The claim instants of an event: its current root's claimableAt, and the edges of its claim window. */
export function eventClaimTiming(e: EventM): Timing {
  const r = currentEventRoot(e);
  return {
    natural: r?.claimableAt,
    edges: r ? [r.claimableAt - 1n, r.claimableAt, r.claimableAt + e.claimWindow - 1n, r.claimableAt + e.claimWindow] : [],
  };
}

/**
 * Claims one leaf (of the current root, or of a stale / vetoed one): triggered by anyone for the account
 * (mode 0), or by the account to itself (1) or to another address (2, maybe the ETH-rejecting contract).
 */
export class ClaimEvent extends RewardsCommand<{ ev: number; stale: number; leaf: number; mode: number; recipient: number; caller: number; when: number }> {
  readonly name = "claimEvent";
  check(m: Readonly<Model>): boolean {
    return pick(m.events, this.p.ev).roots.length > 0;
  }
  protected timing(m: Model): Timing {
    return eventClaimTiming(pick(m.events, this.p.ev));
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const e = pick(m.events, this.p.ev);
    const tree = eventTreeFor(e, this.p.stale)!;
    const index = this.p.leaf % tree.leaves.length;
    const leaf = tree.leaves[index];
    const proof = tree.proof(index);
    const rw = fx.rewards;
    let payee = leaf.account;
    let call: () => Promise<ContractTransactionResponse>;
    const caller = [...fx.users, fx.stranger][this.p.caller % 5];
    if (this.p.mode === 0) {
      call = () => rw.connect(caller).claimEvent(e.id, index, leaf.account, leaf.amount, proof, GAS);
    } else {
      payee = this.p.mode === 1 ? leaf.account : accountOf(fx, this.p.recipient);
      if (lc(leaf.account) === lc(fx.rejectingAddress)) {
        call = () => fx.rejecting.connect(caller).claimEventTo(fx.rewardsAddress, e.id, index, leaf.amount, payee, proof, GAS);
      } else {
        const acct = signerOf(fx, leaf.account);
        call = () => rw.connect(acct).claimEventTo(e.id, index, leaf.amount, payee, proof, GAS);
      }
    }
    const out = m.paused ? PAUSED : evalEventItem(m, e, tree, index, payee, t, new Overlay());
    const r = await send(fx, m, t, call);
    expectOutcome(`claimEvent ${e.id}#${index} (${describeOutcome(out)})`, out.kind === "pay" ? "ok" : "revert", r);
    if (r.ok) {
      bookLogs(m, t, r.logs);
      onePayout(r, "EventClaimed", payee);
    } else {
      count(`event claim reverted (${"why" in out ? out.why : out.kind})`);
    }
  }
}

/** The brand (or a stranger, refused) takes the pot back: after the publish deadline with no live root. */
export class RefundEvent extends RewardsCommand<{ ev: number; byBrand: boolean; when: number }> {
  readonly name = "refund";
  protected timing(m: Model): Timing {
    const e = pick(m.events, this.p.ev);
    return { natural: e.publishDeadline + 1n, edges: [e.publishDeadline, e.publishDeadline + 1n] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const e = pick(m.events, this.p.ev);
    const who = this.p.byBrand ? signerOf(fx, e.brand) : fx.stranger;
    const r0 = e.roots.at(-1);
    const ok = this.p.byBrand && !e.settled && t > e.publishDeadline && (!r0 || r0.vetoed);
    const r = await send(fx, m, t, () => fx.rewards.connect(who).refundEvent(e.id, GAS));
    expectOutcome(`refundEvent ${e.id}`, ok ? "ok" : "revert", r);
    if (r.ok) bookLogs(m, t, r.logs);
  }
}

/** The brand (or a stranger, refused) withdraws the unclaimed rest: from the end of the claim window. */
export class WithdrawUnclaimed extends RewardsCommand<{ ev: number; byBrand: boolean; when: number }> {
  readonly name = "withdrawUnclaimed";
  protected timing(m: Model): Timing {
    const e = pick(m.events, this.p.ev);
    const r = currentEventRoot(e);
    const natural = r ? r.claimableAt + e.claimWindow : undefined;
    return { natural, edges: natural !== undefined ? [natural - 1n, natural] : [] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const e = pick(m.events, this.p.ev);
    const who = this.p.byBrand ? signerOf(fx, e.brand) : fx.stranger;
    const r0 = currentEventRoot(e);
    const ok = this.p.byBrand && !e.settled && r0 !== undefined && t >= r0.claimableAt + e.claimWindow;
    const before = heldE(e);
    const r = await send(fx, m, t, () => fx.rewards.connect(who).withdrawUnclaimed(e.id, GAS));
    expectOutcome(`withdrawUnclaimed ${e.id} (holds ${before})`, ok ? "ok" : "revert", r);
    if (r.ok) bookLogs(m, t, r.logs);
  }
}

export const eventCommands = [
  {
    weight: 1,
    arbitrary: fc
      .record({ eth: fc.boolean(), brand: fc.nat(1), units: fc.integer({ min: 1, max: 30 }), end: fc.nat(EVENT_ENDS.length - 1), window: fc.nat(CLAIM_WINDOWS.length - 1) })
      .map((p) => new CreateEvent(p)),
  },
  {
    weight: 2,
    arbitrary: fc.record({ ev: fc.nat(9), funder: fc.nat(4), units: fc.integer({ min: 1, max: 10 }), when: whenArb }).map((p) => new FundEvent(p)),
  },
  {
    weight: 6,
    arbitrary: fc
      .record({
        ev: fc.nat(9),
        leaves: fc.array(fc.record({ acct: fc.nat(4), units: fc.integer({ min: 1, max: 8 }) }), { minLength: 1, maxLength: 4 }),
        mode: fc.constantFrom("exact" as const, "exact" as const, "exact" as const, "under" as const, "overPot" as const),
        byPublisher: byBrandArb,
        when: whenArb,
      })
      .map((p) => new PublishEvent(p)),
  },
  { weight: 2, arbitrary: fc.record({ ev: fc.nat(9), by: fc.nat(2), when: whenArb }).map((p) => new VetoEvent(p)) },
  {
    weight: 8,
    arbitrary: fc
      .record({
        ev: fc.nat(9),
        stale: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }),
        leaf: fc.nat(3),
        mode: fc.nat(2), // 0: anyone triggers claimEvent; 1: the account claims to itself; 2: to another address
        recipient: fc.nat(4), // 4 = the ETH-rejecting contract
        caller: fc.nat(4),
        when: whenArb,
      })
      .map((p) => new ClaimEvent(p)),
  },
  { weight: 1, arbitrary: fc.record({ ev: fc.nat(9), byBrand: byBrandArb, when: whenArb }).map((p) => new RefundEvent(p)) },
  { weight: 2, arbitrary: fc.record({ ev: fc.nat(9), byBrand: byBrandArb, when: whenArb }).map((p) => new WithdrawUnclaimed(p)) },
];
