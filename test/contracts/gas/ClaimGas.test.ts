/*
Gas upper bounds (whole transaction gas, with headroom; the benchmark with a 100k-leaf tree is `npm run bench:gas`).
Recipients hold ETH already, as in the benchmark. Set L2E_PRINT_GAS=1 to print the measured values.
*/
import { loadFixture, setBalance } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import {
  ONE_ETH,
  createChannel,
  deployFixture,
  gasOf,
  liveEvent,
  publishLiveChannelRoot,
} from "../shared/fixtures";

const LEAVES = 1024; // proofs of 10 elements
const print = (label: string, gas: bigint) => {
  if (process.env.L2E_PRINT_GAS) console.log(`      ${label}: ${gas}`);
};

describe("Claim gas upper bounds (unit)", () => {
  before(function () {
    // solidity-coverage instruments the contracts, which inflates gas: bounds mean nothing there.
    if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
  });

  async function bigEvent() {
    const f = await deployFixture();
    const accounts = Array.from({ length: LEAVES }, (_, i) =>
      ethers.getAddress(ethers.dataSlice(ethers.keccak256(ethers.toBeHex(i + 1, 32)), 12)),
    );
    const amount = 10n ** 15n;
    const ev = await liveEvent(
      f,
      accounts.map((account) => ({ account, amount })),
      { amount: amount * BigInt(LEAVES) },
    );
    for (const a of accounts.slice(0, 600)) await setBalance(a, 1n);
    return { ...f, ev, accounts, amount };
  }

  it("an ETH event claim opening a fresh bitmap word < 80,000", async () => {
    const s = await loadFixture(bigEvent);
    const i = 300;
    const gas = await gasOf(s.rewards.connect(s.stranger).claimEvent(s.ev.eventId, i, s.accounts[i], s.amount, s.ev.tree.proof(i)));
    print("event claim, fresh bitmap word", gas);
    expect(gas).to.be.lessThan(80_000n);
  });

  it("an ETH event claim in a used bitmap word < 62,000", async () => {
    const s = await loadFixture(bigEvent);
    await s.rewards.claimEvent(s.ev.eventId, 512, s.accounts[512], s.amount, s.ev.tree.proof(512));
    const gas = await gasOf(s.rewards.connect(s.stranger).claimEvent(s.ev.eventId, 513, s.accounts[513], s.amount, s.ev.tree.proof(513)));
    print("event claim, used bitmap word", gas);
    expect(gas).to.be.lessThan(62_000n);
  });

  it("an ERC-20 event claim < 100,000", async () => {
    const f = await loadFixture(deployFixture);
    const token = await f.token.getAddress();
    const ev = await liveEvent(f, [{ account: f.users[0].address, amount: 5n }, { account: f.users[1].address, amount: 5n }], {
      token,
      amount: 10n,
    });
    const gas = await gasOf(f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, 5n, ev.tree.proof(0)));
    print("ERC-20 event claim (receiver already holds the token)", gas);
    expect(gas).to.be.lessThan(100_000n);
  });

  it("each extra claim in a batch of 5 (consecutive indices) < 35,000", async () => {
    const s = await loadFixture(bigEvent);
    const one = await gasOf(s.rewards.batchClaim([s.ev.tree.item(100)], []));
    const five = await gasOf(s.rewards.batchClaim([101, 102, 103, 104, 105].map((i) => s.ev.tree.item(i)), []));
    const extra = (five - one) / 4n;
    print("batch: one item", one);
    print("batch: each extra item of 5", extra);
    expect(extra).to.be.lessThan(35_000n);
  });

  it("a channel claim < 100,000 (first) and < 80,000 (later)", async () => {
    const f = await loadFixture(deployFixture);
    const u = f.users[0];
    const id = await createChannel(f);
    const t1 = await publishLiveChannelRoot(f, id, 1, [{ account: u.address, cumulativeScore: ONE_ETH / 10n }, { account: f.users[1].address, cumulativeScore: 1n }]);
    const first = await gasOf(f.rewards.connect(u).claimChannel(id, ONE_ETH / 10n, t1.proof(0)));
    const t2 = await publishLiveChannelRoot(f, id, 2, [{ account: u.address, cumulativeScore: ONE_ETH / 5n }, { account: f.users[1].address, cumulativeScore: 1n }]);
    const later = await gasOf(f.rewards.connect(u).claimChannel(id, ONE_ETH / 5n, t2.proof(0)));
    print("channel claim, first", first);
    print("channel claim, later", later);
    expect(first).to.be.lessThan(100_000n);
    expect(later).to.be.lessThan(80_000n);
  });
});
