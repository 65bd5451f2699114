/**
 * Published proof shards (`proofs/XX.json`) and OpenZeppelin StandardMerkleTree leaf checks.
 * A shard maps checksummed addresses to `{ value, proof }`; an event value is
 * `[eventId, index, account, amount]`, a channel value `[channelId, account, cumulativeScore]`.
 */
import { AbiCoder, concat, getAddress, isAddress, isHexString, keccak256 } from "ethers";
import { shardUrl, type CampaignKind } from "./config";

export interface EventLeaf {
  kind: "event";
  eventId: bigint;
  index: bigint;
  account: string;
  amount: bigint;
  proof: string[];
}

export interface ChannelLeaf {
  kind: "channel";
  channelId: bigint;
  account: string;
  cumulativeScore: bigint;
  proof: string[];
}

export type Leaf = EventLeaf | ChannelLeaf;

export class ProofDataError extends Error {
  override name = "ProofDataError";
}

const LEAF_TYPES: Record<CampaignKind, string[]> = {
  event: ["uint256", "uint256", "address", "uint256"],
  channel: ["uint256", "address", "uint256"],
};

function uint(v: unknown, what: string): bigint {
  if ((typeof v === "string" && /^(\d+|0x[0-9a-fA-F]+)$/.test(v)) || (typeof v === "number" && Number.isSafeInteger(v) && v >= 0)) {
    return BigInt(v);
  }
  throw new ProofDataError(`${what} is not an unsigned integer: ${JSON.stringify(v)}`);
}

/** Checks one shard entry and turns it into a typed leaf. */
export function parseEntry(kind: CampaignKind, entry: unknown): Leaf {
  const e = entry as { value?: unknown; proof?: unknown } | null;
  if (!e || !Array.isArray(e.value) || !Array.isArray(e.proof)) throw new ProofDataError("entry has no value/proof arrays");
  const proof = e.proof.map((p: unknown) => {
    if (typeof p !== "string" || !isHexString(p, 32)) throw new ProofDataError(`proof element is not bytes32: ${JSON.stringify(p)}`);
    return p.toLowerCase();
  });
  const v = e.value;
  if (kind === "event") {
    if (v.length !== 4 || typeof v[2] !== "string" || !isAddress(v[2])) throw new ProofDataError("event value must be [eventId, index, account, amount]");
    return { kind, eventId: uint(v[0], "eventId"), index: uint(v[1], "index"), account: getAddress(v[2]), amount: uint(v[3], "amount"), proof };
  }
  if (v.length !== 3 || typeof v[1] !== "string" || !isAddress(v[1])) throw new ProofDataError("channel value must be [channelId, account, cumulativeScore]");
  return { kind, channelId: uint(v[0], "channelId"), account: getAddress(v[1]), cumulativeScore: uint(v[2], "cumulativeScore"), proof };
}

/** The StandardMerkleTree leaf hash: keccak256(keccak256(abi.encode(value))). */
export function leafHash(leaf: Leaf): string {
  const values = leaf.kind === "event" ? [leaf.eventId, leaf.index, leaf.account, leaf.amount] : [leaf.channelId, leaf.account, leaf.cumulativeScore];
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(LEAF_TYPES[leaf.kind], values)));
}

/** Root obtained by folding `proof` over `leaf` with sorted pairs (OpenZeppelin MerkleProof). */
export function processProof(leaf: string, proof: string[]): string {
  return proof.reduce((h, p) => (BigInt(h) < BigInt(p) ? keccak256(concat([h, p])) : keccak256(concat([p, h]))), leaf);
}

/** True when the leaf's proof leads to `root`. */
export function verifyLeaf(leaf: Leaf, root: string): boolean {
  return processProof(leafHash(leaf), leaf.proof).toLowerCase() === root.toLowerCase();
}

/** `no-shard`: the shard file is a 404; `not-in-shard`: the shard exists and does not name the account. */
export type ShardResult = { found: true; leaf: Leaf; url: string } | { found: false; url: string; reason: "no-shard" | "not-in-shard" };

/**
 * Fetches the account's shard of a campaign. A 404 (no shard) or a shard without the account means
 * "nothing for this account in this campaign". Other HTTP errors and malformed data throw.
 */
export async function fetchLeaf(kind: CampaignKind, campaignId: bigint, proofsBaseUrl: string, account: string): Promise<ShardResult> {
  const url = shardUrl(proofsBaseUrl, account);
  let res: Response;
  try {
    res = await fetch(url, { cache: "no-cache" });
  } catch (e) {
    throw new ProofDataError(`could not fetch ${url}: ${(e as Error).message}`);
  }
  if (res.status === 404) return { found: false, url, reason: "no-shard" };
  if (!res.ok) throw new ProofDataError(`could not fetch ${url}: HTTP ${res.status}`);
  let shard: unknown;
  try {
    shard = await res.json();
  } catch {
    throw new ProofDataError(`${url} is not valid JSON`);
  }
  if (typeof shard !== "object" || shard === null) throw new ProofDataError(`${url} is not a JSON object`);
  const want = getAddress(account);
  const key = Object.keys(shard).find((k) => isAddress(k) && getAddress(k) === want);
  if (key === undefined) return { found: false, url, reason: "not-in-shard" };
  let leaf: Leaf;
  try {
    leaf = parseEntry(kind, (shard as Record<string, unknown>)[key]);
  } catch (e) {
    throw new ProofDataError(`${url}, entry ${key}: ${(e as Error).message}`);
  }
  const id = leaf.kind === "event" ? leaf.eventId : leaf.channelId;
  if (id !== campaignId) throw new ProofDataError(`${url}: entry ${key} is for ${kind} ${id}, not ${campaignId}`);
  if (leaf.account !== want) throw new ProofDataError(`${url}: entry ${key} names account ${leaf.account}`);
  return { found: true, leaf, url };
}
