/**
 * Attack tests: hostile receivers (re-entrant, ETH-rejecting), forged and replayed proofs, malicious
 * roots, odd tokens and front-run batches. Each test states the attack and what must hold afterwards.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { SimpleMerkleTree } from "@openzeppelin/merkle-tree";
import type {
  Like2EarnRewards,
  MerkleProofHarness,
  PowerStaking,
  ReentrantReceiver,
  RejectingReceiver,
} from "../../../typechain-types";
import {
  channelTree,
  type ChannelTree,
  createChannel,
  createEvent,
  DAY,
  deployFixture,
  endEvent,
  ETH,
  eventTree,
  nextChannelId,
  nextEventId,
  PARAMS,
  publishLiveChannelRoot,
  publishLiveEventTree,
  WAD,
} from "../shared/fixtures";
import { EVENT_LEAF_ENCODING, leafValue } from "../../../scorer/src/format";

/** Custom errors these tests expect (names from contracts/libraries/Errors.sol). */
const E = {
  eventInvalidProof: "EventBounties_InvalidProof",
  channelInvalidProof: "ChannelPools_InvalidProof",
  alreadyClaimed: "EventBounties_AlreadyClaimed",
  claimExceedsTotal: "EventBounties_ClaimExceedsTotal",
  totalExceedsPot: "EventBounties_TotalExceedsPot",
  eventNoLiveRoot: "EventBounties_NoLiveRoot",
  eventRootInChallenge: "EventBounties_RootInChallenge",
  channelNoLiveRoot: "ChannelPools_NoLiveRoot",
  rootAlreadyPosted: "EventBounties_RootAlreadyPosted",
  epochNotIncreasing: "ChannelPools_EpochNotNext",
  nothingOwed: "ChannelPools_NothingOwed",
  poolEmpty: "ChannelPools_PoolEmpty",
  eventNotBrandOrGuardian: "EventBounties_NotBrandOrGuardian",
  channelNotBrandOrGuardian: "ChannelPools_NotBrandOrGuardian",
  eventChallengeOver: "EventBounties_ChallengePeriodOver",
  paymentFailed: "Funds_PaymentFailed",
  feeOnTransfer: "Funds_FeeOnTransfer",
  stakingFeeOnTransfer: "Funds_FeeOnTransfer",
  valueMismatch: "Funds_ValueMismatch",
  paused: "RewardsBase_ClaimsPaused",
} as const;

const REENTRANCY_SELECTOR = ethers.id("ReentrancyGuardReentrantCall()").slice(0, 10);

async function fixture() {
  const d = await deployFixture();
  const [alice, bob, carol, dave, mallory] = d.users;
  const reentrant = (await ethers.deployContract("ReentrantReceiver")) as unknown as ReentrantReceiver;
  const rejecting = (await ethers.deployContract("RejectingReceiver")) as unknown as RejectingReceiver;
  const harness = (await ethers.deployContract("MerkleProofHarness")) as unknown as MerkleProofHarness;
  return { ...d, alice, bob, carol, dave, mallory, reentrant, rejecting, harness };
}

async function ethBalance(address: string | { getAddress(): Promise<string> }): Promise<bigint> {
  const a = typeof address === "string" ? address : await address.getAddress();
  return ethers.provider.getBalance(a);
}

/** Held by an event ledger: funded − claimed until settled. */
async function eventHeld(rewards: Like2EarnRewards, id: bigint): Promise<bigint> {
  const e = await rewards.getEventBounty(id);
  return e.settled ? 0n : e.funded - e.claimed;
}

describe("Attacks", function () {
  describe("re-entrancy through the ETH receiver", function () {
    it("an event claim whose account re-enters claimEvent for the same leaf pays once", async function () {
      const fx = await loadFixture(fixture);
      const r = await fx.reentrant.getAddress();
      const { eventId: id } = await createEvent(fx, { amount: 3n * WAD });
      const tree = eventTree(id, [
        { account: r, amount: WAD },
        { account: fx.alice.address, amount: WAD },
      ]);
      await publishLiveEventTree(fx, tree);

      await fx.reentrant.arm(await fx.rewards.getAddress(), fx.rewards.interface.encodeFunctionData("claimEvent", tree.claimArgs(0)));
      await expect(fx.rewards.connect(fx.mallory).claimEvent(...tree.claimArgs(0)))
        .to.emit(fx.rewards, "EventClaimed")
        .withArgs(id, 0, r, r, WAD);

      expect(await fx.reentrant.attempts()).to.equal(1n);
      expect(await fx.reentrant.anySucceeded()).to.equal(false);
      expect((await fx.reentrant.lastRevertData()).slice(0, 10)).to.equal(REENTRANCY_SELECTOR);
      expect(await fx.reentrant.received()).to.equal(WAD);
      expect((await fx.rewards.getEventBounty(id)).claimed).to.equal(WAD);
      expect(await ethBalance(fx.rewards)).to.equal(2n * WAD);
      await expect(fx.rewards.claimEvent(...tree.claimArgs(0))).to.be.revertedWithCustomError(fx.rewards, E.alreadyClaimed);
    });

    it("re-entering claimEvent for another leaf fails; that leaf stays claimable afterwards", async function () {
      const fx = await loadFixture(fixture);
      const r = await fx.reentrant.getAddress();
      const { eventId: id } = await createEvent(fx, { amount: 3n * WAD });
      const tree = eventTree(id, [
        { account: r, amount: WAD },
        { account: fx.alice.address, amount: 2n * WAD },
      ]);
      await publishLiveEventTree(fx, tree);
      await fx.reentrant.arm(await fx.rewards.getAddress(), fx.rewards.interface.encodeFunctionData("claimEvent", tree.claimArgs(1)));
      await fx.rewards.claimEvent(...tree.claimArgs(0));
      expect(await fx.reentrant.lastSucceeded()).to.equal(false);
      expect((await fx.reentrant.lastRevertData()).slice(0, 10)).to.equal(REENTRANCY_SELECTOR);
      expect(await fx.rewards.isEventClaimed(id, 1)).to.equal(false);
      await expect(fx.rewards.claimEvent(...tree.claimArgs(1))).to.changeEtherBalances(
        [fx.alice, fx.rewards],
        [2n * WAD, -2n * WAD],
      );
      expect(await eventHeld(fx.rewards, id)).to.equal(0n);
    });

    it("re-entering claimChannel from a channel payout fails and converts the score once", async function () {
      const fx = await loadFixture(fixture);
      const r = await fx.reentrant.getAddress();
      const ch = await createChannel(fx, { amount: 10n * WAD });
      const tree = channelTree(ch, [
        { account: r, cumulativeScore: 3n * WAD },
        { account: fx.alice.address, cumulativeScore: WAD },
      ]);
      await publishLiveChannelRoot(fx, tree.channelId, 1n, tree.leaves);
      const rewards = await fx.rewards.getAddress();
      const claim = fx.rewards.interface.encodeFunctionData("claimChannel", [ch, 3n * WAD, tree.proof(r)]);
      await fx.reentrant.arm(rewards, claim);
      await fx.reentrant.forward(rewards, claim);

      expect(await fx.reentrant.anySucceeded()).to.equal(false);
      expect((await fx.reentrant.lastRevertData()).slice(0, 10)).to.equal(REENTRANCY_SELECTOR);
      expect(await fx.reentrant.received()).to.equal(3n * WAD);
      expect(await fx.rewards.convertedScore(ch, r)).to.equal(3n * WAD);
      expect((await fx.rewards.getChannel(ch)).balance).to.equal(7n * WAD);
      expect(await ethBalance(fx.rewards)).to.equal(7n * WAD);
    });

    it("re-entering batchClaim from an event payout fails; the batch items stay claimable", async function () {
      const fx = await loadFixture(fixture);
      const r = await fx.reentrant.getAddress();
      const { eventId: id } = await createEvent(fx, { amount: 3n * WAD });
      const tree = eventTree(id, [
        { account: r, amount: WAD },
        { account: fx.alice.address, amount: WAD },
        { account: fx.bob.address, amount: WAD },
      ]);
      await publishLiveEventTree(fx, tree);
      const rewards = await fx.rewards.getAddress();
      await fx.reentrant.arm(rewards, fx.rewards.interface.encodeFunctionData("batchClaim", [[tree.item(1), tree.item(2)], []]));
      await fx.rewards.claimEvent(...tree.claimArgs(0));
      expect(await fx.reentrant.anySucceeded()).to.equal(false);
      expect((await fx.reentrant.lastRevertData()).slice(0, 10)).to.equal(REENTRANCY_SELECTOR);
      expect((await fx.rewards.getEventBounty(id)).claimed).to.equal(WAD);
      expect(await fx.rewards.batchClaim.staticCall([tree.item(1), tree.item(2)], [])).to.deep.equal([2n, 0n]);
    });

    it("a batch payout to a re-entrant account cannot re-enter claimChannel", async function () {
      const fx = await loadFixture(fixture);
      const r = await fx.reentrant.getAddress();
      const { eventId: id } = await createEvent(fx, { amount: 2n * WAD });
      const tree = eventTree(id, [
        { account: r, amount: WAD },
        { account: fx.alice.address, amount: WAD },
      ]);
      await publishLiveEventTree(fx, tree);
      const ch = await createChannel(fx, { amount: 5n * WAD });
      const ctree = channelTree(ch, [{ account: r, cumulativeScore: WAD }, { account: fx.bob.address, cumulativeScore: WAD }]);
      await publishLiveChannelRoot(fx, ctree.channelId, 1n, ctree.leaves);
      const rewards = await fx.rewards.getAddress();
      await fx.reentrant.arm(rewards, fx.rewards.interface.encodeFunctionData("claimChannel", [ch, WAD, ctree.proof(r)]));
      await fx.rewards.connect(fx.alice).batchClaim([tree.item(0), tree.item(1)], []);
      expect(await fx.reentrant.anySucceeded()).to.equal(false);
      expect((await fx.reentrant.lastRevertData()).slice(0, 10)).to.equal(REENTRANCY_SELECTOR);
      expect(await fx.rewards.convertedScore(ch, r)).to.equal(0n);
      expect(await ethBalance(fx.rewards)).to.equal(5n * WAD);
    });

    it("a brand contract re-entering withdrawUnclaimed from its own payout is paid once", async function () {
      const fx = await loadFixture(fixture);
      const r = await fx.reentrant.getAddress();
      const rewards = await fx.rewards.getAddress();
      const now = BigInt(await time.latest());
      const id = await nextEventId(fx.rewards);
      await fx.reentrant.forward(
        rewards,
        fx.rewards.interface.encodeFunctionData("createEvent", [ETH, now, now + DAY, 7n * DAY, 3n * WAD, "ipfs://x"]),
        { value: 3n * WAD },
      );
      const tree = eventTree(id, [{ account: fx.alice.address, amount: WAD }]);
      await publishLiveEventTree(fx, tree);
      await fx.rewards.claimEvent(...tree.claimArgs(0));
      await time.increase(7n * DAY + 1n);

      const withdraw = fx.rewards.interface.encodeFunctionData("withdrawUnclaimed", [id, await fx.reentrant.getAddress()]);
      await fx.reentrant.arm(rewards, withdraw);
      await expect(fx.reentrant.forward(rewards, withdraw))
        .to.emit(fx.rewards, "EventUnclaimedWithdrawn")
        .withArgs(id, r, r, 2n * WAD);
      expect(await fx.reentrant.anySucceeded()).to.equal(false);
      expect((await fx.reentrant.lastRevertData()).slice(0, 10)).to.equal(REENTRANCY_SELECTOR);
      expect(await fx.reentrant.received()).to.equal(2n * WAD);
      expect((await fx.rewards.getEventBounty(id)).settled).to.equal(true);
      expect(await ethBalance(fx.rewards)).to.equal(0n);
    });

    it("a brand contract re-entering refundEvent or withdrawChannel is paid once", async function () {
      const fx = await loadFixture(fixture);
      const rewards = await fx.rewards.getAddress();
      const now = BigInt(await time.latest());
      const id = await nextEventId(fx.rewards);
      await fx.reentrant.forward(
        rewards,
        fx.rewards.interface.encodeFunctionData("createEvent", [ETH, now, now + DAY, 7n * DAY, 3n * WAD, "ipfs://x"]),
        { value: 3n * WAD },
      );
      const ch = await nextChannelId(fx.rewards);
      await fx.reentrant.forward(
        rewards,
        fx.rewards.interface.encodeFunctionData("createChannel", [ETH, WAD, 2n * WAD, "ipfs://c"]),
        { value: 2n * WAD },
      );
      await time.increase(DAY + PARAMS.publishDeadline + 1n);

      const refund = fx.rewards.interface.encodeFunctionData("refundEvent", [id, await fx.reentrant.getAddress()]);
      await fx.reentrant.arm(rewards, refund);
      await fx.reentrant.forward(rewards, refund);
      expect(await fx.reentrant.anySucceeded()).to.equal(false);
      expect(await fx.reentrant.received()).to.equal(3n * WAD);

      await fx.reentrant.forward(rewards, fx.rewards.interface.encodeFunctionData("announceClose", [ch]));
      await time.increase(PARAMS.closeNotice);
      const withdraw = fx.rewards.interface.encodeFunctionData("withdrawChannel", [ch, await fx.reentrant.getAddress()]);
      await fx.reentrant.arm(rewards, withdraw);
      await fx.reentrant.forward(rewards, withdraw);
      expect(await fx.reentrant.anySucceeded()).to.equal(false);
      expect((await fx.reentrant.lastRevertData()).slice(0, 10)).to.equal(REENTRANCY_SELECTOR);
      expect(await fx.reentrant.received()).to.equal(5n * WAD);
      expect(await ethBalance(fx.rewards)).to.equal(0n);
    });

    it("re-entering PowerStaking.withdraw from its ETH payout cannot withdraw twice", async function () {
      const fx = await loadFixture(fixture);
      const staking = (await ethers.deployContract("PowerStaking", [ETH, 4, 7n * DAY])) as unknown as PowerStaking;
      const s = await staking.getAddress();
      const r = await fx.reentrant.getAddress();
      await fx.reentrant.forward(s, staking.interface.encodeFunctionData("powerUp"), { value: 4n * WAD });
      await fx.reentrant.forward(s, staking.interface.encodeFunctionData("powerDown", [ETH, 4n * WAD]));
      await time.increase(7n * DAY);
      expect(await staking.withdrawable(r, ETH)).to.equal(WAD);
      const withdraw = staking.interface.encodeFunctionData("withdraw", [ETH, r]);
      await fx.reentrant.arm(s, withdraw);
      await fx.reentrant.forward(s, withdraw);
      expect(await fx.reentrant.anySucceeded()).to.equal(false);
      expect(await fx.reentrant.received()).to.equal(WAD);
      expect(await ethBalance(s)).to.equal(3n * WAD);
      expect(await staking.withdrawable(r, ETH)).to.equal(0n);
    });
  });

  describe("ETH-rejecting receiver", function () {
    it("fails only its own event claim; others are paid and it can redirect its payout", async function () {
      const fx = await loadFixture(fixture);
      const x = await fx.rejecting.getAddress();
      const { eventId: id } = await createEvent(fx, { amount: 3n * WAD });
      const tree = eventTree(id, [
        { account: fx.alice.address, amount: WAD },
        { account: x, amount: WAD },
        { account: fx.bob.address, amount: WAD },
      ]);
      await publishLiveEventTree(fx, tree);
      await expect(fx.rewards.claimEvent(...tree.claimArgs(1))).to.be.revertedWithCustomError(fx.rewards, E.paymentFailed);
      expect(await fx.rewards.isEventClaimed(id, 1)).to.equal(false);
      await fx.rewards.claimEvent(...tree.claimArgs(0));
      await fx.rewards.claimEvent(...tree.claimArgs(2));
      const rewards = await fx.rewards.getAddress();
      await expect(fx.rejecting.claimEventTo(rewards, id, 1, WAD, fx.carol.address, tree.proof(1))).to.changeEtherBalances(
        [fx.carol, fx.rewards],
        [WAD, -WAD],
      );
      expect((await fx.rewards.getEventBounty(id)).claimed).to.equal(3n * WAD);
    });

    it("in a batch it is skipped (reason 2) and the other items are paid", async function () {
      const fx = await loadFixture(fixture);
      const x = await fx.rejecting.getAddress();
      const { eventId: id } = await createEvent(fx, { amount: 3n * WAD });
      const tree = eventTree(id, [
        { account: fx.alice.address, amount: WAD },
        { account: x, amount: WAD },
        { account: fx.bob.address, amount: WAD },
      ]);
      await publishLiveEventTree(fx, tree);
      const items = [tree.item(0), tree.item(1), tree.item(2)];
      expect(await fx.rewards.batchClaim.staticCall(items, [])).to.deep.equal([2n, 0n]);
      const tx = fx.rewards.connect(fx.mallory).batchClaim(items, []);
      await expect(tx).to.emit(fx.rewards, "BatchItemSkipped").withArgs(0, id, x, 2);
      await expect(tx).to.changeEtherBalances([fx.alice, fx.bob, fx.rewards], [WAD, WAD, -2n * WAD]);
      expect(await fx.rewards.isEventClaimed(id, 1)).to.equal(false);
      expect(await eventHeld(fx.rewards, id)).to.equal(WAD);
      expect(await ethBalance(fx.rewards)).to.equal(WAD);
    });

    it("its channel claim fails for itself only; it can claim to another address", async function () {
      const fx = await loadFixture(fixture);
      const x = await fx.rejecting.getAddress();
      const rewards = await fx.rewards.getAddress();
      const ch = await createChannel(fx, { amount: 5n * WAD });
      const tree = channelTree(ch, [{ account: x, cumulativeScore: 2n * WAD }, { account: fx.alice.address, cumulativeScore: WAD }]);
      await publishLiveChannelRoot(fx, tree.channelId, 1n, tree.leaves);
      await expect(fx.rejecting.claimChannel(rewards, ch, 2n * WAD, tree.proof(x))).to.be.revertedWithCustomError(
        fx.rewards,
        E.paymentFailed,
      );
      // A batch by the rejecting contract skips its own channel item instead of reverting.
      await expect(fx.rejecting.batchClaim(rewards, [], [tree.item(x)]))
        .to.emit(fx.rewards, "BatchItemSkipped")
        .withArgs(1, ch, x, 2);
      expect(await fx.rewards.convertedScore(ch, x)).to.equal(0n);
      await fx.rewards.connect(fx.alice).claimChannel(ch, WAD, tree.proof(fx.alice.address));
      await expect(fx.rejecting.claimChannelTo(rewards, ch, 2n * WAD, fx.carol.address, tree.proof(x))).to.changeEtherBalances(
        [fx.carol, fx.rewards],
        [2n * WAD, -2n * WAD],
      );
      expect((await fx.rewards.getChannel(ch)).balance).to.equal(2n * WAD);
    });
  });

  describe("forged, foreign and stolen proofs", function () {
    it("a proof from another event (same account, index and amount) is rejected", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: id1 } = await createEvent(fx, { amount: 2n * WAD });
      const { eventId: id2 } = await createEvent(fx, { amount: 2n * WAD });
      const leaves = [
        { account: fx.alice.address, amount: WAD },
        { account: fx.bob.address, amount: WAD },
      ];
      const t1 = eventTree(id1, leaves);
      const t2 = eventTree(id2, leaves);
      await publishLiveEventTree(fx, t1);
      await publishLiveEventTree(fx, t2);
      // Same account/index/amount, but event 1's proof presented for event 2, and vice versa.
      await expect(fx.rewards.claimEvent(id2, 0, fx.alice.address, WAD, t1.proof(0))).to.be.revertedWithCustomError(
        fx.rewards,
        E.eventInvalidProof,
      );
      await expect(fx.rewards.claimEvent(id1, 0, fx.alice.address, WAD, t2.proof(0))).to.be.revertedWithCustomError(
        fx.rewards,
        E.eventInvalidProof,
      );
      // Event 1's leaf paid on event 1 does not mark event 2's.
      await fx.rewards.claimEvent(...t1.claimArgs(0));
      expect(await fx.rewards.isEventClaimed(id2, 0)).to.equal(false);
      expect(await eventHeld(fx.rewards, id2)).to.equal(2n * WAD);
    });

    it("another event's root posted for this event pays none of the other event's leaves", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: id1 } = await createEvent(fx, { amount: 2n * WAD });
      const { eventId: id2 } = await createEvent(fx, { amount: 2n * WAD });
      const t1 = eventTree(id1, [{ account: fx.alice.address, amount: WAD }, { account: fx.bob.address, amount: WAD }]);
      await publishLiveEventTree(fx, t1);
      // A (faulty or hostile) publisher posts event 1's root for event 2: refused, or harmless.
      const reposted = await fx.rewards
        .connect(fx.publisher)
        .publishEventRoot(id2, t1.root, 2n * WAD, 2, ethers.ZeroHash)
        .then(() => true)
        .catch(() => false);
      if (reposted) await time.increase(PARAMS.challengePeriod);
      await expect(fx.rewards.claimEvent(id2, 0, fx.alice.address, WAD, t1.proof(0))).to.be.reverted;
      expect(await eventHeld(fx.rewards, id2)).to.equal(2n * WAD);
      await expect(fx.rewards.claimEvent(...t1.claimArgs(0))).to.changeEtherBalance(fx.alice, WAD);
      await expect(fx.rewards.claimEvent(...t1.claimArgs(0))).to.be.revertedWithCustomError(fx.rewards, E.alreadyClaimed);
    });

    it("claims on event or channel id 0 or an unknown id, with forged proofs, never pay", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: id } = await createEvent(fx, { amount: 2n * WAD });
      const tree = eventTree(id, [{ account: fx.alice.address, amount: WAD }, { account: fx.bob.address, amount: WAD }]);
      await publishLiveEventTree(fx, tree);
      const ch = await createChannel(fx, { amount: 2n * WAD });
      const before = await ethBalance(fx.rewards);
      const m = fx.mallory.address;
      const forged = [[], tree.proof(0), [ethers.ZeroHash], [tree.root]];
      for (const eventId of [0n, id + 1n, 2n ** 40n, 2n ** 40n + id]) {
        for (const proof of forged) {
          await expect(fx.rewards.claimEvent(eventId, 0, m, WAD, proof)).to.be.reverted;
          await expect(fx.rewards.connect(fx.mallory).claimEventTo(eventId, 0, WAD, m, proof)).to.be.reverted;
          await expect(
            fx.rewards.batchClaim([{ eventId, index: 0n, account: m, amount: WAD, proof }], []),
          ).to.be.reverted;
        }
      }
      for (const channelId of [0n, ch + 1n]) {
        for (const proof of forged) {
          await expect(fx.rewards.connect(fx.mallory).claimChannel(channelId, WAD, proof)).to.be.reverted;
          await expect(
            fx.rewards.connect(fx.mallory).batchClaim([], [{ channelId, cumulativeScore: WAD, proof }]),
          ).to.be.reverted;
        }
      }
      expect(await ethBalance(fx.rewards)).to.equal(before);
    });

    it("a proof from another channel (same account and score) is rejected", async function () {
      const fx = await loadFixture(fixture);
      const c1 = await createChannel(fx, { amount: 5n * WAD });
      const c2 = await createChannel(fx, { amount: 5n * WAD });
      const leaves = [{ account: fx.alice.address, cumulativeScore: WAD }, { account: fx.bob.address, cumulativeScore: WAD }];
      const t1 = channelTree(c1, leaves);
      const t2 = channelTree(c2, leaves);
      await fx.rewards.connect(fx.publisher).publishChannelRoot(c1, 1, t1.root, t1.scoreTotal, 2, ethers.ZeroHash);
      await publishLiveChannelRoot(fx, t2.channelId, 1n, t2.leaves);
      await expect(
        fx.rewards.connect(fx.alice).claimChannel(c2, WAD, t1.proof(fx.alice.address)),
      ).to.be.revertedWithCustomError(fx.rewards, E.channelInvalidProof);
      await expect(
        fx.rewards.connect(fx.alice).claimChannel(c1, WAD, t2.proof(fx.alice.address)),
      ).to.be.revertedWithCustomError(fx.rewards, E.channelInvalidProof);
      expect((await fx.rewards.getChannel(c1)).balance).to.equal(5n * WAD);
    });

    it("someone else's leaf cannot be redirected: claimEventTo/claimChannelTo are for msg.sender's leaf only", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: id } = await createEvent(fx, { amount: 2n * WAD });
      const tree = eventTree(id, [{ account: fx.alice.address, amount: WAD }, { account: fx.bob.address, amount: WAD }]);
      await publishLiveEventTree(fx, tree);
      await expect(
        fx.rewards.connect(fx.mallory).claimEventTo(id, 0, WAD, fx.mallory.address, tree.proof(0)),
      ).to.be.revertedWithCustomError(fx.rewards, E.eventInvalidProof);
      const ch = await createChannel(fx, { amount: 2n * WAD });
      const ctree = channelTree(ch, [{ account: fx.alice.address, cumulativeScore: WAD }, { account: fx.bob.address, cumulativeScore: WAD }]);
      await publishLiveChannelRoot(fx, ctree.channelId, 1n, ctree.leaves);
      await expect(
        fx.rewards.connect(fx.mallory).claimChannelTo(ch, WAD, fx.mallory.address, ctree.proof(fx.alice.address)),
      ).to.be.revertedWithCustomError(fx.rewards, E.channelInvalidProof);
      // A third party triggering alice's event claim can only pay alice.
      await expect(fx.rewards.connect(fx.mallory).claimEvent(...tree.claimArgs(0))).to.changeEtherBalances(
        [fx.alice, fx.mallory],
        [WAD, 0n],
      );
    });

    it("an internal node used as a leaf is rejected (leaves are double-hashed)", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: id } = await createEvent(fx, { amount: 4n * WAD });
      const tree = eventTree(id, [
        { account: fx.alice.address, amount: WAD },
        { account: fx.bob.address, amount: WAD },
        { account: fx.carol.address, amount: WAD },
        { account: fx.dave.address, amount: WAD },
      ]);
      await publishLiveEventTree(fx, tree);
      // Layout of an OZ tree: nodes[0] is the root; children of i are 2i+1 and 2i+2.
      const nodes = tree.tree.dump().tree;
      const internal = nodes[1];
      const shortProof = [nodes[2]];
      // The truncated proof does prove the internal node...
      expect(await fx.harness.verify(shortProof, tree.root, internal)).to.equal(true);
      // ...but no claim can present it: the contract hashes (eventId, index, account, amount) twice.
      const [left, right] = [nodes[3], nodes[4]];
      const attempts: [bigint, bigint, string, bigint][] = [
        [id, 0n, fx.mallory.address, BigInt(internal)],
        [BigInt(left), BigInt(right), fx.mallory.address, WAD],
        [id, BigInt(left), ethers.getAddress(ethers.dataSlice(right, 12)), BigInt(right)],
      ];
      for (const [e, i, a, amt] of attempts) {
        await expect(fx.rewards.claimEvent(e, i, a, amt, shortProof)).to.be.reverted;
      }
      await expect(
        fx.rewards.claimEvent(id, 0, fx.mallory.address, BigInt(internal), shortProof),
      ).to.be.revertedWithCustomError(fx.rewards, E.eventInvalidProof);
      expect((await fx.rewards.getEventBounty(id)).claimed).to.equal(0n);
    });

    it("a root of single-hashed leaves never pays (the leaf format is the OZ standard double hash)", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: id } = await createEvent(fx, { amount: 2n * WAD });
      const coder = ethers.AbiCoder.defaultAbiCoder();
      const single = [fx.alice.address, fx.bob.address].map((a, i) =>
        ethers.keccak256(
          coder.encode([...EVENT_LEAF_ENCODING], leafValue({ kind: "event", eventId: id, index: BigInt(i), account: a, amount: WAD })),
        ),
      );
      const tree = SimpleMerkleTree.of(single);
      await endEvent(fx, id);
      await fx.rewards.connect(fx.publisher).publishEventRoot(id, tree.root, 2n * WAD, 2, ethers.ZeroHash);
      await time.increase(PARAMS.challengePeriod);
      await expect(fx.rewards.claimEvent(id, 0, fx.alice.address, WAD, tree.getProof(0))).to.be.revertedWithCustomError(
        fx.rewards,
        E.eventInvalidProof,
      );
    });
  });

  describe("malicious roots", function () {
    it("a root whose total exceeds the pot is rejected at publish", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: id } = await createEvent(fx, { amount: 2n * WAD });
      const tree = eventTree(id, [{ account: fx.alice.address, amount: 2n * WAD + 1n }]);
      await endEvent(fx, id);
      await expect(
        fx.rewards.connect(fx.publisher).publishEventRoot(id, tree.root, 2n * WAD + 1n, 1, ethers.ZeroHash),
      )
        .to.be.revertedWithCustomError(fx.rewards, E.totalExceedsPot)
        .withArgs(id, 2n * WAD + 1n, 2n * WAD);
      // At exactly the pot it is accepted.
      const ok = eventTree(id, [{ account: fx.alice.address, amount: 2n * WAD }]);
      await expect(fx.rewards.connect(fx.publisher).publishEventRoot(id, ok.root, 2n * WAD, 1, ethers.ZeroHash)).to.emit(
        fx.rewards,
        "EventRootPosted",
      );
    });

    it("leaves summing above the declared total stop paying at the total; other campaigns untouched", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: victim } = await createEvent(fx, { amount: 5n * WAD, brand: fx.brand2 });
      const { eventId: id } = await createEvent(fx, { amount: 5n * WAD / 2n, claimWindow: 7n * DAY }); // 2.5 ETH
      const bad = eventTree(id, [
        { account: fx.alice.address, amount: WAD },
        { account: fx.bob.address, amount: WAD },
        { account: fx.carol.address, amount: WAD },
      ]);
      const good = eventTree(victim, [{ account: fx.dave.address, amount: 5n * WAD }]);
      await publishLiveEventTree(fx, bad, 2n * WAD); // declares 2 ETH, leaves sum to 3 ETH
      await fx.rewards.connect(fx.publisher).publishEventRoot(victim, good.root, 5n * WAD, 1, ethers.ZeroHash);
      await time.increase(PARAMS.challengePeriod);

      await fx.rewards.claimEvent(...bad.claimArgs(0));
      await fx.rewards.claimEvent(...bad.claimArgs(1));
      await expect(fx.rewards.claimEvent(...bad.claimArgs(2))).to.be.revertedWithCustomError(fx.rewards, E.claimExceedsTotal);
      // A batch cannot sneak it through either: it reverts or skips, and pays nothing more.
      await fx.rewards.batchClaim([bad.item(2)], []).catch(() => undefined);
      const e = await fx.rewards.getEventBounty(id);
      expect(e.claimed).to.equal(2n * WAD);
      expect(await fx.rewards.isEventClaimed(id, 2)).to.equal(false);
      // The other event still holds and pays its full pot.
      expect(await eventHeld(fx.rewards, victim)).to.equal(5n * WAD);
      expect(await ethBalance(fx.rewards)).to.equal(5n * WAD + WAD / 2n);
      await expect(fx.rewards.claimEvent(...good.claimArgs(0))).to.changeEtherBalance(fx.dave, 5n * WAD);
      // The brand gets the unused 0.5 ETH after the window.
      await time.increase(7n * DAY);
      await expect(fx.rewards.connect(fx.brand).withdrawUnclaimed(id, fx.brand)).to.changeEtherBalance(fx.brand, WAD / 2n);
      expect(await ethBalance(fx.rewards)).to.equal(0n);
    });

    it("channel scores worth more than the pool pay what it holds; other channels untouched", async function () {
      const fx = await loadFixture(fixture);
      const victim = await createChannel(fx, { amount: 5n * WAD });
      const ch = await createChannel(fx, { amount: WAD }); // rate 1: 1 wei per 1e-18 score → 1 ETH per 1e18 score
      const tree = channelTree(ch, [
        { account: fx.alice.address, cumulativeScore: (8n * WAD) / 10n },
        { account: fx.bob.address, cumulativeScore: (8n * WAD) / 10n },
      ]);
      await publishLiveChannelRoot(fx, tree.channelId, 1n, tree.leaves);
      await fx.rewards.connect(fx.alice).claimChannel(ch, tree.score(fx.alice.address), tree.proof(fx.alice.address));
      await expect(fx.rewards.connect(fx.bob).claimChannel(ch, tree.score(fx.bob.address), tree.proof(fx.bob.address)))
        .to.emit(fx.rewards, "ChannelClaimed")
        .withArgs(ch, fx.bob.address, fx.bob.address, (2n * WAD) / 10n, (2n * WAD) / 10n, (6n * WAD) / 10n);
      expect((await fx.rewards.getChannel(ch)).balance).to.equal(0n);
      expect(await fx.rewards.convertedScore(ch, fx.bob.address)).to.equal((2n * WAD) / 10n);
      await expect(
        fx.rewards.connect(fx.bob).claimChannel(ch, tree.score(fx.bob.address), tree.proof(fx.bob.address)),
      ).to.be.revertedWithCustomError(fx.rewards, E.poolEmpty);
      expect((await fx.rewards.getChannel(victim)).balance).to.equal(5n * WAD);
      expect(await ethBalance(fx.rewards)).to.equal(5n * WAD);
      // After a top-up the rest of bob's score is paid.
      await fx.rewards.connect(fx.brand).fundChannel(ch, WAD, { value: WAD });
      await expect(
        fx.rewards.connect(fx.bob).claimChannel(ch, tree.score(fx.bob.address), tree.proof(fx.bob.address)),
      ).to.changeEtherBalance(fx.bob, (6n * WAD) / 10n);
    });
  });

  describe("replays and timing", function () {
    it("a replayed, skipped or older epoch is rejected, and a vetoed epoch number is posted again", async function () {
      const fx = await loadFixture(fixture);
      const ch = await createChannel(fx, { amount: 10n * WAD });
      const t1 = channelTree(ch, [{ account: fx.alice.address, cumulativeScore: WAD }, { account: fx.bob.address, cumulativeScore: WAD }]);
      const t2 = channelTree(ch, [{ account: fx.alice.address, cumulativeScore: 2n * WAD }, { account: fx.bob.address, cumulativeScore: WAD }]);
      const pub = (t: ChannelTree, epoch: bigint) =>
        fx.rewards.connect(fx.publisher).publishChannelRoot(ch, epoch, t.root, t.scoreTotal, t.leaves.length, ethers.ZeroHash);
      await expect(pub(t1, 0n)).to.be.revertedWithCustomError(fx.rewards, E.epochNotIncreasing);
      await expect(pub(t1, 2n ** 64n - 1n)).to.be.revertedWithCustomError(fx.rewards, E.epochNotIncreasing);
      await publishLiveChannelRoot(fx, t1.channelId, 1n, t1.leaves);
      await expect(pub(t1, 1n)).to.be.revertedWithCustomError(fx.rewards, E.epochNotIncreasing);
      await expect(pub(t2, 3n)).to.be.revertedWithCustomError(fx.rewards, E.epochNotIncreasing);
      await pub(t2, 2n);
      await fx.rewards.connect(fx.guardian).vetoChannelRoot(ch);
      // The vetoed epoch number is posted again: no sequence of posts and vetoes freezes the channel.
      await expect(pub(t2, 3n)).to.be.revertedWithCustomError(fx.rewards, E.epochNotIncreasing);
      await publishLiveChannelRoot(fx, t2.channelId, 2n, t2.leaves);
      expect((await fx.rewards.liveChannelRoot(ch))[1]).to.equal(2n);
      expect((await fx.rewards.getChannel(ch)).lastEpoch).to.equal(2n);
    });

    it("an older epoch's proof no longer pays once a newer root is live; a replayed claim pays nothing", async function () {
      const fx = await loadFixture(fixture);
      const ch = await createChannel(fx, { amount: 10n * WAD });
      const t1 = channelTree(ch, [{ account: fx.alice.address, cumulativeScore: WAD }, { account: fx.bob.address, cumulativeScore: WAD }]);
      const t2 = channelTree(ch, [{ account: fx.alice.address, cumulativeScore: 3n * WAD }, { account: fx.bob.address, cumulativeScore: WAD }]);
      await publishLiveChannelRoot(fx, t1.channelId, 1n, t1.leaves);
      const a = fx.alice.address;
      await fx.rewards.connect(fx.alice).claimChannel(ch, WAD, t1.proof(a));
      await expect(fx.rewards.connect(fx.alice).claimChannel(ch, WAD, t1.proof(a))).to.be.revertedWithCustomError(
        fx.rewards,
        E.nothingOwed,
      );
      await publishLiveChannelRoot(fx, t2.channelId, 2n, t2.leaves);
      await expect(fx.rewards.connect(fx.alice).claimChannel(ch, WAD, t1.proof(a))).to.be.revertedWithCustomError(
        fx.rewards,
        E.channelInvalidProof,
      );
      await expect(fx.rewards.connect(fx.alice).claimChannel(ch, 3n * WAD, t2.proof(a))).to.changeEtherBalance(fx.alice, 2n * WAD);
      expect(await fx.rewards.convertedScore(ch, a)).to.equal(3n * WAD);
      await expect(fx.rewards.connect(fx.alice).claimChannel(ch, 3n * WAD, t2.proof(a))).to.be.revertedWithCustomError(
        fx.rewards,
        E.nothingOwed,
      );
    });

    it("a replayed event claim and a second event root are rejected", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: id } = await createEvent(fx, { amount: 2n * WAD });
      const tree = eventTree(id, [{ account: fx.alice.address, amount: WAD }, { account: fx.bob.address, amount: WAD }]);
      await publishLiveEventTree(fx, tree);
      await fx.rewards.claimEvent(...tree.claimArgs(0));
      await expect(fx.rewards.claimEvent(...tree.claimArgs(0))).to.be.revertedWithCustomError(fx.rewards, E.alreadyClaimed);
      const other = eventTree(id, [{ account: fx.mallory.address, amount: 2n * WAD }]);
      await expect(
        fx.rewards.connect(fx.publisher).publishEventRoot(id, other.root, 2n * WAD, 1, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(fx.rewards, E.rootAlreadyPosted);
    });

    it("no claim before the challenge period ends (event and channel)", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: id } = await createEvent(fx, { amount: WAD });
      const tree = eventTree(id, [{ account: fx.alice.address, amount: WAD }]);
      await endEvent(fx, id);
      await fx.rewards.connect(fx.publisher).publishEventRoot(id, tree.root, WAD, 1, ethers.ZeroHash);
      const claimableAt = (await fx.rewards.getEventRoot(id)).claimableAt;
      await expect(fx.rewards.claimEvent(...tree.claimArgs(0))).to.be.revertedWithCustomError(fx.rewards, E.eventRootInChallenge);
      await time.setNextBlockTimestamp(claimableAt - 1n);
      await expect(fx.rewards.claimEvent(...tree.claimArgs(0))).to.be.revertedWithCustomError(fx.rewards, E.eventRootInChallenge);
      await time.setNextBlockTimestamp(claimableAt);
      await expect(fx.rewards.claimEvent(...tree.claimArgs(0))).to.changeEtherBalance(fx.alice, WAD);

      const ch = await createChannel(fx, { amount: 10n * WAD });
      const t1 = channelTree(ch, [{ account: fx.alice.address, cumulativeScore: WAD }, { account: fx.bob.address, cumulativeScore: WAD }]);
      const t2 = channelTree(ch, [{ account: fx.alice.address, cumulativeScore: 5n * WAD }, { account: fx.bob.address, cumulativeScore: WAD }]);
      await fx.rewards.connect(fx.publisher).publishChannelRoot(ch, 1, t1.root, t1.scoreTotal, 2, ethers.ZeroHash);
      await expect(
        fx.rewards.connect(fx.alice).claimChannel(ch, WAD, t1.proof(fx.alice.address)),
      ).to.be.revertedWithCustomError(fx.rewards, E.channelNoLiveRoot);
      await time.increase(PARAMS.challengePeriod);
      // Epoch 2 pending: claims verify against the live epoch 1 only.
      await fx.rewards.connect(fx.publisher).publishChannelRoot(ch, 2, t2.root, t2.scoreTotal, 2, ethers.ZeroHash);
      await expect(
        fx.rewards.connect(fx.alice).claimChannel(ch, 5n * WAD, t2.proof(fx.alice.address)),
      ).to.be.revertedWithCustomError(fx.rewards, E.channelInvalidProof);
      await expect(fx.rewards.connect(fx.alice).claimChannel(ch, WAD, t1.proof(fx.alice.address))).to.changeEtherBalance(
        fx.alice,
        WAD,
      );
      await time.increase(PARAMS.challengePeriod);
      await expect(
        fx.rewards.connect(fx.alice).claimChannel(ch, 5n * WAD, t2.proof(fx.alice.address)),
      ).to.changeEtherBalance(fx.alice, 4n * WAD);
    });

    it("a vetoed root never pays, even after its challenge period; only the brand or a guardian may veto, in time", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: id } = await createEvent(fx, { amount: 2n * WAD });
      const bad = eventTree(id, [{ account: fx.mallory.address, amount: 2n * WAD }]);
      const good = eventTree(id, [{ account: fx.alice.address, amount: WAD }, { account: fx.bob.address, amount: WAD }]);
      await endEvent(fx, id);
      await fx.rewards.connect(fx.publisher).publishEventRoot(id, bad.root, 2n * WAD, 1, ethers.ZeroHash);
      await expect(fx.rewards.connect(fx.mallory).vetoEventRoot(id)).to.be.revertedWithCustomError(fx.rewards, E.eventNotBrandOrGuardian);
      await expect(fx.rewards.connect(fx.brand).vetoEventRoot(id))
        .to.emit(fx.rewards, "EventRootVetoed")
        .withArgs(id, bad.root, fx.brand.address);
      await time.increase(PARAMS.challengePeriod + 1n);
      await expect(fx.rewards.claimEvent(...bad.claimArgs(0))).to.be.revertedWithCustomError(fx.rewards, E.eventNoLiveRoot);
      // A new root can be posted; the vetoed one's proof stays useless.
      await publishLiveEventTree(fx, good);
      await expect(fx.rewards.claimEvent(...bad.claimArgs(0))).to.be.revertedWithCustomError(fx.rewards, E.eventInvalidProof);
      await expect(fx.rewards.connect(fx.guardian).vetoEventRoot(id)).to.be.revertedWithCustomError(fx.rewards, E.eventChallengeOver);
      await fx.rewards.claimEvent(...good.claimArgs(0));

      const ch = await createChannel(fx, { amount: 2n * WAD });
      const cbad = channelTree(ch, [{ account: fx.mallory.address, cumulativeScore: 2n * WAD }, { account: fx.alice.address, cumulativeScore: 1n }]);
      await fx.rewards.connect(fx.publisher).publishChannelRoot(ch, 1, cbad.root, cbad.scoreTotal, 2, ethers.ZeroHash);
      await expect(fx.rewards.connect(fx.mallory).vetoChannelRoot(ch)).to.be.revertedWithCustomError(fx.rewards, E.channelNotBrandOrGuardian);
      await fx.rewards.connect(fx.guardian).vetoChannelRoot(ch);
      await time.increase(PARAMS.challengePeriod + 1n);
      await expect(
        fx.rewards.connect(fx.mallory).claimChannel(ch, 2n * WAD, cbad.proof(fx.mallory.address)),
      ).to.be.revertedWithCustomError(fx.rewards, E.channelNoLiveRoot);
      expect((await fx.rewards.getChannel(ch)).balance).to.equal(2n * WAD);
    });

    it("pausing stops claims but never moves funds; brands' refunds still work", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: id } = await createEvent(fx, { amount: WAD, claimWindow: 30n * DAY });
      const tree = eventTree(id, [{ account: fx.alice.address, amount: WAD }]);
      const { eventId: refundable } = await createEvent(fx, { amount: WAD, brand: fx.brand2 });
      await publishLiveEventTree(fx, tree);
      await fx.rewards.connect(fx.guardian).setClaimsPaused(true);
      const before = await ethBalance(fx.rewards);
      await expect(fx.rewards.claimEvent(...tree.claimArgs(0))).to.be.revertedWithCustomError(fx.rewards, E.paused);
      await expect(fx.rewards.batchClaim([tree.item(0)], [])).to.be.revertedWithCustomError(fx.rewards, E.paused);
      expect(await ethBalance(fx.rewards)).to.equal(before);
      await time.increase(PARAMS.publishDeadline + 1n);
      await expect(fx.rewards.connect(fx.brand2).refundEvent(refundable, fx.brand2)).to.changeEtherBalance(fx.brand2, WAD);
      await fx.rewards.connect(fx.guardian).setClaimsPaused(false);
      await expect(fx.rewards.claimEvent(...tree.claimArgs(0))).to.changeEtherBalance(fx.alice, WAD);
    });
  });

  describe("tokens and value", function () {
    it("a fee-on-transfer token is rejected for events, channels and staking", async function () {
      const fx = await loadFixture(fixture);
      const fot = await fx.feeToken.getAddress();
      const now = BigInt(await time.latest());
      await expect(
        fx.rewards.connect(fx.brand).createEvent(fot, now, now + DAY, DAY, WAD, "ipfs://fot"),
      ).to.be.revertedWithCustomError(fx.rewards, E.feeOnTransfer);
      await expect(fx.rewards.connect(fx.brand).createChannel(fot, WAD, WAD, "ipfs://fot")).to.be.revertedWithCustomError(
        fx.rewards,
        E.feeOnTransfer,
      );
      const staking = (await ethers.deployContract("PowerStaking", [fot, 4, 7n * DAY])) as unknown as PowerStaking;
      await fx.feeToken.connect(fx.brand).approve(await staking.getAddress(), ethers.MaxUint256);
      await expect(staking.connect(fx.brand).powerUpToken(WAD)).to.be.revertedWithCustomError(staking, E.stakingFeeOnTransfer);
      expect(await fx.feeToken.balanceOf(await fx.rewards.getAddress())).to.equal(0n);
    });

    it("ETH sent with the wrong value, or with an ERC-20 campaign, is rejected", async function () {
      const fx = await loadFixture(fixture);
      const token = await fx.token.getAddress();
      const now = BigInt(await time.latest());
      await expect(
        fx.rewards.connect(fx.brand).createEvent(ETH, now, now + DAY, DAY, WAD, "x", { value: WAD - 1n }),
      ).to.be.revertedWithCustomError(fx.rewards, E.valueMismatch);
      await expect(
        fx.rewards.connect(fx.brand).createEvent(token, now, now + DAY, DAY, WAD, "x", { value: 1n }),
      ).to.be.revertedWithCustomError(fx.rewards, E.valueMismatch);
      const { eventId: id } = await createEvent(fx, { amount: WAD, token });
      await expect(fx.rewards.connect(fx.brand).fundEvent(id, WAD, { value: WAD })).to.be.revertedWithCustomError(
        fx.rewards,
        E.valueMismatch,
      );
      expect(await ethBalance(fx.rewards)).to.equal(0n);
    });
  });

  describe("front-running a batch", function () {
    it("an item claimed ahead of the batch is skipped (reason 0) and the rest is paid", async function () {
      const fx = await loadFixture(fixture);
      const { eventId: id } = await createEvent(fx, { amount: 3n * WAD });
      const tree = eventTree(id, [
        { account: fx.alice.address, amount: WAD },
        { account: fx.bob.address, amount: WAD },
        { account: fx.carol.address, amount: WAD },
      ]);
      await publishLiveEventTree(fx, tree);
      const ch = await createChannel(fx, { amount: 5n * WAD });
      const ctree = channelTree(ch, [{ account: fx.alice.address, cumulativeScore: WAD }, { account: fx.bob.address, cumulativeScore: WAD }]);
      await publishLiveChannelRoot(fx, ctree.channelId, 1n, ctree.leaves);

      // Mallory front-runs bob's item and alice's own channel item is already converted.
      await fx.rewards.connect(fx.mallory).claimEvent(...tree.claimArgs(1));
      await fx.rewards.connect(fx.alice).claimChannel(ch, WAD, ctree.proof(fx.alice.address));
      const items = [tree.item(0), tree.item(1), tree.item(2)];
      const citems = [ctree.item(fx.alice.address)];
      expect(await fx.rewards.connect(fx.alice).batchClaim.staticCall(items, citems)).to.deep.equal([2n, 0n]);
      await expect(fx.rewards.connect(fx.alice).batchClaim(items, citems))
        .to.emit(fx.rewards, "BatchItemSkipped")
        .withArgs(0, id, fx.bob.address, 0)
        .and.to.emit(fx.rewards, "BatchItemSkipped")
        .withArgs(1, ch, fx.alice.address, 0);
      expect((await fx.rewards.getEventBounty(id)).claimed).to.equal(3n * WAD);
      expect(await ethBalance(fx.rewards)).to.equal(4n * WAD);
    });
  });
});
