/**
 * The account's claim history, from the rewards contract's `EventClaimed` / `ChannelClaimed` logs (whoever sent the
 * transaction: the user, a stranger, or the relay). Kept in localStorage per chain, contract and account with the last
 * block scanned, so a reload shows it at once and only scans the new blocks.
 */
import { getAddress, type Interface } from "ethers";
import type { Rpc } from "./wallet";

export interface ClaimRecord {
  kind: "event" | "channel";
  campaignId: string;
  /** Token units paid (decimal string, so the record survives JSON). */
  amount: string;
  recipient: string;
  txHash: string;
  blockNumber: number;
  logIndex: number;
  /** Block timestamp (seconds). */
  timestamp: number;
}

interface Stored {
  version: 1;
  /** Last block scanned (inclusive). */
  toBlock: number;
  items: ClaimRecord[];
}

function storageKey(chainId: bigint, rewards: string, account: string): string {
  return `l2e.history.v1.${chainId}.${rewards.toLowerCase()}.${account.toLowerCase()}`;
}

export function loadStoredHistory(chainId: bigint, rewards: string, account: string): { toBlock: number; items: ClaimRecord[] } | undefined {
  try {
    const raw = localStorage.getItem(storageKey(chainId, rewards, account));
    if (!raw) return undefined;
    const s = JSON.parse(raw) as Stored;
    if (s.version !== 1 || !Array.isArray(s.items) || typeof s.toBlock !== "number") return undefined;
    return { toBlock: s.toBlock, items: s.items };
  } catch {
    return undefined;
  }
}

function store(chainId: bigint, rewards: string, account: string, toBlock: number, items: ClaimRecord[]): void {
  try {
    localStorage.setItem(storageKey(chainId, rewards, account), JSON.stringify({ version: 1, toBlock, items } satisfies Stored));
  } catch {
    /* storage full or disabled: the chain still has the logs */
  }
}

interface RawLog {
  topics: string[];
  data: string;
  transactionHash: string;
  blockNumber: string;
  logIndex: string;
}

/**
 * Scans the logs from the block after the stored one (or `fromBlock`) to the latest, merges them into the stored
 * history and returns it, newest first. A chain that went backwards (a local node restarted) resets the store.
 */
export async function syncHistory(rpc: Rpc, iface: Interface, chainId: bigint, rewards: string, account: string, fromBlock: bigint): Promise<ClaimRecord[]> {
  const latest = Number(BigInt(await rpc.request<string>("eth_blockNumber")));
  let stored = loadStoredHistory(chainId, rewards, account);
  if (stored && stored.toBlock > latest) stored = undefined;
  const start = stored ? stored.toBlock + 1 : Number(fromBlock);
  const items = stored ? [...stored.items] : [];
  if (start <= latest) {
    const eventTopic = iface.getEvent("EventClaimed")!.topicHash;
    const channelTopic = iface.getEvent("ChannelClaimed")!.topicHash;
    const accountTopic = "0x" + account.slice(2).toLowerCase().padStart(64, "0");
    const logs = await rpc.request<RawLog[]>("eth_getLogs", [
      { address: rewards, fromBlock: "0x" + start.toString(16), toBlock: "0x" + latest.toString(16), topics: [[eventTopic, channelTopic], null, accountTopic] },
    ]);
    const blockTimes = new Map<string, number>();
    for (const b of new Set(logs.map((l) => l.blockNumber))) {
      const block = await rpc.request<{ timestamp: string } | null>("eth_getBlockByNumber", [b, false]);
      blockTimes.set(b, block ? Number(BigInt(block.timestamp)) : 0);
    }
    const seen = new Set(items.map((i) => `${i.txHash}:${i.logIndex}`));
    for (const log of logs) {
      const parsed = iface.parseLog({ topics: log.topics, data: log.data });
      if (!parsed) continue;
      const rec: ClaimRecord = {
        kind: parsed.name === "EventClaimed" ? "event" : "channel",
        campaignId: String(parsed.args[0]),
        amount: String(parsed.args.amount),
        recipient: getAddress(String(parsed.args.recipient)),
        txHash: log.transactionHash,
        blockNumber: Number(BigInt(log.blockNumber)),
        logIndex: Number(BigInt(log.logIndex)),
        timestamp: blockTimes.get(log.blockNumber) ?? 0,
      };
      const id = `${rec.txHash}:${rec.logIndex}`;
      if (!seen.has(id)) {
        seen.add(id);
        items.push(rec);
      }
    }
    items.sort((a, b) => b.blockNumber - a.blockNumber || b.logIndex - a.logIndex);
    store(chainId, rewards, account, latest, items);
  }
  return items;
}
