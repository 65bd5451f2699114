/**
 * The one fixture set of the contract tests (unit, attack, gas, invariant) and of the e2e tests that need a
 * bare deployment. Use it with `loadFixture`:
 *
 *   const f = await loadFixture(deployFixture);
 *   const ev = await liveEvent(f, [{ account: f.users[0].address, amount: ONE_ETH }]);
 *   await f.rewards.claimEvent(...ev.tree.claimArgs(0));
 *
 * Times are bigint seconds throughout (the chain's arithmetic is bigint; `time.latest()`'s number is
 * converted once, here). Merkle trees are OpenZeppelin StandardMerkleTree (double-hashed, sorted pairs) over
 * the leaves of `scorer/src/format`, the one owner of the leaf encodings, as the scorer writes them.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type {
  FeeOnTransferToken,
  GasBurningToken,
  Like2EarnRewards,
  MockERC20,
  PowerStaking,
  RewardsLedgerLens,
} from "../../../typechain-types";
import type { ChannelClaimStruct, EventClaimStruct } from "../../../typechain-types/contracts/Like2EarnRewards";
import { CHANNEL_LEAF_ENCODING, EVENT_LEAF_ENCODING, leafValue } from "../../../scorer/src/format";

export const ZERO = ethers.ZeroAddress;
export const ETH = ethers.ZeroAddress;
/** Time units, in seconds. */
export const HOUR = 3_600n;
export const DAY = 24n * HOUR;
export const WEEK = 7n * DAY;
export const ONE_ETH = ethers.parseEther("1");
/** 10^18: one whole token (18 decimals) and one point of score (18-decimal fixed point, the contract's
 * SCORE_UNIT); a channel rate is token wei per WAD of score. */
export const WAD = 10n ** 18n;
export const MAX_UINT128 = (1n << 128n) - 1n;

/** Timing parameters of a Like2EarnRewards deployment (seconds), in constructor order. */
export interface RewardsParams {
  challengePeriod: bigint;
  publishDeadline: bigint;
  rateChangeNotice: bigint;
  closeNotice: bigint;
  /** Least event claim window. */
  minClaimWindow: bigint;
}

/** The timing parameters every fixture deploys with: the deploy module's defaults, except `minClaimWindow`. */
export const PARAMS: RewardsParams = {
  challengePeriod: DAY,
  publishDeadline: 14n * DAY,
  rateChangeNotice: 3n * DAY,
  closeNotice: 7n * DAY,
  /** Lower than the deployment default (7 days) so short-window cases stay expressible. */
  minClaimWindow: DAY,
};

/** PowerStaking parameters of the fixture (the deploy module's defaults). */
export const STAKING = { instalments: 4n, instalmentInterval: WEEK } as const;

/** {ILike2EarnRewards-BatchItemSkipped} kinds and reasons. */
export const KIND = { event: 0, channel: 1 } as const;
export const SKIP = { nothingOwed: 0, poolEmpty: 1, paymentRejected: 2, paymentOutOfGas: 3 } as const;

export interface DeployFixture {
  rewards: Like2EarnRewards;
  /** Staking of ETH and `token`. */
  staking: PowerStaking;
  /** 18-decimal mintable ERC-20 (MockERC20); every signer below but the roles holds FUNDING and approved both contracts. */
  token: MockERC20;
  /** Fee-on-transfer ERC-20 (1% burnt per transfer); both brands hold FUNDING and approved both contracts. */
  feeToken: FeeOnTransferToken;
  /** Reads every ledger and balance of a rewards contract in one call. */
  lens: RewardsLedgerLens;
  /** The timing parameters `rewards` was deployed with. */
  params: RewardsParams;
  admin: HardhatEthersSigner;
  publisher: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  brand: HardhatEthersSigner;
  /** A second brand, for "another campaign" cases. */
  brand2: HardhatEthersSigner;
  /** Holds no role and owns no campaign. */
  stranger: HardhatEthersSigner;
  /** The other fourteen accounts (claimants, stakers, relayers). */
  users: HardhatEthersSigner[];
}

/** Deploys Like2EarnRewards with the given roles and timing parameters. */
export async function deployRewardsContract(
  admin: HardhatEthersSigner,
  publisher: HardhatEthersSigner,
  guardian: HardhatEthersSigner,
  params: RewardsParams = PARAMS,
): Promise<Like2EarnRewards> {
  return ethers.deployContract("Like2EarnRewards", [
    admin.address,
    publisher.address,
    guardian.address,
    params.challengePeriod,
    params.publishDeadline,
    params.rateChangeNotice,
    params.closeNotice,
    params.minClaimWindow,
  ]);
}

/** What each funded account of a test deployment is minted of a test token: 1,000,000 tokens (18 decimals). */
export const FUNDING = 1_000_000n * WAD;

/** Mints `amount` of a test token to `holder`, who then approves each of `spenders` for an unlimited amount. */
export async function mintAndApprove(
  token: MockERC20 | FeeOnTransferToken | GasBurningToken,
  holder: HardhatEthersSigner,
  amount: bigint,
  spenders: readonly string[],
): Promise<void> {
  await token.mint(holder.address, amount);
  for (const spender of spenders) await token.connect(holder).approve(spender, ethers.MaxUint256);
}

/**
 * Deploys Like2EarnRewards (PARAMS, or `params` for a suite that needs other timings: wrap it in a named
 * function for `loadFixture`), PowerStaking (ETH + MockERC20, STAKING), the test tokens and the ledger lens.
 */
export async function deployFixture(params: RewardsParams = PARAMS): Promise<DeployFixture> {
  const [admin, publisher, guardian, brand, brand2, stranger, ...users] = await ethers.getSigners();

  const rewards = await deployRewardsContract(admin, publisher, guardian, params);
  const token = await ethers.deployContract("MockERC20", ["Mock", "MOCK"]);
  const feeToken = await ethers.deployContract("FeeOnTransferToken");
  const lens = await ethers.deployContract("RewardsLedgerLens");
  const staking = await ethers.deployContract("PowerStaking", [
    await token.getAddress(),
    STAKING.instalments,
    STAKING.instalmentInterval,
  ]);

  const spenders = [await rewards.getAddress(), await staking.getAddress()];
  for (const who of [brand, brand2, stranger, ...users]) await mintAndApprove(token, who, FUNDING, spenders);
  for (const who of [brand, brand2]) await mintAndApprove(feeToken, who, FUNDING, spenders);

  return { rewards, staking, token, feeToken, lens, params, admin, publisher, guardian, brand, brand2, stranger, users };
}

/* -------------------------------------------------------------------------------------------------------------
                                                  MERKLE TREES
------------------------------------------------------------------------------------------------------------- */

/* The leaf encodings and field order are `scorer/src/format/leaves.ts`'s: the trees below are built through it. */

export interface EventLeafInput {
  account: string;
  amount: bigint;
  /** Leaf index; defaults to the position in the input array. */
  index?: bigint | number;
}

export interface EventTree {
  eventId: bigint;
  tree: StandardMerkleTree<[bigint, bigint, string, bigint]>;
  root: string;
  /** Σ amounts. */
  total: bigint;
  /** The leaves, in input order, with their index resolved. */
  leaves: { index: bigint; account: string; amount: bigint }[];
  /** Proof of the i-th input leaf. */
  proof(i: number): string[];
  /** Arguments of `claimEvent` for the i-th input leaf. */
  claimArgs(i: number): [bigint, bigint, string, bigint, string[]];
  /** The i-th input leaf as a batch item. */
  item(i: number): EventClaimStruct;
}

/** An event tree with leaves `[eventId, index, account, amount]`, as the scorer publishes it. */
export function eventTree(eventId: bigint | number, inputs: EventLeafInput[]): EventTree {
  const id = BigInt(eventId);
  const leaves = inputs.map((l, i) => ({ index: BigInt(l.index ?? i), account: l.account, amount: l.amount }));
  const values = leaves.map(
    (l) => leafValue({ kind: "event", eventId: id, ...l }) as [bigint, bigint, string, bigint],
  );
  const tree = StandardMerkleTree.of(values, [...EVENT_LEAF_ENCODING]);
  const proof = (i: number) => tree.getProof(i);
  return {
    eventId: id,
    tree,
    root: tree.root,
    total: leaves.reduce((s, l) => s + l.amount, 0n),
    leaves,
    proof,
    claimArgs: (i) => [id, leaves[i].index, leaves[i].account, leaves[i].amount, proof(i)],
    item: (i) => ({ eventId: id, ...leaves[i], proof: proof(i) }),
  };
}

export interface ChannelLeafInput {
  account: string;
  cumulativeScore: bigint;
}

/** A channel leaf, named by its position in the input or by its account (a channel has one leaf per account). */
export type ChannelLeafRef = number | string;

export interface ChannelTree {
  channelId: bigint;
  tree: StandardMerkleTree<[bigint, string, bigint]>;
  root: string;
  /** Σ cumulative scores. */
  scoreTotal: bigint;
  leaves: ChannelLeafInput[];
  /** Position of `account`'s leaf (throws when it has none). */
  indexOf(account: string): number;
  /** Cumulative score of a leaf. */
  score(leaf: ChannelLeafRef): bigint;
  proof(leaf: ChannelLeafRef): string[];
  /** A leaf as a batch item (channel items are always for msg.sender). */
  item(leaf: ChannelLeafRef): ChannelClaimStruct;
}

/** A channel tree with leaves `[channelId, account, cumulativeScore]`. */
export function channelTree(channelId: bigint | number, inputs: ChannelLeafInput[]): ChannelTree {
  const id = BigInt(channelId);
  const values = inputs.map(
    (l) => leafValue({ kind: "channel", channelId: id, account: l.account, cumulativeScore: l.cumulativeScore }) as [bigint, string, bigint],
  );
  const tree = StandardMerkleTree.of(values, [...CHANNEL_LEAF_ENCODING]);
  const indexOf = (account: string) => {
    const i = inputs.findIndex((l) => l.account.toLowerCase() === account.toLowerCase());
    if (i < 0) throw new Error(`no leaf for ${account} in channel ${id}'s tree`);
    return i;
  };
  const at = (leaf: ChannelLeafRef) => (typeof leaf === "number" ? leaf : indexOf(leaf));
  const proof = (leaf: ChannelLeafRef) => tree.getProof(at(leaf));
  const score = (leaf: ChannelLeafRef) => inputs[at(leaf)].cumulativeScore;
  return {
    channelId: id,
    tree,
    root: tree.root,
    scoreTotal: inputs.reduce((s, l) => s + l.cumulativeScore, 0n),
    leaves: inputs,
    indexOf,
    score,
    proof,
    item: (leaf) => ({ channelId: id, cumulativeScore: score(leaf), proof: proof(leaf) }),
  };
}

/* -------------------------------------------------------------------------------------------------------------
                                                   SCENARIOS
------------------------------------------------------------------------------------------------------------- */

/** What the scenario helpers need of a fixture (the invariant suite's snapshot carries the same fields). */
export type FixtureRoles = Pick<DeployFixture, "rewards" | "params" | "brand" | "publisher">;

/** Block time of the latest block. */
export async function blockTime(): Promise<bigint> {
  return BigInt(await time.latest());
}

export interface EventOptions {
  /** Reward token (default ETH). */
  token?: string;
  /** Pot at creation (default 10 ETH). */
  amount?: bigint;
  /** Seconds from now to the start (default 0: starts now). */
  startIn?: bigint;
  /** Seconds from the start to the end (default 1 day). */
  duration?: bigint;
  /** Claim window in seconds (default 30 days). */
  claimWindow?: bigint;
  /** Creator (default f.brand). */
  brand?: HardhatEthersSigner;
  metadataURI?: string;
}

export interface CreatedEvent {
  eventId: bigint;
  start: bigint;
  end: bigint;
  claimWindow: bigint;
  amount: bigint;
  token: string;
  brand: HardhatEthersSigner;
}

/** Id the next created event / channel will get (ids start at 1). */
export async function nextEventId(rewards: Like2EarnRewards): Promise<bigint> {
  return (await rewards.eventCount()) + 1n;
}
export async function nextChannelId(rewards: Like2EarnRewards): Promise<bigint> {
  return (await rewards.channelCount()) + 1n;
}

/** Creates and funds an event; returns its id and times. */
export async function createEvent(f: FixtureRoles, o: EventOptions = {}): Promise<CreatedEvent> {
  const token = o.token ?? ETH;
  const amount = o.amount ?? ethers.parseEther("10");
  const brand = o.brand ?? f.brand;
  const start = (await blockTime()) + (o.startIn ?? 0n);
  const end = start + (o.duration ?? DAY);
  const claimWindow = o.claimWindow ?? 30n * DAY;
  const eventId = await nextEventId(f.rewards);
  await f.rewards
    .connect(brand)
    .createEvent(token, start, end, claimWindow, amount, o.metadataURI ?? "ipfs://event", {
      value: token === ETH ? amount : 0n,
    });
  return { eventId, start, end, claimWindow, amount, token, brand };
}

/** Moves to the event's end, unless it is past already (a root may be posted from then on). */
export async function endEvent(f: FixtureRoles, eventId: bigint): Promise<void> {
  const { end } = await f.rewards.getEventBounty(eventId);
  if ((await blockTime()) < end) await time.increaseTo(end);
}

/** Ends the event if needed and publishes `tree`, declaring `total` (default Σ amounts); returns the root's claimableAt. */
export async function publishEventTree(f: FixtureRoles, tree: EventTree, total: bigint = tree.total): Promise<bigint> {
  await endEvent(f, tree.eventId);
  await f.rewards
    .connect(f.publisher)
    .publishEventRoot(tree.eventId, tree.root, total, tree.leaves.length, ethers.id("manifest"));
  return (await f.rewards.getEventRoot(tree.eventId)).claimableAt;
}

/** As {publishEventTree}, then waits out the challenge period: claims are open. */
export async function publishLiveEventTree(f: FixtureRoles, tree: EventTree, total?: bigint): Promise<bigint> {
  const claimableAt = await publishEventTree(f, tree, total);
  await time.increaseTo(claimableAt);
  return claimableAt;
}

export interface PublishedEvent extends CreatedEvent {
  tree: EventTree;
  claimableAt: bigint;
}

/** Creates an event, moves past its end, publishes `leaves` (total = Σ amounts unless given). */
export async function publishedEvent(
  f: FixtureRoles,
  leaves: EventLeafInput[],
  o: EventOptions & { total?: bigint } = {},
): Promise<PublishedEvent> {
  const ev = await createEvent(f, o);
  const tree = eventTree(ev.eventId, leaves);
  const claimableAt = await publishEventTree(f, tree, o.total);
  return { ...ev, tree, claimableAt };
}

/** As {publishedEvent}, then waits out the challenge period: claims are open. */
export async function liveEvent(
  f: FixtureRoles,
  leaves: EventLeafInput[],
  o: EventOptions & { total?: bigint } = {},
): Promise<PublishedEvent> {
  const ev = await publishedEvent(f, leaves, o);
  await time.increaseTo(ev.claimableAt);
  return ev;
}

export interface ChannelOptions {
  token?: string;
  /** Token wei per 1e18 score (default 1e18: one token wei per score wei). */
  rate?: bigint;
  /** Pool at creation (default 10 ETH). */
  amount?: bigint;
  brand?: HardhatEthersSigner;
}

/** Creates and funds a channel; returns its id. */
export async function createChannel(f: FixtureRoles, o: ChannelOptions = {}): Promise<bigint> {
  const token = o.token ?? ETH;
  const amount = o.amount ?? ethers.parseEther("10");
  const channelId = await nextChannelId(f.rewards);
  await f.rewards
    .connect(o.brand ?? f.brand)
    .createChannel(token, o.rate ?? WAD, amount, "ipfs://channel", { value: token === ETH ? amount : 0n });
  return channelId;
}

/** Publishes `leaves` as `epoch` of a channel and waits out the challenge period. */
export async function publishLiveChannelRoot(
  f: FixtureRoles,
  channelId: bigint,
  epoch: bigint | number,
  leaves: ChannelLeafInput[],
): Promise<ChannelTree> {
  const tree = channelTree(channelId, leaves);
  await f.rewards
    .connect(f.publisher)
    .publishChannelRoot(channelId, epoch, tree.root, tree.scoreTotal, leaves.length, ethers.id(`epoch-${epoch}`));
  await time.increase(f.params.challengePeriod);
  return tree;
}

/** The event's configuration and ledger (`getEventBounty`). */
export async function readEvent(rewards: Like2EarnRewards, eventId: bigint | number) {
  return rewards.getEventBounty(eventId);
}

/** Gas used by a sent transaction. */
export async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  const receipt = await (await tx).wait();
  return receipt!.gasUsed;
}
