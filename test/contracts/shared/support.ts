/**
 * Helpers for the attack, invariant and gas tests: a self-contained deployment (so these suites do not
 * depend on the unit tests' fixture shape; its own timing PARAMS, `./fixtures`'s time units as bigints) and
 * class wrappers over the event and channel Merkle trees. The contract deploy, time units and tree building
 * are `./fixtures`'s; the leaf encodings are `scorer/src/format`'s.
 */
import { ethers } from "hardhat";
import type { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type {
  Like2EarnRewards,
  MockERC20,
  FeeOnTransferToken,
  RewardsLedgerLens,
} from "../../../typechain-types";
import {
  channelTree,
  DAY as DAY_SECONDS,
  deployRewardsContract,
  eventTree,
  FUNDING,
  HOUR as HOUR_SECONDS,
  mintAndApprove,
  SCORE_UNIT,
} from "./fixtures";

export { ETH, nextChannelId, nextEventId } from "./fixtures";
/** `./fixtures`'s time units as bigints (these suites do bigint time math). */
export const HOUR = BigInt(HOUR_SECONDS);
export const DAY = BigInt(DAY_SECONDS);
/** 10^18: one token (18 decimals) and one unit of score; `./fixtures`'s SCORE_UNIT. */
export const WAD = SCORE_UNIT;

/** Timing parameters used by these suites (seconds). */
export const PARAMS = {
  challengePeriod: 2n * HOUR,
  publishDeadline: 7n * DAY,
  rateChangeNotice: 1n * DAY,
  closeNotice: 3n * DAY,
} as const;

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
  const rewards = await deployRewardsContract(admin, publisher, guardian, PARAMS);
  const token = (await ethers.deployContract("MockERC20", ["Mock", "MOCK"])) as unknown as MockERC20;
  const fot = (await ethers.deployContract("FeeOnTransferToken")) as unknown as FeeOnTransferToken;
  const lens = (await ethers.deployContract("RewardsLedgerLens")) as unknown as RewardsLedgerLens;
  const rewardsAddress = await rewards.getAddress();
  for (const b of [brand, brand2]) {
    await mintAndApprove(token, b, FUNDING, [rewardsAddress]);
    await mintAndApprove(fot, b, FUNDING, [rewardsAddress]);
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
    const t = eventTree(eventId, leaves);
    this.tree = t.tree;
    this.total = t.total;
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
    const t = channelTree(channelId, leaves.map((l) => ({ account: l.account, cumulativeScore: l.score })));
    this.tree = t.tree;
    this.scoreTotal = t.scoreTotal;
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
