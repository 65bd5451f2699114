/*
claimChannel(channelId, cumulativeScore, proof)  /  claimChannelTo(channelId, cumulativeScore, recipient, proof)
├── when claims are paused → it should revert with RewardsBase_ClaimsPaused
├── when claimChannelTo names the zero address → it should revert with RewardsBase_ZeroRecipient
├── given the channel has closed (now ≥ closesAt) → it should revert with ChannelPools_Closed
├── given no root is live → it should revert with ChannelPools_NoLiveRoot
├── given the proof is invalid (another channel's, another account's, an altered score) → ChannelPools_InvalidProof
├── given the cumulative score is already converted → it should revert with ChannelPools_NothingOwed
├── given what is owed is worth less than 1 wei at the rate → it should revert with ChannelPools_NothingOwed
├── given the pool cannot pay even 1 wei → it should revert with ChannelPools_PoolEmpty
├── given the receiver rejects the payment → it should revert with RewardsBase_PaymentFailed
└── given a valid leaf with something owed
    ├── when the pool holds enough → it should convert all of it at the current rate, rounded down
    ├── when the pool holds less → it should convert only balance·1e18/rate and pay that score's value
    │   └── after a top-up → it should convert the rest
    ├── when a rate change has taken effect → it should pay the unconverted score at the new rate
    └── when the account names a recipient → it should pay the recipient
*/
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import {
  blockTime,
  DAY,
  ETH,
  MAX_UINT128,
  ONE_ETH,
  PARAMS,
  WAD,
  channelTree,
  createChannel,
  deployFixture,
  publishLiveChannelRoot,
  type DeployFixture,
} from "../shared/fixtures";

const MANIFEST = ethers.id("manifest");

async function oneAccount(f: DeployFixture, score: bigint, who = 0) {
  return [{ account: f.users[who].address, cumulativeScore: score }];
}

const MAX_RATE = (1n << 80n) - 1n;

describe("ChannelPools", () => {
  describe("createChannel", () => {
    it("creates an ETH channel and emits ChannelCreated", async () => {
      const f = await loadFixture(deployFixture);
      const tx = await f.rewards.connect(f.brand).createChannel(ETH, 5n * WAD, ONE_ETH, "ipfs://c", { value: ONE_ETH });
      await expect(tx)
        .to.emit(f.rewards, "ChannelCreated")
        .withArgs(1, f.brand.address, ETH, 5n * WAD, ONE_ETH, "ipfs://c");
      await expect(tx).to.changeEtherBalance(f.rewards, ONE_ETH);
      expect(await f.rewards.channelCount()).to.equal(1);
      const c = await f.rewards.getChannel(1);
      expect(c.brand).to.equal(f.brand.address);
      expect(c.token).to.equal(ETH);
      expect(c.rate).to.equal(5n * WAD);
      expect(c.pendingRate).to.equal(0);
      expect(c.rateEffectiveAt).to.equal(0);
      expect(c.closesAt).to.equal(0);
      expect(c.balance).to.equal(ONE_ETH);
      expect(c.lastEpoch).to.equal(0);
      expect(c.withdrawn).to.equal(false);
      expect(await f.rewards.currentRate(1)).to.equal(5n * WAD);
    });

    it("creates an unfunded channel and an ERC-20 channel", async () => {
      const f = await loadFixture(deployFixture);
      await f.rewards.connect(f.brand).createChannel(ETH, 1, 0, "");
      const token = await f.token.getAddress();
      await f.rewards.connect(f.brand).createChannel(token, 1, 500n, "");
      expect((await f.rewards.getChannel(1)).balance).to.equal(0);
      expect((await f.rewards.getChannel(2)).balance).to.equal(500n);
      expect(await f.token.balanceOf(await f.rewards.getAddress())).to.equal(500n);
    });

    it("reverts on a zero rate and on a rate above 2^80 − 1 (rates are stored in 80 bits)", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.rewards.createChannel(ETH, 0, 0, "")).to.be.revertedWithCustomError(f.rewards, "ChannelPools_ZeroRate");
      await expect(f.rewards.createChannel(ETH, MAX_RATE + 1n, 0, ""))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_AmountOverflow")
        .withArgs(MAX_RATE + 1n, MAX_RATE);
      await expect(f.rewards.createChannel(ETH, MAX_RATE, 0, "")).to.emit(f.rewards, "ChannelCreated");
    });
  });

  describe("fundChannel", () => {
    it("lets anyone top up and emits ChannelFunded", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f, { amount: ONE_ETH });
      await expect(f.rewards.connect(f.stranger).fundChannel(id, ONE_ETH, { value: ONE_ETH }))
        .to.emit(f.rewards, "ChannelFunded")
        .withArgs(id, f.stranger.address, ONE_ETH, 2n * ONE_ETH);
      expect((await f.rewards.getChannel(id)).balance).to.equal(2n * ONE_ETH);
    });

    it("tops up an ERC-20 channel", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f, { token: await f.token.getAddress(), amount: 0n });
      await expect(f.rewards.connect(f.users[3]).fundChannel(id, 9n)).to.changeTokenBalance(f.token, f.rewards, 9n);
    });

    it("reverts for an unknown channel", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.rewards.fundChannel(4, 1, { value: 1 }))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_UnknownChannel")
        .withArgs(4);
    });

    it("reverts once a close was announced", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      await f.rewards.connect(f.brand).announceClose(id);
      const closesAt = (await f.rewards.getChannel(id)).closesAt;
      await expect(f.rewards.fundChannel(id, 1, { value: 1 }))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_CloseAnnounced")
        .withArgs(id, closesAt);
    });

    it("reverts on a zero amount and on a balance above 2^128 − 1", async () => {
      const f = await loadFixture(deployFixture);
      const token = await f.token.getAddress();
      await f.token.mint(f.brand.address, MAX_UINT128);
      const id = await createChannel(f, { token, amount: MAX_UINT128 });
      await expect(f.rewards.fundChannel(id, 0)).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ZeroAmount");
      await expect(f.rewards.connect(f.brand).fundChannel(id, 1))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_AmountOverflow")
        .withArgs(MAX_UINT128 + 1n, MAX_UINT128);
    });
  });

  describe("announceRateChange", () => {
    it("applies the new rate only after the notice", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f, { rate: WAD });
      const now = (await blockTime()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(f.rewards.connect(f.brand).announceRateChange(id, 2n * WAD))
        .to.emit(f.rewards, "ChannelRateChangeAnnounced")
        .withArgs(id, 2n * WAD, now + PARAMS.rateChangeNotice);
      let c = await f.rewards.getChannel(id);
      expect([c.rate, c.pendingRate, c.rateEffectiveAt]).to.deep.equal([
        WAD,
        2n * WAD,
        BigInt(now + PARAMS.rateChangeNotice),
      ]);
      await time.increaseTo(now + PARAMS.rateChangeNotice - 1n);
      expect(await f.rewards.currentRate(id)).to.equal(WAD);
      await time.increaseTo(now + PARAMS.rateChangeNotice);
      expect(await f.rewards.currentRate(id)).to.equal(2n * WAD);
      c = await f.rewards.getChannel(id);
      expect([c.rate, c.pendingRate]).to.deep.equal([2n * WAD, 0n]);
    });

    it("a later announcement replaces a pending one; one already in effect becomes the rate first", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f, { rate: WAD });
      await f.rewards.connect(f.brand).announceRateChange(id, 2n * WAD);
      await f.rewards.connect(f.brand).announceRateChange(id, 3n * WAD); // replaces, still pending
      expect(await f.rewards.currentRate(id)).to.equal(WAD);
      await time.increase(PARAMS.rateChangeNotice);
      expect(await f.rewards.currentRate(id)).to.equal(3n * WAD);
      await f.rewards.connect(f.brand).announceRateChange(id, 4n * WAD); // 3 is folded into rate
      const c = await f.rewards.getChannel(id);
      expect([c.rate, c.pendingRate]).to.deep.equal([3n * WAD, 4n * WAD]);
      expect(await f.rewards.currentRate(id)).to.equal(3n * WAD);
    });

    it("reverts for anyone but the brand, on a zero or oversized rate, and after a close announcement", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      await expect(f.rewards.connect(f.guardian).announceRateChange(id, 1))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NotBrand")
        .withArgs(id, f.guardian.address);
      await expect(f.rewards.connect(f.brand).announceRateChange(id, 0)).to.be.revertedWithCustomError(
        f.rewards,
        "ChannelPools_ZeroRate",
      );
      await expect(f.rewards.connect(f.brand).announceRateChange(id, MAX_RATE + 1n))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_AmountOverflow")
        .withArgs(MAX_RATE + 1n, MAX_RATE);
      await f.rewards.connect(f.brand).announceClose(id);
      await expect(f.rewards.connect(f.brand).announceRateChange(id, 1))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_CloseAnnounced")
        .withArgs(id, (await f.rewards.getChannel(id)).closesAt);
    });
  });

  describe("announceClose and withdrawChannel", () => {
    it("announces the close; users claim until closesAt; then the brand withdraws the rest", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f, { amount: 10n * ONE_ETH });
      const tree = await publishLiveChannelRoot(f, id, 1, await oneAccount(f, 3n * ONE_ETH));
      const now = (await blockTime()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(f.rewards.connect(f.brand).announceClose(id))
        .to.emit(f.rewards, "ChannelCloseAnnounced")
        .withArgs(id, now + PARAMS.closeNotice);
      const closesAt = now + PARAMS.closeNotice;
      await expect(f.rewards.connect(f.brand).withdrawChannel(id, f.brand))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NotClosed")
        .withArgs(id, closesAt);
      await time.setNextBlockTimestamp(closesAt - 1n);
      await f.rewards.connect(f.users[0]).claimChannel(id, 3n * ONE_ETH, tree.proof(0));
      await time.setNextBlockTimestamp(closesAt);
      const tx = await f.rewards.connect(f.brand).withdrawChannel(id, f.brand);
      await expect(tx).to.emit(f.rewards, "ChannelWithdrawn").withArgs(id, f.brand.address, f.brand.address, 7n * ONE_ETH);
      await expect(tx).to.changeEtherBalance(f.brand, 7n * ONE_ETH);
      const c = await f.rewards.getChannel(id);
      expect([c.balance, c.withdrawn]).to.deep.equal([0n, true]);
      await expect(f.rewards.connect(f.brand).withdrawChannel(id, f.brand))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_AlreadyWithdrawn")
        .withArgs(id);
    });

    it("claims and root posts revert once closed", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      const tree = await publishLiveChannelRoot(f, id, 1, await oneAccount(f, ONE_ETH));
      await f.rewards.connect(f.brand).announceClose(id);
      const closesAt = (await f.rewards.getChannel(id)).closesAt;
      // Still open during the notice: a root can be posted.
      await f.rewards.connect(f.publisher).publishChannelRoot(id, 2, ethers.id("r2"), 1, 1, MANIFEST);
      await time.increaseTo(closesAt);
      await expect(f.rewards.connect(f.users[0]).claimChannel(id, ONE_ETH, tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_Closed")
        .withArgs(id, closesAt);
      await expect(f.rewards.connect(f.publisher).publishChannelRoot(id, 3, ethers.id("r3"), 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_Closed")
        .withArgs(id, closesAt);
    });

    it("withdraws an ERC-20 rest, and an empty pool without a transfer", async () => {
      const f = await loadFixture(deployFixture);
      const token = await f.token.getAddress();
      const a = await createChannel(f, { token, amount: 40n });
      const b = await createChannel(f, { amount: 0n });
      await f.rewards.connect(f.brand).announceClose(a);
      await f.rewards.connect(f.brand).announceClose(b);
      await time.increase(PARAMS.closeNotice);
      await expect(f.rewards.connect(f.brand).withdrawChannel(a, f.brand)).to.changeTokenBalance(f.token, f.brand, 40n);
      await expect(f.rewards.connect(f.brand).withdrawChannel(b, f.brand))
        .to.emit(f.rewards, "ChannelWithdrawn")
        .withArgs(b, f.brand.address, f.brand.address, 0);
    });

    it("reverts for anyone but the brand, before any announcement, and on a second announcement", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      await expect(f.rewards.connect(f.stranger).announceClose(id))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NotBrand")
        .withArgs(id, f.stranger.address);
      await expect(f.rewards.connect(f.brand).withdrawChannel(id, f.brand))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NotClosed")
        .withArgs(id, 0);
      await f.rewards.connect(f.brand).announceClose(id);
      const closesAt = (await f.rewards.getChannel(id)).closesAt;
      await expect(f.rewards.connect(f.brand).announceClose(id))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_CloseAnnounced")
        .withArgs(id, closesAt);
      await time.increase(PARAMS.closeNotice);
      await expect(f.rewards.connect(f.stranger).withdrawChannel(id, f.stranger))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NotBrand")
        .withArgs(id, f.stranger.address);
    });
  });

  describe("publishChannelRoot", () => {
    it("reverts for a caller without PUBLISHER_ROLE, an unknown channel and a zero root", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      await expect(f.rewards.connect(f.brand).publishChannelRoot(id, 1, ethers.id("r"), 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "AccessControlUnauthorizedAccount")
        .withArgs(f.brand.address, await f.rewards.PUBLISHER_ROLE());
      await expect(f.rewards.connect(f.publisher).publishChannelRoot(9, 1, ethers.id("r"), 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_UnknownChannel")
        .withArgs(9);
      await expect(f.rewards.connect(f.publisher).publishChannelRoot(id, 1, ethers.ZeroHash, 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_ZeroRoot")
        .withArgs(id);
    });

    it("posts a root as pending, emits ChannelRootPosted, and refuses any epoch but the last + 1", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      const tree = channelTree(id, await oneAccount(f, ONE_ETH));
      const now = (await blockTime()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(f.rewards.connect(f.publisher).publishChannelRoot(id, 1, tree.root, ONE_ETH, 1, MANIFEST))
        .to.emit(f.rewards, "ChannelRootPosted")
        .withArgs(id, 1, tree.root, ONE_ETH, 1, MANIFEST, now + PARAMS.challengePeriod);
      const [pending, pendingEpoch] = await f.rewards.pendingChannelRoot(id);
      expect([pending.root, pending.claimableAt, pending.vetoed, pendingEpoch]).to.deep.equal([
        tree.root,
        BigInt(now + PARAMS.challengePeriod),
        false,
        1n,
      ]);
      const [live, liveEpoch] = await f.rewards.liveChannelRoot(id);
      expect([live.root, liveEpoch]).to.deep.equal([ethers.ZeroHash, 0n]);
      expect((await f.rewards.getChannel(id)).lastEpoch).to.equal(1);
      await time.increase(PARAMS.challengePeriod);
      for (const epoch of [0, 1, 3, 2n ** 64n - 1n]) {
        await expect(f.rewards.connect(f.publisher).publishChannelRoot(id, epoch, ethers.id("x"), 1, 1, MANIFEST))
          .to.be.revertedWithCustomError(f.rewards, "ChannelPools_EpochNotNext")
          .withArgs(id, epoch, 2);
      }
      await expect(f.rewards.connect(f.publisher).publishChannelRoot(id, 1, tree.root, 1, 1, MANIFEST)).to.be.reverted;
      await expect(f.rewards.connect(f.publisher).publishChannelRoot(id, 2, tree.root, 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_RootInUse")
        .withArgs(tree.root);
    });

    it("refuses to replace a root still in its challenge period", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      await f.rewards.connect(f.publisher).publishChannelRoot(id, 1, ethers.id("r1"), 1, 1, MANIFEST);
      const [pending] = await f.rewards.pendingChannelRoot(id);
      await expect(f.rewards.connect(f.publisher).publishChannelRoot(id, 2, ethers.id("r2"), 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_RootInChallenge")
        .withArgs(id, 1, pending.claimableAt);
    });

    it("moves a pending root past its challenge period to live when the next one is posted", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      const t1 = await publishLiveChannelRoot(f, id, 1, await oneAccount(f, ONE_ETH));
      const [before] = await f.rewards.liveChannelRoot(id);
      expect(before.root).to.equal(t1.root);
      const t2 = channelTree(id, await oneAccount(f, 2n * ONE_ETH));
      await f.rewards.connect(f.publisher).publishChannelRoot(id, 2, t2.root, 2n * ONE_ETH, 1, MANIFEST);
      const [live, liveEpoch] = await f.rewards.liveChannelRoot(id);
      expect([live.root, live.claimableAt, liveEpoch]).to.deep.equal([t1.root, before.claimableAt, 1n]);
      const [pending, pendingEpoch] = await f.rewards.pendingChannelRoot(id);
      expect([pending.root, pendingEpoch]).to.deep.equal([t2.root, 2n]);
    });
  });

  describe("claims", () => {
    it("when paused: reverts with RewardsBase_ClaimsPaused", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      const tree = await publishLiveChannelRoot(f, id, 1, await oneAccount(f, ONE_ETH));
      await f.rewards.connect(f.guardian).setClaimsPaused(true);
      await expect(
        f.rewards.connect(f.users[0]).claimChannelTo(id, ONE_ETH, f.users[1].address, tree.proof(0)),
      ).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ClaimsPaused");
    });

    it("claimChannelTo reverts on the zero recipient", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      const tree = await publishLiveChannelRoot(f, id, 1, await oneAccount(f, ONE_ETH));
      await expect(
        f.rewards.connect(f.users[0]).claimChannelTo(id, ONE_ETH, ethers.ZeroAddress, tree.proof(0)),
      ).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ZeroRecipient");
    });

    it("reverts with ChannelPools_NoLiveRoot before any root is live", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      const tree = channelTree(id, await oneAccount(f, ONE_ETH));
      await f.rewards.connect(f.publisher).publishChannelRoot(id, 1, tree.root, ONE_ETH, 1, MANIFEST);
      await expect(f.rewards.connect(f.users[0]).claimChannel(id, ONE_ETH, tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NoLiveRoot")
        .withArgs(id);
      await expect(f.rewards.connect(f.users[0]).claimChannel(99, ONE_ETH, tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NoLiveRoot")
        .withArgs(99);
    });

    it("reverts with ChannelPools_InvalidProof for another account, another channel or an altered score", async () => {
      const f = await loadFixture(deployFixture);
      const a = await createChannel(f);
      const b = await createChannel(f);
      const ta = await publishLiveChannelRoot(f, a, 1, [...(await oneAccount(f, ONE_ETH)), ...(await oneAccount(f, 5n, 2))]);
      const tb = await publishLiveChannelRoot(f, b, 1, [...(await oneAccount(f, ONE_ETH)), ...(await oneAccount(f, 7n, 3))]);
      await expect(f.rewards.connect(f.users[1]).claimChannel(a, ONE_ETH, ta.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_InvalidProof")
        .withArgs(a, f.users[1].address, ONE_ETH);
      await expect(f.rewards.connect(f.users[0]).claimChannel(a, ONE_ETH, tb.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_InvalidProof")
        .withArgs(a, f.users[0].address, ONE_ETH);
      await expect(f.rewards.connect(f.users[0]).claimChannel(a, 2n * ONE_ETH, ta.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_InvalidProof")
        .withArgs(a, f.users[0].address, 2n * ONE_ETH);
    });

    it("converts everything owed when the pool holds enough; a second claim owes nothing", async () => {
      const f = await loadFixture(deployFixture);
      // 0.3 token wei per score wei; 10 ETH in the pool.
      const rate = 3n * 10n ** 17n;
      const id = await createChannel(f, { rate });
      const score = 1_000_000_000_000_000_001n;
      const tree = await publishLiveChannelRoot(f, id, 1, await oneAccount(f, score));
      const expected = (score * rate) / WAD; // rounded down
      expect(await f.rewards.previewChannelClaim(id, f.users[0].address, score)).to.deep.equal([expected, score]);
      const tx = await f.rewards.connect(f.users[0]).claimChannel(id, score, tree.proof(0));
      await expect(tx)
        .to.emit(f.rewards, "ChannelClaimed")
        .withArgs(id, f.users[0].address, f.users[0].address, expected, score, 0);
      await expect(tx).to.changeEtherBalance(f.users[0], expected, { includeFee: false });
      expect(await f.rewards.convertedScore(id, f.users[0].address)).to.equal(score);
      expect((await f.rewards.getChannel(id)).balance).to.equal(10n * ONE_ETH - expected);
      await expect(f.rewards.connect(f.users[0]).claimChannel(id, score, tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NothingOwed")
        .withArgs(id, f.users[0].address, score, score);
      expect(await f.rewards.previewChannelClaim(id, f.users[0].address, score)).to.deep.equal([0n, 0n]);
    });

    it("partial claim when the pool runs short, then a top-up, then the rest", async () => {
      const f = await loadFixture(deployFixture);
      const rate = 3n * 10n ** 17n; // 0.3 wei per score wei
      const id = await createChannel(f, { rate, amount: 1000n });
      const score = 10_000n; // worth 3000 wei
      const tree = await publishLiveChannelRoot(f, id, 1, await oneAccount(f, score));
      // The pool pays all it holds, 1000 wei, converting only the score that needs: ⌈1000·1e18/0.3e18⌉ = 3334,
      // worth 1000.2 wei; the 0.2 wei over is the account's carry for its next claim.
      expect(await f.rewards.previewChannelClaim(id, f.users[0].address, score)).to.deep.equal([1000n, 3334n]);
      await expect(f.rewards.connect(f.users[0]).claimChannel(id, score, tree.proof(0)))
        .to.emit(f.rewards, "ChannelClaimed")
        .withArgs(id, f.users[0].address, f.users[0].address, 1000n, 3334n, 10_000n - 3334n);
      expect(await f.rewards.convertedScore(id, f.users[0].address)).to.equal(3334n);
      expect((await f.rewards.getChannel(id)).balance).to.equal(0n);
      await expect(f.rewards.connect(f.users[0]).claimChannel(id, score, tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_PoolEmpty")
        .withArgs(id, 0n);
      expect(await f.rewards.previewChannelClaim(id, f.users[0].address, score)).to.deep.equal([0n, 0n]);
      await f.rewards.connect(f.brand).fundChannel(id, 5000n, { value: 5000n });
      // The rest, 6666 score worth 1999.8 wei, plus the 0.2 wei carry: exactly 2000 wei, so the two claims pay
      // ⌊10000 · 0.3⌋ = 3000 wei, what one claim would have.
      const rest = 10_000n - 3334n;
      await expect(f.rewards.connect(f.users[0]).claimChannel(id, score, tree.proof(0)))
        .to.emit(f.rewards, "ChannelClaimed")
        .withArgs(id, f.users[0].address, f.users[0].address, 2000n, rest, 0);
      expect(await f.rewards.convertedScore(id, f.users[0].address)).to.equal(score);
      expect((await f.rewards.getChannel(id)).balance).to.equal(3000n);
    });

    it("pays the whole owed value when it exceeds balance·1e18/rate but rounds down to the balance", async () => {
      const f = await loadFixture(deployFixture);
      const rate = 3n * 10n ** 17n;
      const id = await createChannel(f, { rate, amount: 3n });
      // 11 score is worth 3.3 → 3 wei = the balance: the whole score converts (balance·1e18/rate = 10 < 11).
      const tree = await publishLiveChannelRoot(f, id, 1, await oneAccount(f, 11n));
      await expect(f.rewards.connect(f.users[0]).claimChannel(id, 11n, tree.proof(0)))
        .to.emit(f.rewards, "ChannelClaimed")
        .withArgs(id, f.users[0].address, f.users[0].address, 3n, 11n, 0);
    });

    it("an empty pool reverts with ChannelPools_PoolEmpty; dust reverts with ChannelPools_NothingOwed", async () => {
      const f = await loadFixture(deployFixture);
      const rate = 3n * 10n ** 17n;
      const id = await createChannel(f, { rate, amount: 0n });
      const tree = await publishLiveChannelRoot(f, id, 1, [
        { account: f.users[0].address, cumulativeScore: ONE_ETH },
        { account: f.users[1].address, cumulativeScore: 3n }, // worth 0.9 wei
      ]);
      await expect(f.rewards.connect(f.users[0]).claimChannel(id, ONE_ETH, tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_PoolEmpty")
        .withArgs(id, 0);
      await f.rewards.fundChannel(id, ONE_ETH, { value: ONE_ETH });
      await expect(f.rewards.connect(f.users[1]).claimChannel(id, 3n, tree.proof(1)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NothingOwed")
        .withArgs(id, f.users[1].address, 3n, 0n);
      expect(await f.rewards.previewChannelClaim(id, f.users[1].address, 3n)).to.deep.equal([0n, 0n]);
    });

    it("a cumulative root converts only the increase; a rate change applies to unconverted score", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f, { rate: WAD, amount: 100n * ONE_ETH });
      const t1 = await publishLiveChannelRoot(f, id, 1, await oneAccount(f, ONE_ETH));
      await f.rewards.connect(f.users[0]).claimChannel(id, ONE_ETH, t1.proof(0));
      await f.rewards.connect(f.brand).announceRateChange(id, 2n * WAD);
      const t2 = await publishLiveChannelRoot(f, id, 2, await oneAccount(f, 3n * ONE_ETH));
      // Before the notice ends: old rate on the 2 new score units.
      await expect(f.rewards.connect(f.users[0]).claimChannel(id, 3n * ONE_ETH, t2.proof(0)))
        .to.emit(f.rewards, "ChannelClaimed")
        .withArgs(id, f.users[0].address, f.users[0].address, 2n * ONE_ETH, 2n * ONE_ETH, 0);
      const t3 = await publishLiveChannelRoot(f, id, 3, await oneAccount(f, 4n * ONE_ETH));
      await time.increase(PARAMS.rateChangeNotice);
      // After: the new rate on the 1 new score unit.
      await expect(f.rewards.connect(f.users[0]).claimChannel(id, 4n * ONE_ETH, t3.proof(0)))
        .to.emit(f.rewards, "ChannelClaimed")
        .withArgs(id, f.users[0].address, f.users[0].address, 2n * ONE_ETH, ONE_ETH, 0);
    });

    it("claimChannelTo pays the recipient; an ERC-20 channel pays tokens", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f, { token: await f.token.getAddress(), amount: 1000n, rate: 2n * WAD });
      const tree = await publishLiveChannelRoot(f, id, 1, await oneAccount(f, 100n));
      const tx = await f.rewards.connect(f.users[0]).claimChannelTo(id, 100n, f.users[4].address, tree.proof(0));
      await expect(tx).to.changeTokenBalances(f.token, [f.users[4], f.rewards], [200n, -200n]);
      await expect(tx)
        .to.emit(f.rewards, "ChannelClaimed")
        .withArgs(id, f.users[0].address, f.users[4].address, 200n, 100n, 0);
    });

    it("a rejecting receiver fails only its own claim (ETH and ERC-20)", async () => {
      const f = await loadFixture(deployFixture);
      const rejecting = await ethers.deployContract("RejectingReceiver");
      const rej = await rejecting.getAddress();
      const id = await createChannel(f);
      const tree = await publishLiveChannelRoot(f, id, 1, [
        { account: rej, cumulativeScore: ONE_ETH },
        { account: f.users[0].address, cumulativeScore: ONE_ETH },
      ]);
      await expect(rejecting.claimChannel(await f.rewards.getAddress(), id, ONE_ETH, tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "Funds_PaymentFailed")
        .withArgs(ETH, rej, ONE_ETH);
      await f.rewards.connect(f.users[0]).claimChannel(id, ONE_ETH, tree.proof(1));
      await expect(
        rejecting.claimChannelTo(await f.rewards.getAddress(), id, ONE_ETH, f.users[6].address, tree.proof(0)),
      ).to.changeEtherBalance(f.users[6], ONE_ETH);

      const blk = await ethers.deployContract("BlocklistERC20");
      await blk.mint(f.brand.address, 10n);
      await blk.connect(f.brand).approve(await f.rewards.getAddress(), 10n);
      const tid = await createChannel(f, { token: await blk.getAddress(), amount: 10n });
      const t2 = await publishLiveChannelRoot(f, tid, 1, await oneAccount(f, 5n));
      await blk.setBlocked(f.users[0].address, true);
      await expect(f.rewards.connect(f.users[0]).claimChannel(tid, 5n, t2.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "Funds_PaymentFailed")
        .withArgs(await blk.getAddress(), f.users[0].address, 5n);
    });
  });

  describe("views", () => {
    it("an unknown channel reads as zeros and previews nothing", async () => {
      const f = await loadFixture(deployFixture);
      const c = await f.rewards.getChannel(7);
      expect(c.brand).to.equal(ETH);
      expect(await f.rewards.currentRate(7)).to.equal(0);
      expect(await f.rewards.previewChannelClaim(7, f.users[0].address, ONE_ETH)).to.deep.equal([0n, 0n]);
      const [pending, epoch] = await f.rewards.pendingChannelRoot(7);
      expect([pending.root, epoch]).to.deep.equal([ethers.ZeroHash, 0n]);
    });

    it("pendingChannelRoot drops a vetoed root, whose epoch is posted again; a live pending root moves to liveChannelRoot", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      await f.rewards.connect(f.publisher).publishChannelRoot(id, 1, ethers.id("r1"), 1, 1, MANIFEST);
      await f.rewards.connect(f.guardian).vetoChannelRoot(id);
      await time.increase(2n * DAY);
      let [pending, epoch] = await f.rewards.pendingChannelRoot(id);
      expect([pending.root, pending.vetoed, epoch]).to.deep.equal([ethers.ZeroHash, false, 0n]);
      let [live] = await f.rewards.liveChannelRoot(id);
      expect(live.root).to.equal(ethers.ZeroHash);
      expect((await f.rewards.getChannel(id)).lastEpoch).to.equal(0n);
      await f.rewards.connect(f.publisher).publishChannelRoot(id, 1, ethers.id("r2"), 1, 1, MANIFEST);
      [pending, epoch] = await f.rewards.pendingChannelRoot(id);
      expect([pending.root, epoch]).to.deep.equal([ethers.id("r2"), 1n]);
      await time.increase(PARAMS.challengePeriod);
      [pending, epoch] = await f.rewards.pendingChannelRoot(id);
      expect([pending.root, epoch]).to.deep.equal([ethers.ZeroHash, 0n]);
      [live, epoch] = await f.rewards.liveChannelRoot(id);
      expect([live.root, live.vetoed, epoch]).to.deep.equal([ethers.id("r2"), false, 1n]);
    });
  });
});
