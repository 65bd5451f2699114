/**
 * The admin's `publish`: re-checks a scorer output folder against the chain, refuses with every
 * disagreement named, then posts the root and waits for the receipt.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type ContractTransactionReceipt, type ErrorDescription, type Interface, type Signer } from "ethers";
import type { Rewards } from "./env";
import { explain, findRevertData, Like2EarnError, PublishRefusedError } from "./errors";
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
  /** Not blocking, but worth saying (e.g. a total below the funded pot). */
  warnings: string[];
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

const ZERO_ROOT = "0x" + "00".repeat(32);

/** The publish transaction of the folder's manifest (so the check simulates exactly what would be sent). */
function publishCall(r: Rewards, m: Manifest) {
  return m.kind === "event"
    ? r.publishEventRoot.staticCall(m.campaignId, m.root, m.total, m.recipientCount, m.hash)
    : r.publishChannelRoot.staticCall(m.campaignId, m.epoch, m.root, m.total, m.recipientCount, m.hash);
}

/**
 * The human hint for a publish the contract refuses, from its decoded custom error; undefined for errors that are
 * not about the folder (a signer without PUBLISHER_ROLE: the transaction itself reports it).
 */
async function refusalHint(rewards: Rewards, m: Manifest, error: ErrorDescription, now: bigint): Promise<string | undefined> {
  const a = error.args;
  const id = m.campaignId;
  switch (error.name) {
    case "EventBounties_UnknownEvent":
      return `unknown campaign: event ${id} does not exist on this chain (events 1..${await rewards.eventCount()})`;
    case "ChannelPools_UnknownChannel":
      return `unknown campaign: channel ${id} does not exist on this chain (channels 1..${await rewards.channelCount()})`;
    case "EventBounties_NotEnded":
      return `event ${id} has not ended: it ends ${date(a.end)} (in ${duration(a.end - now)})`;
    case "EventBounties_Settled":
      return `event ${id} is settled (refunded or withdrawn): nothing left to publish for`;
    case "EventBounties_RootAlreadyPosted":
      return `event ${id} already has a root ${a.root} (veto it first with event:veto to replace it)`;
    case "EventBounties_TotalExceedsPot":
      return `total exceeds the pot: manifest total ${ethWei(a.total)} > event ${id} funded ${ethWei(a.funded)}`;
    case "EventBounties_PublishDeadlineTooClose":
      return `too late: a root posted now goes live ${date(a.claimableAt)}, after the publish deadline ${date(a.publishDeadline)}`;
    case "EventBounties_ZeroRoot":
    case "ChannelPools_ZeroRoot":
      return `the manifest's root is zero`;
    case "EventBounties_RootInUse":
      return `root ${a.root} is already used by a campaign on this chain (a root pays one campaign only)`;
    case "ChannelPools_Closed":
      return `channel ${id} closed on ${date(a.closesAt)}`;
    case "ChannelPools_EpochNotIncreasing":
      return `epoch not next: manifest epoch ${m.epoch} ≤ channel ${id}'s last epoch ${a.lastEpoch}; score epoch ${BigInt(a.lastEpoch) + 1n} ("epoch": ${BigInt(a.lastEpoch) + 1n} in the config)`;
    case "ChannelPools_EpochNotNext": // the contracts' name since epochs must be last + 1
      return `epoch not next: manifest epoch ${m.epoch} ≤ channel ${id}'s last epoch ${BigInt(a.expected) - 1n}; score epoch ${a.expected} ("epoch": ${a.expected} in the config)`;
    case "ChannelPools_RootInChallenge": {
      const [pending] = await rewards.pendingChannelRoot(id);
      return `channel ${id} has a pending root ${pending.root} in its challenge period until ${date(a.claimableAt)}`;
    }
    case "RewardsBase_AmountOverflow":
      return `recipient count ${m.recipientCount} does not fit the contract's counter (max ${a.max})`;
    case "AccessControlUnauthorizedAccount":
      return undefined;
    default:
      return `the contract refuses this publication: ${error.name}(${error.args.map(String).join(", ")})`;
  }
}

/**
 * Reads `outDir` and checks it: off chain, the tree against the manifest (root, count, total, leaf campaign ids)
 * and the snapshot's chain id; on chain, the publish transaction itself, simulated (`staticCall`) from the
 * publisher — the contract's refusal, decoded, becomes the hint (the rules live once, in the contract; it reports
 * the first one broken). Never throws for a disagreement: they are listed in `problems` (empty = ready to
 * publish). Throws only when the folder cannot be read.
 */
export async function checkPublication(
  rewards: Rewards,
  outDir: string,
  options: { signer?: Signer; errors?: Interface; /** This deployment's PowerStaking: the output must have been scored against it. */ staking?: string } = {},
): Promise<PublicationCheck> {
  const manifest = readManifest(outDir);
  const dump = readTreeDump(outDir);
  const problems: string[] = [];
  const warnings: string[] = [];
  const treeRoot = await checkTree(manifest, dump, problems);
  // Every proof shard must be what tree.json gives (a missing or edited one misleads the claim page).
  const { checkProofShards } = await import("../../scorer/src/shards"); // loaded on use: keeps task loading light
  problems.push(...(await checkProofShards(outDir, manifest.raw)));
  const scoredStaking = manifest.raw.onchain.staking;
  if (options.staking && scoredStaking && scoredStaking.toLowerCase() !== options.staking.toLowerCase()) {
    problems.push(
      `wrong PowerStaking: the output was scored against ${scoredStaking}, this deployment's is ${options.staking} (re-score without --staking: the scorer takes it from the deployment record)`,
    );
  }

  const provider = rewards.runner?.provider;
  if (!provider) throw new Like2EarnError("the rewards contract handle has no provider");
  const latest = await provider.getBlock("latest");
  const now = BigInt(latest!.timestamp);
  const challengePeriod = await rewards.challengePeriod();
  const chainId = (await provider.getNetwork()).chainId;
  if (manifest.chainId !== undefined && BigInt(manifest.chainId) !== chainId) {
    problems.push(`wrong chain: the scorer read its snapshot from chain ${manifest.chainId}, this is chain ${chainId}`);
  }

  // The same root again after a veto would be vetoed again (or refused): say what to do instead.
  const vetoedSame = async (): Promise<boolean> => {
    try {
      if (manifest.kind === "event") {
        const posted = await rewards.getEventRoot(manifest.campaignId);
        return posted.vetoed && posted.root.toLowerCase() === manifest.root;
      }
      const [pending] = await rewards.pendingChannelRoot(manifest.campaignId);
      return pending.vetoed && pending.root.toLowerCase() === manifest.root;
    } catch {
      return false; // unknown campaign: the simulated publish names it
    }
  };
  const sameVetoed = await vetoedSame();
  if (sameVetoed) {
    problems.push(`${manifest.kind} ${manifest.campaignId}'s root ${manifest.root} was vetoed: posting the same root again would be vetoed again; re-score with corrected inputs`);
  }

  const r = options.signer ? (rewards.connect(options.signer) as Rewards) : rewards;
  let known = true;
  try {
    await publishCall(r, manifest);
  } catch (err) {
    const data = findRevertData(err);
    const decoded = data ? (options.errors ?? rewards.interface).parseError(data) : null;
    if (!decoded) throw err; // not a refusal (network, ABI): nothing to explain here
    known = decoded.name !== "EventBounties_UnknownEvent" && decoded.name !== "ChannelPools_UnknownChannel";
    const hint = await refusalHint(rewards, manifest, decoded, now);
    // After a veto the contract also reports the root as in use: the line above already says it, with the fix.
    if (hint && !(sameVetoed && decoded.name.endsWith("_RootInUse"))) problems.push(hint);
  }
  let onChainFunds = 0n;
  if (known) {
    onChainFunds = manifest.kind === "event" ? (await rewards.getEventBounty(manifest.campaignId)).funded : (await rewards.getChannel(manifest.campaignId)).balance;
    if (manifest.kind === "event" && manifest.total < onChainFunds) {
      warnings.push(`total ${ethWei(manifest.total)} is below the funded pot ${ethWei(onChainFunds)}: the ${ethWei(onChainFunds - manifest.total)} left returns to the brand`);
    }
  }
  return { outDir, manifest, treeRoot, treeLeaves: dump.values.length, onChainFunds, challengePeriod, now, problems, warnings };
}

/**
 * Checks `outDir` against the chain and posts its root. Throws {@link PublishRefusedError} naming every
 * disagreement, or a decoded revert. `log` receives the readable summary lines.
 */
export async function publishRoot(
  rewards: Rewards,
  outDir: string,
  options: { signer?: Signer; errors?: Interface; log?: (line: string) => void; staking?: string } = {},
): Promise<PublishResult> {
  const log = options.log ?? (() => undefined);
  const check = await checkPublication(rewards, outDir, { signer: options.signer, errors: options.errors, staking: options.staking });
  if (check.problems.length > 0) throw new PublishRefusedError(outDir, check.problems);
  for (const w of check.warnings) log(`warning: ${w}`);
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
