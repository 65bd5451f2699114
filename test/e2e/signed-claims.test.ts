/**
 * Signed claims through the library behind the `claim:sign` and `relay` tasks (the tasks only parse flags and
 * print; the in-process network has no recorded deployment for them to connect to): a user signs its channel
 * and event claims into files, a relayer submits them and takes the fee; the user receives the rest.
 */
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { expect } from "chai";
import { getAddress, parseEther, type Signer } from "ethers";
import { deployLike2Earn } from "../../scripts/lib/deploy";
import type { Like2Earn } from "../../scripts/lib/env";
import * as brand from "../../scripts/lib/brand";
import * as power from "../../scripts/lib/power";
import { publishRoot } from "../../scripts/lib/publish";
import { readTreeDump } from "../../scripts/lib/campaign-dir";
import { scoreCampaign } from "../../scripts/lib/score";
import { increaseTime, latestTime } from "../../scripts/lib/chain";
import { parseSignedClaim } from "../../scorer/src/format/signed-claim";
import { readSignedClaim, relaySignedClaim, signClaimFromDir, writeSignedClaim } from "../../scripts/lib/signed-claims";
import { tmpDir, writeSmallCampaign } from "./fixtures";

describe("e2e: claim:sign and relay", function () {
  let l2e: Like2Earn;
  let work: string;
  let signers: Signer[];

  before(async function () {
    signers = await hre.ethers.getSigners();
    l2e = await deployLike2Earn(hre);
    work = tmpDir("signed");
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it("a relayer submits the signed files and takes at most the signed fee; the user gets the rest", async function () {
    const [, publisher, , brandSigner, relayer] = signers;
    const users = (await hre.ethers.getSigners()).slice(5, 11);
    const inputs = writeSmallCampaign(path.join(work, "inputs"), await Promise.all(users.map((u) => u.getAddress())));
    for (const [i, u] of users.entries()) await power.powerUp(l2e.staking, parseEther(String(i + 1)), { signer: u });
    const pot = parseEther("3");
    const now = await latestTime(hre);
    const { eventId } = await brand.createEvent(l2e.rewards, { start: now, end: now + 60n, claimWindow: 86400n, amount: pot }, { signer: brandSigner });
    const rate = parseEther("0.01");
    const { channelId } = await brand.createChannel(l2e.rewards, { rate, amount: parseEther("100") }, { signer: brandSigner });
    await increaseTime(hre, 120);
    const common = { snapshotBlock: await hre.ethers.provider.getBlockNumber(), staking: await l2e.staking.getAddress() };
    const ev = await scoreCampaign(hre, inputs.event, { ...common, kind: "event", campaignId: eventId, pot, outDir: path.join(work, "event") });
    const ch = await scoreCampaign(hre, inputs.channel, { ...common, kind: "channel", campaignId: channelId, epoch: 1n, outDir: path.join(work, "channel") });
    await publishRoot(l2e.rewards, ev.outDir, { signer: publisher, errors: l2e.errors });
    await publishRoot(l2e.rewards, ch.outDir, { signer: publisher, errors: l2e.errors });
    await increaseTime(hre, (await l2e.rewards.challengePeriod()) + 1n);

    const [, account, cumulative] = readTreeDump(ch.outDir).values[0].value.map(String);
    const [, , eventAccount, eventAmount] = readTreeDump(ev.outDir)
      .values.map((v) => v.value.map(String))
      .find((v) => getAddress(v[2]) !== getAddress(account))!;
    const byAddress = new Map((await hre.ethers.getSigners()).map((s) => [getAddress(s.address), s]));
    const fee = parseEther("0.001");
    const channelFile = path.join(work, "signed", "channel.json");
    const eventFile = path.join(work, "signed", "event.json");
    const deadline = (await latestTime(hre)) + 86_400n;
    const sign = async (dir: string, who: string, file: string) =>
      writeSignedClaim(file, await signClaimFromDir(l2e.rewards, dir, { signer: byAddress.get(getAddress(who))!, maxFee: fee, deadline }));
    await sign(ch.outDir, account, channelFile);
    await sign(ev.outDir, eventAccount, eventFile);
    const signed = parseSignedClaim(fs.readFileSync(channelFile, "utf8"), channelFile);
    expect(signed.kind).to.equal("channel");
    expect(signed.kind === "channel" && signed.claim.epoch).to.equal(1n);
    expect(getAddress(account)).to.not.equal(getAddress(eventAccount));

    const owed = (BigInt(cumulative) * rate) / 10n ** 18n;
    const userBefore = await hre.ethers.provider.getBalance(account);
    const eventUserBefore = await hre.ethers.provider.getBalance(eventAccount);
    const opts = { signer: relayer, errors: l2e.errors };
    const r1 = await relaySignedClaim(l2e.rewards, channelFile, readSignedClaim(channelFile), fee, opts);
    const r2 = await relaySignedClaim(l2e.rewards, eventFile, readSignedClaim(eventFile), fee, opts);
    expect([r1.amount, r1.fee, r1.net]).to.deep.equal([owed, fee, owed - fee]);
    expect([r2.amount, r2.fee, r2.net]).to.deep.equal([BigInt(eventAmount), fee, BigInt(eventAmount) - fee]);
    expect((await hre.ethers.provider.getBalance(account)) - userBefore).to.equal(owed - fee);
    expect((await hre.ethers.provider.getBalance(eventAccount)) - eventUserBefore).to.equal(BigInt(eventAmount) - fee);
    expect(await l2e.rewards.convertedScore(channelId, account)).to.equal(BigInt(cumulative));

    // Relaying again fails with a readable reason; a fee above the signed one is refused before sending.
    const failure = async (p: Promise<unknown>) => p.then(() => "", (e: Error) => e.message);
    expect(await failure(relaySignedClaim(l2e.rewards, channelFile, readSignedClaim(channelFile), fee, opts))).to.match(/NothingOwed/);
    expect(await failure(relaySignedClaim(l2e.rewards, eventFile, readSignedClaim(eventFile), fee + 1n, opts))).to.match(
      /above the signed maxFee/,
    );
    // Files are never overwritten silently, and a damaged file names its field.
    expect(() => writeSignedClaim(channelFile, signed)).to.throw(/exists: choose another --out or pass --force/);
    const broken = JSON.parse(fs.readFileSync(channelFile, "utf8"));
    broken.claim.maxFee = -1;
    fs.writeFileSync(eventFile, JSON.stringify(broken));
    expect(() => readSignedClaim(eventFile)).to.throw(/event\.json: claim\.maxFee: expected an unsigned integer/);
  });
});
