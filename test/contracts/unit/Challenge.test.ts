/*
Challenge period and vetoes
├── vetoEventRoot(eventId)
│   ├── when the caller is neither the event's brand nor a guardian (another brand, the publisher, a stranger)
│   │   └── it should revert with EventBounties_NotBrandOrGuardian
│   └── when the caller is the brand or a guardian
│       ├── given no root was posted
│       │   └── it should revert with EventBounties_NoPendingRoot
│       ├── given the root was already vetoed
│       │   └── it should revert with EventBounties_NoPendingRoot
│       ├── given the challenge period is over (now ≥ claimableAt)
│       │   └── it should revert with EventBounties_ChallengePeriodOver
│       └── given the root is in its challenge period
│           ├── it should mark it vetoed, emit EventRootVetoed, and never let it pay
│           ├── it should let the publisher post a new root, which goes live after its own challenge period
│           └── it should refuse to re-post the vetoed root (EventBounties_RootInUse)
├── vetoChannelRoot(channelId)
│   ├── when the caller is neither the channel's brand nor a guardian
│   │   └── it should revert with ChannelPools_NotBrandOrGuardian
│   └── when the caller is the brand or a guardian
│       ├── given no root was posted, or it was already vetoed
│       │   └── it should revert with ChannelPools_NoPendingRoot
│       ├── given the pending root's challenge period is over
│       │   └── it should revert with ChannelPools_ChallengePeriodOver
│       └── given the pending root is in its challenge period
│           ├── it should mark it vetoed and emit ChannelRootVetoed
│           ├── it should keep claims on the older live root working
│           ├── it should burn the epoch (EpochNotIncreasing for the same epoch)
│           └── it should let a newer epoch replace it at once
└── challenge period
    ├── given an event root: claims revert until claimableAt (EventBounties_RootInChallenge), then pay
    ├── given a channel with a live root and a newer pending one
    │   ├── while the newer one is in its challenge period → claims verify against the older live root
    │   └── once its challenge period is over → claims verify against the newer one
    └── given a challenge period of 0 (local demos)
        └── a posted root is live at once and cannot be vetoed
*/
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import {
  HOUR,
  ONE_ETH,
  PARAMS,
  channelTree,
  createChannel,
  createEvent,
  deployFixture,
  eventTree,
  liveEvent,
  publishLiveChannelRoot,
  publishedEvent,
  type DeployFixture,
  readEvent,
} from "../shared/fixtures";

const MANIFEST = ethers.id("manifest");

async function leavesOf(f: DeployFixture) {
  return [
    { account: f.users[0].address, amount: ONE_ETH },
    { account: f.users[1].address, amount: ONE_ETH },
  ];
}

describe("Challenge period and vetoes", () => {
  describe("vetoEventRoot", () => {
    it("reverts for anyone but the event's brand or a guardian", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await publishedEvent(f, await leavesOf(f));
      for (const who of [f.stranger, f.brand2, f.publisher, f.admin]) {
        await expect(f.rewards.connect(who).vetoEventRoot(ev.eventId))
          .to.be.revertedWithCustomError(f.rewards, "EventBounties_NotBrandOrGuardian")
          .withArgs(ev.eventId, who.address);
      }
    });

    it("reverts with EventBounties_NoPendingRoot without a root or once vetoed", async () => {
      const f = await loadFixture(deployFixture);
      const bare = await createEvent(f);
      await expect(f.rewards.connect(f.brand).vetoEventRoot(bare.eventId))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_NoPendingRoot")
        .withArgs(bare.eventId);
      const ev = await publishedEvent(f, await leavesOf(f));
      await f.rewards.connect(f.brand).vetoEventRoot(ev.eventId);
      await expect(f.rewards.connect(f.guardian).vetoEventRoot(ev.eventId))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_NoPendingRoot")
        .withArgs(ev.eventId);
    });

    it("reverts with EventBounties_ChallengePeriodOver from claimableAt on", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await publishedEvent(f, await leavesOf(f));
      await time.setNextBlockTimestamp(ev.claimableAt);
      await expect(f.rewards.connect(f.guardian).vetoEventRoot(ev.eventId))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_ChallengePeriodOver")
        .withArgs(ev.eventId, ev.claimableAt);
    });

    for (const role of ["brand", "guardian"] as const) {
      it(`the ${role} vetoes in the challenge period: the root never pays`, async () => {
        const f = await loadFixture(deployFixture);
        const ev = await publishedEvent(f, await leavesOf(f));
        const who = role === "brand" ? f.brand : f.guardian;
        await time.setNextBlockTimestamp(ev.claimableAt - 1n);
        await expect(f.rewards.connect(who).vetoEventRoot(ev.eventId))
          .to.emit(f.rewards, "EventRootVetoed")
          .withArgs(ev.eventId, ev.tree.root, who.address);
        const root = await f.rewards.getEventRoot(ev.eventId);
        expect([root.root, root.vetoed]).to.deep.equal([ev.tree.root, true]);
        await time.increase(HOUR);
        await expect(
          f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0)),
        ).to.be.revertedWithCustomError(f.rewards, "EventBounties_NoLiveRoot");
        const e = await readEvent(f.rewards, ev.eventId);
        expect([e.total, e.claimed]).to.deep.equal([0n, 0n]);
      });
    }

    it("after a veto a new root can be posted and goes live; the vetoed root cannot be re-posted", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await publishedEvent(f, await leavesOf(f));
      await f.rewards.connect(f.guardian).vetoEventRoot(ev.eventId);
      await expect(
        f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, ev.tree.root, ev.tree.total, 2, MANIFEST),
      )
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_RootInUse")
        .withArgs(ev.tree.root);
      const fixed = eventTree(ev.eventId, [{ account: f.users[2].address, amount: 2n * ONE_ETH }]);
      await f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, fixed.root, fixed.total, 1, MANIFEST);
      const root = await f.rewards.getEventRoot(ev.eventId);
      expect([root.root, root.vetoed]).to.deep.equal([fixed.root, false]);
      await time.increaseTo(root.claimableAt);
      await expect(
        f.rewards.claimEvent(ev.eventId, 0, f.users[2].address, 2n * ONE_ETH, fixed.proof(0)),
      ).to.changeEtherBalance(f.users[2], 2n * ONE_ETH);
      // The vetoed root's leaves no longer match anything.
      await expect(f.rewards.claimEvent(ev.eventId, 1, f.users[1].address, ONE_ETH, ev.tree.proof(1)))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_InvalidProof")
        .withArgs(ev.eventId, 1, f.users[1].address, ONE_ETH);
    });
  });

  describe("vetoChannelRoot", () => {
    it("reverts for anyone but the channel's brand or a guardian", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      await f.rewards.connect(f.publisher).publishChannelRoot(id, 1, ethers.id("r"), 1, 1, MANIFEST);
      for (const who of [f.stranger, f.brand2, f.publisher]) {
        await expect(f.rewards.connect(who).vetoChannelRoot(id))
          .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NotBrandOrGuardian")
          .withArgs(id, who.address);
      }
    });

    it("reverts with ChannelPools_NoPendingRoot without a root or once vetoed", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      await expect(f.rewards.connect(f.brand).vetoChannelRoot(id))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NoPendingRoot")
        .withArgs(id);
      await f.rewards.connect(f.publisher).publishChannelRoot(id, 1, ethers.id("r"), 1, 1, MANIFEST);
      await f.rewards.connect(f.brand).vetoChannelRoot(id);
      await expect(f.rewards.connect(f.guardian).vetoChannelRoot(id))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NoPendingRoot")
        .withArgs(id);
    });

    it("reverts with ChannelPools_ChallengePeriodOver once the pending root is live", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f);
      await f.rewards.connect(f.publisher).publishChannelRoot(id, 1, ethers.id("r"), 1, 1, MANIFEST);
      const [pending] = await f.rewards.pendingChannelRoot(id);
      await time.setNextBlockTimestamp(pending.claimableAt);
      await expect(f.rewards.connect(f.brand).vetoChannelRoot(id))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_ChallengePeriodOver")
        .withArgs(id, 1, pending.claimableAt);
    });

    for (const role of ["brand", "guardian"] as const) {
      it(`the ${role} vetoes: the older live root keeps paying, the epoch number is handed back, a new root takes it`, async () => {
        const f = await loadFixture(deployFixture);
        const id = await createChannel(f, { amount: 100n * ONE_ETH });
        const t1 = await publishLiveChannelRoot(f, id, 1, [{ account: f.users[0].address, cumulativeScore: ONE_ETH }]);
        const bad = channelTree(id, [{ account: f.users[0].address, cumulativeScore: 50n * ONE_ETH }]);
        await f.rewards.connect(f.publisher).publishChannelRoot(id, 2, bad.root, 50n * ONE_ETH, 1, MANIFEST);
        const who = role === "brand" ? f.brand : f.guardian;
        await expect(f.rewards.connect(who).vetoChannelRoot(id))
          .to.emit(f.rewards, "ChannelRootVetoed")
          .withArgs(id, 2, bad.root, who.address);
        await time.increase(PARAMS.challengePeriod + 1n);
        await expect(f.rewards.connect(f.users[0]).claimChannel(id, 50n * ONE_ETH, bad.proof(0)))
          .to.be.revertedWithCustomError(f.rewards, "ChannelPools_InvalidProof")
          .withArgs(id, f.users[0].address, 50n * ONE_ETH);
        await f.rewards.connect(f.users[0]).claimChannel(id, ONE_ETH, t1.proof(0));
        expect((await f.rewards.getChannel(id)).lastEpoch).to.equal(1n);
        await expect(f.rewards.connect(f.publisher).publishChannelRoot(id, 3, ethers.id("skip"), 1, 1, MANIFEST))
          .to.be.revertedWithCustomError(f.rewards, "ChannelPools_EpochNotNext")
          .withArgs(id, 3, 2);
        const t2 = channelTree(id, [{ account: f.users[0].address, cumulativeScore: 2n * ONE_ETH }]);
        await f.rewards.connect(f.publisher).publishChannelRoot(id, 2, t2.root, 2n * ONE_ETH, 1, MANIFEST);
        // The vetoed root was dropped: epoch 1 stays the live one until the new epoch 2 goes live.
        let [live, liveEpoch] = await f.rewards.liveChannelRoot(id);
        expect([live.root, liveEpoch]).to.deep.equal([t1.root, 1n]);
        await time.increase(PARAMS.challengePeriod);
        [live, liveEpoch] = await f.rewards.liveChannelRoot(id);
        expect([live.root, liveEpoch]).to.deep.equal([t2.root, 2n]);
      });
    }
  });

  describe("challenge period", () => {
    it("an event root pays from claimableAt on", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await publishedEvent(f, await leavesOf(f));
      await expect(f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_RootInChallenge")
        .withArgs(ev.eventId, ev.claimableAt);
      await time.setNextBlockTimestamp(ev.claimableAt);
      await f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0));
    });

    it("a newer pending channel root does not block the live one; once past its challenge period it is the live one", async () => {
      const f = await loadFixture(deployFixture);
      const id = await createChannel(f, { amount: 100n * ONE_ETH });
      const user = f.users[0];
      const t1 = await publishLiveChannelRoot(f, id, 1, [
        { account: user.address, cumulativeScore: ONE_ETH },
        { account: f.users[1].address, cumulativeScore: ONE_ETH },
      ]);
      const t2 = channelTree(id, [
        { account: user.address, cumulativeScore: 3n * ONE_ETH },
        { account: f.users[1].address, cumulativeScore: 2n * ONE_ETH },
      ]);
      await f.rewards.connect(f.publisher).publishChannelRoot(id, 2, t2.root, t2.scoreTotal, 2, MANIFEST);
      const [pending] = await f.rewards.pendingChannelRoot(id);
      // In t2's challenge period: t1 pays, t2's proofs do not verify yet.
      await f.rewards.connect(user).claimChannel(id, ONE_ETH, t1.proof(0));
      await expect(f.rewards.connect(f.users[1]).claimChannel(id, 2n * ONE_ETH, t2.proof(1)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_InvalidProof")
        .withArgs(id, f.users[1].address, 2n * ONE_ETH);
      // From claimableAt on, t2 is the live root without any transaction.
      await time.increaseTo(pending.claimableAt);
      const [live, epoch] = await f.rewards.liveChannelRoot(id);
      expect([live.root, epoch]).to.deep.equal([t2.root, 2n]);
      await expect(f.rewards.connect(user).claimChannel(id, 3n * ONE_ETH, t2.proof(0)))
        .to.emit(f.rewards, "ChannelClaimed")
        .withArgs(id, user.address, user.address, 2n * ONE_ETH, 2n * ONE_ETH, 0);
      await expect(f.rewards.connect(f.users[1]).claimChannel(id, ONE_ETH, t1.proof(1)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_InvalidProof")
        .withArgs(id, f.users[1].address, ONE_ETH);
    });

    it("with a challenge period of 0 a root is live at once and cannot be vetoed", async () => {
      const f = await loadFixture(deployFixture);
      await f.rewards.connect(f.admin).setParameters(0, HOUR, HOUR, HOUR, HOUR);
      const ev = await createEvent(f);
      const tree = eventTree(ev.eventId, await leavesOf(f));
      await time.increaseTo(ev.end);
      await f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, tree.root, tree.total, 2, MANIFEST);
      const root = await f.rewards.getEventRoot(ev.eventId);
      await expect(f.rewards.connect(f.guardian).vetoEventRoot(ev.eventId))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_ChallengePeriodOver")
        .withArgs(ev.eventId, root.claimableAt);
      await f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, tree.proof(0));

      const id = await createChannel(f);
      const ct = channelTree(id, [{ account: f.users[0].address, cumulativeScore: ONE_ETH }]);
      await f.rewards.connect(f.publisher).publishChannelRoot(id, 1, ct.root, ONE_ETH, 1, MANIFEST);
      await f.rewards.connect(f.users[0]).claimChannel(id, ONE_ETH, ct.proof(0));
    });

    it("a live event's other leaves keep paying after one claim (no interference)", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, await leavesOf(f));
      await f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0));
      await f.rewards.claimEvent(ev.eventId, 1, f.users[1].address, ONE_ETH, ev.tree.proof(1));
    });
  });
});
