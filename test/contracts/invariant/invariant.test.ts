/**
 * Model-based invariant test (fast-check `fc.commands` + `fc.asyncModelRun`): random sequences of the
 * rewards actions in `actions/` over events and channels paid in ETH and in an ERC-20, with real Merkle
 * trees; after every step the invariants of test/contracts/README.md (`invariants.ts`) are checked against
 * the chain and the model (`model.ts`). A failing sequence shrinks to a short one. A second property runs
 * PowerStaking (`staking.ts`).
 *
 * Runs: INVARIANT_RUNS (default 200; 30 under coverage). Replay: INVARIANT_SEED, INVARIANT_PATH and
 * INVARIANT_REPLAY_PATH as fast-check printed them. See test/contracts/README.md for the other knobs.
 */
import { expect } from "chai";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { rewardsCommand } from "./actions";
import { MAX_COMMANDS, MAX_STAKING_COMMANDS, NUM_RUNS, PATH, REPLAY_PATH, REPLAYING, SEED, SHRINK, STATS, stats } from "./config";
import { rewardsFixture } from "./fixture";
import { checkInvariants } from "./invariants";
import { initModel } from "./model";
import { initStakingModel, stakingCommand, stakingFixture } from "./staking";

const runParams = { numRuns: NUM_RUNS, seed: SEED, path: PATH, endOnFailure: !SHRINK };

/** The sequences must actually exercise these paths (guards against a vacuous pass). */
function expectExercised(keys: string[]): void {
  if (NUM_RUNS < 100 || REPLAYING) return;
  for (const key of keys) expect(stats[key] ?? 0, `no "${key}" in ${NUM_RUNS} runs`).to.be.greaterThan(0);
}

describe("Invariants (fast-check, model-based)", function () {
  this.timeout(0);

  after(function () {
    if (STATS) console.log("    invariant action stats:", JSON.stringify(stats, null, 1));
  });

  it(`hold after every step of ${NUM_RUNS} random sequences of up to ${MAX_COMMANDS} actions`, async function () {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.commands([rewardsCommand], { maxCommands: MAX_COMMANDS, size: "max", replayPath: REPLAY_PATH }), async (cmds) => {
        const setup = async () => {
          const fx = await loadFixture(rewardsFixture);
          const model = initModel(fx, BigInt(await time.latest()));
          await checkInvariants(fx, model, model.chainT);
          return { model, real: fx };
        };
        await fc.asyncModelRun(setup, cmds);
      }),
      runParams,
    );
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (STATS || NUM_RUNS >= 200) console.log(`    ${NUM_RUNS} runs in ${secs} s`);
    expectExercised([
      "event claim paid",
      "channel claim paid",
      "batch paid",
      "event refunded",
      "event unclaimed withdrawn",
      "channel withdrawn",
      "event root vetoed",
      "channel root vetoed",
      "rate change announced",
      "paused",
      "unpaused after time passed",
      "parameters changed",
      "channel epoch posted again after a veto",
      "signed event claim paid",
      "signed channel claim paid a fee",
      "relayer fee paid",
      "batch paid honest items next to hostile ones",
      "event refunded while paused",
    ]);
  });
});

describe("Invariants of PowerStaking (fast-check, model-based)", function () {
  this.timeout(0);

  after(function () {
    if (STATS) {
      const staking = Object.fromEntries(Object.entries(stats).filter(([k]) => k.startsWith("staking")));
      console.log("    staking action stats:", JSON.stringify(staking, null, 1));
    }
  });

  it(`hold after every step of ${NUM_RUNS} random sequences of power up / down / cancel / withdraw / time travel`, async function () {
    await fc.assert(
      fc.asyncProperty(fc.commands([stakingCommand], { maxCommands: MAX_STAKING_COMMANDS, size: "max", replayPath: REPLAY_PATH }), async (cmds) => {
        const setup = async () => {
          const fx = await loadFixture(stakingFixture);
          return { model: initStakingModel(BigInt(await time.latest())), real: fx };
        };
        await fc.asyncModelRun(setup, cmds);
      }),
      runParams,
    );
    expectExercised(["powerUp", "powerDown", "cancel", "withdraw"].map((k) => `staking ${k} ok`));
  });
});
