/**
 * Sending a transaction from the brand and user helpers: wait for the receipt and turn a revert into a
 * readable {@link Like2EarnError}.
 */
import type { ContractTransactionReceipt, ContractTransactionResponse, Interface, Signer } from "ethers";
import { explain, Like2EarnError } from "./errors";

export interface TxOptions {
  signer: Signer;
  errors?: Interface;
}

/** Sends, waits, and decodes a revert with `options.errors` or else the contract's own ABI (which lists its errors). */
export async function send(
  contract: { interface: Interface },
  what: string,
  options: TxOptions,
  fn: () => Promise<ContractTransactionResponse>,
): Promise<ContractTransactionReceipt> {
  return explain(
    what,
    async () => {
      const tx = await fn();
      const rc = await tx.wait();
      if (!rc || rc.status !== 1) throw new Like2EarnError(`transaction ${tx.hash} failed`);
      return rc;
    },
    options.errors ?? contract.interface,
  );
}
