/**
 * Shared, typed fixtures for the contract tests (unit, attack, invariant, gas). Use them with `loadFixture`:
 *
 *   const f = await loadFixture(deployFixture);
 *   const ev = await liveEvent(f, [{ account: f.users[0].address, amount: ONE_ETH }]);
 *   await f.rewards.claimEvent(ev.eventId, 0, f.users[0].address, ONE_ETH, ev.tree.proof(0));
 *
 * Merkle trees are OpenZeppelin StandardMerkleTree (double-hashed, sorted pairs), as the scorer writes them.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type {
  FeeOnTransferToken,
  Like2EarnRewards,
  MockERC20,
  PowerStaking,
} from "../../../typechain-types";
import type { ChannelClaimStruct, EventClaimStruct } from "../../../typechain-types/contracts/Like2EarnRewards";
import { CHANNEL_LEAF_ENCODING, EVENT_LEAF_ENCODING, leafValue } from "../../../scorer/src/format";

export const ZERO = ethers.ZeroAddress;
export const ETH = ethers.ZeroAddress;
/** Time units in seconds, as numbers; `./support` re-exports them as bigints (its suites do bigint time math). */
export const HOUR = 3_600;
export const DAY = 86_400;
export const WEEK = 7 * DAY;
export const ONE_ETH = ethers.parseEther("1");
/** Score is 18-decimal fixed point; a channel rate is token wei per SCORE_UNIT of score. */
export const SCORE_UNIT = 10n ** 18n;
export const MAX_UINT128 = (1n << 128n) - 1n;

/** Timing parameters of the deployed rewards contract (seconds), the deploy module's defaults. */
export const PARAMS = {
  challengePeriod: DAY,
  publishDeadline: 14 * DAY,
  rateChangeNotice: 3 * DAY,
  closeNotice: 7 * DAY,
  /** Lower than the deployment default (7 days) so short-window cases stay expressible. */
  minClaimWindow: DAY,
} as const;

/** PowerStaking parameters of the fixture (the deploy module's defaults). */
export const STAKING = { instalments: 4, instalmentInterval: WEEK } as const;

/** {ILike2EarnRewards-BatchItemSkipped} kinds and reasons. */
export const KIND = { event: 0, channel: 1 } as const;
export const SKIP = { nothingOwed: 0, poolEmpty: 1, paymentRejected: 2, paymentOutOfGas: 3 } as const;

export interface DeployFixture {
  rewards: Like2EarnRewards;
  /** Staking of ETH and `token`. */
  staking: PowerStaking;
  /** 18-decimal mintable ERC-20 (MockERC20); every user and brand holds 1,000,000 and approved both contracts. */
  token: MockERC20;
  /** Fee-on-transfer ERC-20 (1% burnt per transfer); brand holds 1,000,000 and approved both contracts. */
  feeToken: FeeOnTransferToken;
  admin: HardhatEthersSigner;
  publisher: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  brand: HardhatEthersSigner;
  /** A second brand, for "another campaign" cases. */
  brand2: HardhatEthersSigner;
  /** Holds no role and owns no campaign. */
  stranger: HardhatEthersSigner;
  /** Ten user accounts (claimants, stakers). */
  users: HardhatEthersSigner[];
}

/** Timing parameters of a Like2EarnRewards deployment (seconds). */
export interface RewardsParams {
  challengePeriod: bigint | number;
  publishDeadline: bigint | number;
  rateChangeNotice: bigint | number;
  closeNotice: bigint | number;
  /** Least event claim window (default 1 hour when omitted). */
  minClaimWindow?: bigint | number;
}

/** Deploys Like2EarnRewards with the given roles and timing parameters. */
export async function deployRewardsContract(
  admin: HardhatEthersSigner,
  publisher: HardhatEthersSigner,
  guardian: HardhatEthersSigner,
  params: RewardsParams,
): Promise<Like2EarnRewards> {
  return ethers.deployContract("Like2EarnRewards", [
    admin.address,
    publisher.address,
    guardian.address,
    params.challengePeriod,
    params.publishDeadline,
    params.rateChangeNotice,
    params.closeNotice,
    params.minClaimWindow ?? HOUR,
  ]);
}

/** What each funded account of a test deployment is minted of a test token: 1,000,000 tokens (18 decimals). */
export const FUNDING = ethers.parseEther("1000000");

/** Mints `amount` of a test token to `holder`, who then approves each of `spenders` for an unlimited amount. */
export async function mintAndApprove(
  token: MockERC20 | FeeOnTransferToken,
  holder: HardhatEthersSigner,
  amount: bigint,
  spenders: readonly string[],
): Promise<void> {
  await token.mint(holder.address, amount);
  for (const spender of spenders) await token.connect(holder).approve(spender, ethers.MaxUint256);
}

/** Deploys Like2EarnRewards (PARAMS), PowerStaking (ETH + MockERC20, STAKING), and the test tokens. */
export async function deployFixture(): Promise<DeployFixture> {
  const [admin, publisher, guardian, brand, brand2, stranger, ...rest] = await ethers.getSigners();
  const users = rest.slice(0, 10);

  const rewards = await deployRewardsContract(admin, publisher, guardian, PARAMS);
  const token = await ethers.deployContract("MockERC20", ["Mock", "MOCK"]);
  const feeToken = await ethers.deployContract("FeeOnTransferToken");
  const staking = await ethers.deployContract("PowerStaking", [
    await token.getAddress(),
    STAKING.instalments,
    STAKING.instalmentInterval,
  ]);

  const spenders = [await rewards.getAddress(), await staking.getAddress()];
  for (const who of [brand, brand2, stranger, ...users]) await mintAndApprove(token, who, FUNDING, spenders);
  await mintAndApprove(feeToken, brand, FUNDING, spenders);

  return { rewards, staking, token, feeToken, admin, publisher, guardian, brand, brand2, stranger, users };
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
  tree: StandardMerkleTree<[bigint, bigint, string, bigint]>;
  root: string;
  /** Σ amounts. */
  total: bigint;
  /** The leaves, in input order, with their index resolved. */
  leaves: { index: bigint; account: string; amount: bigint }[];
  /** Proof of the i-th input leaf. */
  proof(i: number): string[];
  /** The i-th input leaf as a batch item. */
  item(i: number): EventClaimStruct;
}

/** An event tree with leaves `[eventId, index, account, amount]`, as the scorer publishes it. */
export function eventTree(eventId: bigint | number, inputs: EventLeafInput[]): EventTree {
  const leaves = inputs.map((l, i) => ({ index: BigInt(l.index ?? i), account: l.account, amount: l.amount }));
  const values = leaves.map(
    (l) => leafValue({ kind: "event", eventId: BigInt(eventId), index: l.index, account: l.account, amount: l.amount }) as [bigint, bigint, string, bigint],
  );
  const tree = StandardMerkleTree.of(values, [...EVENT_LEAF_ENCODING]);
  return {
    tree,
    root: tree.root,
    total: leaves.reduce((s, l) => s + l.amount, 0n),
    leaves,
    proof: (i) => tree.getProof(i),
    item: (i) => ({
      eventId: BigInt(eventId),
      index: leaves[i].index,
      account: leaves[i].account,
      amount: leaves[i].amount,
      proof: tree.getProof(i),
    }),
  };
}

export interface ChannelLeafInput {
  account: string;
  cumulativeScore: bigint;
}

export interface ChannelTree {
  tree: StandardMerkleTree<[bigint, string, bigint]>;
  root: string;
  /** Σ cumulative scores. */
  scoreTotal: bigint;
  leaves: ChannelLeafInput[];
  /** Proof of the i-th input leaf. */
  proof(i: number): string[];
  /** The i-th input leaf as a batch item (channel items are always for msg.sender). */
  item(i: number): ChannelClaimStruct;
}

/** A channel tree with leaves `[channelId, account, cumulativeScore]`. */
export function channelTree(channelId: bigint | number, inputs: ChannelLeafInput[]): ChannelTree {
  const values = inputs.map(
    (l) => leafValue({ kind: "channel", channelId: BigInt(channelId), account: l.account, cumulativeScore: l.cumulativeScore }) as [bigint, string, bigint],
  );
  const tree = StandardMerkleTree.of(values, [...CHANNEL_LEAF_ENCODING]);
  return {
    tree,
    root: tree.root,
    scoreTotal: inputs.reduce((s, l) => s + l.cumulativeScore, 0n),
    leaves: inputs,
    proof: (i) => tree.getProof(i),
    item: (i) => ({ channelId: BigInt(channelId), cumulativeScore: inputs[i].cumulativeScore, proof: tree.getProof(i) }),
  };
}

/* -------------------------------------------------------------------------------------------------------------
                                                   SCENARIOS
------------------------------------------------------------------------------------------------------------- */

export interface EventOptions {
  /** Reward token (default ETH). */
  token?: string;
  /** Pot at creation (default 10 ETH). */
  amount?: bigint;
  /** Seconds from now to the start (default 0: starts now). */
  startIn?: number;
  /** Seconds from the start to the end (default 1 day). */
  duration?: number;
  /** Claim window in seconds (default 30 days). */
  claimWindow?: number;
  /** Creator (default f.brand). */
  brand?: HardhatEthersSigner;
  metadataURI?: string;
}

export interface CreatedEvent {
  eventId: bigint;
  start: number;
  end: number;
  claimWindow: number;
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
export async function createEvent(f: DeployFixture, o: EventOptions = {}): Promise<CreatedEvent> {
  const token = o.token ?? ETH;
  const amount = o.amount ?? ethers.parseEther("10");
  const brand = o.brand ?? f.brand;
  const now = await time.latest();
  const start = now + (o.startIn ?? 0);
  const end = start + (o.duration ?? DAY);
  const claimWindow = o.claimWindow ?? 30 * DAY;
  const eventId = await nextEventId(f.rewards);
  await f.rewards
    .connect(brand)
    .createEvent(token, start, end, claimWindow, amount, o.metadataURI ?? "ipfs://event", {
      value: token === ETH ? amount : 0n,
    });
  return { eventId, start, end, claimWindow, amount, token, brand };
}

export interface PublishedEvent extends CreatedEvent {
  tree: EventTree;
  claimableAt: number;
}

/** Creates an event, moves past its end, publishes `leaves` (total = Σ amounts unless given). */
export async function publishedEvent(
  f: DeployFixture,
  leaves: EventLeafInput[],
  o: EventOptions & { total?: bigint } = {},
): Promise<PublishedEvent> {
  const ev = await createEvent(f, o);
  const tree = eventTree(ev.eventId, leaves);
  await time.increaseTo(ev.end);
  await f.rewards
    .connect(f.publisher)
    .publishEventRoot(ev.eventId, tree.root, o.total ?? tree.total, tree.leaves.length, ethers.id("manifest"));
  const root = await f.rewards.getEventRoot(ev.eventId);
  return { ...ev, tree, claimableAt: Number(root.claimableAt) };
}

/** As {publishedEvent}, then waits out the challenge period: claims are open. */
export async function liveEvent(
  f: DeployFixture,
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
export async function createChannel(f: DeployFixture, o: ChannelOptions = {}): Promise<bigint> {
  const token = o.token ?? ETH;
  const amount = o.amount ?? ethers.parseEther("10");
  const channelId = await nextChannelId(f.rewards);
  await f.rewards
    .connect(o.brand ?? f.brand)
    .createChannel(token, o.rate ?? SCORE_UNIT, amount, "ipfs://channel", { value: token === ETH ? amount : 0n });
  return channelId;
}

/** Publishes `leaves` as `epoch` of a channel and waits out the challenge period. */
export async function publishLiveChannelRoot(
  f: DeployFixture,
  channelId: bigint,
  epoch: number,
  leaves: ChannelLeafInput[],
): Promise<ChannelTree> {
  const tree = channelTree(channelId, leaves);
  await f.rewards
    .connect(f.publisher)
    .publishChannelRoot(channelId, epoch, tree.root, tree.scoreTotal, leaves.length, ethers.id(`epoch-${epoch}`));
  await time.increase(PARAMS.challengePeriod);
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
