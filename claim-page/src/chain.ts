/**
 * Reads the contracts' state for the page in two Multicall3 batches: first everything that does not depend on the
 * account's leaves (block time, balance, pause flag, each campaign's ledger and roots, the stake), then what does
 * (is the event leaf claimed, what would a channel claim pay) plus the symbol and decimals of ERC-20 tokens.
 */
import type { CampaignConfig, ClaimPageConfig } from "./config";
import type { ChannelLeaf, EventLeaf, Leaf } from "./proofs";
import { erc20Read, multicallRead, ReadFailure, rewardsRead, stakingRead, type Read, type Reader, type RewardsOut, type StakingOut } from "./reads";
import type { ChannelState, EventState, PostedRoot, TokenInfo } from "./rows";

export const ETH = "0x0000000000000000000000000000000000000000";
export const ETH_TOKEN: TokenInfo = { address: ETH, symbol: "ETH", decimals: 18 };

function postedRoot(r: { root: string; claimableAt: bigint; vetoed: boolean }): PostedRoot {
  return { root: String(r.root), claimableAt: BigInt(r.claimableAt), vetoed: Boolean(r.vetoed) };
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

export interface PageSnapshot {
  now: bigint;
  balance: bigint;
  paused: boolean;
  stake?: StakeView;
  /** Per campaign key (`event-1`), its state, or the error that kept it from loading. */
  campaigns: Map<string, EventState | ChannelState | Error>;
}

const keyOf = (c: CampaignConfig): string => `${c.kind}-${c.id}`;

/** Symbol and decimals of the tokens not in `cache` yet (ETH is built in); a token that does not answer is "tokens", 18. */
export async function readTokens(reader: Reader, tokens: string[], cache: Map<string, TokenInfo>): Promise<void> {
  const missing = [...new Set(tokens.map((t) => t.toLowerCase()))].filter((t) => t !== ETH && !cache.has(t));
  if (missing.length === 0) return;
  const out = await reader.settle(missing.flatMap((t) => [erc20Read(t, "symbol"), erc20Read(t, "decimals")] as const));
  missing.forEach((t, i) => {
    const symbol = out[2 * i];
    const decimals = out[2 * i + 1];
    cache.set(t, {
      address: t,
      symbol: typeof symbol === "string" && symbol.length > 0 && symbol.length <= 16 ? symbol : "tokens",
      decimals: typeof decimals === "bigint" && decimals <= 36n ? Number(decimals) : 18,
    });
  });
}

export function tokenInfo(cache: Map<string, TokenInfo>, token: string): TokenInfo {
  return token.toLowerCase() === ETH ? ETH_TOKEN : (cache.get(token.toLowerCase()) ?? { address: token, symbol: "tokens", decimals: 18 });
}

/** Everything the rows and the power panel need, in two `eth_call`s (with Multicall3). */
export async function readPage(
  reader: Reader,
  cfg: ClaimPageConfig,
  account: string,
  leaves: Map<string, Leaf | undefined>,
  tokens: Map<string, TokenInfo>,
): Promise<PageSnapshot> {
  const m = reader.multicall;
  const base = [multicallRead(m, "getCurrentBlockTimestamp"), multicallRead(m, "getEthBalance", account), rewardsRead(cfg.rewards, "claimsPaused")] as const;
  const campaignReads = cfg.campaigns.map((c) =>
    c.kind === "event"
      ? ([rewardsRead(cfg.rewards, "getEventBounty", c.id), rewardsRead(cfg.rewards, "getEventRoot", c.id)] as const)
      : ([
          rewardsRead(cfg.rewards, "getChannel", c.id),
          rewardsRead(cfg.rewards, "liveChannelRoot", c.id),
          rewardsRead(cfg.rewards, "pendingChannelRoot", c.id),
          rewardsRead(cfg.rewards, "convertedScore", c.id, account),
          rewardsRead(cfg.rewards, "currentRate", c.id),
        ] as const),
  );
  const stakeReads = cfg.staking
    ? ([
        stakingRead(cfg.staking, "powerOf", account, ETH),
        stakingRead(cfg.staking, "withdrawable", account, ETH),
        stakingRead(cfg.staking, "stakeOf", account, ETH),
        stakingRead(cfg.staking, "instalments"),
        stakingRead(cfg.staking, "instalmentInterval"),
      ] as const)
    : ([] as const);
  const flat = await reader.settle([...base, ...campaignReads.flat(), ...stakeReads]);
  const [now, balance, paused] = flat.slice(0, 3);
  for (const v of [now, balance, paused]) if (v instanceof ReadFailure) throw v;
  let at = 3;
  const firstPass = cfg.campaigns.map((_, i) => {
    const part = flat.slice(at, at + campaignReads[i].length);
    at += campaignReads[i].length;
    return part;
  });
  const stakeOut = flat.slice(at);

  // Second pass: what depends on the leaves, and the tokens' metadata.
  const second: { key: string; read: Read<RewardsOut<"isEventClaimed">> | Read<RewardsOut<"previewChannelClaim">> }[] = [];
  const tokenList: string[] = [];
  cfg.campaigns.forEach((c, i) => {
    const first = firstPass[i];
    if (first.some((v) => v instanceof ReadFailure)) return;
    tokenList.push(String((first[0] as { token: string }).token));
    const leaf = leaves.get(keyOf(c));
    if (c.kind === "event" && leaf?.kind === "event") second.push({ key: keyOf(c), read: rewardsRead(cfg.rewards, "isEventClaimed", c.id, (leaf as EventLeaf).index) });
    if (c.kind === "channel" && leaf?.kind === "channel") {
      second.push({ key: keyOf(c), read: rewardsRead(cfg.rewards, "previewChannelClaim", c.id, account, (leaf as ChannelLeaf).cumulativeScore) });
    }
  });
  const [secondOut] = await Promise.all([reader.settle(second.map((s) => s.read)), readTokens(reader, tokenList, tokens)]);
  const secondBy = new Map(second.map((s, i) => [s.key, secondOut[i]]));

  const campaigns = new Map<string, EventState | ChannelState | Error>();
  cfg.campaigns.forEach((c, i) => {
    const key = keyOf(c);
    const first = firstPass[i];
    const failed = [...first, secondBy.get(key)].find((v) => v instanceof ReadFailure) as ReadFailure | undefined;
    if (failed) {
      campaigns.set(key, failed);
      return;
    }
    if (c.kind === "event") {
      const [ev, root] = first as [RewardsOut<"getEventBounty">, RewardsOut<"getEventRoot">];
      const claimed = secondBy.get(key);
      campaigns.set(key, {
        brand: String(ev.brand),
        token: tokenInfo(tokens, String(ev.token)),
        end: BigInt(ev.end),
        claimWindow: BigInt(ev.claimWindow),
        publishDeadline: BigInt(ev.rootDeadline),
        funded: BigInt(ev.funded),
        total: BigInt(ev.total),
        claimed: BigInt(ev.claimed),
        settled: Boolean(ev.settled),
        root: postedRoot(root),
        claimsCloseAt: BigInt(ev.claimsCloseAt),
        leafClaimed: claimed === undefined ? false : Boolean(claimed),
      } satisfies EventState);
      return;
    }
    const [ch, live, pending, converted, rate] = first as [
      RewardsOut<"getChannel">,
      RewardsOut<"liveChannelRoot">,
      RewardsOut<"pendingChannelRoot">,
      RewardsOut<"convertedScore">,
      RewardsOut<"currentRate">,
    ];
    const preview = secondBy.get(key) as RewardsOut<"previewChannelClaim"> | undefined;
    campaigns.set(key, {
      brand: String(ch.brand),
      token: tokenInfo(tokens, String(ch.token)),
      rate: BigInt(rate),
      pendingRate: BigInt(ch.pendingRate),
      rateEffectiveAt: BigInt(ch.rateEffectiveAt),
      closesAt: BigInt(ch.closesAt),
      balance: BigInt(ch.balance),
      withdrawn: Boolean(ch.withdrawn),
      live: postedRoot(live.root),
      liveEpoch: BigInt(live.epoch),
      pending: postedRoot(pending.root),
      converted: BigInt(converted),
      preview: preview ? { amount: BigInt(preview.amount), scoreConverted: BigInt(preview.scoreConverted) } : { amount: 0n, scoreConverted: 0n },
    } satisfies ChannelState);
  });

  let stake: StakeView | undefined;
  if (stakeOut.length > 0 && !stakeOut.some((v) => v instanceof ReadFailure)) {
    const [power, withdrawable, s, instalments, interval] = stakeOut as [
      StakingOut<"powerOf">,
      StakingOut<"withdrawable">,
      StakingOut<"stakeOf">,
      StakingOut<"instalments">,
      StakingOut<"instalmentInterval">,
    ];
    stake = {
      power: BigInt(power),
      withdrawable: BigInt(withdrawable),
      staked: BigInt(s.staked),
      powerDownAmount: BigInt(s.powerDownAmount),
      powerDownWithdrawn: BigInt(s.powerDownWithdrawn),
      powerDownStart: BigInt(s.powerDownStart),
      instalments: BigInt(instalments),
      interval: BigInt(interval),
    };
  }
  return { now: BigInt(now as bigint), balance: BigInt(balance as bigint), paused: Boolean(paused), stake, campaigns };
}

