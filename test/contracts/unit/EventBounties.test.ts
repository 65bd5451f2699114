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
  createEvent,
  deployFixture,
  eventTree,
  liveEvent,
  publishedEvent,
  type DeployFixture,
  readEvent,
} from "../shared/fixtures";

const MANIFEST = ethers.id("manifest");

async function leaves(f: DeployFixture, amounts: bigint[]) {
  return amounts.map((amount, i) => ({ account: f.users[i].address, amount }));
}

describe("EventBounties: lifecycle", () => {
  describe("createEvent", () => {
    it("creates an ETH event, stores it and emits EventCreated", async () => {
      const f = await loadFixture(deployFixture);
      const now = (await blockTime()) + 1n;
      await time.setNextBlockTimestamp(now);
      const amount = ethers.parseEther("3");
      const tx = await f.rewards.connect(f.brand).createEvent(ETH, now - 100n, now + DAY, 5n * DAY, amount, "ipfs://x", { value: amount });
      await expect(tx).to.emit(f.rewards, "EventCreated").withArgs(1, f.brand.address, ETH, now - 100n, now + DAY, 5n * DAY, now + DAY + PARAMS.publishDeadline, amount, "ipfs://x");
      await expect(tx).to.changeEtherBalances([f.brand, f.rewards], [-amount, amount]);
      expect(await f.rewards.eventCount()).to.equal(1);
      const e = await readEvent(f.rewards, 1);
      expect(e.brand).to.equal(f.brand.address);
      expect(e.token).to.equal(ETH);
      expect(e.start).to.equal(now - 100n);
      expect(e.end).to.equal(now + DAY);
      expect(e.claimWindow).to.equal(5n * DAY);
      expect(e.rootDeadline).to.equal(now + DAY + PARAMS.publishDeadline);
      expect(e.challengePeriod).to.equal(PARAMS.challengePeriod);
      expect(e.claimsCloseAt).to.equal(0);
      expect(e.funded).to.equal(amount);
      expect(e.total).to.equal(0);
      expect(e.claimed).to.equal(0);
      expect(e.recipientCount).to.equal(0);
      expect(e.settled).to.equal(false);
      // getEventBounty returns the same struct as readEvent.
      expect(await f.rewards.getEventBounty(1)).to.deep.equal(e);
    });

    it("creates an ERC-20 event, pulling exactly the amount", async () => {
      const f = await loadFixture(deployFixture);
      const token = await f.token.getAddress();
      const ev = await createEvent(f, { token, amount: 1234n });
      await expect(ev.eventId).to.equal(1n);
      expect(await f.token.balanceOf(await f.rewards.getAddress())).to.equal(1234n);
      expect((await readEvent(f.rewards, 1)).token).to.equal(token);
    });

    it("numbers events from 1", async () => {
      const f = await loadFixture(deployFixture);
      expect((await createEvent(f)).eventId).to.equal(1n);
      expect((await createEvent(f)).eventId).to.equal(2n);
      expect(await f.rewards.eventCount()).to.equal(2);
    });

    it("reverts when start ≥ end", async () => {
      const f = await loadFixture(deployFixture);
      const now = (await blockTime()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(f.rewards.connect(f.brand).createEvent(ETH, now + DAY, now + DAY, DAY, 1, "", { value: 1 }))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_InvalidPeriod")
        .withArgs(now + DAY, now + DAY, now);
    });

    it("reverts when the end is not in the future", async () => {
      const f = await loadFixture(deployFixture);
      const now = (await blockTime()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(f.rewards.connect(f.brand).createEvent(ETH, now - DAY, now, DAY, 1, "", { value: 1 }))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_InvalidPeriod")
        .withArgs(now - DAY, now, now);
    });

    it("reverts when end + publish deadline does not fit in 40 bits", async () => {
      const f = await loadFixture(deployFixture);
      const now = (await blockTime()) + 1n;
      await time.setNextBlockTimestamp(now);
      const end = 2 ** 40 - 1;
      await expect(f.rewards.connect(f.brand).createEvent(ETH, now, end, DAY, 1, "", { value: 1 }))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_InvalidPeriod")
        .withArgs(now, end, now);
    });

    it("reverts on a claim window shorter than the minimum (zero included)", async () => {
      const f = await loadFixture(deployFixture);
      const now = await blockTime();
      await expect(f.rewards.connect(f.brand).createEvent(ETH, now, now + DAY, 0, 1, "", { value: 1 }))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_ClaimWindowTooShort")
        .withArgs(0, PARAMS.minClaimWindow);
      await expect(f.rewards.connect(f.brand).createEvent(ETH, now, now + DAY, PARAMS.minClaimWindow - 1n, 1, "", { value: 1 }))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_ClaimWindowTooShort")
        .withArgs(PARAMS.minClaimWindow - 1n, PARAMS.minClaimWindow);
      await expect(
        f.rewards.connect(f.brand).createEvent(ETH, now, now + DAY, PARAMS.minClaimWindow, 1, "", { value: 1 }),
      ).to.emit(f.rewards, "EventCreated");
    });

    it("reverts on a zero amount", async () => {
      const f = await loadFixture(deployFixture);
      const now = await blockTime();
      await expect(
        f.rewards.connect(f.brand).createEvent(ETH, now, now + DAY, DAY, 0, ""),
      ).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ZeroAmount");
    });

    it("reverts on an amount above 2^128 − 1", async () => {
      const f = await loadFixture(deployFixture);
      const now = await blockTime();
      await expect(
        f.rewards.connect(f.brand).createEvent(await f.token.getAddress(), now, now + DAY, DAY, MAX_UINT128 + 1n, ""),
      )
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_AmountOverflow")
        .withArgs(MAX_UINT128 + 1n, MAX_UINT128);
    });
  });

  describe("fundEvent", () => {
    it("lets anyone top up before the end and emits EventFunded", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f, { amount: ONE_ETH });
      const tx = await f.rewards.connect(f.stranger).fundEvent(ev.eventId, 2n * ONE_ETH, { value: 2n * ONE_ETH });
      await expect(tx).to.emit(f.rewards, "EventFunded").withArgs(ev.eventId, f.stranger.address, 2n * ONE_ETH, 3n * ONE_ETH);
      await expect(tx).to.changeEtherBalance(f.rewards, 2n * ONE_ETH);
      expect((await readEvent(f.rewards, ev.eventId)).funded).to.equal(3n * ONE_ETH);
    });

    it("tops up an ERC-20 event", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f, { token: await f.token.getAddress(), amount: 100n });
      await f.rewards.connect(f.users[0]).fundEvent(ev.eventId, 50n);
      expect((await readEvent(f.rewards, ev.eventId)).funded).to.equal(150n);
      expect(await f.token.balanceOf(await f.rewards.getAddress())).to.equal(150n);
    });

    it("reverts for an unknown event", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.rewards.fundEvent(7, 1, { value: 1 }))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_UnknownEvent")
        .withArgs(7);
    });

    it("reverts once the event has ended", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      await time.setNextBlockTimestamp(ev.end);
      await expect(f.rewards.fundEvent(ev.eventId, 1, { value: 1 }))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_Ended")
        .withArgs(ev.eventId, ev.end);
    });

    it("reverts on a zero amount", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      await expect(f.rewards.fundEvent(ev.eventId, 0)).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ZeroAmount");
    });

    it("reverts when the pot would exceed 2^128 − 1", async () => {
      const f = await loadFixture(deployFixture);
      const token = await f.token.getAddress();
      await f.token.mint(f.brand.address, MAX_UINT128);
      const ev = await createEvent(f, { token, amount: MAX_UINT128 });
      await expect(f.rewards.connect(f.brand).fundEvent(ev.eventId, 1))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_AmountOverflow")
        .withArgs(MAX_UINT128 + 1n, MAX_UINT128);
      await expect(f.rewards.connect(f.brand).fundEvent(ev.eventId, MAX_UINT128 + 1n))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_AmountOverflow")
        .withArgs(MAX_UINT128 + 1n, MAX_UINT128);
    });

    it("reverts when the ETH sent differs from the amount", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      await expect(f.rewards.fundEvent(ev.eventId, 2, { value: 1 }))
        .to.be.revertedWithCustomError(f.rewards, "Funds_ValueMismatch")
        .withArgs(2, 1);
    });
  });

  describe("publishEventRoot", () => {
    it("reverts for a caller without PUBLISHER_ROLE", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      await time.increaseTo(ev.end);
      await expect(f.rewards.connect(f.brand).publishEventRoot(ev.eventId, ethers.id("r"), 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "AccessControlUnauthorizedAccount")
        .withArgs(f.brand.address, await f.rewards.PUBLISHER_ROLE());
    });

    it("reverts for an unknown event", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.rewards.connect(f.publisher).publishEventRoot(3, ethers.id("r"), 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_UnknownEvent")
        .withArgs(3);
    });

    it("reverts before the event ends", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      await time.setNextBlockTimestamp(ev.end - 1n);
      await expect(f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, ethers.id("r"), 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_NotEnded")
        .withArgs(ev.eventId, ev.end);
    });

    it("posts the root at the end and emits EventRootPosted; totals show once live", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      const tree = eventTree(ev.eventId, await leaves(f, [ONE_ETH, 2n * ONE_ETH]));
      await time.setNextBlockTimestamp(ev.end);
      await expect(
        f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, tree.root, tree.total, 2, MANIFEST),
      )
        .to.emit(f.rewards, "EventRootPosted")
        .withArgs(ev.eventId, tree.root, tree.total, 2, MANIFEST, ev.end + PARAMS.challengePeriod);
      const root = await f.rewards.getEventRoot(ev.eventId);
      expect(root.root).to.equal(tree.root);
      expect(root.claimableAt).to.equal(ev.end + PARAMS.challengePeriod);
      expect(root.vetoed).to.equal(false);
      // Pending: not live yet.
      let e = await readEvent(f.rewards, ev.eventId);
      expect([e.total, e.claimed, e.recipientCount]).to.deep.equal([0n, 0n, 0n]);
      await time.increaseTo(ev.end + PARAMS.challengePeriod);
      e = await readEvent(f.rewards, ev.eventId);
      expect([e.total, e.claimed, e.recipientCount]).to.deep.equal([tree.total, 0n, 2n]);
    });

    it("accepts total == funded and refuses total > funded", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f, { amount: 5n });
      await time.increaseTo(ev.end);
      await expect(f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, ethers.id("r"), 6, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_TotalExceedsPot")
        .withArgs(ev.eventId, 6, 5);
      await f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, ethers.id("r"), 5, 1, MANIFEST);
    });

    it("reverts on a zero root", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      await time.increaseTo(ev.end);
      await expect(f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, ethers.ZeroHash, 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_ZeroRoot")
        .withArgs(ev.eventId);
    });

    it("reverts when a non-vetoed root was already posted", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await publishedEvent(f, await leaves(f, [ONE_ETH]));
      await expect(f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, ethers.id("other"), 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_RootAlreadyPosted")
        .withArgs(ev.eventId, ev.tree.root);
    });

    it("reverts when the root is registered for another event", async () => {
      const f = await loadFixture(deployFixture);
      const a = await publishedEvent(f, await leaves(f, [ONE_ETH]));
      const b = await createEvent(f);
      await time.increaseTo(b.end);
      await expect(f.rewards.connect(f.publisher).publishEventRoot(b.eventId, a.tree.root, 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_RootInUse")
        .withArgs(a.tree.root);
    });

    it("reverts when recipientCount does not fit in 64 bits", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      await time.increaseTo(ev.end);
      await expect(f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, ethers.id("r"), 1, 2n ** 64n, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_AmountOverflow")
        .withArgs(2n ** 64n, 2n ** 64n - 1n);
    });

    it("refuses a root that could not go live by the publish deadline", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      const deadline = ev.end + PARAMS.publishDeadline;
      // The last second at which a root can still go live in time is deadline − challengePeriod.
      await time.setNextBlockTimestamp(deadline - PARAMS.challengePeriod + 1n);
      await expect(f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, ethers.id("r"), 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_PublishDeadlineTooClose")
        .withArgs(ev.eventId, deadline + 1n, deadline);
    });

    it("accepts a root posted at the last second that still goes live by the deadline", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      const deadline = ev.end + PARAMS.publishDeadline;
      await time.setNextBlockTimestamp(deadline - PARAMS.challengePeriod);
      await f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, ethers.id("r"), 1, 1, MANIFEST);
      expect((await f.rewards.getEventRoot(ev.eventId)).claimableAt).to.equal(deadline);
    });

    it("reverts once the event is settled", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      await time.increaseTo(ev.end + PARAMS.publishDeadline + 1n);
      await f.rewards.connect(f.brand).refundEvent(ev.eventId, f.brand);
      await expect(f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, ethers.id("r"), 1, 1, MANIFEST))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_Settled")
        .withArgs(ev.eventId);
    });
  });

  describe("refundEvent", () => {
    it("refunds the whole pot when no root was posted by the deadline", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f, { amount: ONE_ETH });
      await f.rewards.connect(f.stranger).fundEvent(ev.eventId, ONE_ETH, { value: ONE_ETH });
      await time.increaseTo(ev.end + PARAMS.publishDeadline + 1n);
      const tx = await f.rewards.connect(f.brand).refundEvent(ev.eventId, f.brand);
      await expect(tx).to.emit(f.rewards, "EventRefunded").withArgs(ev.eventId, f.brand.address, f.brand.address, 2n * ONE_ETH);
      await expect(tx).to.changeEtherBalances([f.brand, f.rewards], [2n * ONE_ETH, -2n * ONE_ETH]);
      expect((await readEvent(f.rewards, ev.eventId)).settled).to.equal(true);
    });

    it("refunds an ERC-20 pot", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f, { token: await f.token.getAddress(), amount: 777n });
      await time.increaseTo(ev.end + PARAMS.publishDeadline + 1n);
      await expect(f.rewards.connect(f.brand).refundEvent(ev.eventId, f.brand)).to.changeTokenBalances(
        f.token,
        [f.brand, f.rewards],
        [777n, -777n],
      );
    });

    it("refunds when the only root was vetoed", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await publishedEvent(f, await leaves(f, [ONE_ETH]));
      await f.rewards.connect(f.guardian).vetoEventRoot(ev.eventId);
      await time.increaseTo(ev.end + PARAMS.publishDeadline + 1n);
      await expect(f.rewards.connect(f.brand).refundEvent(ev.eventId, f.brand)).to.changeEtherBalance(f.brand, ev.amount);
    });

    it("reverts for anyone but the brand", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      await time.increaseTo(ev.end + PARAMS.publishDeadline + 1n);
      await expect(f.rewards.connect(f.stranger).refundEvent(ev.eventId, f.stranger))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_NotBrand")
        .withArgs(ev.eventId, f.stranger.address);
    });

    it("reverts up to and at the deadline", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      const deadline = ev.end + PARAMS.publishDeadline;
      await time.setNextBlockTimestamp(deadline);
      await expect(f.rewards.connect(f.brand).refundEvent(ev.eventId, f.brand))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_RefundNotYetAvailable")
        .withArgs(ev.eventId, deadline);
    });

    it("reverts when a non-vetoed root exists", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await publishedEvent(f, await leaves(f, [ONE_ETH]));
      await time.increaseTo(ev.end + PARAMS.publishDeadline + 1n);
      await expect(f.rewards.connect(f.brand).refundEvent(ev.eventId, f.brand))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_RootPosted")
        .withArgs(ev.eventId, ev.tree.root);
    });

    it("reverts the second time (settled)", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      await time.increaseTo(ev.end + PARAMS.publishDeadline + 1n);
      await f.rewards.connect(f.brand).refundEvent(ev.eventId, f.brand);
      await expect(f.rewards.connect(f.brand).refundEvent(ev.eventId, f.brand))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_Settled")
        .withArgs(ev.eventId);
    });

    it("reverts when the brand rejects ETH (and can retry later: nothing moved)", async () => {
      const f = await loadFixture(deployFixture);
      const rejecting = await ethers.deployContract("RejectingReceiver");
      const now = await blockTime();
      const data = f.rewards.interface.encodeFunctionData("createEvent", [ETH, now, now + DAY, DAY, ONE_ETH, ""]);
      await rejecting.forward(await f.rewards.getAddress(), data, { value: ONE_ETH });
      await time.increase(DAY + PARAMS.publishDeadline + 1n);
      const refund = f.rewards.interface.encodeFunctionData("refundEvent", [1, await rejecting.getAddress()]);
      await expect(rejecting.forward(await f.rewards.getAddress(), refund))
        .to.be.revertedWithCustomError(f.rewards, "Funds_PaymentFailed")
        .withArgs(ETH, await rejecting.getAddress(), ONE_ETH);
      expect((await readEvent(f.rewards, 1)).settled).to.equal(false);
    });
  });

  describe("withdrawUnclaimed", () => {
    it("returns funded − claimed to the brand once the claim window has closed", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, await leaves(f, [ONE_ETH, 2n * ONE_ETH]), { amount: 5n * ONE_ETH });
      await f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0));
      const closesAt = ev.claimableAt + ev.claimWindow;
      await time.setNextBlockTimestamp(closesAt);
      const tx = await f.rewards.connect(f.brand).withdrawUnclaimed(ev.eventId, f.brand);
      await expect(tx).to.emit(f.rewards, "EventUnclaimedWithdrawn").withArgs(ev.eventId, f.brand.address, f.brand.address, 4n * ONE_ETH);
      await expect(tx).to.changeEtherBalance(f.brand, 4n * ONE_ETH);
      const e = await readEvent(f.rewards, ev.eventId);
      expect(e.settled).to.equal(true);
      expect(e.claimed).to.equal(ONE_ETH);
      expect(e.funded).to.equal(5n * ONE_ETH);
    });

    it("withdraws an ERC-20 rest", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, await leaves(f, [10n]), { token: await f.token.getAddress(), amount: 15n });
      await time.increaseTo(ev.claimableAt + ev.claimWindow);
      await expect(f.rewards.connect(f.brand).withdrawUnclaimed(ev.eventId, f.brand)).to.changeTokenBalance(f.token, f.brand, 15n);
    });

    it("settles without a transfer when everything was claimed", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, await leaves(f, [ONE_ETH]), { amount: ONE_ETH });
      await f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0));
      await time.increaseTo(ev.claimableAt + ev.claimWindow);
      const tx = await f.rewards.connect(f.brand).withdrawUnclaimed(ev.eventId, f.brand);
      await expect(tx).to.emit(f.rewards, "EventUnclaimedWithdrawn").withArgs(ev.eventId, f.brand.address, f.brand.address, 0);
      await expect(tx).to.changeEtherBalance(f.brand, 0);
      expect((await readEvent(f.rewards, ev.eventId)).settled).to.equal(true);
    });

    it("reverts while the claim window is open", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, await leaves(f, [ONE_ETH]));
      const closesAt = ev.claimableAt + ev.claimWindow;
      await time.setNextBlockTimestamp(closesAt - 1n);
      await expect(f.rewards.connect(f.brand).withdrawUnclaimed(ev.eventId, f.brand))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_ClaimWindowOpen")
        .withArgs(ev.eventId, closesAt);
    });

    it("reverts without a root, or with a vetoed one", async () => {
      const f = await loadFixture(deployFixture);
      const bare = await createEvent(f);
      const vetoed = await publishedEvent(f, await leaves(f, [ONE_ETH]));
      await f.rewards.connect(f.brand).vetoEventRoot(vetoed.eventId);
      await time.increase(365n * DAY);
      for (const id of [bare.eventId, vetoed.eventId]) {
        await expect(f.rewards.connect(f.brand).withdrawUnclaimed(id, f.brand))
          .to.be.revertedWithCustomError(f.rewards, "EventBounties_NoLiveRoot")
          .withArgs(id);
      }
    });

    it("reverts for anyone but the brand, and once settled", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, await leaves(f, [ONE_ETH]));
      await time.increaseTo(ev.claimableAt + ev.claimWindow);
      await expect(f.rewards.connect(f.guardian).withdrawUnclaimed(ev.eventId, f.guardian))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_NotBrand")
        .withArgs(ev.eventId, f.guardian.address);
      await f.rewards.connect(f.brand).withdrawUnclaimed(ev.eventId, f.brand);
      await expect(f.rewards.connect(f.brand).withdrawUnclaimed(ev.eventId, f.brand))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_Settled")
        .withArgs(ev.eventId);
    });
  });

  describe("views", () => {
    it("isEventClaimed and getEventBounty().claimed follow claims", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, await leaves(f, [ONE_ETH, 2n * ONE_ETH, 3n * ONE_ETH]));
      expect(await f.rewards.isEventClaimed(ev.eventId, 1)).to.equal(false);
      await f.rewards.claimEvent(ev.eventId, 1, f.users[1].address, 2n * ONE_ETH, ev.tree.proof(1));
      expect(await f.rewards.isEventClaimed(ev.eventId, 1)).to.equal(true);
      expect(await f.rewards.isEventClaimed(ev.eventId, 0)).to.equal(false);
      expect(await f.rewards.isEventClaimed(ev.eventId, 2)).to.equal(false);
      const e = await readEvent(f.rewards, ev.eventId);
      expect(e.claimed).to.equal(2n * ONE_ETH);
      expect(e.total).to.equal(6n * ONE_ETH);
    });

    it("an unknown id reads as all zeros", async () => {
      const f = await loadFixture(deployFixture);
      const e = await readEvent(f.rewards, 42);
      expect(e.brand).to.equal(ETH);
      expect(e.funded).to.equal(0);
      const r = await f.rewards.getEventRoot(42);
      expect(r.root).to.equal(ethers.ZeroHash);
    });
  });
});
