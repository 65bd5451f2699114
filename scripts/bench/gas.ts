/**
 * Gas benchmark of the claim paths on a 100,000-leaf tree (`npm run bench:gas`). Not a test: it prints a
 * table against the targets of issue #2 and the floor measured in PERF.md, and writes `reports/gas.json`.
 *
 * Every figure is whole-transaction gas (`receipt.gasUsed`: 21,000 intrinsic + calldata + execution) on
 * the in-process Hardhat network. Claims are sent by a relayer (anyone may trigger an event claim), so the
 * payee is the leaf's account. "Spread" claims pick 25 indices ~4,000 apart, so each opens a fresh bitmap
 * word; "consecutive" claims take 25 indices in one word (the first opens it). Recipients are pre-funded
 * (they already hold ETH, or the token for ERC-20 rows) unless a row says "fresh".
 *
 * Batch: "extra claim in a batch of 5" = (gas of a batch of 5 − gas of a batch of 1) / 4, averaged over 5
 * batches of each kind; both batches start by opening one fresh bitmap word, so the difference is what
 * each further item adds.
 */
import { createHash } from "crypto";
import { mkdirSync, renameSync, writeFileSync } from "fs";
import path from "path";
import hre, { ethers } from "hardhat";
import { setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import { buildTree, type FastMerkleTree } from "../../scorer/src/tree";
import { CHANNEL_LEAF_ENCODING, channelLeaves, EVENT_LEAF_ENCODING, eventLeaves } from "../../scorer/src/format";
import type { Like2EarnRewards, MockERC20 } from "../../typechain-types";
import { CHANNEL_CLAIM_TYPES } from "../../scorer/src/format/signed-claim";

const N = 100_000;
const SAMPLES = 25;
const BATCHES = 5;
const WORD = 256; // leaf indices per bitmap word
/**
 * Bitmap words are handed out as `k * LANES + lane` (k = 0..24), one lane per measurement, so no two
 * measurements ever share a word and every "spread" sample opens a fresh one across the whole tree.
 */
const LANES = 15;
const LANE = {
  spread: 0,
  spreadFresh: 1,
  batchOneSpread: 2,
  batchFiveSpread: 3,
  consecutive: 4,
  batchOneConsecutive: 5,
  batchFiveConsecutive: 6,
  consecutiveFresh: 7,
} as const;

/** Issue #8's targets (whole-transaction gas); signedChannelOverLater is relative to channelClaim.eth.later. */
const TARGETS = {
  ethSpread: 78_500,
  ethConsecutive: 62_100,
  erc20Spread: 84_000,
  channelFirst: 76_000,
  channelLater: 59_000,
  batchExtra: 30_000,
  signedChannelOverLater: 9_000,
};
/** PERF.md: bare claim (bitmap + verifyCalldata + call), 100k leaves, 25 claims, osaka. */
const FLOORS = {
  // ERC-20 floors: PERF.md's bare ERC-20 claim; its recipients appear to be new to the token (see the table).
  ethSpread: 67_247,
  ethConsecutive: 50_967,
  ethSpreadFresh: 92_247,
  erc20Spread: 90_630,
  erc20Consecutive: 74_350,
  /**
   * What a spread batch item cannot avoid: a fresh bitmap word (22,100), an ETH transfer to a cold,
   * funded account (9,000 value + 2,600 cold access − the unused 2,300 stipend ≈ 9,300) and ~9,000 of
   * calldata for its item and 17-node proof: ≈ 40,400, above the 35,000 target.
   */
  batchExtraSpreadUnavoidable: 22_100 + 9_300 + 9_000,
};

/** Deterministic, realistic-looking (mostly non-zero bytes) leaf addresses. */
function addressAt(tag: string, i: number): string {
  return "0x" + createHash("sha256").update(`${tag}-${i}`).digest("hex").slice(0, 40);
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const rc = await (await tx).wait();
  if (!rc || rc.status !== 1) throw new Error("benchmark transaction failed");
  return Number(rc.gasUsed);
}

interface Stat {
  avg: number;
  min: number;
  max: number;
  n: number;
}
function stat(xs: number[]): Stat {
  return { avg: Math.round(xs.reduce((a, b) => a + b, 0) / xs.length), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

/** Word k of a lane. */
const wordOf = (lane: number, k: number) => k * LANES + lane;
/** One index in each of the lane's 25 words (a fresh bitmap word per claim). */
const spread = (lane: number) => Array.from({ length: SAMPLES }, (_, k) => wordOf(lane, k) * WORD + 17);
/** 25 consecutive indices in the lane's first word (the first claim opens it). */
const consecutive = (lane: number) => Array.from({ length: SAMPLES }, (_, k) => wordOf(lane, 0) * WORD + k);
if (wordOf(LANES - 1, SAMPLES - 1) * WORD + WORD > N) throw new Error("lanes do not fit in the tree");

interface EventSetup {
  id: bigint;
  tree: FastMerkleTree;
  accounts: string[];
  amounts: bigint[];
}

async function main(): Promise<void> {
  const started = Date.now();
  const [admin, publisher, guardian, brand, relayer] = await ethers.getSigners();
  const rewards = (await ethers.deployContract("Like2EarnRewards", [
    admin.address,
    publisher.address,
    guardian.address,
    0, // challenge period: roots are live at once (the claim path does not depend on it)
    3_600,
    3_600,
    3_600,
    3_600, // least event claim window
  ])) as unknown as Like2EarnRewards;
  const token = (await ethers.deployContract("MockERC20", ["Bench", "BENCH"])) as unknown as MockERC20;
  const rewardsAddress = await rewards.getAddress();
  const tokenAddress = await token.getAddress();
  await token.mint(brand.address, 10n ** 30n);
  await token.connect(brand).approve(rewardsAddress, ethers.MaxUint256);

  // ---- trees ---------------------------------------------------------------------------------------
  let treeSeconds = 0;
  const timed = async <T>(f: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const r = await f();
    treeSeconds += (Date.now() - t0) / 1000;
    return r;
  };

  const now = BigInt(await time.latest());
  const end = now + 3_600n;
  async function createEventWithTree(tokenAddr: string, tag: string): Promise<EventSetup> {
    const id = (await rewards.eventCount()) + 1n;
    const accounts = Array.from({ length: N }, (_, i) => addressAt(tag, i));
    const amounts = Array.from({ length: N }, (_, i) => 10n ** 15n + BigInt(i) * 1_000_003n);
    const total = amounts.reduce((a, b) => a + b, 0n);
    await rewards
      .connect(brand)
      .createEvent(tokenAddr, now, end, 30 * 86_400, total, `bench-${tag}`, { value: tokenAddr === ethers.ZeroAddress ? total : 0n });
    const tree = await timed(() => buildTree(eventLeaves(id, accounts.map((address, index) => ({ index, address, amount: amounts[index] }))), EVENT_LEAF_ENCODING));
    return { id, tree, accounts, amounts };
  }
  const ethEvent = await createEventWithTree(ethers.ZeroAddress, "eth");
  const erc20Event = await createEventWithTree(tokenAddress, "erc20");

  // Channel: 25 claimers (wallets we hold keys for) at spread positions among 100k filler leaves.
  const wallets = Array.from({ length: SAMPLES }, (_, k) =>
    new ethers.Wallet(ethers.id(`bench-wallet-${k}`), ethers.provider),
  );
  const walletPos = spread(LANE.spread).map((i) => i + 16); // positions in the channel tree
  const channelId = (await rewards.channelCount()) + 1n;
  await rewards.connect(brand).createChannel(ethers.ZeroAddress, 10n ** 15n, 1_000n * 10n ** 18n, "bench-channel", {
    value: 1_000n * 10n ** 18n,
  });
  const channelAccounts = Array.from({ length: N }, (_, i) => addressAt("channel", i));
  walletPos.forEach((p, k) => (channelAccounts[p] = wallets[k].address));
  const scores = (epoch: bigint) => channelAccounts.map((_, i) => epoch * 10n ** 18n + BigInt(i) * 1_000_000_007n);
  const channelTree = async (epoch: bigint) => {
    const s = scores(epoch);
    return { s, tree: await timed(() => buildTree(channelLeaves(channelId, channelAccounts.map((address, i) => ({ address, amount: s[i] }))), CHANNEL_LEAF_ENCODING)) };
  };
  const epoch1 = await channelTree(1n);

  // ---- publish -------------------------------------------------------------------------------------
  await time.increaseTo(end);
  for (const e of [ethEvent, erc20Event]) {
    await rewards.connect(publisher).publishEventRoot(e.id, e.tree.root, e.amounts.reduce((a, b) => a + b, 0n), N, ethers.ZeroHash);
  }
  await rewards.connect(publisher).publishChannelRoot(channelId, 1, epoch1.tree.root, 0, N, ethers.ZeroHash);
  await time.increase(1);

  // ---- event claims --------------------------------------------------------------------------------
  const claim = (e: EventSetup, i: number) =>
    gasOf(rewards.connect(relayer).claimEvent(e.id, i, e.accounts[i], e.amounts[i], e.tree.getProof(i)));
  async function claims(e: EventSetup, indices: number[], prefund: "eth" | "token" | "none"): Promise<Stat> {
    for (const i of indices) {
      if (prefund === "eth") await setBalance(e.accounts[i], 1n);
      if (prefund === "token") await token.mint(e.accounts[i], 1n);
    }
    const gas: number[] = [];
    for (const i of indices) gas.push(await claim(e, i));
    return stat(gas);
  }

  const ethSpread = await claims(ethEvent, spread(LANE.spread), "eth");
  const ethConsecutive = await claims(ethEvent, consecutive(LANE.consecutive), "eth");
  const ethSpreadFresh = await claims(ethEvent, spread(LANE.spreadFresh), "none");
  const erc20Spread = await claims(erc20Event, spread(LANE.spread), "token");
  const erc20Consecutive = await claims(erc20Event, consecutive(LANE.consecutive), "token");
  const erc20SpreadFresh = await claims(erc20Event, spread(LANE.spreadFresh), "none");
  const erc20ConsecutiveFresh = await claims(erc20Event, consecutive(LANE.consecutiveFresh), "none");

  // ---- channel claims ------------------------------------------------------------------------------
  for (const w of wallets) await setBalance(w.address, 10n ** 18n);
  const channelFirst: number[] = [];
  for (const [k, w] of wallets.entries()) {
    const p = walletPos[k];
    channelFirst.push(await gasOf(rewards.connect(w).claimChannel(channelId, epoch1.s[p], epoch1.tree.getProof(p))));
  }
  const epoch2 = await channelTree(2n);
  await rewards.connect(publisher).publishChannelRoot(channelId, 2, epoch2.tree.root, 0, N, ethers.ZeroHash);
  await time.increase(1);
  const channelRepeat: number[] = [];
  for (const [k, w] of wallets.entries()) {
    const p = walletPos[k];
    channelRepeat.push(await gasOf(rewards.connect(w).claimChannel(channelId, epoch2.s[p], epoch2.tree.getProof(p))));
  }

  // ---- signed channel claims (epoch 3, submitted by the relayer, fee paid to it) ------------------------
  const epoch3 = await channelTree(3n);
  await rewards.connect(publisher).publishChannelRoot(channelId, 3, epoch3.tree.root, 0, N, ethers.ZeroHash);
  await time.increase(1);
  const { chainId } = await ethers.provider.getNetwork();
  const domain = { name: "Like2EarnRewards", version: "1", chainId, verifyingContract: rewardsAddress };
  const FEE = 10n ** 12n;
  const signedChannel: number[] = [];
  for (const [k, w] of wallets.entries()) {
    const p = walletPos[k];
    const message = {
      channelId,
      epoch: 3n,
      account: w.address,
      cumulativeScore: epoch3.s[p],
      recipient: w.address,
      maxFee: FEE,
      deadline: BigInt(await time.latest()) + 3_600n,
    };
    const signature = await w.signTypedData(domain, CHANNEL_CLAIM_TYPES, message);
    signedChannel.push(
      await gasOf(rewards.connect(relayer).claimChannelBySig(message, epoch3.tree.getProof(p), FEE, signature)),
    );
  }

  // ---- batches -------------------------------------------------------------------------------------
  const item = (e: EventSetup, i: number) => ({
    eventId: e.id,
    index: BigInt(i),
    account: e.accounts[i],
    amount: e.amounts[i],
    proof: e.tree.getProof(i),
  });
  async function batch(indices: number[]): Promise<number> {
    for (const i of indices) await setBalance(ethEvent.accounts[i], 1n);
    return gasOf(rewards.connect(relayer).batchClaim(indices.map((i) => item(ethEvent, i)), []));
  }
  const extraSpread: number[] = [];
  const extraConsecutive: number[] = [];
  const batchOf1: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    // Spread: the batch of 1 opens one fresh word; each of the 5 items opens its own.
    const one = await batch([wordOf(LANE.batchOneSpread, b * 5) * WORD + 17]);
    const five = await batch([0, 1, 2, 3, 4].map((k) => wordOf(LANE.batchFiveSpread, b * 5 + k) * WORD + 17));
    extraSpread.push((five - one) / 4);
    // Consecutive: both open one fresh word; the 4 further items share it.
    const oneC = await batch([wordOf(LANE.batchOneConsecutive, b * 5) * WORD]);
    const fiveC = await batch([0, 1, 2, 3, 4].map((k) => wordOf(LANE.batchFiveConsecutive, b * 5) * WORD + k));
    extraConsecutive.push((fiveC - oneC) / 4);
    batchOf1.push(one, oneC);
  }

  // ---- report --------------------------------------------------------------------------------------
  const rows: { name: string; gas: number; target?: number; floor?: number; note?: string }[] = [
    { name: "ETH event claim, spread", gas: ethSpread.avg, target: TARGETS.ethSpread, floor: FLOORS.ethSpread },
    { name: "ETH event claim, consecutive", gas: ethConsecutive.avg, target: TARGETS.ethConsecutive, floor: FLOORS.ethConsecutive },
    { name: "ETH event claim, spread, fresh account", gas: ethSpreadFresh.avg, floor: FLOORS.ethSpreadFresh, note: "recipient had no ETH (+25,000 new account)" },
    { name: "ERC-20 event claim, spread", gas: erc20Spread.avg, target: TARGETS.erc20Spread, note: "recipient already holds the token" },
    { name: "ERC-20 event claim, consecutive", gas: erc20Consecutive.avg, note: "recipient already holds the token" },
    { name: "ERC-20 event claim, spread, fresh holder", gas: erc20SpreadFresh.avg, floor: FLOORS.erc20Spread, note: "recipient had no token balance" },
    { name: "ERC-20 event claim, consec., fresh holder", gas: erc20ConsecutiveFresh.avg, floor: FLOORS.erc20Consecutive, note: "recipient had no token balance" },
    { name: "ETH channel claim, first", gas: stat(channelFirst).avg, target: TARGETS.channelFirst, note: "converted-score slot written for the first time" },
    { name: "ETH channel claim, next epoch", gas: stat(channelRepeat).avg, target: TARGETS.channelLater, note: "converted-score slot already set" },
    {
      name: "signed ETH channel claim, next epoch",
      gas: stat(signedChannel).avg,
      target: stat(channelRepeat).avg + TARGETS.signedChannelOverLater,
      note: "relayer submits; fee to the relayer, rest to the account",
    },
    { name: "extra claim in a batch of 5, consecutive", gas: stat(extraConsecutive).avg, target: TARGETS.batchExtra, note: "same bitmap word" },
    { name: "extra claim in a batch of 5, spread", gas: stat(extraSpread).avg, note: "each item opens a fresh bitmap word (no target: see below)" },
  ];

  const hardfork = (hre.config.networks.hardhat as { hardfork?: string }).hardfork ?? "default";
  const line = (cells: string[], widths: number[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const widths = [42, 9, 9, 9, 11, 7];
  console.log(`\nClaim gas on a ${N.toLocaleString("en-US")}-leaf tree (whole transaction, receipt.gasUsed; avg of ${SAMPLES} claims; ${hardfork})\n`);
  console.log(line(["path", "gas", "target", "floor", "over floor", "result"], widths));
  console.log("-".repeat(widths.reduce((a, b) => a + b + 2, -2)));
  for (const r of rows) {
    const result = r.target === undefined ? "" : r.gas <= r.target ? "PASS" : "FAIL";
    console.log(
      line(
        [
          r.name,
          r.gas.toLocaleString("en-US"),
          r.target?.toLocaleString("en-US") ?? "",
          r.floor?.toLocaleString("en-US") ?? "",
          r.floor === undefined ? "" : `${r.gas - r.floor >= 0 ? "+" : ""}${(r.gas - r.floor).toLocaleString("en-US")}`,
          result,
        ],
        widths,
      ),
    );
  }
  console.log(`
Floor: PERF.md's bare ETH claim (21,000 intrinsic + calldata + fresh storage slot + ETH transfer):
67,247 spread / 50,967 consecutive. Its bare ERC-20 floors (90,630 / 74,350) sit ~23,400 above the ETH
ones, i.e. a recipient new to the token (a 22,100-gas fresh balance slot): shown on fresh-holder rows.
Over the floor, a real claim also pays for the pause check, the campaign's own ledger (a cold slot read
and written: ~5,000), the EventClaimed log (~2,300) and the reentrancy guard.
Spread batch items each open a fresh bitmap word (a 22,100-gas zero-to-non-zero SSTORE), pay an ETH
transfer to a cold account (~9,300 net) and ~9,000 of calldata for a 17-node proof: ~40,400 that no
implementation avoids: the batch target (30,000) is for items sharing a bitmap word.
Extra batch item = (batch of 5 − batch of 1) / 4, averaged over ${BATCHES} batches.
Tree builder: scorer/src/tree.ts buildTree (${treeSeconds.toFixed(1)} s for 4 trees of ${N.toLocaleString("en-US")} leaves).`);

  const report = {
    format: "like2earn-gas-v2",
    generatedAt: new Date().toISOString(),
    network: { name: "hardhat (in-process)", hardfork },
    compiler: { version: hre.config.solidity.compilers[0]?.version, settings: hre.config.solidity.compilers[0]?.settings },
    leaves: N,
    samples: SAMPLES,
    method: {
      gas: "receipt.gasUsed of the whole transaction (intrinsic + calldata + execution)",
      spread: `one index in each of ${SAMPLES} bitmap words ${LANES * WORD} indices apart: each claim opens a fresh word`,
      consecutive: `${SAMPLES} consecutive indices in one bitmap word (the first claim opens it)`,
      prefunded: "recipients already hold ETH (ETH rows) or the token (ERC-20 rows) unless 'fresh'",
      batchExtra: `(gas of batchClaim with 5 items − gas of batchClaim with 1 item) / 4, averaged over ${BATCHES} batches`,
      treeBuilder: "scorer/src/tree.ts buildTree",
    },
    results: {
      ethEvent: { spread: ethSpread, consecutive: ethConsecutive, spreadFreshAccount: ethSpreadFresh },
      erc20Event: {
        spread: erc20Spread,
        consecutive: erc20Consecutive,
        spreadFreshHolder: erc20SpreadFresh,
        consecutiveFreshHolder: erc20ConsecutiveFresh,
      },
      ethChannel: { firstClaim: stat(channelFirst), nextEpochClaim: stat(channelRepeat), signedNextEpochClaim: stat(signedChannel) },
      batch: {
        extraItemConsecutive: stat(extraConsecutive.map(Math.round)),
        extraItemSpread: stat(extraSpread.map(Math.round)),
        batchOfOne: stat(batchOf1),
      },
    },
    // Issue #8's comparable figures (averages), under exactly these keys.
    eventClaim: {
      eth: { spread: ethSpread.avg, consecutive: ethConsecutive.avg },
      erc20: { spread: erc20Spread.avg },
    },
    channelClaim: { eth: { first: stat(channelFirst).avg, later: stat(channelRepeat).avg } },
    batch: { extraConsecutive: stat(extraConsecutive).avg },
    signedClaim: { channel: { eth: stat(signedChannel).avg } },
    targets: TARGETS,
    floors: FLOORS,
    pass: {
      ethSpread: ethSpread.avg <= TARGETS.ethSpread,
      ethConsecutive: ethConsecutive.avg <= TARGETS.ethConsecutive,
      erc20Spread: erc20Spread.avg <= TARGETS.erc20Spread,
      channelFirst: stat(channelFirst).avg <= TARGETS.channelFirst,
      channelLater: stat(channelRepeat).avg <= TARGETS.channelLater,
      batchExtraConsecutive: stat(extraConsecutive).avg <= TARGETS.batchExtra,
      signedChannel: stat(signedChannel).avg <= stat(channelRepeat).avg + TARGETS.signedChannelOverLater,
    },
    treeBuildSeconds: Number(treeSeconds.toFixed(2)),
    benchSeconds: Number(((Date.now() - started) / 1000).toFixed(1)),
  };
  const dir = path.join(hre.config.paths.root, "reports");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "gas.json");
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(report, null, 2) + "\n");
  renameSync(tmp, file);
  console.log(`\nWrote ${path.relative(process.cwd(), file)} (${report.benchSeconds} s).`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
