/**
 * ETH balances read in batches on a real (in-process) Hardhat chain: the state-override reader and the
 * Multicall3 reader both return exactly `eth_getBalance` at the snapshot block, also after later blocks
 * changed the balances; a node that ignores the override is never read as zero balances.
 */
import { expect } from "chai";
import fc from "fast-check";
import { getAddress, keccak256, toBeHex } from "ethers";
import { BALANCE_READER_ADDRESS, decodePackedBalances, encodePackedAccounts, PACKED_BALANCES_CODE } from "../src/balance-override";
import { ChainError } from "../src/errors";
import { installMulticall3, readEthBalances, type MulticallReader } from "../src/multicall";
import { rejects } from "./helpers";

interface Rpc {
  request(a: { method: string; params?: unknown[] }): Promise<unknown>;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** A reader over Hardhat's in-process provider, like the CLI's HTTP connection (`connectRpc`). */
function readerOf(rpc: Rpc, options: { ignoreOverride?: boolean } = {}): MulticallReader & { methods: string[] } {
  const methods: string[] = [];
  const call = async (params: unknown[]) => {
    methods.push(params.length > 2 ? "eth_call+override" : "eth_call");
    return (await rpc.request({ method: "eth_call", params })) as string;
  };
  return {
    methods,
    call: (tx) => call([{ to: tx.to, data: tx.data }, tx.blockTag === undefined ? "latest" : hex(tx.blockTag)]),
    getCode: async (a, tag) => (await rpc.request({ method: "eth_getCode", params: [a, tag === undefined ? "latest" : hex(tag)] })) as string,
    rawCall: (tx) => call([{ to: tx.to, data: tx.data }, hex(tx.blockTag)]),
    // A node that drops the third parameter: the call reaches an address without code.
    callWithCode: (tx, code) => (options.ignoreOverride ? call([{ to: tx.to, data: tx.data }, hex(tx.blockTag)]) : call([{ to: tx.to, data: tx.data }, hex(tx.blockTag), { [tx.to]: { code } }])),
  };
}

/** `n` distinct addresses nobody uses, from a seed. */
function accountsFrom(seed: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => getAddress(`0x${keccak256(Buffer.from(`${seed}:${i}`)).slice(-40)}`));
}

describe("ETH balances at the snapshot block (Hardhat chain)", function () {
  this.timeout(120_000);
  let rpc: Rpc;
  let chainId: bigint;

  before(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const hre = require("hardhat");
    rpc = hre.network.provider as Rpc;
    chainId = BigInt((await rpc.request({ method: "eth_chainId" })) as string);
    await installMulticall3({ send: (method, params) => rpc.request({ method, params }) });
  });

  const setBalances = async (accounts: readonly string[], values: readonly bigint[]) => {
    for (let i = 0; i < accounts.length; i++) await rpc.request({ method: "hardhat_setBalance", params: [accounts[i], toBeHex(values[i])] });
  };
  const blockNumber = async () => Number((await rpc.request({ method: "eth_blockNumber" })) as string);
  const getBalances = async (accounts: readonly string[], block: number) =>
    Promise.all(accounts.map(async (a) => BigInt((await rpc.request({ method: "eth_getBalance", params: [a, hex(block)] })) as string)));

  it("both readers equal eth_getBalance at a past block, whatever the balances and batch size (property)", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: 2n ** 200n }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 17 }),
        async (values, batchSize) => {
          const accounts = accountsFrom(`property-${run++}`, values.length);
          await setBalances(accounts, values);
          await rpc.request({ method: "evm_mine" });
          const snapshot = await blockNumber();
          // Later blocks change every balance: a reader at "latest" would see these. (hardhat_setBalance edits
          // the latest block's state in place, so a block is mined first.)
          await rpc.request({ method: "evm_mine" });
          await setBalances(accounts, values.map((v) => v + 1n));
          await rpc.request({ method: "hardhat_mine", params: ["0x3"] });
          const want = await getBalances(accounts, snapshot);
          expect(want).to.deep.equal(values);
          for (const reader of ["state-override", "multicall3"] as const) {
            const got = await readEthBalances(readerOf(rpc), accounts, snapshot, chainId, { reader, batchSize });
            expect(got, reader).to.deep.equal(want);
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it("auto reads through the state override on a local chain, in batches of 4,000 by default", async () => {
    const accounts = accountsFrom("auto", 9000);
    const values = accounts.map((_, i) => (i % 7 === 0 ? 0n : BigInt(i) * 10n ** 15n + 1n));
    await Promise.all(accounts.map((a, i) => (values[i] === 0n ? undefined : rpc.request({ method: "hardhat_setBalance", params: [a, toBeHex(values[i])] }))));
    await rpc.request({ method: "evm_mine" });
    const snapshot = await blockNumber();
    await rpc.request({ method: "evm_mine" });
    await setBalances(accounts.slice(0, 50), accounts.slice(0, 50).map(() => 1n));
    await rpc.request({ method: "evm_mine" });
    const reader = readerOf(rpc);
    const progress: number[] = [];
    const got = await readEthBalances(reader, accounts, snapshot, chainId, { onProgress: (done) => progress.push(done) });
    expect(got).to.deep.equal(values);
    expect(reader.methods).to.deep.equal(["eth_call+override", "eth_call+override", "eth_call+override"]);
    // Batches run concurrently, so they may finish in any order: the progress steps are the batch sizes.
    const steps = progress.map((done, i) => done - (i === 0 ? 0 : progress[i - 1])).sort((a, b) => a - b);
    expect(steps).to.deep.equal([1000, 4000, 4000]);
    expect(progress[progress.length - 1]).to.equal(9000);
  });

  it("a node that ignores the override: auto falls back to Multicall3 (exact), state-override refuses", async () => {
    const accounts = accountsFrom("ignored", 30);
    const values = accounts.map((_, i) => BigInt(i + 1) * 3n);
    await setBalances(accounts, values);
    await rpc.request({ method: "evm_mine" });
    const snapshot = await blockNumber();
    const code = (await rpc.request({ method: "eth_getCode", params: [BALANCE_READER_ADDRESS, hex(snapshot)] })) as string;
    expect(code, "the reader's address has no code, so an ignored override answers 0x").to.equal("0x");

    const auto = readerOf(rpc, { ignoreOverride: true });
    expect(await readEthBalances(auto, accounts, snapshot, chainId, { batchSize: 8 })).to.deep.equal(values);
    expect(auto.methods[0]).to.equal("eth_call");
    expect(auto.methods.length).to.equal(1 + 4);

    const e = await rejects(readEthBalances(readerOf(rpc, { ignoreOverride: true }), accounts, snapshot, chainId, { reader: "state-override" }));
    expect(e).to.be.instanceOf(ChainError);
    expect(e.message).to.contain("ignores eth_call state overrides");
    expect(e.message).to.contain("accounts 1..30");
  });

  it("auto with neither the override nor Multicall3 names both", async () => {
    const bare: MulticallReader = {
      call: async () => "0x",
      getCode: async () => "0x",
      callWithCode: async () => "0x",
    };
    const e = await rejects(readEthBalances(bare, accountsFrom("bare", 2), 7, 31337n));
    expect(e).to.be.instanceOf(ChainError);
    expect(e.message).to.contain("Multicall3 has no code at 0xcA11bde05977b3631167028862bE2a173976CA11 on chain 31337 at block 7");
    expect(e.message).to.contain("(Multicall3 was the fallback: reading 2 balances (accounts 1..2) with a state-override eth_call at block 7 failed: the node answered the balance call with no data: it ignores eth_call state overrides)");
  });

  it("on another chain, auto reads through Multicall3 (the override only on request)", async () => {
    const accounts = accountsFrom("remote", 5);
    await setBalances(accounts, [1n, 2n, 3n, 4n, 5n]);
    await rpc.request({ method: "evm_mine" });
    const reader = readerOf(rpc);
    // The chain id passed in decides the default; the node is the same Hardhat chain.
    expect(await readEthBalances(reader, accounts, await blockNumber(), 8453n)).to.deep.equal([1n, 2n, 3n, 4n, 5n]);
    expect(reader.methods).to.deep.equal(["eth_call"]);
  });
});

describe("packed balance call data", () => {
  it("is the 20-byte addresses back to back; the answer must be one word per account", () => {
    const a = accountsFrom("enc", 3);
    expect(encodePackedAccounts(a)).to.equal(`0x${a.map((x) => x.slice(2).toLowerCase()).join("")}`);
    expect(decodePackedBalances(`0x${"00".repeat(31)}05${"ff".repeat(32)}`, 2)).to.deep.equal([5n, 2n ** 256n - 1n]);
    expect(() => decodePackedBalances("0x", 2)).to.throw(ChainError, /ignores eth_call state overrides/);
    expect(() => decodePackedBalances(`0x${"00".repeat(32)}`, 2)).to.throw(/32 bytes for 2 accounts \(want 64\)/);
    expect(() => encodePackedAccounts(["0x1234"])).to.throw(/not a 20-byte address/);
    expect(PACKED_BALANCES_CODE).to.match(/^0x[0-9a-f]+$/);
  });
});
