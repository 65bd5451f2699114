/** Shared fixtures of the collector tests: the sample data set served by the local X server. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chainDataFromMaps } from "../../src/chain-data";
import { runCollect, type CollectOptions, type CollectResult } from "../../src/collect/collect";
import { runScore } from "../../src/run";
import { startXServer, type Fault, type XSeed, type XServer } from "../../../test/x-server";
import { seedFromPageFiles } from "../../../test/x-server/from-page-files";
import { tmpDir } from "../helpers";

export const SAMPLE = join(__dirname, "../../../data/sample");
export const SAMPLE_XAPI = readdirSync(join(SAMPLE, "xapi")).sort().map((f) => join(SAMPLE, "xapi", f));
export const SAMPLE_POSTS = [...new Set(readdirSync(join(SAMPLE, "xapi")).map((f) => f.split(".")[0]))].sort();
/** The sample pages were fetched at this time; the tests' server and collector clocks stand still there. */
export const NOW = Date.parse("2025-01-13T00:00:00Z");
export const ALL_ENDPOINTS = ["liking_users", "retweeted_by", "quote_tweets", "replies"] as const;

export function sampleSeed(): XSeed {
  return seedFromPageFiles(SAMPLE_XAPI);
}

export function serve(faults: Fault[] = [], seed: XSeed = sampleSeed(), extra: Partial<Parameters<typeof startXServer>[0]> = {}): Promise<XServer> {
  return startXServer({ seed, faults, now: () => NOW, ...extra });
}

export function collectConfig(dir: string, overrides: Record<string, unknown> = {}): string {
  const file = join(dir, "collect.json");
  writeFileSync(
    file,
    JSON.stringify({ posts: SAMPLE_POSTS, period: { start: "2025-01-06T00:00:00Z", end: "2025-01-13T00:00:00Z" }, endpoints: ALL_ENDPOINTS, ...overrides }, null, 2),
  );
  return file;
}

/** Fast retries for tests: a few ms of backoff, no slack on rate-limit resets. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 40, resetSlackMs: 0 };

export async function collect(server: XServer, outDir: string, o: Partial<CollectOptions> = {}): Promise<CollectResult> {
  mkdirSync(outDir, { recursive: true });
  return runCollect({
    configPath: o.configPath ?? collectConfig(tmpDir("collect-config-")),
    outDir,
    bearerToken: server.token,
    apiBase: server.url,
    now: () => NOW,
    retry: FAST_RETRY,
    fsync: false,
    ...o,
  });
}

export function pageFilesOf(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".ndjson")).sort().map((f) => join(dir, f));
}

/** Every page file's bytes, by name. */
export function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(pageFilesOf(dir).map((f) => [f.slice(dir.length + 1), readFileSync(f, "utf8")]));
}

/** Scores the sample event on these engagement files (no chain: every balance 0); returns the root and manifest. */
export async function scoreFiles(files: readonly string[], configPath = join(SAMPLE, "event.config.json")) {
  const out = join(tmpDir("collect-score-"), "out");
  const r = await runScore({
    configPath,
    participantsPath: join(SAMPLE, "participants.csv"),
    engagementPaths: files,
    outDir: out,
    chain: { data: chainDataFromMaps({ snapshotBlock: 1, snapshotTimestamp: NOW / 1000 }) },
  });
  return { root: r.manifest.root, manifest: r.manifest, computed: r.computed };
}

/**
 * The sample seed plus extra replies and quotes on every post (by sample users, inside the period), so
 * that every endpoint but the capped user lists has several pages of 100.
 */
export function bigSeed(extraReplies = 230, extraQuotes = 120): XSeed {
  const seed = sampleSeed();
  const authors = seed.users.map((u) => u.id);
  let n = 0;
  for (const post of SAMPLE_POSTS) {
    const created = Date.parse(seed.tweets.find((t) => t.id === post)!.created_at);
    for (let i = 0; i < extraReplies + extraQuotes; i++) {
      n++;
      const at = new Date(created + 60_000 + i * 977).toISOString();
      const id = String(1879000000000000000n + BigInt(n) * 1000n);
      const author_id = authors[(n * 7919) % authors.length];
      seed.tweets.push(
        i < extraReplies
          ? { id, text: `reply ${n}`, author_id, created_at: at, conversation_id: post, in_reply_to_tweet_id: post }
          : { id, text: `quote ${n}`, author_id, created_at: at, quoted_tweet_id: post },
      );
    }
  }
  return seed;
}
