/**
 * The orchestrator: config + inputs → score → allocate → tree → outputs, written into a temporary directory
 * that replaces the output directory only when complete (output.ts). Every input is validated before anything
 * is read from the chain or written. What each step does lives in its own module.
 */
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { allocateChannel, allocateEvent, checkCumulative, NothingToAllocateError, type Allocation } from "./allocate";
import { writeAllocationsCsv } from "./allocations-csv";
import { chainDataToJson, type ChainData } from "./chain-data";
import { withSnapshotBlock } from "./config";
import { ACCOUNT_FIELD, channelLeaves, eventLeaves, LEAF_ENCODING, type LeafValue } from "./format/leaves";
import { dumpManifest, type Manifest } from "./format/manifest";
import { loadInputs, type CampaignInputPaths, type LoadedInputs } from "./ingest/inputs";
import { buildManifest } from "./manifest";
import { chainDataFor, type ChainReader } from "./onchain";
import type { BalanceBatchOptions } from "./multicall";
import { readEventPot } from "./deployment";
import { ScorerError } from "./errors";
import { planOutput, writeDirAtomically, type PostedCheck } from "./output";
import { checkPreviousOption, loadPreviousEpoch } from "./previous-epoch";
import { verifyRegistry } from "./register/participants";
import { erc1271Checker } from "./register/signature";
import { writeTreeOutputs } from "./proofs";
import { score, type ScoreResult } from "./score";
import { buildTree, type FastMerkleTree } from "./tree";

export { loadInputs, type CampaignInputPaths, type LoadedInputs, type ProgressFn } from "./ingest/inputs";
import type { ProgressFn } from "./ingest/inputs";

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

export const defaultTreeBackend: TreeBackend = { buildTree, writeTreeOutputs };

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
/** Why no participant scores, in the publisher's terms (the likely cause first). */
function nobodyScores(inputs: LoadedInputs, chain: ChainData, result: ScoreResult): NothingToAllocateError {
  const { config, participants } = inputs;
  const s = result.stats;
  const period = `${new Date(config.period.start).toISOString()} .. ${new Date(config.period.end).toISOString()}`;
  const details: string[] = [`${s.rows} engagements read, ${s.inPeriod} in the period ${period}, ${s.counted} counted (types ${config.types.join(", ")})`];
  let why: string;
  if (s.counted === 0) {
    const t = inputs.table.time;
    let anyTypeInPeriod = 0;
    for (let i = 0; i < t.length; i++) if (t[i] >= config.period.start && t[i] < config.period.end) anyTypeInPeriod++;
    why = anyTypeInPeriod === 0 ? `no engagement falls in the period ${period}` : `no counted engagement in the period (counted types: ${config.types.join(", ")})`;
  } else if (config.model === "social-ai" && [...chain.accounts.values()].every((a) => a.assetPower === 0n)) {
    why = `nobody had powered up at block ${chain.snapshotBlock}${config.stake === "time-weighted" ? " (stake averaged over the period)" : ""}: model social-ai weighs by stake`;
  } else {
    const ids = new Set(participants.map((p) => p.userId));
    const registered = inputs.table.userIds.filter((u) => ids.has(u)).length;
    why = registered === 0 ? "no registered participant appears in the engagement files (check userId in the participants file)" : "every registered participant's score is 0";
  }
  return new NothingToAllocateError(`nobody scores: ${why}`, { details });
}

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
  if (config.kind === "event" && config.pot === null) throw new ScorerError(`event ${config.campaignId}: the pot was not resolved (runScore reads it from the chain)`);
  let allocations: Allocation[];
  try {
    allocations = config.kind === "event" ? allocateEvent(result.accounts, config.pot!) : allocateChannel(result.accounts);
  } catch (e) {
    if (e instanceof NothingToAllocateError) throw nobodyScores(inputs, chain, result);
    throw e;
  }
  const leaves = config.kind === "event" ? eventLeaves(config.campaignId, allocations) : channelLeaves(config.campaignId, allocations);
  const leafEncoding = LEAF_ENCODING[config.kind];
  const total = allocations.reduce((s, a) => s + a.amount, 0n);
  onProgress?.("build tree", 0, 1);
  const tree = await backend.buildTree(leaves, leafEncoding);
  onProgress?.("build tree", 1, 1);
  return { result, allocations, leaves, leafEncoding, accountField: ACCOUNT_FIELD[config.kind], total, tree };
}

export interface RunScoreOptions extends CampaignInputPaths {
  readonly outDir: string;
  /** Where balances and stakes come from: a chain reader (with the staking address) or ready data. */
  readonly chain:
    | {
        readonly reader: ChainReader;
        /** PowerStaking address, null for none, or a function that finds it (the CLI: the deployment record). */
        readonly staking: string | null | (() => Promise<string | null>);
      }
    | { readonly data: ChainData };
  /**
   * The Like2EarnRewards address (or a function that finds it: the CLI's deployment record), for an event
   * whose config has no `pot`: its funded amount is then read at the snapshot block.
   */
  readonly rewards?: string | null | (() => Promise<string | null>);
  /** Overrides the config's snapshotBlock. */
  readonly snapshotBlock?: number | "latest" | "period-end";
  /** Batching of balance reads: reader, batch size, rate (see multicall.ts). */
  readonly balanceBatch?: Omit<BalanceBatchOptions, "onProgress" | "concurrency">;
  /** `--force`: replace a folder that is not a scorer output, or one whose root is posted (kept as a backup). */
  readonly force?: boolean;
  /** Tells whether an existing output's root is posted on chain (the CLI asks the rewards contract). */
  readonly isPosted?: PostedCheck;
  /** Channel: the previous epoch's output directory. */
  readonly previousDir?: string;
  readonly backend?: TreeBackend;
  readonly onProgress?: ProgressFn;
}

export interface RunScoreResult {
  readonly manifest: Manifest;
  readonly computed: Computed;
  readonly outDir: string;
  /** Where the output that was at `outDir` went (null: there was none). */
  readonly backupDir: string | null;
  readonly notes: readonly string[];
}

/** `score`: validates inputs, reads the chain, scores, allocates, builds the tree, writes the outputs. */
export async function runScore(options: RunScoreOptions): Promise<RunScoreResult> {
  const { onProgress } = options;
  const inputs = await loadInputs(options, onProgress);
  // Before any chain read or work: is --out ours to replace?
  const plan = await planOutput(options.outDir, { force: options.force, isPosted: options.isPosted });
  const given = inputs.config;
  const config = options.snapshotBlock !== undefined ? { ...given, snapshotBlock: options.snapshotBlock } : given;
  checkPreviousOption(config, options.previousDir);
  const previous = config.kind === "channel" && options.previousDir ? await loadPreviousEpoch(options.previousDir, config) : null;

  const readProgress = onProgress ? (d: number, t: number) => onProgress("read chain", d, t) : undefined;
  const accounts = inputs.participants.map((p) => p.address);
  const chain =
    "data" in options.chain
      ? options.chain.data
      : await chainDataFor(
          config,
          accounts,
          options.chain.reader,
          typeof options.chain.staking === "function" ? await options.chain.staking() : options.chain.staking,
          readProgress,
          options.balanceBatch,
        );
  // A registry is paid only if every signature still verifies: EOAs offline, contract wallets at the snapshot block.
  const registryCheck = inputs.registry
    ? await verifyRegistry(
        inputs.registry,
        options.participantsPath,
        BigInt(chain.chainId),
        "reader" in options.chain ? erc1271Checker(options.chain.reader, chain.snapshotBlock) : undefined,
        chain.snapshotBlock,
      )
    : undefined;
  const notes = [...plan.notes];
  let resolved = withSnapshotBlock(config, chain.snapshotBlock);
  let potSource: "config" | "chain" | undefined = resolved.kind === "event" ? "config" : undefined;
  if (resolved.kind === "event" && resolved.pot === null) {
    // No pot in the config: the event's funded amount on the rewards contract, at the snapshot block.
    const fix = `write the pot in ${options.configPath} ("pot": "12 ETH")`;
    if (!("reader" in options.chain)) throw new ScorerError(`${options.configPath} has no pot and there is no chain to read event ${resolved.campaignId}'s funded pot from: ${fix}, or score with --rpc`);
    const rewards = typeof options.rewards === "function" ? await options.rewards() : options.rewards;
    if (!rewards) throw new ScorerError(`${options.configPath} has no pot and no rewards contract is known for chain ${chain.chainId} (no deployment record): pass --rewards <address>, or ${fix}`);
    const pot = await readEventPot(options.chain.reader, rewards, resolved.campaignId, chain.snapshotBlock);
    resolved = { ...resolved, pot: pot.funded };
    potSource = "chain";
    notes.push(`pot ${pot.funded} wei: event ${resolved.campaignId}'s funded amount on rewards ${rewards} at block ${chain.snapshotBlock}`);
    if (chain.snapshotTimestamp < pot.end) notes.push(`event ${resolved.campaignId} can still be funded until ${new Date(pot.end * 1000).toISOString()}: a later top-up is not in this pot (publish warns when the total is below the funded pot)`);
  }
  const backend = options.backend ?? defaultTreeBackend;
  const computed = await computeCampaign({ ...inputs, config: resolved }, chain, backend, onProgress);
  if (previous && resolved.kind === "channel") checkCumulative(previous.cumulative, computed.allocations, previous.epoch, resolved.epoch);

  const outDir = resolve(options.outDir);
  const write = async (tmp: string): Promise<Manifest> => {
    onProgress?.("write outputs", 0, 1);
    await backend.writeTreeOutputs(tmp, computed.tree, computed.leaves, computed.accountField, {
      onProgress: onProgress ? (stage, done, total) => onProgress(`write ${stage}`, done, total) : undefined,
    });
    await writeAllocationsCsv(join(tmp, "allocations.csv"), computed.allocations);
    const onchainText = `${JSON.stringify(chainDataToJson(chain), null, 2)}\n`;
    await writeFile(join(tmp, "onchain.json"), onchainText);
    const m = await buildManifest({
      config: resolved,
      inputs: options,
      previous,
      chain,
      onchainText,
      root: computed.tree.root,
      total: computed.total,
      recipientCount: computed.allocations.length,
      stats: computed.result.stats,
      participantCount: inputs.participants.length,
      xapiUnlisted: inputs.unlisted,
      outDir,
      writtenDir: tmp,
      registryCheck,
      potSource,
    });
    await writeFile(join(tmp, "manifest.json"), dumpManifest(m));
    onProgress?.("write outputs", 1, 1);
    return m;
  };
  const manifest = await writeDirAtomically(outDir, write, plan.backupDir);
  return { manifest, computed, outDir, backupDir: plan.backupDir, notes };
}
