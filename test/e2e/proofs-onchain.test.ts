/**
 * The scorer's proofs verify on-chain: a small campaign of each kind is scored, published through
 * `publishRoot`, and every recipient claims through `claimFromDirs`; each is paid exactly its leaf.
 */
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { expect } from "chai";
import { getAddress, parseEther, type Signer } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { deployLike2Earn } from "../../scripts/lib/deploy";
import type { Like2Earn } from "../../scripts/lib/env";
import * as brand from "../../scripts/lib/brand";
import * as power from "../../scripts/lib/power";
import { publishRoot } from "../../scripts/lib/publish";
import { claimFromDirs } from "../../scripts/lib/claim";
import { readLeaves, readTreeDump } from "../../scripts/lib/campaign-dir";
import type { ChannelLeaf, EventLeaf } from "../../scorer/src/format";
import { scoreCampaign } from "../../scripts/lib/score";
import { increaseTime, latestTime } from "../../scripts/lib/chain";
import { tmpDir, writeSmallCampaign } from "./fixtures";

describe("e2e: scorer proofs verify on-chain", function () {
  let l2e: Like2Earn;
  let work: string;
  let signers: Signer[];
  const byAddress = new Map<string, Signer>();

  before(async function () {
    const all = await hre.ethers.getSigners();
    signers = all;
    for (const s of all) byAddress.set(getAddress(s.address), s);
    l2e = await deployLike2Earn(hre);
    work = tmpDir("proofs");
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it("pays every recipient of an event and a channel exactly its leaf", async function () {
    const [, publisher, , brandSigner, relayer] = signers;
    const users = (await hre.ethers.getSigners()).slice(5, 17);
    const inputs = writeSmallCampaign(path.join(work, "inputs"), users.map((u) => u.address));
    for (const [i, u] of users.slice(0, 6).entries()) await power.powerUp(l2e.staking, parseEther(String(i + 1)), { signer: u });

    const pot = parseEther("3.333333333333333333");
    const now = await latestTime(hre);
    const { eventId } = await brand.createEvent(l2e.rewards, { start: now, end: now + 60n, claimWindow: 86400n, amount: pot }, { signer: brandSigner });
    const rate = parseEther("0.01");
    const { channelId } = await brand.createChannel(l2e.rewards, { rate, amount: 0n }, { signer: brandSigner });
    await increaseTime(hre, 120);

    const common = { snapshotBlock: await hre.ethers.provider.getBlockNumber(), staking: await l2e.staking.getAddress() };
    const ev = await scoreCampaign(hre, inputs.event, { ...common, kind: "event", campaignId: eventId, pot, outDir: path.join(work, "event") });
    const ch = await scoreCampaign(hre, inputs.channel, { ...common, kind: "channel", campaignId: channelId, epoch: 1n, outDir: path.join(work, "channel") });
    await brand.fundChannel(l2e.rewards, channelId, (ch.manifest.total * rate) / 10n ** 18n + 1n, { signer: brandSigner });

    // The dumps load in OpenZeppelin's library and their proofs verify off-chain too.
    for (const dir of [ev.outDir, ch.outDir]) {
      const tree = StandardMerkleTree.load(readTreeDump(dir) as Parameters<typeof StandardMerkleTree.load>[0]);
      tree.validate();
    }

    await publishRoot(l2e.rewards, ev.outDir, { signer: publisher, errors: l2e.errors });
    await publishRoot(l2e.rewards, ch.outDir, { signer: publisher, errors: l2e.errors });
    await increaseTime(hre, (await l2e.rewards.challengePeriod()) + 1n);

    const eventLeaves = readLeaves(ev.outDir) as EventLeaf[];
    expect(eventLeaves.length).to.equal(ev.manifest.recipientCount).and.to.be.greaterThan(3);
    let paid = 0n;
    for (const { index, account, amount } of eventLeaves) {
      const before = await hre.ethers.provider.getBalance(account);
      const r = await claimFromDirs(l2e.rewards, [ev.outDir], { account, signer: relayer, errors: l2e.errors });
      expect(r.payouts).to.have.lengthOf(1);
      expect(r.payouts[0].amount).to.equal(BigInt(amount));
      expect(await l2e.rewards.isEventClaimed(eventId, BigInt(index))).to.equal(true);
      expect((await hre.ethers.provider.getBalance(account)) - before).to.equal(BigInt(amount));
      paid += BigInt(amount);
    }
    expect(paid).to.equal(pot);

    const channelLeaves = readLeaves(ch.outDir) as ChannelLeaf[];
    expect(channelLeaves.length).to.equal(ch.manifest.recipientCount).and.to.be.greaterThan(3);
    for (const { account, cumulativeScore: cumulative } of channelLeaves) {
      const signer = byAddress.get(getAddress(account));
      expect(signer, `${account} is one of the node's accounts`).to.not.equal(undefined);
      const r = await claimFromDirs(l2e.rewards, [ch.outDir], { signer: signer!, errors: l2e.errors });
      expect(r.payouts[0].amount).to.equal((BigInt(cumulative) * rate) / 10n ** 18n);
      expect(r.payouts[0].scoreLeft).to.equal(0n);
      expect(await l2e.rewards.convertedScore(channelId, account)).to.equal(BigInt(cumulative));
    }
  });
});
