/**
 * The manifest's Node edge: hashing files, the scorer's version, reading `manifest.json` from disk. The format
 * itself (schema, load, dump, version check) is `format/manifest.ts`.
 */
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { ChainData } from "./chain-data";
import { configToJson, type CampaignConfig } from "./config";
import { ManifestError } from "./errors";
import { LEAF_ENCODING } from "./format/leaves";
import type { RegistryManifestRecord } from "./format/registry";
import { loadManifest, MANIFEST_FORMAT, type FileRecord, type Manifest } from "./format/manifest";
import { PROOFS_DIR } from "./format/proof-shards";
import type { UnlistedRecord } from "./format/page-file";
import type { PreviousEpoch } from "./previous-epoch";
import type { ScoreResult } from "./score";

/** SHA-256 of a file, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash("sha256");
    createReadStream(path)
      .on("data", (d) => h.update(d))
      .on("error", fail)
      .on("end", () => ok(h.digest("hex")));
  });
}

export function sha256Text(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The scorer's version, from the repository's package.json. */
export function scorerVersion(): string {
  try {
    return (JSON.parse(readFileSync(resolve(__dirname, "../../package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Reads and checks `path` (a manifest.json). Throws {@link ManifestError}; `what` prefixes a read failure. */
export async function readManifestFile(path: string, what = ""): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new ManifestError(`${what}cannot read ${path} (${(e as Error).message})`, { cause: e });
  }
  return loadManifest(text, path);
}

const posix = (p: string) => p.split(sep).join("/");

/** `{path, sha256}` of an input, its path relative to the manifest's (final) directory. */
async function fileRecord(path: string, manifestDir: string): Promise<FileRecord> {
  return { path: posix(relative(manifestDir, resolve(path))), sha256: await sha256File(path) };
}

/** `proofs/XX.json` of an output folder with their hashes, in name order (see format/manifest.ts). */
export async function proofShardRecords(dir: string): Promise<FileRecord[]> {
  const names = (await readdir(join(dir, PROOFS_DIR)).catch(() => [] as string[])).filter((n) => n.endsWith(".json")).sort();
  return Promise.all(names.map(async (n) => ({ path: `${PROOFS_DIR}/${n}`, sha256: await sha256File(join(dir, PROOFS_DIR, n)) })));
}

export interface ManifestParts {
  /** The resolved config (snapshot block fixed). */
  readonly config: CampaignConfig;
  readonly inputs: { readonly configPath: string; readonly participantsPath: string; readonly engagementPaths: readonly string[] };
  readonly previous: PreviousEpoch | null;
  readonly chain: ChainData;
  /** onchain.json's text as written. */
  readonly onchainText: string;
  readonly root: string;
  readonly total: bigint;
  readonly recipientCount: number;
  readonly stats: ScoreResult["stats"];
  readonly participantCount: number;
  /** Page files whose post counts more engagers than the API listed (manifest `xapiUnlisted`). */
  readonly xapiUnlisted?: readonly UnlistedRecord[];
  /** Where the manifest will live (input paths are relative to it). */
  readonly outDir: string;
  /** Where the outputs are being written now (their hashes are read there). */
  readonly writtenDir: string;
  /** When the participants are a registry: the signature check that was relied on. */
  readonly registryCheck?: RegistryManifestRecord;
  /** Event: where `parameters.pot` came from (the config, or the rewards contract's funded amount). */
  readonly potSource?: "config" | "chain";
}

/** The manifest of a run: every input and output pinned by hash, the parameters in full. */
export async function buildManifest(p: ManifestParts): Promise<Manifest> {
  const { config, chain, outDir } = p;
  return {
    format: MANIFEST_FORMAT,
    scorerVersion: scorerVersion(),
    campaign: { kind: config.kind, id: config.campaignId.toString(), model: config.model, epoch: config.epoch },
    root: p.root,
    total: p.total.toString(),
    totalUnit: config.kind === "event" ? "wei" : "score-wad",
    recipientCount: p.recipientCount,
    leafEncoding: [...LEAF_ENCODING[config.kind]],
    parameters: configToJson(config),
    inputs: {
      config: await fileRecord(p.inputs.configPath, outDir),
      participants: await fileRecord(p.inputs.participantsPath, outDir),
      engagements: await Promise.all(p.inputs.engagementPaths.map((e) => fileRecord(e, outDir))),
      previous: p.previous
        ? {
            path: posix(relative(outDir, resolve(p.previous.dir))),
            epoch: p.previous.epoch,
            root: p.previous.manifest.root,
            manifestSha256: await sha256File(join(p.previous.dir, "manifest.json")),
          }
        : null,
    },
    onchain: {
      chainId: chain.chainId,
      snapshotBlock: chain.snapshotBlock,
      snapshotTimestamp: chain.snapshotTimestamp,
      staking: chain.staking,
      powerAsset: chain.powerAsset,
      file: { path: "onchain.json", sha256: sha256Text(p.onchainText) },
    },
    outputs: {
      allocations: { path: "allocations.csv", sha256: await sha256File(join(p.writtenDir, "allocations.csv")) },
      tree: { path: "tree.json", sha256: await sha256File(join(p.writtenDir, "tree.json")) },
      proofs: await proofShardRecords(p.writtenDir),
    },
    stats: { ...p.stats, participants: p.participantCount },
    ...(p.potSource ? { potSource: p.potSource } : {}),
    ...(p.registryCheck ? { registryCheck: p.registryCheck } : {}),
    ...(p.xapiUnlisted && p.xapiUnlisted.length > 0
      ? { xapiUnlisted: p.xapiUnlisted.map(({ file, ...count }) => ({ file: posix(relative(outDir, resolve(file))), ...count })) }
      : {}),
  };
}
