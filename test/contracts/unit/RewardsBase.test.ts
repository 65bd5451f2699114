import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import {
  blockTime,
  DAY,
  ETH,
  HOUR,
  MAX_UINT128,
  ONE_ETH,
  PARAMS,
  ZERO,
  createChannel,
  createEvent,
  deployFixture,
  liveEvent,
  publishLiveChannelRoot,
  readEvent,
} from "../shared/fixtures";

const MAX_CHALLENGE = 30n * DAY;
const MAX_DEADLINE = 365n * DAY;
const MIN_NOTICE = HOUR;
const MAX_NOTICE = 90n * DAY;

describe("RewardsBase", () => {
  describe("constructor", () => {
    it("grants the three roles and stores the parameters", async () => {
      const f = await loadFixture(deployFixture);
      const r = f.rewards;
      expect(await r.hasRole(await r.DEFAULT_ADMIN_ROLE(), f.admin.address)).to.equal(true);
      expect(await r.hasRole(await r.PUBLISHER_ROLE(), f.publisher.address)).to.equal(true);
      expect(await r.hasRole(await r.GUARDIAN_ROLE(), f.guardian.address)).to.equal(true);
      expect(await r.PUBLISHER_ROLE()).to.equal(ethers.id("PUBLISHER_ROLE"));
      expect(await r.GUARDIAN_ROLE()).to.equal(ethers.id("GUARDIAN_ROLE"));
      expect(await r.challengePeriod()).to.equal(PARAMS.challengePeriod);
      expect(await r.publishDeadline()).to.equal(PARAMS.publishDeadline);
      expect(await r.rateChangeNotice()).to.equal(PARAMS.rateChangeNotice);
      expect(await r.closeNotice()).to.equal(PARAMS.closeNotice);
      expect(await r.claimsPaused()).to.equal(false);
      expect(await r.MAX_CHALLENGE_PERIOD()).to.equal(MAX_CHALLENGE);
      expect(await r.MIN_PUBLISH_MARGIN()).to.equal(HOUR);
      expect(await r.MAX_PUBLISH_DEADLINE()).to.equal(MAX_DEADLINE);
      expect(await r.MIN_NOTICE()).to.equal(MIN_NOTICE);
      expect(await r.MAX_NOTICE()).to.equal(MAX_NOTICE);
    });

    it("emits ParametersUpdated", async () => {
      const [a] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("Like2EarnRewards");
      const r = await factory.deploy(a, a, a, 0, HOUR, HOUR, HOUR, HOUR);
      await expect(r.deploymentTransaction()).to.emit(r, "ParametersUpdated").withArgs(0, HOUR, HOUR, HOUR, HOUR);
    });

    for (const which of [0, 1, 2]) {
      it(`reverts when role holder #${which} is the zero address`, async () => {
        const [a] = await ethers.getSigners();
        const holders = [a.address, a.address, a.address];
        holders[which] = ZERO;
        const factory = await ethers.getContractFactory("Like2EarnRewards");
        // The admin is checked first by AccessControlDefaultAdminRules itself.
        await expect(
          factory.deploy(holders[0], holders[1], holders[2], DAY, 14n * DAY, DAY, DAY, DAY),
        ).to.be.revertedWithCustomError(factory, which === 0 ? "AccessControlInvalidDefaultAdmin" : "RewardsBase_ZeroAddress");
      });
    }

    it("accepts a zero challenge period (local demos)", async () => {
      const [a] = await ethers.getSigners();
      const r = await ethers.deployContract("Like2EarnRewards", [a, a, a, 0, HOUR, HOUR, HOUR, HOUR]);
      expect(await r.challengePeriod()).to.equal(0);
    });

    it("reverts on a parameter out of range", async () => {
      const [a] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("Like2EarnRewards");
      await expect(factory.deploy(a, a, a, DAY, DAY, DAY, DAY, DAY))
        .to.be.revertedWithCustomError(factory, "RewardsBase_ParameterOutOfRange")
        .withArgs(1, DAY, DAY + HOUR, MAX_DEADLINE);
    });
  });

  describe("setParameters", () => {
    it("reverts for a caller without DEFAULT_ADMIN_ROLE", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.rewards.connect(f.stranger).setParameters(DAY, 14n * DAY, DAY, DAY, DAY))
        .to.be.revertedWithCustomError(f.rewards, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, ethers.ZeroHash);
    });

    it("sets every parameter and emits ParametersUpdated", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.rewards.connect(f.admin).setParameters(2n * DAY, 20n * DAY, 5n * DAY, 9n * DAY, 8n * DAY))
        .to.emit(f.rewards, "ParametersUpdated")
        .withArgs(2n * DAY, 20n * DAY, 5n * DAY, 9n * DAY, 8n * DAY);
      expect(await f.rewards.challengePeriod()).to.equal(2n * DAY);
      expect(await f.rewards.publishDeadline()).to.equal(20n * DAY);
      expect(await f.rewards.rateChangeNotice()).to.equal(5n * DAY);
      expect(await f.rewards.closeNotice()).to.equal(9n * DAY);
      expect(await f.rewards.minClaimWindow()).to.equal(8n * DAY);
    });

    it("accepts every bound exactly", async () => {
      const f = await loadFixture(deployFixture);
      await f.rewards.connect(f.admin).setParameters(0, HOUR, MIN_NOTICE, MIN_NOTICE, HOUR);
      await f.rewards.connect(f.admin).setParameters(MAX_CHALLENGE, MAX_DEADLINE, MAX_NOTICE, MAX_NOTICE, 90n * DAY);
      await f.rewards.connect(f.admin).setParameters(MAX_CHALLENGE, MAX_CHALLENGE + HOUR, MAX_CHALLENGE, MAX_NOTICE, DAY);
    });

    const cases: { name: string; args: [bigint, bigint, bigint, bigint, bigint]; expected: [bigint, bigint, bigint, bigint] }[] =
      [
        {
          name: "challengePeriod above 30 days",
          args: [MAX_CHALLENGE + 1n, MAX_DEADLINE, DAY, DAY, DAY],
          expected: [0n, MAX_CHALLENGE + 1n, 0n, MAX_CHALLENGE],
        },
        {
          name: "publishDeadline below challengePeriod + 1 hour",
          args: [DAY, DAY + HOUR - 1n, DAY, DAY, DAY],
          expected: [1n, DAY + HOUR - 1n, DAY + HOUR, MAX_DEADLINE],
        },
        {
          name: "publishDeadline above 365 days",
          args: [DAY, MAX_DEADLINE + 1n, DAY, DAY, DAY],
          expected: [1n, MAX_DEADLINE + 1n, DAY + HOUR, MAX_DEADLINE],
        },
        {
          name: "rateChangeNotice below 1 hour",
          args: [0n, 14n * DAY, MIN_NOTICE - 1n, DAY, DAY],
          expected: [2n, MIN_NOTICE - 1n, MIN_NOTICE, MAX_NOTICE],
        },
        {
          name: "rateChangeNotice above 90 days",
          args: [0n, 14n * DAY, MAX_NOTICE + 1n, DAY, DAY],
          expected: [2n, MAX_NOTICE + 1n, MIN_NOTICE, MAX_NOTICE],
        },
        {
          name: "closeNotice below 1 hour",
          args: [DAY, 14n * DAY, DAY, 0n, DAY],
          expected: [3n, 0n, MIN_NOTICE, MAX_NOTICE],
        },
        {
          name: "closeNotice above 90 days",
          args: [DAY, 14n * DAY, DAY, MAX_NOTICE + 1n, DAY],
          expected: [3n, MAX_NOTICE + 1n, MIN_NOTICE, MAX_NOTICE],
        },
        {
          name: "rateChangeNotice below the challenge period",
          args: [2n * DAY, 14n * DAY, 2n * DAY - 1n, DAY, DAY],
          expected: [2n, 2n * DAY - 1n, 2n * DAY, MAX_NOTICE],
        },
        {
          name: "minClaimWindow below 1 hour",
          args: [DAY, 14n * DAY, DAY, DAY, HOUR - 1n],
          expected: [4n, HOUR - 1n, HOUR, 90n * DAY],
        },
        {
          name: "minClaimWindow above 90 days",
          args: [DAY, 14n * DAY, DAY, DAY, 90n * DAY + 1n],
          expected: [4n, 90n * DAY + 1n, HOUR, 90n * DAY],
        },
      ];
    for (const c of cases) {
      it(`reverts for ${c.name}`, async () => {
        const f = await loadFixture(deployFixture);
        await expect(f.rewards.connect(f.admin).setParameters(...c.args))
          .to.be.revertedWithCustomError(f.rewards, "RewardsBase_ParameterOutOfRange")
          .withArgs(...c.expected);
      });
    }

    it("does not change the publish deadline of an existing event", async () => {
      const f = await loadFixture(deployFixture);
      const ev = await createEvent(f);
      await f.rewards.connect(f.admin).setParameters(DAY, 30n * DAY, DAY, DAY, DAY);
      expect((await readEvent(f.rewards, ev.eventId)).rootDeadline).to.equal(ev.end + PARAMS.publishDeadline);
    });
  });

  describe("setClaimsPaused", () => {
    it("reverts for a caller without GUARDIAN_ROLE", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.rewards.connect(f.admin).setClaimsPaused(true))
        .to.be.revertedWithCustomError(f.rewards, "AccessControlUnauthorizedAccount")
        .withArgs(f.admin.address, await f.rewards.GUARDIAN_ROLE());
    });

    it("pauses and unpauses, emitting ClaimsPaused", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.rewards.connect(f.guardian).setClaimsPaused(true))
        .to.emit(f.rewards, "ClaimsPaused")
        .withArgs(f.guardian.address, true, 0);
      const pausedAt = await blockTime();
      expect(await f.rewards.claimsPaused()).to.equal(true);
      await time.setNextBlockTimestamp(pausedAt + 100n);
      await expect(f.rewards.connect(f.guardian).setClaimsPaused(false))
        .to.emit(f.rewards, "ClaimsPaused")
        .withArgs(f.guardian.address, false, 100);
      expect(await f.rewards.claimsPaused()).to.equal(false);
      expect(await f.rewards.pausedTime()).to.equal(100);
      // Setting the same state again changes nothing.
      await f.rewards.connect(f.guardian).setClaimsPaused(false);
      expect(await f.rewards.pausedTime()).to.equal(100);
    });

    it("stops claims and the brand exits that take what users could claim; funding and refunds keep working", async () => {
      const f = await loadFixture(deployFixture);
      const user = f.users[0];
      const ev = await liveEvent(f, [{ account: user.address, amount: ONE_ETH }], { claimWindow: DAY });
      const channelId = await createChannel(f);
      const tree = await publishLiveChannelRoot(f, channelId, 1, [{ account: user.address, cumulativeScore: ONE_ETH }]);
      await f.rewards.connect(f.guardian).setClaimsPaused(true);

      await expect(
        f.rewards.claimEvent(ev.eventId, 0, user.address, ONE_ETH, ev.tree.proof(0)),
      ).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ClaimsPaused");
      await expect(
        f.rewards.connect(user).claimChannel(channelId, ONE_ETH, tree.proof(0)),
      ).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ClaimsPaused");
      await expect(f.rewards.batchClaim([], [])).to.be.revertedWithCustomError(f.rewards, "RewardsBase_ClaimsPaused");

      await f.rewards.connect(f.stranger).fundChannel(channelId, ONE_ETH, { value: ONE_ETH });
      const ev2 = await createEvent(f);
      await time.increase(DAY + 1n);
      await expect(f.rewards.connect(f.brand).withdrawUnclaimed(ev.eventId, f.brand)).to.be.revertedWithCustomError(
        f.rewards,
        "RewardsBase_ClaimsPaused",
      );
      await f.rewards.connect(f.brand).announceClose(channelId);
      await time.increase(PARAMS.closeNotice);
      await expect(f.rewards.connect(f.brand).withdrawChannel(channelId, f.brand)).to.be.revertedWithCustomError(
        f.rewards,
        "RewardsBase_ClaimsPaused",
      );
      await time.increaseTo(ev2.end + PARAMS.publishDeadline + 1n);
      await expect(f.rewards.connect(f.brand).refundEvent(ev2.eventId, f.brand)).to.changeEtherBalance(
        f.brand,
        ethers.parseEther("10"),
      );
    });
  });

  describe("funding rules (shared by events and channels)", () => {
    it("ETH: reverts when msg.value differs from the amount", async () => {
      const f = await loadFixture(deployFixture);
      const now = await blockTime();
      await expect(f.rewards.connect(f.brand).createEvent(ETH, now, now + DAY, DAY, ONE_ETH, "", { value: ONE_ETH - 1n }))
        .to.be.revertedWithCustomError(f.rewards, "Funds_ValueMismatch")
        .withArgs(ONE_ETH, ONE_ETH - 1n);
      await expect(f.rewards.connect(f.brand).createChannel(ETH, 1, ONE_ETH, "", { value: ONE_ETH + 1n }))
        .to.be.revertedWithCustomError(f.rewards, "Funds_ValueMismatch")
        .withArgs(ONE_ETH, ONE_ETH + 1n);
    });

    it("ERC-20: reverts when ETH is sent along", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.rewards.connect(f.brand).createChannel(await f.token.getAddress(), 1, ONE_ETH, "", { value: 1n }))
        .to.be.revertedWithCustomError(f.rewards, "Funds_ValueMismatch")
        .withArgs(0, 1n);
    });

    it("ERC-20: reverts on a fee-on-transfer token (balance delta check)", async () => {
      const f = await loadFixture(deployFixture);
      const fot = await f.feeToken.getAddress();
      await expect(f.rewards.connect(f.brand).createChannel(fot, 1, 10_000n, ""))
        .to.be.revertedWithCustomError(f.rewards, "Funds_FeeOnTransfer")
        .withArgs(fot, 10_000n, 9_900n);
      const now = await blockTime();
      await expect(f.rewards.connect(f.brand).createEvent(fot, now, now + DAY, DAY, 10_000n, ""))
        .to.be.revertedWithCustomError(f.rewards, "Funds_FeeOnTransfer")
        .withArgs(fot, 10_000n, 9_900n);
    });

    it("ERC-20: a zero amount pulls nothing", async () => {
      const f = await loadFixture(deployFixture);
      const fot = await f.feeToken.getAddress();
      await expect(f.rewards.connect(f.brand).createChannel(fot, 1, 0, "")).to.emit(f.rewards, "ChannelCreated");
    });

    it("amounts above 2^128 − 1 revert with RewardsBase_AmountOverflow", async () => {
      const f = await loadFixture(deployFixture);
      const token = await f.token.getAddress();
      await expect(f.rewards.connect(f.brand).createChannel(token, 1, MAX_UINT128 + 1n, ""))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_AmountOverflow")
        .withArgs(MAX_UINT128 + 1n, MAX_UINT128);
    });

    it("plain ETH transfers are refused (no receive function)", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.stranger.sendTransaction({ to: await f.rewards.getAddress(), value: 1n })).to.be.reverted;
    });
  });
});
