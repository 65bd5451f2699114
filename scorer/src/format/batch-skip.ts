/**
 * `BatchItemSkipped(kind, campaignId, account, reason)` of `batchClaim`: the item kinds and the reasons, with the
 * text shown to people (the `claim` task, the claim page). The numbers are the contract's
 * (ILike2EarnRewards.BatchItemSkipped); this is the one table of their meaning. Browser-safe.
 */
import type { CampaignKind } from "./leaves";

/** `kind` of a batch item: 0 event, 1 channel. */
export const BATCH_ITEM_KINDS: readonly CampaignKind[] = Object.freeze(["event", "channel"]);

export const BATCH_SKIP_REASONS = Object.freeze([
  Object.freeze({ code: 0, name: "nothingOwed", text: "already claimed or nothing owed" }),
  Object.freeze({ code: 1, name: "poolEmpty", text: "pool empty" }),
  Object.freeze({ code: 2, name: "paymentRejected", text: "payment rejected by the receiver" }),
] as const);

/** The kind of a batch item from the event's `kind` field. */
export function batchItemKind(kind: number | bigint): CampaignKind {
  return BATCH_ITEM_KINDS[Number(kind)] ?? "channel";
}

/** The human text of a skip reason (`reason <n>` for a code this table does not know). */
export function batchSkipText(reason: number | bigint): string {
  return BATCH_SKIP_REASONS.find((r) => r.code === Number(reason))?.text ?? `reason ${reason}`;
}
