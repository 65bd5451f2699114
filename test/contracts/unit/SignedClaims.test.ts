/**
 * EIP-712 signed claims (claimEventBySig / claimChannelBySig): anyone submits, the relayer's fee comes out of
 * the payout and never exceeds what was signed, contract wallets sign through EIP-1271, and a signature is
 * bound to its campaign, epoch, chain and deployment.
 */
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  CHANNEL_CLAIM_TYPES,
  EVENT_CLAIM_TYPES,
  parseSignedClaim,
  serializeSignedClaim,
  signedClaimDomain,
  type ChannelClaimMessage,
  type EventClaimMessage,
} from "../../../scorer/src/format/signed-claim";
import {
  blockTime,
  DAY,
  ONE_ETH,
  PARAMS,
  createChannel,
  deployFixture,
  deployRewardsContract,
  channelTree,
  liveEvent,
  publishLiveChannelRoot,
  type DeployFixture,
} from "../shared/fixtures";

const FEE = ethers.parseEther("0.01");

async function domainOf(f: DeployFixture, rewards = f.rewards) {
  const { chainId } = await ethers.provider.getNetwork();
  return signedClaimDomain(chainId, await rewards.getAddress());
}

async function signEvent(f: DeployFixture, signer: HardhatEthersSigner, m: EventClaimMessage, rewards = f.rewards) {
  return signer.signTypedData(await domainOf(f, rewards), EVENT_CLAIM_TYPES, m);
}

async function signChannel(f: DeployFixture, signer: HardhatEthersSigner, m: ChannelClaimMessage) {
  return signer.signTypedData(await domainOf(f), CHANNEL_CLAIM_TYPES, m);
}

const later = async () => (await blockTime()) + 30n * DAY;

describe("Signed claims (EIP-712)", () => {
  describe("event", () => {
    async function setup() {
      const f = await deployFixture();
      const user = f.users[0];
      const ev = await liveEvent(f, [
        { account: user.address, amount: ONE_ETH },
        { account: f.users[1].address, amount: ONE_ETH },
      ]);
      return { f, user, ev };
    }

    it("pays the recipient amount − fee and the submitter the fee; the signature works once", async () => {
      const { f, user, ev } = await loadFixture(setup);
      const recipient = f.users[2];
      const m: EventClaimMessage = {
        eventId: ev.eventId,
        index: 0n,
        account: user.address,
        amount: ONE_ETH,
        recipient: recipient.address,
        maxFee: FEE,
        deadline: await later(),
      };
      const sig = await signEvent(f, user, m);
      const tx = f.rewards.connect(f.stranger).claimEventBySig(m, ev.tree.proof(0), FEE, sig);
      await expect(tx).to.changeEtherBalances([recipient, f.stranger, user], [ONE_ETH - FEE, FEE, 0], { includeFee: false });
      await expect(tx)
        .to.emit(f.rewards, "ClaimRelayed")
        .withArgs(0, ev.eventId, user.address, f.stranger.address, FEE);
      await expect(f.rewards.connect(f.stranger).claimEventBySig(m, ev.tree.proof(0), 0, sig))
        .to.be.revertedWithCustomError(f.rewards, "EventBounties_AlreadyClaimed")
        .withArgs(ev.eventId, 0);
    });

    it("refuses a fee above maxFee or above the amount, an expired deadline, a zero recipient and a wrong signer", async () => {
      const { f, user, ev } = await loadFixture(setup);
      const m: EventClaimMessage = {
        eventId: ev.eventId,
        index: 0n,
        account: user.address,
        amount: ONE_ETH,
        recipient: user.address,
        maxFee: FEE,
        deadline: await later(),
      };
      const sig = await signEvent(f, user, m);
      const r = f.rewards.connect(f.stranger);
      await expect(r.claimEventBySig(m, ev.tree.proof(0), FEE + 1n, sig))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_FeeTooHigh")
        .withArgs(FEE + 1n, FEE);
      const greedy = { ...m, maxFee: 2n * ONE_ETH };
      await expect(r.claimEventBySig(greedy, ev.tree.proof(0), ONE_ETH + 1n, await signEvent(f, user, greedy)))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_FeeExceedsPayout")
        .withArgs(ONE_ETH + 1n, ONE_ETH);
      await expect(r.claimEventBySig(m, ev.tree.proof(0), 0, await signEvent(f, f.users[3], m)))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_InvalidSignature")
        .withArgs(user.address);
      // A signature over different terms (here: another recipient) does not verify.
      await expect(r.claimEventBySig({ ...m, recipient: f.stranger.address }, ev.tree.proof(0), 0, sig))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_InvalidSignature");
      const zero = { ...m, recipient: ethers.ZeroAddress };
      await expect(r.claimEventBySig(zero, ev.tree.proof(0), 0, await signEvent(f, user, zero))).to.be.revertedWithCustomError(
        f.rewards,
        "RewardsBase_ZeroRecipient",
      );
      await time.increaseTo(m.deadline + 1n);
      await expect(r.claimEventBySig(m, ev.tree.proof(0), 0, sig)).to.be.revertedWithCustomError(
        f.rewards,
        "RewardsBase_SignatureExpired",
      );
    });

    it("is bound to the deployment (another contract's domain) and to the campaign (another event id)", async () => {
      const { f, user, ev } = await loadFixture(setup);
      const other = await deployRewardsContract(f.admin, f.publisher, f.guardian, PARAMS);
      const m: EventClaimMessage = {
        eventId: ev.eventId,
        index: 0n,
        account: user.address,
        amount: ONE_ETH,
        recipient: user.address,
        maxFee: 0n,
        deadline: await later(),
      };
      const forOther = await signEvent(f, user, m, other);
      await expect(f.rewards.connect(f.stranger).claimEventBySig(m, ev.tree.proof(0), 0, forOther)).to.be.revertedWithCustomError(
        f.rewards,
        "RewardsBase_InvalidSignature",
      );
      // The same message for another event id fails its proof (leaves bind the event id).
      const moved = { ...m, eventId: ev.eventId + 1n };
      await expect(f.rewards.connect(f.stranger).claimEventBySig(moved, ev.tree.proof(0), 0, await signEvent(f, user, moved))).to.be
        .reverted;
      // The domain carries the chain id: a signature for another chain does not verify.
      const { chainId } = await ethers.provider.getNetwork();
      const wrongChain = await user.signTypedData({ ...(await domainOf(f)), chainId: chainId + 1n }, EVENT_CLAIM_TYPES, m);
      await expect(f.rewards.connect(f.stranger).claimEventBySig(m, ev.tree.proof(0), 0, wrongChain)).to.be.revertedWithCustomError(
        f.rewards,
        "RewardsBase_InvalidSignature",
      );
    });

    it("accepts an EIP-1271 contract wallet's signature", async () => {
      const f = await loadFixture(deployFixture);
      const key = f.users[5];
      const wallet = await ethers.deployContract("MockSmartWallet", [key.address]);
      const account = await wallet.getAddress();
      const ev = await liveEvent(f, [{ account, amount: ONE_ETH }]);
      const m: EventClaimMessage = {
        eventId: ev.eventId,
        index: 0n,
        account,
        amount: ONE_ETH,
        recipient: account,
        maxFee: FEE,
        deadline: await later(),
      };
      const sig = await signEvent(f, key, m);
      await expect(f.rewards.connect(f.stranger).claimEventBySig(m, ev.tree.proof(0), FEE, sig)).to.changeEtherBalances(
        [wallet, f.stranger],
        [ONE_ETH - FEE, FEE],
        { includeFee: false },
      );
    });
  });

  describe("channel", () => {
    async function setup() {
      const f = await deployFixture();
      const user = f.users[0];
      const channelId = await createChannel(f, { amount: 10n * ONE_ETH });
      const t1 = await publishLiveChannelRoot(f, channelId, 1, [
        { account: user.address, cumulativeScore: ONE_ETH },
        { account: f.users[1].address, cumulativeScore: ONE_ETH },
      ]);
      return { f, user, channelId, t1 };
    }
    const msg = async (channelId: bigint, epoch: bigint, account: string, score: bigint, maxFee = FEE): Promise<ChannelClaimMessage> => ({
      channelId,
      epoch,
      account,
      cumulativeScore: score,
      recipient: account,
      maxFee,
      deadline: await later(),
    });

    it("pays the account minus the fee, bound to the live epoch: refused in any other epoch", async () => {
      const { f, user, channelId, t1 } = await loadFixture(setup);
      const m = await msg(channelId, 1n, user.address, ONE_ETH);
      const sig = await signChannel(f, user, m);
      await expect(f.rewards.connect(f.stranger).claimChannelBySig({ ...m, epoch: 2n }, t1.proof(0), FEE, await signChannel(f, user, { ...m, epoch: 2n })))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_WrongEpoch")
        .withArgs(channelId, 2n, 1n);
      const tx = f.rewards.connect(f.stranger).claimChannelBySig(m, t1.proof(0), FEE, sig);
      await expect(tx).to.changeEtherBalances([user, f.stranger], [ONE_ETH - FEE, FEE], { includeFee: false });
      await expect(tx).to.emit(f.rewards, "ClaimRelayed").withArgs(1, channelId, user.address, f.stranger.address, FEE);
      // Replaying it pays nothing (the score is converted).
      await expect(f.rewards.connect(f.stranger).claimChannelBySig(m, t1.proof(0), FEE, sig)).to.be.revertedWithCustomError(
        f.rewards,
        "ChannelPools_NothingOwed",
      );
      // A later epoch's root: the old signature is refused even with a valid new proof.
      const t2 = await publishLiveChannelRoot(f, channelId, 2, [
        { account: user.address, cumulativeScore: 3n * ONE_ETH },
        { account: f.users[1].address, cumulativeScore: ONE_ETH },
      ]);
      const old = { ...m, cumulativeScore: 3n * ONE_ETH };
      await expect(f.rewards.connect(f.stranger).claimChannelBySig(old, t2.proof(0), FEE, await signChannel(f, user, old)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_WrongEpoch")
        .withArgs(channelId, 1n, 2n);
    });

    it("takes no fee on a partial payout and the fee once, when the rest is paid: never more than maxFee in all", async () => {
      const f = await loadFixture(deployFixture);
      const user = f.users[0];
      const channelId = await createChannel(f, { amount: ONE_ETH / 2n });
      const t1 = await publishLiveChannelRoot(f, channelId, 1, [
        { account: user.address, cumulativeScore: ONE_ETH },
        { account: f.users[1].address, cumulativeScore: ONE_ETH },
      ]);
      const m = await msg(channelId, 1n, user.address, ONE_ETH);
      const sig = await signChannel(f, user, m);
      // The pool holds half: paid in full to the account, no fee.
      await expect(f.rewards.connect(f.stranger).claimChannelBySig(m, t1.proof(0), FEE, sig)).to.changeEtherBalances(
        [user, f.stranger],
        [ONE_ETH / 2n, 0],
        { includeFee: false },
      );
      await f.rewards.connect(f.brand).fundChannel(channelId, ONE_ETH, { value: ONE_ETH });
      // The same signature again: converts the rest, the fee now.
      await expect(f.rewards.connect(f.stranger).claimChannelBySig(m, t1.proof(0), FEE, sig)).to.changeEtherBalances(
        [user, f.stranger],
        [ONE_ETH / 2n - FEE, FEE],
        { includeFee: false },
      );
      await expect(f.rewards.connect(f.stranger).claimChannelBySig(m, t1.proof(0), FEE, sig)).to.be.revertedWithCustomError(
        f.rewards,
        "ChannelPools_NothingOwed",
      );
    });

    it("while the newest root is in its challenge period, signs and pays against the previous epoch", async () => {
      const { f, user, channelId, t1 } = await loadFixture(setup);
      const t2 = channelTree(channelId, [{ account: user.address, cumulativeScore: 5n * ONE_ETH }, { account: f.users[1].address, cumulativeScore: ONE_ETH }]);
      await f.rewards.connect(f.publisher).publishChannelRoot(channelId, 2, t2.root, 0, 2, ethers.ZeroHash);
      const m = await msg(channelId, 1n, user.address, ONE_ETH);
      await expect(f.rewards.connect(f.stranger).claimChannelBySig(m, t1.proof(0), FEE, await signChannel(f, user, m))).to.changeEtherBalance(
        user,
        ONE_ETH - FEE,
      );
      const m2 = await msg(channelId, 2n, user.address, 5n * ONE_ETH);
      await expect(f.rewards.connect(f.stranger).claimChannelBySig(m2, t2.proof(0), FEE, await signChannel(f, user, m2)))
        .to.be.revertedWithCustomError(f.rewards, "ChannelPools_InvalidProof");
    });

    it("refuses a signed claim for address(0) (a zero signer must never verify)", async () => {
      const { f, channelId, t1 } = await loadFixture(setup);
      const m = { ...(await msg(channelId, 1n, ethers.ZeroAddress, ONE_ETH)), recipient: f.users[0].address };
      await expect(f.rewards.connect(f.stranger).claimChannelBySig(m, t1.proof(0), 0, "0x" + "00".repeat(65)))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_ZeroAccount");
    });

    it("refuses a fee above the payout, a forged signature and the NO_EPOCH sentinel", async () => {
      const { f, user, channelId, t1 } = await loadFixture(setup);
      const m = await msg(channelId, 1n, user.address, ONE_ETH, 2n * ONE_ETH);
      const sig = await signChannel(f, user, m);
      await expect(f.rewards.connect(f.stranger).claimChannelBySig(m, t1.proof(0), ONE_ETH + 1n, sig))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_FeeExceedsPayout")
        .withArgs(ONE_ETH + 1n, ONE_ETH);
      await expect(f.rewards.connect(f.stranger).claimChannelBySig(m, t1.proof(0), 0, await signChannel(f, f.users[1], m)))
        .to.be.revertedWithCustomError(f.rewards, "RewardsBase_InvalidSignature")
        .withArgs(user.address);
      const sentinel = { ...m, epoch: 2n ** 64n - 1n };
      await expect(
        f.rewards.connect(f.stranger).claimChannelBySig(sentinel, t1.proof(0), 0, await signChannel(f, user, sentinel)),
      ).to.be.revertedWithCustomError(f.rewards, "ChannelPools_WrongEpoch");
      await f.rewards.connect(f.guardian).setClaimsPaused(true);
      await expect(f.rewards.connect(f.stranger).claimChannelBySig(m, t1.proof(0), 0, sig)).to.be.revertedWithCustomError(
        f.rewards,
        "RewardsBase_ClaimsPaused",
      );
    });
  });

  describe("file format (scorer/src/format/signed-claim.ts)", () => {
    it("round-trips a signed claim and names the bad field", async () => {
      const c = {
        kind: "channel" as const,
        chainId: 31337n,
        contract: "0x" + "11".repeat(20),
        claim: {
          channelId: 3n,
          epoch: 2n,
          account: "0x" + "22".repeat(20),
          cumulativeScore: 10n ** 30n,
          recipient: "0x" + "33".repeat(20),
          maxFee: 5n,
          deadline: 1_900_000_000n,
        },
        proof: ["0x" + "ab".repeat(32)],
        signature: "0x" + "cd".repeat(65),
      };
      const text = serializeSignedClaim(c);
      expect(JSON.parse(text).claim.cumulativeScore).to.equal("1000000000000000000000000000000");
      expect(parseSignedClaim(text, "a.json")).to.deep.equal(c);
      const bad = JSON.parse(text);
      bad.claim.epoch = "18446744073709551616";
      expect(() => parseSignedClaim(JSON.stringify(bad), "a.json")).to.throw(/^a\.json: claim\.epoch: .*does not fit/);
      bad.claim.epoch = 2;
      expect(() => parseSignedClaim(JSON.stringify(bad), "a.json")).to.throw(/^a\.json: claim\.epoch: expected an unsigned integer as a decimal string/);
      expect(() => parseSignedClaim("{", "b.json")).to.throw(/^b\.json: \(file\): not JSON/);
      expect(() => parseSignedClaim(JSON.stringify({ ...JSON.parse(text), kind: "x" }), "c.json")).to.throw(/^c\.json: kind:/);
    });
  });
});
