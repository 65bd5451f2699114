/**
 * `registrations`: the admin's run (an edge: X API, RPC, files). Reads `registrations.json`, the registry so
 * far (`--out`, merged, never replaced) and its rejects, searches X for the tag, applies the rules
 * (evaluate.ts), and writes `registry.ndjson` and `registry.rejected.ndjson` atomically.
 */
import { readFile } from "node:fs/promises";
import { ChainError, ScorerError } from "../errors";
import { rejectedPathFor } from "../format/registry";
import type { ChainReader } from "../onchain";
import { parseRegistrationsConfig, type RegistrationsConfig } from "./config";
import { evaluateRegistrations, type EvaluateResult } from "./evaluate";
import { readRegistryFile, readRejectedFile, writeRegistryFiles } from "./registry-file";
import { clearCheckpoint, searchRegistrationPosts, type RecentSearchClient, type SearchResult } from "./search";
import { erc1271Checker } from "./signature";

export interface RunRegistrationsOptions {
  readonly configPath: string;
  readonly outPath: string;
  readonly client: RecentSearchClient;
  /** For EIP-1271 wallets (at the latest block); without it only EOA signatures register. */
  readonly reader?: Pick<ChainReader, "call" | "getNetwork">;
  /** Wall clock (ms), for the 7-day window. */
  readonly now?: number;
  readonly onPage?: (page: number, posts: number) => void;
}

export interface RunRegistrationsResult {
  readonly config: RegistrationsConfig;
  readonly search: SearchResult;
  readonly result: EvaluateResult;
  readonly outPath: string;
  readonly rejectedPath: string;
}

/** The checkpoint of an interrupted search, beside the registry. */
export function checkpointPathFor(outPath: string): string {
  return `${outPath}.search-checkpoint.ndjson`;
}

export async function runRegistrations(o: RunRegistrationsOptions): Promise<RunRegistrationsResult> {
  let text: string;
  try {
    text = await readFile(o.configPath, "utf8");
  } catch (e) {
    throw new ScorerError(`cannot read ${o.configPath}: ${(e as Error).message}`, { cause: e });
  }
  const config = parseRegistrationsConfig(text, o.configPath);
  // The registry so far is read (and checked) before anything is asked of X or the chain.
  const existing = (await readRegistryFile(o.outPath, { missingOk: true })).map((l) => l.entry);
  const rejectedPath = rejectedPathFor(o.outPath);
  const existingRejected = await readRejectedFile(rejectedPath);
  if (o.reader) {
    const { chainId } = await o.reader.getNetwork();
    if (chainId !== config.chainId) {
      throw new ChainError(`--rpc is chain ${chainId}, but ${o.configPath} registers for chain ${config.chainId}: EIP-1271 wallets must be asked on the chain the signatures are for`);
    }
  }
  const checkpoint = checkpointPathFor(o.outPath);
  const search = await searchRegistrationPosts({ client: o.client, tag: config.tag, sinceMs: config.sinceMs, now: o.now ?? Date.now(), checkpointPath: checkpoint, onPage: o.onPage });
  const result = await evaluateRegistrations({
    config,
    posts: search.posts,
    users: search.users,
    existing,
    existingRejected,
    contracts: o.reader ? erc1271Checker(o.reader) : undefined,
  });
  await writeRegistryFiles(o.outPath, result.registry, result.rejected);
  await clearCheckpoint(checkpoint);
  return { config, search, result, outPath: o.outPath, rejectedPath };
}
