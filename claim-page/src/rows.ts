/**
 * What the page shows for one campaign and the connected account: a pure function of the published leaf and
 * the chain's state (no DOM, no I/O), so the rules are in one place.
 */
import type { CampaignConfig } from "./config";
import { formatAmount, formatScore, formatWhen } from "./format";
import { verifyLeaf, type ChannelLeaf, type EventLeaf, type Leaf } from "./proofs";

export type RowState =
  | "none" // nothing for this account in the campaign
  | "awaiting" // no results published yet
  | "challenge" // published, in its challenge period
  | "vetoed" // the published results were vetoed
  | "claimable"
  | "partial" // channel: the pool pays only part of what is owed
  | "claimed"
  | "pool-empty"
  | "window-closed" // event: the claim window is over
  | "closed" // event settled / channel closed
  | "paused" // claims paused by a guardian
  | "mismatch" // the published proof does not match the root on chain
  | "missing-proof" // the publication has a proof file for this account's shard, but it cannot be fetched
  | "error";

/** The campaign's token: ETH (address 0) or an ERC-20 with its symbol and decimals read from the chain. */
export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}

export interface PostedRoot {
  root: string;
  claimableAt: bigint;
  vetoed: boolean;
}

/** What the contract reports of an event (`getEventBounty` + `liveEventRoot`), as both pages read it. */
export interface EventOnChain {
  token: TokenInfo;
  end: bigint;
  claimWindow: bigint;
  publishDeadline: bigint;
  funded: bigint;
  /** Token wei the live root declares (0 while no root is live). */
  total: bigint;
  claimed: bigint;
  settled: boolean;
  root: PostedRoot;
  /** When the live root's claim window closes, as the contract reports it (later by any pause); 0: no live root. */
  claimsCloseAt: bigint;
}

/** An event as a claimant's row sees it: the chain's view plus whether this leaf is claimed. */
export interface EventState extends EventOnChain {
  brand: string;
  leafClaimed: boolean;
}

/** What the contract reports of a channel (`getChannel` + `liveChannelRoot` / `pendingChannelRoot`), as both pages read it. */
export interface ChannelOnChain {
  token: TokenInfo;
  rate: bigint;
  pendingRate: bigint;
  rateEffectiveAt: bigint;
  closesAt: bigint;
  balance: bigint;
  withdrawn: boolean;
  live: PostedRoot;
  pending: PostedRoot;
}

/** A channel as a claimant's row sees it: the chain's view plus this account's converted score and preview. */
export interface ChannelState extends ChannelOnChain {
  brand: string;
  /** Epoch of the live root (a signed channel claim binds it). */
  liveEpoch: bigint;
  converted: bigint;
  /** previewChannelClaim(account, cumulativeScore): what a claim pays now and the score it converts. */
  preview: { amount: bigint; scoreConverted: bigint };
}

export interface RowView {
  key: string;
  campaign: CampaignConfig;
  title: string;
  state: RowState;
  /** Short state label ("Claimable", "Already claimed", …). */
  label: string;
  /** One or two sentences explaining the state (times, partial amounts…). */
  detail: string;
  /** Main amount text ("1.5 ETH"). */
  amountText: string;
  /** Secondary amount line (channel score and rate). */
  amountNote: string;
  /** Token wei a claim pays now (0 when not claimable). */
  payNow: bigint;
  /** Token wei owed in full (event amount, or unconverted channel score at the current rate). */
  owed: bigint;
  /** Token symbol ("ETH", "USDC"). */
  unit: string;
  /** The token's decimals (18 for ETH). */
  decimals: number;
  claimable: boolean;
  leaf?: Leaf;
}

const ZERO_ROOT = /^0x0{64}$/i;
const ONE = 10n ** 18n;

export function campaignTitle(c: CampaignConfig): string {
  return c.name ? c.name : `${c.kind === "event" ? "Event" : "Channel"} #${c.id}`;
}

type Base = Pick<RowView, "key" | "campaign" | "title" | "unit" | "decimals" | "amountText" | "amountNote" | "payNow" | "owed" | "claimable">;

function base(c: CampaignConfig, token: TokenInfo): Base {
  return {
    key: `${c.kind}-${c.id}`,
    campaign: c,
    title: campaignTitle(c),
    unit: token.symbol,
    decimals: token.decimals,
    amountText: "—",
    amountNote: "",
    payNow: 0n,
    owed: 0n,
    claimable: false,
  };
}

const NO_TOKEN: TokenInfo = { address: "0x0000000000000000000000000000000000000000", symbol: "ETH", decimals: 18 };

/** A row that could not be loaded. */
export function errorRow(c: CampaignConfig, message: string): RowView {
  return { ...base(c, NO_TOKEN), state: "error", label: "Could not load", detail: message };
}

/**
 * A row whose proof file is missing: the publication (its manifest) says the account's shard exists, but fetching it
 * failed, so the page cannot tell what is owed — and says so rather than "nothing for you".
 */
export function missingProofRow(c: CampaignConfig, url: string): RowView {
  return {
    ...base(c, NO_TOKEN),
    state: "missing-proof",
    label: "Proof file missing",
    detail: `The proof file for your address (${url}) is not available, so your reward cannot be checked or claimed yet. Nothing is lost: reload later or tell the campaign's organiser.`,
  };
}

/**
 * The amount is only shown as owed when the proof checks against a root that can pay: for a vetoed root or a proof
 * that matches nothing on chain the row says why instead.
 */
function notOwed(row: Base & { leaf: Leaf }, note: string): Base & { leaf: Leaf } {
  return { ...row, amountText: "—", amountNote: note, owed: 0n, payNow: 0n };
}

/** The row of an event for the account whose leaf is `leaf` (undefined: nothing published for it). */
export function eventRow(c: CampaignConfig, leaf: EventLeaf | undefined, s: EventState, paused: boolean, now: bigint): RowView {
  const unit = s.token.symbol;
  const fmt = (x: bigint): string => formatAmount(x, s.token.decimals);
  const b = base(c, s.token);
  if (/^0x0{40}$/i.test(s.brand)) return { ...b, state: "error", label: "Unknown event", detail: `Event ${c.id} does not exist on this deployment.` };
  if (!leaf) return { ...b, state: "none", label: "Nothing for you", detail: "This account has no reward in this event." };
  const amount = `${fmt(leaf.amount)} ${unit}`;
  const row = { ...b, amountText: amount, owed: leaf.amount, leaf };
  const root = s.root;
  if (ZERO_ROOT.test(root.root)) {
    return { ...row, state: "awaiting", label: "Not published yet", detail: `Results are not on chain yet (deadline ${formatWhen(s.publishDeadline, now)}).` };
  }
  if (!verifyLeaf(leaf, root.root)) {
    if (root.vetoed) return { ...notOwed(row, "not owed: results vetoed"), state: "vetoed", label: "Vetoed", detail: "The published results were vetoed; wait for a new publication." };
    return { ...notOwed(row, "unverified: the proof does not match the chain"), state: "mismatch", label: "Data out of date", detail: "The proof files do not match the root on chain; reload later." };
  }
  if (root.vetoed) {
    return {
      ...notOwed(row, "not owed: results vetoed"),
      state: "vetoed",
      label: "Vetoed",
      detail: "The published results were vetoed during the challenge period; nothing is owed from them. Wait for a new publication.",
    };
  }
  if (s.leafClaimed) return { ...row, state: "claimed", label: "Already claimed", detail: `${amount} was paid.` };
  if (s.settled) return { ...notOwed(row, "not claimed in time"), state: "closed", label: "Closed", detail: "The event is settled: the brand took back what was not claimed." };
  if (now < root.claimableAt) {
    return { ...row, state: "challenge", label: "Challenge period", detail: `Claimable from ${formatWhen(root.claimableAt, now)}.` };
  }
  const windowEnd = s.claimsCloseAt !== 0n ? s.claimsCloseAt : root.claimableAt + s.claimWindow;
  if (now > windowEnd) return { ...notOwed(row, "not claimed in time"), state: "window-closed", label: "Window closed", detail: `The claim window closed ${formatWhen(windowEnd, now)}.` };
  const left = (s.total > 0n ? s.total : s.funded) - s.claimed;
  if (left < leaf.amount) return { ...row, state: "pool-empty", label: "Pool empty", detail: "What is left of the event's pot is less than this claim." };
  if (paused) return { ...row, state: "paused", label: "Claims paused", detail: "A guardian paused claims; try again later." };
  return { ...row, state: "claimable", label: "Claimable", detail: `Claim by ${formatWhen(windowEnd, now)}.`, payNow: leaf.amount, claimable: true };
}

/** The row of a channel for the account whose leaf is `leaf` (undefined: nothing published for it). */
export function channelRow(c: CampaignConfig, leaf: ChannelLeaf | undefined, s: ChannelState, paused: boolean, now: bigint): RowView {
  const unit = s.token.symbol;
  const fmt = (x: bigint): string => formatAmount(x, s.token.decimals);
  const b = base(c, s.token);
  if (/^0x0{40}$/i.test(s.brand)) return { ...b, state: "error", label: "Unknown channel", detail: `Channel ${c.id} does not exist on this deployment.` };
  if (!leaf) return { ...b, state: "none", label: "Nothing for you", detail: "This account has no score in this channel." };
  const rateText = `${fmt(s.rate)} ${unit} per point`;
  const unconverted = leaf.cumulativeScore > s.converted ? leaf.cumulativeScore - s.converted : 0n;
  const owed = (unconverted * s.rate) / ONE;
  const row = {
    ...b,
    leaf,
    owed,
    amountText: `${fmt(owed)} ${unit}`,
    amountNote: `score ${formatScore(unconverted)} to convert (of ${formatScore(leaf.cumulativeScore)}) at ${rateText}`,
  };
  const notes: string[] = [];
  if (s.pendingRate !== 0n && s.rateEffectiveAt > now) notes.push(`The rate changes to ${fmt(s.pendingRate)} ${unit} per point ${formatWhen(s.rateEffectiveAt, now)}.`);
  if (s.closesAt !== 0n && s.closesAt > now) notes.push(`The channel closes ${formatWhen(s.closesAt, now)}: claim before then.`);
  const withNotes = (text: string): string => [text, ...notes].join(" ");

  if (s.withdrawn || (s.closesAt !== 0n && now >= s.closesAt)) {
    return { ...row, state: "closed", label: "Closed", detail: "The channel is closed: claims are over." };
  }
  const liveOk = !ZERO_ROOT.test(s.live.root) && verifyLeaf(leaf, s.live.root);
  if (!liveOk) {
    const pendingOk = !ZERO_ROOT.test(s.pending.root) && verifyLeaf(leaf, s.pending.root);
    if (pendingOk && s.pending.vetoed) {
      return { ...notOwed(row, "not owed: scores vetoed"), state: "vetoed", label: "Vetoed", detail: "The latest published scores were vetoed; wait for a new publication." };
    }
    if (pendingOk) {
      return { ...row, state: "challenge", label: "Challenge period", detail: withNotes(`Claimable from ${formatWhen(s.pending.claimableAt, now)}.`) };
    }
    if (ZERO_ROOT.test(s.live.root) && ZERO_ROOT.test(s.pending.root)) {
      return { ...row, state: "awaiting", label: "Not published yet", detail: "No scores are on chain for this channel yet." };
    }
    if (!ZERO_ROOT.test(s.pending.root) && s.pending.vetoed) {
      return { ...notOwed(row, "not owed: scores vetoed"), state: "vetoed", label: "Vetoed", detail: "The latest published scores were vetoed; wait for a new publication." };
    }
    return { ...notOwed(row, "unverified: the proof does not match the chain"), state: "mismatch", label: "Data out of date", detail: "The proof files do not match the root on chain; reload later." };
  }
  if (unconverted === 0n) {
    return {
      ...row,
      amountNote: `score ${formatScore(leaf.cumulativeScore)}, all converted`,
      state: "claimed",
      label: "Already claimed",
      detail: withNotes("Your whole score has been converted."),
    };
  }
  if (owed === 0n) return { ...row, state: "claimed", label: "Nothing to claim", detail: withNotes("Your unconverted score is worth less than 1 wei at the current rate.") };
  if (s.preview.amount === 0n) {
    return { ...row, state: "pool-empty", label: "Pool empty", detail: withNotes(`The pool is empty: ${fmt(owed)} ${unit} waits for a top-up.`) };
  }
  if (paused) return { ...row, state: "paused", label: "Claims paused", detail: withNotes("A guardian paused claims; try again later.") };
  if (s.preview.scoreConverted < unconverted) {
    const pay = `${fmt(s.preview.amount)} ${unit}`;
    return {
      ...row,
      state: "partial",
      label: "Claimable (partial)",
      detail: withNotes(`The pool holds less than you are owed: a claim now pays ${pay} of ${fmt(owed)} ${unit}; the rest waits for a top-up.`),
      payNow: s.preview.amount,
      claimable: true,
    };
  }
  return { ...row, state: "claimable", label: "Claimable", detail: withNotes(`A claim pays ${fmt(s.preview.amount)} ${unit}.`), payNow: s.preview.amount, claimable: true };
}

