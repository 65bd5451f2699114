/**
 * The fair snapshot: the default block is the last one at or before the period end (found by timestamp),
 * stakes are averaged over the period (time-weighted) unless the config says "at-snapshot", balances are
 * read in Multicall3 batches, and a chain without the contracts the scorer needs is refused by name.
 */
import { expect } from "chai";
import fc from "fast-check";
import { Interface, ZeroAddress } from "ethers";
import { ChainError } from "../src/errors";
import { decodeBalanceBatch, encodeBalanceBatch, MULTICALL3_ADDRESS, readEthBalances } from "../src/multicall";
import { blockAtOrBefore, POWER_STAKING_ABI, powerAt, readChainData, timeWeightedPower, type StakeState } from "../src/onchain";
import { addr, ETH, fakeChain, rejects } from "./helpers";

const iface = new Interface(POWER_STAKING_ABI);
const STAKING = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const ALICE = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const DAY_S = 86_400;

function stakeLog(blockNumber: number, index: number, account: string, staked: bigint, pdAmount = 0n, pdWithdrawn = 0n, pdStart = 0n) {
  const { topics, data } = iface.encodeEventLog("StakeUpdated", [account, ZeroAddress, staked, pdAmount, pdWithdrawn, pdStart]);
  return { blockNumber, index, topics, data };
}

describe("snapshot block at the period end", () => {
  it("is the last block with timestamp ≤ end, for any non-decreasing block times (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 200 }), fc.nat(), async (gaps, pick) => {
        const ts: number[] = [];
        gaps.reduce((t, g) => (ts.push(t + g), t + g), 1_700_000_000);
        const last = ts.length - 1;
        // An end strictly before the latest block's time, at or after block 0's.
        const end = ts[0] + (pick % Math.max(1, ts[last] - ts[0]));
        if (end >= ts[last]) return;
        const chain = fakeChain({ blockNumber: last, timestampOf: (n) => ts[n] });
        const found = await blockAtOrBefore(chain, end * 1000);
        let want = 0;
        for (let n = 0; n <= last; n++) if (ts[n] <= end) want = n;
        expect(found.number).to.equal(want);
        expect(found.timestamp).to.equal(ts[want]);
        expect(chain.calls.filter((c) => c.startsWith("getBlock")).length).to.be.at.most(2 + Math.ceil(Math.log2(last + 1)) + 1);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a period that has not ended on chain, or that ends before the first block", async () => {
    const chain = fakeChain({ blockNumber: 10, timestampOf: (n) => 1_000 + n });
    expect((await rejects(blockAtOrBefore(chain, 1_010_000))).message).to.match(/after the chain's latest block 10 .*not be final/);
    expect((await rejects(blockAtOrBefore(chain, 999_000))).message).to.match(/before this chain's first block/);
  });

  it("readChainData resolves period-end and records the block", async () => {
    const chain = fakeChain({ blockNumber: 100, timestampOf: (n) => 1_736_000_000 + 12 * n });
    const data = await readChainData(chain, {
      accounts: [ALICE],
      snapshotBlock: "period-end",
      period: { start: 0, end: (1_736_000_000 + 12 * 40 + 5) * 1000 },
      staking: null,
      balances: false,
    });
    expect(data.snapshotBlock).to.equal(40);
    expect(data.snapshotTimestamp).to.equal(1_736_000_000 + 480);
  });
});

describe("time-weighted stake", () => {
  const brute = (changes: { timestamp: number; s: StakeState }[], startS: number, endS: number, n: bigint, interval: bigint): bigint => {
    let sum = 0n;
    for (let t = startS; t < endS; t++) {
      let state: StakeState | undefined;
      for (const c of changes) if (c.timestamp <= t) state = c.s;
      sum += state ? powerAt(state, BigInt(t), n, interval) : 0n;
    }
    return sum / BigInt(endS - startS);
  };

  it("equals the per-second average of powerAt over the period (property, power-downs across instalments)", () => {
    const stateArb = fc.record({
      staked: fc.bigInt(0n, 10n ** 20n),
      powerDownAmount: fc.bigInt(0n, 10n ** 20n),
      powerDownWithdrawn: fc.bigInt(0n, 10n ** 19n),
      pdAt: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), stateArb), { minLength: 0, maxLength: 6 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 60 }),
        (raw, startS, len, n, interval) => {
          let t = 0;
          const changes = raw.map(([gap, st]) => {
            t += gap;
            const s: StakeState = {
              staked: st.staked,
              powerDownAmount: st.pdAt === undefined ? 0n : st.powerDownAmount,
              powerDownWithdrawn: st.pdAt === undefined ? 0n : st.powerDownWithdrawn,
              powerDownStart: st.pdAt === undefined ? 0n : BigInt(Math.max(1, t - st.pdAt)),
            };
            return { timestamp: t, s };
          });
          const got = timeWeightedPower(changes, startS * 1000, (startS + len) * 1000, BigInt(n), BigInt(interval));
          expect(got).to.equal(brute(changes, startS, startS + len, BigInt(n), BigInt(interval)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("powering up just before the snapshot buys almost nothing; at-snapshot counts it whole", async () => {
    // A 7-day period; Alice stakes 100 ETH one hour before the end.
    const start = 1_736_121_600; // 2025-01-06
    const end = start + 7 * DAY_S;
    const ts = (n: number) => (n < 10 ? start + n : n === 10 ? end - 3600 : end - 3600 + (n - 10));
    const chain = () =>
      fakeChain({ blockNumber: 20, timestampOf: ts, logs: [stakeLog(10, 0, ALICE, 100n * ETH)], code: () => "0x60" });
    const common = { accounts: [ALICE], snapshotBlock: 20, period: { start: start * 1000, end: end * 1000 }, staking: STAKING, balances: false } as const;
    const weighted = await readChainData(chain(), { ...common, stake: "time-weighted" });
    const atSnapshot = await readChainData(chain(), { ...common, stake: "at-snapshot" });
    expect(atSnapshot.accounts.get(ALICE.toLowerCase())!.ethPower).to.equal(100n * ETH);
    expect(weighted.accounts.get(ALICE.toLowerCase())!.ethPower).to.equal((100n * ETH * 3600n) / BigInt(7 * DAY_S));
  });

  it("refuses a --staking address without contract code (every stake would read 0)", async () => {
    const chain = fakeChain({ blockNumber: 5, code: () => "0x" });
    const e = await rejects(readChainData(chain, { accounts: [ALICE], snapshotBlock: 5, staking: STAKING, balances: false }));
    expect(e).to.be.instanceOf(ChainError);
    expect(e.message).to.contain(`--staking ${STAKING} has no contract code on chain 31337 at block 5`);
  });
});

describe("Multicall3 balance batches", () => {
  const accounts = Array.from({ length: 2500 }, (_, i) => addr(i + 1));
  const balances = Object.fromEntries(accounts.map((a, i) => [a, BigInt(i) * 10n ** 15n + 7n]));

  it("hand encoding equals ethers' ABI coder, and decoding reads ethers' encoding", () => {
    const mc = new Interface([
      "function aggregate3((address target,bool allowFailure,bytes callData)[] calls) returns ((bool success,bytes returnData)[])",
      "function getEthBalance(address) view returns (uint256)",
    ]);
    const some = accounts.slice(0, 7);
    const want = mc.encodeFunctionData("aggregate3", [some.map((a) => ({ target: MULTICALL3_ADDRESS, allowFailure: false, callData: mc.encodeFunctionData("getEthBalance", [a]) }))]);
    expect(encodeBalanceBatch(some)).to.equal(want);
    const values = some.map((_, i) => BigInt(i) * 10n ** 30n + 1n);
    const answer = mc.encodeFunctionResult("aggregate3", [values.map((v) => ({ success: true, returnData: "0x" + v.toString(16).padStart(64, "0") }))]);
    expect(decodeBalanceBatch(answer, 7)).to.deep.equal(values);
    expect(() => decodeBalanceBatch(answer, 8)).to.throw(/7 results for 8 calls/);
  });

  it("reads every balance in order, batchSize per call, at the snapshot block", async () => {
    const chain = fakeChain({ blockNumber: 9, balances });
    const got = await readEthBalances(chain, accounts, 9, 31337n, { batchSize: 1000 });
    expect(got).to.deep.equal(accounts.map((a) => balances[a]));
    expect(chain.calls.filter((c) => c.startsWith("call 0x82ad56cb"))).to.deep.equal(["call 0x82ad56cb @9", "call 0x82ad56cb @9", "call 0x82ad56cb @9"]);
    expect(chain.calls.some((c) => c.startsWith("getBalance"))).to.equal(false);
  });

  it("spaces calls to the rate setting", async () => {
    const chain = fakeChain({ blockNumber: 9, balances });
    const started = Date.now();
    await readEthBalances(chain, accounts.slice(0, 500), 9, 31337n, { batchSize: 100, ratePerSecond: 20 });
    // 5 calls at 20 per second: the 5th starts at least 4 × 50 ms after the first.
    expect(Date.now() - started).to.be.at.least(195);
  });

  it("names the missing contract and the fix: local chain vs remote chain", async () => {
    const none = { code: () => "0x", blockNumber: 3 };
    const local = await rejects(readEthBalances(fakeChain(none), accounts.slice(0, 2), 3, 31337n));
    expect(local.message).to.contain(`Multicall3 has no code at ${MULTICALL3_ADDRESS} on chain 31337 at block 3`);
    expect(local.message).to.contain("npx hardhat multicall:install --network localhost");
    const remote = await rejects(readEthBalances(fakeChain({ ...none, chainId: 8453n }), accounts.slice(0, 2), 3, 8453n));
    expect(remote.message).to.contain("on chain 8453");
    expect(remote.message).to.not.contain("hardhat multicall:install");
  });
});

describe("EIP-55 checks through the WASM hasher", () => {
  it("accept and reject exactly what ethers.getAddress does (property)", async () => {
    const { addressHasherReady, checkAddress } = await import("../src/address");
    const { getAddress } = await import("ethers");
    await addressHasherReady;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.integer({ min: 0, max: 3 }), fc.nat(39), (bytes, mode, flip) => {
        const lower = Buffer.from(bytes).toString("hex");
        const good = getAddress(`0x${lower}`);
        const candidates = [`0x${lower}`, `0x${lower.toUpperCase()}`, good];
        // A mixed-case address with one letter's case flipped: a typo.
        const letters = [...good.slice(2)].map((c, i) => (/[a-fA-F]/.test(c) ? i : -1)).filter((i) => i >= 0);
        if (letters.length > 1) {
          const i = letters[flip % letters.length] + 2;
          const c = good[i];
          candidates.push(good.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + good.slice(i + 1));
        }
        const text = candidates[mode % candidates.length];
        let want: string | undefined;
        try {
          want = getAddress(text);
        } catch {
          want = undefined;
        }
        const got = checkAddress(text);
        expect(got.ok ? got.address : undefined, text).to.equal(want);
      }),
      { numRuns: 2000 },
    );
  });
});
