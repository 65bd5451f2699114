/** Reads the contracts' state for the page through the wallet's provider. */
import type { Result } from "ethers";
import type { ChannelState, EventState, PostedRoot } from "./rows";
import type { Rpc } from "./wallet";

function postedRoot(r: Result): PostedRoot {
  return { root: String(r.root), claimableAt: BigInt(r.claimableAt), vetoed: Boolean(r.vetoed) };
}

export async function readEvent(rpc: Rpc, rewards: string, eventId: bigint, index: bigint | undefined): Promise<EventState> {
  const [[ev], [root], claimed] = await Promise.all([
    rpc.call(rewards, "getEventBounty", [eventId]),
    rpc.call(rewards, "getEventRoot", [eventId]),
    index === undefined ? Promise.resolve(undefined) : rpc.call(rewards, "isEventClaimed", [eventId, index]),
  ]);
  return {
    brand: String(ev.brand),
    token: String(ev.token),
    end: BigInt(ev.end),
    claimWindow: BigInt(ev.claimWindow),
    publishDeadline: BigInt(ev.rootDeadline),
    funded: BigInt(ev.funded),
    total: BigInt(ev.total),
    claimed: BigInt(ev.claimed),
    settled: Boolean(ev.settled),
    root: postedRoot(root),
    leafClaimed: claimed ? Boolean(claimed[0]) : false,
  };
}

export async function readChannel(
  rpc: Rpc,
  rewards: string,
  channelId: bigint,
  account: string,
  cumulativeScore: bigint | undefined,
): Promise<ChannelState> {
  const [[ch], live, pending, [converted], [rate], preview] = await Promise.all([
    rpc.call(rewards, "getChannel", [channelId]),
    rpc.call(rewards, "liveChannelRoot", [channelId]),
    rpc.call(rewards, "pendingChannelRoot", [channelId]),
    rpc.call(rewards, "convertedScore", [channelId, account]),
    rpc.call(rewards, "currentRate", [channelId]),
    cumulativeScore === undefined
      ? Promise.resolve(undefined)
      : rpc.call(rewards, "previewChannelClaim", [channelId, account, cumulativeScore]),
  ]);
  return {
    brand: String(ch.brand),
    token: String(ch.token),
    rate: BigInt(rate),
    pendingRate: BigInt(ch.pendingRate),
    rateEffectiveAt: BigInt(ch.rateEffectiveAt),
    closesAt: BigInt(ch.closesAt),
    balance: BigInt(ch.balance),
    withdrawn: Boolean(ch.withdrawn),
    live: postedRoot(live.root as Result),
    pending: postedRoot(pending.root as Result),
    converted: BigInt(converted),
    preview: preview ? { amount: BigInt(preview.amount), scoreConverted: BigInt(preview.scoreConverted) } : { amount: 0n, scoreConverted: 0n },
  };
}

export interface StakeView {
  power: bigint;
  withdrawable: bigint;
  staked: bigint;
  powerDownAmount: bigint;
  powerDownWithdrawn: bigint;
  powerDownStart: bigint;
  instalments: bigint;
  interval: bigint;
}

const ETH = "0x0000000000000000000000000000000000000000";

export async function readStake(rpc: Rpc, staking: string, account: string): Promise<StakeView> {
  const [[power], [withdrawable], stake, [instalments], [interval]] = await Promise.all([
    rpc.call(staking, "powerOf", [account, ETH]),
    rpc.call(staking, "withdrawable", [account, ETH]),
    rpc.call(staking, "stakeOf", [account, ETH]),
    rpc.call(staking, "instalments"),
    rpc.call(staking, "instalmentInterval"),
  ]);
  return {
    power: BigInt(power),
    withdrawable: BigInt(withdrawable),
    staked: BigInt(stake.staked),
    powerDownAmount: BigInt(stake.powerDownAmount),
    powerDownWithdrawn: BigInt(stake.powerDownWithdrawn),
    powerDownStart: BigInt(stake.powerDownStart),
    instalments: BigInt(instalments),
    interval: BigInt(interval),
  };
}
