/**
 * Gas upper bounds, with headroom: they catch a regression that doubles a path's cost, not a few hundred
 * gas. The real numbers, on a 100,000-leaf tree, come from `npm run bench:gas` (scripts/bench/gas.ts).
 *
 * Trees have 1,000 leaves (proofs of 9–10 nodes). Leaf indices are spaced 256 apart in the "spread" tree,
 * so every claim opens a fresh bitmap word (the worst case); recipients already hold ETH (and the token).
 */
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { channelTree, DAY, deployFixture, ETH, eventTree, gasOf, PARAMS, WAD } from "../shared/fixtures";

const N = 1000;
const AMOUNT = 10n ** 15n;

const BOUNDS = {
  ethEventClaim: 90_000,
  erc20EventClaim: 110_000,
  /** An extra batch item whose bitmap word is already written (consecutive indices). */
  batchExtraItem: 45_000,
  /**
   * An extra batch item that opens a fresh bitmap word: a zero-to-non-zero SSTORE alone is 22,100 gas, and
   * the ETH transfer to a cold account 11,600, so its floor is ~42,000 here (~46,000 at 100k leaves).
   */
  batchExtraItemFreshWord: 55_000,
  channelClaim: 110_000,
};

/** Deterministic distinct addresses for leaves. */
function addressAt(i: number): string {
  return ethers.getAddress(ethers.dataSlice(ethers.id(`gas-leaf-${i}`), 12));
}

/** Gas used by a transaction (GAS_VERBOSE=1 prints it). */
async function measured(tx: Parameters<typeof gasOf>[0]): Promise<bigint> {
  const gas = await gasOf(tx);
  if (process.env.GAS_VERBOSE) console.log(`      gasUsed ${gas}`);
  return gas;
}

async function fixture() {
  const d = await deployFixture();
  const tokenAddress = await d.token.getAddress();
  const now = BigInt(await time.latest());
  const total = AMOUNT * BigInt(N);

  // Event 1: ETH, spread indices (i * 256). Event 2: ERC-20, same. Event 3: ETH, consecutive indices.
  // Channel 1: ETH.
  await d.rewards.connect(d.brand).createEvent(ETH, now, now + DAY, 30n * DAY, total, "gas", { value: total });
  await d.rewards.connect(d.brand).createEvent(tokenAddress, now, now + DAY, 30n * DAY, total, "gas");
  await d.rewards.connect(d.brand).createEvent(ETH, now, now + DAY, 30n * DAY, total, "gas", { value: total });
  const trees = [1n, 2n, 3n].map((id) =>
    eventTree(
      id,
      Array.from({ length: N }, (_, i) => ({ index: id === 3n ? i : i * 256, account: addressAt(i), amount: AMOUNT })),
    ),
  );
  // Channel leaves: the signers (claims are by msg.sender) and filler addresses.
  const signers = d.users.slice(0, 10);
  await d.rewards.connect(d.brand).createChannel(ETH, WAD, 100n * WAD, "gas", { value: 100n * WAD });
  const channel = channelTree(
    1n,
    Array.from({ length: N }, (_, i) => ({
      account: i < signers.length ? signers[i].address : addressAt(N + i),
      cumulativeScore: WAD + BigInt(i),
    })),
  );

  await time.increaseTo(now + DAY);
  for (const [i, t] of trees.entries()) {
    await d.rewards.connect(d.publisher).publishEventRoot(BigInt(i + 1), t.root, total, N, ethers.ZeroHash);
  }
  await d.rewards.connect(d.publisher).publishChannelRoot(1n, 1n, channel.root, 0n, N, ethers.ZeroHash);
  await time.increase(PARAMS.challengePeriod);

  // Pre-fund recipients: they already hold ETH and the token (no new-account / fresh-balance surcharge).
  for (let i = 0; i < N; i += 1) {
    if (i % 50 === 0 || i < 10 || (i >= 256 && i <= 260)) {
      await setBalance(addressAt(i), 1n);
      await d.token.mint(addressAt(i), 1n);
    }
  }
  return { ...d, trees, channel, signers, relayer: d.stranger };
}

describe("Gas upper bounds (1,000-leaf trees)", function () {
  before(function () {
    // solidity-coverage instruments the contracts, which inflates gas: bounds mean nothing there.
    if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
  });

  it(`an ETH event claim opening a fresh bitmap word costs < ${BOUNDS.ethEventClaim}`, async function () {
    const fx = await loadFixture(fixture);
    const tree = fx.trees[0];
    for (const i of [0, 50, 500, 950]) {
      const gas = await measured(fx.rewards.connect(fx.relayer).claimEvent(...tree.claimArgs(i)));
      expect(gas).to.be.lessThan(BOUNDS.ethEventClaim, `leaf ${i}`);
    }
  });

  it(`an ERC-20 event claim costs < ${BOUNDS.erc20EventClaim}`, async function () {
    const fx = await loadFixture(fixture);
    const tree = fx.trees[1];
    for (const i of [0, 50, 500, 950]) {
      const gas = await measured(fx.rewards.connect(fx.relayer).claimEvent(...tree.claimArgs(i)));
      expect(gas).to.be.lessThan(BOUNDS.erc20EventClaim, `leaf ${i}`);
    }
  });

  // Extra item = (gas of a batch of 5 − gas of a batch of 1) / 4, both opening one fresh word first.

  it(`each extra item of a batch of 5 ETH event claims (consecutive indices) costs < ${BOUNDS.batchExtraItem}`, async function () {
    const fx = await loadFixture(fixture);
    const tree = fx.trees[2];
    const single = await measured(fx.rewards.connect(fx.relayer).batchClaim([tree.item(0)], []));
    const batch = await measured(fx.rewards.connect(fx.relayer).batchClaim([256, 257, 258, 259, 260].map((i) => tree.item(i)), []));
    expect((batch - single) / 4n).to.be.lessThan(BOUNDS.batchExtraItem);
  });

  it(`each extra item of a batch of 5 ETH event claims (each a fresh bitmap word) costs < ${BOUNDS.batchExtraItemFreshWord}`, async function () {
    const fx = await loadFixture(fixture);
    const tree = fx.trees[0];
    const single = await measured(fx.rewards.connect(fx.relayer).batchClaim([tree.item(0)], []));
    const batch = await measured(fx.rewards.connect(fx.relayer).batchClaim([50, 100, 150, 200, 250].map((i) => tree.item(i)), []));
    expect((batch - single) / 4n).to.be.lessThan(BOUNDS.batchExtraItemFreshWord);
  });

  it(`a first ETH channel claim costs < ${BOUNDS.channelClaim}`, async function () {
    const fx = await loadFixture(fixture);
    for (let i = 0; i < 3; i++) {
      const { account, cumulativeScore } = fx.channel.leaves[i];
      const signer = fx.signers.find((s) => s.address === account)!;
      const gas = await measured(fx.rewards.connect(signer).claimChannel(fx.channel.channelId, cumulativeScore, fx.channel.proof(i)));
      expect(gas).to.be.lessThan(BOUNDS.channelClaim, `leaf ${i}`);
    }
  });
});
