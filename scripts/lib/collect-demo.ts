/**
 * The demo's first step on the data path: collect the sample posts from a local X API v2 server (started
 * in-process on 127.0.0.1, serving the sample data set's posts, likers, retweeters, quotes and replies)
 * with the real collector, into page files the scorer then reads. The clocks of the server and the
 * collector stand at the time the sample week's pages were fetched, so recent search's 7-day window and
 * the spreading of untimed likes match the sample week.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { runCollect, type CollectResult } from "../../scorer/src/collect/collect";
import { PUBLIC_METRIC_OF_ENDPOINT } from "../../scorer/src/format/page-file";
import { startXServer } from "../../test/x-server";
import { seedFromPageFiles } from "../../test/x-server/from-page-files";

export interface CollectedSample {
  /** The directory of the collected page files (`<tweetId>.<endpoint>.ndjson`). */
  readonly xapiDir: string;
  readonly result: CollectResult;
  readonly apiBase: string;
}

export async function collectSampleFromLocalX(sampleDir: string, outDir: string, log: (line: string) => void = () => undefined): Promise<CollectedSample> {
  const sampleX = path.join(sampleDir, "xapi");
  const files = fs.readdirSync(sampleX).filter((f) => f.endsWith(".ndjson")).sort().map((f) => path.join(sampleX, f));
  const fetchedAt = Date.parse(JSON.parse(fs.readFileSync(files[0], "utf8").split("\n")[0]).fetchedAt);
  const posts = [...new Set(files.map((f) => path.basename(f).split(".")[0]))];
  // A token made up for this run: the collector sends it, the server checks it, nothing prints it.
  const token = randomBytes(24).toString("base64url");
  const server = await startXServer({ seed: seedFromPageFiles(files), token, now: () => fetchedAt });
  try {
    fs.mkdirSync(outDir, { recursive: true });
    const configPath = path.join(outDir, "collect.json");
    fs.writeFileSync(
      configPath,
      `${JSON.stringify({ posts, period: { start: new Date(fetchedAt - 7 * 86_400_000).toISOString(), end: new Date(fetchedAt).toISOString() }, endpoints: ["liking_users", "retweeted_by", "quote_tweets", "replies"] }, null, 2)}\n`,
    );
    const xapiDir = path.join(outDir, "xapi");
    const result = await runCollect({ configPath, outDir: xapiDir, bearerToken: token, apiBase: server.url, now: () => fetchedAt });
    log(`collected ${result.posts.length} posts from the local X API at ${server.url} (clock ${new Date(fetchedAt).toISOString()}): ${result.files.length} page files, ${result.requests} requests, ${result.pages} pages → ${xapiDir}`);
    for (const u of result.unlisted) {
      const metric = PUBLIC_METRIC_OF_ENDPOINT[u.endpoint];
      log(
        u.scored
          ? `  post ${u.tweetId} ${u.endpoint}: ${metric} ${u.publicCount}, the API lists ${u.listed} (at most the 100 most recent) → ${u.unlisted} unlisted engagers take the first positions`
          : `  post ${u.tweetId} ${u.endpoint}: ${metric} ${u.publicCount}, ${u.listed} listed (recorded, not scored)`,
      );
    }
    return { xapiDir, result, apiBase: server.url };
  } finally {
    await server.stop();
  }
}
