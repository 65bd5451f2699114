/**
 * Proof shards: `proofs/XX.json` beside tree.json, XX = the account's first byte as two lowercase hex digits
 * (`proofs/4f.json` holds every 0x4F… account). A shard is one JSON object
 * `{ "<checksummed account>": { "value": [...stored leaf value], "proof": ["0x<32 bytes>", ...] }, ... }`,
 * entries in tree order; the scorer writes all 256 shards (`{}` when empty), other publishers may leave empty
 * ones out (a missing shard means "no leaf for these accounts").
 *
 * The one place that knows the naming and the layout: the scorer's proof writer (which writes the same bytes
 * as {@link serializeShard}, faster), the scripts' `claim`, the claim page and the tests read shards here.
 * Browser-safe: no Node imports.
 */
import { getAddress, isAddress, isHexString } from "ethers";
import { ScorerError } from "../errors";
import { leafFromValue, type CampaignKind, type Leaf } from "./leaves";

/** The shards' folder inside a campaign output folder. */
export const PROOFS_DIR = "proofs";

/** One account's entry: the stored leaf value (decimal strings, the account) and its proof, leaf to root. */
export interface ProofEntry {
  readonly value: string[];
  readonly proof: string[];
}

/** A shard: checksummed account → entry. */
export type ProofShard = Record<string, ProofEntry>;

/** A shard, or an entry in it, that is not what the scorer writes. */
export class ProofShardError extends ScorerError {
  override name = "ProofShardError";
}

/** The shard number (0–255) of an account: its first byte. */
export function shardOf(account: string): number {
  if (typeof account !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(account)) {
    throw new ProofShardError(`not an address: ${JSON.stringify(account)}`);
  }
  return parseInt(account.slice(2, 4), 16);
}

/** File name of shard `shard` (0–255): `"4f.json"`. */
export function shardFileName(shard: number): string {
  return `${shard.toString(16).padStart(2, "0")}.json`;
}

/** The shard file name of an account: `"4f.json"` for 0x4F…. */
export function shardNameOf(account: string): string {
  return shardFileName(shardOf(account));
}

/** Path of an account's shard relative to the campaign folder (or a proofs base URL): `"proofs/4f.json"`. */
export function shardPathOf(account: string): string {
  return `${PROOFS_DIR}/${shardNameOf(account)}`;
}

/** Checks that a parsed shard is a JSON object (entries are checked when read, see {@link readEntry}). */
export function parseShard(json: unknown, where: string): ProofShard {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new ProofShardError(`${where} is not a JSON object`);
  return json as ProofShard;
}

/** The entry of `account` in a shard (keys compared as addresses, any case), or undefined. */
export function findEntry(shard: ProofShard, account: string): { key: string; entry: ProofEntry } | undefined {
  if (!isAddress(account)) throw new ProofShardError(`not an address: ${account}`);
  const wanted = getAddress(account);
  for (const key of Object.keys(shard)) {
    if (isAddress(key) && getAddress(key) === wanted) return { key, entry: shard[key] };
  }
  return undefined;
}

/**
 * Checks an entry and reads it as a typed leaf and its proof (lowercase bytes32s). Throws
 * {@link ProofShardError} / `LeafFormatError` naming what is wrong.
 */
export function readEntry(kind: CampaignKind, entry: unknown): { leaf: Leaf; proof: string[] } {
  const e = entry as { value?: unknown; proof?: unknown } | null;
  if (!e || typeof e !== "object" || !Array.isArray(e.value) || !Array.isArray(e.proof)) {
    throw new ProofShardError("entry has no value/proof arrays");
  }
  const proof = e.proof.map((p: unknown) => {
    if (typeof p !== "string" || !isHexString(p, 32)) throw new ProofShardError(`proof element is not bytes32: ${JSON.stringify(p)}`);
    return p.toLowerCase();
  });
  return { leaf: leafFromValue(kind, e.value), proof };
}

/** The JSON text of a shard, entries in the given order: exactly the bytes the scorer's proof writer writes. */
export function serializeShard(entries: Iterable<readonly [account: string, entry: ProofEntry]>): string {
  let out = "{";
  let first = true;
  for (const [account, entry] of entries) {
    out += `${first ? "" : ","}${JSON.stringify(account)}:${JSON.stringify({ value: entry.value, proof: entry.proof })}`;
    first = false;
  }
  return out + "}";
}
