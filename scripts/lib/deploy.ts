/**
 * Deploys the system through its Ignition module from a script (the demo, the e2e tests). On the
 * in-process `hardhat` network nothing is written; on any other network Ignition records the deployment
 * in `deploy/deployments/chain-<id>/`, exactly as `npx hardhat ignition deploy` does.
 */
import fs from "node:fs";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import Like2EarnModule from "../../deploy/modules/Like2Earn";
import { installMulticall3 } from "../../scorer/src/multicall";
import { attach, type Like2Earn } from "./env";
import { deploymentDir, readDeployedAddresses } from "./deployments";

export const LOCAL_PARAMETERS = "deploy/parameters/local.json";

/**
 * Deploys (or, on a persistent network, resumes/reuses) the Like2Earn module with an Ignition
 * parameters file. A local chain's record (chain 31337) whose contracts are gone — a restarted
 * `npx hardhat node` — is removed and the system is deployed afresh.
 */
export async function deployLike2Earn(
  hre: HardhatRuntimeEnvironment,
  parametersFile: string = LOCAL_PARAMETERS,
  log: (line: string) => void = () => undefined,
): Promise<Like2Earn & { reused: boolean }> {
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  // The scorer reads balances through Multicall3 at its standard address; a local chain lacks it, and
  // code set later is invisible at older snapshot blocks, so it goes in with the deployment.
  if (chainId === 31337n && (await installMulticall3(hre.ethers.provider))) log("installed Multicall3 at its standard address (local chain)");
  const persistent = hre.network.name !== "hardhat";
  let reused = false;
  if (persistent) {
    const dir = deploymentDir(hre.config.paths.ignition, chainId);
    if (fs.existsSync(path.join(dir, "deployed_addresses.json"))) {
      const a = readDeployedAddresses(hre.config.paths.ignition, chainId, hre.network.name);
      const alive = (await hre.ethers.provider.getCode(a.rewards)) !== "0x" && (await hre.ethers.provider.getCode(a.staking)) !== "0x";
      if (alive) {
        reused = true;
        log(`reusing the deployment recorded in ${dir}`);
      } else if (chainId === 31337n) {
        // A local node's record (git-ignored) whose contracts are gone: what `ignition deploy --reset` does.
        fs.rmSync(dir, { recursive: true, force: true });
        log(`the contracts recorded in ${dir} are gone from this node (restarted?): deploying afresh`);
      }
    }
  }
  const absolute = path.resolve(hre.config.paths.root, parametersFile);
  const { rewards, staking } = await hre.ignition.deploy(Like2EarnModule, { parameters: absolute });
  const l2e = await attach(hre, { rewards: await rewards.getAddress(), staking: await staking.getAddress() });
  return { ...l2e, reused };
}
