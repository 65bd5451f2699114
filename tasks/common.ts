import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Like2EarnError } from "../scripts/lib/errors";

/**
 * Wraps a task action: a {@link Like2EarnError} (refused publication, decoded revert, bad flag) ends
 * the command with its readable message on stderr and exit code 1, without a stack trace. Anything
 * else is a bug and propagates with its stack.
 */
export function action<A>(fn: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  return async (args: A, hre: HardhatRuntimeEnvironment) => {
    try {
      await fn(args, hre);
    } catch (err) {
      if (!(err instanceof Like2EarnError)) throw err;
      console.error(`error: ${err.message}`);
      process.exitCode = 1;
    }
  };
}

/** The latest block's timestamp. */
export async function chainNow(hre: HardhatRuntimeEnvironment): Promise<bigint> {
  const block = await hre.ethers.provider.getBlock("latest");
  return BigInt(block!.timestamp);
}

export const FROM_HELP = "Account that signs: an index of the network's accounts (e.g. 3) or an address";
