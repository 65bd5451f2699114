/**
 * Event bounty actions: create, fund, publish a root, veto it, claim a leaf, refund, withdraw the rest.
 * Each demands the outcome the model predicts from the spec (invariants 6 and 7).
 */
import fc from "fast-check";
import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { ETH, eventTree } from "../../shared/fixtures";
import { CLAIM_WINDOWS, count, EVENT_ENDS, GAS, lc, MAX_EVENTS, UNIT } from "../config";
import { bookLogs, expectOutcome, onePayout, send } from "../chain";
import { accountOf, assetOf, type Fx, signerOf } from "../fixture";
import {
  clockAt,
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
  payoutFailure,
  unixOf,
} from "../model";
import { announcedTimeMatches } from "../invariants";
import { byBrandArb, pick, RewardsCommand, type Timing, whenArb } from "./base";

/** A leaf account: mostly one of the four users, now and then a hostile contract (4 rejects ETH, 5 burns gas, 6 bombs). */
export const leafAccountArb = fc.oneof({ weight: 2, arbitrary: fc.nat(3) }, { weight: 1, arbitrary: fc.integer({ min: 4, max: 6 }) });

/**
 * Where a brand sends its refund or withdrawal: itself, the other brand, the ETH-rejecting contract, the gas
 * burner, or address(0) (refused).
 */
export function exitRecipient(fx: Fx, brand: string, sel: number): string {
  const other = lc(brand) === lc(fx.brand.address) ? fx.brand2.address : fx.brand.address;
  return [brand, other, fx.rejectingAddress, fx.burnerAddress, ethers.ZeroAddress][sel];
}

/** Whether a brand exit of `amount` to `to` can go through (a non-zero address that accepts the payout). */
export function exitPayable(m: Model, token: string, to: string, amount: bigint): boolean {
  return to !== ethers.ZeroAddress && (amount === 0n || payoutFailure(m, token, to) === undefined);
}

/** ETH, the plain ERC-20, or (less often) the hook token. */
export const assetArb = fc.constantFrom(0, 0, 1, 1, 2);

export const exitToArb = fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) });

/** A brand creates an event (ETH or the ERC-20) starting now; a window below the current minimum is refused. */
export class CreateEvent extends RewardsCommand<{ asset: number; brand: number; units: number; end: number; window: number }> {
  readonly name = "createEvent";
  check(m: Readonly<Model>): boolean {
    return m.events.length < MAX_EVENTS;
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const brand = this.p.brand === 0 ? fx.brand : fx.brand2;
    const token = assetOf(fx, this.p.asset);
    const amount = BigInt(this.p.units) * UNIT;
    const end = t + EVENT_ENDS[this.p.end];
    const window = CLAIM_WINDOWS[this.p.window];
    const ok = window >= m.params.minClaimWindow;
    const r = await send(fx, m, t, () =>
      fx.rewards.connect(brand).createEvent(token, t, end, window, amount, "ipfs://e", { value: token === ETH ? amount : 0n, ...GAS }),
    );
    expectOutcome(`createEvent (window ${window}, minimum ${m.params.minClaimWindow})`, ok ? "ok" : "revert", r);
    if (!r.ok) return;
    const p = m.params;
    m.events.push(newEvent(BigInt(m.events.length + 1), token, brand.address, end, window, end + p.publishDeadline, p.challengePeriod, amount));
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
 * ("under": the total leaves one leaf out), or with a total beyond the pot ("overPot", refused). Allowed
 * while claims are paused; the claim window then starts counting at the unpause.
 */
export class PublishEvent extends RewardsCommand<{
  ev: number;
  leaves: { acct: number; units: number }[];
  mode: "exact" | "under" | "overPot";
  byPublisher: boolean;
  /** The guardian vetoes the root a second later (a bad root caught in its challenge period). */
  veto?: boolean;
  when: number;
}> {
  readonly name = "publishEvent";
  protected timing(m: Model): Timing {
    const e = pick(m.events, this.p.ev);
    const last = e.rootDeadline - e.challengePeriod; // the last second a root can be posted
    return { natural: e.end, edges: [e.end - 1n, e.end, last, last + 1n] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const e = pick(m.events, this.p.ev);
    const tree = eventTree(e.id, this.p.leaves.map((l) => ({ account: accountOf(fx, l.acct), amount: BigInt(l.units) * UNIT })));
    let total = tree.total;
    if (this.p.mode === "under" && tree.leaves.length > 1) total = tree.total - tree.leaves[0].amount; // leaves sum above the total
    if (this.p.mode === "overPot") total = e.inAmt + 1n;
    const current = e.roots.at(-1);
    // The event's own vetoed root can't be posted again (EventBounties_RootInUse).
    const reposted = current !== undefined && current.tree.root === tree.root;
    const ok =
      this.p.byPublisher &&
      t >= e.end &&
      !e.settled &&
      (!current || current.vetoed) &&
      !reposted &&
      total <= e.inAmt &&
      t + e.challengePeriod <= e.rootDeadline;
    const who = this.p.byPublisher ? fx.publisher : fx.stranger;
    const r = await send(fx, m, t, () =>
      fx.rewards.connect(who).publishEventRoot(e.id, tree.root, total, tree.leaves.length, ethers.ZeroHash, GAS),
    );
    expectOutcome(`publishEventRoot ${e.id}`, ok ? "ok" : "revert", r);
    if (r.ok) {
      announcedTimeMatches(`event ${e.id} root`, r.logs, "EventRootPosted", t + e.challengePeriod);
      const closesClock = clockAt(m, t) + e.challengePeriod + e.claimWindow;
      e.roots.push({ tree, total, claimableAt: t + e.challengePeriod, closesClock, vetoed: false });
      count(total < tree.total ? "event root published (leaves > total)" : "event root published");
      if (m.pause.paused) count("event root published while paused");
      if (this.p.veto) await new VetoEvent({ ev: m.events.indexOf(e), by: 1, when: 0 }).perform(m, fx, t + 1n);
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

/** The claim instants of an event: its current root's claimableAt, and the edges of its claim window as they stand now. */
export function eventClaimTiming(m: Model, e: EventM): Timing {
  const r = currentEventRoot(e);
  if (!r) return { edges: [] };
  const closes = unixOf(m, r.closesClock, m.t + 1n);
  return { natural: r.claimableAt, edges: [r.claimableAt - 1n, r.claimableAt, closes - 1n, closes] };
}

/**
 * Claims one leaf (of the current root, or of a stale / vetoed one): triggered by anyone for the account
 * (mode 0), or by the account to itself (1) or to another address (2, maybe a hostile one). A contract
 * account claims through its forwarding function.
 */
export class ClaimEvent extends RewardsCommand<{ ev: number; stale: number; leaf: number; mode: number; recipient: number; caller: number; when: number }> {
  readonly name = "claimEvent";
  check(m: Readonly<Model>): boolean {
    return pick(m.events, this.p.ev).roots.length > 0;
  }
  protected timing(m: Model): Timing {
    return eventClaimTiming(m, pick(m.events, this.p.ev));
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
      const account = lc(leaf.account);
      if (account === lc(fx.rejectingAddress)) {
        call = () => fx.rejecting.connect(caller).claimEventTo(fx.rewardsAddress, e.id, index, leaf.amount, payee, proof, GAS);
      } else if (account === lc(fx.burnerAddress) || account === lc(fx.bombAddress)) {
        const data = rw.interface.encodeFunctionData("claimEventTo", [e.id, index, leaf.amount, payee, proof]);
        const burner = account === lc(fx.burnerAddress) ? fx.burner : fx.bomb;
        call = () => burner.connect(caller).forward(fx.rewardsAddress, data, GAS);
      } else {
        call = () => rw.connect(signerOf(fx, leaf.account)).claimEventTo(e.id, index, leaf.amount, payee, proof, GAS);
      }
    }
    const out = m.pause.paused ? PAUSED : evalEventItem(m, e, tree, index, payee, t, new Overlay());
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

/** A refund attempt at `t` by the brand (or a stranger): after the root deadline with no root standing; works while paused. */
export async function tryRefund(m: Model, fx: Fx, t: bigint, e: EventM, byBrand: boolean, toSel: number): Promise<void> {
  const who = byBrand ? signerOf(fx, e.brand) : fx.stranger;
  const to = exitRecipient(fx, e.brand, toSel);
  const ok = byBrand && !e.settled && t > e.rootDeadline && currentEventRoot(e) === undefined && exitPayable(m, e.token, to, heldE(e));
  const r = await send(fx, m, t, () => fx.rewards.connect(who).refundEvent(e.id, to, GAS));
  expectOutcome(`refundEvent ${e.id} to ${to}${m.pause.paused ? " (paused)" : ""}`, ok ? "ok" : "revert", r);
  if (r.ok) {
    bookLogs(m, t, r.logs);
    if (m.pause.paused) count("event refunded while paused");
  }
}

/** A withdrawal attempt of the unclaimed rest at `t`: once the window is over on the claim clock, never while paused. */
export async function tryWithdrawUnclaimed(m: Model, fx: Fx, t: bigint, e: EventM, byBrand: boolean, toSel: number): Promise<void> {
  const who = byBrand ? signerOf(fx, e.brand) : fx.stranger;
  const to = exitRecipient(fx, e.brand, toSel);
  const r0 = currentEventRoot(e);
  const ok = byBrand && !m.pause.paused && !e.settled && r0 !== undefined && clockAt(m, t) >= r0.closesClock && exitPayable(m, e.token, to, heldE(e));
  const before = heldE(e);
  const r = await send(fx, m, t, () => fx.rewards.connect(who).withdrawUnclaimed(e.id, to, GAS));
  expectOutcome(`withdrawUnclaimed ${e.id} to ${to} (holds ${before}${m.pause.paused ? ", paused" : ""})`, ok ? "ok" : "revert", r);
  if (r.ok) bookLogs(m, t, r.logs);
  else if (m.pause.paused && byBrand && r0 !== undefined) count("event withdrawal refused while paused");
}

/** The Unix time the current root's window closes, as it stands at `t`. */
export function windowEnd(m: Model, e: EventM, t: bigint): bigint | undefined {
  const r = currentEventRoot(e);
  return r ? unixOf(m, r.closesClock, t) : undefined;
}

/** The brand (or a stranger, refused) takes the pot back, to an address it names. */
export class RefundEvent extends RewardsCommand<{ ev: number; byBrand: boolean; to: number; when: number }> {
  readonly name = "refund";
  protected timing(m: Model): Timing {
    const e = pick(m.events, this.p.ev);
    return { natural: e.rootDeadline + 1n, edges: [e.rootDeadline, e.rootDeadline + 1n] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    await tryRefund(m, fx, t, pick(m.events, this.p.ev), this.p.byBrand, this.p.to);
  }
}

/** The brand (or a stranger, refused) withdraws the unclaimed rest to an address it names. */
export class WithdrawUnclaimed extends RewardsCommand<{ ev: number; byBrand: boolean; to: number; when: number }> {
  readonly name = "withdrawUnclaimed";
  protected timing(m: Model): Timing {
    const natural = windowEnd(m, pick(m.events, this.p.ev), m.t + 1n);
    return { natural, edges: natural !== undefined ? [natural - 1n, natural] : [] };
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    await tryWithdrawUnclaimed(m, fx, t, pick(m.events, this.p.ev), this.p.byBrand, this.p.to);
  }
}

export const eventCommands = [
  {
    weight: 1,
    arbitrary: fc
      .record({
        asset: assetArb,
        brand: fc.nat(1),
        units: fc.integer({ min: 1, max: 30 }),
        end: fc.nat(EVENT_ENDS.length - 1),
        window: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.integer({ min: 1, max: CLAIM_WINDOWS.length - 1 }) }),
      })
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
        leaves: fc.array(fc.record({ acct: leafAccountArb, units: fc.integer({ min: 1, max: 8 }) }), { minLength: 1, maxLength: 4 }),
        mode: fc.constantFrom("exact" as const, "exact" as const, "exact" as const, "under" as const, "overPot" as const),
        byPublisher: byBrandArb,
        veto: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        when: whenArb,
      })
      .map((p) => new PublishEvent(p)),
  },
  { weight: 3, arbitrary: fc.record({ ev: fc.nat(9), by: fc.nat(2), when: whenArb }).map((p) => new VetoEvent(p)) },
  {
    weight: 6,
    arbitrary: fc
      .record({
        ev: fc.nat(9),
        stale: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }),
        leaf: fc.nat(3),
        mode: fc.nat(2), // 0: anyone triggers claimEvent; 1: the account claims to itself; 2: to another address
        recipient: leafAccountArb,
        caller: fc.nat(4),
        when: whenArb,
      })
      .map((p) => new ClaimEvent(p)),
  },
  { weight: 1, arbitrary: fc.record({ ev: fc.nat(9), byBrand: byBrandArb, to: exitToArb, when: whenArb }).map((p) => new RefundEvent(p)) },
  { weight: 2, arbitrary: fc.record({ ev: fc.nat(9), byBrand: byBrandArb, to: exitToArb, when: whenArb }).map((p) => new WithdrawUnclaimed(p)) },
];
