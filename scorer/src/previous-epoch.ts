/**
 * Channel epochs: epoch 1 stands alone; every later epoch is scored against the published output of the epoch
 * before (`--previous DIR`), whose cumulative scores none may fall below.
 */
import { join } from "node:path";
import { readAllocationsCsv } from "./allocations-csv";
import type { CampaignConfig, ChannelConfig } from "./config";
import { ManifestError, ScorerError } from "./errors";
import type { Manifest } from "./format/manifest";
import { readManifestFile, sha256File } from "./manifest";

export interface PreviousEpoch {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly epoch: number;
  /** account → cumulative score of the previous epoch's leaves. */
  readonly cumulative: ReadonlyMap<string, bigint>;
}

/** Refuses a `--previous` that the config's kind and epoch do not call for (or its absence when they do). */
export function checkPreviousOption(config: CampaignConfig, previousDir: string | undefined): void {
  if (config.kind === "event") {
    if (previousDir) throw new ScorerError("--previous is for channel epochs; this config is an event");
  } else if (config.epoch > 1 && !previousDir) {
    throw new ScorerError(
      `channel epoch ${config.epoch} needs --previous DIR (the published output of the epoch before) to check that no cumulative score went down`,
    );
  } else if (config.epoch === 1 && previousDir) {
    throw new ScorerError("epoch 1 has no previous epoch: drop --previous");
  }
}

/** Loads a previous channel epoch's output directory and checks it belongs to the same channel, before this epoch. */
export async function loadPreviousEpoch(dir: string, config: ChannelConfig): Promise<PreviousEpoch> {
  const manifestPath = join(dir, "manifest.json");
  const manifest = await readManifestFile(manifestPath, `--previous ${dir}: `);
  const c = manifest.campaign;
  if (c.kind !== "channel" || c.id !== config.campaignId.toString() || c.model !== config.model) {
    throw new ManifestError(`--previous ${dir} is ${c.kind} ${c.id} (${c.model}), not channel ${config.campaignId} (${config.model})`);
  }
  if (c.epoch === null || c.epoch >= config.epoch) throw new ManifestError(`--previous ${dir} is epoch ${c.epoch}; this run is epoch ${config.epoch}`);
  const csvPath = join(dir, "allocations.csv");
  const sha = await sha256File(csvPath).catch(() => "");
  if (sha !== manifest.outputs.allocations.sha256) throw new ManifestError(`${csvPath} does not match the hash in ${manifestPath}`);
  return { dir, manifest, epoch: c.epoch, cumulative: await readAllocationsCsv(csvPath) };
}
