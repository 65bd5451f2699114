import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";
import { connect, resolveSigner, type Like2Earn } from "../scripts/lib/env";
import { ScorerError } from "../scorer/src/errors";
import { parseId } from "../scripts/lib/parse";
import type { TxOptions } from "../scripts/lib/tx";
import { hardhatNetworkProblem } from "../scripts/lib/network-errors";

/**
 * Wraps a task action: a {@link ScorerError} (refused publication, decoded revert, bad flag, bad scorer file), or a
 * network failure (node not running, node on the wrong chain: see network-errors.ts), ends the command with its
 * readable message on stderr and exit code 1, without a stack trace. Anything else is a bug and propagates with its stack.
 */
export function action<A>(fn: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  return async (args: A, hre: HardhatRuntimeEnvironment) => {
    try {
      await fn(args, hre);
    } catch (err) {
      const url = (hre.network.config as { url?: string }).url;
      const message = err instanceof ScorerError ? err.message : hardhatNetworkProblem(err, { name: hre.network.name, url });
      if (message === undefined) throw err;
      console.error(`error: ${message}`);
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

/** What a signing task works with: the deployment, the `--from` signer, and both as the helpers' {@link TxOptions}. */
export interface Signed {
  l2e: Like2Earn;
  signer: Signer;
  /** `{ signer, errors: l2e.errors }`. */
  tx: TxOptions;
}

/** As {@link action}, for a task that signs: connects to the deployment and resolves `--from` first. */
export function signedAction<A extends { from?: string }>(
  fn: (args: A, s: Signed, hre: HardhatRuntimeEnvironment) => Promise<void>,
) {
  return action<A>(async (args, hre) => {
    const l2e = await connect(hre);
    const signer = await resolveSigner(hre, args.from);
    await fn(args, { l2e, signer, tx: { signer, errors: l2e.errors } }, hre);
  });
}

/** As {@link signedAction}, for a task on one event or channel: also parses `--id`. */
export function campaignAction<A extends { id: string; from?: string } = { id: string; from?: string }>(
  fn: (id: bigint, args: A, s: Signed, hre: HardhatRuntimeEnvironment) => Promise<void>,
) {
  return signedAction<A>(async (args, s, hre) => fn(parseId("--id", args.id), args, s, hre));
}
