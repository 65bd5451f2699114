/**
 * `scorer collect <collect.json> --out <dir> [--api-base URL] [--every 15m --until ISO] [--full-archive]`.
 * The bearer token comes from `X_BEARER_TOKEN` only (never an argument: arguments show in `ps`).
 */
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { parseIsoTime } from "../time";
import { runCollect, parseDuration, CollectError } from "./collect";
import { createCollectProgress } from "./progress";
import { DEFAULT_API_BASE, parseApiBase } from "./x-client";

export interface CollectCliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  readonly stderr?: NodeJS.WriteStream;
}

function option<T>(parse: (v: string) => T): (v: string) => T {
  return (v) => {
    try {
      return parse(v);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

export function addCollectCommand(program: Command, io: CollectCliIo): void {
  program
    .command("collect")
    .description("Collect a campaign's engagements from the X API v2 into page files <out>/<tweetId>.<endpoint>.ndjson (bearer token: X_BEARER_TOKEN).")
    .argument("<collect.json>", 'what to collect: {"posts": [...], "query"?: "...", "period": {"start", "end"}, "endpoints": [...]}')
    .requiredOption("--out <dir>", "directory of the page files and the collector's state (a killed run resumes from it)")
    .option("--api-base <url>", `X API origin without /2 (default ${DEFAULT_API_BASE})`, option(parseApiBase))
    .option("--every <duration>", "poll mode: re-read the lists every <duration> (15m, 30s, 1h); needs --until", option(parseDuration))
    .option("--until <iso>", "poll mode: no poll starts after this time", option((v) => {
      const t = parseIsoTime(v);
      if (t === undefined) throw new Error(`${JSON.stringify(v)} is not an ISO 8601 date-time with a zone`);
      return t;
    }))
    .option("--full-archive", "replies through full-archive search (/2/tweets/search/all; Pro or Enterprise access)")
    .option("--quiet", "no progress lines")
    .action(async (config: string, o: { out: string; apiBase?: string; every?: number; until?: number; fullArchive?: boolean; quiet?: boolean }) => {
      const token = (io.env ?? process.env).X_BEARER_TOKEN;
      if (!token) {
        throw new CollectError("X_BEARER_TOKEN is not set: export your app's Bearer Token (developer portal, Keys and tokens) as X_BEARER_TOKEN", {
          details: ["The token is read from the environment only, so it never appears in a command line, a file or a log."],
        });
      }
      const progress = o.quiet ? undefined : createCollectProgress(io.stderr ?? process.stderr);
      try {
        const r = await runCollect({
          configPath: config,
          outDir: o.out,
          bearerToken: token,
          apiBase: o.apiBase,
          every: o.every,
          until: o.until,
          fullArchive: o.fullArchive,
          onProgress: progress?.onEvent,
        });
        progress?.stop();
        if (r.alreadyComplete) io.out(`already complete: ${o.out} (nothing fetched)`);
        io.out(`collected ${r.posts.length} posts into ${r.files.length} page files in ${o.out} (${r.polls} poll${r.polls === 1 ? "" : "s"}, ${r.requests} requests, ${r.pages} pages)`);
        for (const u of r.unlisted) {
          io.out(`  ${u.tweetId} ${u.endpoint}: public_metrics counts ${u.publicCount}, the API listed ${u.listed}${u.scored ? ` → ${u.unlisted} unlisted engagers take the first positions` : " (recorded, not scored)"}`);
        }
        for (const w of r.warnings) io.out(`  warning: ${w}`);
        io.out(`score with: npm run scorer -- score <config> --engagements ${o.out}/*.ndjson ...`);
      } finally {
        progress?.stop();
      }
    });
}
