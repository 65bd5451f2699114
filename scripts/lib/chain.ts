/**
 * Local-chain helpers for the demo and the tests: time travel (works on the in-process network and on
 * `npx hardhat node`), the latest timestamp, gas paid by a receipt.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { TransactionReceipt } from "ethers";

/** Moves the chain's clock forward by `seconds` (nothing if ≤ 0) and mines a block. */
export async function increaseTime(hre: HardhatRuntimeEnvironment, seconds: bigint | number): Promise<void> {
  if (Number(seconds) > 0) await hre.network.provider.send("evm_increaseTime", [Number(seconds)]);
  await hre.network.provider.send("evm_mine", []);
}

/** Moves the chain's clock to just past `timestamp` (nothing if already past) and mines a block. */
export async function advancePast(hre: HardhatRuntimeEnvironment, timestamp: bigint): Promise<void> {
  await increaseTime(hre, timestamp - (await latestTime(hre)) + 1n);
}

/** The latest block's timestamp. */
export async function latestTime(hre: HardhatRuntimeEnvironment): Promise<bigint> {
  return BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
}

/** Wei a receipt cost its sender. */
export function gasCost(receipt: TransactionReceipt): bigint {
  return receipt.gasUsed * (receipt.gasPrice ?? 0n);
}
