/**
 * The PowerStaking property (invariants 8–10 of test/contracts/README.md) on fast-check commands: its model
 * (stake and power-down per account and asset), its actions (power up / power down / cancel / withdraw /
 * wait) and its invariants, checked after every step.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse, LogDescription } from "ethers";
import { DAY, deployFixture, ETH, STAKING } from "../shared/fixtures";
import { count, debug, GAS, lc, show, UNIT } from "./config";

const INSTALMENTS = STAKING.instalments;
const INTERVAL = STAKING.instalmentInterval;
const INITIAL_STAKE = 10n * UNIT;

/* ----------------------------------------------- real ---------------------------------------------- */

/** The shared deployment's PowerStaking (STAKING) and token, which the users hold and approved; two of three users start with 10 units of each asset powered up. */
export async function stakingFixture() {
  const { staking, token, users: all } = await deployFixture();
  const users = all.slice(0, 3);
  const stakingAddress = await staking.getAddress();
  for (const u of users.slice(0, 2)) {
    await staking.connect(u).powerUp({ value: INITIAL_STAKE });
    await staking.connect(u).powerUpToken(INITIAL_STAKE);
  }
  return { users, token, staking, stakingAddress, tokenAddress: await token.getAddress() };
}
export type StakingFx = Awaited<ReturnType<typeof stakingFixture>>;

/* ---------------------------------------------- model ---------------------------------------------- */

export interface StakeM {
  staked: bigint;
  amount: bigint;
  withdrawn: bigint;
  start: bigint;
}

export interface StakingModel {
  stakes: Map<string, StakeM>; // `${user}:${T|E}`
  t: bigint;
  poweredUp: bigint;
  withdrawnTotal: bigint;
}

export function initStakingModel(t: bigint): StakingModel {
  const stakes = new Map<string, StakeM>();
  for (let u = 0; u < 3; u++) {
    for (const tok of [false, true]) stakes.set(stakeKey(u, tok), { staked: u < 2 ? INITIAL_STAKE : 0n, amount: 0n, withdrawn: 0n, start: 0n });
  }
  return { stakes, t, poweredUp: 4n * INITIAL_STAKE, withdrawnTotal: 0n };
}

const stakeKey = (u: number, tok: boolean) => `${u}:${tok ? "T" : "E"}`;

/** Unlocked at `t`: equal instalments per interval since the power-down started. */
export function unlockedAt(s: StakeM, t: bigint): bigint {
  if (s.start === 0n) return 0n;
  const k = (t - s.start) / INTERVAL;
  return k >= INSTALMENTS ? s.amount : (s.amount * k) / INSTALMENTS;
}
export const powerAt = (s: StakeM, t: bigint) => s.staked - (unlockedAt(s, t) - s.withdrawn);

/* --------------------------------------------- actions --------------------------------------------- */

type Target = { user: number; token: boolean; active?: boolean };

/** The account an action is for: with `active`, one that has a power-down running, if any. */
function target(m: Readonly<StakingModel>, p: Target): { user: number; token: boolean } {
  if (p.active) {
    for (const [k, x] of m.stakes) {
      if (x.start === 0n) continue;
      const [u, tok] = k.split(":");
      return { user: Number(u), token: tok === "T" };
    }
  }
  return { user: p.user, token: p.token };
}

abstract class StakingCommand<P extends Target> implements fc.AsyncCommand<StakingModel, StakingFx> {
  abstract readonly name: string;
  constructor(readonly p: P) {}
  check(): boolean {
    return true;
  }
  /** The call, the amount it moves and whether the model says it must succeed. */
  protected abstract plan(s: StakeM, now: bigint, fx: StakingFx, user: number, isToken: boolean): { call: () => Promise<ContractTransactionResponse>; amount: bigint; ok: boolean; to?: string };
  /** Books a success in the model and asserts what it must have done. */
  protected abstract book(m: StakingModel, s: StakeM, now: bigint, amount: bigint, powerBefore: bigint, logs: LogDescription[]): void;

  async run(m: StakingModel, fx: StakingFx): Promise<void> {
    debug(`    t=${m.t} ${this.toString()}`);
    const now = m.t + 1n;
    const { user, token: isToken } = target(m, this.p);
    const s = m.stakes.get(stakeKey(user, isToken))!;
    const powerBefore = powerAt(s, now);
    const { call, amount, ok: expected, to } = this.plan(s, now, fx, user, isToken);
    const payee = to ?? fx.users[user].address;
    const balanceOf = (a: string) => (isToken ? fx.token.balanceOf(a) : ethers.provider.getBalance(a));
    const toBefore = await balanceOf(payee);
    await time.setNextBlockTimestamp(now);
    m.t = now;
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
    expect(ok).to.equal(expected, `${this.toString()} with staked ${s.staked}`);
    count(`staking ${this.name} ${ok ? "ok" : "reverted"}`);
    if (ok) {
      this.book(m, s, now, amount, powerBefore, logs);
      // Paid to someone else, or in the token (no gas to subtract): the recipient got exactly the amount.
      if (this.name === "withdraw" && (payee !== fx.users[user].address || isToken)) {
        expect((await balanceOf(payee)) - toBefore).to.equal(amount, "recipient received the withdrawn amount");
      }
      // 9. The last StakeUpdated of the transaction carries the full new state (the scorer rebuilds from it).
      const upd = logs.filter((l) => l.name === "StakeUpdated").at(-1);
      expect(upd, `${this.name} emitted no StakeUpdated`).to.not.equal(undefined);
      expect([upd!.args[2], upd!.args[3], upd!.args[4], upd!.args[5]]).to.deep.equal([s.staked, s.amount, s.withdrawn, s.start]);
    }
    await checkStakingInvariants(fx, m);
  }

  toString(): string {
    return `${this.name}(${show(this.p)})`;
  }
}

class PowerUp extends StakingCommand<{ user: number; token: boolean; units: number }> {
  readonly name = "powerUp";
  protected plan(_s: StakeM, _now: bigint, fx: StakingFx, user: number, isToken: boolean) {
    const amount = BigInt(this.p.units) * UNIT;
    const u = fx.users[user];
    return { amount, ok: true, call: () => (isToken ? fx.staking.connect(u).powerUpToken(amount, GAS) : fx.staking.connect(u).powerUp({ value: amount, ...GAS })) };
  }
  protected book(m: StakingModel, s: StakeM, now: bigint, amount: bigint, powerBefore: bigint) {
    s.staked += amount;
    m.poweredUp += amount;
    expect(powerAt(s, now)).to.equal(powerBefore + amount, "power after a power-up");
  }
}

/** quarters: 1..4 quarters of the stake, 5 = one wei more than staked (must revert). */
class PowerDown extends StakingCommand<{ user: number; token: boolean; quarters: number }> {
  readonly name = "powerDown";
  protected plan(s: StakeM, _now: bigint, fx: StakingFx, user: number, isToken: boolean) {
    const amount = this.p.quarters === 5 ? s.staked + 1n : (s.staked * BigInt(this.p.quarters)) / 4n;
    return { amount, ok: amount > 0n && amount <= s.staked, call: () => fx.staking.connect(fx.users[user]).powerDown(isToken ? fx.tokenAddress : ETH, amount, GAS) };
  }
  protected book(_m: StakingModel, s: StakeM, now: bigint, amount: bigint) {
    Object.assign(s, { amount, withdrawn: 0n, start: now });
    expect(powerAt(s, now)).to.equal(s.staked, "a new power-down unlocks nothing at once");
  }
}

class CancelPowerDown extends StakingCommand<{ user: number; token: boolean; active: boolean }> {
  readonly name = "cancel";
  protected plan(s: StakeM, _now: bigint, fx: StakingFx, user: number, isToken: boolean) {
    return { amount: 0n, ok: s.start !== 0n, call: () => fx.staking.connect(fx.users[user]).cancelPowerDown(isToken ? fx.tokenAddress : ETH, GAS) };
  }
  protected book(_m: StakingModel, s: StakeM) {
    Object.assign(s, { amount: 0n, withdrawn: 0n, start: 0n });
  }
}

/** Withdraws what is unlocked, to oneself or (toOther) to the third user. */
class Withdraw extends StakingCommand<{ user: number; token: boolean; toOther: boolean; active: boolean }> {
  readonly name = "withdraw";
  protected plan(s: StakeM, now: bigint, fx: StakingFx, user: number, isToken: boolean) {
    const amount = unlockedAt(s, now) - s.withdrawn;
    const to = this.p.toOther ? fx.users[2].address : fx.users[user].address;
    return { amount, to, ok: amount > 0n, call: () => fx.staking.connect(fx.users[user]).withdraw(isToken ? fx.tokenAddress : ETH, to, GAS) };
  }
  protected book(m: StakingModel, s: StakeM, _now: bigint, amount: bigint, powerBefore: bigint, logs: LogDescription[]) {
    const w = logs.find((l) => l.name === "Withdrawn")!;
    expect(w.args[3]).to.equal(amount, "withdrawn amount");
    s.staked -= amount;
    m.withdrawnTotal += amount;
    if (s.withdrawn + amount === s.amount) Object.assign(s, { amount: 0n, withdrawn: 0n, start: 0n });
    else s.withdrawn += amount;
    expect(powerAt(s, m.t)).to.equal(powerBefore, "withdrawing unlocked stake does not change power");
  }
}

/** Waits until the k-th instalment (± offset) of the account's power-down, else of any running one, else k days. */
class Wait implements fc.AsyncCommand<StakingModel, StakingFx> {
  constructor(readonly p: { user: number; token: boolean; instalment: number; offset: bigint }) {}
  check(): boolean {
    return true;
  }
  async run(m: StakingModel): Promise<void> {
    debug(`    t=${m.t} ${this.toString()}`);
    const own = m.stakes.get(stakeKey(this.p.user, this.p.token))!;
    const s = own.start !== 0n ? own : ([...m.stakes.values()].find((x) => x.start !== 0n) ?? own);
    const at = s.start !== 0n ? s.start + BigInt(this.p.instalment) * INTERVAL + this.p.offset : m.t + BigInt(this.p.instalment) * DAY;
    if (at > m.t) m.t = at - 1n;
  }
  toString(): string {
    return `wait(${show(this.p)})`;
  }
}

export const stakingCommand: fc.Arbitrary<fc.AsyncCommand<StakingModel, StakingFx>> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ user: fc.nat(1), token: fc.boolean(), units: fc.integer({ min: 1, max: 40 }) }).map((p) => new PowerUp(p)) },
  { weight: 3, arbitrary: fc.record({ user: fc.nat(1), token: fc.boolean(), quarters: fc.integer({ min: 1, max: 5 }) }).map((p) => new PowerDown(p)) },
  { weight: 1, arbitrary: fc.record({ user: fc.nat(1), token: fc.boolean(), active: fc.boolean() }).map((p) => new CancelPowerDown(p)) },
  { weight: 4, arbitrary: fc.record({ user: fc.nat(1), token: fc.boolean(), toOther: fc.boolean(), active: fc.boolean() }).map((p) => new Withdraw(p)) },
  {
    weight: 4,
    arbitrary: fc
      .record({ user: fc.nat(1), token: fc.boolean(), instalment: fc.integer({ min: 1, max: 5 }), offset: fc.constantFrom(-1n, 0n, 0n, 1n, 3n * DAY) })
      .map((p) => new Wait(p)),
  },
);

/* -------------------------------------------- invariants ------------------------------------------- */

/**
 * 8–10 after every step: `stakeOf` equals the model for every account and asset; the contract holds exactly
 * Σ staked per asset; nothing was withdrawn beyond what was powered up; `withdrawn ≤ powerDownAmount ≤
 * staked + withdrawn` and power ≤ stake; and power never rises during a power-down while only time passes.
 */
export async function checkStakingInvariants(fx: StakingFx, m: StakingModel): Promise<void> {
  let ethSum = 0n;
  let tokenSum = 0n;
  for (let u = 0; u < 3; u++) {
    for (const tok of [false, true]) {
      const s = m.stakes.get(stakeKey(u, tok))!;
      const [staked, amt, wd, start] = await fx.staking.stakeOf(fx.users[u].address, tok ? fx.tokenAddress : ETH);
      expect([staked, amt, wd, start]).to.deep.equal([s.staked, s.amount, s.withdrawn, s.start], `stakeOf(${u}, ${tok ? "token" : "ETH"})`);
      expect(powerAt(s, m.t) <= s.staked && s.withdrawn <= s.amount && s.amount <= s.staked + s.withdrawn).to.equal(true);
      if (tok) tokenSum += s.staked;
      else ethSum += s.staked;
      if (s.start !== 0n) {
        let prev = powerAt(s, m.t);
        for (let k = 1n; k <= INSTALMENTS + 1n; k++) {
          const p = powerAt(s, m.t + k * INTERVAL);
          expect(p <= prev, "power rose during a power-down").to.equal(true);
          prev = p;
        }
      }
    }
  }
  expect(await ethers.provider.getBalance(fx.stakingAddress)).to.equal(ethSum, "ETH held == Σ staked");
  expect(await fx.token.balanceOf(fx.stakingAddress)).to.equal(tokenSum, "token held == Σ staked");
  expect(m.withdrawnTotal <= m.poweredUp).to.equal(true);
}
