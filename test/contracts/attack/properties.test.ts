/**
 * The four properties issue #8 found broken, each reproduced as an attack: a pause handing users' rewards
 * to the brand, the admin skipping the veto window, one vetoed epoch freezing a channel, and gas-burning
 * receivers sinking or bleeding a batch.
 */
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { expect } from "chai";
import { ethers } from "hardhat";
import {
  blockTime,
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
  KIND,
  WAD,
  SKIP,
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
      const ev = await liveEvent(f, [{ account: user.address, amount: ONE_ETH }], { claimWindow: 8n * DAY });
      await time.increase(DAY); // one day of the window used
      await f.rewards.connect(f.guardian).setClaimsPaused(true);
      await time.increase(30n * DAY); // paused well past the original window end
      await expect(withdrawUnclaimed(f, ev.eventId)).to.be.reverted;
      await f.rewards.connect(f.guardian).setClaimsPaused(false);
      // Seven days of window were left when the pause began: still open one second before they run out.
      await time.increase(7n * DAY - 10n);
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
      expect(posted.claimableAt).to.equal((await blockTime()) + PARAMS.challengePeriod);
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
        f.rewards.connect(f.admin).setParameters(2n * DAY, PARAMS.publishDeadline, DAY, PARAMS.closeNotice, PARAMS.minClaimWindow),
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
  describe("pause: rate changes and the claim clock", () => {
    it("a rate cut announced before a pause applies only after the notice's unpaused time has run", async () => {
      const f = await loadFixture(deployFixture);
      const user = f.users[0];
      const channelId = await createChannel(f);
      const tree = await publishLiveChannelRoot(f, channelId, 1, [{ account: user.address, cumulativeScore: ONE_ETH }]);
      await f.rewards.connect(f.brand).announceRateChange(channelId, WAD / 2n);
      const announced = await blockTime();
      await time.increase(DAY);
      await f.rewards.connect(f.guardian).setClaimsPaused(true);
      await time.increase(10n * DAY);
      await f.rewards.connect(f.guardian).setClaimsPaused(false);
      const paused = await f.rewards.pausedTime();
      expect(paused).to.be.greaterThanOrEqual(10n * DAY);
      // The effective time moved later by exactly the time spent paused.
      expect((await f.rewards.getChannel(channelId)).rateEffectiveAt).to.equal(announced + PARAMS.rateChangeNotice + paused);
      // Still the old rate: the user claims 1 ETH for 1 score.
      await expect(f.rewards.connect(user).claimChannel(channelId, ONE_ETH, tree.proof(0))).to.changeEtherBalance(user, ONE_ETH);
    });

    it("the view of an event's claimsCloseAt moves with a pause and the window closes exactly then", async () => {
      const f = await loadFixture(deployFixture);
      const user = f.users[0];
      const ev = await liveEvent(f, [{ account: user.address, amount: ONE_ETH }, { account: f.users[1].address, amount: ONE_ETH }], {
        claimWindow: 2n * DAY,
      });
      expect((await f.rewards.getEventBounty(ev.eventId)).claimsCloseAt).to.equal(ev.claimableAt + 2n * DAY);
      await f.rewards.connect(f.guardian).setClaimsPaused(true);
      await time.increase(5n * DAY);
      await f.rewards.connect(f.guardian).setClaimsPaused(false);
      const closesAt = (await f.rewards.getEventBounty(ev.eventId)).claimsCloseAt;
      expect(closesAt).to.equal(ev.claimableAt + 2n * DAY + (await f.rewards.pausedTime()));
      await time.setNextBlockTimestamp(closesAt - 1n);
      await f.rewards.claimEvent(ev.eventId, 0, user.address, ONE_ETH, ev.tree.proof(0));
      await time.setNextBlockTimestamp(closesAt);
      await expect(f.rewards.claimEvent(ev.eventId, 1, f.users[1].address, ONE_ETH, ev.tree.proof(1)))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_ClaimWindowClosed")
        .withArgs(ev.eventId, closesAt);
      await expect(f.rewards.connect(f.brand).withdrawUnclaimed(ev.eventId, f.brand)).to.changeEtherBalance(f.brand, ONE_ETH * 9n);
    });
  });

  describe("parameters: the admin role moves in two steps with a delay", () => {
    it("beginDefaultAdminTransfer, then accept after ADMIN_TRANSFER_DELAY (3 days)", async () => {
      const f = await loadFixture(deployFixture);
      expect(await f.rewards.defaultAdminDelay()).to.equal(3n * DAY);
      await f.rewards.connect(f.admin).beginDefaultAdminTransfer(f.stranger.address);
      await expect(f.rewards.connect(f.stranger).acceptDefaultAdminTransfer()).to.be.revertedWithCustomError(
        f.rewards,
        "AccessControlEnforcedDefaultAdminDelay",
      );
      await time.increase(3n * DAY + 1n);
      await f.rewards.connect(f.stranger).acceptDefaultAdminTransfer();
      expect(await f.rewards.defaultAdmin()).to.equal(f.stranger.address);
      expect(await f.rewards.hasRole(ethers.ZeroHash, f.admin.address)).to.equal(false);
    });

    it("a channel keeps the challenge period and notices it was created under", async () => {
      const f = await loadFixture(deployFixture);
      const channelId = await createChannel(f);
      await f.rewards.connect(f.admin).setParameters(0, PARAMS.publishDeadline, 2n * DAY, 2n * DAY, DAY);
      const c = await f.rewards.getChannel(channelId);
      expect([c.challengePeriod, c.rateChangeNotice, c.closeNotice]).to.deep.equal([
        BigInt(PARAMS.challengePeriod),
        BigInt(PARAMS.rateChangeNotice),
        BigInt(PARAMS.closeNotice),
      ]);
      const t = channelTree(channelId, [{ account: f.users[0].address, cumulativeScore: ONE_ETH }]);
      await f.rewards.connect(f.publisher).publishChannelRoot(channelId, 1, t.root, 0, 1, ethers.ZeroHash);
      const [pending] = await f.rewards.pendingChannelRoot(channelId);
      expect(pending.claimableAt).to.equal((await blockTime()) + PARAMS.challengePeriod);
      await f.rewards.connect(f.brand).vetoChannelRoot(channelId);
    });
  });

  describe("hostile receivers: bounded gas, skip reasons, bombs", () => {
    it("a burner is skipped with PaymentOutOfGas, a reverting one with PaymentRejected; a return bomb stays cheap", async () => {
      const f = await loadFixture(deployFixture);
      const burner = await ethers.deployContract("GasBurner");
      const bomber = await ethers.deployContract("GasBurner");
      await bomber.setBomb(true);
      const rejecting = await ethers.deployContract("RejectingReceiver");
      const accounts = [await burner.getAddress(), await rejecting.getAddress(), await bomber.getAddress(), f.users[0].address];
      const ev = await liveEvent(f, accounts.map((account) => ({ account, amount: ONE_ETH })));
      const tx = f.rewards.connect(f.stranger).batchClaim([0, 1, 2, 3].map((i) => ev.tree.item(i)), []);
      await expect(tx).to.emit(f.rewards, "BatchItemSkipped").withArgs(KIND.event, ev.eventId, accounts[0], SKIP.paymentOutOfGas);
      await expect(tx).to.emit(f.rewards, "BatchItemSkipped").withArgs(KIND.event, ev.eventId, accounts[1], SKIP.paymentRejected);
      await expect(tx).to.emit(f.rewards, "BatchItemSkipped").withArgs(KIND.event, ev.eventId, accounts[2], SKIP.paymentRejected);
      const gas = await gasOf(Promise.resolve(await tx));
      // Three hostile items cost at most their allowance (50,000) plus the item's own work each.
      expect(gas).to.be.lessThan(400_000n);
      expect(await f.rewards.isEventClaimed(ev.eventId, 0)).to.equal(false);
      expect(await f.rewards.isEventClaimed(ev.eventId, 3)).to.equal(true);
    });

    it("an ERC-20 whose transfer to the recipient burns all gas is skipped with PaymentOutOfGas", async () => {
      const f = await loadFixture(deployFixture);
      const token = await ethers.deployContract("GasBurningToken");
      await token.mint(f.brand.address, 10n * ONE_ETH);
      await token.connect(f.brand).approve(await f.rewards.getAddress(), ethers.MaxUint256);
      const [hostile, honest] = [f.users[0].address, f.users[1].address];
      await token.setBurns(hostile, true);
      const ev = await liveEvent(f, [{ account: hostile, amount: ONE_ETH }, { account: honest, amount: ONE_ETH }], {
        token: await token.getAddress(),
      });
      const tx = f.rewards.connect(f.stranger).batchClaim([ev.tree.item(0), ev.tree.item(1)], []);
      await expect(tx).to.emit(f.rewards, "BatchItemSkipped").withArgs(KIND.event, ev.eventId, hostile, SKIP.paymentOutOfGas);
      await expect(tx).to.changeTokenBalance(token, honest, ONE_ETH);
      expect(await gasOf(Promise.resolve(await tx))).to.be.lessThan(300_000n);
    });

    it("a Safe-like smart wallet (proxy delegatecall + log) is paid within the allowance", async () => {
      const f = await loadFixture(deployFixture);
      const wallet = await ethers.deployContract("MockSmartWallet", [f.users[0].address]);
      const account = await wallet.getAddress();
      const ev = await liveEvent(f, [{ account, amount: ONE_ETH }]);
      await expect(f.rewards.claimEvent(ev.eventId, 0, account, ONE_ETH, ev.tree.proof(0))).to.changeEtherBalance(wallet, ONE_ETH);
    });

    it("a transaction sent with too little gas for a payout's allowance reverts instead of skipping it", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, [{ account: f.users[0].address, amount: ONE_ETH }]);
      await expect(f.rewards.connect(f.stranger).batchClaim([ev.tree.item(0)], [], { gasLimit: 75_000 })).to.be.reverted;
      expect(await f.rewards.isEventClaimed(ev.eventId, 0)).to.equal(false);
    });
  });

  describe("accounts and brand exits", () => {
    it("claims for address(0) are refused", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, [{ account: ethers.ZeroAddress, amount: ONE_ETH }, { account: f.users[0].address, amount: ONE_ETH }]);
      await expect(
        f.rewards.claimEvent(ev.eventId, 0, ethers.ZeroAddress, ONE_ETH, ev.tree.proof(0)),
      ).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ZeroAccount");
      await expect(f.rewards.batchClaim([ev.tree.item(0)], [])).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ZeroAccount");
    });

    it("an ETH-refusing brand names another address for its refund, withdrawal and channel rest", async () => {
      const f = await loadFixture(deployFixture);
      const brand = await ethers.deployContract("RejectingReceiver");
      const rewards = await f.rewards.getAddress();
      const now = await blockTime();
      const create = f.rewards.interface.encodeFunctionData("createEvent", [ETH, now, now + DAY, DAY, ONE_ETH, ""]);
      await brand.forward(rewards, create, { value: ONE_ETH });
      const id = await f.rewards.eventCount();
      await time.increase(DAY + PARAMS.publishDeadline + 1n);
      const to = f.users[9];
      await expect(brand.forward(rewards, f.rewards.interface.encodeFunctionData("refundEvent", [id, await brand.getAddress()])))
        .to.be.revertedWithCustomError(f.rewards, "Funds_PaymentFailed");
      await expect(brand.forward(rewards, f.rewards.interface.encodeFunctionData("refundEvent", [id, ethers.ZeroAddress])))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_ZeroRecipient");
      await expect(brand.forward(rewards, f.rewards.interface.encodeFunctionData("refundEvent", [id, to.address]))).to.changeEtherBalance(
        to,
        ONE_ETH,
      );
      await brand.forward(rewards, f.rewards.interface.encodeFunctionData("createChannel", [ETH, WAD, ONE_ETH, ""]), { value: ONE_ETH });
      const ch = await f.rewards.channelCount();
      await brand.forward(rewards, f.rewards.interface.encodeFunctionData("announceClose", [ch]));
      await time.increase(PARAMS.closeNotice);
      await expect(
        brand.forward(rewards, f.rewards.interface.encodeFunctionData("withdrawChannel", [ch, to.address])),
      ).to.changeEtherBalance(to, ONE_ETH);
    });
  });

  describe("edges of the channel and brand paths", () => {
    it("brand exits refuse a zero recipient", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await liveEvent(f, [{ account: f.users[0].address, amount: ONE_ETH }], { claimWindow: DAY });
      await time.increase(DAY);
      await expect(f.rewards.connect(f.brand).withdrawUnclaimed(ev.eventId, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        f.rewards,
        "RewardsBase_ZeroRecipient",
      );
      const ch = await createChannel(f);
      await f.rewards.connect(f.brand).announceClose(ch);
      await time.increase(PARAMS.closeNotice);
      await expect(f.rewards.connect(f.brand).withdrawChannel(ch, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        f.rewards,
        "RewardsBase_ZeroRecipient",
      );
    });

    it("a second veto after the first (with an older live root) finds no pending root", async () => {
      const f = await loadFixture(deployFixture);
      const ch = await createChannel(f);
      await publishLiveChannelRoot(f, ch, 1, [{ account: f.users[0].address, cumulativeScore: ONE_ETH }]);
      const t2 = channelTree(ch, [{ account: f.users[0].address, cumulativeScore: 2n * ONE_ETH }]);
      await f.rewards.connect(f.publisher).publishChannelRoot(ch, 2, t2.root, 0, 1, ethers.ZeroHash);
      await f.rewards.connect(f.guardian).vetoChannelRoot(ch);
      await expect(f.rewards.connect(f.guardian).vetoChannelRoot(ch))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_NoPendingRoot")
        .withArgs(ch);
    });

    it("a cumulative score above 2^160 − 1 is refused and previews nothing", async () => {
      const f = await loadFixture(deployFixture);
      const ch = await createChannel(f);
      const big = 1n << 160n;
      const tree = await publishLiveChannelRoot(f, ch, 1, [{ account: f.users[0].address, cumulativeScore: big }, { account: f.users[1].address, cumulativeScore: 1n }]);
      expect(await f.rewards.previewChannelClaim(ch, f.users[0].address, big)).to.deep.equal([0n, 0n]);
      await expect(f.rewards.connect(f.users[0]).claimChannel(ch, big, tree.proof(0)))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_AmountOverflow")
        .withArgs(big, big - 1n);
    });

    it("a carry worth more than the pool pays from the carry alone, converting no score", async () => {
      const f = await loadFixture(deployFixture);
      const user = f.users[0];
      const rate = 3n * WAD; // 3 wei per score wei
      const ch = await createChannel(f, { rate, amount: 1n });
      const tree = await publishLiveChannelRoot(f, ch, 1, [{ account: user.address, cumulativeScore: 2n }, { account: f.users[1].address, cumulativeScore: 1n }]);
      // Owed 6 wei, the pool holds 1: converts ⌈1/3⌉ = 1 score wei, a carry of 2 wei.
      await expect(f.rewards.connect(user).claimChannel(ch, 2n, tree.proof(0)))
        .to.emit(f.rewards, "ChannelClaimed")
        .withArgs(ch, user.address, user.address, 1n, 1n, 1n);
      await f.rewards.connect(f.brand).fundChannel(ch, 1n, { value: 1n });
      // Owed 3 + 2 (carry) wei, the pool holds 1: paid from the carry, no score converted.
      await expect(f.rewards.connect(user).claimChannel(ch, 2n, tree.proof(0)))
        .to.emit(f.rewards, "ChannelClaimed")
        .withArgs(ch, user.address, user.address, 1n, 0n, 1n);
      await f.rewards.connect(f.brand).fundChannel(ch, 10n, { value: 10n });
      // The rest: 3 + 1 = 4 wei; in all 6 = 2 · 3, what one claim would pay.
      await expect(f.rewards.connect(user).claimChannel(ch, 2n, tree.proof(0)))
        .to.emit(f.rewards, "ChannelClaimed")
        .withArgs(ch, user.address, user.address, 4n, 1n, 0n);
    });
  });

  describe("claim windows", () => {
    it("a window reaching past 2^40 − 1 is clamped there at publication instead of blocking it", async () => {
      const f = await loadFixture(deployFixture);
      const huge = 2n ** 40n - 1n;
      const ev = await liveEvent(f, [{ account: f.users[0].address, amount: ONE_ETH }], { claimWindow: huge });
      const b = await f.rewards.getEventBounty(ev.eventId);
      expect(b.claimWindow).to.equal(huge);
      expect(b.claimsCloseAt).to.equal(BigInt(huge) + (await f.rewards.pausedTime()));
      await expect(f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0))).to.changeEtherBalance(
        f.users[0],
        ONE_ETH,
      );
    });
  });

  describe("channel conversion loses no wei", () => {
    it("any split of a cumulative score into claims pays exactly what one claim pays (fast-check)", async () => {
      const f = await loadFixture(deployFixture);
      const user = f.users[0];
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 1n, max: 3n * WAD }),
          fc.array(fc.bigInt({ min: 1n, max: 10n ** 18n }), { minLength: 1, maxLength: 4 }),
          async (rate, steps) => {
            const channelId = await createChannel(f, { rate, amount: 100n * ONE_ETH });
            let cumulative = 0n;
            let paid = 0n;
            for (const [i, step] of steps.entries()) {
              cumulative += step;
              const tree = await publishLiveChannelRoot(f, channelId, i + 1, [
                { account: user.address, cumulativeScore: cumulative },
                { account: f.users[1].address, cumulativeScore: 1n },
              ]);
              const [amount] = await f.rewards.previewChannelClaim(channelId, user.address, cumulative);
              if (amount === 0n) continue;
              const rc = await (await f.rewards.connect(user).claimChannel(channelId, cumulative, tree.proof(0))).wait();
              const log = rc!.logs.map((l) => f.rewards.interface.parseLog(l)).find((l) => l?.name === "ChannelClaimed");
              paid += log!.args.amount as bigint;
            }
            expect(paid).to.equal((cumulative * rate) / WAD);
          },
        ),
        { numRuns: 25 },
      );
    });
  });
});
