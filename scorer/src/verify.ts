/**
 * `verify`: re-runs the scorer from a manifest's recorded inputs and says whether it gives the same
 * root. Inputs are looked for at their recorded path relative to the manifest, beside the manifest, and
 * under `--inputs DIR` (by recorded path and by name); the recorded SHA-256 decides which file is the
 * input, so a copied output folder verifies wherever its inputs were put. Balances and stakes come from
 * the `onchain.json` beside it, or are read again from an RPC when one is given; with an RPC, an event pot
 * that `score` read from the chain (`potSource: "chain"`) is read again from the rewards contract at the
 * snapshot block and compared with `parameters.pot`. Proof shards are rebuilt from tree.json and compared,
 * shard by shard.
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { chainDataFromJson, chainDataToJson, type ChainData } from "./chain-data";
import { parseConfig } from "./config";
import { ingestEngagements } from "./ingest";
import type { FileRecord, Manifest } from "./format/manifest";
import { readManifestFile, sha256File } from "./manifest";
import { readEventPot } from "./deployment";
import { chainDataFor, type ChainReader } from "./onchain";
import { readParticipants, type Participant } from "./ingest/participants";
import { isRegistryPath, readRegistryForScoring, registryParticipants, verifyRegistry } from "./register/participants";
import { erc1271Checker, type Erc1271Checker } from "./register/signature";
import { computeCampaign, defaultTreeBackend, type ProgressFn, type TreeBackend } from "./run";
import { checkProofShards } from "./shards";

export interface VerifyOptions {
  readonly manifestPath: string;
  /** Another folder holding the inputs (`--inputs DIR`): searched by recorded path and by file name. */
  readonly inputsDir?: string;
  /** Read balances and stakes again from this chain (an archive node for old snapshot blocks). */
  readonly reader?: ChainReader;
  /**
   * With `reader`: the Like2EarnRewards address (or a function that finds it: the CLI's deployment record)
   * whose funded pot an event with `potSource: "chain"` is checked against.
   */
  readonly rewards?: string | null | (() => Promise<string | null>);
  readonly backend?: TreeBackend;
  readonly onProgress?: ProgressFn;
}

export interface VerifyResult {
  /** True when every hash matches and the recomputed root, total and count equal the manifest's. */
  readonly ok: boolean;
  readonly manifest: Manifest;
  /** The recomputed root (null when inputs were missing). */
  readonly root: string | null;
  /** What did not match, one line each. */
  readonly problems: readonly string[];
}

export async function verifyManifest(options: VerifyOptions): Promise<VerifyResult> {
  const manifestPath = options.manifestPath;
  const manifest = await readManifestFile(manifestPath);
  const dir = dirname(resolve(manifestPath));
  const problems: string[] = [];
  const found = new Map<FileRecord, string>();
  const at = (r: FileRecord) => found.get(r) ?? resolve(dir, r.path);
  const candidates = (r: FileRecord): string[] => {
    const list = [resolve(dir, r.path), resolve(dir, basename(r.path))];
    if (options.inputsDir) {
      const stripped = r.path.replace(/^(\.\.\/)+/, "");
      list.push(resolve(options.inputsDir, r.path), resolve(options.inputsDir, stripped), resolve(options.inputsDir, basename(r.path)));
    }
    return [...new Set(list)];
  };
  const check = async (r: FileRecord, what: string): Promise<boolean> => {
    let first: { path: string; sha: string } | undefined;
    for (const path of candidates(r)) {
      const sha = await sha256File(path).catch(() => null);
      if (sha === null) continue;
      if (sha === r.sha256) {
        found.set(r, path);
        return true;
      }
      first ??= { path, sha };
    }
    const where = options.inputsDir ? ` (looked beside the manifest and under ${options.inputsDir})` : " (looked beside the manifest; --inputs DIR searches another folder)";
    if (!first) problems.push(`${what} ${r.path} is missing${where}`);
    else {
      problems.push(`${what} ${r.path} has SHA-256 ${first.sha}, the manifest says ${r.sha256}`);
      found.set(r, first.path); // re-run with it anyway: the root tells how much it matters
    }
    return first !== undefined;
  };

  let present = await check(manifest.inputs.config, "config");
  present = (await check(manifest.inputs.participants, "participants")) && present;
  for (const e of manifest.inputs.engagements) present = (await check(e, "engagements")) && present;
  present = (await check(manifest.onchain.file, "on-chain data")) && present;
  if (manifest.outputs) {
    await check(manifest.outputs.allocations, "output");
    await check(manifest.outputs.tree, "output");
  }
  if (!present) return { ok: false, manifest, root: null, problems };
  problems.push(...(await checkProofShards(dir, manifest)));

  const config = parseConfig(manifest.parameters, `${manifestPath} (parameters)`);
  let participants: Participant[];
  const participantsPath = at(manifest.inputs.participants);
  if (isRegistryPath(participantsPath)) {
    const lines = await readRegistryForScoring(participantsPath, manifest.inputs.participants.path);
    participants = registryParticipants(lines);
    const recorded = manifest.registryCheck;
    if (!recorded) problems.push(`${manifest.inputs.participants.path} is a registry, but the manifest records no registry check`);
    // EOA signatures are checked offline; contract wallets through the RPC at the snapshot block, or, without
    // one, taken from the manifest's record.
    const contracts: Erc1271Checker = options.reader
      ? erc1271Checker(options.reader, manifest.onchain.snapshotBlock)
      : {
          blockTag: manifest.onchain.snapshotBlock,
          isValidSignature: async (wallet) => ((recorded?.eip1271Wallets ?? []).includes(wallet) ? "valid" : "no-code"),
        };
    try {
      const record = await verifyRegistry(lines, manifest.inputs.participants.path, BigInt(recorded?.chainId ?? manifest.onchain.chainId), contracts, manifest.onchain.snapshotBlock);
      if (recorded && JSON.stringify(record) !== JSON.stringify(recorded)) {
        problems.push(`the registry check gives ${JSON.stringify(record)}, the manifest records ${JSON.stringify(recorded)}`);
      }
    } catch (e) {
      problems.push((e as Error).message.split("\n")[0]);
    }
  } else {
    participants = await readParticipants(participantsPath);
  }
  const table = await ingestEngagements(manifest.inputs.engagements.map(at), {
    onProgress: options.onProgress ? (d, t) => options.onProgress!("read engagements", d, t) : undefined,
  });
  const recorded = chainDataFromJson(JSON.parse(await readFile(at(manifest.onchain.file), "utf8")), manifest.onchain.file.path);
  let chain: ChainData = recorded;
  if (options.reader) {
    // The manifest's parameters carry the recorded snapshot block and power asset. Manifests written
    // before the `stake` setting existed read stakes at the snapshot.
    const stake = (manifest.parameters as { stake?: unknown }).stake === undefined ? "at-snapshot" : config.stake;
    chain = await chainDataFor(
      { ...config, stake },
      participants.map((p) => p.address),
      options.reader,
      manifest.onchain.staking,
      options.onProgress ? (d, t) => options.onProgress!("read chain", d, t) : undefined,
    );
    if (JSON.stringify(chainDataToJson(chain)) !== JSON.stringify(chainDataToJson(recorded))) {
      problems.push(`the chain's balances/stakes at block ${manifest.onchain.snapshotBlock} differ from ${manifest.onchain.file.path}`);
    }
  }
  if (options.reader && config.kind === "event" && manifest.potSource === "chain") problems.push(...(await checkChainPot(options, manifest, config.campaignId, config.pot)));
  const computed = await computeCampaign({ config, participants, table }, chain, options.backend ?? defaultTreeBackend, options.onProgress);
  const root = computed.tree.root;
  if (root.toLowerCase() !== manifest.root.toLowerCase()) problems.push(`root ${root} differs from the manifest's ${manifest.root}`);
  if (computed.total.toString() !== manifest.total) problems.push(`total ${computed.total} differs from the manifest's ${manifest.total}`);
  if (computed.allocations.length !== manifest.recipientCount) {
    problems.push(`recipient count ${computed.allocations.length} differs from the manifest's ${manifest.recipientCount}`);
  }
  return { ok: problems.length === 0, manifest, root, problems };
}

/**
 * An event pot that `score` read from the chain, read again at the snapshot block: a manifest whose
 * `parameters.pot` is not the event's funded amount on this rewards contract is reported by that field.
 */
async function checkChainPot(options: VerifyOptions, manifest: Manifest, campaignId: bigint, pot: bigint | null): Promise<string[]> {
  const field = `parameters.pot in ${options.manifestPath}`;
  const block = manifest.onchain.snapshotBlock;
  const rewards = typeof options.rewards === "function" ? await options.rewards() : options.rewards;
  if (!rewards) {
    return [`${field} was read from the chain (potSource "chain") but no rewards contract is known for chain ${manifest.onchain.chainId} to read it again: pass --rewards <address>`];
  }
  try {
    const chainPot = await readEventPot(options.reader!, rewards, campaignId, block);
    if (pot === chainPot.funded) return [];
    return [`${field} is ${pot} wei, but event ${campaignId}'s funded pot on rewards ${rewards} at block ${block} is ${chainPot.funded} wei`];
  } catch (e) {
    return [`${field}: ${(e as Error).message.split("\n")[0]}`];
  }
}
