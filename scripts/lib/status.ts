/**
 * The user's `status`: every event and channel of the deployment as seen by one account — the state of
 * the campaign, and (when its scorer output folder is given) what the account is owed and whether it
 * has claimed.
 */
import { getAddress } from "ethers";
import type { Rewards } from "./env";
import { loadClaimItem } from "./claim";
import { readManifest } from "./campaign-dir";
import { date } from "./format";

const ZERO_ROOT = "0x" + "00".repeat(32);

export interface CampaignStatus {
  kind: "event" | "channel";
  id: bigint;
  /** Readable state: "open until …", "root in challenge until …", "claimable until …", "settled", …. */
  state: string;
  /** Event: funded pot. Channel: pool balance. Wei. */
  funds: bigint;
  /** True when a folder of this campaign holds a leaf for the account. */
  hasLeaf: boolean;
  /** Event: the leaf's amount (wei). Channel: undefined (see `score`). */
  leafAmount?: bigint;
  /** What a claim would pay now (wei): 0 once claimed, before the root is live, or after the window. */
  owed: bigint;
  /** Channel: cumulative score in the leaf / already converted (18 decimals). */
  score?: bigint;
  converted?: bigint;
  /** Channel closed: the leaf's score never converted (lost to the account), 18 decimals. */
  forfeited?: bigint;
  claimed: boolean;
}

/** The status of `account` in every campaign of the deployment; `dirs` are scorer output folders. */
export async function accountStatus(rewards: Rewards, account: string, dirs: string[] = []): Promise<CampaignStatus[]> {
  account = getAddress(account);
  const now = BigInt((await rewards.runner!.provider!.getBlock("latest"))!.timestamp);
  // Every folder given, by campaign: the one whose root is posted (live) is chosen below, not merely the
  // newest — a vetoed re-score or an unpublished draft sits beside the live folder.
  const byCampaign = new Map<string, { dir: string; root: string; epoch: bigint }[]>();
  for (const dir of dirs) {
    const m = readManifest(dir);
    const key = `${m.kind}:${m.campaignId}`;
    byCampaign.set(key, [...(byCampaign.get(key) ?? []), { dir, root: m.root, epoch: m.epoch }]);
  }
  const pick = (key: string, liveRoot: string | undefined): string | undefined => {
    const list = byCampaign.get(key) ?? [];
    const live = liveRoot ? list.find((d) => d.root === liveRoot.toLowerCase()) : undefined;
    if (live) return live.dir;
    return [...list].sort((a, b) => (a.epoch < b.epoch ? 1 : a.epoch > b.epoch ? -1 : 0))[0]?.dir;
  };
  const out: CampaignStatus[] = [];

  const events = await rewards.eventCount();
  for (let id = 1n; id <= events; id++) {
    const ev = await rewards.getEventBounty(id);
    const posted = await rewards.getEventRoot(id);
    const live = posted.root !== ZERO_ROOT && !posted.vetoed;
    let state: string;
    if (ev.settled) state = ev.total === 0n && ev.claimed === 0n ? "refunded" : "settled (leftover withdrawn)";
    else if (now < ev.end) state = `open until ${date(ev.end)}`;
    else if (!live) state = now > ev.rootDeadline ? "no root by deadline: refundable" : "ended, awaiting root";
    else if (posted.claimableAt > now) state = `root in challenge until ${date(posted.claimableAt)}`;
    else if (now < posted.claimableAt + ev.claimWindow) state = `claimable until ${date(posted.claimableAt + ev.claimWindow)}`;
    else state = "claim window closed";
    const dir = pick(`event:${id}`, live ? posted.root : undefined);
    const item = dir ? loadClaimItem(dir, account) : undefined;
    const rootMatches = !!item && live && posted.root.toLowerCase() === item.manifest.root;
    const claimed = rootMatches ? await rewards.isEventClaimed(id, item!.index) : false;
    const open = rootMatches && !ev.settled && posted.claimableAt <= now && now < posted.claimableAt + ev.claimWindow;
    out.push({
      kind: "event",
      id,
      state,
      funds: ev.funded,
      hasLeaf: !!item,
      leafAmount: item?.amount,
      owed: open && !claimed ? item!.amount : 0n,
      claimed,
    });
  }

  const channels = await rewards.channelCount();
  for (let id = 1n; id <= channels; id++) {
    const ch = await rewards.getChannel(id);
    const [liveRoot, liveEpoch] = await rewards.liveChannelRoot(id);
    const [pending, pendingEpoch] = await rewards.pendingChannelRoot(id);
    let state: string;
    if (ch.withdrawn) state = "closed, withdrawn";
    else if (ch.closesAt !== 0n && now >= ch.closesAt) state = "closed";
    else {
      state = liveRoot.root === ZERO_ROOT ? "no live root" : `epoch ${liveEpoch} live`;
      if (pending.root !== ZERO_ROOT && !pending.vetoed && pending.claimableAt > now) {
        state += `, epoch ${pendingEpoch} in challenge until ${date(pending.claimableAt)}`;
      }
      if (ch.closesAt !== 0n) state += `, closes ${date(ch.closesAt)}`;
    }
    const dir = pick(`channel:${id}`, liveRoot.root === ZERO_ROOT ? undefined : liveRoot.root);
    const item = dir ? loadClaimItem(dir, account) : undefined;
    const converted = await rewards.convertedScore(id, account);
    let owed = 0n;
    const closed = ch.withdrawn || (ch.closesAt !== 0n && now >= ch.closesAt);
    if (item && !closed && liveRoot.root.toLowerCase() === item.manifest.root) {
      [owed] = await rewards.previewChannelClaim(id, account, item.cumulativeScore);
    }
    const forfeited = closed && item && item.cumulativeScore > converted ? item.cumulativeScore - converted : undefined;
    out.push({
      kind: "channel",
      id,
      state,
      funds: ch.balance,
      hasLeaf: !!item,
      owed,
      score: item?.cumulativeScore,
      converted,
      forfeited,
      claimed: !!item && converted >= item.cumulativeScore,
    });
  }
  return out;
}
