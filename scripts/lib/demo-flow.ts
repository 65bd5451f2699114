/**
 * The whole Like2Earn story on one chain, through the same functions the tasks use: deploy; a brand
 * funds an event and a channel; users power up; the event ends; the collector reads the sample posts
 * from a local X API v2 server and the scorer runs both models on the sample data with those pages; the admin publishes; the challenge period passes; users claim (one through a batch); the
 * channel's pool runs short (a partial claim), the brand tops it up and the rest is claimed; after the
 * claim window the brand withdraws what is left. Every wei is accounted for at the end.
 *
 * `scripts/demo.ts` runs it and prints; `test/e2e/demo.test.ts` runs it and asserts.
 */
import fs from "node:fs";
import path from "node:path";
import { getAddress, parseEther, type Signer, type TransactionReceipt } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { deployLike2Earn, LOCAL_PARAMETERS } from "./deploy";
import * as brand from "./brand";
import * as power from "./power";
import { publishRoot, type PublishResult } from "./publish";
import { claimFromDirs, loadClaimItem, type Payout } from "./claim";
import { readLeaves } from "./campaign-dir";
import { PublishRefusedError } from "./errors";
import { advancePast, gasCost, increaseTime, latestTime } from "./chain";
import { scoreSampleCampaign, SAMPLE_DIR, type ScoredCampaign } from "./score";
import { DEMO_TAG, registerSampleAccounts, type DemoRegistration } from "./demo-register";
import { collectSampleFromLocalX } from "./collect-demo";
import { date, duration, eth, ethWei, printTable, score, shortAddress } from "./format";

export interface DemoOptions {
  /** Where the scorer outputs and claim-page.config.json go (default out/demo). Emptied first. */
  outDir?: string;
  /** Sample data folder (default data/sample). */
  sampleDir?: string;
  /** Ignition parameters file (default deploy/parameters/local.json). */
  parameters?: string;
  log?: (line: string) => void;
}

export interface DemoResult {
  chainId: number;
  rewards: string;
  staking: string;
  eventId: bigint;
  channelId: bigint;
  eventDir: string;
  /** The live (latest) epoch's folder. */
  channelDir: string;
  /** Every epoch's folder, oldest first. */
  channelDirs: string[];
  event: { funded: bigint; paid: bigint; withdrawn: bigint; claims: number };
  channel: { funded: bigint; paid: bigint; withdrawn: bigint; claims: number; rate: bigint };
  /** Every claim payout of the run, in order. */
  payouts: Payout[];
  /** The claim that the short pool paid only partly. */
  partial?: Payout;
  batch: { txHash: string; payouts: Payout[] };
  rewardsBalance: { before: bigint; after: bigint };
  /** Per account: balance change and what the ledger of this run explains it by (equal when reconciled). */
  wallets: { account: string; label: string; delta: bigint; expected: bigint }[];
  published: PublishResult[];
  claimPageConfig: string;
  /** The registry the scorer paid from (built from the accounts' signed posts). */
  registration: DemoRegistration;
}

/** The demo's cast: Hardhat's default accounts. */
const ROLE = { admin: 0, publisher: 1, guardian: 2, brand: 3, relayer: 0, firstUser: 4, users: 12 } as const;

/** Demo amounts. The sample event config's pot is used for the event when it names one. */
const EVENT_POT = parseEther("10");
const EVENT_LENGTH = 24n * 3600n;
const CLAIM_WINDOW = 7n * 24n * 3600n;
const CHANNEL_RATE = parseEther("0.00001"); // ETH per score point (token wei per 1e18 score units)
const CHANNEL_FUNDING = parseEther("1");
const TOP_UP_EXTRA = parseEther("0.1");
const POWER_UPS = ["1", "2", "3", "5", "8", "13", "0.5", "1.5", "2.5", "4", "6", "10"].map((x) => parseEther(x));

class Ledger {
  private readonly start = new Map<string, bigint>();
  private readonly expected = new Map<string, bigint>();
  readonly labels = new Map<string, string>();

  constructor(private readonly hre: HardhatRuntimeEnvironment) {}

  async watch(account: string, label: string): Promise<void> {
    const a = getAddress(account);
    if (this.start.has(a)) return;
    this.labels.set(a, label);
    this.start.set(a, await this.hre.ethers.provider.getBalance(a));
    this.expected.set(a, 0n);
  }

  private add(account: string, amount: bigint): void {
    const a = getAddress(account);
    if (!this.expected.has(a)) throw new Error(`ledger: ${a} is not watched`);
    this.expected.set(a, this.expected.get(a)! + amount);
  }

  /** A transaction `from` sent: costs its gas plus `value`. */
  tx(receipt: TransactionReceipt, value = 0n): void {
    this.add(receipt.from, -gasCost(receipt) - value);
  }

  credit(account: string, amount: bigint): void {
    this.add(account, amount);
  }

  async settle() {
    const out: DemoResult["wallets"] = [];
    for (const [a, before] of this.start) {
      const delta = (await this.hre.ethers.provider.getBalance(a)) - before;
      out.push({ account: a, label: this.labels.get(a)!, delta, expected: this.expected.get(a)! });
    }
    return out;
  }
}

/** Runs the story; throws if anything fails to reconcile to the wei. */
export async function runDemo(hre: HardhatRuntimeEnvironment, options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? (() => undefined);
  const root = hre.config.paths.root;
  const outDir = path.resolve(root, options.outDir ?? "out/demo");
  const sampleDir = path.resolve(root, options.sampleDir ?? SAMPLE_DIR);
  const step = (n: number, title: string) => log(`\n━━ ${n}. ${title} ${"━".repeat(Math.max(0, 70 - title.length))}`);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });

  const signers = await hre.ethers.getSigners();
  if (signers.length < ROLE.firstUser + ROLE.users) {
    throw new Error(`the demo needs ${ROLE.firstUser + ROLE.users} unlocked accounts; ${hre.network.name} has ${signers.length}`);
  }
  const [admin, publisher, guardian, brandSigner] = signers;
  const relayer = signers[ROLE.relayer];
  const users = signers.slice(ROLE.firstUser, ROLE.firstUser + ROLE.users);
  const byAddress = new Map<string, Signer>(signers.map((s) => [getAddress(s.address), s]));

  // 1. Deploy ---------------------------------------------------------------------------------------
  step(1, `Deploy (Ignition module deploy/modules/Like2Earn.ts on ${hre.network.name})`);
  const l2e = await deployLike2Earn(hre, options.parameters ?? LOCAL_PARAMETERS, log);
  const { rewards, staking, errors } = l2e;
  const rewardsAddress = await rewards.getAddress();
  const stakingAddress = await staking.getAddress();
  const challengePeriod = await rewards.challengePeriod();
  const closeNotice = await rewards.closeNotice();
  printTable(
    undefined,
    ["what", "address", "note"],
    [
      ["Like2EarnRewards", rewardsAddress, `challenge period ${duration(challengePeriod)}, close notice ${duration(closeNotice)}`],
      ["PowerStaking", stakingAddress, `${await staking.instalments()} weekly instalments`],
      ["admin", admin.address, "account #0 (also relays claims for others)"],
      ["publisher", publisher.address, "account #1, PUBLISHER_ROLE"],
      ["guardian", guardian.address, "account #2, GUARDIAN_ROLE"],
      ["brand", brandSigner.address, "account #3"],
      ["users", `${users[0].address} …`, `accounts #${ROLE.firstUser}..#${ROLE.firstUser + ROLE.users - 1}`],
    ],
    log,
  );
  const rewardsBefore = await hre.ethers.provider.getBalance(rewardsAddress);
  const ledger = new Ledger(hre);
  await ledger.watch(brandSigner.address, "brand #3");
  await ledger.watch(relayer.address, "admin #0 (relayer)");
  await ledger.watch(publisher.address, "publisher #1");
  for (const [i, u] of users.entries()) await ledger.watch(u.address, `user #${ROLE.firstUser + i}`);

  // 2. A brand funds an event and a channel -----------------------------------------------------------
  step(2, "A brand funds an event (ends in 1 day) and a channel");
  const sampleEventPot = readSamplePot(sampleDir);
  const pot = sampleEventPot ?? EVENT_POT;
  const now = await latestTime(hre);
  const created = await brand.createEvent(
    rewards,
    { start: now, end: now + EVENT_LENGTH, claimWindow: CLAIM_WINDOW, amount: pot, metadataURI: "ipfs://demo-event" },
    { signer: brandSigner, errors },
  );
  ledger.tx(created.receipt, pot);
  const eventId = created.eventId;
  const ch = await brand.createChannel(
    rewards,
    { rate: CHANNEL_RATE, amount: CHANNEL_FUNDING, metadataURI: "ipfs://demo-channel" },
    { signer: brandSigner, errors },
  );
  ledger.tx(ch.receipt, CHANNEL_FUNDING);
  const channelId = ch.channelId;
  let channelFunded = CHANNEL_FUNDING;
  const ev = await rewards.getEventBounty(eventId);
  printTable(
    undefined,
    ["campaign", "funded", "terms"],
    [
      [`event ${eventId}`, eth(pot), `ends ${date(ev.end)}, claim window ${duration(ev.claimWindow)}, refundable after ${date(ev.rootDeadline)}`],
      [`channel ${channelId}`, eth(CHANNEL_FUNDING), `${eth(CHANNEL_RATE)} per score point`],
    ],
    log,
  );

  // 3. Users power up ---------------------------------------------------------------------------------
  step(3, "Users power up (stake raises k_user and model B's power)");
  const powerRows = [];
  for (const [i, amount] of POWER_UPS.entries()) {
    const u = users[i];
    ledger.tx(await power.powerUp(staking, amount, { signer: u, errors }), amount);
    powerRows.push([`user #${ROLE.firstUser + i}`, u.address, eth(amount)]);
  }
  // One user starts a power-down and cancels it: stake unchanged, both steps on record for the scorer.
  const hesitant = users[POWER_UPS.length - 1];
  ledger.tx(await power.powerDown(staking, POWER_UPS[POWER_UPS.length - 1] / 2n, { signer: hesitant, errors }));
  ledger.tx(await power.cancelPowerDown(staking, { signer: hesitant, errors }));
  for (const row of powerRows) row.push(eth(await staking.powerOf(row[1], "0x0000000000000000000000000000000000000000")));
  printTable(undefined, ["user", "address", "powered up", "power now"], powerRows, log);
  log(`(user #${ROLE.firstUser + POWER_UPS.length - 1} also started a power-down and cancelled it)`);

  // 3b. Users register their X accounts ---------------------------------------------------------------
  log(`\n━━ 3b. Users register their X accounts: a signed post each; the admin's registrations run builds the registry ━━━━`);
  const registration = await registerSampleAccounts(hre, { sampleDir, outDir, log });

  // 4. Time passes past the event's end ---------------------------------------------------------------
  step(4, "Time passes: the event ends");
  await increaseTime(hre, EVENT_LENGTH + 60n);
  const snapshotBlock = await hre.ethers.provider.getBlockNumber();
  log(`chain time ${date(await latestTime(hre))}; snapshot block ${snapshotBlock}`);

  // 5. The scorer runs both models --------------------------------------------------------------------
  step(5, `Collect from X (a local X API v2 server), then score ${path.relative(root, sampleDir)}/ with the collected pages`);
  const { xapiDir } = await collectSampleFromLocalX(sampleDir, path.join(outDir, "collect"), log);
  const eventDir = path.join(outDir, `event-${eventId}`);
  const channelEpoch = (await rewards.getChannel(channelId)).lastEpoch + 1n;
  const channelDir = path.join(outDir, `channel-${channelId}-epoch-${channelEpoch}`);
  const scored: ScoredCampaign[] = [];
  scored.push(
    await scoreSampleCampaign(hre, {
      sampleDir,
      xapiDir,
      kind: "event",
      campaignId: eventId,
      pot,
      snapshotBlock,
      staking: stakingAddress,
      outDir: eventDir,
      participantsPath: registration.registryPath,
    }),
  );
  scored.push(
    await scoreSampleCampaign(hre, {
      sampleDir,
      xapiDir,
      kind: "channel",
      campaignId: channelId,
      epoch: channelEpoch,
      snapshotBlock,
      staking: stakingAddress,
      outDir: channelDir,
      participantsPath: registration.registryPath,
    }),
  );
  printTable(
    undefined,
    ["campaign", "model", "recipients", "total", "root", "folder"],
    scored.map((s) => [
      `${s.manifest.kind} ${s.manifest.campaignId}${s.manifest.kind === "channel" ? ` epoch ${s.manifest.epoch}` : ""}`,
      s.manifest.model,
      s.manifest.recipientCount,
      s.manifest.kind === "event" ? eth(s.manifest.total) : `${score(s.manifest.total)} score`,
      `${s.manifest.root.slice(0, 18)}…`,
      path.relative(root, s.outDir),
    ]),
    log,
  );

  // 6. The admin publishes both roots -----------------------------------------------------------------
  step(6, "The admin publishes both roots (publish re-checks each folder against the chain)");
  const published: PublishResult[] = [];
  for (const dir of [eventDir, channelDir]) {
    const result = await publishRoot(rewards, dir, { signer: publisher, errors, log });
    ledger.tx(result.receipt);
    published.push(result);
  }
  try {
    await publishRoot(rewards, eventDir, { signer: publisher, errors });
    throw new Error("publishing the same event twice should have been refused");
  } catch (err) {
    if (!(err instanceof PublishRefusedError)) throw err;
    log(`publishing event ${eventId} again is refused: ${err.problems.join("; ")}`);
  }

  // 7. The challenge period passes --------------------------------------------------------------------
  step(7, `The challenge period (${duration(challengePeriod)}) passes with no veto`);
  await increaseTime(hre, challengePeriod + 1n);
  log(`chain time ${date(await latestTime(hre))}: both roots are live`);

  // 8. Users claim --------------------------------------------------------------------------------------
  step(8, "Users claim");
  const eventPayouts: Payout[] = [];
  const channelPayouts: Payout[] = [];
  const record = (payouts: Payout[]) => {
    for (const p of payouts) {
      ledger.credit(p.recipient, p.amount);
      (p.kind === "event" ? eventPayouts : channelPayouts).push(p);
    }
  };
  const claimRows: (string | bigint)[][] = [];
  const row = (who: string, how: string, p: Payout) =>
    claimRows.push([
      who,
      how,
      `${p.kind} ${p.campaignId}`,
      eth(p.amount),
      p.scoreLeft !== undefined && p.scoreLeft > 0n ? `partial: ${score(p.scoreLeft)} score left` : "",
    ]);
  const label = (a: string) => ledger.labels.get(getAddress(a)) ?? shortAddress(a);

  // Who has leaves: the demo's users (keys here) and the rest of the participants (no keys here).
  const eventLeaves = readLeaves(eventDir).map((l) => l.account);
  const channelLeaves = new Set(readLeaves(channelDir).map((l) => l.account));
  const keyed = users.filter((u) => eventLeaves.includes(getAddress(u.address)) || channelLeaves.has(getAddress(u.address)));
  if (keyed.length < 3) throw new Error(`the sample data gives leaves to only ${keyed.length} of the demo's users`);

  // 8a. The first user claims both campaigns in one batch.
  const batchUser = keyed.find((u) => eventLeaves.includes(getAddress(u.address)) && channelLeaves.has(getAddress(u.address))) ?? keyed[0];
  const batch = await claimFromDirs(rewards, [eventDir, channelDir], { signer: batchUser, errors });
  ledger.tx(batch.receipt!);
  record(batch.payouts);
  for (const p of batch.payouts) row(label(batchUser.address), "batchClaim", p);

  // 8b. The other users claim the event, one transaction each.
  for (const u of keyed) {
    if (u === batchUser || !eventLeaves.includes(getAddress(u.address))) continue;
    const r = await claimFromDirs(rewards, [eventDir], { signer: u, errors });
    ledger.tx(r.receipt!);
    record(r.payouts);
    for (const p of r.payouts) row(label(u.address), "claim", p);
  }
  // 8c. Anyone may trigger an event claim for the account in the leaf: the admin relays five.
  const unkeyed = eventLeaves.filter((a) => !byAddress.has(a));
  for (const account of unkeyed.slice(0, 5)) {
    await ledger.watch(account, `participant ${shortAddress(account)}`);
    const r = await claimFromDirs(rewards, [eventDir], { account, signer: relayer, errors });
    ledger.tx(r.receipt!);
    record(r.payouts);
    for (const p of r.payouts) row(`${shortAddress(account)} (no key here)`, "relayed by #0", p);
  }
  // 8d. Channel claims until the pool runs short.
  let partial: Payout | undefined;
  const waiting: typeof users = [];
  for (const u of keyed) {
    if (u === batchUser || !channelLeaves.has(getAddress(u.address))) continue;
    if (partial || (await rewards.getChannel(channelId)).balance === 0n) {
      waiting.push(u);
      continue;
    }
    const r = await claimFromDirs(rewards, [channelDir], { signer: u, errors });
    ledger.tx(r.receipt!);
    record(r.payouts);
    for (const p of r.payouts) {
      row(label(u.address), "claim", p);
      if ((p.scoreLeft ?? 0n) > 0n) {
        partial = p;
        waiting.unshift(u);
      }
    }
  }
  printTable(undefined, ["who", "how", "campaign", "paid", "note"], claimRows, log);
  claimRows.length = 0;

  // 8e. The pool ran short: the brand tops it up and the rest is claimed.
  const pool = await rewards.getChannel(channelId);
  log(`\nchannel ${channelId} pool: ${ethWei(pool.balance)} left` + (partial ? `; ${label(partial.account)} was paid only part of its score` : ""));
  const stillOwed = await owedOnChannel(hre, rewards, channelDir, channelId, waiting);
  const topUp = stillOwed > pool.balance ? stillOwed - pool.balance : 0n;
  const funded = await brand.fundChannel(rewards, channelId, topUp, { signer: brandSigner, errors });
  ledger.tx(funded.receipt, topUp);
  channelFunded += topUp;
  log(`brand tops channel ${channelId} up by ${eth(topUp)} → pool ${eth(funded.balance)} (the waiting users are owed ${eth(stillOwed)})`);
  for (const u of waiting) {
    const r = await claimFromDirs(rewards, [channelDir], { signer: u, errors });
    ledger.tx(r.receipt!);
    record(r.payouts);
    for (const p of r.payouts) row(label(u.address), partial && getAddress(u.address) === getAddress(partial.account) ? "claim (rest)" : "claim", p);
  }
  printTable(undefined, ["who", "how", "campaign", "paid", "note"], claimRows, log);
  claimRows.length = 0;

  // 9. A week later: the channel's next epoch, cumulative over weeks 1–2 ----------------------------------
  step(9, "A week later: channel epoch 2 (cumulative scores over weeks 1–2)");
  await increaseTime(hre, 7n * 24n * 3600n);
  const epoch2 = channelEpoch + 1n;
  const channelDir2 = path.join(outDir, `channel-${channelId}-epoch-${epoch2}`);
  const scored2 = await scoreSampleCampaign(hre, {
    sampleDir,
    xapiDir,
    kind: "channel",
    campaignId: channelId,
    epoch: epoch2,
    snapshotBlock: await hre.ethers.provider.getBlockNumber(),
    staking: stakingAddress,
    outDir: channelDir2,
    previousDir: channelDir,
    participantsPath: registration.registryPath,
  });
  const published2 = await publishRoot(rewards, channelDir2, { signer: publisher, errors, log });
  ledger.tx(published2.receipt);
  published.push(published2);
  await increaseTime(hre, challengePeriod + 1n);
  const channelLeaves2 = readLeaves(channelDir2).map((l) => l.account);
  const claimers2 = users.filter((u) => channelLeaves2.includes(getAddress(u.address)));
  const owed2 = await owedOnChannel(hre, rewards, channelDir2, channelId, claimers2);
  const pool2 = (await rewards.getChannel(channelId)).balance;
  const topUp2 = (owed2 > pool2 ? owed2 - pool2 : 0n) + TOP_UP_EXTRA;
  const funded2 = await brand.fundChannel(rewards, channelId, topUp2, { signer: brandSigner, errors });
  ledger.tx(funded2.receipt, topUp2);
  channelFunded += topUp2;
  log(`brand tops channel ${channelId} up by ${eth(topUp2)} for epoch ${epoch2} (users are owed ${eth(owed2)})`);
  const epochRows: (string | bigint)[][] = [];
  for (const u of claimers2) {
    const before = loadClaimItem(channelDir, u.address)?.cumulativeScore ?? 0n;
    const after = loadClaimItem(channelDir2, u.address)!.cumulativeScore;
    const r = await claimFromDirs(rewards, [channelDir2], { signer: u, errors });
    ledger.tx(r.receipt!);
    record(r.payouts);
    for (const p of r.payouts) epochRows.push([label(u.address), score(before), score(after), score(p.scoreConverted ?? 0n), eth(p.amount)]);
  }
  printTable(undefined, ["who", "score epoch 1", "score epoch 2", "converted now", "paid"], epochRows, log);
  log(`(${scored2.manifest.recipientCount} recipients; each claim converts only the growth since the last claim)`);

  // 10. After the claim window the brand withdraws what is left ----------------------------------------
  step(10, "The claim window ends and the channel closes; the brand withdraws the rest");
  const eventAfter = await rewards.getEventBounty(eventId);
  const eventRoot = await rewards.getEventRoot(eventId);
  const closeAt = eventRoot.claimableAt + eventAfter.claimWindow;
  await advancePast(hre, closeAt);
  const wEvent = await brand.withdrawEvent(rewards, eventId, { signer: brandSigner, errors });
  ledger.tx(wEvent.receipt);
  ledger.credit(brandSigner.address, wEvent.amount);
  const closing = await brand.announceClose(rewards, channelId, { signer: brandSigner, errors });
  ledger.tx(closing.receipt);
  await advancePast(hre, closing.closesAt);
  const wChannel = await brand.withdrawChannel(rewards, channelId, { signer: brandSigner, errors });
  ledger.tx(wChannel.receipt);
  ledger.credit(brandSigner.address, wChannel.amount);
  printTable(
    undefined,
    ["campaign", "unclaimed leaves", "withdrawn by the brand"],
    [
      [`event ${eventId}`, eventLeaves.length - eventPayouts.length, ethWei(wEvent.amount)],
      [`channel ${channelId}`, channelLeaves2.filter((a) => !channelPayouts.some((p) => getAddress(p.account) === a)).length, ethWei(wChannel.amount)],
    ],
    log,
  );

  // 11. Reconciliation -----------------------------------------------------------------------------------
  step(11, "Balances reconcile to the wei");
  const sum = (ps: Payout[]) => ps.reduce((s, p) => s + p.amount, 0n);
  const result: DemoResult = {
    chainId: l2e.chainId,
    rewards: rewardsAddress,
    staking: stakingAddress,
    eventId,
    channelId,
    eventDir,
    channelDir: channelDir2,
    channelDirs: [channelDir, channelDir2],
    event: { funded: pot, paid: sum(eventPayouts), withdrawn: wEvent.amount, claims: eventPayouts.length },
    channel: { funded: channelFunded, paid: sum(channelPayouts), withdrawn: wChannel.amount, claims: channelPayouts.length, rate: CHANNEL_RATE },
    payouts: [...eventPayouts, ...channelPayouts],
    partial,
    batch: { txHash: batch.txHash!, payouts: batch.payouts },
    rewardsBalance: { before: rewardsBefore, after: await hre.ethers.provider.getBalance(rewardsAddress) },
    wallets: await ledger.settle(),
    published,
    claimPageConfig: writeClaimPageConfig(outDir, l2e.chainId, hre.network.name, nodeUrl(hre), rewardsAddress, stakingAddress, [
      { kind: "event", id: eventId, dir: eventDir },
      { kind: "channel", id: channelId, dir: channelDir2 },
    ]),
    registration,
  };
  const checks: [string, bigint, bigint][] = [
    [`event ${eventId}: paid + withdrawn = funded`, result.event.paid + result.event.withdrawn, result.event.funded],
    [`channel ${channelId}: paid + withdrawn = funded`, result.channel.paid + result.channel.withdrawn, result.channel.funded],
    ["rewards contract balance unchanged by this run", result.rewardsBalance.after, result.rewardsBalance.before],
    ...result.wallets.map((w): [string, bigint, bigint] => [`${w.label}: balance change = ledger`, w.delta, w.expected]),
  ];
  printTable(
    undefined,
    ["", "paid to users", "withdrawn by brand", "funded", "check"],
    [
      [`event ${eventId}`, eth(result.event.paid), eth(result.event.withdrawn), eth(result.event.funded), ok(checks[0])],
      [`channel ${channelId}`, eth(result.channel.paid), eth(result.channel.withdrawn), eth(result.channel.funded), ok(checks[1])],
    ],
    log,
  );
  log(`in wei: event ${eventId}   ${result.event.paid} + ${result.event.withdrawn} = ${result.event.funded}`);
  log(`        channel ${channelId} ${result.channel.paid} + ${result.channel.withdrawn} = ${result.channel.funded}`);
  printTable(
    undefined,
    ["wallet", "balance change", "claims + withdrawals − funding − stake − gas", "check"],
    result.wallets.map((w, i) => [w.label, eth(w.delta), eth(w.expected), ok(checks[3 + i])]),
    log,
  );
  log(`\nrewards contract: ${ethWei(result.rewardsBalance.after)} (before this run: ${ethWei(result.rewardsBalance.before)}) ${ok(checks[2])}`);
  const bad = checks.filter(([, a, b]) => a !== b);
  if (bad.length > 0) {
    throw new Error(`the demo does not reconcile:\n${bad.map(([what, a, b]) => `  ${what}: ${a} != ${b}`).join("\n")}`);
  }
  log(`\nclaim page config: ${path.relative(root, result.claimPageConfig)}`);
  return result;
}

function ok([, a, b]: [string, bigint, bigint]): string {
  return a === b ? "ok" : `MISMATCH by ${a - b} wei`;
}

/** Wei the `waiting` accounts are still owed on the channel at its current rate. */
async function owedOnChannel(
  hre: HardhatRuntimeEnvironment,
  rewards: DemoRewards,
  channelDir: string,
  channelId: bigint,
  waiting: { getAddress(): Promise<string> }[],
): Promise<bigint> {
  const rate = await rewards.currentRate(channelId);
  let owed = 0n;
  for (const u of waiting) {
    const item = loadClaimItem(channelDir, await u.getAddress());
    if (!item) continue;
    const converted = await rewards.convertedScore(channelId, item.account);
    owed += ((item.cumulativeScore - converted) * rate) / 10n ** 18n;
  }
  void hre;
  return owed;
}
type DemoRewards = Awaited<ReturnType<typeof deployLike2Earn>>["rewards"];

/** The pot (wei) named by the sample event config, if any. */
function readSamplePot(sampleDir: string): bigint | undefined {
  const file = path.join(sampleDir, "event.config.json");
  if (!fs.existsSync(file)) return undefined;
  const pot = (JSON.parse(fs.readFileSync(file, "utf8")) as { pot?: string | number }).pot;
  return pot === undefined ? undefined : BigInt(pot);
}

/**
 * The local node's JSON-RPC URL (`localhost`, L2E_LOCALHOST_URL for another port). None for the in-process chain
 * (it ends with the run), nor for a remote network (its URL may carry a provider key: never written to a file).
 */
function nodeUrl(hre: HardhatRuntimeEnvironment): string | undefined {
  const config = hre.network.config as { url?: unknown };
  return hre.network.name === "localhost" && typeof config.url === "string" ? config.url : undefined;
}

/**
 * Writes `claim-page.config.json` (format: docs/claim-page-config.md) next to the campaign folders. `rpcUrl` is
 * the node the demo ran against (L2E_LOCALHOST_URL for another port), never a fixed 127.0.0.1:8545 that could be
 * another node holding an older deployment at the same addresses; an in-process run writes none.
 */
export function writeClaimPageConfig(
  outDir: string,
  chainId: number,
  network: string,
  rpcUrl: string | undefined,
  rewards: string,
  staking: string,
  campaigns: { kind: "event" | "channel"; id: bigint; dir: string; name?: string }[],
): string {
  const file = path.join(outDir, "claim-page.config.json");
  const config = {
    chainId,
    chainName: network === "hardhat" ? "Hardhat (in-process: gone when the demo ended)" : network === "localhost" ? "Hardhat (localhost)" : network,
    ...(rpcUrl ? { rpcUrl } : {}),
    rewards,
    staking,
    registration: { tag: DEMO_TAG, schedule: "The demo's admin ran registrations before scoring; on a real campaign the admin runs it at least weekly." },
    campaigns: campaigns.map((c) => ({
      kind: c.kind,
      id: Number(c.id),
      proofsBaseUrl: `${path.relative(outDir, c.dir).split(path.sep).join("/")}/`,
      name: c.name ?? `${c.kind === "event" ? "Event" : "Channel"} ${c.id}`,
    })),
  };
  fs.writeFileSync(file, JSON.stringify(config, null, 2) + "\n");
  return file;
}
