/*
Power-down (N = 4 instalments, interval = 1 week in the fixture)
├── powerDown(asset, amount)
│   ├── when the asset is neither ETH nor the stake token → it should revert with PowerStaking_UnsupportedAsset
│   ├── when amount is 0 → it should revert with PowerStaking_ZeroAmount
│   ├── when amount > staked → it should revert with PowerStaking_AmountExceedsStake
│   └── when 0 < amount ≤ staked
│       ├── it should start a power-down at now, emit PowerDownStarted and StakeUpdated
│       ├── it should unlock ⌊amount·k/N⌋ after k whole intervals, all of it after N, and power = staked − (unlocked − withdrawn)
│       ├── power should never rise during a power-down (without a power-up)
│       └── given an active power-down → it should replace it; what it unlocked but was not withdrawn is locked again
├── cancelPowerDown(asset)
│   ├── when none is active → it should revert with PowerStaking_NoActivePowerDown
│   └── when one is active → it should clear it, emit PowerDownCancelled and StakeUpdated; power = staked
└── withdraw(asset, to)
    ├── when to is the zero address → it should revert with PowerStaking_ZeroRecipient
    ├── when nothing has unlocked (or all unlocked was withdrawn) → it should revert with PowerStaking_NothingToWithdraw
    ├── when part has unlocked → it should send it, lower staked, raise powerDownWithdrawn; power unchanged
    ├── when the whole power-down has been withdrawn → it should end the power-down (all fields 0)
    ├── when the ETH receiver rejects → it should revert with PowerStaking_TransferFailed
    └── when the asset is the stake token → it should transfer the token
*/
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { expect } from "chai";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { PowerStaking } from "../../../typechain-types";
import { blockTime, ETH, ONE_ETH, STAKING, WEEK, deployFixture } from "../shared/fixtures";

const N = STAKING.instalments;
const I = STAKING.instalmentInterval;

interface StakeState {
  staked: bigint;
  powerDownAmount: bigint;
  powerDownWithdrawn: bigint;
  powerDownStart: bigint;
}

/** IPowerStaking's normative formula, as the scorer applies it to the latest StakeUpdated of an account. */
function powerAt(s: StakeState, t: bigint): bigint {
  const intervals = s.powerDownStart === 0n ? 0n : (t - s.powerDownStart) / I;
  const unlocked = (s.powerDownAmount * (intervals < N ? intervals : N)) / N;
  return s.staked - (unlocked - s.powerDownWithdrawn);
}

/** Rebuilds the stake state from the latest StakeUpdated event alone (what the scorer does). */
async function stateFromEvents(staking: PowerStaking, account: string, asset: string): Promise<StakeState> {
  const logs = await staking.queryFilter(staking.filters.StakeUpdated(account, asset));
  const last = logs[logs.length - 1].args;
  return {
    staked: last.staked,
    powerDownAmount: last.powerDownAmount,
    powerDownWithdrawn: last.powerDownWithdrawn,
    powerDownStart: last.powerDownStart,
  };
}

async function expectPowerMatchesFormula(staking: PowerStaking, who: HardhatEthersSigner, asset = ETH) {
  const now = await blockTime();
  const fromEvents = await stateFromEvents(staking, who.address, asset);
  const [staked, amount, withdrawn, start] = await staking.stakeOf(who.address, asset);
  expect(fromEvents).to.deep.equal({ staked, powerDownAmount: amount, powerDownWithdrawn: withdrawn, powerDownStart: start });
  expect(await staking.powerOf(who.address, asset)).to.equal(powerAt(fromEvents, now));
  return powerAt(fromEvents, now);
}

describe("PowerStaking: power-down", () => {
  async function staked() {
    const f = await deployFixture();
    const user = f.users[0];
    await f.staking.connect(user).powerUp({ value: 10n * ONE_ETH });
    return { ...f, user };
  }

  describe("powerDown", () => {
    it("reverts for an unsupported asset", async () => {
      const f = await loadFixture(staked);
      await expect(f.staking.connect(f.user).powerDown(f.stranger.address, 1))
        .to.be.revertedWithCustomError(f.staking, "PowerStaking_UnsupportedAsset")
        .withArgs(f.stranger.address);
    });

    it("reverts on 0 and on more than staked", async () => {
      const f = await loadFixture(staked);
      await expect(f.staking.connect(f.user).powerDown(ETH, 0)).to.be.revertedWithCustomError(
        f.staking,
        "PowerStaking_ZeroAmount",
      );
      await expect(f.staking.connect(f.user).powerDown(ETH, 10n * ONE_ETH + 1n))
        .to.be.revertedWithCustomError(f.staking, "PowerStaking_AmountExceedsStake")
        .withArgs(f.user.address, ETH, 10n * ONE_ETH + 1n, 10n * ONE_ETH);
    });

    it("starts a power-down and unlocks ⌊amount·k/N⌋ per whole interval; power follows the formula", async () => {
      const f = await loadFixture(staked);
      const amount = 10n * ONE_ETH + 0n;
      const odd = 7n; // not divisible by N: checks the rounding
      await f.staking.connect(f.user).powerUp({ value: odd });
      const start = (await blockTime()) + 1n;
      await time.setNextBlockTimestamp(start);
      const tx = await f.staking.connect(f.user).powerDown(ETH, amount + odd);
      await expect(tx).to.emit(f.staking, "PowerDownStarted").withArgs(f.user.address, ETH, amount + odd, start);
      await expect(tx)
        .to.emit(f.staking, "StakeUpdated")
        .withArgs(f.user.address, ETH, amount + odd, amount + odd, 0, start);

      const total = amount + odd;
      const checkpoints: [bigint, bigint][] = [
        [0n, 0n],
        [I - 1n, 0n],
        [I, total / N],
        [2n * I + I / 2n, (total * 2n) / N],
        [3n * I, (total * 3n) / N],
        [4n * I - 1n, (total * 3n) / N],
        [4n * I, total],
        [10n * I, total],
      ];
      let previous = total;
      for (const [dt, unlocked] of checkpoints) {
        if (dt > 0n) await time.increaseTo(start + dt);
        expect(await f.staking.withdrawable(f.user.address, ETH)).to.equal(unlocked);
        const power = await expectPowerMatchesFormula(f.staking, f.user);
        expect(power).to.equal(total - unlocked);
        expect(power <= previous).to.equal(true); // never rises during a power-down
        previous = power;
      }
    });

    it("replaces an active power-down; unlocked but not withdrawn stake is locked again", async () => {
      const f = await loadFixture(staked);
      await f.staking.connect(f.user).powerDown(ETH, 8n * ONE_ETH);
      await time.increase(2n * I); // 4 ETH unlocked
      await f.staking.connect(f.user).withdraw(ETH, f.user.address); // 4 ETH out
      await time.increase(I); // 2 more unlocked, not withdrawn
      expect(await f.staking.withdrawable(f.user.address, ETH)).to.equal(2n * ONE_ETH);
      const start = (await blockTime()) + 1n;
      await time.setNextBlockTimestamp(start);
      await expect(f.staking.connect(f.user).powerDown(ETH, ONE_ETH))
        .to.emit(f.staking, "StakeUpdated")
        .withArgs(f.user.address, ETH, 6n * ONE_ETH, ONE_ETH, 0, start);
      expect(await f.staking.withdrawable(f.user.address, ETH)).to.equal(0);
      expect(await expectPowerMatchesFormula(f.staking, f.user)).to.equal(6n * ONE_ETH);
      await time.increase(I);
      expect(await expectPowerMatchesFormula(f.staking, f.user)).to.equal(6n * ONE_ETH - ONE_ETH / 4n);
    });

    it("a power-up during a power-down adds to power without changing the schedule", async () => {
      const f = await loadFixture(staked);
      await f.staking.connect(f.user).powerDown(ETH, 4n * ONE_ETH);
      await time.increase(I);
      await f.staking.connect(f.user).powerUp({ value: ONE_ETH });
      expect(await expectPowerMatchesFormula(f.staking, f.user)).to.equal(11n * ONE_ETH - ONE_ETH);
      expect(await f.staking.withdrawable(f.user.address, ETH)).to.equal(ONE_ETH);
    });
  });

  describe("cancelPowerDown", () => {
    it("reverts when none is active", async () => {
      const f = await loadFixture(staked);
      await expect(f.staking.connect(f.user).cancelPowerDown(ETH))
        .to.be.revertedWithCustomError(f.staking, "PowerStaking_NoActivePowerDown")
        .withArgs(f.user.address, ETH);
    });

    it("clears the power-down: everything not withdrawn is locked again", async () => {
      const f = await loadFixture(staked);
      await f.staking.connect(f.user).powerDown(ETH, 4n * ONE_ETH);
      await time.increase(2n * I);
      await f.staking.connect(f.user).withdraw(ETH, f.user.address); // 2 ETH out
      await time.increase(I);
      const tx = await f.staking.connect(f.user).cancelPowerDown(ETH);
      await expect(tx).to.emit(f.staking, "PowerDownCancelled").withArgs(f.user.address, ETH);
      await expect(tx).to.emit(f.staking, "StakeUpdated").withArgs(f.user.address, ETH, 8n * ONE_ETH, 0, 0, 0);
      expect(await expectPowerMatchesFormula(f.staking, f.user)).to.equal(8n * ONE_ETH);
      expect(await f.staking.withdrawable(f.user.address, ETH)).to.equal(0);
      await expect(f.staking.connect(f.user).cancelPowerDown(ETH)).to.be.revertedWithCustomError(
        f.staking,
        "PowerStaking_NoActivePowerDown",
      );
    });
  });

  describe("withdraw", () => {
    it("reverts on the zero recipient and when nothing has unlocked", async () => {
      const f = await loadFixture(staked);
      await expect(f.staking.connect(f.user).withdraw(ETH, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        f.staking,
        "PowerStaking_ZeroRecipient",
      );
      await expect(f.staking.connect(f.user).withdraw(ETH, f.user.address))
        .to.be.revertedWithCustomError(f.staking, "PowerStaking_NothingToWithdraw")
        .withArgs(f.user.address, ETH);
      await f.staking.connect(f.user).powerDown(ETH, ONE_ETH);
      await time.increase(I - 2n);
      await expect(f.staking.connect(f.user).withdraw(ETH, f.user.address))
        .to.be.revertedWithCustomError(f.staking, "PowerStaking_NothingToWithdraw")
        .withArgs(f.user.address, ETH);
    });

    it("sends what unlocked, instalment by instalment, then ends the power-down", async () => {
      const f = await loadFixture(staked);
      const amount = 10n * ONE_ETH;
      const start = (await blockTime()) + 1n;
      await time.setNextBlockTimestamp(start);
      await f.staking.connect(f.user).powerDown(ETH, amount);
      const to = f.users[5];

      await time.setNextBlockTimestamp(start + I);
      let tx = await f.staking.connect(f.user).withdraw(ETH, to.address);
      await expect(tx).to.emit(f.staking, "Withdrawn").withArgs(f.user.address, ETH, to.address, amount / 4n);
      await expect(tx)
        .to.emit(f.staking, "StakeUpdated")
        .withArgs(f.user.address, ETH, amount - amount / 4n, amount, amount / 4n, start);
      await expect(tx).to.changeEtherBalances([to, f.staking], [amount / 4n, -amount / 4n]);
      expect(await expectPowerMatchesFormula(f.staking, f.user)).to.equal(amount - amount / 4n);
      await expect(f.staking.connect(f.user).withdraw(ETH, to.address)).to.be.revertedWithCustomError(
        f.staking,
        "PowerStaking_NothingToWithdraw",
      );

      await time.setNextBlockTimestamp(start + 3n * I + 5n);
      tx = await f.staking.connect(f.user).withdraw(ETH, to.address);
      await expect(tx).to.emit(f.staking, "Withdrawn").withArgs(f.user.address, ETH, to.address, amount / 2n);
      expect(await expectPowerMatchesFormula(f.staking, f.user)).to.equal(amount / 4n);

      await time.setNextBlockTimestamp(start + 4n * I);
      tx = await f.staking.connect(f.user).withdraw(ETH, to.address);
      await expect(tx).to.emit(f.staking, "StakeUpdated").withArgs(f.user.address, ETH, 0, 0, 0, 0);
      expect(await f.staking.stakeOf(f.user.address, ETH)).to.deep.equal([0n, 0n, 0n, 0n]);
      expect(await expectPowerMatchesFormula(f.staking, f.user)).to.equal(0);
    });

    it("a full withdrawal after all instalments ends the power-down at once, keeping the rest staked", async () => {
      const f = await loadFixture(staked);
      await f.staking.connect(f.user).powerDown(ETH, 3n);
      await time.increase(4n * WEEK);
      await expect(f.staking.connect(f.user).withdraw(ETH, f.user.address))
        .to.emit(f.staking, "StakeUpdated")
        .withArgs(f.user.address, ETH, 10n * ONE_ETH - 3n, 0, 0, 0);
    });

    it("reverts with PowerStaking_TransferFailed when the ETH receiver rejects", async () => {
      const f = await loadFixture(staked);
      const rejecting = await ethers.deployContract("RejectingReceiver");
      await f.staking.connect(f.user).powerDown(ETH, ONE_ETH);
      await time.increase(I);
      await expect(f.staking.connect(f.user).withdraw(ETH, await rejecting.getAddress()))
        .to.be.revertedWithCustomError(f.staking, "Funds_PaymentFailed")
        .withArgs(ETH, await rejecting.getAddress(), ONE_ETH / 4n);
    });

    it("withdraws the stake token", async () => {
      const f = await loadFixture(staked);
      const token = await f.token.getAddress();
      await f.staking.connect(f.user).powerUpToken(400n);
      await f.staking.connect(f.user).powerDown(token, 400n);
      await time.increase(2n * I);
      const tx = await f.staking.connect(f.user).withdraw(token, f.users[3].address);
      await expect(tx).to.changeTokenBalances(f.token, [f.users[3], f.staking], [200n, -200n]);
      await expect(tx).to.emit(f.staking, "StakeUpdated").withArgs(f.user.address, token, 200n, 400n, 200n, anyValue);
      expect(await expectPowerMatchesFormula(f.staking, f.user, token)).to.equal(200n);
      // ETH stake is separate.
      expect(await f.staking.powerOf(f.user.address, ETH)).to.equal(10n * ONE_ETH);
    });
  });
});
