/**
 * The orchestrator (an edge: files and RPC). Config + inputs → score → allocate → tree → outputs,
 * written atomically into the output directory. Every input is validated before anything is read
 * from the chain or written.
 */
import { createWriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { once } from "node:events";
import {
  allocateChannel,
  allocateEvent,
  channelLeaves,
  checkCumulative,
  CHANNEL_LEAVES,
  eventLeaves,
  EVENT_LEAVES,
  type Allocation,
} from "./allocate";
import { checkAddress } from "./address";
import { chainDataToJson, type ChainData } from "./chain-data";
import { configToJson, parseConfigText, withSnapshotBlock, type CampaignConfig } from "./config";
import type { EngagementTable } from "./engagements";
import { ManifestError, ScorerError } from "./errors";
import { formatWadFixed } from "./fixed";
import { ingestEngagements } from "./ingest";
import { csvColumns, csvField, readLines, splitCsvLine } from "./ingest/lines";
import { MANIFEST_FORMAT, manifestToJson, parseManifest, scorerVersion, sha256File, sha256Text, type FileRecord, type Manifest } from "./manifest";
import { readChainData, type ChainReader } from "./onchain";
import { writeDirAtomically } from "./output";
import { readParticipants, type Participant } from "./participants";
import { writeTreeOutputs as defaultWriteTreeOutputs } from "./proofs";
import { score, type ScoreResult } from "./score";
import { buildTree as defaultBuildTree, type FastMerkleTree, type LeafValue } from "./tree";

/** Progress of a stage: `done` of `total` units (bytes, accounts, steps). */
export type ProgressFn = (stage: string, done: number, total: number) => void;

/** The tree functions (injectable for tests). */
export interface TreeBackend {
  buildTree(values: readonly LeafValue[], leafEncoding: readonly string[]): Promise<FastMerkleTree>;
  writeTreeOutputs(
    dir: string,
    tree: FastMerkleTree,
    values: readonly LeafValue[],
    accountField: number,
    options?: { onProgress?: (stage: "checksums" | "tree" | "proofs", done: number, total: number) => void },
  ): Promise<void>;
}

export const defaultTreeBackend: TreeBackend = { buildTree: defaultBuildTree, writeTreeOutputs: defaultWriteTreeOutputs };

export interface CampaignInputPaths {
  readonly configPath: string;
  readonly engagementPaths: readonly string[];
  readonly participantsPath: string;
}

export interface LoadedInputs {
  readonly config: CampaignConfig;
  readonly participants: readonly Participant[];
  readonly table: EngagementTable;
}

/** Reads and validates the config, participants and engagements (no chain access). */
export async function loadInputs(paths: CampaignInputPaths, onProgress?: ProgressFn): Promise<LoadedInputs> {
  if (paths.engagementPaths.length === 0) throw new ScorerError("no engagement files given (--engagements FILE...)");
  const config = parseConfigText(await readInput(paths.configPath), paths.configPath);
  const participants = await readParticipants(paths.participantsPath);
  const table = await ingestEngagements(paths.engagementPaths, {
    onProgress: onProgress ? (done, total) => onProgress("read engagements", done, total) : undefined,
  });
  return { config, participants, table };
}

async function readInput(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw new ScorerError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

export interface Computed {
  readonly result: ScoreResult;
  readonly allocations: readonly Allocation[];
  readonly leaves: readonly LeafValue[];
  readonly leafEncoding: readonly string[];
  readonly accountField: number;
  /** Event: Σ wei; channel: Σ cumulative scores. */
  readonly total: bigint;
  readonly tree: FastMerkleTree;
}

/** Scores, allocates and builds the tree. Pure apart from the tree backend. */
export async function computeCampaign(
  inputs: LoadedInputs,
  chain: ChainData,
  backend: TreeBackend = defaultTreeBackend,
  onProgress?: ProgressFn,
): Promise<Computed> {
  const { config } = inputs;
  onProgress?.("score", 0, 1);
  const result = score(inputs.table, inputs.participants, config, chain);
  onProgress?.("score", 1, 1);
  let allocations: Allocation[];
  let leaves: LeafValue[];
  let leafEncoding: readonly string[];
  let accountField: number;
  if (config.kind === "event") {
    allocations = allocateEvent(result.accounts, config.pot!);
    leaves = eventLeaves(config.campaignId, allocations);
    leafEncoding = EVENT_LEAVES;
    accountField = 2;
  } else {
    allocations = allocateChannel(result.accounts);
    leaves = channelLeaves(config.campaignId, allocations);
    leafEncoding = CHANNEL_LEAVES;
    accountField = 1;
  }
  const total = allocations.reduce((s, a) => s + a.amount, 0n);
  onProgress?.("build tree", 0, 1);
  const tree = await backend.buildTree(leaves, leafEncoding);
  onProgress?.("build tree", 1, 1);
  return { result, allocations, leaves, leafEncoding, accountField, total, tree };
}

/** The `allocations.csv` text: `account,handle,score,amount`, one leaf a row in leaf order. */
export async function writeAllocationsCsv(path: string, allocations: readonly Allocation[]): Promise<void> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, "drain");
  };
  await write("account,handle,score,amount\n");
  for (const a of allocations) await write(`${a.address},${csvField(a.handle)},${formatWadFixed(a.score)},${a.amount}\n`);
  out.end();
  await once(out, "finish");
}

/** Reads `allocations.csv` of a previous epoch: account → amount (the cumulative score). */
export async function readAllocationsCsv(path: string): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  let cols: number[] | undefined;
  const names = ["account", "handle", "score", "amount"] as const;
  for await (const { text, line } of readLines(path)) {
    if (text === "") continue;
    const f = splitCsvLine(text);
    if (typeof f === "string") throw new ManifestError(`${path}:${line}: ${f}`);
    if (!cols) {
      const c = csvColumns(f, names);
      if (!Array.isArray(c)) throw new ManifestError(`${path}:${line} column ${c.field}: ${c.problem}`);
      cols = c;
      continue;
    }
    const account = checkAddress(f[cols[0]]);
    const amount = f[cols[3]];
    if (!account.ok || !/^\d+$/.test(amount ?? "")) throw new ManifestError(`${path}:${line}: bad account or amount`);
    out.set(account.address, BigInt(amount));
  }
  return out;
}

const posix = (p: string) => p.split(sep).join("/");

async function fileRecord(path: string, manifestDir: string): Promise<FileRecord> {
  return { path: posix(relative(manifestDir, resolve(path))), sha256: await sha256File(path) };
}

export interface PreviousEpoch {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly cumulative: ReadonlyMap<string, bigint>;
}

/** Loads a previous channel epoch's output directory and checks it belongs to the same channel. */
export async function loadPreviousEpoch(dir: string, config: CampaignConfig): Promise<PreviousEpoch> {
  const manifestPath = join(dir, "manifest.json");
  let text: string;
  try {
    text = await readFile(manifestPath, "utf8");
  } catch (e) {
    throw new ManifestError(`--previous ${dir}: cannot read ${manifestPath} (${(e as Error).message})`, { cause: e });
  }
  const manifest = parseManifest(JSON.parse(text), manifestPath);
  const c = manifest.campaign;
  if (c.kind !== "channel" || c.id !== config.campaignId.toString() || c.model !== config.model) {
    throw new ManifestError(`--previous ${dir} is ${c.kind} ${c.id} (${c.model}), not channel ${config.campaignId} (${config.model})`);
  }
  if (c.epoch === null || c.epoch >= config.epoch!) throw new ManifestError(`--previous ${dir} is epoch ${c.epoch}; this run is epoch ${config.epoch}`);
  const csvPath = join(dir, "allocations.csv");
  const sha = await sha256File(csvPath).catch(() => "");
  if (sha !== manifest.outputs.allocations.sha256) throw new ManifestError(`${csvPath} does not match the hash in ${manifestPath}`);
  return { dir, manifest, cumulative: await readAllocationsCsv(csvPath) };
}

export interface RunScoreOptions extends CampaignInputPaths {
  readonly outDir: string;
  /** Where balances and stakes come from: a chain reader (with the staking address) or ready data. */
  readonly chain: { readonly reader: ChainReader; readonly staking: string | null } | { readonly data: ChainData };
  /** Overrides the config's snapshotBlock. */
  readonly snapshotBlock?: number | "latest" | "period-end";
  /** Multicall3 batching of balance reads. */
  readonly balanceBatch?: { readonly batchSize?: number; readonly ratePerSecond?: number };
  /** Channel: the previous epoch's output directory. */
  readonly previousDir?: string;
  readonly backend?: TreeBackend;
  readonly onProgress?: ProgressFn;
}

export interface RunScoreResult {
  readonly manifest: Manifest;
  readonly computed: Computed;
  readonly outDir: string;
}

/** Reads the chain data the config needs. */
export async function chainDataFor(
  config: CampaignConfig,
  participants: readonly Participant[],
  reader: ChainReader,
  staking: string | null,
  onProgress?: ProgressFn,
  balanceBatch?: RunScoreOptions["balanceBatch"],
): Promise<ChainData> {
  if (config.model === "social-ai" && staking === null) {
    throw new ScorerError("model social-ai needs the PowerStaking contract: pass --staking ADDRESS", {
      details: ["Model B's power is the powered-up stake, read from the contract's StakeUpdated events."],
    });
  }
  return readChainData(reader, {
    accounts: participants.map((p) => p.address),
    snapshotBlock: config.snapshotBlock,
    period: config.period,
    stake: config.stake,
    staking,
    balanceBatch,
    powerAsset: config.socialAi?.powerAsset,
    balances: config.model === "like2earn" && config.like2earn!.kUser.tiers.length > 1,
    onProgress: onProgress ? (d, t) => onProgress("read chain", d, t) : undefined,
  });
}

/** `score`: validates inputs, reads the chain, scores, allocates, builds the tree, writes the outputs. */
export async function runScore(options: RunScoreOptions): Promise<RunScoreResult> {
  const { onProgress } = options;
  let inputs = await loadInputs(options, onProgress);
  if (options.snapshotBlock !== undefined) inputs = { ...inputs, config: { ...inputs.config, snapshotBlock: options.snapshotBlock } };
  const { config } = inputs;
  if (config.kind === "event" && options.previousDir) throw new ScorerError("--previous is for channel epochs; this config is an event");
  if (config.kind === "channel" && config.epoch! > 1 && !options.previousDir) {
    throw new ScorerError(`channel epoch ${config.epoch} needs --previous DIR (the published output of the epoch before) to check that no cumulative score went down`);
  }
  if (config.kind === "channel" && config.epoch === 1 && options.previousDir) throw new ScorerError("epoch 1 has no previous epoch: drop --previous");
  const previous = options.previousDir ? await loadPreviousEpoch(options.previousDir, config) : null;

  const chain =
    "data" in options.chain
      ? options.chain.data
      : await chainDataFor(config, inputs.participants, options.chain.reader, options.chain.staking, onProgress, options.balanceBatch);
  const resolved = { ...inputs, config: withSnapshotBlock(config, chain.snapshotBlock) };
  const computed = await computeCampaign(resolved, chain, options.backend, onProgress);
  if (previous) checkCumulative(previous.cumulative, computed.allocations, previous.manifest.campaign.epoch!, config.epoch!);

  const outDir = resolve(options.outDir);
  const backend = options.backend ?? defaultTreeBackend;
  const manifest = await writeDirAtomically(outDir, async (tmp) => {
    onProgress?.("write outputs", 0, 1);
    await backend.writeTreeOutputs(tmp, computed.tree, computed.leaves, computed.accountField, {
      onProgress: onProgress ? (stage, done, total) => onProgress(`write ${stage}`, done, total) : undefined,
    });
    await writeAllocationsCsv(join(tmp, "allocations.csv"), computed.allocations);
    const onchainText = `${JSON.stringify(chainDataToJson(chain), null, 2)}\n`;
    await writeFile(join(tmp, "onchain.json"), onchainText);
    const m: Manifest = {
      format: MANIFEST_FORMAT,
      scorerVersion: scorerVersion(),
      campaign: { kind: config.kind, id: config.campaignId.toString(), model: config.model, epoch: config.epoch },
      root: computed.tree.root,
      total: computed.total.toString(),
      totalUnit: config.kind === "event" ? "wei" : "score-wad",
      recipientCount: computed.allocations.length,
      leafEncoding: [...computed.leafEncoding],
      parameters: configToJson(resolved.config),
      inputs: {
        config: await fileRecord(options.configPath, outDir),
        participants: await fileRecord(options.participantsPath, outDir),
        engagements: await Promise.all(options.engagementPaths.map((p) => fileRecord(p, outDir))),
        previous: previous
          ? {
              path: posix(relative(outDir, resolve(previous.dir))),
              epoch: previous.manifest.campaign.epoch!,
              root: previous.manifest.root,
              manifestSha256: await sha256File(join(previous.dir, "manifest.json")),
            }
          : null,
      },
      onchain: {
        chainId: chain.chainId,
        snapshotBlock: chain.snapshotBlock,
        snapshotTimestamp: chain.snapshotTimestamp,
        staking: chain.staking,
        powerAsset: chain.powerAsset,
        file: { path: "onchain.json", sha256: sha256Text(onchainText) },
      },
      outputs: {
        allocations: { path: "allocations.csv", sha256: await sha256File(join(tmp, "allocations.csv")) },
        tree: { path: "tree.json", sha256: await sha256File(join(tmp, "tree.json")) },
      },
      stats: { ...computed.result.stats, participants: inputs.participants.length },
    };
    await writeFile(join(tmp, "manifest.json"), manifestToJson(m));
    onProgress?.("write outputs", 1, 1);
    return m;
  });
  return { manifest, computed, outDir };
}
