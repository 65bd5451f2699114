/**
 * The deployment record of a chain, as Ignition writes it (`deploy/deployments/chain-<id>/deployed_addresses.json`,
 * see scripts/lib/deployments.ts): the scorer takes the PowerStaking and rewards addresses from there by default,
 * so they are never pasted, asks the rewards contract whether an output's root is posted, and reads an event's
 * funded pot when the config leaves `pot` out.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Interface, ZeroAddress } from "ethers";
import { checkAddress } from "./address";
import { ChainError } from "./errors";
import type { Manifest } from "./format/manifest";
import type { ChainReader } from "./onchain";
import type { PostedCheck } from "./output";

export const DEPLOYMENT_FUTURE_IDS = { rewards: "Like2EarnRewards#Like2EarnRewards", staking: "PowerStaking#PowerStaking" } as const;

export interface DeploymentRecord {
  readonly rewards: string;
  readonly staking: string;
  readonly file: string;
}

/** The record for `chainId` under `root` (the project folder), or undefined when there is none. */
export function readDeploymentRecord(chainId: bigint | string, root = process.cwd()): DeploymentRecord | undefined {
  const file = join(root, "deploy", "deployments", `chain-${chainId}`, "deployed_addresses.json");
  if (!existsSync(file)) return undefined;
  const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const rewards = checkAddress(json[DEPLOYMENT_FUTURE_IDS.rewards]);
  const staking = checkAddress(json[DEPLOYMENT_FUTURE_IDS.staking]);
  if (!rewards.ok || !staking.ok) return undefined;
  return { rewards: rewards.address, staking: staking.address, file };
}

const rootEvents = new Interface([
  "event EventRootPosted(uint256 indexed eventId, bytes32 root, uint256 total, uint256 recipientCount, bytes32 manifestHash, uint40 claimableAt)",
  "event ChannelRootPosted(uint256 indexed channelId, uint64 indexed epoch, bytes32 root, uint256 scoreTotal, uint256 recipientCount, bytes32 manifestHash, uint40 claimableAt)",
]);

const word = (n: bigint | number) => `0x${BigInt(n).toString(16).padStart(64, "0")}`;

/**
 * Whether `manifest.root` was ever posted for its campaign by the rewards contract at `rewards` (its
 * EventRootPosted / ChannelRootPosted logs; a later veto does not make the files less needed as evidence).
 */
export async function rootPosted(reader: ChainReader, rewards: string, manifest: Manifest, logChunk = 100_000): Promise<{ posted: boolean; block?: number }> {
  const c = manifest.campaign;
  const topics =
    c.kind === "event"
      ? [rootEvents.getEvent("EventRootPosted")!.topicHash, word(BigInt(c.id))]
      : [rootEvents.getEvent("ChannelRootPosted")!.topicHash, word(BigInt(c.id)), word(c.epoch ?? 0)];
  const latest = await reader.getBlockNumber();
  for (let from = 0; from <= latest; from += logChunk) {
    const logs = await reader.getLogs({ address: rewards, topics, fromBlock: from, toBlock: Math.min(latest, from + logChunk - 1) });
    for (const log of logs) if (log.data.slice(0, 66).toLowerCase() === manifest.root.toLowerCase()) return { posted: true, block: log.blockNumber };
  }
  return { posted: false };
}

/**
 * The CLI's posted check: the rewards contract is `--rewards` or the chain's deployment record; without
 * either it cannot tell (undefined).
 */
export function postedCheck(reader: ChainReader, rewards?: string, root?: string): PostedCheck {
  return async (manifest) => {
    const chainId = (await reader.getNetwork()).chainId;
    if (manifest.onchain.chainId !== chainId.toString()) return undefined; // scored on another chain
    const address = rewards ?? readDeploymentRecord(chainId, root)?.rewards;
    if (!address) return undefined;
    const r = await rootPosted(reader, address, manifest);
    return { posted: r.posted, where: r.posted ? `rewards ${address}, block ${r.block}` : `rewards ${address}` };
  };
}

const eventBountyInterface = new Interface([
  "function getEventBounty(uint256 eventId) view returns ((address brand, address token, uint40 start, uint40 end, uint40 claimWindow, uint40 rootDeadline, uint128 funded, uint128 total, uint128 claimed, uint64 recipientCount, bool settled, uint40 challengePeriod, uint256 claimsCloseAt))",
]);

/** What the rewards contract says an event's pot is (`getEventBounty(id).funded`), read at `blockTag`. */
export interface ChainPot {
  readonly funded: bigint;
  /** The event's on-chain end (Unix seconds): funding is open until then. */
  readonly end: number;
  readonly rewards: string;
  readonly blockTag: number;
}

/**
 * The funded pot of event `eventId` on the rewards contract at `rewards`, read at `blockTag`. Throws a
 * {@link ChainError} with the fix when there is no contract there, the event does not exist or holds nothing.
 */
export async function readEventPot(reader: ChainReader, rewards: string, eventId: bigint, blockTag: number): Promise<ChainPot> {
  const where = `rewards contract ${rewards} at block ${blockTag}`;
  if ((await reader.getCode(rewards, blockTag)) === "0x") throw new ChainError(`no contract at ${rewards} (block ${blockTag}): pass the rewards address with --rewards, or write the pot in the config ("pot": "12 ETH")`);
  let result: string;
  try {
    result = await reader.call({ to: rewards, data: eventBountyInterface.encodeFunctionData("getEventBounty", [eventId]), blockTag });
  } catch (e) {
    throw new ChainError(`cannot read event ${eventId}'s pot from the ${where}: ${(e as Error).message.split("\n")[0]}`, { cause: e });
  }
  const [bounty] = eventBountyInterface.decodeFunctionResult("getEventBounty", result);
  if (bounty.brand === ZeroAddress) throw new ChainError(`event ${eventId} does not exist on the ${where}: check campaignId, or write the pot in the config ("pot": "12 ETH")`);
  const funded = BigInt(bounty.funded);
  if (funded === 0n) throw new ChainError(`event ${eventId} has a funded pot of 0 on the ${where}: fund it, or write the pot in the config`);
  return { funded, end: Number(bounty.end), rewards, blockTag };
}
