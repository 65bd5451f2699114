/**
 * Local-chain helper: move the clock of `npx hardhat node` forward (event ends, challenge periods,
 * claim windows) to try the other tasks by hand. Refuses any chain but Hardhat's (31337).
 */
import { task } from "hardhat/config";
import { increaseTime, latestTime } from "../scripts/lib/chain";
import { parseDuration } from "../scripts/lib/parse";
import { Like2EarnError } from "../scripts/lib/errors";
import { date } from "../scripts/lib/format";
import { action } from "./common";
import { installMulticall3, MULTICALL3_ADDRESS } from "../scorer/src/multicall";

task("time:advance", "Local chains only: move the chain's clock forward and mine a block")
  .addPositionalParam("duration", "How far: 3600, 90s, 15m, 2h, 7d or 1w")
  .setAction(
    action(async (a: { duration: string }, hre) => {
      const chainId = (await hre.ethers.provider.getNetwork()).chainId;
      if (chainId !== 31337n) throw new Like2EarnError(`time:advance works only on a local Hardhat chain (31337), not chain ${chainId}`);
      const seconds = parseDuration("duration", a.duration);
      await increaseTime(hre, seconds);
      console.log(`chain time is now ${date(await latestTime(hre))}`);
    }),
  );

task("multicall:install", "Local chains only: put Multicall3's code at its standard address (the scorer reads balances through it)").setAction(
  action(async (_a: Record<string, never>, hre) => {
    const installed = await installMulticall3(hre.ethers.provider);
    console.log(installed ? `installed Multicall3 at ${MULTICALL3_ADDRESS}` : `Multicall3 is already at ${MULTICALL3_ADDRESS}`);
  }),
);
