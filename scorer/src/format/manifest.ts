/**
 * The publication manifest (`manifest.json`): what was published and from exactly which inputs, so anyone can
 * re-derive the root (`verify`) and `publish` can check the folder against the chain. One zod schema; `loadManifest`
 * and `dumpManifest` are the only reader and writer. Browser-safe: no Node imports (hashing files and building a
 * manifest from a run are the scorer's, `scorer/src/manifest.ts`).
 *
 * Versions: `format` is `like2earn-manifest-v1`. A new *optional* field keeps v1 (old manifests stay valid:
 * add it to the object below with `.optional()`); a field whose meaning changes needs a new format string, and
 * the loader then keeps reading v1. Manifests of earlier releases are kept as fixtures in
 * `scorer/test/fixtures/manifests/` and a test loads every one of them.
 */
import { z } from "zod";
import { ManifestError } from "../errors";
import { LEAF_ENCODING } from "./leaves";
import { RegistryManifestRecordSchema } from "./registry";
import { XAPI_ENDPOINTS } from "./page-file";

export const MANIFEST_FORMAT = "like2earn-manifest-v1";

const decimal = z.string().regex(/^\d+$/, "must be a decimal integer string");
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x + 32 bytes of hex");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address");
const count = z.number().int().nonnegative().refine(Number.isSafeInteger, "must be a safe integer");

/** A file the manifest pins: path relative to the manifest's directory (`/`-separated), SHA-256 of its bytes. */
export const FileRecordSchema = z.object({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits"),
});

export const ManifestCampaignSchema = z.object({
  kind: z.enum(["event", "channel"]),
  /** Event id / channel id (decimal uint256): the leaves' first field. */
  id: decimal,
  model: z.enum(["like2earn", "social-ai"]),
  /** Channel epoch; null for events. */
  epoch: count.nullable(),
});

export const PreviousEpochSchema = z.object({
  /** The previous epoch's output directory, relative to the manifest. */
  path: z.string(),
  epoch: count,
  root: bytes32,
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const ManifestInputsSchema = z.object({
  config: FileRecordSchema,
  participants: FileRecordSchema,
  engagements: z.array(FileRecordSchema),
  /** Channel: the previous epoch checked for growing scores; null for the first epoch and events. */
  previous: PreviousEpochSchema.nullable(),
});

export const ManifestOnchainSchema = z.object({
  /** Decimal chain id the snapshot was read from. */
  chainId: decimal,
  snapshotBlock: count,
  snapshotTimestamp: count,
  staking: address.nullable(),
  powerAsset: address,
  /** `onchain.json` beside the manifest: every balance and stake used. */
  file: FileRecordSchema,
});

export const ManifestOutputsSchema = z.object({
  allocations: FileRecordSchema,
  tree: FileRecordSchema,
  /**
   * Every proof shard (`proofs/XX.json`) with its SHA-256, in name order: a deleted or edited shard is caught
   * by `publish` and `verify` (which rebuild the shards from tree.json). Optional: absent in older manifests.
   */
  proofs: z.array(FileRecordSchema).optional(),
});

export const ManifestStatsSchema = z.object({
  rows: count,
  inPeriod: count,
  duplicates: count,
  counted: count,
  contents: count,
  participants: count,
});

/** One entry of `xapiUnlisted` (see scorer/src/format/page-file.ts, UnlistedCount). */
export const ManifestUnlistedSchema = z.object({
  file: z.string().min(1),
  tweetId: decimal,
  endpoint: z.enum(XAPI_ENDPOINTS),
  publicCount: count,
  listed: count,
  unlisted: count,
  scored: z.boolean(),
});

/**
 * The manifest, v1. To add a field: add it here, `.optional()`, with a comment saying what it pins; writers
 * set it, readers must cope with its absence (older manifests). Unknown top-level fields are kept as they are.
 */
export const ManifestSchema = z
  .looseObject({
    format: z.literal(MANIFEST_FORMAT),
    scorerVersion: z.string(),
    campaign: ManifestCampaignSchema,
    /** 0x-prefixed Merkle root. */
    root: bytes32,
    /** Event: Σ amounts in wei (= pot). Channel: Σ cumulative scores (18-decimal fixed point). */
    total: decimal,
    totalUnit: z.enum(["wei", "score-wad"]),
    recipientCount: count,
    leafEncoding: z.array(z.string()),
    /** The campaign config in input format with every default filled in and the snapshot block fixed. */
    parameters: z.record(z.string(), z.unknown()),
    inputs: ManifestInputsSchema,
    onchain: ManifestOnchainSchema,
    outputs: ManifestOutputsSchema,
    stats: ManifestStatsSchema,
    /**
     * Event: where the pot (`parameters.pot`) came from: the config, or ("chain") the event's funded amount on
     * the rewards contract at the snapshot block, read because the config has no `pot`. Optional: absent in
     * older manifests and for channels.
     */
    potSource: z.enum(["config", "chain"]).optional(),
    /** When the participants are a registry (`registry.ndjson`): the signature check that was relied on (format/registry.ts). */
    registryCheck: RegistryManifestRecordSchema.optional(),
    /**
     * X API page files (v2) whose post's public_metrics count exceeds (or falls short of) the engagers the API
     * listed: likes and retweets beyond the list are scored as unlisted engagers in the first positions
     * (`scored`), quotes and replies are recorded only. Optional: absent when every count matched.
     */
    xapiUnlisted: z.array(ManifestUnlistedSchema).optional(),
  })
  .superRefine((m, ctx) => {
    const want = LEAF_ENCODING[m.campaign.kind];
    if (JSON.stringify(m.leafEncoding) !== JSON.stringify(want)) {
      ctx.addIssue({ code: "custom", path: ["leafEncoding"], message: `a ${m.campaign.kind} leaf is [${want.join(", ")}]` });
    }
    if ((m.campaign.kind === "channel") !== (m.campaign.epoch !== null)) {
      ctx.addIssue({ code: "custom", path: ["campaign", "epoch"], message: "a channel has an epoch ≥ 1, an event null" });
    }
  });

export type Manifest = z.infer<typeof ManifestSchema>;
export type FileRecord = z.infer<typeof FileRecordSchema>;

/**
 * Checks a parsed manifest: the format string first (a manifest of another format names it), then every field.
 * Throws {@link ManifestError} `file: field.path: problem`.
 */
export function parseManifest(json: unknown, file = "manifest.json"): Manifest {
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new ManifestError(`${file}: not a JSON object`);
  const format = (json as { format?: unknown }).format;
  if (format !== MANIFEST_FORMAT) {
    throw new ManifestError(
      `${file}: format ${JSON.stringify(format)} is not ${MANIFEST_FORMAT} (a manifest from another scorer version needs that version)`,
    );
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : "";
    throw new ManifestError(`${file}: ${where}: ${issue.message}${more}`);
  }
  return json as Manifest; // as written: nothing stripped, so fields this version does not know survive a load

}

/** Parses manifest.json's text. Throws {@link ManifestError} for bad JSON or a bad manifest. */
export function loadManifest(text: string, file = "manifest.json"): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`${file} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  return parseManifest(json, file);
}

/** manifest.json's text (2-space indent, final newline): checked first, so a bad manifest is never written. */
export function dumpManifest(m: Manifest): string {
  parseManifest(m, "the manifest to write");
  return `${JSON.stringify(m, null, 2)}\n`;
}
