/**
 * The demo flow (scripts/lib/demo-flow.ts, what `npm run demo` runs) on the in-process chain with the
 * committed sample data: deploy, fund, power up, score, publish, claim (batch, partial, top-up),
 * withdraw; every balance is asserted to the wei.
 */
import fs from "node:fs";
import hre from "hardhat";
import { expect } from "chai";
import { getAddress } from "ethers";
import { runDemo, type DemoResult } from "../../scripts/lib/demo-flow";
import { readLeaves, readManifest } from "../../scripts/lib/campaign-dir";
import type { ChannelLeaf, EventLeaf } from "../../scorer/src/format";
import { tmpDir } from "./fixtures";

describe("e2e: the demo flow", function () {
  let out: string;
  let r: DemoResult;

  before(async function () {
    out = tmpDir("demo");
    r = await runDemo(hre, { outDir: out, sampleDir: process.env.L2E_SAMPLE_DIR });
  });

  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it("pays out the event's pot exactly: claims + the brand's withdrawal = funded", function () {
    expect(r.event.paid + r.event.withdrawn).to.equal(r.event.funded);
    expect(r.event.paid).to.be.greaterThan(0n);
    expect(r.event.withdrawn).to.be.greaterThan(0n, "some leaves stay unclaimed, so the brand gets something back");
    expect(readManifest(r.eventDir).total).to.equal(r.event.funded);
  });

  it("pays out the channel exactly: claims + the brand's withdrawal = funding + top-up", function () {
    expect(r.channel.paid + r.channel.withdrawn).to.equal(r.channel.funded);
  });

  it("leaves the rewards contract holding nothing of this run", function () {
    expect(r.rewardsBalance.after).to.equal(r.rewardsBalance.before);
  });

  it("explains every wallet's balance change to the wei", function () {
    expect(r.wallets.length).to.be.greaterThan(10);
    for (const w of r.wallets) expect(w.delta, w.label).to.equal(w.expected);
  });

  it("pays each claimed event leaf its exact amount", function () {
    const leaves = new Map((readLeaves(r.eventDir) as EventLeaf[]).map((l) => [l.account, l.amount]));
    expect(r.event.claims).to.be.greaterThan(5);
    for (const p of r.batch.payouts.filter((p) => p.kind === "event")) expect(p.amount).to.equal(leaves.get(getAddress(p.account)));
  });

  it("claims an event and a channel in one batch", function () {
    expect(r.batch.payouts.map((p) => p.kind).sort()).to.deep.equal(["channel", "event"]);
  });

  it("shows a partial channel claim when the pool runs short, then the rest after the top-up", function () {
    expect(r.partial, "a claim was paid only in part").to.not.equal(undefined);
    expect(r.partial!.scoreLeft).to.be.greaterThan(0n);
    const leaf = (readLeaves(r.channelDirs[0]) as ChannelLeaf[]).find((l) => l.account === getAddress(r.partial!.account));
    expect(r.partial!.scoreConverted! + r.partial!.scoreLeft!).to.equal(leaf!.cumulativeScore);
  });

  it("publishes the event and two channel epochs, each claimable after the challenge period", function () {
    expect(r.published.map((p) => `${p.manifest.kind} ${p.manifest.epoch}`)).to.deep.equal(["event 0", "channel 1", "channel 2"]);
    for (const p of r.published) expect(p.claimableAt).to.be.greaterThan(p.now);
  });

  it("converts each channel account's cumulative score once over both epochs", async function () {
    const rewards = await hre.ethers.getContractAt("Like2EarnRewards", r.rewards);
    const leaves = (readLeaves(r.channelDir) as ChannelLeaf[]).map((l) => [l.account, l.cumulativeScore] as const);
    expect(leaves.length).to.be.greaterThan(5);
    for (const [account, cumulative] of leaves) {
      expect(await rewards.convertedScore(r.channelId, account), account).to.equal(cumulative);
      const claims = r.payouts.filter((p) => p.kind === "channel" && getAddress(p.account) === account);
      const paid = claims.reduce((s, p) => s + p.amount, 0n);
      const exact = (cumulative * r.channel.rate) / 10n ** 18n;
      // Each claim rounds its own conversion down: at most one wei short per claim, never more than owed.
      expect(paid, account).to.be.at.most(exact).and.at.least(exact - BigInt(claims.length));
    }
  });

  it("writes the claim page's config for the campaigns (the channel's live epoch)", function () {
    const config = JSON.parse(fs.readFileSync(r.claimPageConfig, "utf8"));
    expect(config.chainId).to.equal(r.chainId);
    expect(config.rewards).to.equal(r.rewards);
    expect(config.campaigns).to.deep.equal([
      { kind: "event", id: Number(r.eventId), proofsBaseUrl: `event-${r.eventId}/`, name: `Event ${r.eventId}` },
      { kind: "channel", id: Number(r.channelId), proofsBaseUrl: `channel-${r.channelId}-epoch-2/`, name: `Channel ${r.channelId}` },
    ]);
  });
});
