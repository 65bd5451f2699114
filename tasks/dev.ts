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
