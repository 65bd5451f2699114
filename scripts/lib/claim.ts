/**
 * The user's `claim`: finds the account's leaf in one or more scorer output folders, checks it against
 * the live roots, and claims (one campaign: claimEvent / claimChannel; several: batchClaim).
 */
import { getAddress, type ContractTransactionReceipt, type Interface, type Signer } from "ethers";
import type { Rewards } from "./env";
import { explain, Like2EarnError } from "./errors";
import { date } from "./format";
import { findProof, readManifest, type CampaignKind, type Manifest } from "./campaign-dir";
import { batchItemKind, batchSkipText, readEntry } from "../../scorer/src/format";

const ZERO_ROOT = "0x" + "00".repeat(32);

/** One claimable item found for an account in a campaign folder. */
export interface ClaimItem {
  dir: string;
  kind: CampaignKind;
  campaignId: bigint;
  account: string;
  /** Event: leaf index. */
  index: bigint;
  /** Event: token wei of the leaf. */
  amount: bigint;
  /** Channel: cumulative score of the leaf (18-decimal fixed point). */
  cumulativeScore: bigint;
  proof: string[];
  manifest: Manifest;
}

/** A folder that gave nothing to claim, and why. */
export interface SkippedItem {
  dir: string;
  kind?: CampaignKind;
  campaignId?: bigint;
  reason: string;
}

/** What a claim paid, from the receipt's events. */
export interface Payout {
  kind: CampaignKind;
  campaignId: bigint;
  account: string;
  recipient: string;
  amount: bigint;
  /** Channel: score converted by this claim and score left unconverted (pool ran short when > 0). */
  scoreConverted?: bigint;
  scoreLeft?: bigint;
}

export interface ClaimResult {
  txHash?: string;
  receipt?: ContractTransactionReceipt;
  payouts: Payout[];
  skipped: SkippedItem[];
  /** Sum of `payouts` amounts (wei). */
  paid: bigint;
}

/** The account's leaf in `dir`, or undefined when the campaign has none for it. */
export function loadClaimItem(dir: string, account: string): ClaimItem | undefined {
  const manifest = readManifest(dir);
  const entry = findProof(dir, account);
  if (!entry) return undefined;
  const { leaf } = readEntry(manifest.kind, entry);
  const base = { dir, kind: manifest.kind, campaignId: manifest.campaignId, proof: [...entry.proof], manifest, account: leaf.account };
  if (leaf.kind === "event") return { ...base, index: leaf.index, amount: leaf.amount, cumulativeScore: 0n };
  return { ...base, index: 0n, amount: 0n, cumulativeScore: leaf.cumulativeScore };
}

/**
 * Checks an item against the chain: the folder's root must be the live one, and something must be owed.
 * Returns a reason to skip, or undefined when the item is claimable now.
 */
export async function whyNotClaimable(rewards: Rewards, item: ClaimItem): Promise<string | undefined> {
  const provider = rewards.runner!.provider!;
  const now = BigInt((await provider.getBlock("latest"))!.timestamp);
  if (item.kind === "event") {
    const posted = await rewards.getEventRoot(item.campaignId);
    if (posted.root === ZERO_ROOT) return `event ${item.campaignId} has no root yet`;
    if (posted.root.toLowerCase() !== item.manifest.root) {
      return `event ${item.campaignId}: the folder's root ${item.manifest.root} is not the posted root ${posted.root}`;
    }
    if (posted.vetoed) return `event ${item.campaignId}: the root was vetoed`;
    if (posted.claimableAt > now) return `event ${item.campaignId}: root in its challenge period until ${date(posted.claimableAt)}`;
    if (await rewards.isEventClaimed(item.campaignId, item.index)) return `event ${item.campaignId}: already claimed`;
    return undefined;
  }
  const [live] = await rewards.liveChannelRoot(item.campaignId);
  if (live.root === ZERO_ROOT) return `channel ${item.campaignId} has no live root yet`;
  if (live.root.toLowerCase() !== item.manifest.root) {
    return `channel ${item.campaignId}: the folder's root ${item.manifest.root} is not the live root ${live.root}`;
  }
  const [amount] = await rewards.previewChannelClaim(item.campaignId, item.account, item.cumulativeScore);
  if (amount === 0n) {
    const converted = await rewards.convertedScore(item.campaignId, item.account);
    return converted >= item.cumulativeScore
      ? `channel ${item.campaignId}: nothing owed (score already converted)`
      : `channel ${item.campaignId}: the pool is empty (wait for a top-up)`;
  }
  return undefined;
}

/** Reads the payouts and skipped items from a claim receipt. */
export function payoutsFromReceipt(rewards: Rewards, receipt: ContractTransactionReceipt): { payouts: Payout[]; skipped: SkippedItem[] } {
  const payouts: Payout[] = [];
  const skipped: SkippedItem[] = [];
  for (const entry of receipt.logs) {
    let parsed;
    try {
      parsed = rewards.interface.parseLog(entry);
    } catch {
      continue;
    }
    if (!parsed) continue;
    const a = parsed.args;
    if (parsed.name === "EventClaimed") {
      payouts.push({ kind: "event", campaignId: a.eventId, account: a.account, recipient: a.recipient, amount: a.amount });
    } else if (parsed.name === "ChannelClaimed") {
      payouts.push({
        kind: "channel",
        campaignId: a.channelId,
        account: a.account,
        recipient: a.recipient,
        amount: a.amount,
        scoreConverted: a.scoreConverted,
        scoreLeft: a.scoreLeft,
      });
    } else if (parsed.name === "BatchItemSkipped") {
      skipped.push({
        dir: "",
        kind: batchItemKind(a.kind),
        campaignId: a.campaignId,
        reason: `skipped in batch: ${batchSkipText(a.reason)}`,
      });
    }
  }
  return { payouts, skipped };
}

/**
 * Claims `account`'s leaves from the folders `dirs`: one claimable item → claimEvent / claimChannel,
 * several → one batchClaim. Folders without a leaf or with nothing claimable are reported in `skipped`.
 * Event leaves may be claimed by any signer; channel leaves only by the account itself.
 * Throws when nothing at all is claimable, or with the decoded revert.
 */
export async function claimFromDirs(
  rewards: Rewards,
  dirs: string[],
  options: { account?: string; signer: Signer; errors?: Interface },
): Promise<ClaimResult> {
  if (dirs.length === 0) throw new Like2EarnError("claim: give at least one scorer output folder (--dir)");
  const signerAddress = getAddress(await options.signer.getAddress());
  const account = getAddress(options.account ?? signerAddress);
  const items: ClaimItem[] = [];
  const skipped: SkippedItem[] = [];
  for (const dir of dirs) {
    const item = loadClaimItem(dir, account);
    if (!item) {
      const m = readManifest(dir);
      skipped.push({ dir, kind: m.kind, campaignId: m.campaignId, reason: `${account} has no leaf in ${m.kind} ${m.campaignId}` });
      continue;
    }
    if (item.kind === "channel" && account !== signerAddress) {
      throw new Like2EarnError(
        `channel ${item.campaignId}: only the account itself may claim a channel leaf (signer ${signerAddress}, account ${account})`,
      );
    }
    const why = await whyNotClaimable(rewards, item);
    if (why) skipped.push({ dir, kind: item.kind, campaignId: item.campaignId, reason: why });
    else items.push(item);
  }
  if (items.length === 0) {
    throw new Like2EarnError(`nothing to claim for ${account}`, skipped.map((s) => s.reason));
  }

  const r = rewards.connect(options.signer) as Rewards;
  const label = items.map((i) => `${i.kind} ${i.campaignId}`).join(", ");
  const receipt = await explain(
    `claim (${label}) for ${account}`,
    async () => {
      let tx;
      if (items.length === 1) {
        const i = items[0];
        tx =
          i.kind === "event"
            ? await r.claimEvent(i.campaignId, i.index, i.account, i.amount, i.proof)
            : await r.claimChannel(i.campaignId, i.cumulativeScore, i.proof);
      } else {
        const eventClaims = items
          .filter((i) => i.kind === "event")
          .map((i) => ({ eventId: i.campaignId, index: i.index, account: i.account, amount: i.amount, proof: i.proof }));
        const channelClaims = items
          .filter((i) => i.kind === "channel")
          .map((i) => ({ channelId: i.campaignId, cumulativeScore: i.cumulativeScore, proof: i.proof }));
        tx = await r.batchClaim(eventClaims, channelClaims);
      }
      const rc = await tx.wait();
      if (!rc || rc.status !== 1) throw new Like2EarnError(`transaction ${tx.hash} failed`);
      return rc;
    },
    options.errors ?? rewards.interface,
  );
  const fromReceipt = payoutsFromReceipt(rewards, receipt);
  const paid = fromReceipt.payouts.reduce((s, p) => s + p.amount, 0n);
  return { txHash: receipt.hash, receipt, payouts: fromReceipt.payouts, skipped: [...skipped, ...fromReceipt.skipped], paid };
}
