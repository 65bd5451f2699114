import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import Like2EarnRewardsModule from "./Like2EarnRewards";
import PowerStakingModule from "./PowerStaking";

/**
 * The whole system: the rewards contract and the staking contract. Deploy it with
 * `npx hardhat ignition deploy deploy/modules/Like2Earn.ts --network <name> --parameters deploy/parameters/<file>.json`;
 * the addresses land in `deploy/deployments/chain-<id>/deployed_addresses.json`, where every task reads them.
 */
export default buildModule("Like2Earn", (m) => {
  const { rewards } = m.useModule(Like2EarnRewardsModule);
  const { staking } = m.useModule(PowerStakingModule);
  return { rewards, staking };
});
