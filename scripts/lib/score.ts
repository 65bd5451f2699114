/**
 * Runs the scorer (scorer/src/run.ts `runScore`) for a campaign of the current chain: the campaign
 * config is copied with the on-chain id, the pot actually funded / the next epoch, and the snapshot
 * block filled in, then scored against the chain through the Hardhat provider (balances and the
 * PowerStaking events at the snapshot block). The derived config is kept beside the outputs so
 * `npm run scorer -- verify` can re-derive the root.
 */
import fs from "node:fs";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { runScore } from "../../scorer/src/run";
import type { ChainReader } from "../../scorer/src/onchain";
import { readManifest, type CampaignKind, type Manifest } from "./campaign-dir";
import { Like2EarnError } from "./errors";

export const SAMPLE_DIR = "data/sample";

/** The inputs of one campaign: a config plus participants and engagement files. */
export interface CampaignInputs {
  configPath: string;
  participantsPath: string;
  engagementPaths: string[];
}

export interface ScoreCampaignOptions {
  kind: CampaignKind;
  campaignId: bigint;
  /** Event pot in wei (the amount funded on-chain). */
  pot?: bigint;
  /** Channel epoch (next after the channel's lastEpoch). */
  epoch?: bigint;
  snapshotBlock: number;
  staking: string;
  outDir: string;
  /** Channel epoch > 1: the previous epoch's output folder. */
  previousDir?: string;
}

export interface ScoredCampaign {
  outDir: string;
  manifest: Manifest;
  /** The derived config the run used. */
  configPath: string;
}

/** Reads a JSON file as an object. */
function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
}

/**
 * Writes the campaign config for this chain: the template's model, period and parameters, with the
 * on-chain campaign id, pot / epoch and snapshot block.
 */
export function deriveConfig(templatePath: string, o: ScoreCampaignOptions, outFile: string): string {
  const config = readJson(templatePath);
  if (config.kind !== o.kind) throw new Like2EarnError(`${templatePath} is a ${String(config.kind)} config, not a ${o.kind}`);
  config.campaignId = o.campaignId.toString();
  config.snapshotBlock = o.snapshotBlock;
  if (o.kind === "event") {
    if (o.pot === undefined) throw new Like2EarnError("an event needs its pot");
    config.pot = o.pot.toString();
    delete config.epoch;
  } else {
    config.epoch = Number(o.epoch ?? 1n);
    delete config.pot;
  }
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(config, null, 2) + "\n");
  return outFile;
}

/** Scores one campaign from `inputs` against the current chain; writes the scorer outputs into `o.outDir`. */
export async function scoreCampaign(hre: HardhatRuntimeEnvironment, inputs: CampaignInputs, o: ScoreCampaignOptions): Promise<ScoredCampaign> {
  const configPath = deriveConfig(
    inputs.configPath,
    o,
    path.join(path.dirname(o.outDir), "configs", `${path.basename(o.outDir)}.config.json`),
  );
  await runScore({
    configPath,
    participantsPath: inputs.participantsPath,
    engagementPaths: inputs.engagementPaths,
    outDir: o.outDir,
    chain: { reader: hre.ethers.provider as unknown as ChainReader, staking: o.staking },
    snapshotBlock: o.snapshotBlock,
    previousDir: o.previousDir,
  });
  return { outDir: o.outDir, manifest: readManifest(o.outDir), configPath };
}

/**
 * The sample data set's inputs (data/sample/README.md): week 1 is engagements.ndjson + engagements.csv +
 * the X API pages in xapi/; channel epoch 2 covers weeks 1 and 2 (adds engagements-week2.ndjson).
 */
export function sampleInputs(sampleDir: string, kind: CampaignKind, epoch = 1n, xapiDir = path.join(sampleDir, "xapi")): CampaignInputs {
  const configPath = path.join(sampleDir, kind === "channel" && epoch > 1n ? `channel-epoch${epoch}.config.json` : `${kind}.config.json`);
  const participantsPath = ["participants.csv", "participants.json"].map((f) => path.join(sampleDir, f)).find((f) => fs.existsSync(f));
  if (!fs.existsSync(configPath) || !participantsPath) {
    throw new Like2EarnError(`${sampleDir} lacks ${!participantsPath ? "participants.csv" : path.basename(configPath)}: is the sample data set there?`);
  }
  const week1 = ["engagements.ndjson", "engagements.csv"].map((f) => path.join(sampleDir, f)).filter((f) => fs.existsSync(f));
  if (fs.existsSync(xapiDir)) {
    week1.push(...fs.readdirSync(xapiDir).filter((f) => f.endsWith(".ndjson")).sort().map((f) => path.join(xapiDir, f)));
  }
  const later = epoch > 1n ? [path.join(sampleDir, "engagements-week2.ndjson")].filter((f) => fs.existsSync(f)) : [];
  if (week1.length === 0) throw new Like2EarnError(`${sampleDir} has no engagement files`);
  return { configPath, participantsPath, engagementPaths: [...week1, ...later] };
}

/** {@link scoreCampaign} on the sample data set. */
export async function scoreSampleCampaign(
  hre: HardhatRuntimeEnvironment,
  o: ScoreCampaignOptions & { sampleDir: string; xapiDir?: string },
): Promise<ScoredCampaign> {
  return scoreCampaign(hre, sampleInputs(o.sampleDir, o.kind, o.epoch ?? 1n, o.xapiDir), o);
}
