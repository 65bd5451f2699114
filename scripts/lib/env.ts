/**
 * The bridge between a Hardhat runtime (passed in, never imported: tasks load from hardhat.config.ts)
 * and the plain functions of this folder: contract handles, the error decoder, signers.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Interface, InterfaceAbi, Signer } from "ethers";
import type { Like2EarnRewards, PowerStaking } from "../../typechain-types";
import { errorInterface, Like2EarnError } from "./errors";
import { readDeployedAddresses, deployCommand } from "./deployments";

export type Rewards = Like2EarnRewards;
export type Staking = PowerStaking;

/** Everything a script needs to talk to a deployment. */
export interface Like2Earn {
  chainId: number;
  network: string;
  rewards: Rewards;
  staking: Staking;
  /** All custom errors of the project's contracts (and OpenZeppelin's they inherit), for {@link decodeRevert}. */
  errors: Interface;
}

const ACCESS_CONTROL_ABI = [
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
];

/** Collects the error fragments of every compiled artifact of the project. */
export async function projectErrors(hre: HardhatRuntimeEnvironment): Promise<Interface> {
  const abis: InterfaceAbi[] = [ACCESS_CONTROL_ABI];
  for (const name of await hre.artifacts.getAllFullyQualifiedNames()) {
    const artifact = await hre.artifacts.readArtifact(name);
    abis.push(artifact.abi.filter((f: { type: string }) => f.type === "error"));
  }
  return errorInterface(abis);
}

async function contractName(hre: HardhatRuntimeEnvironment, concrete: string, iface: string): Promise<string> {
  return (await hre.artifacts.artifactExists(concrete)) ? concrete : iface;
}

/** Contract handles at given addresses (ABI of the concrete contract when compiled, else its interface). */
export async function attach(
  hre: HardhatRuntimeEnvironment,
  addresses: { rewards: string; staking: string },
): Promise<Like2Earn> {
  const rewardsName = await contractName(hre, "Like2EarnRewards", "ILike2EarnRewards");
  const stakingName = await contractName(hre, "PowerStaking", "IPowerStaking");
  const rewards = (await hre.ethers.getContractAt(rewardsName, addresses.rewards)) as unknown as Rewards;
  const staking = (await hre.ethers.getContractAt(stakingName, addresses.staking)) as unknown as Staking;
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  return { chainId, network: hre.network.name, rewards, staking, errors: await projectErrors(hre) };
}

/**
 * Connects to the deployment recorded for the current network's chain. Refuses the in-process
 * `hardhat` network (it starts empty at every command) and stale records (no code at the address,
 * e.g. after restarting `npx hardhat node`).
 */
export async function connect(hre: HardhatRuntimeEnvironment): Promise<Like2Earn> {
  if (hre.network.name === "hardhat") {
    throw new Like2EarnError("the in-process `hardhat` network starts empty at every command: nothing is deployed there", [
      "run `npx hardhat node` in another terminal and pass `--network localhost`, or use `--network remote`",
      `deploy first: ${deployCommand("localhost")}`,
    ]);
  }
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  const addresses = readDeployedAddresses(hre.config.paths.ignition, chainId, hre.network.name);
  for (const [what, address] of [
    ["Like2EarnRewards", addresses.rewards],
    ["PowerStaking", addresses.staking],
  ] as const) {
    if ((await hre.ethers.provider.getCode(address)) === "0x") {
      throw new Like2EarnError(`no ${what} contract at ${address} on chain ${chainId}: ${addresses.dir} is stale`, [
        "the node was probably restarted; redeploy with " + deployCommand(hre.network.name) + " --reset",
      ]);
    }
  }
  return attach(hre, addresses);
}

/**
 * A signer by `--from`: an account index of the network's accounts (`3`) or an address among them.
 * Without `from`: the first account holding `role` when given (e.g. PUBLISHER_ROLE), else account #0.
 */
export async function resolveSigner(
  hre: HardhatRuntimeEnvironment,
  from?: string,
  role?: { contract: string; role: string },
): Promise<Signer> {
  const signers = await hre.ethers.getSigners();
  if (signers.length === 0) {
    throw new Like2EarnError(`network ${hre.network.name} has no accounts`, [
      "for `remote`, set the key with `npx hardhat vars set L2E_DEPLOYER_KEY`",
    ]);
  }
  if (from !== undefined && from !== "") {
    if (/^\d+$/.test(from)) {
      const signer = signers[Number(from)];
      if (!signer) throw new Like2EarnError(`--from ${from}: network ${hre.network.name} has only ${signers.length} accounts`);
      return signer;
    }
    const signer = signers.find((s) => s.address.toLowerCase() === from.toLowerCase());
    if (!signer) throw new Like2EarnError(`--from ${from}: not an account of network ${hre.network.name}`);
    return signer;
  }
  if (role) {
    const ac = new hre.ethers.Contract(role.contract, ACCESS_CONTROL_ABI, hre.ethers.provider);
    for (const signer of signers) {
      try {
        if (await ac.hasRole(role.role, signer.address)) return signer;
      } catch {
        break; // no AccessControl on this contract: fall back to account #0
      }
    }
  }
  return signers[0];
}
