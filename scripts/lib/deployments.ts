/**
 * Where the deployed addresses live: Ignition's deployment folder
 * `deploy/deployments/chain-<id>/deployed_addresses.json`, written by `hardhat ignition deploy` (and by the
 * demo on a persistent network). Scripts read addresses from there, never from pasted constants.
 */
import fs from "node:fs";
import path from "node:path";
import { Like2EarnError } from "./errors";

/** Ignition future ids of the two contracts (module id # contract name). */
export const FUTURE_IDS = {
  rewards: "Like2EarnRewards#Like2EarnRewards",
  staking: "PowerStaking#PowerStaking",
} as const;

export interface DeployedAddresses {
  chainId: number;
  rewards: string;
  staking: string;
  /** The deployment folder the addresses came from. */
  dir: string;
}

/** `deploy/deployments/chain-<id>` under the project's Ignition folder. */
export function deploymentDir(ignitionPath: string, chainId: number | bigint): string {
  return path.join(ignitionPath, "deployments", `chain-${chainId}`);
}

/** The deploy command a user should run for a network, for error messages and docs. */
export function deployCommand(network: string): string {
  const params = network === "localhost" || network === "hardhat" ? "local" : "<your>";
  return `npx hardhat ignition deploy deploy/modules/Like2Earn.ts --network ${network} --parameters deploy/parameters/${params}.json`;
}

/** Reads the addresses of a chain's deployment, or explains how to make one. */
export function readDeployedAddresses(ignitionPath: string, chainId: number | bigint, network = "<network>"): DeployedAddresses {
  const dir = deploymentDir(ignitionPath, chainId);
  const file = path.join(dir, "deployed_addresses.json");
  if (!fs.existsSync(file)) {
    throw new Like2EarnError(`no Like2Earn deployment recorded for chain ${chainId} (missing ${file})`, [
      `deploy first: ${deployCommand(network)}`,
    ]);
  }
  const addresses = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  const rewards = addresses[FUTURE_IDS.rewards];
  const staking = addresses[FUTURE_IDS.staking];
  if (!rewards || !staking) {
    throw new Like2EarnError(`${file} lacks ${!rewards ? FUTURE_IDS.rewards : FUTURE_IDS.staking}`, [
      `deploy the whole system module: ${deployCommand(network)}`,
    ]);
  }
  return { chainId: Number(chainId), rewards, staking, dir };
}
