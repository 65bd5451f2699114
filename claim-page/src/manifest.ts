/**
 * The publication manifest as the page reads it: just what a brand needs before a veto (root, totals, recipients,
 * snapshot) and what the claim view needs to tell a missing proof file from "nothing for you". The manifest's one
 * owner is the scorer (scorer/src/manifest.ts); this reader tolerates fields it does not know.
 */
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
  /** Shard paths the manifest lists (`proofs/4f.json`), when it lists them. */
  shards?: string[];
}

export class ManifestFetchError extends Error {
  override name = "ManifestFetchError";
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

export function summarizeManifest(json: unknown, url: string): ManifestSummary {
  if (typeof json !== "object" || json === null) throw new ManifestFetchError(`${url}: the manifest is not a JSON object`);
  const m = json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const root = str(m.root);
  if (!root || !/^0x[0-9a-fA-F]{64}$/.test(root)) throw new ManifestFetchError(`${url}: field "root" must be a 0x-prefixed bytes32`);
  const shardsField = m.outputs?.shards;
  let shards: string[] | undefined;
  if (Array.isArray(shardsField)) shards = shardsField.map((s: unknown) => str((s as { path?: unknown })?.path) ?? str(s) ?? "").filter(Boolean);
  else if (shardsField && typeof shardsField === "object") shards = Object.keys(shardsField);
  return {
    url,
    root: root.toLowerCase(),
    kind: str(m.campaign?.kind),
    campaignId: str(m.campaign?.id),
    epoch: m.campaign?.epoch ?? null,
    model: str(m.campaign?.model),
    total: str(m.total),
    totalUnit: str(m.totalUnit),
    recipientCount: num(m.recipientCount),
    snapshotBlock: num(m.onchain?.snapshotBlock),
    snapshotTimestamp: num(m.onchain?.snapshotTimestamp),
    scorerVersion: str(m.scorerVersion),
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
