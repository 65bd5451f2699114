/**
 * The page's configuration: where the contracts are and where each campaign's proofs are published.
 * Format: docs/claim-page-config.md.
 */
import { parseRegistrationSection, type RegistrationPageConfig } from "./register";
import { getAddress, isAddress } from "ethers";
import { shardPathOf } from "@like2earn/format";

export type CampaignKind = "event" | "channel";

export interface CampaignConfig {
  kind: CampaignKind;
  id: bigint;
  /** Absolute URL of the folder holding `proofs/XX.json` (resolved against the config file's URL). */
  proofsBaseUrl: string;
  name?: string;
  /**
   * Absolute URL of the publication's `manifest.json`, when published. With it, a 404 for the account's shard is a
   * missing proof file (the scorer writes every shard), and the brand console shows the manifest before a veto.
   */
  manifestUrl?: string;
}

export interface ClaimPageConfig {
  chainId: bigint;
  chainName?: string;
  rpcUrl?: string;
  rewards: string;
  staking?: string;
  /** Block explorer base URL (`https://etherscan.io`): transaction links are `<explorerUrl>/tx/<hash>`. None on a local chain. */
  explorerUrl?: string;
  /** Gasless-claim relay (`npm run relay`): signed claims are POSTed to `<relayUrl>/v1/claims`. */
  relayUrl?: string;
  /** Multicall3 address (default: the canonical 0xcA11bde05977b3631167028862bE2a173976CA11). */
  multicall3?: string;
  /** First block to scan for claim history and the brand's campaigns (the rewards contract's deployment block). */
  fromBlock: bigint;
  campaigns: CampaignConfig[];
  /** The Register panel's settings; absent: no panel. */
  registration?: RegistrationPageConfig;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The config URL: `?config=<url>` of the page, else `./config.json`, resolved against the page's URL. */
export function configUrlFrom(pageUrl: string): string {
  const u = new URL(pageUrl);
  return new URL(u.searchParams.get("config") || "./config.json", u).href;
}

/** True when the page URL names its config (`?config=`); without it, a missing `./config.json` shows the start page. */
export function hasExplicitConfig(pageUrl: string): boolean {
  return Boolean(new URL(pageUrl).searchParams.get("config"));
}

/** No config where the page looked for one (404, or a dev server answering with its HTML page). */
export class NoConfigError extends Error {
  override name = "NoConfigError";
}

function positiveId(v: unknown, where: string): bigint {
  if ((typeof v === "number" && Number.isSafeInteger(v) && v >= 0) || (typeof v === "string" && /^\d+$/.test(v))) {
    return BigInt(v);
  }
  throw new ConfigError(`${where} must be a non-negative integer, got ${JSON.stringify(v)}`);
}

function address(v: unknown, where: string): string {
  if (typeof v !== "string" || !isAddress(v)) throw new ConfigError(`${where} must be an address, got ${JSON.stringify(v)}`);
  return getAddress(v);
}

function optionalString(v: unknown, where: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new ConfigError(`${where} must be a string`);
  return v;
}

/** Checks a parsed config JSON and resolves relative URLs against `baseUrl` (the config file's URL). */
export function parseConfig(json: unknown, baseUrl: string): ClaimPageConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new ConfigError("the config must be a JSON object");
  const o = json as Record<string, unknown>;
  const chainId = positiveId(o.chainId, "chainId");
  const rewards = address(o.rewards, "rewards");
  const staking = o.staking === undefined || o.staking === null ? undefined : address(o.staking, "staking");
  const rpcUrl = optionalString(o.rpcUrl, "rpcUrl");
  if (!Array.isArray(o.campaigns)) throw new ConfigError("campaigns must be an array");
  const seen = new Set<string>();
  const campaigns = o.campaigns.map((c: unknown, i: number): CampaignConfig => {
    const where = `campaigns[${i}]`;
    if (typeof c !== "object" || c === null) throw new ConfigError(`${where} must be an object`);
    const r = c as Record<string, unknown>;
    if (r.kind !== "event" && r.kind !== "channel") {
      throw new ConfigError(`${where}.kind must be "event" or "channel", got ${JSON.stringify(r.kind)}`);
    }
    const id = positiveId(r.id, `${where}.id`);
    const key = `${r.kind}:${id}`;
    if (seen.has(key)) throw new ConfigError(`${where}: ${r.kind} ${id} is listed twice`);
    seen.add(key);
    const base = optionalString(r.proofsBaseUrl, `${where}.proofsBaseUrl`);
    if (!base) throw new ConfigError(`${where}.proofsBaseUrl is required`);
    return {
      kind: r.kind,
      id,
      proofsBaseUrl: new URL(base.endsWith("/") ? base : base + "/", baseUrl).href,
      name: optionalString(r.name, `${where}.name`),
      manifestUrl: optionalUrl(r.manifestUrl, `${where}.manifestUrl`, baseUrl),
    };
  });
  return {
    chainId,
    chainName: optionalString(o.chainName, "chainName"),
    rpcUrl: rpcUrl ? new URL(rpcUrl, baseUrl).href : undefined,
    rewards,
    staking,
    explorerUrl: optionalUrl(o.explorerUrl, "explorerUrl", baseUrl)?.replace(/\/+$/, ""),
    relayUrl: optionalUrl(o.relayUrl, "relayUrl", baseUrl)?.replace(/\/+$/, ""),
    multicall3: o.multicall3 === undefined || o.multicall3 === null ? undefined : address(o.multicall3, "multicall3"),
    fromBlock: o.fromBlock === undefined || o.fromBlock === null ? 0n : positiveId(o.fromBlock, "fromBlock"),
    campaigns,
    registration: parseRegistrationSection(o.registration, (m) => {
      throw new ConfigError(m);
    }),
  };
}

function optionalUrl(v: unknown, where: string, baseUrl: string): string | undefined {
  const s = optionalString(v, where);
  if (!s) return undefined;
  try {
    return new URL(s, baseUrl).href;
  } catch {
    throw new ConfigError(`${where} must be a URL, got ${JSON.stringify(s)}`);
  }
}

/**
 * Fetches and checks the config. With `implicit` (the page was opened without `?config=`), a 404 or a non-JSON
 * answer (a dev server's HTML fallback) is {@link NoConfigError}: the page then shows its start page.
 */
export async function loadConfig(url: string, implicit = false): Promise<ClaimPageConfig> {
  let res: Response;
  try {
    res = await fetch(url, { cache: "no-cache" });
  } catch (e) {
    throw new ConfigError(`could not fetch the config ${url}: ${(e as Error).message}`);
  }
  if (implicit && (res.status === 404 || !/json/i.test(res.headers.get("content-type") ?? ""))) throw new NoConfigError(url);
  if (!res.ok) throw new ConfigError(`could not fetch the config ${url}: HTTP ${res.status}`);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    if (implicit) throw new NoConfigError(url);
    throw new ConfigError(`the config ${url} is not valid JSON (${(e as Error).message})`);
  }
  return parseConfig(json, res.url || url);
}

/** Shard file of an account: `proofs/` + first byte of the address in lowercase hex + `.json`. */
export function shardUrl(proofsBaseUrl: string, account: string): string {
  return new URL(shardPathOf(account), proofsBaseUrl).href;
}
