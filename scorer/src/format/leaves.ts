/**
 * The Merkle leaves the contracts verify — the one place that knows their fields, their order and which field
 * is the account. Everything else (the scorer's allocation and tree writer, `publish`, `claim`, the claim page,
 * the tests) builds and reads leaves through this module.
 *
 * - event leaf   `(uint256 eventId, uint256 index, address account, uint256 amount)` — `amount` in wei;
 * - channel leaf `(uint256 channelId, address account, uint256 cumulativeScore)` — the score in 18-decimal
 *   fixed point, cumulative since the channel's start (the contract pays the growth since the last claim).
 *
 * A leaf's hash is OpenZeppelin's standard leaf `keccak256(keccak256(abi.encode(encoding, value)))`. As stored
 * (tree.json, proof shards) a value is an array of decimal strings, the account a 0x address string.
 * Browser-safe: no Node imports.
 */
import { AbiCoder, getAddress, isAddress, keccak256 } from "ethers";
import { ScorerError } from "../errors";

export type CampaignKind = "event" | "channel";

export interface EventLeaf {
  readonly kind: "event";
  readonly eventId: bigint;
  /** Position of the leaf in the tree's input order; the contract's claimed-bitmap index. */
  readonly index: bigint;
  readonly account: string;
  /** Wei. */
  readonly amount: bigint;
}

export interface ChannelLeaf {
  readonly kind: "channel";
  readonly channelId: bigint;
  readonly account: string;
  /** Cumulative score, 18-decimal fixed point. */
  readonly cumulativeScore: bigint;
}

export type Leaf = EventLeaf | ChannelLeaf;

/** A leaf as the tree builder takes it: bigints (or decimal strings) and the account as a 0x string. */
export type LeafValue = readonly (string | bigint)[];

/** ABI types of an event leaf, in field order. */
export const EVENT_LEAF_ENCODING: readonly string[] = Object.freeze(["uint256", "uint256", "address", "uint256"]);
/** ABI types of a channel leaf, in field order. */
export const CHANNEL_LEAF_ENCODING: readonly string[] = Object.freeze(["uint256", "address", "uint256"]);

/** The field names, in leaf order (the names of the contracts' claim parameters). */
export const LEAF_FIELDS = Object.freeze({
  event: Object.freeze(["eventId", "index", "account", "amount"] as const),
  channel: Object.freeze(["channelId", "account", "cumulativeScore"] as const),
});

export const LEAF_ENCODING: Readonly<Record<CampaignKind, readonly string[]>> = Object.freeze({
  event: EVENT_LEAF_ENCODING,
  channel: CHANNEL_LEAF_ENCODING,
});

/** Index of the account field in a leaf: what the proof shards are keyed and sharded by. */
export const ACCOUNT_FIELD: Readonly<Record<CampaignKind, number>> = Object.freeze({
  event: LEAF_FIELDS.event.indexOf("account"),
  channel: LEAF_FIELDS.channel.indexOf("account"),
});

/** A stored leaf value that is not a leaf of its kind; names the field. */
export class LeafFormatError extends ScorerError {
  override name = "LeafFormatError";
}

/** The kind whose encoding `leafEncoding` is, or undefined. */
export function kindOfEncoding(leafEncoding: readonly string[]): CampaignKind | undefined {
  const key = JSON.stringify(leafEncoding);
  if (key === JSON.stringify(EVENT_LEAF_ENCODING)) return "event";
  if (key === JSON.stringify(CHANNEL_LEAF_ENCODING)) return "channel";
  return undefined;
}

/** The value the tree hashes, fields in leaf order. */
export function leafValue(leaf: Leaf): (string | bigint)[] {
  return leaf.kind === "event"
    ? [leaf.eventId, leaf.index, leaf.account, leaf.amount]
    : [leaf.channelId, leaf.account, leaf.cumulativeScore];
}

/** The value as tree.json and the proof shards store it: decimal strings and the account as given. */
export function storedLeafValue(leaf: Leaf): string[] {
  return leafValue(leaf).map((v) => (typeof v === "bigint" ? v.toString() : v));
}

function uint(v: unknown, field: string): bigint {
  if (typeof v === "bigint" && v >= 0n) return v;
  if ((typeof v === "string" && /^(\d+|0x[0-9a-fA-F]+)$/.test(v)) || (typeof v === "number" && Number.isSafeInteger(v) && v >= 0)) {
    return BigInt(v);
  }
  throw new LeafFormatError(`${field} is not an unsigned integer: ${JSON.stringify(typeof v === "bigint" ? v.toString() : v)}`);
}

function address(v: unknown, field: string): string {
  if (typeof v !== "string" || !isAddress(v)) throw new LeafFormatError(`${field} is not an address: ${JSON.stringify(v)}`);
  return getAddress(v);
}

/**
 * Reads a stored value (tree.json `values[i].value`, a shard entry's `value`) as a typed leaf: integers as bigint,
 * the account checksummed. Throws {@link LeafFormatError} naming the field.
 */
export function leafFromValue(kind: CampaignKind, value: unknown): Leaf {
  const fields = LEAF_FIELDS[kind];
  if (!Array.isArray(value) || value.length !== fields.length) {
    throw new LeafFormatError(`${kind} value must be [${fields.join(", ")}], got ${Array.isArray(value) ? `${value.length} fields` : JSON.stringify(value)}`);
  }
  if (kind === "event") {
    return {
      kind,
      eventId: uint(value[0], "eventId"),
      index: uint(value[1], "index"),
      account: address(value[2], "account"),
      amount: uint(value[3], "amount"),
    };
  }
  return { kind, channelId: uint(value[0], "channelId"), account: address(value[1], "account"), cumulativeScore: uint(value[2], "cumulativeScore") };
}

/** The campaign (event or channel) id of a leaf. */
export function leafCampaignId(leaf: Leaf): bigint {
  return leaf.kind === "event" ? leaf.eventId : leaf.channelId;
}

/** What the leaf adds to its campaign's total: event wei, or the channel's cumulative score. */
export function leafTotal(leaf: Leaf): bigint {
  return leaf.kind === "event" ? leaf.amount : leaf.cumulativeScore;
}

/** The account of a stored value (no checks beyond its position). */
export function leafAccount(kind: CampaignKind, value: readonly unknown[]): string {
  return String(value[ACCOUNT_FIELD[kind]]);
}

/** Event leaf values `[eventId, index, account, amount]`. */
export function eventLeaves(
  eventId: bigint,
  paid: readonly { readonly index: number; readonly address: string; readonly amount: bigint }[],
): LeafValue[] {
  return paid.map((a) => leafValue({ kind: "event", eventId, index: BigInt(a.index), account: a.address, amount: a.amount }));
}

/** Channel leaf values `[channelId, account, cumulativeScore]`. */
export function channelLeaves(channelId: bigint, scores: readonly { readonly address: string; readonly amount: bigint }[]): LeafValue[] {
  return scores.map((a) => leafValue({ kind: "channel", channelId, account: a.address, cumulativeScore: a.amount }));
}

/** OpenZeppelin's standard leaf hash `keccak256(keccak256(abi.encode(encoding, value)))`: what the contracts recompute. */
export function leafHash(leaf: Leaf): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode([...LEAF_ENCODING[leaf.kind]], leafValue(leaf))));
}
