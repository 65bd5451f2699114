/**
 * The chain and the published files the browser test starts from, on a `hardhat node`, built with the project's
 * own pieces where they fit: the brand's functions (scripts/lib/brand.ts) fund four events and two channels; the
 * scorer's tree writer (scorer/src/tree.ts, proofs.ts) writes each campaign's tree.json and proofs/XX.json, the
 * files the page reads; the publisher posts the roots. Their challenge period then passes, but for one event that
 * stays in it, and the claim page's config is written beside the folders.
 *
 * Not used, and why: `runDemo` (scripts/lib/demo-flow.ts) needs a Hardhat runtime and runs the story through to
 * the claims and the brand's withdrawal; Ignition on a `hardhat node` records the deployment in
 * deploy/deployments/chain-31337/, which would clash with a developer's own local node; `publishRoot` needs a full
 * scorer manifest (inputs, on-chain snapshot), which hand-picked leaves do not have. So the contracts are deployed
 * with a ContractFactory and the Ignition module's constructor arguments, and roots are posted directly.
 */
import fs from "node:fs";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { Contract, ContractFactory, JsonRpcProvider, keccak256, parseEther, ZeroAddress, type InterfaceAbi, type JsonRpcSigner } from "ethers";
import * as brandLib from "../../scripts/lib/brand";
import type { Rewards } from "../../scripts/lib/env";
import { errorInterface } from "../../scripts/lib/errors";
import { installMulticall3 } from "../../scorer/src/multicall";
import { ACCOUNT_FIELD, EVENT_LEAF_ENCODING, LEAF_ENCODING, leafAccount, PROOFS_DIR, serializeShard, shardNameOf, type ProofEntry } from "../../scorer/src/format";
import { writeTreeOutputs } from "../../scorer/src/proofs";
import { buildTree } from "../../scorer/src/tree";
import { REPO } from "./harness";

const DAY = 86_400;
export const CHALLENGE_PERIOD = 3600;
const ONE = 10n ** 18n;

function artifact(name: string): { abi: InterfaceAbi; bytecode: string } {
  const file = path.join(REPO, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
  if (!fs.existsSync(file)) throw new Error(`${file} missing: run \`npx hardhat compile\``);
  return JSON.parse(fs.readFileSync(file, "utf8")) as { abi: InterfaceAbi; bytecode: string };
}

export interface EventPlan {
  id: bigint;
  name: string;
  pot: bigint;
  /** Leaves (account → amount); the user's is among them unless `userAmount` is 0. */
  leaves: [string, bigint][];
  userAmount: bigint;
}

export interface ChannelPlan {
  id: bigint;
  name: string;
  rate: bigint;
  funded: bigint;
  scores: [string, bigint][];
  userScore: bigint;
  /** What the user's first claim pays (the pool may be short). */
  userPays: bigint;
}

export interface Scenario {
  rpcUrl: string;
  chainId: bigint;
  provider: JsonRpcProvider;
  rewards: Rewards;
  staking: Contract;
  brand: JsonRpcSigner;
  /** An account that is not the user, to trigger claims on the user's behalf. */
  stranger: JsonRpcSigner;
  user: string;
  events: Record<"launch" | "contest" | "early" | "late" | "vetoed", EventPlan>;
  channels: Record<"creators" | "small", ChannelPlan>;
  /** Folder holding the campaign folders and claim-page.config.json. */
  dataDir: string;
  configFile: string;
}

/** A campaign folder as the scorer writes it: tree.json, all 256 proofs/XX.json shards (`{}` when empty). */
async function writeScorerDir(dir: string, kind: "event" | "channel", values: (string | bigint)[][]): Promise<string> {
  const tree = await buildTree(values, LEAF_ENCODING[kind]);
  fs.mkdirSync(dir, { recursive: true });
  await writeTreeOutputs(dir, tree, values, ACCOUNT_FIELD[kind], { fsync: false });
  return tree.root;
}

/**
 * A campaign folder with only the shards that hold someone (OpenZeppelin's StandardMerkleTree): the shard of an
 * account that has nothing is then a 404, which the page must read as "nothing for you".
 */
function writeSparseDir(dir: string, values: (string | bigint)[][]): string {
  const tree = StandardMerkleTree.of(
    values.map((v) => v.map((x) => x.toString())),
    [...EVENT_LEAF_ENCODING],
  );
  fs.mkdirSync(path.join(dir, PROOFS_DIR), { recursive: true });
  fs.writeFileSync(path.join(dir, "tree.json"), JSON.stringify(tree.dump()));
  const shards = new Map<string, [string, ProofEntry][]>();
  for (const [i, v] of tree.entries()) {
    const account = leafAccount("event", v);
    const entries = shards.get(shardNameOf(account)) ?? [];
    entries.push([account, { value: v, proof: tree.getProof(i) }]);
    shards.set(shardNameOf(account), entries);
  }
  for (const [name, entries] of shards) fs.writeFileSync(path.join(dir, PROOFS_DIR, name), serializeShard(entries));
  return tree.root;
}

async function mine(provider: JsonRpcProvider, seconds: number): Promise<void> {
  await provider.send("evm_increaseTime", [seconds]);
  await provider.send("evm_mine", []);
}

async function now(provider: JsonRpcProvider): Promise<bigint> {
  return BigInt((await provider.getBlock("latest"))!.timestamp);
}

/** Lets the chain run `seconds` forward and mines a block. */
export async function advance(provider: JsonRpcProvider, seconds: number): Promise<void> {
  await mine(provider, seconds);
}

/**
 * Deploys and publishes the test's world on the node at `rpcUrl`; writes the data folders under `dataDir`.
 * Accounts: #0 admin, #1 publisher, #2 guardian, #3 brand, #4 the page's user, #5…#9 other users.
 */
export async function setUpScenario(rpcUrl: string, dataDir: string): Promise<Scenario> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { pollingInterval: 200, cacheTimeout: -1 });
  const signers = await provider.listAccounts();
  const [admin, publisher, guardian, brand, userSigner] = signers;
  const others = signers.slice(5, 10).map((s) => s.address);
  const user = userSigner.address;
  const chainId = (await provider.getNetwork()).chainId;
  await installMulticall3(provider);

  const R = artifact("Like2EarnRewards");
  const S = artifact("PowerStaking");
  const rewardsDeployed = await new ContractFactory(R.abi, R.bytecode, admin).deploy(
    admin.address,
    publisher.address,
    guardian.address,
    CHALLENGE_PERIOD,
    7 * DAY,
    DAY,
    DAY,
    3_600, // least event claim window
  );
  await rewardsDeployed.waitForDeployment();
  const stakingDeployed = await new ContractFactory(S.abi, S.bytecode, admin).deploy(ZeroAddress, 4, 7 * DAY);
  await stakingDeployed.waitForDeployment();
  const rewardsAddress = await rewardsDeployed.getAddress();
  const stakingAddress = await stakingDeployed.getAddress();
  const rewards = new Contract(rewardsAddress, R.abi, provider) as unknown as Rewards;
  const staking = new Contract(stakingAddress, S.abi, provider);
  const errors = errorInterface([R.abi, S.abi]);

  const ev = (id: number, name: string, pot: string, userAmount: bigint, otherAmounts: string[]): EventPlan => {
    const leaves: [string, bigint][] = otherAmounts.map((a, i) => [others[i], parseEther(a)]);
    if (userAmount > 0n) leaves.splice(1, 0, [user, userAmount]);
    return { id: BigInt(id), name, pot: parseEther(pot), leaves, userAmount };
  };
  const events = {
    launch: ev(1, "Launch week", "10", parseEther("1.25"), ["3", "2.5", "1.75", "1.5"]),
    contest: ev(2, "Meme contest", "4", 333_333_333_333_333_333n, ["1.2", "0.8", "1.666666666666666667"]),
    early: ev(3, "Early birds", "2", 0n, ["1.5", "0.5"]),
    late: ev(4, "Late results", "1", parseEther("0.4"), ["0.6"]),
    vetoed: ev(5, "Disputed results", "1", parseEther("0.2"), ["0.8"]),
  };
  const channels = {
    creators: {
      id: 1n,
      name: "Creator channel",
      rate: parseEther("0.001"),
      funded: parseEther("2"),
      scores: [
        [others[0], 700n * ONE],
        [user, 500n * ONE],
        [others[1], 123_456_789_000_000_000_000n],
      ] as [string, bigint][],
      userScore: 500n * ONE,
      userPays: parseEther("0.5"),
    },
    small: {
      id: 2n,
      name: "Small pool",
      rate: parseEther("0.01"),
      funded: parseEther("0.3"),
      scores: [
        [user, 50n * ONE],
        [others[2], 40n * ONE],
      ] as [string, bigint][],
      userScore: 50n * ONE,
      userPays: parseEther("0.3"),
    },
  };

  // The brand funds four events and two channels.
  const start = await now(provider);
  for (const e of Object.values(events)) {
    const { eventId } = await brandLib.createEvent(
      rewards,
      { start, end: start + 600n, claimWindow: 30n * BigInt(DAY), amount: e.pot, metadataURI: `ipfs://test/${e.name}` },
      { signer: brand, errors },
    );
    if (eventId !== e.id) throw new Error(`expected event ${e.id}, got ${eventId}`);
  }
  for (const c of Object.values(channels)) {
    const { channelId } = await brandLib.createChannel(rewards, { rate: c.rate, amount: c.funded, metadataURI: `ipfs://test/${c.name}` }, { signer: brand, errors });
    if (channelId !== c.id) throw new Error(`expected channel ${c.id}, got ${channelId}`);
  }
  await mine(provider, 700); // the events have ended

  // The scorer's output files, then the publisher posts each root.
  fs.mkdirSync(dataDir, { recursive: true });
  const asPublisher = rewards.connect(publisher);
  const publishEvent = async (e: EventPlan, sparse = false): Promise<void> => {
    const values = e.leaves.map(([account, amount], i) => [e.id, BigInt(i), account, amount]);
    const total = e.leaves.reduce((sum, [, a]) => sum + a, 0n);
    const dir = path.join(dataDir, `event-${e.id}`);
    const root = sparse ? writeSparseDir(dir, values) : await writeScorerDir(dir, "event", values);
    const manifestHash = keccak256(fs.readFileSync(path.join(dir, "tree.json")));
    await (await asPublisher.publishEventRoot(e.id, root, total, values.length, manifestHash)).wait();
  };
  const publishChannel = async (c: ChannelPlan, epoch: bigint): Promise<void> => {
    const values = c.scores.map(([account, score]) => [c.id, account, score]);
    const total = c.scores.reduce((sum, [, a]) => sum + a, 0n);
    const dir = path.join(dataDir, `channel-${c.id}`);
    const root = await writeScorerDir(dir, "channel", values);
    const manifestHash = keccak256(fs.readFileSync(path.join(dir, "tree.json")));
    await (await asPublisher.publishChannelRoot(c.id, epoch, root, total, values.length, manifestHash)).wait();
  };
  await publishEvent(events.launch);
  await publishEvent(events.contest);
  await publishEvent(events.early, true);
  await publishChannel(channels.creators, 1n);
  await publishChannel(channels.small, 1n);
  await mine(provider, CHALLENGE_PERIOD + 1); // their challenge period has passed
  await publishEvent(events.late); // this one is still in its challenge period
  await publishEvent(events.vetoed); // and this one the guardian vetoes in its challenge period
  await (await rewards.connect(guardian).vetoEventRoot(events.vetoed.id)).wait();

  const config = {
    chainId: Number(chainId),
    chainName: "Hardhat test node",
    rpcUrl,
    rewards: rewardsAddress,
    staking: stakingAddress,
    campaigns: [
      ...Object.values(events).map((e) => ({ kind: "event", id: Number(e.id), proofsBaseUrl: `event-${e.id}/`, name: e.name })),
      ...Object.values(channels).map((c) => ({ kind: "channel", id: Number(c.id), proofsBaseUrl: `channel-${c.id}/`, name: c.name })),
    ],
  };
  const configFile = path.join(dataDir, "claim-page.config.json");
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));

  return {
    rpcUrl,
    chainId,
    provider,
    rewards,
    staking,
    brand,
    stranger: signers[9],
    user,
    events,
    channels,
    dataDir,
    configFile,
  };
}
