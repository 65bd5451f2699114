/**
 * The admin's `publish`: re-checks a scorer output folder against the chain, refuses with every
 * disagreement named, then posts the root and waits for the receipt.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type ContractTransactionReceipt, type Interface, type Signer } from "ethers";
import type { Rewards } from "./env";
import { explain, Like2EarnError, PublishRefusedError } from "./errors";
import { readManifest, readTreeDump, type Manifest, type TreeDump } from "./campaign-dir";
import { LEAF_ENCODING, leafCampaignId, leafFromValue, leafTotal, type Leaf } from "../../scorer/src/format/leaves";
import { date, duration, eth, ethWei, score } from "./format";

/** What {@link checkPublication} found: the manifest and the tree, the chain's view, and any problems. */
export interface PublicationCheck {
  outDir: string;
  manifest: Manifest;
  /** Root recomputed from tree.json's values. */
  treeRoot: string;
  treeLeaves: number;
  /** Event: funded pot (wei). Channel: pool balance (wei). */
  onChainFunds: bigint;
  /** Seconds between posting and claimable. */
  challengePeriod: bigint;
  /** Latest block's timestamp when checked. */
  now: bigint;
  problems: string[];
}

export interface PublishResult extends PublicationCheck {
  txHash: string;
  blockNumber: number;
  /** Unix time at which the root becomes claimable. */
  claimableAt: bigint;
  receipt: ContractTransactionReceipt;
}

/**
 * Re-derives the root from tree.json's leaf values alone (every leaf hashed, every node rebuilt) with the
 * scorer's fast builder, byte-identical to `StandardMerkleTree.of`; small trees are also checked node by
 * node with `StandardMerkleTree.load(...).validate()`.
 */
export async function recomputeRoot(dump: TreeDump): Promise<string> {
  const values = dump.values.map((v) => v.value.map((x) => String(x)));
  if (values.length === 0) throw new Error("tree.json has no leaves");
  const { buildTree } = await import("../../scorer/src/tree"); // loaded on use: keeps task loading light
  const tree = await buildTree(values, dump.leafEncoding);
  if (values.length <= 20_000) {
    const oz = StandardMerkleTree.load(dump as Parameters<typeof StandardMerkleTree.load>[0]);
    oz.validate(); // throws when a stored node or leaf hash does not match the values
    if (oz.root.toLowerCase() !== tree.root.toLowerCase()) throw new Error(`its stored root ${oz.root} is not the root of its values ${tree.root}`);
  }
  return tree.root.toLowerCase();
}

/** Checks the tree's own consistency against the manifest (no chain involved). */
async function checkTree(manifest: Manifest, dump: TreeDump, problems: string[]): Promise<string> {
  const expected = LEAF_ENCODING[manifest.kind];
  if (JSON.stringify(dump.leafEncoding) !== JSON.stringify(expected)) {
    problems.push(
      `tree.json leaf encoding is [${dump.leafEncoding.join(", ")}], a ${manifest.kind} needs [${expected.join(", ")}]`,
    );
    return "";
  }
  let root = "";
  try {
    root = await recomputeRoot(dump);
  } catch (err) {
    problems.push(`tree.json does not verify: ${(err as Error).message}`);
    return "";
  }
  if (root !== manifest.root) {
    problems.push(`root mismatch: tree.json gives ${root}, manifest.json says ${manifest.root}`);
  }
  const n = dump.values.length;
  if (n !== manifest.recipientCount) {
    problems.push(`recipient count mismatch: tree.json has ${n} leaves, manifest.json says ${manifest.recipientCount}`);
  }
  const accounts = new Set<string>();
  const indices = new Set<string>();
  let sum = 0n;
  let wrongCampaign = 0;
  for (const [i, { value }] of dump.values.entries()) {
    let leaf: Leaf;
    try {
      leaf = leafFromValue(manifest.kind, value.map((x) => String(x)));
    } catch (err) {
      problems.push(`tree.json leaf ${i}: ${(err as Error).message}`);
      return "";
    }
    if (leafCampaignId(leaf) !== manifest.campaignId) wrongCampaign++;
    if (leaf.kind === "event") indices.add(leaf.index.toString());
    accounts.add(leaf.account);
    sum += leafTotal(leaf);
  }
  if (wrongCampaign > 0) {
    problems.push(`${wrongCampaign} leaves of tree.json name another ${manifest.kind} than ${manifest.campaignId}`);
  }
  if (accounts.size !== n) problems.push(`tree.json has ${n - accounts.size} duplicate accounts`);
  if (manifest.kind === "event" && indices.size !== n) problems.push(`tree.json has duplicate leaf indices`);
  if (sum !== manifest.total) {
    const what = manifest.kind === "event" ? `amounts sum to ${ethWei(sum)}` : `cumulative scores sum to ${sum}`;
    problems.push(`total mismatch: tree.json ${what}, manifest.json says ${manifest.total}`);
  }
  return root;
}

/**
 * Reads `outDir` and checks it against the chain. Never throws for a disagreement: they are listed in
 * `problems` (empty = ready to publish). Throws only when the folder cannot be read.
 */
export async function checkPublication(rewards: Rewards, outDir: string): Promise<PublicationCheck> {
  const manifest = readManifest(outDir);
  const dump = readTreeDump(outDir);
  const problems: string[] = [];
  const treeRoot = await checkTree(manifest, dump, problems);

  const provider = rewards.runner?.provider;
  if (!provider) throw new Like2EarnError("the rewards contract handle has no provider");
  const latest = await provider.getBlock("latest");
  const now = BigInt(latest!.timestamp);
  const challengePeriod = await rewards.challengePeriod();
  const chainId = (await provider.getNetwork()).chainId;
  if (manifest.chainId !== undefined && BigInt(manifest.chainId) !== chainId) {
    problems.push(`wrong chain: the scorer read its snapshot from chain ${manifest.chainId}, this is chain ${chainId}`);
  }
  const id = manifest.campaignId;
  let onChainFunds = 0n;

  if (manifest.kind === "event") {
    const count = await rewards.eventCount();
    if (id < 1n || id > count) {
      problems.push(`unknown campaign: event ${id} does not exist on this chain (events 1..${count})`);
    } else {
      const ev = await rewards.getEventBounty(id);
      const posted = await rewards.getEventRoot(id);
      onChainFunds = ev.funded;
      if (now < ev.end) {
        problems.push(`event ${id} has not ended: it ends ${date(ev.end)} (in ${duration(ev.end - now)})`);
      }
      if (ev.settled) problems.push(`event ${id} is settled (refunded or withdrawn): nothing left to publish for`);
      if (posted.root !== "0x" + "00".repeat(32) && !posted.vetoed) {
        problems.push(`event ${id} already has a root ${posted.root} (veto it first with event:veto to replace it)`);
      }
      if (manifest.total > ev.funded) {
        problems.push(`total exceeds the pot: manifest total ${ethWei(manifest.total)} > event ${id} funded ${ethWei(ev.funded)}`);
      }
      if (now + ev.challengePeriod > ev.rootDeadline) {
        problems.push(
          `too late: a root posted now goes live ${date(now + ev.challengePeriod)}, after the publish deadline ${date(ev.rootDeadline)}`,
        );
      }
    }
  } else {
    const count = await rewards.channelCount();
    if (id < 1n || id > count) {
      problems.push(`unknown campaign: channel ${id} does not exist on this chain (channels 1..${count})`);
    } else {
      const ch = await rewards.getChannel(id);
      onChainFunds = ch.balance;
      if (manifest.epoch <= ch.lastEpoch) {
        problems.push(`epoch not next: manifest epoch ${manifest.epoch} ≤ channel ${id}'s last epoch ${ch.lastEpoch}`);
      }
      if (ch.closesAt !== 0n && now >= ch.closesAt) problems.push(`channel ${id} closed on ${date(ch.closesAt)}`);
      const [pending] = await rewards.pendingChannelRoot(id);
      if (pending.root !== "0x" + "00".repeat(32) && !pending.vetoed && pending.claimableAt > now) {
        problems.push(
          `channel ${id} has a pending root ${pending.root} in its challenge period until ${date(pending.claimableAt)}`,
        );
      }
    }
  }
  return { outDir, manifest, treeRoot, treeLeaves: dump.values.length, onChainFunds, challengePeriod, now, problems };
}

/**
 * Checks `outDir` against the chain and posts its root. Throws {@link PublishRefusedError} naming every
 * disagreement, or a decoded revert. `log` receives the readable summary lines.
 */
export async function publishRoot(
  rewards: Rewards,
  outDir: string,
  options: { signer?: Signer; errors?: Interface; log?: (line: string) => void } = {},
): Promise<PublishResult> {
  const log = options.log ?? (() => undefined);
  const check = await checkPublication(rewards, outDir);
  if (check.problems.length > 0) throw new PublishRefusedError(outDir, check.problems);
  const { manifest } = check;
  const r = options.signer ? (rewards.connect(options.signer) as Rewards) : rewards;
  const what = `${manifest.kind} ${manifest.campaignId}${manifest.kind === "channel" ? ` epoch ${manifest.epoch}` : ""}`;

  const receipt = await explain(
    `publish ${what}`,
    async () => {
      const tx =
        manifest.kind === "event"
          ? await r.publishEventRoot(manifest.campaignId, manifest.root, manifest.total, manifest.recipientCount, manifest.hash)
          : await r.publishChannelRoot(
              manifest.campaignId,
              manifest.epoch,
              manifest.root,
              manifest.total,
              manifest.recipientCount,
              manifest.hash,
            );
      const rc = await tx.wait();
      if (!rc || rc.status !== 1) throw new Like2EarnError(`transaction ${tx.hash} failed`);
      return rc;
    },
    options.errors ?? rewards.interface,
  );

  let claimableAt = 0n;
  for (const entry of receipt.logs) {
    try {
      const parsed = rewards.interface.parseLog(entry);
      if (parsed && (parsed.name === "EventRootPosted" || parsed.name === "ChannelRootPosted")) {
        claimableAt = BigInt(parsed.args.claimableAt);
      }
    } catch {
      /* a log of another contract */
    }
  }
  const block = await receipt.getBlock();
  const wait = claimableAt - BigInt(block.timestamp);
  log(`published ${what} (${manifest.model}, ${manifest.recipientCount} recipients)`);
  log(`  tx          ${receipt.hash} (block ${receipt.blockNumber})`);
  log(`  root        ${manifest.root}`);
  log(
    manifest.kind === "event"
      ? `  total       ${ethWei(manifest.total)} of a ${eth(check.onChainFunds)} pot`
      : `  score total ${score(manifest.total)} (pool holds ${eth(check.onChainFunds)})`,
  );
  log(`  claimable   ${date(claimableAt)} (challenge period ${duration(wait > 0n ? wait : 0n)}, ${wait > 0n ? wait : 0n} s)`);
  return { ...check, txHash: receipt.hash, blockNumber: receipt.blockNumber, claimableAt, receipt };
}
