/**
 * Scores a campaign: engagements + participants + config + chain data in, one fixed-point score per
 * participant out. Pure: no file, no network, no clock. Dispatches to model A or model B.
 */
import { sortByAddress } from "./address";
import { accountChainData, type ChainData } from "./chain-data";
import type { CampaignConfig } from "./config";
import { engagementTable, type Engagement, type EngagementTable } from "./engagements";
import { invariant } from "./errors";
import { kUserForAssets, scoreModelA } from "./model-a";
import { scoreModelB, type ModelBParticipantDetail } from "./model-b";
import type { Participant } from "./ingest/participants";
import { prepareEngagements } from "./prepare";

export interface AccountScore {
  readonly address: string;
  readonly userId: string;
  readonly handle: string;
  /** S_u (model A) or w_u (model B), WAD: 18-decimal fixed point, floored. */
  readonly score: bigint;
  /** The parts of the score (WAD unless named otherwise), for reports and tests. */
  readonly detail: ModelADetail | ModelBParticipantDetail;
}

export interface ModelADetail {
  /** k_user of the account, WAD. */
  readonly kUser: bigint;
  /** Σ v of the account's own engagements, WAD. */
  readonly engagement: bigint;
  /** Σ V of the account's content, WAD. */
  readonly creator: bigint;
}

export interface ScoreStats {
  /** Rows read. */
  readonly rows: number;
  /** Rows of a counted type within the period. */
  readonly inPeriod: number;
  /** Repeats of (user, content, type) dropped. */
  readonly duplicates: number;
  /** Engagements scored (inPeriod − duplicates). */
  readonly counted: number;
  readonly contents: number;
}

export interface ScoreResult {
  readonly model: CampaignConfig["model"];
  /** Every participant, in address order (ascending), zero scores included. */
  readonly accounts: readonly AccountScore[];
  /** Σ scores, WAD. */
  readonly total: bigint;
  readonly stats: ScoreStats;
}

/**
 * Scores the campaign.
 *
 * @example
 * const table = engagementTable([{ id: "1", type: "like", contentId: "p1", contentAuthorId: "a", userId: "b", time: Date.parse("2025-01-06T10:00:00Z") }]);
 * const result = score(table, participants, config, chainDataFromMaps({}));
 */
export function score(table: EngagementTable, participants: readonly Participant[], config: CampaignConfig, chain: ChainData): ScoreResult {
  const sorted = sortByAddress(participants, (p) => p.address);
  const participantOfUser = new Int32Array(table.userIds.length).fill(-1);
  let indexOfUserId = table.userIndex;
  if (!indexOfUserId) {
    const m = new Map<string, number>();
    table.userIds.forEach((id, u) => m.set(id, u));
    indexOfUserId = m;
  }
  sorted.forEach((p, i) => {
    const u = indexOfUserId.get(p.userId);
    if (u !== undefined) participantOfUser[u] = i;
  });

  const prepared = prepareEngagements(table, config.period, config.types);
  const stats: ScoreStats = {
    rows: prepared.rows,
    inPeriod: prepared.inPeriod,
    duplicates: prepared.duplicates,
    counted: prepared.order.length,
    contents: table.contentIds.length,
  };

  let accounts: AccountScore[];
  if (config.model === "like2earn") {
    const params = config.like2earn;
    invariant(params, "model like2earn without like2earn parameters");
    const kOfParticipant = sorted.map((p) => {
      const o = params.kUser.overrides.get(p.address.toLowerCase());
      if (o !== undefined) return o;
      const c = accountChainData(chain, p.address);
      return kUserForAssets(params, c.balance + c.ethPower);
    });
    const base = params.kUser.tiers[0].k;
    const kUserOfUser = Array.from(participantOfUser, (p) => (p >= 0 ? kOfParticipant[p] : base));
    const r = scoreModelA(table, prepared, params, participantOfUser, kUserOfUser, sorted.length);
    accounts = sorted.map((p, i) => ({
      address: p.address,
      userId: p.userId,
      handle: p.handle,
      score: r.engagement[i] + r.creator[i],
      detail: { kUser: kOfParticipant[i], engagement: r.engagement[i], creator: r.creator[i] },
    }));
  } else {
    const params = config.socialAi;
    invariant(params, "model social-ai without socialAi parameters");
    const stakes = sorted.map((p) => accountChainData(chain, p.address).assetPower);
    const details = scoreModelB(table, prepared, params, config.period, participantOfUser, stakes);
    accounts = sorted.map((p, i) => ({ address: p.address, userId: p.userId, handle: p.handle, score: details[i].weight, detail: details[i] }));
  }
  const total = accounts.reduce((s, a) => s + a.score, 0n);
  return { model: config.model, accounts, total, stats };
}

/**
 * {@link score} over plain engagement objects or a prebuilt table: the entry point for in-memory
 * callers (the bench builds an {@link EngagementTable} once, then times this).
 */
export function scoreEngagements(
  engagements: EngagementTable | readonly Engagement[],
  participants: readonly Participant[],
  config: CampaignConfig,
  chain: ChainData,
): ScoreResult {
  const table = Array.isArray(engagements) ? engagementTable(engagements as readonly Engagement[]) : (engagements as EngagementTable);
  return score(table, participants, config, chain);
}
