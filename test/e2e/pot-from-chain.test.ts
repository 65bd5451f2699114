/**
 * An event config without `pot`: the scorer reads the event's funded amount from the deployed rewards
 * contract (getEventBounty.funded, creation + a top-up) on a real in-process Hardhat chain, allocates exactly
 * that, records it, and `publish`'s own check (the contract's staticCall) accepts the output; `verify --rpc` reads the pot again
 * and refuses a rewards contract whose event holds another pot, naming `parameters.pot`.
 */
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { expect } from "chai";
import { parseEther } from "ethers";
import { deployLike2Earn } from "../../scripts/lib/deploy";
import * as brand from "../../scripts/lib/brand";
import { checkPublication } from "../../scripts/lib/publish";
import { increaseTime, latestTime } from "../../scripts/lib/chain";
import { runScore } from "../../scorer/src/run";
import { verifyManifest } from "../../scorer/src/verify";
import { tmpDir, writeSmallCampaign } from "./fixtures";

describe("e2e: the event pot read from the chain", function () {
  it("allocates exactly the funded amount (creation + top-up), records it, verify and publish's check agree", async function () {
    const l2e = await deployLike2Earn(hre);
    const work = tmpDir("pot-chain");
    const signers = await hre.ethers.getSigners();
    const [, publisher, funder, brandSigner] = signers;
    const users = signers.slice(4, 10);
    const inputs = writeSmallCampaign(path.join(work, "inputs"), users.map((u) => u.address));
    const now = await latestTime(hre);
    const { eventId } = await brand.createEvent(l2e.rewards, { start: now, end: now + 60n, claimWindow: 86400n, amount: parseEther("3.5") }, { signer: brandSigner });
    await brand.fundEvent(l2e.rewards, eventId, parseEther("0.25") + 7n, { signer: funder, errors: l2e.errors });
    const funded = parseEther("3.75") + 7n;
    expect((await l2e.rewards.getEventBounty(eventId)).funded).to.equal(funded);
    // Another deployment with an event of the same id and another pot (for verify against the wrong contract).
    const other = await deployLike2Earn(hre);
    const later = await latestTime(hre);
    const otherEvent = await brand.createEvent(other.rewards, { start: later + 10n, end: later + 60n, claimWindow: 86400n, amount: parseEther("1") }, { signer: brandSigner });
    expect(otherEvent.eventId).to.equal(eventId);
    await increaseTime(hre, 120);

    const config = JSON.parse(fs.readFileSync(inputs.event.configPath, "utf8"));
    delete config.pot;
    config.campaignId = eventId.toString();
    config.snapshotBlock = await hre.ethers.provider.getBlockNumber();
    const configPath = path.join(work, "event-no-pot.config.json");
    fs.writeFileSync(configPath, JSON.stringify(config, null, 2));

    const r = await runScore({
      ...inputs.event,
      configPath,
      outDir: path.join(work, "event"),
      chain: { reader: hre.ethers.provider, staking: await l2e.staking.getAddress() },
      rewards: await l2e.rewards.getAddress(),
    });
    expect(r.computed.total).to.equal(funded);
    expect(r.computed.allocations.reduce((s, a) => s + a.amount, 0n)).to.equal(funded);
    expect(r.manifest.total).to.equal(funded.toString());
    expect((r.manifest.parameters as { pot: string }).pot).to.equal(funded.toString());
    expect(r.manifest.potSource).to.equal("chain");

    const manifestPath = path.join(r.outDir, "manifest.json");
    const v = await verifyManifest({ manifestPath, reader: hre.ethers.provider, rewards: await l2e.rewards.getAddress() });
    expect(v.problems).to.deep.equal([]);
    // verify --rpc against another deployment whose event of the same id holds another pot: refused by field.
    const wrong = await verifyManifest({ manifestPath, reader: hre.ethers.provider, rewards: await other.rewards.getAddress() });
    expect(wrong.ok).to.equal(false);
    expect(wrong.problems.join("\n")).to.match(/^parameters\.pot in .* is 3750000000000000007 wei, but event \d+'s funded pot on rewards 0x[0-9a-fA-F]{40} at block \d+ is 1000000000000000000 wei$/);
    const check = await checkPublication(l2e.rewards, r.outDir, { signer: publisher, errors: l2e.errors, staking: await l2e.staking.getAddress() });
    expect(check.problems).to.deep.equal([]);
    expect(check.warnings.join("\n")).not.to.contain("below the funded pot");
    fs.rmSync(work, { recursive: true, force: true });
  });
});
