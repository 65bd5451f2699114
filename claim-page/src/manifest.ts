/**
 * The publication manifest as the page reads it: just what a brand needs before a veto (root, totals, recipients,
 * snapshot) and what the claim view needs to tell a missing proof file from "nothing for you". The manifest format's
 * one owner is scorer/src/format/manifest.ts (`@like2earn/format`); this file fetches it and picks fields.
 */
import { parseManifest, type Manifest } from "@like2earn/format";
export interface ManifestSummary {
  url: string;
  root: string;
  kind?: string;
  campaignId?: string;
  epoch?: number | null;
  model?: string;
  total?: string;
  totalUnit?: string;
  recipientCount?: number;
  snapshotBlock?: number;
  snapshotTimestamp?: number;
  scorerVersion?: string;
  /** Shard paths the manifest lists (`outputs.proofs[].path`, e.g. `proofs/4f.json`), when it lists them. */
  shards?: string[];
}

export class ManifestFetchError extends Error {
  override name = "ManifestFetchError";
}

/** Checks the manifest with the scorer's own parser (`@like2earn/format`) and keeps what the page shows. */
export function summarizeManifest(json: unknown, url: string): ManifestSummary {
  let m: Manifest;
  try {
    m = parseManifest(json, url);
  } catch (e) {
    throw new ManifestFetchError((e as Error).message);
  }
  // Shard records (`outputs.proofs`: [{ path: "proofs/4f.json", sha256 }], added by the admin issue) are optional:
  // read them when present.
  const shardsField = (m.outputs as { proofs?: unknown }).proofs;
  let shards: string[] | undefined;
  if (Array.isArray(shardsField)) shards = shardsField.map((x: unknown) => (typeof x === "string" ? x : String((x as { path?: unknown })?.path ?? ""))).filter(Boolean);
  else if (shardsField && typeof shardsField === "object") shards = Object.keys(shardsField);
  return {
    url,
    root: m.root.toLowerCase(),
    kind: m.campaign.kind,
    campaignId: m.campaign.id,
    epoch: m.campaign.epoch,
    model: m.campaign.model,
    total: m.total,
    totalUnit: m.totalUnit,
    recipientCount: m.recipientCount,
    snapshotBlock: m.onchain.snapshotBlock,
    snapshotTimestamp: m.onchain.snapshotTimestamp,
    scorerVersion: m.scorerVersion,
    shards,
  };
}

/** Fetches a manifest; `undefined` on 404. */
export async function fetchManifest(url: string): Promise<ManifestSummary | undefined> {
  let res: Response;
  try {
    res = await fetch(url, { cache: "no-cache" });
  } catch (e) {
    throw new ManifestFetchError(`could not fetch ${url}: ${(e as Error).message}`);
  }
  if (res.status === 404) return undefined;
  if (!res.ok) throw new ManifestFetchError(`could not fetch ${url}: HTTP ${res.status}`);
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new ManifestFetchError(`${url} is not valid JSON`);
  }
  return summarizeManifest(json, url);
}

/** True when the publication says the shard at `shardPath` (`proofs/4f.json`) exists. */
export function manifestHasShard(m: ManifestSummary, shardPath: string): boolean {
  // The scorer writes all 256 shards (empty ones as `{}`); a manifest that lists them can say so exactly.
  return m.shards === undefined ? true : m.shards.includes(shardPath);
}
