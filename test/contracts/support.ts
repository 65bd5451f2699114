/**
 * Shared helpers for the attack, invariant and gas tests: a self-contained deployment (so these suites
 * do not depend on the unit tests' fixture shape) and small OpenZeppelin standard Merkle trees for event
 * and channel leaves.
 */
import { ethers } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type {
  Like2EarnRewards,
  MockERC20,
  FeeOnTransferToken,
  RewardsLedgerLens,
} from "../../typechain-types";

export const ETH = ethers.ZeroAddress;
export const HOUR = 3600n;
export const DAY = 86_400n;
export const WAD = 10n ** 18n;

/** Timing parameters used by these suites (seconds). */
export const PARAMS = {
  challengePeriod: 2n * HOUR,
  publishDeadline: 7n * DAY,
  rateChangeNotice: 1n * DAY,
  closeNotice: 3n * DAY,
} as const;

export const EVENT_LEAF = ["uint256", "uint256", "address", "uint256"];
export const CHANNEL_LEAF = ["uint256", "address", "uint256"];

export interface Deployment {
  rewards: Like2EarnRewards;
  token: MockERC20;
  fot: FeeOnTransferToken;
  lens: RewardsLedgerLens;
  admin: HardhatEthersSigner;
  publisher: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  brand: HardhatEthersSigner;
  brand2: HardhatEthersSigner;
  users: HardhatEthersSigner[];
}

/** Deploys the rewards contract, an 18-decimal mock token, a fee-on-transfer token and the ledger lens. */
export async function deployRewards(): Promise<Deployment> {
  const [admin, publisher, guardian, brand, brand2, ...users] = await ethers.getSigners();
  const rewards = (await ethers.deployContract("Like2EarnRewards", [
    admin.address,
    publisher.address,
    guardian.address,
    PARAMS.challengePeriod,
    PARAMS.publishDeadline,
    PARAMS.rateChangeNotice,
    PARAMS.closeNotice,
  ])) as unknown as Like2EarnRewards;
  const token = (await ethers.deployContract("MockERC20", ["Mock", "MOCK"])) as unknown as MockERC20;
  const fot = (await ethers.deployContract("FeeOnTransferToken")) as unknown as FeeOnTransferToken;
  const lens = (await ethers.deployContract("RewardsLedgerLens")) as unknown as RewardsLedgerLens;
  const rewardsAddress = await rewards.getAddress();
  for (const b of [brand, brand2]) {
    await token.mint(b.address, 1_000_000n * WAD);
    await token.connect(b).approve(rewardsAddress, ethers.MaxUint256);
    await fot.mint(b.address, 1_000_000n * WAD);
    await fot.connect(b).approve(rewardsAddress, ethers.MaxUint256);
  }
  return { rewards, token, fot, lens, admin, publisher, guardian, brand, brand2, users };
}

export interface EventLeafInput {
  account: string;
  amount: bigint;
}

/** An event tree: leaf i is `[eventId, i, account, amount]` (index = position in `leaves`). */
export class EventTree {
  readonly tree: StandardMerkleTree<[bigint, bigint, string, bigint]>;
  readonly total: bigint;
  constructor(
    readonly eventId: bigint,
    readonly leaves: EventLeafInput[],
  ) {
    this.tree = StandardMerkleTree.of(
      leaves.map((l, i) => [eventId, BigInt(i), l.account, l.amount] as [bigint, bigint, string, bigint]),
      EVENT_LEAF,
    );
    this.total = leaves.reduce((s, l) => s + l.amount, 0n);
  }
  get root(): string {
    return this.tree.root;
  }
  proof(index: number): string[] {
    return this.tree.getProof(index);
  }
  /** Arguments of `claimEvent` for leaf `index`. */
  claimArgs(index: number): [bigint, bigint, string, bigint, string[]] {
    const l = this.leaves[index];
    return [this.eventId, BigInt(index), l.account, l.amount, this.proof(index)];
  }
  /** An `EventClaim` batch item for leaf `index`. */
  item(index: number) {
    const l = this.leaves[index];
    return { eventId: this.eventId, index: BigInt(index), account: l.account, amount: l.amount, proof: this.proof(index) };
  }
}

export interface ChannelLeafInput {
  account: string;
  score: bigint;
}

/** A channel tree: leaf `[channelId, account, cumulativeScore]`. */
export class ChannelTree {
  readonly tree: StandardMerkleTree<[bigint, string, bigint]>;
  readonly scoreTotal: bigint;
  constructor(
    readonly channelId: bigint,
    readonly leaves: ChannelLeafInput[],
  ) {
    this.tree = StandardMerkleTree.of(
      leaves.map((l) => [channelId, l.account, l.score] as [bigint, string, bigint]),
      CHANNEL_LEAF,
    );
    this.scoreTotal = leaves.reduce((s, l) => s + l.score, 0n);
  }
  get root(): string {
    return this.tree.root;
  }
  indexOf(account: string): number {
    const i = this.leaves.findIndex((l) => l.account.toLowerCase() === account.toLowerCase());
    if (i < 0) throw new Error(`no leaf for ${account}`);
    return i;
  }
  score(account: string): bigint {
    return this.leaves[this.indexOf(account)].score;
  }
  proof(account: string): string[] {
    return this.tree.getProof(this.indexOf(account));
  }
  /** A `ChannelClaim` batch item for `account` (the batch caller). */
  item(account: string) {
    return { channelId: this.channelId, cumulativeScore: this.score(account), proof: this.proof(account) };
  }
}

/** Id the next created event / channel will get (ids start at 1). */
export async function nextEventId(rewards: Like2EarnRewards): Promise<bigint> {
  return (await rewards.eventCount()) + 1n;
}
export async function nextChannelId(rewards: Like2EarnRewards): Promise<bigint> {
  return (await rewards.channelCount()) + 1n;
}
