/**
 * The scorer rebuilds every account's stake from PowerStaking's `StakeUpdated` events alone (SPEC §4).
 * Cross-check: at several snapshot blocks of a random history of power-ups, power-downs, withdrawals and
 * cancellations (ETH and the stake token), what `readChainData` derives must equal the contract's own
 * `powerOf` and the chain's balance (read through Multicall3) at that block; and the time-weighted stake
 * over a random period must equal the average rebuilt from the contract's own `stakeOf` state at every
 * block (each block's state holds until the next block; powerAt is the formula checked against powerOf).
 */
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { installMulticall3 } from "../../scorer/src/multicall";
import { powerAt, readChainData, timeWeightedPower } from "../../scorer/src/onchain";
import { accountChainData } from "../../scorer/src/chain-data";
import { DAY, ETH, ONE_ETH, deployFixture } from "../contracts/shared/fixtures";

type Step =
  | { kind: "up"; who: number; token: boolean; amount: bigint }
  | { kind: "down"; who: number; token: boolean; percent: number }
  | { kind: "withdraw"; who: number; token: boolean }
  | { kind: "cancel"; who: number; token: boolean }
  | { kind: "wait"; days: number }
  | { kind: "snapshot" };

const WHO = 4;

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("up" as const),
    who: fc.nat(WHO - 1),
    token: fc.boolean(),
    amount: fc.bigInt(1n, 5n * ONE_ETH),
  }),
  fc.record({ kind: fc.constant("down" as const), who: fc.nat(WHO - 1), token: fc.boolean(), percent: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant("withdraw" as const), who: fc.nat(WHO - 1), token: fc.boolean() }),
  fc.record({ kind: fc.constant("cancel" as const), who: fc.nat(WHO - 1), token: fc.boolean() }),
  fc.record({ kind: fc.constant("wait" as const), days: fc.integer({ min: 1, max: 12 }) }),
  fc.constant({ kind: "snapshot" as const }),
);

describe("scorer ⇄ PowerStaking: stake rebuilt from StakeUpdated equals powerOf at every snapshot", function () {
  it("holds over random histories (ETH and token stakes, power-downs across instalments)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 6, maxLength: 24 }), async (steps) => {
        const f = await loadFixture(deployFixture);
        await installMulticall3(ethers.provider);
        const firstBlock = await ethers.provider.getBlockNumber();
        const users = f.users.slice(0, WHO);
        const stakingAddress = await f.staking.getAddress();
        const tokenAddress = await f.token.getAddress();
        const snapshots: number[] = [];

        for (const step of [...steps, { kind: "snapshot" } as const]) {
          if (step.kind === "wait") {
            await time.increase(BigInt(step.days) * DAY);
            continue;
          }
          if (step.kind === "snapshot") {
            await mine(1);
            snapshots.push(await ethers.provider.getBlockNumber());
            continue;
          }
          const user = users[step.who];
          const staking = f.staking.connect(user);
          const asset = step.token ? tokenAddress : ETH;
          const [staked, pdAmount] = await f.staking.stakeOf(user.address, asset);
          if (step.kind === "up") {
            await (step.token ? staking.powerUpToken(step.amount) : staking.powerUp({ value: step.amount }));
          } else if (step.kind === "down") {
            const amount = (staked * BigInt(step.percent)) / 100n;
            if (amount > 0n) await staking.powerDown(asset, amount);
          } else if (step.kind === "withdraw") {
            if ((await f.staking.withdrawable(user.address, asset)) > 0n) await staking.withdraw(asset, user.address);
          } else if (pdAmount > 0n) {
            await staking.cancelPowerDown(asset);
          }
        }

        const accounts = users.map((u) => u.address);
        for (const snapshotBlock of snapshots) {
          for (const powerAsset of [ETH, tokenAddress]) {
            const chain = await readChainData(ethers.provider, {
              accounts,
              snapshotBlock,
              staking: stakingAddress,
              powerAsset,
              balances: true,
            });
            for (const account of accounts) {
              const data = accountChainData(chain, account);
              expect(data.ethPower).to.equal(await f.staking.powerOf(account, ETH, { blockTag: snapshotBlock }));
              expect(data.assetPower).to.equal(await f.staking.powerOf(account, powerAsset, { blockTag: snapshotBlock }));
              expect(data.balance).to.equal(await ethers.provider.getBalance(account, snapshotBlock));
            }
          }
        }
        // Time-weighted over a period from inside the history to the last snapshot.
        const lastBlock = snapshots[snapshots.length - 1];
        const timeOf = async (n: number) => (await ethers.provider.getBlock(n))!.timestamp;
        const t0 = await timeOf(firstBlock);
        const t1 = await timeOf(lastBlock);
        const period = { start: (t0 + Math.floor(((t1 - t0) * (steps.length % 5)) / 10)) * 1000, end: t1 * 1000 + 1 };
        const n = BigInt(await f.staking.instalments());
        const interval = BigInt(await f.staking.instalmentInterval());
        for (const powerAsset of [ETH, tokenAddress]) {
          const chain = await readChainData(ethers.provider, { accounts, snapshotBlock: lastBlock, period, stake: "time-weighted", staking: stakingAddress, powerAsset, balances: false });
          for (const account of accounts) {
            const states: { timestamp: number; s: { staked: bigint; powerDownAmount: bigint; powerDownWithdrawn: bigint; powerDownStart: bigint } }[] = [];
            for (let b = firstBlock; b <= lastBlock; b++) {
              const [staked, powerDownAmount, powerDownWithdrawn, powerDownStart] = await f.staking.stakeOf(account, powerAsset, { blockTag: b });
              states.push({ timestamp: await timeOf(b), s: { staked, powerDownAmount, powerDownWithdrawn, powerDownStart: BigInt(powerDownStart) } });
            }
            const want = timeWeightedPower(states, period.start, period.end, n, interval);
            expect(accountChainData(chain, account).assetPower, `${account} ${powerAsset}`).to.equal(want);
            // Sanity of the rebuilt states themselves: powerAt at each block equals powerOf there.
            const k = states.length - 1;
            expect(powerAt(states[k].s, BigInt(states[k].timestamp), n, interval)).to.equal(await f.staking.powerOf(account, powerAsset, { blockTag: lastBlock }));
          }
        }
      }),
      { numRuns: Number(process.env.STAKE_RUNS ?? 15) },
    );
  });
});
