/**
 * Model-based invariant test (fast-check): random sequences of create / fund / publish / veto / claim /
 * batch claim / refund / withdraw unclaimed / rate change / close / channel withdraw / pause / time travel
 * over events and channels paid in ETH and in an ERC-20, with real Merkle trees. After every step the
 * invariants of test/contracts/README.md are checked against the chain.
 *
 * The model keeps its own ledger per campaign (what the test sent in, what the emitted events say went
 * out) and predicts each action's outcome from the spec: an action the model deems impossible must revert
 * and a clear-cut honest one must succeed with the predicted amount.
 *
 * Runs: INVARIANT_RUNS (default 200); INVARIANT_SEED / INVARIANT_PATH replay a failure.
 */
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse, Log, LogDescription } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { RejectingReceiver } from "../../../typechain-types";
import { ChannelTree, DAY, deployRewards, ETH, EventTree, HOUR, PARAMS, WAD } from "../shared/support";

/** Under solidity-coverage (instrumented, several times slower) the default drops to 30 runs. */
const COVERAGE = Boolean((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING);
const NUM_RUNS = Number(process.env.INVARIANT_RUNS ?? (COVERAGE ? 30 : 200));
const SEED = process.env.INVARIANT_SEED !== undefined ? Number(process.env.INVARIANT_SEED) : undefined;
const PATH = process.env.INVARIANT_PATH;
const DEBUG = process.env.INVARIANT_DEBUG === "1";
const MIN_STEPS = 12;
const MAX_STEPS = 28;

const UNIT = 10n ** 16n; // amounts are multiples of 0.01 token
const SCORE_STEP = 2n * WAD; // scores move in steps of 2 points (pools run dry now and then)
/** Channel rates (token wei per 1e18 score); odd and tiny ones exercise rounding. */
const RATES = [10n ** 16n, 3n * 10n ** 16n + 1n, 5n * 10n ** 15n, 7n];
const JUMPS = [60n, HOUR, 3n * HOUR, DAY, 3n * DAY, 8n * DAY];
const EVENT_ENDS = [HOUR, 6n * HOUR, DAY];
const CLAIM_WINDOWS = [DAY, 3n * DAY];
const MAX_EVENTS = 5;
const MAX_CHANNELS = 5;
const GAS = { gasLimit: 3_000_000 };

/* -------------------------------------------------------------------------------------------------- */
/*                                             fixture                                                */
/* -------------------------------------------------------------------------------------------------- */

async function fixture() {
  const d = await deployRewards();
  const rejecting = (await ethers.deployContract("RejectingReceiver")) as unknown as RejectingReceiver;
  const users = d.users.slice(0, 4);
  const stranger = d.users[4];
  const rewardsAddress = await d.rewards.getAddress();
  const tokenAddress = await d.token.getAddress();
  for (const u of [...users, stranger]) {
    await d.token.mint(u.address, 1_000_000n * WAD);
    await d.token.connect(u).approve(rewardsAddress, ethers.MaxUint256);
  }
  // Two events (ETH, ERC-20) and two channels (ETH, ERC-20) exist at the start of every run.
  const now = BigInt(await time.latest());
  await d.rewards.connect(d.brand).createEvent(ETH, now, now + HOUR, 2n * DAY, 20n * UNIT, "e1", { value: 20n * UNIT });
  await d.rewards.connect(d.brand2).createEvent(tokenAddress, now, now + 6n * HOUR, 3n * DAY, 20n * UNIT, "e2");
  await d.rewards.connect(d.brand).createChannel(ETH, RATES[0], 20n * UNIT, "c1", { value: 20n * UNIT });
  await d.rewards.connect(d.brand2).createChannel(tokenAddress, RATES[1], 20n * UNIT, "c2");
  const events = await Promise.all([1n, 2n].map((id) => d.rewards.getEventBounty(id)));
  const channels = await Promise.all([1n, 2n].map((id) => d.rewards.getChannel(id)));
  return {
    ...d,
    rejecting,
    users,
    stranger,
    rewardsAddress,
    tokenAddress,
    rejectingAddress: await rejecting.getAddress(),
    initial: {
      events: events.map((e, i) => ({ id: BigInt(i + 1), brand: e.brand, token: e.token, end: e.end, claimWindow: e.claimWindow, publishDeadline: e.publishDeadline, funded: e.funded })),
      channels: channels.map((c, i) => ({ id: BigInt(i + 1), brand: c.brand, token: c.token, rate: c.rate, balance: c.balance })),
    },
  };
}
type Fx = Awaited<ReturnType<typeof fixture>>;

/* -------------------------------------------------------------------------------------------------- */
/*                                               model                                                */
/* -------------------------------------------------------------------------------------------------- */

interface EventRootM {
  tree: EventTree;
  total: bigint;
  claimableAt: bigint;
  vetoed: boolean;
}

interface EventM {
  id: bigint;
  token: string;
  brand: string;
  end: bigint;
  claimWindow: bigint;
  publishDeadline: bigint;
  inAmt: bigint;
  outAmt: bigint;
  claimedSum: bigint;
  roots: EventRootM[]; // every root posted, the last one is current
  settled: boolean;
  paid: Set<number>;
  paidTo: Map<string, bigint>;
}

interface ChannelRootM {
  tree: ChannelTree;
  epoch: bigint;
  claimableAt: bigint;
  vetoed: boolean;
}

interface ChannelM {
  id: bigint;
  token: string;
  brand: string;
  rate: bigint;
  pendingRate: bigint;
  rateEffectiveAt: bigint;
  closesAt: bigint;
  withdrawn: boolean;
  inAmt: bigint;
  outAmt: bigint;
  lastEpoch: bigint;
  live?: ChannelRootM;
  pending?: ChannelRootM;
  history: ChannelRootM[];
  converted: Map<string, bigint>;
  latestScore: Map<string, bigint>;
  maxLiveScore: Map<string, bigint>;
  maxRatePaid: bigint;
  paidTo: Map<string, bigint>;
}

interface Model {
  events: EventM[];
  channels: ChannelM[];
  paused: boolean;
  t: bigint; // timestamp of the last block the model scheduled
}

const stats: Record<string, number> = {};
function count(key: string): void {
  stats[key] = (stats[key] ?? 0) + 1;
}

const lc = (a: string) => a.toLowerCase();
function addTo(map: Map<string, bigint>, key: string, v: bigint): void {
  map.set(lc(key), (map.get(lc(key)) ?? 0n) + v);
}
function getOr0(map: Map<string, bigint>, key: string): bigint {
  return map.get(lc(key)) ?? 0n;
}

function initModel(fx: Fx): Model {
  return {
    events: fx.initial.events.map((e) => newEvent(e.id, e.token, e.brand, e.end, e.claimWindow, e.publishDeadline, e.funded)),
    channels: fx.initial.channels.map((c) => newChannel(c.id, c.token, c.brand, c.rate, c.balance)),
    paused: false,
    t: 0n,
  };
}

function newEvent(id: bigint, token: string, brand: string, end: bigint, claimWindow: bigint, publishDeadline: bigint, funded: bigint): EventM {
  return {
    id, token, brand, end, claimWindow, publishDeadline,
    inAmt: funded, outAmt: 0n, claimedSum: 0n, roots: [], settled: false, paid: new Set(), paidTo: new Map(),
  };
}

function newChannel(id: bigint, token: string, brand: string, rate: bigint, funded: bigint): ChannelM {
  return {
    id, token, brand, rate, pendingRate: 0n, rateEffectiveAt: 0n, closesAt: 0n, withdrawn: false,
    inAmt: funded, outAmt: 0n, lastEpoch: 0n, history: [],
    converted: new Map(), latestScore: new Map(), maxLiveScore: new Map(), maxRatePaid: 0n, paidTo: new Map(),
  };
}

/** The current (latest) event root if it is live at `t`. */
function liveEventRoot(e: EventM, t: bigint): EventRootM | undefined {
  const r = e.roots.at(-1);
  return r && !r.vetoed && t >= r.claimableAt ? r : undefined;
}

/** A pending channel root past its challenge period becomes the live one. */
function promote(c: ChannelM, t: bigint): void {
  if (c.pending && !c.pending.vetoed && t >= c.pending.claimableAt) {
    c.live = c.pending;
    c.pending = undefined;
    for (const l of c.live.tree.leaves) {
      if (l.score > getOr0(c.maxLiveScore, l.account)) c.maxLiveScore.set(lc(l.account), l.score);
    }
  }
}

function rateAt(c: ChannelM, t: bigint): bigint {
  return c.pendingRate !== 0n && t >= c.rateEffectiveAt ? c.pendingRate : c.rate;
}

/* -------------------------------------------------------------------------------------------------- */
/*                                            predictions                                             */
/* -------------------------------------------------------------------------------------------------- */

/** Changes a batch made so far, on top of the model (so items can be evaluated in order). */
class Overlay {
  paid = new Set<string>();
  claimed = new Map<bigint, bigint>();
  converted = new Map<string, bigint>();
  channelOut = new Map<bigint, bigint>();
}

type ItemOutcome =
  | { kind: "hard"; why: string }
  | { kind: "skip"; reason: number; why: string }
  | { kind: "pay"; amount: bigint; scoreConverted?: bigint }
  /** Already claimed and otherwise a hard failure: the spec does not order the checks, so a batch may skip or revert. */
  | { kind: "skipOrHard"; why: string };

function evalEventItem(
  m: Model,
  fx: Fx,
  e: EventM,
  tree: EventTree,
  index: number,
  payee: string,
  t: bigint,
  o: Overlay,
): ItemOutcome {
  const r = e.roots.at(-1);
  const alreadyPaid = e.paid.has(index) || o.paid.has(`${e.id}:${index}`);
  const hard = (why: string): ItemOutcome => (alreadyPaid ? { kind: "skipOrHard", why: `already claimed; ${why}` } : { kind: "hard", why });
  if (!r || r.vetoed) return hard("no live root");
  if (t < r.claimableAt) return hard("root in challenge");
  if (t >= r.claimableAt + e.claimWindow) return hard("claim window closed");
  if (tree.root !== r.tree.root) return hard("proof for another root");
  if (alreadyPaid) return { kind: "skip", reason: 0, why: "already claimed" };
  const amount = tree.leaves[index].amount;
  const claimed = e.claimedSum + (o.claimed.get(e.id) ?? 0n);
  if (claimed + amount > r.total) return { kind: "skip", reason: 1, why: "exceeds total" };
  if (e.token === ETH && lc(payee) === lc(fx.rejectingAddress)) return { kind: "skip", reason: 2, why: "receiver rejects ETH" };
  return { kind: "pay", amount };
}

function evalChannelItem(
  m: Model,
  fx: Fx,
  c: ChannelM,
  tree: ChannelTree,
  account: string,
  payee: string,
  t: bigint,
  o: Overlay,
): ItemOutcome {
  if (c.closesAt !== 0n && t >= c.closesAt) return { kind: "hard", why: "channel closed" };
  if (!c.live) return { kind: "hard", why: "no live root" };
  if (tree.root !== c.live.tree.root) return { kind: "hard", why: "proof for another root" };
  const cum = tree.score(account);
  const conv = getOr0(c.converted, account) + (o.converted.get(`${c.id}:${lc(account)}`) ?? 0n);
  if (cum <= conv) return { kind: "skip", reason: 0, why: "nothing owed" };
  const owed = cum - conv;
  const rate = rateAt(c, t);
  const full = (owed * rate) / WAD;
  if (full === 0n) return { kind: "skip", reason: 0, why: "owed worth < 1 wei" };
  const balance = c.inAmt - c.outAmt - (o.channelOut.get(c.id) ?? 0n);
  if (balance === 0n) return { kind: "skip", reason: 1, why: "pool empty" };
  if (c.token === ETH && lc(payee) === lc(fx.rejectingAddress)) return { kind: "skip", reason: 2, why: "receiver rejects ETH" };
  if (full <= balance) return { kind: "pay", amount: full, scoreConverted: owed };
  // The pool runs short: it converts only the score it can pay for, ⌊balance·1e18/rate⌋, and pays that
  // score's value rounded down (never more than it holds); the rest stays claimable.
  const score = (balance * WAD) / rate;
  const amount = (score * rate) / WAD;
  if (amount === 0n) return { kind: "skip", reason: 1, why: "pool holds less than 1 wei of score" };
  return { kind: "pay", amount, scoreConverted: score };
}

/* -------------------------------------------------------------------------------------------------- */
/*                                        chain interaction                                           */
/* -------------------------------------------------------------------------------------------------- */

interface Sent {
  ok: boolean;
  logs: LogDescription[];
  error?: string;
}

async function send(fx: Fx, m: Model, t: bigint, call: () => Promise<ContractTransactionResponse>): Promise<Sent> {
  await time.setNextBlockTimestamp(t);
  m.t = t;
  try {
    const tx = await call();
    const rc = await tx.wait();
    if (DEBUG) console.log(`      tx at ${t} mined at ${(await ethers.provider.getBlock(rc!.blockNumber))!.timestamp}`);
    const logs: LogDescription[] = [];
    for (const log of (rc?.logs ?? []) as Log[]) {
      if (lc(log.address) !== lc(fx.rewardsAddress)) continue;
      const parsed = fx.rewards.interface.parseLog(log);
      if (parsed) logs.push(parsed);
    }
    if (DEBUG) console.log(`      ok: ${logs.map((l) => `${l.name}(${l.args.map(String).join(", ")})`).join(" ")}`);
    return { ok: true, logs };
  } catch (err) {
    if (DEBUG) console.log(`      reverted: ${describeError(fx, err)}`);
    return { ok: false, logs: [], error: describeError(fx, err) };
  }
}

function describeError(fx: Fx, err: unknown): string {
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

function expectOutcome(what: string, expected: "ok" | "revert" | "either", r: Sent): void {
  if (expected === "ok" && !r.ok) throw new Error(`${what}: expected success, reverted with ${r.error}`);
  if (expected === "revert" && r.ok) throw new Error(`${what}: expected a revert, but it succeeded`);
}

/**
 * Applies the logs of a successful transaction to the model, checking every payout against the safety
 * invariants: a leaf of the live root, paid once, for its amount, within the root's total; channel payouts
 * within the converted score at the current rate, never beyond the pool.
 */
function applyLogs(fx: Fx, m: Model, t: bigint, logs: LogDescription[]): void {
  for (const log of logs) {
    switch (log.name) {
      case "EventClaimed": {
        const [id, index, account, , amount] = log.args as unknown as [bigint, bigint, string, string, bigint];
        const e = m.events[Number(id) - 1];
        const r = liveEventRoot(e, t);
        expect(r, `event ${id} paid without a live root`).to.not.equal(undefined);
        expect(t < r!.claimableAt + e.claimWindow, `event ${id} paid after its claim window`).to.equal(true);
        const i = Number(index);
        expect(e.paid.has(i), `event ${id} leaf ${i} paid twice`).to.equal(false);
        const leaf = r!.tree.leaves[i];
        expect(leaf, `event ${id} paid index ${i} that is not a leaf of the live root`).to.not.equal(undefined);
        expect(lc(account)).to.equal(lc(leaf.account), `event ${id} leaf ${i} paid for another account`);
        expect(amount).to.equal(leaf.amount, `event ${id} leaf ${i} paid a different amount`);
        expect(e.claimedSum + amount <= r!.total, `event ${id} paid beyond its root's total`).to.equal(true);
        e.paid.add(i);
        e.claimedSum += amount;
        e.outAmt += amount;
        addTo(e.paidTo, account, amount);
        count("event claim paid");
        break;
      }
      case "EventRefunded": {
        const [id, , amount] = log.args as unknown as [bigint, string, bigint];
        const e = m.events[Number(id) - 1];
        expect(amount).to.equal(e.inAmt - e.outAmt, `event ${id} refund is not the whole pot`);
        e.outAmt += amount;
        e.settled = true;
        count("event refunded");
        break;
      }
      case "EventUnclaimedWithdrawn": {
        const [id, , amount] = log.args as unknown as [bigint, string, bigint];
        const e = m.events[Number(id) - 1];
        expect(amount).to.equal(e.inAmt - e.outAmt, `event ${id} withdrawal is not the unclaimed rest`);
        e.outAmt += amount;
        e.settled = true;
        count("event unclaimed withdrawn");
        break;
      }
      case "ChannelClaimed": {
        const [id, account, , scoreConverted, amount, scoreLeft] = log.args as unknown as [bigint, string, string, bigint, bigint, bigint];
        const c = m.channels[Number(id) - 1];
        promote(c, t);
        expect(c.live, `channel ${id} paid without a live root`).to.not.equal(undefined);
        expect(c.closesAt === 0n || t < c.closesAt, `channel ${id} paid after its close`).to.equal(true);
        const cum = c.live!.tree.score(account);
        const conv = getOr0(c.converted, account);
        const rate = rateAt(c, t);
        const balance = c.inAmt - c.outAmt;
        expect(scoreConverted > 0n && scoreConverted <= cum - conv, `channel ${id} converted beyond the leaf's score`).to.equal(true);
        expect(scoreLeft).to.equal(cum - conv - scoreConverted, `channel ${id} scoreLeft`);
        expect(amount <= balance, `channel ${id} paid beyond its pool`).to.equal(true);
        expect(amount * WAD <= scoreConverted * rate, `channel ${id} paid ${amount} for score ${scoreConverted} at rate ${rate}`).to.equal(true);
        if (scoreConverted < cum - conv) {
          // A partial payment happens only when the pool runs dry: it pays (almost) everything it holds.
          const dust = rate / WAD + 1n;
          expect(amount + dust >= balance, `channel ${id} stopped short: paid ${amount} of ${balance}`).to.equal(true);
          count("channel claim partial");
        }
        c.converted.set(lc(account), conv + scoreConverted);
        c.outAmt += amount;
        addTo(c.paidTo, account, amount);
        if (rate > c.maxRatePaid) c.maxRatePaid = rate;
        count("channel claim paid");
        break;
      }
      case "ChannelWithdrawn": {
        const [id, , amount] = log.args as unknown as [bigint, string, bigint];
        const c = m.channels[Number(id) - 1];
        expect(amount).to.equal(c.inAmt - c.outAmt, `channel ${id} withdrawal is not the rest`);
        c.outAmt += amount;
        c.withdrawn = true;
        count("channel withdrawn");
        break;
      }
      case "BatchItemSkipped":
        count("batch item skipped");
        break;
      default:
        break;
    }
  }
}

/* -------------------------------------------------------------------------------------------------- */
/*                                               actions                                              */
/* -------------------------------------------------------------------------------------------------- */

const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length];
const byBrandArb = fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
/**
 * When an action runs: 0 now; 1 after waiting for what it needs (the event's end before a publish, a pending
 * root's claimableAt before a claim, the deadline before a refund...); 2–5 on one of its boundaries, to the
 * second (e.g. a claim at claimableAt − 1, claimableAt, window end − 1, window end). Never back in time.
 */
const whenArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(1) },
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.integer({ min: 2, max: 5 }) },
);

const actionArb = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("time" as const), jump: fc.nat(JUMPS.length - 1) }) },
  {
    // Jump so that the next transaction lands on (or next to) a boundary the model knows about: an event's
    // end, a root's claimableAt, a claim window's end, a publish deadline, a rate's effective time, a close.
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("timeToBoundary" as const),
      which: fc.nat(7),
      offset: fc.constantFrom(-1n, 0n, 0n, 1n, 1n, 60n),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("createEvent" as const),
      eth: fc.boolean(),
      brand: fc.nat(1),
      units: fc.integer({ min: 1, max: 30 }),
      end: fc.nat(EVENT_ENDS.length - 1),
      window: fc.nat(CLAIM_WINDOWS.length - 1),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("createChannel" as const),
      eth: fc.boolean(),
      brand: fc.nat(1),
      units: fc.integer({ min: 0, max: 30 }),
      rate: fc.nat(RATES.length - 1),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("fundEvent" as const), ev: fc.nat(9), funder: fc.nat(4), units: fc.integer({ min: 1, max: 10 }), when: whenArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("fundChannel" as const), ch: fc.nat(9), funder: fc.nat(4), units: fc.integer({ min: 1, max: 10 }) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("publishEvent" as const),
      ev: fc.nat(9),
      leaves: fc.array(fc.record({ acct: fc.nat(4), units: fc.integer({ min: 1, max: 8 }) }), { minLength: 1, maxLength: 4 }),
      mode: fc.constantFrom("exact", "exact", "exact", "under", "overPot"),
      byPublisher: byBrandArb,
      when: whenArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("vetoEvent" as const), ev: fc.nat(9), by: fc.nat(2), when: whenArb }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("claimEvent" as const),
      ev: fc.nat(9),
      stale: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }),
      leaf: fc.nat(3),
      mode: fc.nat(2), // 0: anyone triggers claimEvent; 1: the account claims to itself; 2: to another address
      recipient: fc.nat(4), // 4 = the ETH-rejecting contract
      caller: fc.nat(4),
      when: whenArb,
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("batch" as const),
      caller: fc.nat(3),
      events: fc.array(fc.record({ ev: fc.nat(9), stale: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }), leaf: fc.nat(3) }), { maxLength: 4 }),
      channels: fc.array(fc.record({ ch: fc.nat(9), sel: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }) }), { maxLength: 2 }),
      when: whenArb,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("refund" as const), ev: fc.nat(9), byBrand: byBrandArb, when: whenArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("withdrawUnclaimed" as const), ev: fc.nat(9), byBrand: byBrandArb, when: whenArb }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("publishChannel" as const),
      ch: fc.nat(9),
      epoch: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }), // 0 next, 1 skip one, 2 replay, 3 older
      incs: fc.array(fc.option(fc.nat(4), { nil: undefined }), { minLength: 4, maxLength: 4 }),
      decrease: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      byPublisher: byBrandArb,
      when: whenArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("vetoChannel" as const), ch: fc.nat(9), by: fc.nat(2), when: whenArb }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("claimChannel" as const),
      ch: fc.nat(9),
      user: fc.nat(3),
      sel: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }), // 0 live, 1 pending, 2+ history
      to: fc.nat(3), // 0: claimChannel; 1: to another user; 2: to the rejecting contract; 3: to itself via claimChannelTo
      when: whenArb,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("rateChange" as const), ch: fc.nat(9), rate: fc.nat(RATES.length - 1), byBrand: byBrandArb, when: whenArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("close" as const), ch: fc.nat(9), byBrand: byBrandArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("withdrawChannel" as const), ch: fc.nat(9), byBrand: byBrandArb, when: whenArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("pause" as const), paused: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 2, arbitrary: fc.constant(false) }) }) },
);
type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;

function signerOf(fx: Fx, address: string): HardhatEthersSigner {
  const all = [fx.admin, fx.publisher, fx.guardian, fx.brand, fx.brand2, ...fx.users, fx.stranger];
  const s = all.find((x) => lc(x.address) === lc(address));
  if (!s) throw new Error(`no signer for ${address}`);
  return s;
}

/** Event leaf accounts: the four users, and (index 4) the ETH-rejecting contract. */
function accountOf(fx: Fx, i: number): string {
  return i < 4 ? fx.users[i].address : fx.rejectingAddress;
}

function eventTreeFor(e: EventM, stale: number): EventTree | undefined {
  if (e.roots.length === 0) return undefined;
  return e.roots[Math.max(0, e.roots.length - 1 - stale)].tree;
}

function channelTreeFor(c: ChannelM, sel: number): ChannelTree | undefined {
  if (sel === 0) return (c.live ?? c.pending ?? c.history.at(-1))?.tree;
  if (sel === 1) return (c.pending ?? c.live)?.tree;
  return c.history.length ? c.history[(sel - 2) % c.history.length].tree : undefined;
}

/** The time an action runs at (see {@link whenArb}); never earlier than `t`. */
function actionTime(m: Model, a: Action, t: bigint): bigint {
  if (!("when" in a) || a.when === 0) return t;
  const eventRoot = (e: EventM) => {
    const r = e.roots.at(-1);
    return r && !r.vetoed ? r : undefined;
  };
  const pendingOf = (c: ChannelM) => (c.pending && !c.pending.vetoed ? c.pending : undefined);
  let natural: bigint | undefined;
  let edges: (bigint | undefined)[] = [];
  const eventClaimTimes = (e: EventM) => {
    const r = eventRoot(e);
    natural = r?.claimableAt;
    edges = r ? [r.claimableAt - 1n, r.claimableAt, r.claimableAt + e.claimWindow - 1n, r.claimableAt + e.claimWindow] : [];
  };
  const channelClaimTimes = (c: ChannelM) => {
    const p = pendingOf(c);
    natural = p?.claimableAt;
    edges = [
      p?.claimableAt,
      c.pendingRate !== 0n ? c.rateEffectiveAt : undefined,
      c.closesAt !== 0n ? c.closesAt - 1n : undefined,
      c.closesAt !== 0n ? c.closesAt : undefined,
    ];
  };
  switch (a.kind) {
    case "publishEvent": {
      const e = pick(m.events, a.ev);
      const last = e.publishDeadline - PARAMS.challengePeriod; // the last second a root can be posted
      natural = e.end;
      edges = [e.end - 1n, e.end, last, last + 1n];
      break;
    }
    case "fundEvent": {
      const e = pick(m.events, a.ev);
      edges = [e.end - 1n, e.end];
      break;
    }
    case "vetoEvent": {
      const r = eventRoot(pick(m.events, a.ev));
      edges = r ? [r.claimableAt - 1n, r.claimableAt] : [];
      break;
    }
    case "claimEvent":
      eventClaimTimes(pick(m.events, a.ev));
      break;
    case "batch":
      if (a.events.length) eventClaimTimes(pick(m.events, a.events[0].ev));
      else if (a.channels.length) channelClaimTimes(pick(m.channels, a.channels[0].ch));
      break;
    case "refund": {
      const e = pick(m.events, a.ev);
      natural = e.publishDeadline + 1n;
      edges = [e.publishDeadline, e.publishDeadline + 1n];
      break;
    }
    case "withdrawUnclaimed": {
      const e = pick(m.events, a.ev);
      const r = eventRoot(e);
      natural = r ? r.claimableAt + e.claimWindow : undefined;
      edges = natural !== undefined ? [natural - 1n, natural] : [];
      break;
    }
    case "publishChannel":
    case "vetoChannel": {
      const p = pendingOf(pick(m.channels, a.ch));
      edges = p ? [p.claimableAt - 1n, p.claimableAt] : [];
      break;
    }
    case "claimChannel":
      channelClaimTimes(pick(m.channels, a.ch));
      break;
    case "withdrawChannel": {
      const c = pick(m.channels, a.ch);
      natural = c.closesAt !== 0n ? c.closesAt : undefined;
      edges = natural !== undefined ? [natural - 1n, natural] : [];
      break;
    }
    case "rateChange": {
      // Announce again once (or just before) the pending rate took effect.
      const c = pick(m.channels, a.ch);
      natural = c.pendingRate !== 0n ? c.rateEffectiveAt : undefined;
      edges = natural !== undefined ? [natural - 1n, natural] : [];
      break;
    }
    default:
      break;
  }
  const defined = edges.filter((x): x is bigint => x !== undefined);
  const target = a.when === 1 ? natural : defined.length ? defined[(a.when - 2) % defined.length] : undefined;
  return target !== undefined && target > t ? target : t;
}

async function step(fx: Fx, m: Model, a: Action): Promise<void> {
  const t = actionTime(m, a, m.t + 1n);
  m.t = t - 1n; // model time never goes back, even if this action ends up sending nothing
  for (const c of m.channels) promote(c, t);
  const rw = fx.rewards;

  switch (a.kind) {
    case "time": {
      m.t += JUMPS[a.jump];
      return;
    }

    case "timeToBoundary": {
      const boundaries: bigint[] = [];
      for (const e of m.events) {
        const r = e.roots.at(-1);
        boundaries.push(e.end, e.publishDeadline + 1n);
        if (r && !r.vetoed) boundaries.push(r.claimableAt, r.claimableAt + e.claimWindow);
      }
      for (const c of m.channels) {
        if (c.pending && !c.pending.vetoed) boundaries.push(c.pending.claimableAt);
        if (c.pendingRate !== 0n) boundaries.push(c.rateEffectiveAt);
        if (c.closesAt !== 0n) boundaries.push(c.closesAt);
      }
      const future = [...new Set(boundaries.map((b) => b + a.offset))].filter((b) => b > t).sort((x, y) => (x < y ? -1 : 1));
      if (future.length === 0) return;
      // Mostly the nearest boundaries, so sequences move through a campaign's life in order.
      m.t = future[a.which % Math.min(future.length, 3)] - 1n;
      count("time to boundary");
      return;
    }

    case "createEvent": {
      if (m.events.length >= MAX_EVENTS) return;
      const brand = a.brand === 0 ? fx.brand : fx.brand2;
      const token = a.eth ? ETH : fx.tokenAddress;
      const amount = BigInt(a.units) * UNIT;
      const end = t + EVENT_ENDS[a.end];
      const window = CLAIM_WINDOWS[a.window];
      const r = await send(fx, m, t, () =>
        rw.connect(brand).createEvent(token, t, end, window, amount, "ipfs://e", { value: a.eth ? amount : 0n, ...GAS }),
      );
      expectOutcome("createEvent", "ok", r);
      m.events.push(newEvent(BigInt(m.events.length + 1), token, brand.address, end, window, end + PARAMS.publishDeadline, amount));
      count("event created");
      return;
    }

    case "createChannel": {
      if (m.channels.length >= MAX_CHANNELS) return;
      const brand = a.brand === 0 ? fx.brand : fx.brand2;
      const token = a.eth ? ETH : fx.tokenAddress;
      const amount = BigInt(a.units) * UNIT;
      const r = await send(fx, m, t, () =>
        rw.connect(brand).createChannel(token, RATES[a.rate], amount, "ipfs://c", { value: a.eth ? amount : 0n, ...GAS }),
      );
      expectOutcome("createChannel", "ok", r);
      m.channels.push(newChannel(BigInt(m.channels.length + 1), token, brand.address, RATES[a.rate], amount));
      count("channel created");
      return;
    }

    case "fundEvent": {
      const e = pick(m.events, a.ev);
      const funder = [fx.brand, fx.brand2, ...fx.users][a.funder % 6];
      const amount = BigInt(a.units) * UNIT;
      const expected = t < e.end ? "ok" : "revert";
      const r = await send(fx, m, t, () => rw.connect(funder).fundEvent(e.id, amount, { value: e.token === ETH ? amount : 0n, ...GAS }));
      expectOutcome(`fundEvent ${e.id}`, expected, r);
      if (r.ok) {
        e.inAmt += amount;
        count("event funded");
      }
      return;
    }

    case "fundChannel": {
      const c = pick(m.channels, a.ch);
      const funder = [fx.brand, fx.brand2, ...fx.users][a.funder % 6];
      const amount = BigInt(a.units) * UNIT;
      const expected = c.closesAt === 0n ? "ok" : "revert";
      const r = await send(fx, m, t, () => rw.connect(funder).fundChannel(c.id, amount, { value: c.token === ETH ? amount : 0n, ...GAS }));
      expectOutcome(`fundChannel ${c.id}`, expected, r);
      if (r.ok) {
        c.inAmt += amount;
        count("channel funded");
      }
      return;
    }

    case "publishEvent": {
      const e = pick(m.events, a.ev);
      const tree = new EventTree(e.id, a.leaves.map((l) => ({ account: accountOf(fx, l.acct), amount: BigInt(l.units) * UNIT })));
      let total = tree.total;
      if (a.mode === "under" && tree.leaves.length > 1) total = tree.total - tree.leaves[0].amount; // leaves sum above the total
      if (a.mode === "overPot") total = e.inAmt + 1n;
      const current = e.roots.at(-1);
      const ok =
        a.byPublisher &&
        t >= e.end &&
        !e.settled &&
        (!current || current.vetoed) &&
        total <= e.inAmt &&
        t + PARAMS.challengePeriod <= e.publishDeadline;
      const who = a.byPublisher ? fx.publisher : fx.stranger;
      // Re-posting a root the event already had (vetoed) may be refused (EventBounties_RootInUse).
      const reposted = e.roots.some((x) => x.tree.root === tree.root);
      const r = await send(fx, m, t, () =>
        rw.connect(who).publishEventRoot(e.id, tree.root, total, tree.leaves.length, ethers.ZeroHash, GAS),
      );
      expectOutcome(`publishEventRoot ${e.id}`, ok ? (reposted ? "either" : "ok") : "revert", r);
      if (r.ok) {
        e.roots.push({ tree, total, claimableAt: t + PARAMS.challengePeriod, vetoed: false });
        count(total < tree.total ? "event root published (leaves > total)" : "event root published");
      }
      return;
    }

    case "vetoEvent": {
      const e = pick(m.events, a.ev);
      const who = [signerOf(fx, e.brand), fx.guardian, fx.stranger][a.by];
      const r0 = e.roots.at(-1);
      const ok = a.by < 2 && r0 !== undefined && !r0.vetoed && t < r0.claimableAt;
      const r = await send(fx, m, t, () => rw.connect(who).vetoEventRoot(e.id, GAS));
      expectOutcome(`vetoEventRoot ${e.id}`, ok ? "ok" : "revert", r);
      if (r.ok) {
        r0!.vetoed = true;
        count("event root vetoed");
      }
      return;
    }

    case "claimEvent": {
      const e = pick(m.events, a.ev);
      const tree = eventTreeFor(e, a.stale);
      if (!tree) return;
      const index = a.leaf % tree.leaves.length;
      const leaf = tree.leaves[index];
      const proof = tree.proof(index);
      const isRejecting = lc(leaf.account) === lc(fx.rejectingAddress);
      let payee = leaf.account;
      let call: () => Promise<ContractTransactionResponse>;
      const caller = [...fx.users, fx.stranger][a.caller % 5];
      if (a.mode === 0) {
        call = () => rw.connect(caller).claimEvent(e.id, index, leaf.account, leaf.amount, proof, GAS);
      } else {
        payee = a.mode === 1 ? leaf.account : accountOf(fx, a.recipient);
        if (isRejecting) {
          call = () => fx.rejecting.connect(caller).claimEventTo(fx.rewardsAddress, e.id, index, leaf.amount, payee, proof, GAS);
        } else {
          const acct = signerOf(fx, leaf.account);
          call = () => rw.connect(acct).claimEventTo(e.id, index, leaf.amount, payee, proof, GAS);
        }
      }
      const out = m.paused ? ({ kind: "hard", why: "paused" } as ItemOutcome) : evalEventItem(m, fx, e, tree, index, payee, t, new Overlay());
      const r = await send(fx, m, t, call);
      expectOutcome(`claimEvent ${e.id}#${index} (${out.kind}${"why" in out ? `: ${out.why}` : ""})`, out.kind === "pay" ? "ok" : "revert", r);
      if (r.ok) {
        applyLogs(fx, m, t, r.logs);
        const paid = r.logs.filter((l) => l.name === "EventClaimed");
        expect(paid.length).to.equal(1);
        expect(lc(paid[0].args[3] as string)).to.equal(lc(payee), "event claim paid another recipient");
      } else {
        count(`event claim reverted (${"why" in out ? out.why : out.kind})`);
      }
      return;
    }

    case "batch": {
      const caller = fx.users[a.caller];
      const o = new Overlay();
      const eventItems: { eventId: bigint; index: bigint; account: string; amount: bigint; proof: string[] }[] = [];
      const channelItems: { channelId: bigint; cumulativeScore: bigint; proof: string[] }[] = [];
      const expected: ItemOutcome[] = [];
      const expectedKinds: string[] = [];
      for (const it of a.events) {
        const e = pick(m.events, it.ev);
        const tree = eventTreeFor(e, it.stale);
        if (!tree) continue;
        const index = it.leaf % tree.leaves.length;
        eventItems.push(tree.item(index));
        const out = m.paused ? ({ kind: "hard", why: "paused" } as ItemOutcome) : evalEventItem(m, fx, e, tree, index, tree.leaves[index].account, t, o);
        if (out.kind === "pay") {
          o.paid.add(`${e.id}:${index}`);
          o.claimed.set(e.id, (o.claimed.get(e.id) ?? 0n) + out.amount);
        }
        expected.push(out);
        expectedKinds.push(`event ${e.id}#${index}`);
      }
      for (const it of a.channels) {
        const c = pick(m.channels, it.ch);
        const tree = channelTreeFor(c, it.sel);
        if (!tree || !tree.leaves.some((l) => lc(l.account) === lc(caller.address))) continue;
        channelItems.push(tree.item(caller.address));
        const out = m.paused ? ({ kind: "hard", why: "paused" } as ItemOutcome) : evalChannelItem(m, fx, c, tree, caller.address, caller.address, t, o);
        if (out.kind === "pay") {
          const key = `${c.id}:${lc(caller.address)}`;
          o.converted.set(key, (o.converted.get(key) ?? 0n) + out.scoreConverted!);
          o.channelOut.set(c.id, (o.channelOut.get(c.id) ?? 0n) + out.amount);
        }
        expected.push(out);
        expectedKinds.push(`channel ${c.id}`);
      }
      if (eventItems.length + channelItems.length === 0) return;
      const anyHard = expected.some((x) => x.kind === "hard");
      const anyEither = expected.some((x) => x.kind === "skipOrHard");
      const r = await send(fx, m, t, () => rw.connect(caller).batchClaim(eventItems, channelItems, GAS));
      const desc = expected.map((x, i) => `${expectedKinds[i]}=${x.kind}${"why" in x ? `(${x.why})` : ""}`).join(", ");
      expectOutcome(`batchClaim [${desc}]`, anyHard ? "revert" : anyEither ? "either" : "ok", r);
      if (!r.ok) {
        count("batch reverted");
        return;
      }
      applyLogs(fx, m, t, r.logs);
      count("batch paid");
      // Each item either paid or was skipped, in order, as predicted.
      const itemLogs = r.logs.filter((l) => ["EventClaimed", "ChannelClaimed", "BatchItemSkipped"].includes(l.name));
      expect(itemLogs.length).to.equal(expected.length, `batch item logs [${desc}]`);
      itemLogs.forEach((log, i) => {
        const x = expected[i];
        if (x.kind === "pay") {
          expect(log.name).to.not.equal("BatchItemSkipped", `batch item ${i} [${desc}] skipped`);
          expect(log.args[log.name === "EventClaimed" ? 4 : 4]).to.equal(x.amount, `batch item ${i} amount`);
        } else if (x.kind === "skip" || x.kind === "skipOrHard") {
          expect(log.name).to.equal("BatchItemSkipped", `batch item ${i} [${desc}] not skipped`);
          expect(log.args[3]).to.equal(x.kind === "skip" ? BigInt(x.reason) : 0n, `batch item ${i} [${desc}] skip reason`);
        }
      });
      return;
    }

    case "refund": {
      const e = pick(m.events, a.ev);
      const who = a.byBrand ? signerOf(fx, e.brand) : fx.stranger;
      const r0 = e.roots.at(-1);
      const ok = a.byBrand && !e.settled && t > e.publishDeadline && (!r0 || r0.vetoed);
      const r = await send(fx, m, t, () => rw.connect(who).refundEvent(e.id, GAS));
      expectOutcome(`refundEvent ${e.id}`, ok ? "ok" : "revert", r);
      if (r.ok) applyLogs(fx, m, t, r.logs);
      return;
    }

    case "withdrawUnclaimed": {
      const e = pick(m.events, a.ev);
      const who = a.byBrand ? signerOf(fx, e.brand) : fx.stranger;
      const r0 = e.roots.at(-1);
      const ok = a.byBrand && !e.settled && r0 !== undefined && !r0.vetoed && t >= r0.claimableAt + e.claimWindow;
      const r = await send(fx, m, t, () => rw.connect(who).withdrawUnclaimed(e.id, GAS));
      expectOutcome(`withdrawUnclaimed ${e.id}`, ok ? "ok" : "revert", r);
      if (r.ok) applyLogs(fx, m, t, r.logs);
      return;
    }

    case "publishChannel": {
      const c = pick(m.channels, a.ch);
      const leaves: { account: string; score: bigint }[] = [];
      a.incs.forEach((inc, i) => {
        if (inc === undefined) return;
        const account = fx.users[i].address;
        let score = getOr0(c.latestScore, account) + BigInt(inc) * SCORE_STEP;
        if (a.decrease && leaves.length === 0) score = score >= 2n * SCORE_STEP ? score - 2n * SCORE_STEP : 0n;
        leaves.push({ account, score });
      });
      if (leaves.length === 0) leaves.push({ account: fx.users[0].address, score: getOr0(c.latestScore, fx.users[0].address) + SCORE_STEP });
      const tree = new ChannelTree(c.id, leaves);
      const epoch = [c.lastEpoch + 1n, c.lastEpoch + 2n, c.lastEpoch, c.lastEpoch > 0n ? c.lastEpoch - 1n : 0n][a.epoch];
      const who = a.byPublisher ? fx.publisher : fx.stranger;
      const pendingInChallenge = c.pending !== undefined && !c.pending.vetoed && t < c.pending.claimableAt;
      // Roots may still be posted while a close is announced but not yet effective (users claim until then).
      const expected =
        a.byPublisher && epoch > c.lastEpoch && !pendingInChallenge && !(c.closesAt !== 0n && t >= c.closesAt) ? "ok" : "revert";
      const r = await send(fx, m, t, () =>
        rw.connect(who).publishChannelRoot(c.id, epoch, tree.root, tree.scoreTotal, tree.leaves.length, ethers.ZeroHash, GAS),
      );
      expectOutcome(`publishChannelRoot ${c.id} epoch ${epoch}`, expected, r);
      if (r.ok) {
        const root: ChannelRootM = { tree, epoch, claimableAt: t + PARAMS.challengePeriod, vetoed: false };
        c.pending = root;
        c.history.push(root);
        c.lastEpoch = epoch;
        for (const l of leaves) c.latestScore.set(lc(l.account), l.score);
        promote(c, t); // a zero challenge period would make it live at once
        count("channel root published");
      }
      return;
    }

    case "vetoChannel": {
      const c = pick(m.channels, a.ch);
      const who = [signerOf(fx, c.brand), fx.guardian, fx.stranger][a.by];
      const ok = a.by < 2 && c.pending !== undefined && !c.pending.vetoed && t < c.pending.claimableAt;
      const r = await send(fx, m, t, () => rw.connect(who).vetoChannelRoot(c.id, GAS));
      expectOutcome(`vetoChannelRoot ${c.id}`, ok ? "ok" : "revert", r);
      if (r.ok) {
        c.pending!.vetoed = true;
        count("channel root vetoed");
      }
      return;
    }

    case "claimChannel": {
      const c = pick(m.channels, a.ch);
      const user = fx.users[a.user];
      const tree = channelTreeFor(c, a.sel);
      if (!tree || !tree.leaves.some((l) => lc(l.account) === lc(user.address))) return;
      const score = tree.score(user.address);
      const proof = tree.proof(user.address);
      const payee = [user.address, fx.users[(a.user + 1) % 4].address, fx.rejectingAddress, user.address][a.to];
      const out = m.paused ? ({ kind: "hard", why: "paused" } as ItemOutcome) : evalChannelItem(m, fx, c, tree, user.address, payee, t, new Overlay());
      const r = await send(fx, m, t, () =>
        a.to === 0
          ? rw.connect(user).claimChannel(c.id, score, proof, GAS)
          : rw.connect(user).claimChannelTo(c.id, score, payee, proof, GAS),
      );
      const expected = out.kind === "pay" ? "ok" : "revert";
      expectOutcome(`claimChannel ${c.id} ${out.kind}${"why" in out ? ` (${out.why})` : ""}`, expected, r);
      if (r.ok) {
        applyLogs(fx, m, t, r.logs);
        const paid = r.logs.filter((l) => l.name === "ChannelClaimed");
        expect(paid.length).to.equal(1);
        expect(lc(paid[0].args[2] as string)).to.equal(lc(payee), "channel claim paid another recipient");
        if (out.kind === "pay") {
          expect(paid[0].args[4]).to.equal(out.amount, "channel claim amount");
          expect(paid[0].args[3]).to.equal(out.scoreConverted, "channel claim score converted");
        }
      } else {
        count(`channel claim reverted (${"why" in out ? out.why : out.kind})`);
      }
      return;
    }

    case "rateChange": {
      const c = pick(m.channels, a.ch);
      const who = a.byBrand ? signerOf(fx, c.brand) : fx.stranger;
      const ok = a.byBrand && c.closesAt === 0n;
      const r = await send(fx, m, t, () => rw.connect(who).announceRateChange(c.id, RATES[a.rate], GAS));
      expectOutcome(`announceRateChange ${c.id}`, ok ? "ok" : "revert", r);
      if (r.ok) {
        c.rate = rateAt(c, t);
        c.pendingRate = RATES[a.rate];
        c.rateEffectiveAt = t + PARAMS.rateChangeNotice;
        count("rate change announced");
      }
      return;
    }

    case "close": {
      const c = pick(m.channels, a.ch);
      const who = a.byBrand ? signerOf(fx, c.brand) : fx.stranger;
      const ok = a.byBrand && c.closesAt === 0n;
      const r = await send(fx, m, t, () => rw.connect(who).announceClose(c.id, GAS));
      expectOutcome(`announceClose ${c.id}`, ok ? "ok" : "revert", r);
      if (r.ok) {
        c.closesAt = t + PARAMS.closeNotice;
        count("close announced");
      }
      return;
    }

    case "withdrawChannel": {
      const c = pick(m.channels, a.ch);
      const who = a.byBrand ? signerOf(fx, c.brand) : fx.stranger;
      const ok = a.byBrand && c.closesAt !== 0n && t >= c.closesAt && !c.withdrawn;
      const r = await send(fx, m, t, () => rw.connect(who).withdrawChannel(c.id, GAS));
      expectOutcome(`withdrawChannel ${c.id}`, ok ? "ok" : "revert", r);
      if (r.ok) applyLogs(fx, m, t, r.logs);
      return;
    }

    case "pause": {
      const r = await send(fx, m, t, () => rw.connect(fx.guardian).setClaimsPaused(a.paused, GAS));
      expectOutcome("setClaimsPaused", "ok", r);
      m.paused = a.paused;
      count(a.paused ? "paused" : "unpaused");
      return;
    }
  }
}

/* -------------------------------------------------------------------------------------------------- */
/*                                             invariants                                             */
/* -------------------------------------------------------------------------------------------------- */

async function checkInvariants(fx: Fx, m: Model): Promise<void> {
  const tokens = [ETH, fx.tokenAddress];
  const snap = await fx.lens.snapshot(fx.rewardsAddress, tokens);
  expect(snap.ledgerUnderflow, "a ledger has claimed > funded").to.equal(false);
  expect(snap.events.length).to.equal(m.events.length);
  expect(snap.channels.length).to.equal(m.channels.length);

  // 1. Solvency per asset: balance == Σ ledgers == Σ model (in − out).
  tokens.forEach((token, i) => {
    const name = token === ETH ? "ETH" : "ERC-20";
    const modelSum =
      m.events.filter((e) => e.token === token).reduce((s, e) => s + e.inAmt - e.outAmt, 0n) +
      m.channels.filter((c) => c.token === token).reduce((s, c) => s + c.inAmt - c.outAmt, 0n);
    expect(snap.balances[i]).to.equal(snap.ledgerSums[i], `${name}: contract balance != Σ ledgers`);
    expect(snap.ledgerSums[i]).to.equal(modelSum, `${name}: Σ ledgers != money in − money out`);
  });

  // 2–3. Each ledger matches the money that moved; nothing pays more than it received.
  m.events.forEach((e, i) => {
    const s = snap.events[i];
    expect(e.outAmt <= e.inAmt, `event ${e.id} paid ${e.outAmt} > received ${e.inAmt}`).to.equal(true);
    expect(s.funded).to.equal(e.inAmt, `event ${e.id} funded`);
    expect(s.settled).to.equal(e.settled, `event ${e.id} settled`);
    expect(s.claimed).to.equal(e.claimedSum, `event ${e.id} claimed`);
    expect(s.claimed <= s.funded, `event ${e.id} claimed > funded`).to.equal(true);
    if (s.total !== 0n) {
      expect(s.total <= s.funded && s.claimed <= s.total, `event ${e.id}: claimed ≤ total ≤ funded`).to.equal(true);
    }
    expect(s.settled ? 0n : s.funded - s.claimed).to.equal(e.inAmt - e.outAmt, `event ${e.id} held`);
    // 5. No account beyond its leaves (in the one root that ever went live).
    const live = e.roots.find((r) => !r.vetoed);
    for (const [account, paid] of e.paidTo) {
      const entitled = (live?.tree.leaves ?? []).filter((l) => lc(l.account) === account).reduce((x, l) => x + l.amount, 0n);
      expect(paid <= entitled, `event ${e.id}: ${account} paid ${paid} > its leaves ${entitled}`).to.equal(true);
    }
  });
  m.channels.forEach((c, i) => {
    const s = snap.channels[i];
    expect(c.outAmt <= c.inAmt, `channel ${c.id} paid ${c.outAmt} > received ${c.inAmt}`).to.equal(true);
    expect(s.withdrawn).to.equal(c.withdrawn, `channel ${c.id} withdrawn`);
    expect(s.withdrawn ? 0n : s.balance).to.equal(c.inAmt - c.outAmt, `channel ${c.id} balance`);
    expect(s.lastEpoch).to.equal(c.lastEpoch, `channel ${c.id} lastEpoch`);
    for (const [account, paid] of c.paidTo) {
      const bound = (getOr0(c.maxLiveScore, account) * c.maxRatePaid) / WAD;
      expect(paid <= bound, `channel ${c.id}: ${account} paid ${paid} > score × rate ${bound}`).to.equal(true);
    }
  });

  // 4–5. Bitmap == leaves paid; converted score == Σ converted by claims, never beyond a live leaf.
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
  const expectedConverted: bigint[] = [];
  for (const c of m.channels) {
    for (const u of fx.users) {
      channelIds.push(c.id);
      accounts.push(u.address);
      expectedConverted.push(getOr0(c.converted, u.address));
      expect(getOr0(c.converted, u.address) <= getOr0(c.maxLiveScore, u.address), `channel ${c.id}: converted beyond a live leaf`).to.equal(true);
    }
  }
  const [claimed, converted] = await fx.lens.claimState(fx.rewardsAddress, eventIds, indices, channelIds, accounts);
  claimed.forEach((b, k) => expect(b).to.equal(expectedClaimed[k], `isEventClaimed(${eventIds[k]}, ${indices[k]})`));
  converted.forEach((v, k) => expect(v).to.equal(expectedConverted[k], `convertedScore(${channelIds[k]}, ${accounts[k]})`));
}

/* -------------------------------------------------------------------------------------------------- */
/*                                                test                                                */
/* -------------------------------------------------------------------------------------------------- */

describe("Invariants (fast-check, model-based)", function () {
  this.timeout(0);

  after(function () {
    if (process.env.INVARIANT_STATS) console.log("    invariant action stats:", JSON.stringify(stats, null, 1));
  });

  it(`hold after every step of ${NUM_RUNS} random sequences of ${MIN_STEPS}-${MAX_STEPS} actions`, async function () {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: MIN_STEPS, maxLength: MAX_STEPS }), async (actions) => {
        const fx = await loadFixture(fixture);
        const m = initModel(fx);
        m.t = BigInt(await time.latest());
        await checkInvariants(fx, m);
        for (const a of actions) {
          if (DEBUG) console.log(`    t=${m.t} ${JSON.stringify(a, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`);
          await step(fx, m, a);
          await checkInvariants(fx, m);
        }
      }),
      { numRuns: NUM_RUNS, seed: SEED, path: PATH, endOnFailure: process.env.INVARIANT_SHRINK === "0" },
    );
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (process.env.INVARIANT_STATS || NUM_RUNS >= 200) console.log(`    ${NUM_RUNS} runs in ${secs} s`);

    // The sequences must actually exercise the paths (guards against a vacuous pass).
    if (NUM_RUNS >= 100 && PATH === undefined) {
      for (const key of [
        "event claim paid",
        "channel claim paid",
        "batch paid",
        "event refunded",
        "event unclaimed withdrawn",
        "channel withdrawn",
        "event root vetoed",
        "channel root vetoed",
        "rate change announced",
      ]) {
        expect(stats[key] ?? 0, `no "${key}" in ${NUM_RUNS} runs`).to.be.greaterThan(0);
      }
    }
  });
});

/* -------------------------------------------------------------------------------------------------- */
/*                                  PowerStaking (a second property)                                  */
/* -------------------------------------------------------------------------------------------------- */

const INSTALMENTS = 4n;
const INTERVAL = 7n * DAY;
const INITIAL_STAKE = 10n * UNIT;

async function stakingFixture() {
  const signers = await ethers.getSigners();
  const users = signers.slice(5, 8);
  const token = (await ethers.deployContract("MockERC20", ["Stake", "STK"])) as unknown as import("../../../typechain-types").MockERC20;
  const staking = (await ethers.deployContract("PowerStaking", [
    await token.getAddress(),
    INSTALMENTS,
    INTERVAL,
  ])) as unknown as import("../../../typechain-types").PowerStaking;
  const stakingAddress = await staking.getAddress();
  for (const u of users) {
    await token.mint(u.address, 1_000n * WAD);
    await token.connect(u).approve(stakingAddress, ethers.MaxUint256);
  }
  // The two stakers start with 10 units of each asset powered up.
  for (const u of users.slice(0, 2)) {
    await staking.connect(u).powerUp({ value: INITIAL_STAKE });
    await staking.connect(u).powerUpToken(INITIAL_STAKE);
  }
  return { users, token, staking, stakingAddress, tokenAddress: await token.getAddress() };
}
type StakingFx = Awaited<ReturnType<typeof stakingFixture>>;

interface StakeM {
  staked: bigint;
  amount: bigint;
  withdrawn: bigint;
  start: bigint;
}

function unlockedAt(s: StakeM, t: bigint): bigint {
  if (s.start === 0n) return 0n;
  const k = (t - s.start) / INTERVAL;
  return k >= INSTALMENTS ? s.amount : (s.amount * k) / INSTALMENTS;
}
const powerAt = (s: StakeM, t: bigint) => s.staked - (unlockedAt(s, t) - s.withdrawn);

const stakingActionArb = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("powerUp" as const), user: fc.nat(1), token: fc.boolean(), units: fc.integer({ min: 1, max: 40 }) }) },
  // quarters: 1..4 quarters of the stake, 5 = one wei more than staked (must revert)
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("powerDown" as const), user: fc.nat(1), token: fc.boolean(), quarters: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), user: fc.nat(1), token: fc.boolean(), active: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), user: fc.nat(1), token: fc.boolean(), toOther: fc.boolean(), active: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("wait" as const),
      // to the k-th instalment of some active power-down, or a plain jump
      user: fc.nat(1),
      token: fc.boolean(),
      instalment: fc.integer({ min: 1, max: 5 }),
      offset: fc.constantFrom(-1n, 0n, 0n, 1n, 3n * DAY),
    }),
  },
);
type StakingAction = typeof stakingActionArb extends fc.Arbitrary<infer A> ? A : never;

describe("Invariants of PowerStaking (fast-check, model-based)", function () {
  this.timeout(0);

  after(function () {
    if (process.env.INVARIANT_STATS) {
      const staking = Object.fromEntries(Object.entries(stats).filter(([k]) => k.startsWith("staking")));
      console.log("    staking action stats:", JSON.stringify(staking, null, 1));
    }
  });

  it(`hold after every step of ${NUM_RUNS} random sequences of power up / down / cancel / withdraw / time travel`, async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(stakingActionArb, { minLength: 8, maxLength: 20 }), async (actions) => {
        const fx: StakingFx = await loadFixture(stakingFixture);
        const key = (u: number, tok: boolean) => `${u}:${tok ? "T" : "E"}`;
        const model = new Map<string, StakeM>();
        const get = (u: number, tok: boolean) => {
          const k = key(u, tok);
          if (!model.has(k)) model.set(k, { staked: u < 2 ? INITIAL_STAKE : 0n, amount: 0n, withdrawn: 0n, start: 0n });
          return model.get(k)!;
        };
        let t = BigInt(await time.latest());
        let poweredUp = 4n * INITIAL_STAKE;
        let withdrawnTotal = 0n;

        for (const a of actions) {
          if (DEBUG) console.log(`    t=${t} ${JSON.stringify(a, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`);
          if (a.kind === "wait") {
            // The chosen account's active power-down, else any active one, else a plain jump.
            const own = get(a.user, a.token);
            const s = own.start !== 0n ? own : [...model.values()].find((x) => x.start !== 0n) ?? own;
            const target = s.start !== 0n ? s.start + BigInt(a.instalment) * INTERVAL + a.offset : t + BigInt(a.instalment) * DAY;
            if (target > t) t = target - 1n;
            continue;
          }
          const now = t + 1n;
          let userIdx = a.user;
          let isToken = a.token;
          if ("active" in a && a.active) {
            // Act on an account that has a power-down running, if any.
            for (const [k, x] of model) {
              if (x.start === 0n) continue;
              const [u, tok] = k.split(":");
              userIdx = Number(u);
              isToken = tok === "T";
              break;
            }
          }
          const user = fx.users[userIdx];
          const asset = isToken ? fx.tokenAddress : ETH;
          const s = get(userIdx, isToken);
          const powerBefore = powerAt(s, now);
          let expected: boolean;
          let call: () => Promise<ContractTransactionResponse>;
          let amount = 0n;
          const to = "toOther" in a && a.toOther ? fx.users[2].address : user.address;
          switch (a.kind) {
            case "powerUp":
              amount = BigInt(a.units) * UNIT;
              expected = true;
              call = () => (isToken ? fx.staking.connect(user).powerUpToken(amount, GAS) : fx.staking.connect(user).powerUp({ value: amount, ...GAS }));
              break;
            case "powerDown":
              amount = a.quarters === 5 ? s.staked + 1n : (s.staked * BigInt(a.quarters)) / 4n;
              expected = amount > 0n && amount <= s.staked;
              call = () => fx.staking.connect(user).powerDown(asset, amount, GAS);
              break;
            case "cancel":
              expected = s.start !== 0n;
              call = () => fx.staking.connect(user).cancelPowerDown(asset, GAS);
              break;
            case "withdraw":
              amount = unlockedAt(s, now) - s.withdrawn;
              expected = amount > 0n;
              call = () => fx.staking.connect(user).withdraw(asset, to, GAS);
              break;
          }
          const toBefore = isToken ? await fx.token.balanceOf(to) : await ethers.provider.getBalance(to);
          await time.setNextBlockTimestamp(now);
          t = now;
          let logs: LogDescription[] = [];
          let ok = true;
          try {
            const rc = await (await call()).wait();
            logs = (rc?.logs ?? [])
              .filter((l) => lc(l.address) === lc(fx.stakingAddress))
              .map((l) => fx.staking.interface.parseLog(l)!)
              .filter(Boolean);
          } catch {
            ok = false;
          }
          expect(ok).to.equal(expected, `${a.kind} ${JSON.stringify({ ...a, staked: String(s.staked) })}`);
          count(`staking ${a.kind} ${ok ? "ok" : "reverted"}`);
          if (ok) {
            switch (a.kind) {
              case "powerUp":
                s.staked += amount;
                poweredUp += amount;
                expect(powerAt(s, now)).to.equal(powerBefore + amount, "power after a power-up");
                break;
              case "powerDown":
                Object.assign(s, { amount, withdrawn: 0n, start: now });
                expect(powerAt(s, now)).to.equal(s.staked, "a new power-down unlocks nothing at once");
                break;
              case "cancel":
                Object.assign(s, { amount: 0n, withdrawn: 0n, start: 0n });
                break;
              case "withdraw": {
                const w = logs.find((l) => l.name === "Withdrawn")!;
                expect(w.args[3]).to.equal(amount, "withdrawn amount");
                s.staked -= amount;
                withdrawnTotal += amount;
                if (s.withdrawn + amount === s.amount) Object.assign(s, { amount: 0n, withdrawn: 0n, start: 0n });
                else s.withdrawn += amount;
                expect(powerAt(s, now)).to.equal(powerBefore, "withdrawing unlocked stake does not change power");
                if (to !== user.address || isToken) {
                  const toAfter = isToken ? await fx.token.balanceOf(to) : await ethers.provider.getBalance(to);
                  expect(toAfter - toBefore).to.equal(amount, "recipient received the withdrawn amount");
                }
                break;
              }
            }
            // The last StakeUpdated of the transaction carries the full new state (the scorer rebuilds from it).
            const upd = logs.filter((l) => l.name === "StakeUpdated").at(-1);
            expect(upd, `${a.kind} emitted no StakeUpdated`).to.not.equal(undefined);
            expect([upd!.args[2], upd!.args[3], upd!.args[4], upd!.args[5]]).to.deep.equal([s.staked, s.amount, s.withdrawn, s.start]);
          }

          // After every step: the chain's state equals the model's; the contract holds exactly Σ staked per asset;
          // nothing was withdrawn beyond what was powered up; power never exceeds the stake.
          let ethSum = 0n;
          let tokenSum = 0n;
          for (let u = 0; u < 3; u++) {
            for (const tok of [false, true]) {
              const m = get(u, tok);
              const [staked, amt, wd, start] = await fx.staking.stakeOf(fx.users[u].address, tok ? fx.tokenAddress : ETH);
              expect([staked, amt, wd, start]).to.deep.equal([m.staked, m.amount, m.withdrawn, m.start], `stakeOf(${u}, ${tok ? "token" : "ETH"})`);
              expect(powerAt(m, t) <= m.staked && m.withdrawn <= m.amount && m.amount <= m.staked + m.withdrawn).to.equal(true);
              if (tok) tokenSum += m.staked;
              else ethSum += m.staked;
            }
          }
          expect(await ethers.provider.getBalance(fx.stakingAddress)).to.equal(ethSum, "ETH held == Σ staked");
          expect(await fx.token.balanceOf(fx.stakingAddress)).to.equal(tokenSum, "token held == Σ staked");
          expect(withdrawnTotal <= poweredUp).to.equal(true);
        }
        // Power never rises during a power-down while time passes (no action in between).
        for (const s of model.values()) {
          if (s.start === 0n) continue;
          let prev = powerAt(s, t);
          for (let k = 1n; k <= INSTALMENTS + 1n; k++) {
            const p = powerAt(s, t + k * INTERVAL);
            expect(p <= prev, "power rose during a power-down").to.equal(true);
            prev = p;
          }
        }
      }),
      { numRuns: NUM_RUNS, seed: SEED, path: PATH, endOnFailure: process.env.INVARIANT_SHRINK === "0" },
    );
    if (NUM_RUNS >= 100 && PATH === undefined) {
      for (const k of ["powerUp", "powerDown", "cancel", "withdraw"]) {
        expect(stats[`staking ${k} ok`] ?? 0, `no successful ${k} in ${NUM_RUNS} runs`).to.be.greaterThan(0);
      }
    }
  });
});
