/// <reference types="vite/client" />

/** Built by claim-page/vite.config.ts from Hardhat's artifacts. */
declare module "virtual:l2e-abi" {
  import type { InterfaceAbi } from "ethers";
  /** ILike2EarnRewards: events, channels, batch claims. */
  export const rewardsAbi: InterfaceAbi;
  /** IPowerStaking. */
  export const stakingAbi: InterfaceAbi;
  /** Every custom error declared by a compiled contract (ours and OpenZeppelin's). */
  export const errorsAbi: InterfaceAbi;
  /** Multicall3 (contracts/vendor/Multicall3.sol), ABI-compatible with the canonical deployment. */
  export const multicallAbi: InterfaceAbi;
  /** OpenZeppelin IERC20Metadata: symbol, decimals, allowance, approve. */
  export const erc20Abi: InterfaceAbi;
}
