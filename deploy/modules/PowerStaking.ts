import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * PowerStaking: lock ETH (or the configured ERC-20) as power; power-down in equal instalments.
 *
 * Parameters (module id "PowerStaking"):
 * - `stakeToken`: ERC-20 that can be staked besides ETH (default address(0): ETH only).
 * - `instalments`: number of equal power-down instalments (default 4).
 * - `instalmentInterval`: seconds between instalments (default 1 week).
 */
export default buildModule("PowerStaking", (m) => {
  const stakeToken = m.getParameter<string>("stakeToken", "0x0000000000000000000000000000000000000000");
  const instalments = m.getParameter<number>("instalments", 4);
  const instalmentInterval = m.getParameter<number>("instalmentInterval", 7 * 24 * 3600);

  const staking = m.contract("PowerStaking", [stakeToken, instalments, instalmentInterval]);
  return { staking };
});
