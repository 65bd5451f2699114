/**
 * Published proof shards (`proofs/XX.json`) and OpenZeppelin StandardMerkleTree leaf checks. The leaf and
 * shard formats are the scorer's (`@like2earn/format` = scorer/src/format): this file fetches and verifies.
 */
import { concat, getAddress, keccak256 } from "ethers";
import {
  findEntry,
  leafCampaignId,
  leafHash as formatLeafHash,
  readEntry,
  type ChannelLeaf as ChannelLeafValue,
  type EventLeaf as EventLeafValue,
} from "@like2earn/format";
import { shardUrl, type CampaignKind } from "./config";

export type EventLeaf = EventLeafValue & { readonly proof: string[] };
export type ChannelLeaf = ChannelLeafValue & { readonly proof: string[] };
export type Leaf = EventLeaf | ChannelLeaf;

export class ProofDataError extends Error {
  override name = "ProofDataError";
}

/** Checks one shard entry and turns it into a typed leaf with its proof. */
export function parseEntry(kind: CampaignKind, entry: unknown): Leaf {
  try {
    const { leaf, proof } = readEntry(kind, entry);
    return { ...leaf, proof } as Leaf;
  } catch (e) {
    throw new ProofDataError((e as Error).message);
  }
}

/** The StandardMerkleTree leaf hash: keccak256(keccak256(abi.encode(value))). */
export function leafHash(leaf: Leaf): string {
  return formatLeafHash(leaf);
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
  const found = findEntry(shard as Record<string, never>, want);
  if (found === undefined) return { found: false, url, reason: "not-in-shard" };
  let leaf: Leaf;
  try {
    leaf = parseEntry(kind, found.entry);
  } catch (e) {
    throw new ProofDataError(`${url}, entry ${found.key}: ${(e as Error).message}`);
  }
  const id = leafCampaignId(leaf);
  if (id !== campaignId) throw new ProofDataError(`${url}: entry ${found.key} is for ${kind} ${id}, not ${campaignId}`);
  if (leaf.account !== want) throw new ProofDataError(`${url}: entry ${found.key} names account ${leaf.account}`);
  return { found: true, leaf, url };
}
