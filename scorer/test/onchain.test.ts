import { expect } from "chai";
import { Interface, ZeroAddress } from "ethers";
import { POWER_STAKING_ABI, powerAt, readChainData } from "../src/onchain";
import { ETH, fakeChain } from "./helpers";

const iface = new Interface(POWER_STAKING_ABI);
const WEEK = 604_800n;
const ALICE = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const BOB = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const STRANGER = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const STAKING = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

function stakeLog(blockNumber: number, index: number, account: string, asset: string, staked: bigint, pdAmount = 0n, pdWithdrawn = 0n, pdStart = 0n) {
  const { topics, data } = iface.encodeEventLog("StakeUpdated", [account, asset, staked, pdAmount, pdWithdrawn, pdStart]);
  return { blockNumber, index, topics, data };
}

describe("on-chain inputs (fake provider)", () => {
  it("powerAt: power-down unlocks in equal instalments", () => {
    // 4 ETH staked, power-down of 4 ETH started at t=1000, 4 weekly instalments.
    const s = { staked: 4n * ETH, powerDownAmount: 4n * ETH, powerDownWithdrawn: 0n, powerDownStart: 1000n };
    expect(powerAt(s, 999n, 4n, WEEK)).to.equal(4n * ETH);
    expect(powerAt(s, 1000n + WEEK - 1n, 4n, WEEK)).to.equal(4n * ETH);
    expect(powerAt(s, 1000n + WEEK, 4n, WEEK)).to.equal(3n * ETH);
    expect(powerAt(s, 1000n + 10n * WEEK, 4n, WEEK)).to.equal(0n);
    // Withdrawn instalments left `staked` already: 1 ETH withdrawn after week 1 → staked 3, withdrawn 1.
    const w = { ...s, staked: 3n * ETH, powerDownWithdrawn: ETH };
    expect(powerAt(w, 1000n + WEEK, 4n, WEEK)).to.equal(3n * ETH);
    expect(powerAt(w, 1000n + 2n * WEEK, 4n, WEEK)).to.equal(2n * ETH);
  });

  it("rebuilds stakes at the snapshot from the latest StakeUpdated per account and asset", async () => {
    const T = 1_736_726_400;
    const chain = fakeChain({
      blockNumber: 50,
      timestamp: T,
      balances: { [ALICE]: 5n * ETH, [BOB]: 0n },
      logs: [
        stakeLog(3, 0, ALICE, ZeroAddress, 1n * ETH),
        stakeLog(7, 2, ALICE, ZeroAddress, 3n * ETH),
        stakeLog(7, 1, ALICE, ZeroAddress, 2n * ETH), // earlier in the same block: superseded
        stakeLog(9, 0, BOB, ZeroAddress, 8n * ETH, 8n * ETH, 0n, BigInt(T) - 2n * WEEK), // half unlocked
        stakeLog(9, 1, BOB, TOKEN, 100n * ETH),
        stakeLog(12, 0, STRANGER, ZeroAddress, 50n * ETH), // not a participant
        stakeLog(60, 0, ALICE, ZeroAddress, 99n * ETH), // after the snapshot
      ],
    });
    const data = await readChainData(chain, { accounts: [ALICE, BOB], snapshotBlock: 40, staking: STAKING, powerAsset: TOKEN, balances: true, logChunk: 10 });
    expect(data.snapshotBlock).to.equal(40);
    expect(data.snapshotTimestamp).to.equal(T);
    expect(data.chainId).to.equal("31337");
    expect(data.accounts.get(ALICE.toLowerCase())).to.deep.equal({ balance: 5n * ETH, ethPower: 3n * ETH, assetPower: 0n });
    expect(data.accounts.get(BOB.toLowerCase())).to.deep.equal({ balance: 0n, ethPower: 4n * ETH, assetPower: 100n * ETH });
    expect(data.accounts.has(STRANGER.toLowerCase())).to.equal(false);
    // Logs in chunks of 10 blocks up to the snapshot; views and balances read at the snapshot block.
    expect(chain.calls.filter((c) => c.startsWith("getLogs"))).to.deep.equal(["getLogs 0..9", "getLogs 10..19", "getLogs 20..29", "getLogs 30..39", "getLogs 40..40"]);
    expect(chain.calls.filter((c) => c.startsWith("call")).every((c) => c.endsWith("@40"))).to.equal(true);
    // Balances: one Multicall3 aggregate3 call at the snapshot, no eth_getBalance per account.
    expect(chain.calls).to.include("call 0x82ad56cb @40");
    expect(chain.calls.some((c) => c.startsWith("getBalance"))).to.equal(false);
  });

  it('resolves "latest" and skips balances when the tier table has one tier', async () => {
    const chain = fakeChain({ blockNumber: 77 });
    const data = await readChainData(chain, { accounts: [ALICE], snapshotBlock: "latest", staking: null, balances: false });
    expect(data.snapshotBlock).to.equal(77);
    expect(data.accounts.size).to.equal(0);
    expect(chain.calls.some((c) => c.startsWith("getBalance") || c.startsWith("getLogs"))).to.equal(false);
  });

  it("fails clearly when the snapshot block is ahead of the chain", async () => {
    const chain = fakeChain({ blockNumber: 5 });
    let e: unknown;
    try {
      await readChainData(chain, { accounts: [ALICE], snapshotBlock: 9, staking: null, balances: true });
    } catch (x) {
      e = x;
    }
    expect((e as Error).message).to.contain("block 9 does not exist");
  });
});
