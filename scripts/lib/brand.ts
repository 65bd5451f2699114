/**
 * The brand's actions on events and channels, as plain functions over a contract handle. Each waits for
 * the receipt and returns what the chain says (ids, amounts), decoding a revert into a readable error.
 */
import { Contract, ZeroAddress, type ContractTransactionReceipt, type Signer } from "ethers";
import type { Rewards } from "./env";
import { explain, Like2EarnError } from "./errors";
import { send, type TxOptions } from "./tx";

export type { TxOptions } from "./tx";

const ERC20_ABI = [
  "function approve(address spender, uint256 amount) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function balanceOf(address account) view returns (uint256)",
];

function eventArg(rewards: Rewards, receipt: ContractTransactionReceipt, eventName: string, arg: string): bigint {
  for (const entry of receipt.logs) {
    try {
      const parsed = rewards.interface.parseLog(entry);
      if (parsed?.name === eventName) return BigInt(parsed.args[arg]);
    } catch {
      /* another contract's log */
    }
  }
  throw new Like2EarnError(`transaction ${receipt.hash} emitted no ${eventName}`);
}

/** ETH: the value to send. ERC-20: approves the rewards contract if needed and sends no value. */
async function payment(rewards: Rewards, token: string, amount: bigint, options: TxOptions): Promise<bigint> {
  if (token === ZeroAddress) return amount;
  const erc20 = new Contract(token, ERC20_ABI, options.signer);
  const owner = await options.signer.getAddress();
  const spender = await rewards.getAddress();
  if ((await erc20.allowance(owner, spender)) < amount) {
    await explain(`approve ${amount} of ${token}`, async () => (await erc20.approve(spender, amount)).wait(), options.errors);
  }
  return 0n;
}

function as(rewards: Rewards, signer: Signer): Rewards {
  return rewards.connect(signer) as Rewards;
}

export interface CreateEventParams {
  token?: string;
  start: bigint;
  end: bigint;
  claimWindow: bigint;
  amount: bigint;
  metadataURI?: string;
}

/** Creates and funds an event; returns its id. */
export async function createEvent(rewards: Rewards, p: CreateEventParams, options: TxOptions) {
  const token = p.token ?? ZeroAddress;
  const value = await payment(rewards, token, p.amount, options);
  const receipt = await send(rewards, "event:create", options, () =>
    as(rewards, options.signer).createEvent(token, p.start, p.end, p.claimWindow, p.amount, p.metadataURI ?? "", { value }),
  );
  return { eventId: eventArg(rewards, receipt, "EventCreated", "eventId"), receipt };
}

/** Tops up an event before it ends. */
export async function fundEvent(rewards: Rewards, eventId: bigint, amount: bigint, options: TxOptions) {
  const ev = await rewards.getEventBounty(eventId);
  const value = await payment(rewards, ev.token, amount, options);
  const receipt = await send(rewards, `event:fund ${eventId}`, options, () => as(rewards, options.signer).fundEvent(eventId, amount, { value }));
  return { funded: eventArg(rewards, receipt, "EventFunded", "funded"), receipt };
}

/** Vetoes an event's root in its challenge period (the brand or a guardian). */
export async function vetoEvent(rewards: Rewards, eventId: bigint, options: TxOptions) {
  return send(rewards, `event:veto ${eventId}`, options, () => as(rewards, options.signer).vetoEventRoot(eventId));
}

/** Takes the whole pot back (to `to`, default the brand) when no root went live by the deadline; returns the amount. */
export async function refundEvent(rewards: Rewards, eventId: bigint, options: TxOptions, to?: string) {
  const recipient = to ?? (await options.signer.getAddress());
  const receipt = await send(rewards, `event:refund ${eventId}`, options, () => as(rewards, options.signer).refundEvent(eventId, recipient));
  return { amount: eventArg(rewards, receipt, "EventRefunded", "amount"), to: recipient, receipt };
}

/** Withdraws (to `to`, default the brand) what was not claimed once the claim window closed; returns the amount. */
export async function withdrawEvent(rewards: Rewards, eventId: bigint, options: TxOptions, to?: string) {
  const recipient = to ?? (await options.signer.getAddress());
  const receipt = await send(rewards, `event:withdraw ${eventId}`, options, () => as(rewards, options.signer).withdrawUnclaimed(eventId, recipient));
  return { amount: eventArg(rewards, receipt, "EventUnclaimedWithdrawn", "amount"), to: recipient, receipt };
}

export interface CreateChannelParams {
  token?: string;
  /** Token wei per 1e18 score units. */
  rate: bigint;
  amount: bigint;
  metadataURI?: string;
}

/** Creates a channel (optionally funded); returns its id. */
export async function createChannel(rewards: Rewards, p: CreateChannelParams, options: TxOptions) {
  const token = p.token ?? ZeroAddress;
  const value = p.amount > 0n ? await payment(rewards, token, p.amount, options) : 0n;
  const receipt = await send(rewards, "channel:create", options, () =>
    as(rewards, options.signer).createChannel(token, p.rate, p.amount, p.metadataURI ?? "", { value }),
  );
  return { channelId: eventArg(rewards, receipt, "ChannelCreated", "channelId"), receipt };
}

/** Tops up a channel; returns its new balance. */
export async function fundChannel(rewards: Rewards, channelId: bigint, amount: bigint, options: TxOptions) {
  const ch = await rewards.getChannel(channelId);
  const value = await payment(rewards, ch.token, amount, options);
  const receipt = await send(rewards, `channel:fund ${channelId}`, options, () =>
    as(rewards, options.signer).fundChannel(channelId, amount, { value }),
  );
  return { balance: eventArg(rewards, receipt, "ChannelFunded", "balance"), receipt };
}

/** Announces a new rate; returns when it takes effect. */
export async function announceRate(rewards: Rewards, channelId: bigint, rate: bigint, options: TxOptions) {
  const receipt = await send(rewards, `channel:rate ${channelId}`, options, () =>
    as(rewards, options.signer).announceRateChange(channelId, rate),
  );
  return { effectiveAt: eventArg(rewards, receipt, "ChannelRateChangeAnnounced", "effectiveAt"), receipt };
}

/** Announces the close; returns when it takes effect. */
export async function announceClose(rewards: Rewards, channelId: bigint, options: TxOptions) {
  const receipt = await send(rewards, `channel:close ${channelId}`, options, () => as(rewards, options.signer).announceClose(channelId));
  return { closesAt: eventArg(rewards, receipt, "ChannelCloseAnnounced", "closesAt"), receipt };
}

/** Vetoes a channel's pending root in its challenge period. */
export async function vetoChannel(rewards: Rewards, channelId: bigint, options: TxOptions) {
  return send(rewards, `channel:veto ${channelId}`, options, () => as(rewards, options.signer).vetoChannelRoot(channelId));
}

/** Withdraws (to `to`, default the brand) what is left once the close took effect; returns the amount. */
export async function withdrawChannel(rewards: Rewards, channelId: bigint, options: TxOptions, to?: string) {
  const recipient = to ?? (await options.signer.getAddress());
  const receipt = await send(rewards, `channel:withdraw ${channelId}`, options, () => as(rewards, options.signer).withdrawChannel(channelId, recipient));
  return { amount: eventArg(rewards, receipt, "ChannelWithdrawn", "amount"), to: recipient, receipt };
}
