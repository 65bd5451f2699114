/*
claimEvent(eventId, index, account, amount, proof)  /  claimEventTo(eventId, index, amount, recipient, proof)
├── when claims are paused
│   └── it should revert with RewardsBase_ClaimsPaused
└── when claims are not paused
    ├── when claimEventTo names the zero address as recipient
    │   └── it should revert with RewardsBase_ZeroRecipient
    ├── given the leaf index was already claimed
    │   └── it should revert with EventBounties_AlreadyClaimed
    ├── given the leaf amount is zero
    │   └── it should revert with EventBounties_NothingToClaim
    ├── given the event has no root
    │   └── it should revert with EventBounties_NoLiveRoot
    ├── given the event's root was vetoed
    │   └── it should revert with EventBounties_NoLiveRoot
    ├── given the event id is 0 (never created)
    │   └── it should revert with EventBounties_NoLiveRoot
    ├── given the proof does not lead from the leaf to the event's root
    │   ├── when the amount is inflated
    │   │   └── it should revert with EventBounties_InvalidProof
    │   ├── when the leaf and proof come from another event (the leaf binds the event id)
    │   │   └── it should revert with EventBounties_InvalidProof
    │   ├── when an internal node and its sub-proof are presented
    │   │   └── it should revert with EventBounties_InvalidProof
    │   └── when someone else calls claimEventTo with the account's leaf (the leaf binds msg.sender)
    │       └── it should revert with EventBounties_InvalidProof
    ├── given the root is still in its challenge period
    │   └── it should revert with EventBounties_RootInChallenge
    ├── given the claim window has closed (claimableAt + claimWindow)
    │   └── it should revert with EventBounties_ClaimWindowClosed
    ├── given the leaf would take the event beyond its root's total (faulty root)
    │   └── it should revert with EventBounties_ClaimExceedsTotal, and other campaigns stay untouched
    ├── given the receiver rejects the payment (ETH receiver reverts, or ERC-20 transfer refused)
    │   └── it should revert with RewardsBase_PaymentFailed, failing only that claim
    └── given a valid, unclaimed leaf of a live root inside the window
        ├── when anyone calls claimEvent
        │   └── it should pay the leaf's account, mark the leaf, lower the event's remaining total, emit EventClaimed
        ├── when the account calls claimEventTo
        │   └── it should pay the recipient it names
        ├── when the event pays an ERC-20
        │   └── it should transfer the token
        ├── when it is the first second of claimableAt or the last second of the window
        │   └── it should pay
        └── when the same leaf is claimed again
            └── it should revert with EventBounties_AlreadyClaimed
*/
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import {
  ETH,
  ONE_ETH,
  createEvent,
  deployFixture,
  eventTree,
  liveEvent,
  publishedEvent,
  type DeployFixture,
  readEvent,
} from "../shared/fixtures";

async function threeLeaves(f: DeployFixture) {
  return [
    { account: f.users[0].address, amount: ONE_ETH },
    { account: f.users[1].address, amount: 2n * ONE_ETH },
    { account: f.users[2].address, amount: 3n * ONE_ETH },
  ];
}

describe("EventBounties: claims", () => {
  describe("when claims are paused", () => {
    it("reverts claimEvent and claimEventTo with RewardsBase_ClaimsPaused", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, await threeLeaves(f));
      await f.rewards.connect(f.guardian).setClaimsPaused(true);
      await expect(
        f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0)),
      ).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ClaimsPaused");
      await expect(
        f.rewards.connect(f.users[0]).claimEventTo(ev.eventId, 0, ONE_ETH, f.users[5].address, ev.tree.proof(0)),
      ).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ClaimsPaused");
      await f.rewards.connect(f.guardian).setClaimsPaused(false);
      await f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0));
    });
  });

  describe("when claims are not paused", () => {
    it("claimEventTo reverts on the zero recipient", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, await threeLeaves(f));
      await expect(
        f.rewards.connect(f.users[0]).claimEventTo(ev.eventId, 0, ONE_ETH, ethers.ZeroAddress, ev.tree.proof(0)),
      ).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ZeroRecipient");
    });

    it("given the leaf was already claimed: reverts with EventBounties_AlreadyClaimed", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, await threeLeaves(f));
      await f.rewards.claimEvent(ev.eventId, 1, f.users[1].address, 2n * ONE_ETH, ev.tree.proof(1));
      await expect(f.rewards.claimEvent(ev.eventId, 1, f.users[1].address, 2n * ONE_ETH, ev.tree.proof(1)))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_AlreadyClaimed")
        .withArgs(ev.eventId, 1);
      await expect(
        f.rewards.connect(f.users[1]).claimEventTo(ev.eventId, 1, 2n * ONE_ETH, f.users[9].address, ev.tree.proof(1)),
      )
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_AlreadyClaimed")
        .withArgs(ev.eventId, 1);
    });

    it("given a zero-amount leaf: reverts with EventBounties_NothingToClaim", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, [
        { account: f.users[0].address, amount: 0n },
        { account: f.users[1].address, amount: ONE_ETH },
      ]);
      await expect(f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, 0, ev.tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_NothingToClaim")
        .withArgs(ev.eventId, 0);
    });

    it("given no root: reverts with EventBounties_NoLiveRoot", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      const tree = eventTree(ev.eventId, await threeLeaves(f));
      await time.increaseTo(ev.end + 10n * 86_400n);
      await expect(f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_NoLiveRoot")
        .withArgs(ev.eventId);
    });

    it("given a vetoed root: reverts with EventBounties_NoLiveRoot, also after its challenge period", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await publishedEvent(f, await threeLeaves(f));
      await f.rewards.connect(f.brand).vetoEventRoot(ev.eventId);
      await time.increaseTo(ev.claimableAt + 1n);
      await expect(f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_NoLiveRoot")
        .withArgs(ev.eventId);
    });

    it("given event id 0: reverts with EventBounties_NoLiveRoot", async () => {
      const f = await loadFixture(deployFixture);
      const tree = eventTree(0, await threeLeaves(f));
      await expect(f.rewards.claimEvent(0, 0, f.users[0].address, ONE_ETH, tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_NoLiveRoot")
        .withArgs(0);
    });

    describe("given the proof does not lead from the leaf to the event's root", () => {
      it("when the amount is inflated: reverts with EventBounties_InvalidProof", async () => {
        const f = await loadFixture(deployFixture);
        const ev = await liveEvent(f, await threeLeaves(f));
        await expect(f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, 2n * ONE_ETH, ev.tree.proof(0)))
          .to.be.revertedWithCustomError(f.rewards, "EventBounties_InvalidProof")
          .withArgs(ev.eventId, 0, f.users[0].address, 2n * ONE_ETH);
      });

      it("when the leaf and proof come from another event: reverts with EventBounties_InvalidProof", async () => {
        const f = await loadFixture(deployFixture);
        const a = await liveEvent(f, await threeLeaves(f));
        const b = await liveEvent(f, await threeLeaves(f));
        // b's proof for an identical (index, account, amount) leaf, presented on a: the leaf binds the event id.
        await expect(f.rewards.claimEvent(a.eventId, 0, f.users[0].address, ONE_ETH, b.tree.proof(0)))
          .to.be.revertedWithCustomError(f.rewards, "EventBounties_InvalidProof")
          .withArgs(a.eventId, 0, f.users[0].address, ONE_ETH);
        // And a's leaf presented as b's, with a's (valid for a) proof.
        await expect(f.rewards.claimEvent(b.eventId, 0, f.users[0].address, ONE_ETH, a.tree.proof(0)))
          .to.be.revertedWithCustomError(f.rewards, "EventBounties_InvalidProof")
          .withArgs(b.eventId, 0, f.users[0].address, ONE_ETH);
      });

      it("when an internal node and its sub-proof are presented: reverts with EventBounties_InvalidProof", async () => {
        const f = await loadFixture(deployFixture);
        const ev = await liveEvent(f, await threeLeaves(f));
        const harness = await ethers.deployContract("MerkleProofHarness");
        // The proof of leaf 0 without its first sibling is a valid proof of the internal node above leaf 0.
        const proof = ev.tree.proof(0);
        const leafHash = await harness.eventLeaf(ev.eventId, 0, f.users[0].address, ONE_ETH);
        const [a, b] = [leafHash, proof[0]].sort();
        const node = ethers.keccak256(ethers.concat([a, b]));
        expect(await harness.verify(proof.slice(1), ev.tree.root, node)).to.equal(true);
        // The contract only accepts double-hashed 128-byte leaves; split the node's preimage as leaf fields.
        const asIndex = BigInt(a);
        const asAmount = BigInt(b);
        await expect(f.rewards.claimEvent(ev.eventId, asIndex, f.users[0].address, asAmount, proof.slice(1)))
          .to.be.revertedWithCustomError(f.rewards, "EventBounties_InvalidProof")
          .withArgs(ev.eventId, asIndex, f.users[0].address, asAmount);
      });

      it("when someone else uses claimEventTo with the account's leaf: reverts with EventBounties_InvalidProof", async () => {
        const f = await loadFixture(deployFixture);
        const ev = await liveEvent(f, await threeLeaves(f));
        await expect(
          f.rewards.connect(f.stranger).claimEventTo(ev.eventId, 0, ONE_ETH, f.stranger.address, ev.tree.proof(0)),
        )
          .to.be.revertedWithCustomError(f.rewards, "EventBounties_InvalidProof")
          .withArgs(ev.eventId, 0, f.stranger.address, ONE_ETH);
      });
    });

    it("given the root is in its challenge period: reverts with EventBounties_RootInChallenge", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await publishedEvent(f, await threeLeaves(f));
      await time.setNextBlockTimestamp(ev.claimableAt - 1n);
      await expect(f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_RootInChallenge")
        .withArgs(ev.eventId, ev.claimableAt);
    });

    it("given the claim window has closed: reverts with EventBounties_ClaimWindowClosed", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, await threeLeaves(f));
      const closesAt = ev.claimableAt + ev.claimWindow;
      await time.setNextBlockTimestamp(closesAt);
      await expect(f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_ClaimWindowClosed")
        .withArgs(ev.eventId, closesAt);
    });

    it("given a faulty root whose leaves exceed its total: pays up to the total only, other campaigns untouched", async () => {
      const f = await loadFixture(deployFixture);
      const other = await createEvent(f, { amount: 100n * ONE_ETH, brand: f.brand2 });
      // Leaves sum to 6 ETH but the root declares 4 ETH (≤ the 10 ETH pot).
      const ev = await liveEvent(f, await threeLeaves(f), { total: 4n * ONE_ETH });
      await f.rewards.claimEvent(ev.eventId, 2, f.users[2].address, 3n * ONE_ETH, ev.tree.proof(2));
      await expect(f.rewards.claimEvent(ev.eventId, 1, f.users[1].address, 2n * ONE_ETH, ev.tree.proof(1)))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_ClaimExceedsTotal")
        .withArgs(ev.eventId, 2n * ONE_ETH, ONE_ETH);
      await f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0));
      const e = await readEvent(f.rewards, ev.eventId);
      expect(e.claimed).to.equal(e.total);
      expect((await readEvent(f.rewards, other.eventId)).funded).to.equal(100n * ONE_ETH);
      expect(await ethers.provider.getBalance(await f.rewards.getAddress())).to.equal(
        100n * ONE_ETH + 10n * ONE_ETH - 4n * ONE_ETH,
      );
    });

    describe("given the receiver rejects the payment", () => {
      it("ETH: reverts with RewardsBase_PaymentFailed; only that claim fails", async () => {
        const f = await loadFixture(deployFixture);
        const rejecting = await ethers.deployContract("RejectingReceiver");
        const rej = await rejecting.getAddress();
        const ev = await liveEvent(f, [
          { account: rej, amount: ONE_ETH },
          { account: f.users[1].address, amount: ONE_ETH },
        ]);
        await expect(f.rewards.claimEvent(ev.eventId, 0, rej, ONE_ETH, ev.tree.proof(0)))
          .to.be.revertedWithCustomError(f.rewards, "Funds_PaymentFailed")
          .withArgs(ETH, rej, ONE_ETH);
        expect(await f.rewards.isEventClaimed(ev.eventId, 0)).to.equal(false);
        await f.rewards.claimEvent(ev.eventId, 1, f.users[1].address, ONE_ETH, ev.tree.proof(1));
        // The rejecting account can still redirect its payout.
        await expect(
          rejecting.claimEventTo(await f.rewards.getAddress(), ev.eventId, 0, ONE_ETH, f.users[7].address, ev.tree.proof(0)),
        ).to.changeEtherBalance(f.users[7], ONE_ETH);
      });

      it("ERC-20: reverts with RewardsBase_PaymentFailed when the token refuses the receiver", async () => {
        const f = await loadFixture(deployFixture);
        const blk = await ethers.deployContract("BlocklistERC20");
        const token = await blk.getAddress();
        await blk.mint(f.brand.address, 100n);
        await blk.connect(f.brand).approve(await f.rewards.getAddress(), 100n);
        const ev = await liveEvent(f, [{ account: f.users[0].address, amount: 40n }], { token, amount: 100n });
        await blk.setBlocked(f.users[0].address, true);
        await expect(f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, 40n, ev.tree.proof(0)))
          .to.be.revertedWithCustomError(f.rewards, "Funds_PaymentFailed")
          .withArgs(token, f.users[0].address, 40n);
        await expect(
          f.rewards.connect(f.users[0]).claimEventTo(ev.eventId, 0, 40n, f.users[1].address, ev.tree.proof(0)),
        ).to.changeTokenBalance(blk, f.users[1], 40n);
      });
    });

    describe("given a valid, unclaimed leaf of a live root inside the window", () => {
      it("anyone may trigger claimEvent: pays the account and emits EventClaimed", async () => {
        const f = await loadFixture(deployFixture);
        const ev = await liveEvent(f, await threeLeaves(f));
        const tx = await f.rewards
          .connect(f.stranger)
          .claimEvent(ev.eventId, 1, f.users[1].address, 2n * ONE_ETH, ev.tree.proof(1));
        await expect(tx)
          .to.emit(f.rewards, "EventClaimed")
          .withArgs(ev.eventId, 1, f.users[1].address, f.users[1].address, 2n * ONE_ETH);
        await expect(tx).to.changeEtherBalances(
          [f.users[1], f.rewards, f.stranger],
          [2n * ONE_ETH, -2n * ONE_ETH, 0n],
          { includeFee: false },
        );
        expect(await f.rewards.isEventClaimed(ev.eventId, 1)).to.equal(true);
        expect((await readEvent(f.rewards, ev.eventId)).claimed).to.equal(2n * ONE_ETH);
      });

      it("the account may redirect its payout with claimEventTo", async () => {
        const f = await loadFixture(deployFixture);
        const ev = await liveEvent(f, await threeLeaves(f));
        const tx = await f.rewards
          .connect(f.users[2])
          .claimEventTo(ev.eventId, 2, 3n * ONE_ETH, f.users[8].address, ev.tree.proof(2));
        await expect(tx)
          .to.emit(f.rewards, "EventClaimed")
          .withArgs(ev.eventId, 2, f.users[2].address, f.users[8].address, 3n * ONE_ETH);
        await expect(tx).to.changeEtherBalance(f.users[8], 3n * ONE_ETH);
      });

      it("pays an ERC-20", async () => {
        const f = await loadFixture(deployFixture);
        const token = await f.token.getAddress();
        const ev = await liveEvent(f, [{ account: f.users[0].address, amount: 123n }], { token, amount: 500n });
        const tx = await f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, 123n, ev.tree.proof(0));
        await expect(tx).to.changeTokenBalances(f.token, [f.users[0], f.rewards], [123n, -123n]);
        await expect(tx).to.emit(f.rewards, "EventClaimed").withArgs(ev.eventId, 0, f.users[0].address, f.users[0].address, 123n);
        expect((await readEvent(f.rewards, ev.eventId)).claimed).to.equal(123n);
      });

      it("pays at exactly claimableAt and at the window's last second", async () => {
        const f = await loadFixture(deployFixture);
        const ev = await publishedEvent(f, await threeLeaves(f));
        await time.setNextBlockTimestamp(ev.claimableAt);
        await f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0));
        await time.setNextBlockTimestamp(ev.claimableAt + ev.claimWindow - 1n);
        await f.rewards.claimEvent(ev.eventId, 1, f.users[1].address, 2n * ONE_ETH, ev.tree.proof(1));
      });

      it("leaves with large, sparse indices use their own bitmap bits", async () => {
        const f = await loadFixture(deployFixture);
        const ev = await liveEvent(f, [
          { account: f.users[0].address, amount: 1n, index: 255 },
          { account: f.users[1].address, amount: 1n, index: 256 },
          { account: f.users[2].address, amount: 1n, index: 2n ** 200n },
        ]);
        for (let i = 0; i < 3; i++) {
          const l = ev.tree.leaves[i];
          await f.rewards.claimEvent(ev.eventId, l.index, l.account, l.amount, ev.tree.proof(i));
          expect(await f.rewards.isEventClaimed(ev.eventId, l.index)).to.equal(true);
        }
        expect(await f.rewards.isEventClaimed(ev.eventId, 254)).to.equal(false);
        expect(await f.rewards.isEventClaimed(ev.eventId, 257)).to.equal(false);
      });

      it("the whole tree can be claimed, and claimed == total", async () => {
        const f = await loadFixture(deployFixture);
        const ev = await liveEvent(f, await threeLeaves(f));
        for (let i = 0; i < 3; i++) {
          const l = ev.tree.leaves[i];
          await f.rewards.claimEvent(ev.eventId, l.index, l.account, l.amount, ev.tree.proof(i));
        }
        const e = await readEvent(f.rewards, ev.eventId);
        expect(e.claimed).to.equal(6n * ONE_ETH);
        expect(e.total).to.equal(6n * ONE_ETH);
      });
    });
  });
});
