/**
 * `status --dir`: among several folders of one campaign the one whose root is posted decides what the
 * account is owed (not the newest or the first given), and after a channel closes the unclaimed score of
 * the account's leaf is shown as forfeited.
 */
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { expect } from "chai";
import { parseEther, type Signer } from "ethers";
import { deployLike2Earn } from "../../scripts/lib/deploy";
import type { Like2Earn } from "../../scripts/lib/env";
import * as brand from "../../scripts/lib/brand";
import * as power from "../../scripts/lib/power";
import { publishRoot } from "../../scripts/lib/publish";
import { scoreCampaign, type CampaignInputs } from "../../scripts/lib/score";
import { accountStatus } from "../../scripts/lib/status";
import { loadClaimItem } from "../../scripts/lib/claim";
import { increaseTime, latestTime } from "../../scripts/lib/chain";
import { tmpDir, writeSmallCampaign } from "./fixtures";

describe("e2e: status picks the posted folder and shows forfeited score", function () {
  let l2e: Like2Earn;
  let brandSigner: Signer;
  let publisher: Signer;
  let users: Signer[];
  let inputs: Record<"event" | "channel", CampaignInputs>;
  let work: string;

  before(async function () {
    const signers = await hre.ethers.getSigners();
    publisher = signers[1];
    brandSigner = signers[3];
    l2e = await deployLike2Earn(hre);
    work = tmpDir("status");
    users = signers.slice(4, 10);
    inputs = writeSmallCampaign(path.join(work, "inputs"), await Promise.all(users.map((u) => u.getAddress())));
    for (const u of users.slice(0, 3)) await power.powerUp(l2e.staking, parseEther("1"), { signer: u });
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  const common = async () => ({ snapshotBlock: await hre.ethers.provider.getBlockNumber(), staking: await l2e.staking.getAddress() });

  it("uses the folder whose root is posted, whatever the order of --dir", async function () {
    const funded = parseEther("2");
    const now = await latestTime(hre);
    const { eventId } = await brand.createEvent(l2e.rewards, { start: now, end: now + 60n, claimWindow: 86400n, amount: funded }, { signer: brandSigner, errors: l2e.errors });
    await increaseTime(hre, 120);
    const draft = await scoreCampaign(hre, inputs.event, { ...(await common()), kind: "event", campaignId: eventId, pot: parseEther("1"), outDir: path.join(work, "draft", `event-${eventId}`) });
    const live = await scoreCampaign(hre, inputs.event, { ...(await common()), kind: "event", campaignId: eventId, pot: funded, outDir: path.join(work, "live", `event-${eventId}`) });
    expect(draft.manifest.root).to.not.equal(live.manifest.root);
    await publishRoot(l2e.rewards, live.outDir, { signer: publisher, errors: l2e.errors });
    const account = await users[0].getAddress();
    const want = loadClaimItem(live.outDir, account)!.amount;
    for (const dirs of [[draft.outDir, live.outDir], [live.outDir, draft.outDir]]) {
      const row = (await accountStatus(l2e.rewards, account, dirs)).find((r) => r.kind === "event" && r.id === eventId)!;
      expect(row.leafAmount).to.equal(want);
    }
  });

  it("after a channel closes, the unclaimed score is forfeited", async function () {
    const { channelId } = await brand.createChannel(l2e.rewards, { rate: parseEther("0.001"), amount: parseEther("1") }, { signer: brandSigner });
    const out = await scoreCampaign(hre, inputs.channel, { ...(await common()), kind: "channel", campaignId: channelId, epoch: 1n, outDir: path.join(work, "ch", `channel-${channelId}`) });
    await publishRoot(l2e.rewards, out.outDir, { signer: publisher, errors: l2e.errors });
    await increaseTime(hre, (await l2e.rewards.challengePeriod()) + 1n);
    const account = await users[0].getAddress();
    const item = loadClaimItem(out.outDir, account)!;
    const before = (await accountStatus(l2e.rewards, account, [out.outDir])).find((r) => r.kind === "channel" && r.id === channelId)!;
    expect(before.forfeited).to.equal(undefined);
    expect(before.owed > 0n).to.equal(true);
    await brand.announceClose(l2e.rewards, channelId, { signer: brandSigner, errors: l2e.errors });
    await increaseTime(hre, (await l2e.rewards.closeNotice()) + 1n);
    const after = (await accountStatus(l2e.rewards, account, [out.outDir])).find((r) => r.kind === "channel" && r.id === channelId)!;
    expect(after.state).to.match(/^closed/);
    expect(after.owed).to.equal(0n);
    expect(after.forfeited).to.equal(item.cumulativeScore);
  });
});
