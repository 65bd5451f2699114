/*
batchClaim(eventClaims, channelClaims)
├── when claims are paused → it should revert with RewardsBase_ClaimsPaused (even when empty)
├── given an item with a hard failure (invalid proof, no live root, window closed, channel closed)
│   └── it should revert with that item's error
└── given items that each pay or soft-fail
    ├── it should pay every payable item (events for their leaf accounts, channels for msg.sender) and return the counts
    ├── event item already claimed (e.g. front-run) or with a zero amount → skip, reason 0
    ├── event item beyond its root's total → skip, reason 1
    ├── channel item with nothing owed (converted, or dust) → skip, reason 0
    ├── channel item with an empty pool → skip, reason 1
    └── item whose receiver rejects the payment (ETH or ERC-20) → skip, reason 2, its effects undone
*/
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import {
  ETH,
  KIND,
  ONE_ETH,
  WAD,
  SKIP,
  createChannel,
  deployFixture,
  eventTree,
  liveEvent,
  publishLiveChannelRoot,
  publishedEvent,
  readEvent,
} from "../shared/fixtures";

describe("Like2EarnRewards: batchClaim", () => {
  it("reverts when claims are paused, even for an empty batch", async () => {
    const f = await loadFixture(deployFixture);
    await f.rewards.connect(f.guardian).setClaimsPaused(true);
    await expect(f.rewards.batchClaim([], [])).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ClaimsPaused");
  });

  it("an empty batch pays nothing", async () => {
    const f = await loadFixture(deployFixture);
    expect(await f.rewards.batchClaim.staticCall([], [])).to.deep.equal([0n, 0n]);
  });

  it("pays event items for their accounts and channel items for the caller, across campaigns", async () => {
    const f = await loadFixture(deployFixture);
    const [u0, u1, u2] = f.users;
    const a = await liveEvent(f, [
      { account: u0.address, amount: ONE_ETH },
      { account: u1.address, amount: 2n * ONE_ETH },
    ]);
    const token = await f.token.getAddress();
    const b = await liveEvent(f, [{ account: u2.address, amount: 50n }], { token, amount: 50n, brand: f.brand2 });
    const c1 = await createChannel(f);
    const c2 = await createChannel(f, { rate: 2n * WAD });
    const t1 = await publishLiveChannelRoot(f, c1, 1, [{ account: u0.address, cumulativeScore: ONE_ETH }]);
    const t2 = await publishLiveChannelRoot(f, c2, 1, [{ account: u0.address, cumulativeScore: ONE_ETH }]);

    const events = [a.tree.item(0), a.tree.item(1), b.tree.item(0)];
    const channels = [t1.item(0), t2.item(0)];
    expect(await f.rewards.connect(u0).batchClaim.staticCall(events, channels)).to.deep.equal([3n, 2n]);
    const tx = await f.rewards.connect(u0).batchClaim(events, channels);
    await expect(tx).to.emit(f.rewards, "EventClaimed").withArgs(a.eventId, 1, u1.address, u1.address, 2n * ONE_ETH);
    await expect(tx).to.emit(f.rewards, "EventClaimed").withArgs(b.eventId, 0, u2.address, u2.address, 50n);
    await expect(tx)
      .to.emit(f.rewards, "ChannelClaimed")
      .withArgs(c2, u0.address, u0.address, 2n * ONE_ETH, ONE_ETH, 0);
    await expect(tx).not.to.emit(f.rewards, "BatchItemSkipped");
    await expect(tx).to.changeEtherBalances([u0, u1], [ONE_ETH + ONE_ETH + 2n * ONE_ETH, 2n * ONE_ETH], {
      includeFee: false,
    });
    await expect(tx).to.changeTokenBalance(f.token, u2, 50n);
  });

  it("skips an event item already claimed (front-run) and a zero-amount leaf with reason 0", async () => {
    const f = await loadFixture(deployFixture);
    const ev = await liveEvent(f, [
      { account: f.users[0].address, amount: ONE_ETH },
      { account: f.users[1].address, amount: ONE_ETH },
      { account: f.users[2].address, amount: 0n },
    ]);
    // Someone claims item 0 first.
    await f.rewards.connect(f.stranger).claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0));
    const items = [ev.tree.item(0), ev.tree.item(1), ev.tree.item(2)];
    expect(await f.rewards.batchClaim.staticCall(items, [])).to.deep.equal([1n, 0n]);
    const tx = await f.rewards.batchClaim(items, []);
    await expect(tx)
      .to.emit(f.rewards, "BatchItemSkipped")
      .withArgs(KIND.event, ev.eventId, f.users[0].address, SKIP.nothingOwed);
    await expect(tx)
      .to.emit(f.rewards, "BatchItemSkipped")
      .withArgs(KIND.event, ev.eventId, f.users[2].address, SKIP.nothingOwed);
    await expect(tx).to.changeEtherBalance(f.users[1], ONE_ETH);
  });

  it("skips an event item beyond its root's total with reason 1", async () => {
    const f = await loadFixture(deployFixture);
    const ev = await liveEvent(
      f,
      [
        { account: f.users[0].address, amount: 2n * ONE_ETH },
        { account: f.users[1].address, amount: 2n * ONE_ETH },
      ],
      { total: 3n * ONE_ETH },
    );
    const tx = await f.rewards.batchClaim([ev.tree.item(0), ev.tree.item(1)], []);
    await expect(tx)
      .to.emit(f.rewards, "BatchItemSkipped")
      .withArgs(KIND.event, ev.eventId, f.users[1].address, SKIP.poolEmpty);
    expect((await readEvent(f.rewards, ev.eventId)).claimed).to.equal(2n * ONE_ETH);
  });

  it("skips an event item whose ETH receiver rejects with reason 2 and undoes its effects", async () => {
    const f = await loadFixture(deployFixture);
    const rejecting = await ethers.deployContract("RejectingReceiver");
    const rej = await rejecting.getAddress();
    const ev = await liveEvent(f, [
      { account: rej, amount: ONE_ETH },
      { account: f.users[1].address, amount: ONE_ETH },
    ]);
    const tx = await f.rewards.batchClaim([ev.tree.item(0), ev.tree.item(1)], []);
    await expect(tx).to.emit(f.rewards, "BatchItemSkipped").withArgs(KIND.event, ev.eventId, rej, SKIP.paymentRejected);
    await expect(tx).to.changeEtherBalance(f.users[1], ONE_ETH);
    expect(await f.rewards.isEventClaimed(ev.eventId, 0)).to.equal(false);
    expect((await readEvent(f.rewards, ev.eventId)).claimed).to.equal(ONE_ETH);
    // The account can still redirect its payout later.
    await expect(
      rejecting.claimEventTo(await f.rewards.getAddress(), ev.eventId, 0, ONE_ETH, f.users[5].address, ev.tree.proof(0)),
    ).to.changeEtherBalance(f.users[5], ONE_ETH);
  });

  it("skips an ERC-20 event item the token refuses with reason 2", async () => {
    const f = await loadFixture(deployFixture);
    const blk = await ethers.deployContract("BlocklistERC20");
    await blk.mint(f.brand.address, 100n);
    await blk.connect(f.brand).approve(await f.rewards.getAddress(), 100n);
    const ev = await liveEvent(
      f,
      [
        { account: f.users[0].address, amount: 30n },
        { account: f.users[1].address, amount: 30n },
      ],
      { token: await blk.getAddress(), amount: 100n },
    );
    await blk.setBlocked(f.users[0].address, true);
    const tx = await f.rewards.batchClaim([ev.tree.item(0), ev.tree.item(1)], []);
    await expect(tx)
      .to.emit(f.rewards, "BatchItemSkipped")
      .withArgs(KIND.event, ev.eventId, f.users[0].address, SKIP.paymentRejected);
    await expect(tx).to.changeTokenBalance(blk, f.users[1], 30n);
    expect(await f.rewards.isEventClaimed(ev.eventId, 0)).to.equal(false);
  });

  it("skips channel items with nothing owed (0) or an empty pool (1)", async () => {
    const f = await loadFixture(deployFixture);
    const u = f.users[0];
    const done = await createChannel(f);
    const empty = await createChannel(f, { amount: 0n });
    const dust = await createChannel(f, { rate: 3n * 10n ** 17n });
    const td = await publishLiveChannelRoot(f, done, 1, [{ account: u.address, cumulativeScore: ONE_ETH }]);
    const te = await publishLiveChannelRoot(f, empty, 1, [{ account: u.address, cumulativeScore: ONE_ETH }]);
    const tu = await publishLiveChannelRoot(f, dust, 1, [{ account: u.address, cumulativeScore: 3n }]);
    await f.rewards.connect(u).claimChannel(done, ONE_ETH, td.proof(0));
    const items = [td.item(0), te.item(0), tu.item(0)];
    expect(await f.rewards.connect(u).batchClaim.staticCall([], items)).to.deep.equal([0n, 0n]);
    const tx = await f.rewards.connect(u).batchClaim([], items);
    await expect(tx).to.emit(f.rewards, "BatchItemSkipped").withArgs(KIND.channel, done, u.address, SKIP.nothingOwed);
    await expect(tx).to.emit(f.rewards, "BatchItemSkipped").withArgs(KIND.channel, empty, u.address, SKIP.poolEmpty);
    await expect(tx).to.emit(f.rewards, "BatchItemSkipped").withArgs(KIND.channel, dust, u.address, SKIP.nothingOwed);
  });

  it("skips a channel item whose receiver rejects with reason 2 and undoes its effects", async () => {
    const f = await loadFixture(deployFixture);
    const rejecting = await ethers.deployContract("RejectingReceiver");
    const rej = await rejecting.getAddress();
    const id = await createChannel(f, { amount: 5n * ONE_ETH });
    const tree = await publishLiveChannelRoot(f, id, 1, [{ account: rej, cumulativeScore: ONE_ETH }]);
    const tx = await rejecting.batchClaim(await f.rewards.getAddress(), [], [tree.item(0)]);
    await expect(tx).to.emit(f.rewards, "BatchItemSkipped").withArgs(KIND.channel, id, rej, SKIP.paymentRejected);
    expect(await f.rewards.convertedScore(id, rej)).to.equal(0);
    expect((await f.rewards.getChannel(id)).balance).to.equal(5n * ONE_ETH);
  });

  it("reverts on an invalid proof, a root not live, a closed window or a closed channel", async () => {
    const f = await loadFixture(deployFixture);
    const u = f.users[0];
    const live = await liveEvent(f, [{ account: u.address, amount: ONE_ETH }, { account: f.users[1].address, amount: 1n }]);
    const pending = await publishedEvent(f, [{ account: u.address, amount: ONE_ETH }]);
    const bad = { ...live.tree.item(0), amount: 2n * ONE_ETH };
    await expect(f.rewards.batchClaim([live.tree.item(1), bad], []))
      .to.be.revertedWithCustomError(f.rewards, "EventBounties_InvalidProof")
      .withArgs(live.eventId, 0, u.address, 2n * ONE_ETH);
    await expect(f.rewards.batchClaim([pending.tree.item(0)], []))
      .to.be.revertedWithCustomError(f.rewards, "EventBounties_RootInChallenge")
      .withArgs(pending.eventId, pending.claimableAt);
    const unpublished = eventTree(99, [{ account: u.address, amount: 1n }]);
    await expect(f.rewards.batchClaim([unpublished.item(0)], []))
      .to.be.revertedWithCustomError(f.rewards, "EventBounties_NoLiveRoot")
      .withArgs(99);

    const id = await createChannel(f);
    const tree = await publishLiveChannelRoot(f, id, 1, [{ account: u.address, cumulativeScore: ONE_ETH }]);
    await expect(f.rewards.connect(f.users[1]).batchClaim([], [tree.item(0)]))
      .to.be.revertedWithCustomError(f.rewards, "ChannelPools_InvalidProof")
      .withArgs(id, f.users[1].address, ONE_ETH);
    await f.rewards.connect(f.brand).announceClose(id);
    await time.increaseTo(live.claimableAt + live.claimWindow);
    await expect(f.rewards.batchClaim([live.tree.item(1)], []))
      .to.be.revertedWithCustomError(f.rewards, "EventBounties_ClaimWindowClosed")
      .withArgs(live.eventId, live.claimableAt + live.claimWindow);
    const closesAt = (await f.rewards.getChannel(id)).closesAt;
    await expect(f.rewards.connect(u).batchClaim([], [tree.item(0)]))
      .to.be.revertedWithCustomError(f.rewards, "ChannelPools_Closed")
      .withArgs(id, closesAt);
  });

  it("ETH leaves paid through a batch keep the contract balance equal to the ledgers", async () => {
    const f = await loadFixture(deployFixture);
    const ev = await liveEvent(f, [
      { account: f.users[0].address, amount: ONE_ETH },
      { account: f.users[1].address, amount: 3n * ONE_ETH },
    ]);
    await f.rewards.batchClaim([ev.tree.item(0), ev.tree.item(1)], []);
    const e = await readEvent(f.rewards, ev.eventId);
    expect(await ethers.provider.getBalance(await f.rewards.getAddress())).to.equal(e.funded - e.claimed);
    expect(e.token).to.equal(ETH);
  });
});
