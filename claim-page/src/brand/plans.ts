/**
 * The brand console's rules, pure (no DOM, no I/O): a campaign's state and the actions it allows, the channel rate
 * as "1,000 points = X", datetime-local ↔ Unix time, and the "what will happen / when funds come back" text shown
 * before each wallet prompt. Times are the chain's (latest block), as the contracts compare them.
 */
import { parseUnits } from "ethers";
import type { Plan } from "../app";
import { exactAmount, formatDuration, formatTime } from "../format";
import type { ChannelOnChain, EventOnChain, TokenInfo } from "../rows";

const ZERO_ROOT = /^0x0{64}$/i;
/** Points per rate unit shown to brands: "1,000 points = X ETH". A point is 1e18 score units. */
export const RATE_POINTS = 1000n;

/** The deployment's parameters for campaigns created now (each campaign keeps the ones it was created under). */
export interface Params {
  challengePeriod: bigint;
  publishDeadline: bigint;
  rateChangeNotice: bigint;
  closeNotice: bigint;
  minClaimWindow: bigint;
}

/** An event as the brand console sees it: the chain's view plus its id, start and challenge period. */
export interface BrandEvent extends EventOnChain {
  id: bigint;
  start: bigint;
  /** The event's own challenge period (fixed at creation). */
  challengePeriod: bigint;
}

/** A channel as the brand console sees it: the chain's view plus its id, notices and totals from the logs. */
export interface BrandChannel extends ChannelOnChain {
  id: bigint;
  pendingEpoch: bigint;
  /** The channel's own notices (fixed at creation). */
  rateChangeNotice: bigint;
  closeNotice: bigint;
  /** Σ ChannelFunded + creation amount, and Σ ChannelClaimed, from the logs. */
  funded: bigint;
  claimed: bigint;
}

export type EventAction = "top-up" | "veto" | "refund" | "withdraw";
export type ChannelAction = "top-up" | "veto" | "announce-rate" | "announce-close" | "withdraw";

export interface StateView<A> {
  state: string;
  label: string;
  /** The dates that matter now. */
  dates: string[];
  actions: A[];
}

const amt = (x: bigint, t: TokenInfo): string => `${exactAmount(x, t.decimals)} ${t.symbol}`;
const when = (ts: bigint): string => `${formatTime(ts)} (${utc(ts)})`;

/** `2026-12-01 09:00 UTC`. */
export function utc(ts: bigint | number): string {
  return new Date(Number(ts) * 1000).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/** A `<input type="datetime-local">` value (the browser's local time) as Unix seconds; undefined when empty/invalid. */
export function localInputToUnix(value: string): bigint | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? BigInt(Math.floor(ms / 1000)) : undefined;
}

/** Unix seconds as a `datetime-local` value in the browser's local time. */
export function unixToLocalInput(ts: bigint): string {
  const d = new Date(Number(ts) * 1000);
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Token units from a decimal text ("0.5"); undefined when not a positive amount with at most `decimals` decimals. */
export function parseAmount(text: string, decimals: number): bigint | undefined {
  const t = text.trim().replace(",", ".");
  if (!/^\d*\.?\d+$|^\d+\.$/.test(t)) return undefined;
  try {
    const v = parseUnits(t, decimals);
    return v > 0n ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The contract's rate (token units per 1e18 score) from "1,000 points = `text` tokens"; must divide exactly. */
export function rateFromPer1000(text: string, decimals: number): { rate?: bigint; error?: string } {
  const per1000 = parseAmount(text, decimals);
  if (per1000 === undefined) return { error: `Enter what 1,000 points pay, e.g. 1 (at most ${decimals} decimals).` };
  if (per1000 % RATE_POINTS !== 0n) return { error: `That amount is not divisible into 1,000 equal points at ${decimals} decimals; round it.` };
  return { rate: per1000 / RATE_POINTS };
}

/** "1,000 points = 1 ETH". */
export function rateText(rate: bigint, token: TokenInfo): string {
  return `1,000 points = ${amt(rate * RATE_POINTS, token)}`;
}

export function eventView(e: BrandEvent, now: bigint): StateView<EventAction> {
  const hasRoot = !ZERO_ROOT.test(e.root.root);
  const pending = hasRoot && !e.root.vetoed && now < e.root.claimableAt;
  const live = hasRoot && !e.root.vetoed && now >= e.root.claimableAt;
  const windowEnd = e.claimsCloseAt !== 0n ? e.claimsCloseAt : e.root.claimableAt + e.claimWindow;
  const actions: EventAction[] = [];
  if (!e.settled && now < e.end) actions.push("top-up");
  if (pending) actions.push("veto");
  if (!e.settled && now > e.publishDeadline && !live && !pending) actions.push("refund");
  if (!e.settled && live && now > windowEnd) actions.push("withdraw");
  if (e.settled) return { state: "settled", label: "Settled", dates: [`Ended ${when(e.end)}`], actions };
  if (now < e.start) return { state: "scheduled", label: "Scheduled", dates: [`Starts ${when(e.start)}`, `Ends ${when(e.end)}`], actions };
  if (now < e.end) return { state: "running", label: "Running", dates: [`Ends ${when(e.end)}`, `Results due by ${when(e.publishDeadline)}`], actions };
  if (pending) return { state: "challenge", label: "Results in challenge period", dates: [`Veto possible until ${when(e.root.claimableAt)}`, `Then claims open for ${formatDuration(e.claimWindow)}`], actions };
  if (live && now <= windowEnd) return { state: "claiming", label: "Claims open", dates: [`Claim window ends ${when(windowEnd)}`, `Then you can withdraw what is unclaimed`], actions };
  if (live) return { state: "window-over", label: "Claim window over", dates: [`Closed ${when(windowEnd)}`], actions };
  if (now > e.publishDeadline) return { state: "refundable", label: e.root.vetoed ? "Vetoed, deadline passed" : "No results by the deadline", dates: [`Deadline was ${when(e.publishDeadline)}`], actions };
  return { state: e.root.vetoed ? "vetoed" : "awaiting", label: e.root.vetoed ? "Results vetoed: awaiting new ones" : "Awaiting results", dates: [`Results due by ${when(e.publishDeadline)}; after that you may take a full refund`], actions };
}

export function channelView(c: BrandChannel, now: bigint): StateView<ChannelAction> {
  const pending = !ZERO_ROOT.test(c.pending.root) && !c.pending.vetoed && now < c.pending.claimableAt;
  const actions: ChannelAction[] = [];
  const closed = c.closesAt !== 0n && now >= c.closesAt;
  if (c.closesAt === 0n) actions.push("top-up", "announce-rate", "announce-close");
  if (pending) actions.push("veto");
  if (closed && !c.withdrawn) actions.push("withdraw");
  const dates: string[] = [];
  if (c.pendingRate !== 0n && c.rateEffectiveAt > now) dates.push(`Rate becomes ${rateText(c.pendingRate, c.token)} on ${when(c.rateEffectiveAt)}`);
  if (pending) dates.push(`Pending scores (epoch ${c.pendingEpoch}) can be vetoed until ${when(c.pending.claimableAt)}`);
  if (c.closesAt !== 0n) dates.push(closed ? `Closed ${when(c.closesAt)}` : `Closes ${when(c.closesAt)}; users claim until then`);
  if (c.withdrawn) return { state: "withdrawn", label: "Closed and withdrawn", dates, actions };
  if (closed) return { state: "closed", label: "Closed: withdraw the rest", dates, actions };
  if (c.closesAt !== 0n) return { state: "closing", label: "Closing", dates, actions };
  if (pending) return { state: "challenge", label: "New scores in challenge period", dates, actions };
  return { state: "open", label: "Open", dates, actions };
}

// ------------------------------------------------------------------------------------------- plans

export function createEventPlan(p: { token: TokenInfo; amount: bigint; start: bigint; end: bigint; claimWindow: bigint }, params: Params): Plan {
  return {
    title: "Create the event",
    what: [
      `You send ${amt(p.amount, p.token)} to the rewards contract, where it stays as the event's pot.`,
      `Engagement counts from ${when(p.start)} to ${when(p.end)}.`,
      `After the end the publisher posts the results; you can veto them during the ${formatDuration(params.challengePeriod)} challenge period, then users claim for ${formatDuration(p.claimWindow)}.`,
    ],
    fundsBack: `What users do not claim comes back to you with Withdraw once the claim window closes (at the earliest ${when(p.end + params.challengePeriod + p.claimWindow)}). If no results are live by ${when(p.end + params.publishDeadline)}, Refund returns the whole pot.`,
  };
}

export function approvePlan(token: TokenInfo, amount: bigint, spender: string): Plan {
  return {
    title: `Allow the contract to take ${token.symbol}`,
    what: [`An approval: the rewards contract ${spender} may move ${amt(amount, token)} from your wallet — nothing moves yet.`, "The next step sends the funds."],
    fundsBack: "Nothing leaves your wallet with this step.",
    confirmLabel: "Approve in the wallet",
  };
}

export function createChannelPlan(p: { token: TokenInfo; rate: bigint; amount: bigint }, params: Params): Plan {
  return {
    title: "Create the channel",
    what: [
      `A perpetual pool paying ${rateText(p.rate, p.token)} of cumulative score.`,
      p.amount > 0n ? `You send ${amt(p.amount, p.token)} as its first funds.` : "No funds yet: top it up before users can claim.",
      `You can change the rate with ${formatDuration(params.rateChangeNotice)} notice, and top up at any time.`,
    ],
    fundsBack: `Funds come back only after you announce a close: users keep claiming for ${formatDuration(params.closeNotice)}, then Withdraw returns what is left.`,
  };
}

export function topUpPlan(kind: "event" | "channel", id: bigint, amount: bigint, token: TokenInfo, e?: BrandEvent, params?: Params): Plan {
  return {
    title: `Top up ${kind} #${id}`,
    what: [`You add ${amt(amount, token)} to the ${kind === "event" ? "event's pot" : "channel's pool"}.`],
    fundsBack:
      kind === "event" && e && params
        ? `The unclaimed part comes back with Withdraw after the claim window (at the earliest ${when(e.end + e.challengePeriod + e.claimWindow)}), or all of it with Refund if no results are live by ${when(e.publishDeadline)}.`
        : "It comes back only after you announce a close and the close notice passes (Withdraw).",
  };
}

export function vetoPlan(kind: "event" | "channel", id: bigint, root: string): Plan {
  return {
    title: `Veto the results of ${kind} #${id}`,
    what: [
      `The posted root ${root.slice(0, 10)}… is refused: nobody can claim from it.`,
      kind === "event" ? "The publisher can then post corrected results." : "Its epoch number is burnt; the publisher posts a new epoch. The scores already live stay claimable.",
    ],
    fundsBack: "No funds move. The pot stays in the contract for the corrected results (or a refund if none are live by the deadline).",
    confirmLabel: "Veto in the wallet",
  };
}

export function refundPlan(e: BrandEvent): Plan {
  return {
    title: `Refund event #${e.id}`,
    what: [`No results went live by the deadline (${when(e.publishDeadline)}): the event ends without payouts.`],
    fundsBack: `Now: ${amt(e.funded, e.token)} comes back to your wallet in this transaction.`,
  };
}

export function withdrawEventPlan(e: BrandEvent): Plan {
  const rest = e.funded - e.claimed;
  return {
    title: `Withdraw what is unclaimed from event #${e.id}`,
    what: ["The claim window is over: the event is settled and no more claims are possible."],
    fundsBack: `Now: ${amt(rest, e.token)} comes back to your wallet in this transaction.`,
  };
}

export function ratePlan(c: BrandChannel, rate: bigint, now: bigint): Plan {
  return {
    title: `Change the rate of channel #${c.id}`,
    what: [`From ${rateText(c.rate, c.token)} to ${rateText(rate, c.token)}, effective ${when(now + c.rateChangeNotice)} (after the channel's ${formatDuration(c.rateChangeNotice)} notice).`],
    fundsBack: "No funds move.",
  };
}

export function closePlan(c: BrandChannel, now: bigint): Plan {
  return {
    title: `Close channel #${c.id}`,
    what: [`Users can still claim until ${when(now + c.closeNotice)} (the channel's ${formatDuration(c.closeNotice)} notice). No more top-ups.`],
    fundsBack: `From ${when(now + c.closeNotice)}, Withdraw returns what is left in the pool (now ${amt(c.balance, c.token)}).`,
  };
}

export function withdrawChannelPlan(c: BrandChannel): Plan {
  return {
    title: `Withdraw channel #${c.id}`,
    what: ["The channel is closed: this ends it."],
    fundsBack: `Now: ${amt(c.balance, c.token)} comes back to your wallet in this transaction.`,
  };
}
