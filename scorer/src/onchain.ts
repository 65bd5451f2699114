/**
 * The chain edge: reads ETH balances at the snapshot block and rebuilds powered-up stakes from the
 * PowerStaking contract's `StakeUpdated` events, through any ethers v6 Provider (or an object with
 * the same few methods, see {@link ChainReader}). Returns plain {@link ChainData} for the pure core.
 */
import { Interface, ZeroAddress } from "ethers";
import { checkAddress } from "./address";
import type { AccountChainData, ChainData } from "./chain-data";
import type { CampaignConfig } from "./config";
import { ChainError, ScorerError } from "./errors";

/** The subset of an ethers v6 `Provider` the scorer uses (an ethers provider satisfies it). */
export interface ChainReader {
  getNetwork(): Promise<{ readonly chainId: bigint }>;
  getBlockNumber(): Promise<number>;
  getBlock(blockTag: number): Promise<{ readonly number: number; readonly timestamp: number } | null>;
  getBalance(address: string, blockTag?: number): Promise<bigint>;
  getLogs(filter: {
    address: string;
    topics: (string | null)[];
    fromBlock: number;
    toBlock: number;
  }): Promise<readonly { readonly blockNumber: number; readonly index: number; readonly topics: readonly string[]; readonly data: string }[]>;
  call(tx: { to: string; data: string; blockTag?: number }): Promise<string>;
}

/** The PowerStaking ABI fragment the scorer reads. */
export const POWER_STAKING_ABI = [
  "event StakeUpdated(address indexed account, address indexed asset, uint256 staked, uint256 powerDownAmount, uint256 powerDownWithdrawn, uint64 powerDownStart)",
  "function instalments() view returns (uint32)",
  "function instalmentInterval() view returns (uint32)",
] as const;

const stakingInterface = new Interface(POWER_STAKING_ABI);
const STAKE_UPDATED = stakingInterface.getEvent("StakeUpdated")!;

/** One account's stake of one asset, as its latest StakeUpdated event says. */
export interface StakeState {
  readonly staked: bigint;
  readonly powerDownAmount: bigint;
  readonly powerDownWithdrawn: bigint;
  /** Unix seconds; 0 when no power-down is active. */
  readonly powerDownStart: bigint;
}

/**
 * Power at time `t` (Unix seconds):
 * `unlocked(t) = powerDownStart == 0 ? 0 : powerDownAmount · min(N, ⌊(t − powerDownStart) / interval⌋) / N`,
 * `power = staked − (unlocked(t) − powerDownWithdrawn)`, floored at 0 either side.
 */
export function powerAt(s: StakeState, t: bigint, instalments: bigint, interval: bigint): bigint {
  let unlocked = 0n;
  if (s.powerDownStart !== 0n && t > s.powerDownStart) {
    let steps = (t - s.powerDownStart) / interval;
    if (steps > instalments) steps = instalments;
    unlocked = (s.powerDownAmount * steps) / instalments;
  }
  const pending = unlocked > s.powerDownWithdrawn ? unlocked - s.powerDownWithdrawn : 0n;
  return s.staked > pending ? s.staked - pending : 0n;
}

export interface ReadChainOptions {
  /** Addresses of the participants. */
  readonly accounts: readonly string[];
  readonly snapshotBlock: number | "latest";
  /** PowerStaking address; null: no staking contract, all power 0. */
  readonly staking: string | null;
  /** Asset whose power model B uses; address(0) is ETH. */
  readonly powerAsset?: string;
  /** Read ETH balances (model A with more than one k_user tier). */
  readonly balances: boolean;
  /** First block to search for StakeUpdated events (default 0). */
  readonly fromBlock?: number;
  /** Blocks per eth_getLogs call (default 100,000). */
  readonly logChunk?: number;
  /** Parallel balance requests (default 16). */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>, onDone?: (n: number) => void): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Reads everything the scorer needs from the chain at the snapshot block. */
export async function readChainData(reader: ChainReader, options: ReadChainOptions): Promise<ChainData> {
  const powerAsset = options.powerAsset ?? ZeroAddress;
  const wrap = async <T>(what: string, p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      throw new ChainError(`reading ${what} from the chain failed: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`, { cause: e });
    }
  };
  const network = await wrap("the chain id", reader.getNetwork());
  const snapshotBlock = options.snapshotBlock === "latest" ? await wrap("the latest block number", reader.getBlockNumber()) : options.snapshotBlock;
  const block = await wrap(`block ${snapshotBlock}`, reader.getBlock(snapshotBlock));
  if (!block) throw new ChainError(`block ${snapshotBlock} does not exist on chain ${network.chainId} (snapshotBlock in the config is ahead of the chain?)`);
  const t = BigInt(block.timestamp);

  const acc = new Map<string, { balance: bigint; ethPower: bigint; assetPower: bigint }>();
  for (const a of options.accounts) acc.set(a.toLowerCase(), { balance: 0n, ethPower: 0n, assetPower: 0n });
  const total = (options.balances ? options.accounts.length : 0) + 1;

  if (options.staking !== null) {
    const staking = checkAddress(options.staking);
    if (!staking.ok) throw new ChainError(`--staking: ${staking.problem}`);
    const chunk = options.logChunk ?? 100_000;
    const latest = new Map<string, { at: [number, number]; s: StakeState }>();
    for (let from = options.fromBlock ?? 0; from <= snapshotBlock; from += chunk) {
      const to = Math.min(snapshotBlock, from + chunk - 1);
      const logs = await wrap(
        `StakeUpdated events in blocks ${from}..${to}`,
        reader.getLogs({ address: staking.address, topics: [STAKE_UPDATED.topicHash], fromBlock: from, toBlock: to }),
      );
      for (const log of logs) {
        if (log.blockNumber > snapshotBlock) continue;
        const parsed = stakingInterface.parseLog({ topics: [...log.topics], data: log.data });
        if (!parsed || parsed.name !== "StakeUpdated") continue;
        const account = String(parsed.args.account).toLowerCase();
        if (!acc.has(account)) continue;
        const asset = String(parsed.args.asset).toLowerCase();
        const key = `${account}:${asset}`;
        const at: [number, number] = [log.blockNumber, log.index];
        const prev = latest.get(key);
        if (prev && (prev.at[0] > at[0] || (prev.at[0] === at[0] && prev.at[1] > at[1]))) continue;
        latest.set(key, {
          at,
          s: {
            staked: parsed.args.staked as bigint,
            powerDownAmount: parsed.args.powerDownAmount as bigint,
            powerDownWithdrawn: parsed.args.powerDownWithdrawn as bigint,
            powerDownStart: parsed.args.powerDownStart as bigint,
          },
        });
      }
    }
    if (latest.size > 0) {
      const view = async (name: "instalments" | "instalmentInterval"): Promise<bigint> => {
        const data = stakingInterface.encodeFunctionData(name, []);
        const raw = await wrap(`PowerStaking.${name}() at block ${snapshotBlock}`, reader.call({ to: staking.address, data, blockTag: snapshotBlock }));
        return stakingInterface.decodeFunctionResult(name, raw)[0] as bigint;
      };
      const instalments = await view("instalments");
      const interval = await view("instalmentInterval");
      if (instalments === 0n || interval === 0n) throw new ChainError(`PowerStaking at ${staking.address} reports ${instalments} instalments every ${interval} s`);
      const eth = ZeroAddress.toLowerCase();
      const asset = powerAsset.toLowerCase();
      for (const [key, { s }] of latest) {
        const [account, a] = key.split(":");
        const power = powerAt(s, t, instalments, interval);
        const v = acc.get(account)!;
        if (a === eth) v.ethPower = power;
        if (a === asset) v.assetPower = power;
      }
    }
  }
  options.onProgress?.(1, total);

  if (options.balances) {
    await mapLimit(
      options.accounts,
      options.concurrency ?? 16,
      async (a) => {
        acc.get(a.toLowerCase())!.balance = await wrap(`the balance of ${a} at block ${snapshotBlock}`, reader.getBalance(a, snapshotBlock));
      },
      (n) => options.onProgress?.(1 + n, total),
    );
  }
  const accounts = new Map<string, AccountChainData>();
  for (const [a, v] of acc) if (v.balance !== 0n || v.ethPower !== 0n || v.assetPower !== 0n) accounts.set(a, v);
  return {
    chainId: network.chainId.toString(),
    snapshotBlock,
    snapshotTimestamp: block.timestamp,
    staking: options.staking === null ? null : (checkAddress(options.staking) as { address: string }).address,
    powerAsset: (checkAddress(powerAsset) as { address: string }).address,
    accounts,
  };
}

/**
 * Reads what `config` needs: stakes (model B's power, or model A's ETH power when a staking contract is given) and
 * ETH balances only when model A's k_user table has more than one tier.
 */
export async function chainDataFor(
  config: CampaignConfig,
  accounts: readonly string[],
  reader: ChainReader,
  staking: string | null,
  onProgress?: (done: number, total: number) => void,
): Promise<ChainData> {
  if (config.model === "social-ai" && staking === null) {
    throw new ScorerError("model social-ai needs the PowerStaking contract: pass --staking ADDRESS", {
      details: ["Model B's power is the powered-up stake, read from the contract's StakeUpdated events."],
    });
  }
  return readChainData(reader, {
    accounts,
    snapshotBlock: config.snapshotBlock,
    staking,
    powerAsset: config.model === "social-ai" ? config.socialAi.powerAsset : undefined,
    balances: config.model === "like2earn" && config.like2earn.kUser.tiers.length > 1,
    onProgress,
  });
}
