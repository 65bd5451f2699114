import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import { ETH, MAX_UINT128, ONE_ETH, STAKING, deployFixture } from "../shared/fixtures";

describe("PowerStaking", () => {
  describe("constructor", () => {
    it("stores the stake token and the schedule", async () => {
      const f = await loadFixture(deployFixture);
      expect(await f.staking.stakeToken()).to.equal(await f.token.getAddress());
      expect(await f.staking.instalments()).to.equal(STAKING.instalments);
      expect(await f.staking.instalmentInterval()).to.equal(STAKING.instalmentInterval);
    });

    it("accepts ETH only (stake token 0) and one instalment", async () => {
      const s = await ethers.deployContract("PowerStaking", [ETH, 1, 1]);
      expect(await s.stakeToken()).to.equal(ETH);
      expect(await s.instalments()).to.equal(1);
    });

    it("reverts on zero instalments and on a zero interval", async () => {
      const factory = await ethers.getContractFactory("PowerStaking");
      await expect(factory.deploy(ETH, 0, 1)).to.be.revertedWithCustomError(factory, "PowerStaking_ZeroInstalments");
      await expect(factory.deploy(ETH, 1, 0)).to.be.revertedWithCustomError(factory, "PowerStaking_ZeroInterval");
    });
  });

  describe("powerUp (ETH)", () => {
    it("locks msg.value and emits PoweredUp then StakeUpdated", async () => {
      const f = await loadFixture(deployFixture);
      const u = f.users[0];
      const tx = await f.staking.connect(u).powerUp({ value: ONE_ETH });
      await expect(tx).to.emit(f.staking, "PoweredUp").withArgs(u.address, ETH, ONE_ETH);
      await expect(tx).to.emit(f.staking, "StakeUpdated").withArgs(u.address, ETH, ONE_ETH, 0, 0, 0);
      await expect(tx).to.changeEtherBalance(f.staking, ONE_ETH);
      const receipt = await tx.wait();
      const names = receipt!.logs.map((l) => f.staking.interface.parseLog(l)?.name);
      expect(names).to.deep.equal(["PoweredUp", "StakeUpdated"]);
      await f.staking.connect(u).powerUp({ value: 2n });
      expect(await f.staking.stakeOf(u.address, ETH)).to.deep.equal([ONE_ETH + 2n, 0n, 0n, 0n]);
      expect(await f.staking.powerOf(u.address, ETH)).to.equal(ONE_ETH + 2n);
      expect(await f.staking.withdrawable(u.address, ETH)).to.equal(0);
    });

    it("reverts on zero value", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.staking.connect(f.users[0]).powerUp()).to.be.revertedWithCustomError(
        f.staking,
        "PowerStaking_ZeroAmount",
      );
    });
  });

  describe("powerUpToken", () => {
    it("locks the stake token, pulling exactly the amount", async () => {
      const f = await loadFixture(deployFixture);
      const u = f.users[0];
      const token = await f.token.getAddress();
      const tx = await f.staking.connect(u).powerUpToken(500n);
      await expect(tx).to.emit(f.staking, "PoweredUp").withArgs(u.address, token, 500n);
      await expect(tx).to.emit(f.staking, "StakeUpdated").withArgs(u.address, token, 500n, 0, 0, 0);
      await expect(tx).to.changeTokenBalances(f.token, [u, f.staking], [-500n, 500n]);
      expect(await f.staking.powerOf(u.address, token)).to.equal(500n);
      expect(await f.staking.powerOf(u.address, ETH)).to.equal(0);
    });

    it("reverts without a configured stake token, on zero, and on a fee-on-transfer token", async () => {
      const f = await loadFixture(deployFixture);
      const ethOnly = await ethers.deployContract("PowerStaking", [ETH, 4, 60]);
      await expect(ethOnly.powerUpToken(1)).to.be.revertedWithCustomError(ethOnly, "PowerStaking_NoStakeToken");
      await expect(ethOnly.powerDown(await f.token.getAddress(), 1))
        .to.be.revertedWithCustomError(ethOnly, "PowerStaking_UnsupportedAsset")
        .withArgs(await f.token.getAddress());
      await expect(f.staking.connect(f.users[0]).powerUpToken(0)).to.be.revertedWithCustomError(
        f.staking,
        "PowerStaking_ZeroAmount",
      );
      const fot = await f.feeToken.getAddress();
      const fotStaking = await ethers.deployContract("PowerStaking", [fot, 4, 60]);
      await f.feeToken.connect(f.brand).approve(await fotStaking.getAddress(), ethers.MaxUint256);
      await expect(fotStaking.connect(f.brand).powerUpToken(10_000n))
        .to.be.revertedWithCustomError(fotStaking, "Funds_FeeOnTransfer")
        .withArgs(fot, 10_000n, 9_900n);
    });

    it("reverts with PowerStaking_StakeOverflow beyond 2^128 − 1", async () => {
      const f = await loadFixture(deployFixture);
      const u = f.users[0];
      await f.token.mint(u.address, MAX_UINT128);
      await f.staking.connect(u).powerUpToken(MAX_UINT128);
      await expect(f.staking.connect(u).powerUpToken(1))
        .to.be.revertedWithCustomError(f.staking, "PowerStaking_StakeOverflow")
        .withArgs(MAX_UINT128, 1);
    });
  });

  it("accounts are independent", async () => {
    const f = await loadFixture(deployFixture);
    await f.staking.connect(f.users[0]).powerUp({ value: 3n });
    await f.staking.connect(f.users[1]).powerUp({ value: 5n });
    await f.staking.connect(f.users[1]).powerDown(ETH, 5n);
    expect(await f.staking.powerOf(f.users[0].address, ETH)).to.equal(3n);
    expect(await f.staking.stakeOf(f.users[0].address, ETH)).to.deep.equal([3n, 0n, 0n, 0n]);
  });
});
