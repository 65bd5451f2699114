/**
 * Reads a scorer output folder (`--out DIR` of `npm run scorer -- score`): manifest.json, tree.json and
 * the proofs shards `proofs/XX.json` (XX = first byte of the address, lowercase hex).
 */
import fs from "node:fs";
import path from "node:path";
import { isAddress, keccak256 } from "ethers";
import { Like2EarnError } from "./errors";
import {
  findEntry,
  kindOfEncoding,
  leafFromValue,
  loadManifest,
  parseShard,
  shardPathOf,
  type CampaignKind,
  type Leaf,
  type Manifest as ScorerManifest,
  type ProofEntry,
} from "../../scorer/src/format";

export type { CampaignKind, ProofEntry };

/** The fields of a manifest the scripts use, normalised (the file's format: scorer/src/manifest.ts). */
export interface Manifest {
  kind: CampaignKind;
  campaignId: bigint;
  model: string;
  /** Channel epoch (0 for events). */
  epoch: bigint;
  /** Lowercase 0x hex. */
  root: string;
  /** Event: token wei of all leaves. Channel: sum of cumulative scores (18-decimal fixed point). */
  total: bigint;
  recipientCount: number;
  scorerVersion: string;
  /** Chain the snapshot was read from (decimal string), when the manifest records one. */
  chainId?: string;
  snapshotBlock?: number;
  /** The manifest as written. */
  raw: ScorerManifest;
  /** keccak256 of manifest.json's bytes: the `manifestHash` posted on-chain with the root. */
  hash: string;
}

/** Reads, checks (with the scorer's own parser) and normalises `DIR/manifest.json`. */
export function readManifest(dir: string): Manifest {
  const file = path.join(dir, "manifest.json");
  if (!fs.existsSync(file)) {
    throw new Like2EarnError(`${file} not found: --dir must be a scorer output folder (npm run scorer -- score --out DIR)`);
  }
  const bytes = fs.readFileSync(file);
  let raw: ScorerManifest;
  try {
    raw = loadManifest(bytes.toString("utf8"), file);
  } catch (err) {
    throw new Like2EarnError((err as Error).message);
  }
  return {
    kind: raw.campaign.kind,
    campaignId: BigInt(raw.campaign.id),
    model: raw.campaign.model,
    epoch: raw.campaign.kind === "channel" ? BigInt(raw.campaign.epoch ?? 0) : 0n,
    root: raw.root.toLowerCase(),
    total: BigInt(raw.total),
    recipientCount: raw.recipientCount,
    scorerVersion: raw.scorerVersion,
    chainId: raw.onchain?.chainId,
    snapshotBlock: raw.onchain?.snapshotBlock,
    raw,
    hash: keccak256(bytes),
  };
}

/** The OpenZeppelin StandardMerkleTree dump (format standard-v1). */
export interface TreeDump {
  format: "standard-v1";
  leafEncoding: string[];
  tree: string[];
  values: { value: unknown[]; treeIndex: number }[];
}

/** Reads `DIR/tree.json` (the StandardMerkleTree dump). */
export function readTreeDump(dir: string): TreeDump {
  const file = path.join(dir, "tree.json");
  if (!fs.existsSync(file)) throw new Like2EarnError(`${file} not found`);
  const dump = JSON.parse(fs.readFileSync(file, "utf8")) as TreeDump;
  if (dump.format !== "standard-v1") {
    throw new Like2EarnError(`${file}: format is ${JSON.stringify(dump.format)}, expected "standard-v1"`);
  }
  return dump;
}

/** The leaves of `DIR/tree.json` as typed leaves (the kind from the tree's leaf encoding), in tree.json order. */
export function readLeaves(dir: string): Leaf[] {
  const dump = readTreeDump(dir);
  const kind = kindOfEncoding(dump.leafEncoding);
  if (!kind) throw new Like2EarnError(`${path.join(dir, "tree.json")}: leaf encoding [${dump.leafEncoding.join(", ")}] is neither an event's nor a channel's`);
  return dump.values.map((v) => leafFromValue(kind, v.value));
}

/** The shard file of an address in a campaign folder: `DIR/proofs/4f.json` for 0x4F…. */
export function shardPath(dir: string, account: string): string {
  return path.join(dir, ...shardPathOf(account).split("/"));
}

/** The proof entry of `account` in a campaign folder, or undefined when it has no leaf there. */
export function findProof(dir: string, account: string): ProofEntry | undefined {
  if (!isAddress(account)) throw new Like2EarnError(`not an address: ${account}`);
  const file = shardPath(dir, account);
  if (!fs.existsSync(file)) return undefined;
  return findEntry(parseShard(JSON.parse(fs.readFileSync(file, "utf8")), file), account)?.entry;
}

/** Sub-folders of `root` (and `root` itself) holding a manifest.json: campaign folders to scan. */
export function findCampaignDirs(root: string): string[] {
  if (fs.existsSync(path.join(root, "manifest.json"))) return [root];
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, "manifest.json")))
    .map((d) => path.join(root, d.name))
    .sort();
}
