/**
 * `publish` refuses a scorer output that disagrees with the chain, naming what disagrees, and posts
 * nothing. One test per refusal: not ended, total > pot, epoch not next, root mismatch, recipient count
 * mismatch, unknown campaign, a root already posted / still in its challenge period, a deleted or edited
 * proof shard, another deployment's PowerStaking, the same root again after a veto; and the warning for a
 * total below the funded pot. The chain's refusals come from simulating the publish (the contract's custom
 * error, decoded into the hint).
 */
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { expect } from "chai";
import { parseEther, ZeroHash, type Signer } from "ethers";
import { deployLike2Earn } from "../../scripts/lib/deploy";
import type { Like2Earn } from "../../scripts/lib/env";
import * as brand from "../../scripts/lib/brand";
import * as power from "../../scripts/lib/power";
import { publishRoot } from "../../scripts/lib/publish";
import { PublishRefusedError } from "../../scripts/lib/errors";
import { scoreCampaign, type CampaignInputs } from "../../scripts/lib/score";
import { increaseTime, latestTime } from "../../scripts/lib/chain";
import { tmpDir, writeSmallCampaign } from "./fixtures";

describe("e2e: publish refusals", function () {
  let l2e: Like2Earn;
  let brandSigner: Signer;
  let publisher: Signer;
  let inputs: Record<"event" | "channel", CampaignInputs>;
  let work: string;
  let n = 0;

  before(async function () {
    const signers = await hre.ethers.getSigners();
    publisher = signers[1];
    brandSigner = signers[3];
    l2e = await deployLike2Earn(hre);
    work = tmpDir("refusals");
    const users = signers.slice(4, 10);
    inputs = writeSmallCampaign(path.join(work, "inputs"), users.map((u) => u.address));
    for (const u of users.slice(0, 3)) await power.powerUp(l2e.staking, parseEther("1"), { signer: u });
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  async function newEvent(pot: bigint, endsIn: bigint): Promise<bigint> {
    const now = await latestTime(hre);
    const { eventId } = await brand.createEvent(
      l2e.rewards,
      { start: now, end: now + endsIn, claimWindow: 86400n, amount: pot },
      { signer: brandSigner, errors: l2e.errors },
    );
    return eventId;
  }

  async function score(kind: "event" | "channel", campaignId: bigint, extra: { pot?: bigint; epoch?: bigint; previousDir?: string } = {}) {
    const outDir = path.join(work, `out-${++n}`, `${kind}-${campaignId}`);
    return scoreCampaign(hre, inputs[kind], {
      kind,
      campaignId,
      snapshotBlock: await hre.ethers.provider.getBlockNumber(),
      staking: await l2e.staking.getAddress(),
      outDir,
      ...extra,
    });
  }

  async function refusal(dir: string): Promise<string[]> {
    try {
      await publishRoot(l2e.rewards, dir, { signer: publisher, errors: l2e.errors });
    } catch (err) {
      expect(err).to.be.instanceOf(PublishRefusedError);
      return (err as PublishRefusedError).problems;
    }
    expect.fail(`publish of ${dir} was not refused`);
  }

  function editManifest(dir: string, edit: (m: Record<string, unknown>) => void): string {
    const copy = `${dir}-edited`;
    fs.cpSync(dir, copy, { recursive: true });
    const file = path.join(copy, "manifest.json");
    const m = JSON.parse(fs.readFileSync(file, "utf8"));
    edit(m);
    fs.writeFileSync(file, JSON.stringify(m, null, 2) + "\n");
    return copy;
  }

  it("refuses an event that has not ended", async function () {
    const pot = parseEther("1");
    const id = await newEvent(pot, 86400n);
    const { outDir } = await score("event", id, { pot });
    const problems = await refusal(outDir);
    expect(problems).to.have.lengthOf(1);
    expect(problems[0]).to.match(new RegExp(`^event ${id} has not ended: it ends .* \\(in 23h 59m`));
    expect((await l2e.rewards.getEventRoot(id)).root).to.equal(ZeroHash);
  });

  it("refuses a total above the pot", async function () {
    const funded = parseEther("1");
    const id = await newEvent(funded, 60n);
    await increaseTime(hre, 120);
    const { outDir } = await score("event", id, { pot: funded * 2n });
    const problems = await refusal(outDir);
    expect(problems).to.deep.equal([
      `total exceeds the pot: manifest total 2.0 ETH (${funded * 2n} wei) > event ${id} funded 1.0 ETH (${funded} wei)`,
    ]);
    expect((await l2e.rewards.getEventRoot(id)).root).to.equal(ZeroHash);
  });

  it("refuses a channel epoch that is not next", async function () {
    const { channelId } = await brand.createChannel(l2e.rewards, { rate: parseEther("0.001"), amount: parseEther("1") }, { signer: brandSigner });
    const first = await score("channel", channelId, { epoch: 1n });
    await publishRoot(l2e.rewards, first.outDir, { signer: publisher, errors: l2e.errors });
    await increaseTime(hre, (await l2e.rewards.challengePeriod()) + 1n);
    const again = await score("channel", channelId, { epoch: 1n });
    const problems = await refusal(again.outDir);
    expect(problems).to.deep.equal([`epoch not next: manifest epoch 1 ≤ channel ${channelId}'s last epoch 1; score epoch 2 ("epoch": 2 in the config)`]);
    const [live, epoch] = await l2e.rewards.liveChannelRoot(channelId);
    expect(epoch).to.equal(1n);
    expect(live.root).to.equal(first.manifest.root);
  });

  it("refuses a manifest whose root is not tree.json's", async function () {
    const pot = parseEther("1");
    const id = await newEvent(pot, 60n);
    await increaseTime(hre, 120);
    const { outDir, manifest } = await score("event", id, { pot });
    const forged = "0x" + "ab".repeat(32);
    const dir = editManifest(outDir, (m) => (m.root = forged));
    const problems = await refusal(dir);
    expect(problems).to.deep.equal([`root mismatch: tree.json gives ${manifest.root}, manifest.json says ${forged}`]);
    expect((await l2e.rewards.getEventRoot(id)).root).to.equal(ZeroHash);
  });

  it("refuses a recipient count that does not match the tree", async function () {
    const pot = parseEther("1");
    const id = await newEvent(pot, 60n);
    await increaseTime(hre, 120);
    const { outDir, manifest } = await score("event", id, { pot });
    const dir = editManifest(outDir, (m) => (m.recipientCount = manifest.recipientCount + 1));
    const problems = await refusal(dir);
    expect(problems).to.deep.equal([
      `recipient count mismatch: tree.json has ${manifest.recipientCount} leaves, manifest.json says ${manifest.recipientCount + 1}`,
    ]);
  });

  it("refuses an unknown campaign", async function () {
    const count = await l2e.rewards.eventCount();
    const { outDir } = await score("event", 999n, { pot: parseEther("1") });
    const problems = await refusal(outDir);
    expect(problems).to.deep.equal([`unknown campaign: event 999 does not exist on this chain (events 1..${count})`]);
  });

  it("refuses a deleted or edited proof shard, naming it", async function () {
    const pot = parseEther("1");
    const id = await newEvent(pot, 60n);
    await increaseTime(hre, 120);
    const { outDir } = await score("event", id, { pot });
    const copy = `${outDir}-shards`;
    fs.cpSync(outDir, copy, { recursive: true });
    const shards = fs.readdirSync(path.join(copy, "proofs")).filter((f) => fs.readFileSync(path.join(copy, "proofs", f), "utf8") !== "{}");
    const [gone, edited] = shards;
    fs.rmSync(path.join(copy, "proofs", gone));
    const file = path.join(copy, "proofs", edited);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/"proof":\["0x[0-9a-f]/, '"proof":["0x0'));
    const problems = await refusal(copy);
    expect(problems).to.include(`proofs/${gone} is missing (tree.json has it): claimants in it would be told they have nothing`);
    expect(problems).to.include(`proofs/${edited} differs from the shard rebuilt from tree.json (edited or corrupted)`);
    expect((await l2e.rewards.getEventRoot(id)).root).to.equal(ZeroHash);
  });

  it("refuses an output scored against another deployment's PowerStaking", async function () {
    const pot = parseEther("1");
    const id = await newEvent(pot, 60n);
    await increaseTime(hre, 120);
    const { outDir } = await score("event", id, { pot });
    const other = "0x" + "12".repeat(20);
    let problems: string[] = [];
    try {
      await publishRoot(l2e.rewards, outDir, { signer: publisher, errors: l2e.errors, staking: other });
    } catch (err) {
      problems = (err as PublishRefusedError).problems;
    }
    expect(problems).to.deep.equal([
      `wrong PowerStaking: the output was scored against ${await l2e.staking.getAddress()}, this deployment's is ${other} (re-score without --staking: the scorer takes it from the deployment record)`,
    ]);
  });

  it("catches the same root again after a veto, and warns when the total is below the funded pot", async function () {
    const funded = parseEther("2");
    const id = await newEvent(funded, 60n);
    await increaseTime(hre, 120);
    const { outDir, manifest } = await score("event", id, { pot: parseEther("1.5") });
    const lines: string[] = [];
    await publishRoot(l2e.rewards, outDir, { signer: publisher, errors: l2e.errors, log: (l) => lines.push(l) });
    expect(lines).to.include(`warning: total 1.5 ETH (${parseEther("1.5")} wei) is below the funded pot 2.0 ETH (${funded} wei): the 0.5 ETH (${parseEther("0.5")} wei) left returns to the brand`);
    await brand.vetoEvent(l2e.rewards, id, { signer: brandSigner, errors: l2e.errors });
    const problems = await refusal(outDir);
    expect(problems).to.deep.equal([`event ${id}'s root ${manifest.root} was vetoed: posting the same root again would be vetoed again; re-score with corrected inputs`]);
  });

  it("refuses a second event root and a channel epoch while the pending root is in its challenge period", async function () {
    const pot = parseEther("1");
    const id = await newEvent(pot, 60n);
    await increaseTime(hre, 120);
    const { outDir, manifest } = await score("event", id, { pot });
    await publishRoot(l2e.rewards, outDir, { signer: publisher, errors: l2e.errors });
    expect(await refusal(outDir)).to.deep.equal([`event ${id} already has a root ${manifest.root} (veto it first with event:veto to replace it)`]);

    const { channelId } = await brand.createChannel(l2e.rewards, { rate: parseEther("0.001"), amount: parseEther("1") }, { signer: brandSigner });
    const first = await score("channel", channelId, { epoch: 1n });
    const published = await publishRoot(l2e.rewards, first.outDir, { signer: publisher, errors: l2e.errors });
    const second = await score("channel", channelId, { epoch: 2n, previousDir: first.outDir });
    const problems = await refusal(second.outDir);
    expect(problems).to.have.lengthOf(1);
    expect(problems[0]).to.match(new RegExp(`^channel ${channelId} has a pending root ${first.manifest.root} in its challenge period until `));
    expect(problems[0]).to.contain(new Date(Number(published.claimableAt) * 1000).toISOString().slice(0, 10));
  });
});
