/**
 * Scripts fail with a readable message: reverts decode to the custom error's name and arguments, and
 * bad command-line values name the flag and the accepted forms.
 */
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { expect } from "chai";
import { formatEther, parseEther } from "ethers";
import { deployLike2Earn } from "../../scripts/lib/deploy";
import type { Like2Earn } from "../../scripts/lib/env";
import * as brand from "../../scripts/lib/brand";
import { publishRoot } from "../../scripts/lib/publish";
import { claimFromDirs } from "../../scripts/lib/claim";
import { shardPath } from "../../scripts/lib/campaign-dir";
import { leafFromValue, type EventLeaf } from "../../scorer/src/format";
import { scoreCampaign } from "../../scripts/lib/score";
import { increaseTime, latestTime } from "../../scripts/lib/chain";
import { parseAmount, parseDuration, parseTime } from "../../scripts/lib/parse";
import { decodeRevertData, errorInterface, Like2EarnError } from "../../scripts/lib/errors";
import { tmpDir, writeSmallCampaign } from "./fixtures";

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(Like2EarnError);
    return (err as Error).message;
  }
  expect.fail("expected a failure");
}

describe("e2e: readable failures", function () {
  let l2e: Like2Earn;
  let work: string;

  before(async function () {
    l2e = await deployLike2Earn(hre);
    work = tmpDir("errors");
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it("decodes a revert into the custom error's name and arguments", async function () {
    const [, , , brandSigner] = await hre.ethers.getSigners();
    const now = await latestTime(hre);
    const { eventId } = await brand.createEvent(l2e.rewards, { start: now, end: now + 60n, claimWindow: 3600n, amount: 1n }, { signer: brandSigner });
    expect(await failure(brand.withdrawEvent(l2e.rewards, eventId, { signer: brandSigner, errors: l2e.errors }))).to.equal(
      `event:withdraw ${eventId} failed: reverted with EventBounties_NoLiveRoot(eventId=${eventId})`,
    );
    // Without an explicit decoder the contract's own ABI is used.
    expect(await failure(brand.refundEvent(l2e.rewards, eventId, { signer: brandSigner }))).to.match(
      new RegExp(`^event:refund ${eventId} failed: reverted with EventBounties_RefundNotYetAvailable\\(eventId=${eventId}, publishDeadline=\\d+ \\(\\d{4}-`),
    );
  });

  it("names the role a non-publisher lacks, and a forged proof's leaf", async function () {
    const signers = await hre.ethers.getSigners();
    const [, publisher, , brandSigner] = signers;
    const users = signers.slice(4, 10);
    const inputs = writeSmallCampaign(path.join(work, "inputs"), users.map((u) => u.address));
    const now = await latestTime(hre);
    const pot = parseEther("1");
    const { eventId } = await brand.createEvent(l2e.rewards, { start: now, end: now + 60n, claimWindow: 86400n, amount: pot }, { signer: brandSigner });
    await increaseTime(hre, 120);
    const { outDir } = await scoreCampaign(hre, inputs.event, {
      kind: "event",
      campaignId: eventId,
      pot,
      snapshotBlock: await hre.ethers.provider.getBlockNumber(),
      staking: await l2e.staking.getAddress(),
      outDir: path.join(work, "event"),
    });
    const role = await l2e.rewards.PUBLISHER_ROLE();
    expect(await failure(publishRoot(l2e.rewards, outDir, { signer: brandSigner, errors: l2e.errors }))).to.equal(
      `publish event ${eventId} failed: reverted with AccessControlUnauthorizedAccount(account=${brandSigner.address}, neededRole=${role})`,
    );
    await publishRoot(l2e.rewards, outDir, { signer: publisher, errors: l2e.errors });
    await increaseTime(hre, (await l2e.rewards.challengePeriod()) + 1n);

    // Tamper with one account's proof in its shard.
    const account = users[0].address;
    const file = shardPath(outDir, account);
    const shard = JSON.parse(fs.readFileSync(file, "utf8"));
    const key = Object.keys(shard).find((k) => k.toLowerCase() === account.toLowerCase())!;
    shard[key].proof[0] = "0x" + "00".repeat(32);
    fs.writeFileSync(file, JSON.stringify(shard));
    const { index, amount } = leafFromValue("event", shard[key].value) as EventLeaf;
    expect(await failure(claimFromDirs(l2e.rewards, [outDir], { signer: users[0], errors: l2e.errors }))).to.equal(
      `claim (event ${eventId}) for ${account} failed: reverted with EventBounties_InvalidProof(eventId=${eventId}, index=${index}, account=${account}, amount=${amount} (${formatEther(BigInt(amount))} ETH))`,
    );
  });

  it("shows Error(string) and Panic data and unknown selectors plainly", function () {
    const iface = errorInterface([["error Foo(uint256 amount)"]]);
    expect(decodeRevertData(iface.encodeErrorResult("Foo", [parseEther("1.5")]), iface)).to.equal("Foo(amount=1500000000000000000 (1.5 ETH))");
    expect(decodeRevertData("0x4e487b710000000000000000000000000000000000000000000000000000000000000011")).to.equal("Panic(0x11)");
    expect(decodeRevertData("0xdeadbeef", iface)).to.equal(undefined);
  });

  it("explains bad command-line values", function () {
    expect(parseAmount("--amount", "1.5")).to.equal(parseEther("1.5"));
    expect(parseAmount("--amount", "42wei")).to.equal(42n);
    expect(() => parseAmount("--amount", "1,5")).to.throw("--amount 1,5: expected an amount in ETH (1.5) or in wei (1500wei)");
    expect(parseDuration("--claim-window", "2h")).to.equal(7200n);
    expect(() => parseDuration("--claim-window", "soon")).to.throw("--claim-window soon: expected a duration");
    expect(parseTime("--end", "+1d", 1000n)).to.equal(87400n);
    expect(parseTime("--end", "2025-01-01T00:00:00Z", 0n)).to.equal(1735689600n);
    expect(() => parseTime("--end", "tomorrow", 0n)).to.throw("--end tomorrow: expected now, +DURATION");
  });
});
