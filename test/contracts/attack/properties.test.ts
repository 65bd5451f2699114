/**
 * The four properties issue #8 found broken, each reproduced as an attack: a pause handing users' rewards
 * to the brand, the admin skipping the veto window, one vetoed epoch freezing a channel, and gas-burning
 * receivers sinking or bleeding a batch.
 */
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import {
  DAY,
  ETH,
  ONE_ETH,
  PARAMS,
  createChannel,
  deployFixture,
  eventTree,
  gasOf,
  liveEvent,
  publishLiveChannelRoot,
  channelTree,
  createEvent,
} from "../shared/fixtures";

const withdrawUnclaimed = (f: Awaited<ReturnType<typeof deployFixture>>, eventId: bigint) =>
  f.rewards.connect(f.brand).withdrawUnclaimed(eventId, f.brand);
const withdrawChannel = (f: Awaited<ReturnType<typeof deployFixture>>, channelId: bigint) =>
  f.rewards.connect(f.brand).withdrawChannel(channelId, f.brand);

describe("issue #8 properties", () => {
  describe("a pause never shortens the time users have to claim", () => {
    it("event: the claim window is extended by the time spent paused and the brand cannot withdraw meanwhile", async () => {
      const f = await loadFixture(deployFixture);
      const user = f.users[0];
      const ev = await liveEvent(f, [{ account: user.address, amount: ONE_ETH }], { claimWindow: 8 * DAY });
      await time.increase(DAY); // one day of the window used
      await f.rewards.connect(f.guardian).setClaimsPaused(true);
      await time.increase(30 * DAY); // paused well past the original window end
      await expect(withdrawUnclaimed(f, ev.eventId)).to.be.reverted;
      await f.rewards.connect(f.guardian).setClaimsPaused(false);
      // Seven days of window were left when the pause began: still open one second before they run out.
      await time.increase(7 * DAY - 10);
      await expect(withdrawUnclaimed(f, ev.eventId)).to.be.reverted;
      await expect(f.rewards.claimEvent(ev.eventId, 0, user.address, ONE_ETH, ev.tree.proof(0))).to.changeEtherBalance(
        user,
        ONE_ETH,
      );
    });

    it("channel: the close notice is extended by the time spent paused and the brand cannot withdraw meanwhile", async () => {
      const f = await loadFixture(deployFixture);
      const user = f.users[0];
      const channelId = await createChannel(f);
      const tree = await publishLiveChannelRoot(f, channelId, 1, [{ account: user.address, cumulativeScore: ONE_ETH }]);
      await f.rewards.connect(f.brand).announceClose(channelId);
      await f.rewards.connect(f.guardian).setClaimsPaused(true);
      await time.increase(PARAMS.closeNotice + DAY);
      await expect(withdrawChannel(f, channelId)).to.be.reverted;
      await f.rewards.connect(f.guardian).setClaimsPaused(false);
      await expect(f.rewards.connect(user).claimChannel(channelId, ONE_ETH, tree.proof(0))).to.changeEtherBalance(
        user,
        ONE_ETH,
      );
    });
  });

  describe("parameters are per campaign", () => {
    it("a challenge period set after an event's creation does not apply to it", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      await f.rewards.connect(f.admin).setParameters(0, PARAMS.publishDeadline, PARAMS.rateChangeNotice, PARAMS.closeNotice, PARAMS.minClaimWindow);
      await time.increaseTo(ev.end);
      const tree = eventTree(ev.eventId, [{ account: f.admin.address, amount: ev.amount }]);
      await f.rewards.connect(f.publisher).publishEventRoot(ev.eventId, tree.root, ev.amount, 1, ethers.ZeroHash);
      const posted = await f.rewards.getEventRoot(ev.eventId);
      expect(posted.claimableAt).to.equal((await time.latest()) + PARAMS.challengePeriod);
      // The brand can still veto the admin's root.
      await expect(f.rewards.connect(f.brand).vetoEventRoot(ev.eventId)).to.emit(f.rewards, "EventRootVetoed");
    });

    it("the admin role cannot be granted in one step", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.rewards.connect(f.admin).grantRole(ethers.ZeroHash, f.stranger.address)).to.be.reverted;
    });

    it("a rate-change notice shorter than the challenge period is refused", async () => {
      const f = await loadFixture(deployFixture);
      await expect(
        f.rewards.connect(f.admin).setParameters(2 * DAY, PARAMS.publishDeadline, DAY, PARAMS.closeNotice, PARAMS.minClaimWindow),
      ).to.be.reverted;
    });
  });

  describe("no sequence of posts and vetoes freezes a channel", () => {
    it("an epoch must be the last posted + 1, and a vetoed epoch number is posted again", async () => {
      const f = await loadFixture(deployFixture);
      const channelId = await createChannel(f);
      const t = channelTree(channelId, [{ account: f.users[0].address, cumulativeScore: ONE_ETH }]);
      await expect(
        f.rewards.connect(f.publisher).publishChannelRoot(channelId, 2n ** 64n - 1n, t.root, 0, 1, ethers.ZeroHash),
      ).to.be.reverted;
      await f.rewards.connect(f.publisher).publishChannelRoot(channelId, 1, t.root, 0, 1, ethers.ZeroHash);
      await f.rewards.connect(f.brand).vetoChannelRoot(channelId);
      await expect(f.rewards.connect(f.publisher).publishChannelRoot(channelId, 1, t.root, 0, 1, ethers.ZeroHash)).to.emit(
        f.rewards,
        "ChannelRootPosted",
      );
    });
  });

  describe("gas-burning receivers can neither sink nor bleed a batch", () => {
    it("[burner, burner, honest] pays the honest item at about its normal cost", async () => {
      const f = await loadFixture(deployFixture);
      const b1 = await ethers.deployContract("GasBurner");
      const b2 = await ethers.deployContract("GasBurner");
      const honest = f.users[0].address;
      const amounts = [ONE_ETH, ONE_ETH, ONE_ETH, ONE_ETH];
      const accounts = [await b1.getAddress(), await b2.getAddress(), honest, f.users[1].address];
      const ev = await liveEvent(f, accounts.map((account, i) => ({ account, amount: amounts[i] })));
      const alone = await gasOf(f.rewards.connect(f.stranger).batchClaim([ev.tree.item(3)], []));
      const tx = f.rewards
        .connect(f.stranger)
        .batchClaim([ev.tree.item(0), ev.tree.item(1), ev.tree.item(2)], [], { gasLimit: 2n ** 24n });
      await expect(tx).to.changeEtherBalance(f.users[0], ONE_ETH);
      const gas = await gasOf(Promise.resolve(await tx));
      expect(gas).to.be.lessThan(alone * 4n);
    });
  });
});
