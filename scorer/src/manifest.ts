/**
 * The publication manifest (`manifest.json`, format `like2earn-manifest-v1`): what was published
 * and from exactly which inputs, so anyone can re-derive the root (`verify`). Loading checks the
 * format; a new format gets a new version string and old files keep loading.
 */
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ManifestError } from "./errors";
import { checkRegistryManifestRecord, type RegistryManifestRecord } from "./format/registry";

export const MANIFEST_FORMAT = "like2earn-manifest-v1";

export interface FileRecord {
  /** Path relative to the manifest's directory, `/`-separated. */
  readonly path: string;
  /** Lowercase hex SHA-256 of the file's bytes. */
  readonly sha256: string;
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly scorerVersion: string;
  readonly campaign: {
    readonly kind: "event" | "channel";
    /** Decimal uint256. */
    readonly id: string;
    readonly model: "like2earn" | "social-ai";
    /** Channel epoch; null for events. */
    readonly epoch: number | null;
  };
  /** 0x-prefixed Merkle root. */
  readonly root: string;
  /** Event: Σ amounts in wei (= pot). Channel: Σ cumulative scores (18-decimal fixed-point integer). */
  readonly total: string;
  readonly totalUnit: "wei" | "score-wad";
  readonly recipientCount: number;
  readonly leafEncoding: readonly string[];
  /** The campaign config in input format with every default filled in and the snapshot block fixed. */
  readonly parameters: Record<string, unknown>;
  readonly inputs: {
    readonly config: FileRecord;
    readonly participants: FileRecord;
    readonly engagements: readonly FileRecord[];
    /** Channel: the previous epoch's output directory checked for growing scores. */
    readonly previous: { readonly path: string; readonly epoch: number; readonly root: string; readonly manifestSha256: string } | null;
  };
  readonly onchain: {
    readonly chainId: string;
    readonly snapshotBlock: number;
    readonly snapshotTimestamp: number;
    readonly staking: string | null;
    readonly powerAsset: string;
    /** `onchain.json` beside the manifest: every balance and stake used. */
    readonly file: FileRecord;
  };
  readonly outputs: {
    readonly allocations: FileRecord;
    readonly tree: FileRecord;
  };
  readonly stats: {
    readonly rows: number;
    readonly inPeriod: number;
    readonly duplicates: number;
    readonly counted: number;
    readonly contents: number;
    readonly participants: number;
  };
  /** When the participants are a registry: its signature check (format/registry.ts). */
  readonly registry?: RegistryManifestRecord;
}

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

export function manifestToJson(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

function need(cond: unknown, file: string, what: string): asserts cond {
  if (!cond) throw new ManifestError(`${file}: ${what}`);
}

const isRecord = (v: unknown): v is FileRecord =>
  v !== null && typeof v === "object" && typeof (v as FileRecord).path === "string" && /^[0-9a-f]{64}$/.test((v as FileRecord).sha256);

/** Checks and returns a parsed manifest. */
export function parseManifest(json: unknown, file = "manifest.json"): Manifest {
  need(json !== null && typeof json === "object", file, "not a JSON object");
  const m = json as Manifest;
  need(
    m.format === MANIFEST_FORMAT,
    file,
    `format ${JSON.stringify((m as { format?: unknown }).format)} is not ${MANIFEST_FORMAT} (a manifest from another scorer version needs that version)`,
  );
  need(m.campaign && (m.campaign.kind === "event" || m.campaign.kind === "channel"), file, "campaign.kind must be event or channel");
  need(typeof m.campaign.id === "string" && /^\d+$/.test(m.campaign.id), file, "campaign.id must be a decimal string");
  need(typeof m.root === "string" && /^0x[0-9a-f]{64}$/i.test(m.root), file, "root must be 32 bytes of hex");
  need(typeof m.total === "string" && /^\d+$/.test(m.total), file, "total must be a decimal string");
  need(Number.isSafeInteger(m.recipientCount), file, "recipientCount must be an integer");
  need(m.parameters !== null && typeof m.parameters === "object", file, "parameters missing");
  need(m.inputs && isRecord(m.inputs.config) && isRecord(m.inputs.participants), file, "inputs.config / inputs.participants missing");
  need(Array.isArray(m.inputs.engagements) && m.inputs.engagements.every(isRecord), file, "inputs.engagements must list {path, sha256}");
  need(m.onchain && isRecord(m.onchain.file) && Number.isSafeInteger(m.onchain.snapshotBlock), file, "onchain.file / onchain.snapshotBlock missing");
  if (m.registry !== undefined) {
    const r = checkRegistryManifestRecord(m.registry);
    need(typeof r !== "string", file, String(r));
  }
  return m;
}
