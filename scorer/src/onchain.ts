/**
 * The chain edge: finds the snapshot block (by default the last block at or before the period end),
 * reads ETH balances at it (in batches through Multicall3) and rebuilds powered-up stakes from the
 * PowerStaking contract's `StakeUpdated` events — at the snapshot, or averaged over the period
 * (time-weighted, the default) — through any ethers v6 Provider (or an object with the same few
 * methods, see {@link ChainReader}). Returns plain {@link ChainData} for the pure core.
 */
import { Interface, ZeroAddress } from "ethers";
import { checkAddress } from "./address";
import type { AccountChainData, ChainData } from "./chain-data";
import type { CampaignConfig } from "./config";
import { ChainError, ScorerError } from "./errors";
import { readEthBalances, rpcProblem, type BalanceBatchOptions } from "./multicall";

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
  getCode(address: string, blockTag?: number): Promise<string>;
  /** Optional raw `eth_call` for large Multicall3 batches (see MulticallReader.rawCall). */
  rawCall?(tx: { to: string; data: string; blockTag: number }): Promise<string>;
  /** Optional `eth_call` with a code override at `tx.to` (see MulticallReader.callWithCode). */
  callWithCode?(tx: { to: string; data: string; blockTag: number }, code: string): Promise<string>;
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

/** How stake becomes power: averaged over the period, or read at the snapshot block. */
export type StakeMode = "time-weighted" | "at-snapshot";

export interface ReadChainOptions {
  /** Addresses of the participants. */
  readonly accounts: readonly string[];
  /** A block, the chain's latest, or the last block at or before `period.end` ("period-end"). */
  readonly snapshotBlock: number | "latest" | "period-end";
  /** The campaign period, ms since the Unix epoch: needed for "period-end" and time-weighted stakes. */
  readonly period?: { readonly start: number; readonly end: number };
  /** Default "at-snapshot" here (the config's default, time-weighted, is passed by run.ts). */
  readonly stake?: StakeMode;
  /** PowerStaking address; null: no staking contract, all power 0. */
  readonly staking: string | null;
  /** Asset whose power model B uses; address(0) is ETH. */
  readonly powerAsset?: string;
  /** Read ETH balances (model A with more than one k_user tier). */
  readonly balances: boolean;
  /** Batching of the balance reads (reader, batch size, rate). */
  readonly balanceBatch?: Omit<BalanceBatchOptions, "onProgress">;
  /** First block to search for StakeUpdated events (default 0). */
  readonly fromBlock?: number;
  /** Blocks per eth_getLogs call (default 100,000). */
  readonly logChunk?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

type Wrap = <T>(what: string, p: Promise<T>) => Promise<T>;

/**
 * The last block whose timestamp is at or before `endMs` (binary search over block numbers; block
 * timestamps never decrease). Fails when the whole chain is after it, or when the chain has not reached
 * it yet (a snapshot taken now would not be final).
 */
export async function blockAtOrBefore(reader: ChainReader, endMs: number, wrap: Wrap = (_w, p) => p): Promise<{ number: number; timestamp: number }> {
  const endS = Math.floor(endMs / 1000);
  const latestNumber = await wrap("the latest block number", reader.getBlockNumber());
  const block = async (n: number) => {
    const b = await wrap(`block ${n}`, reader.getBlock(n));
    if (!b) throw new ChainError(`block ${n} is missing from the chain`);
    return b;
  };
  const latest = await block(latestNumber);
  const at = new Date(endMs).toISOString();
  if (latest.timestamp <= endS) {
    throw new ChainError(`the period ends ${at}, after the chain's latest block ${latestNumber} (${new Date(latest.timestamp * 1000).toISOString()}): the snapshot would not be final`, {
      details: ["Score after the period has ended, or choose the block with --snapshot-block N (or latest)."],
    });
  }
  let lo = 0;
  let loBlock = await block(0);
  if (loBlock.timestamp > endS) {
    throw new ChainError(`the period ends ${at}, before this chain's first block (${new Date(loBlock.timestamp * 1000).toISOString()}): no block is at or before it`, {
      details: ["Check the period in the config (or the chain), or choose the block with --snapshot-block N."],
    });
  }
  let hi = latestNumber; // invariant: block lo is ≤ end, block hi is > end
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const b = await block(mid);
    if (b.timestamp <= endS) {
      lo = mid;
      loBlock = b;
    } else hi = mid;
  }
  return { number: lo, timestamp: loBlock.timestamp };
}

/** One StakeUpdated event of an (account, asset): its state from its block's timestamp on. */
interface StakeChange {
  readonly block: number;
  readonly index: number;
  readonly s: StakeState;
}

/**
 * The average of `powerAt(state(t), t)` over `[startMs, endMs)`, floored once: `state(t)` is the last
 * change whose block timestamp is ≤ t (none: 0). Power is constant between the changes and the
 * power-down instalment boundaries, so the integral is an exact sum of (power × duration) pieces.
 * `changes` are in chain order with their blocks' timestamps (seconds).
 */
export function timeWeightedPower(
  changes: readonly { readonly timestamp: number; readonly s: StakeState }[],
  startMs: number,
  endMs: number,
  instalments: bigint,
  interval: bigint,
): bigint {
  if (endMs <= startMs) return 0n;
  const start = BigInt(startMs);
  const end = BigInt(endMs);
  const intervalMs = interval * 1000n;
  let integral = 0n; // wei · ms
  for (let k = 0; k < changes.length; k++) {
    const from = BigInt(changes[k].timestamp) * 1000n;
    const to = k + 1 < changes.length ? BigInt(changes[k + 1].timestamp) * 1000n : end;
    let a = from > start ? from : start;
    const b = to < end ? to : end;
    if (a >= b) continue;
    const s = changes[k].s;
    // Pieces of constant power: cut at each instalment boundary powerDownStart + j·interval inside (a, b).
    while (a < b) {
      let cut = b;
      if (s.powerDownStart !== 0n) {
        const pdStart = s.powerDownStart * 1000n;
        if (a < pdStart + instalments * intervalMs) {
          const j = a < pdStart ? 1n : (a - pdStart) / intervalMs + 1n;
          const boundary = pdStart + j * intervalMs;
          if (boundary < cut) cut = boundary;
        }
      }
      // powerAt takes whole seconds; every t in [a, cut) has the same ⌊(t − start) / interval⌋.
      integral += powerAt(s, a / 1000n, instalments, interval) * (cut - a);
      a = cut;
    }
  }
  return integral / (end - start);
}

/** Reads everything the scorer needs from the chain at the snapshot block. */
export async function readChainData(reader: ChainReader, options: ReadChainOptions): Promise<ChainData> {
  const powerAsset = options.powerAsset ?? ZeroAddress;
  const wrap: Wrap = async <T>(what: string, p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      throw new ChainError(`reading ${what} from the chain failed: ${rpcProblem(e)}`, { cause: e });
    }
  };
  const stakeMode = options.stake ?? "at-snapshot";
  const network = await wrap("the chain id", reader.getNetwork());
  let snapshotBlock: number;
  if (options.snapshotBlock === "period-end") {
    if (!options.period) throw new ChainError("a snapshot at the period end needs the period");
    snapshotBlock = (await blockAtOrBefore(reader, options.period.end, wrap)).number;
  } else {
    snapshotBlock = options.snapshotBlock === "latest" ? await wrap("the latest block number", reader.getBlockNumber()) : options.snapshotBlock;
  }
  const block = await wrap(`block ${snapshotBlock}`, reader.getBlock(snapshotBlock));
  if (!block) throw new ChainError(`block ${snapshotBlock} does not exist on chain ${network.chainId} (snapshotBlock in the config is ahead of the chain?)`);
  const t = BigInt(block.timestamp);
  if (stakeMode === "time-weighted" && !options.period) throw new ChainError("time-weighted stakes need the period");

  const acc = new Map<string, { balance: bigint; ethPower: bigint; assetPower: bigint }>();
  for (const a of options.accounts) acc.set(a.toLowerCase(), { balance: 0n, ethPower: 0n, assetPower: 0n });
  const total = (options.balances ? options.accounts.length : 0) + 1;

  if (options.staking !== null) {
    const staking = checkAddress(options.staking);
    if (!staking.ok) throw new ChainError(`--staking: ${staking.problem}`);
    const code = await wrap(`the code at ${staking.address}`, reader.getCode(staking.address, snapshotBlock));
    if (code === "0x" || code === "") {
      throw new ChainError(`--staking ${staking.address} has no contract code on chain ${network.chainId} at block ${snapshotBlock}: every stake would read 0`, {
        details: ["Give the PowerStaking address of this deployment (the default takes it from the deployment record)."],
      });
    }
    // PowerStaking's own views: a contract without them is not PowerStaking (every stake would read 0).
    const view = async (name: "instalments" | "instalmentInterval"): Promise<bigint> => {
      const data = stakingInterface.encodeFunctionData(name, []);
      let raw: string;
      try {
        raw = await reader.call({ to: staking.address, data, blockTag: snapshotBlock });
        return stakingInterface.decodeFunctionResult(name, raw)[0] as bigint;
      } catch (e) {
        throw new ChainError(`--staking ${staking.address} is not a PowerStaking contract on chain ${network.chainId}: ${name}() failed (${rpcProblem(e)})`, {
          details: ["Give the PowerStaking address of this deployment (the default takes it from the deployment record)."],
          cause: e,
        });
      }
    };
    const instalments = await view("instalments");
    const interval = await view("instalmentInterval");
    if (instalments === 0n || interval === 0n) throw new ChainError(`PowerStaking at ${staking.address} reports ${instalments} instalments every ${interval} s`);
    const chunk = options.logChunk ?? 100_000;
    const history = new Map<string, StakeChange[]>();
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
        let list = history.get(key);
        if (!list) history.set(key, (list = []));
        list.push({
          block: log.blockNumber,
          index: log.index,
          s: {
            staked: parsed.args.staked as bigint,
            powerDownAmount: parsed.args.powerDownAmount as bigint,
            powerDownWithdrawn: parsed.args.powerDownWithdrawn as bigint,
            powerDownStart: parsed.args.powerDownStart as bigint,
          },
        });
      }
    }
    if (history.size > 0) {
      for (const list of history.values()) list.sort((x, y) => x.block - y.block || x.index - y.index);
      // Time-weighted: each change takes effect at its block's timestamp.
      const timestamps = new Map<number, number>();
      if (stakeMode === "time-weighted") {
        const blocks = [...new Set([...history.values()].flatMap((l) => l.map((c) => c.block)))];
        await mapLimit(blocks, 16, async (n) => {
          const b = await wrap(`block ${n}`, reader.getBlock(n));
          if (!b) throw new ChainError(`block ${n} of a StakeUpdated event is missing`);
          timestamps.set(n, b.timestamp);
        });
      }
      const eth = ZeroAddress.toLowerCase();
      const asset = powerAsset.toLowerCase();
      for (const [key, list] of history) {
        const [account, a] = key.split(":");
        const power =
          stakeMode === "time-weighted"
            ? timeWeightedPower(
                list.map((c) => ({ timestamp: timestamps.get(c.block)!, s: c.s })),
                options.period!.start,
                options.period!.end,
                instalments,
                interval,
              )
            : powerAt(list[list.length - 1].s, t, instalments, interval);
        const v = acc.get(account)!;
        if (a === eth) v.ethPower = power;
        if (a === asset) v.assetPower = power;
      }
    }
  }
  options.onProgress?.(1, total);

  if (options.balances) {
    const balances = await readEthBalances(reader, options.accounts, snapshotBlock, network.chainId, {
      ...options.balanceBatch,
      onProgress: (n) => options.onProgress?.(1 + n, total),
    });
    options.accounts.forEach((a, i) => (acc.get(a.toLowerCase())!.balance = balances[i]));
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
  balanceBatch?: ReadChainOptions["balanceBatch"],
): Promise<ChainData> {
  if (config.model === "social-ai" && staking === null) {
    throw new ScorerError("model social-ai needs the PowerStaking contract: pass --staking ADDRESS", {
      details: ["Model B's power is the powered-up stake, read from the contract's StakeUpdated events."],
    });
  }
  return readChainData(reader, {
    accounts,
    snapshotBlock: config.snapshotBlock,
    period: config.period,
    stake: config.stake,
    staking,
    balanceBatch,
    powerAsset: config.model === "social-ai" ? config.socialAi.powerAsset : undefined,
    balances: config.model === "like2earn" && config.like2earn.kUser.tiers.length > 1,
    onProgress,
  });
}
