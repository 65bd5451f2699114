/**
 * The collector: reads a campaign's engagements from the X API v2 into page files
 * (`<out>/<tweetId>.<endpoint>.ndjson`, format v2, `scorer/src/format/page-file.ts`) that
 * `score --engagements <out>/*.ndjson` reads.
 *
 * One run is one poll, or with `every` / `until` a poll every `every` until `until`. A poll:
 *   1. `query` (optional): recent search in the period; the posts found join the list;
 *   2. post lookup (author, creation time, conversation, public_metrics);
 *   3. per post and endpoint, every page to the end with the largest `max_results`; the page file is
 *      rewritten atomically with all polls so far when the endpoint's poll is complete.
 * Progress is kept in the state file (state.ts): a killed run continues where it stopped.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { writeFileAtomic } from "../output";
import { EngagementTableBuilder } from "../engagements";
import { ScorerError } from "../errors";
import {
  COLLECT_FIELDS,
  pageFileHeaderLineV2,
  pageFileLineV2,
  pageFileName,
  type UnlistedRecord,
  type XApiEndpoint,
} from "../format/page-file";
import { ingestFile } from "../ingest";
import { formatIsoTime } from "../time";
import { parseCollectConfigText, type CollectConfig } from "./config";
import { endpointKey, sha256, StateStore, STATE_FORMAT, type CollectState, type EndpointState } from "./state";
import { XClient, type RetryOptions, type XClientEvent, type XResponse } from "./x-client";

export const SUMMARY_FILE = "collect.summary.json";
export const SUMMARY_FORMAT = "like2earn-collect-summary-v1";

export interface CollectOptions {
  readonly configPath: string;
  readonly outDir: string;
  /** From `X_BEARER_TOKEN`; only the client sees it. */
  readonly bearerToken: string;
  readonly apiBase?: string;
  /** Poll mode: ms between polls; requires `until`. */
  readonly every?: number;
  /** Poll mode: no poll starts after this time (ms). */
  readonly until?: number;
  /** Replies through full-archive search (`/2/tweets/search/all`, Pro / Enterprise access). */
  readonly fullArchive?: boolean;
  readonly retry?: RetryOptions;
  readonly timeoutMs?: number;
  /** Tests: the clock, sleep and jitter. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Progress as events (the CLI prints them, see progress.ts). */
  readonly onProgress?: (event: CollectEvent) => void;
  /** fsync each appended page line (default true; page files and the state are always flushed before their rename). */
  readonly fsync?: boolean;
}

export type CollectEvent =
  | { readonly kind: "poll"; readonly poll: number; readonly polls: number | undefined; readonly at: number }
  | { readonly kind: "wait-poll"; readonly poll: number; readonly until: number }
  | { readonly kind: "post"; readonly tweetId: string; readonly done: number; readonly total: number; readonly pages: Readonly<Partial<Record<XApiEndpoint, number>>> }
  | { readonly kind: "warning"; readonly message: string }
  | { readonly kind: "resume"; readonly poll: number }
  | { readonly kind: "stats"; readonly requests: number; readonly pages: number; readonly waits: number }
  | XClientEvent;

export type { UnlistedRecord };

export interface CollectResult {
  /** Page files, relative to `outDir`, sorted. */
  readonly files: readonly string[];
  readonly posts: readonly string[];
  readonly polls: number;
  /** HTTP requests this run sent (retries included). */
  readonly requests: number;
  readonly pages: number;
  readonly unlisted: readonly UnlistedRecord[];
  readonly warnings: readonly string[];
  /** The state said the collection was finished already: nothing was fetched. */
  readonly alreadyComplete: boolean;
}

/** Raised for a problem the user fixes in collect.json or the command line. */
export class CollectError extends ScorerError {
  override name = "CollectError";
}

const SEARCH_WINDOW_MS = 7 * 86_400_000;

/** `15m`, `30s`, `1h` → ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw new CollectError(`--every ${JSON.stringify(text)}: expected a duration such as 15m, 30s or 1h`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "s" | "m" | "h"];
}

export async function runCollect(o: CollectOptions): Promise<CollectResult> {
  if ((o.every === undefined) !== (o.until === undefined)) throw new CollectError("--every and --until go together (poll every <duration> until <ISO time>)");
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const emit = o.onProgress ?? (() => undefined);
  const configText = await fs.readFile(o.configPath, "utf8").catch((e: NodeJS.ErrnoException) => {
    throw new CollectError(`cannot read ${o.configPath}: ${e.code === "ENOENT" ? "no such file" : e.message}`);
  });
  const config = parseCollectConfigText(configText, o.configPath);
  let waits = 0;
  let pagesFetched = 0;
  const client = new XClient({
    bearerToken: o.bearerToken,
    apiBase: o.apiBase,
    retry: o.retry,
    timeoutMs: o.timeoutMs,
    now,
    sleep,
    random: o.random,
    onEvent: (e) => {
      if (e.kind === "rate-limited" || e.kind === "retry") waits++;
      emit(e);
    },
  });
  const store = new StateStore(o.outDir, o.fsync ?? true);
  await fs.mkdir(o.outDir, { recursive: true });
  const mode = { every: o.every ?? null, until: o.until === undefined ? null : formatIsoTime(o.until), fullArchive: o.fullArchive ?? false };
  let state = await store.load();
  if (state) {
    if (state.configSha256 !== sha256(configText)) {
      throw new CollectError(`${o.outDir} holds a collection of another collect.json (the state's hash differs)`, { details: ["Use a new --out directory, or restore the collect.json of that collection."] });
    }
    if (JSON.stringify(state.mode) !== JSON.stringify(mode)) {
      throw new CollectError(`${o.outDir} was collected with other options (${JSON.stringify(state.mode)})`, { details: ["Run it again with the same --every / --until / --full-archive, or use a new --out."] });
    }
    if (state.finished) {
      const files = await pageFiles(o.outDir);
      const summary = await summarise(o.outDir, files);
      return { files, posts: state.posts, polls: state.poll + 1, requests: 0, pages: 0, unlisted: summary, warnings: state.warnings, alreadyComplete: true };
    }
    await removeStaleTemporaries(o.outDir, store.dir);
    emit({ kind: "resume", poll: state.poll });
  } else {
    const existing = (await fs.readdir(o.outDir)).filter((f) => f.endsWith(".ndjson"));
    if (existing.length > 0) {
      throw new CollectError(`${o.outDir} already holds page files (${existing[0]}, …) but no collector state`, { details: ["Choose an empty --out directory: results are never overwritten."] });
    }
    if (o.until !== undefined && o.until < now()) {
      throw new CollectError(`--until ${formatIsoTime(o.until)} is in the past: poll mode needs a time to come (or drop --every/--until for one poll)`);
    }
    state = {
      format: STATE_FORMAT,
      configSha256: sha256(configText),
      mode,
      startedAt: formatIsoTime(now()),
      poll: 0,
      finished: false,
      posts: [...config.posts],
      search: null,
      lookupPoll: -1,
      tweets: {},
      endpoints: {},
      warnings: [],
    };
    await store.save(state);
  }
  const s: CollectState = state;
  const save = () => store.save(s);
  const warn = async (message: string) => {
    // A resumed run may meet the same condition again: record it once, so the summary matches an uninterrupted run.
    if (!s.warnings.includes(message)) s.warnings.push(message);
    emit({ kind: "warning", message });
  };
  const pollsPlanned = o.every === undefined ? 1 : Math.floor((o.until! - Date.parse(s.startedAt)) / o.every) + 1;

  for (;;) {
    const k = s.poll;
    const due = Date.parse(s.startedAt) + k * (o.every ?? 0);
    if (now() < due) {
      emit({ kind: "wait-poll", poll: k, until: due });
      await sleep(due - now());
    }
    emit({ kind: "poll", poll: k, polls: pollsPlanned, at: now() });
    await runPoll(k);
    const next = Date.parse(s.startedAt) + (k + 1) * (o.every ?? 0);
    if (o.every === undefined || next > o.until!) {
      s.finished = true;
      await save();
      break;
    }
    s.poll = k + 1;
    await save();
  }
  const files = await pageFiles(o.outDir);
  const unlisted = await summarise(o.outDir, files);
  emit({ kind: "stats", requests: client.requests, pages: pagesFetched, waits });
  return { files, posts: s.posts, polls: s.poll + 1, requests: client.requests, pages: pagesFetched, unlisted, warnings: s.warnings, alreadyComplete: false };

  async function runPoll(k: number): Promise<void> {
    if (config.query !== undefined) await search(k, config.query);
    if (s.lookupPoll !== k) await lookup(k);
    const posts = s.posts.filter((id) => s.tweets[id]?.lookupPoll === k);
    let done = 0;
    for (const id of posts) {
      const pages: Partial<Record<XApiEndpoint, number>> = {};
      for (const endpoint of config.endpoints) pages[endpoint] = await collectEndpoint(k, id, endpoint);
      emit({ kind: "post", tweetId: id, done: ++done, total: posts.length, pages });
    }
    await writeSummary(k);
  }

  async function search(k: number, query: string): Promise<void> {
    if (!s.search || s.search.poll !== k) {
      s.search = { poll: k, cursor: null, tokens: [], found: [], done: false };
      await save();
    }
    const st = s.search;
    if (st.done) return;
    // Recent search covers the last 7 days and ends ≥ 10 s before now; full archive has no such window.
    const t = now();
    const start = o.fullArchive ? config.period.start : Math.max(config.period.start, t - SEARCH_WINDOW_MS + 60_000);
    const end = Math.min(config.period.end, t - 15_000);
    if (end <= start) {
      await warn(`query: the period ${formatIsoTime(config.period.start)} – ${formatIsoTime(config.period.end)} is not within recent search's last 7 days: no posts found by the query at poll ${k}`);
    } else {
      if (!o.fullArchive && start > config.period.start) await warn(`query: recent search reaches back only to ${formatIsoTime(start)} (7 days); posts of the period before that are not found`);
      for (;;) {
        const req = { query, startTime: formatIsoTime(start), endTime: formatIsoTime(end), token: st.cursor ?? undefined };
        const res = o.fullArchive ? await client.searchAll(req) : await client.searchRecent(req);
        pagesFetched++;
        for (const tw of res.body.data ?? []) if (!st.found.includes(tw.id)) st.found.push(tw.id);
        const next = res.body.meta?.next_token;
        if (next !== undefined && st.tokens.includes(next)) {
          await warn(`query search: next_token ${JSON.stringify(next)} came back a second time (a pagination loop); stopped following it`);
          break;
        }
        if (next === undefined) break;
        st.tokens.push(next);
        st.cursor = next;
        await save();
      }
    }
    const added = st.found.filter((id) => !s.posts.includes(id)).sort(compareIds);
    s.posts.push(...added);
    st.done = true;
    st.cursor = null;
    await save();
  }

  async function lookup(k: number): Promise<void> {
    for (let i = 0; i < s.posts.length; i += 100) {
      const ids = s.posts.slice(i, i + 100);
      const res = await client.lookupTweets(ids, COLLECT_FIELDS.lookup);
      for (const tw of res.body.data ?? []) {
        if (typeof tw.author_id !== "string" || typeof tw.created_at !== "string") {
          throw new CollectError(`X API ${res.request}: post ${tw.id} came without author_id / created_at (the response is not what was asked for)`);
        }
        s.tweets[tw.id] = {
          authorId: tw.author_id,
          createdAt: tw.created_at,
          conversationId: tw.conversation_id ?? tw.id,
          ...(tw.public_metrics ? { publicMetrics: tw.public_metrics } : {}),
          lookupPoll: k,
        };
      }
      for (const e of res.body.errors ?? []) {
        const id = e.resource_id ?? e.value ?? "?";
        const why = e.detail ?? e.title ?? "not found";
        if (config.posts.includes(id)) {
          throw new CollectError(`post ${id} of ${o.configPath}: ${why}`, { details: ["It was deleted, is protected, or the id is a typo: fix the posts list of collect.json."] });
        }
        await warn(`post ${id} (found by the query) is no longer available at poll ${k}: ${why}`);
      }
    }
    s.lookupPoll = k;
    await save();
  }

  function fetchPage(id: string, endpoint: XApiEndpoint, token: string | undefined, sinceId: string | undefined): Promise<XResponse<unknown>> {
    switch (endpoint) {
      case "liking_users":
        return client.likingUsers(id, { token });
      case "retweeted_by":
        return client.retweetedBy(id, { token });
      case "quote_tweets":
        return client.quoteTweets(id, { token, ...COLLECT_FIELDS.quote_tweets });
      case "replies": {
        const query = `conversation_id:${id}`;
        if (o.fullArchive) return client.searchAll({ query, startTime: s.tweets[id].createdAt, sinceId, token, ...COLLECT_FIELDS.replies });
        return client.searchRecent({ query, sinceId, token, ...COLLECT_FIELDS.replies });
      }
    }
  }

  /** One endpoint of one post in poll k; returns the pages it holds for this poll. */
  async function collectEndpoint(k: number, id: string, endpoint: XApiEndpoint): Promise<number> {
    const key = endpointKey(id, endpoint);
    let st: EndpointState | undefined = s.endpoints[key];
    if (!st) st = s.endpoints[key] = { polls: [], poll: -1, pages: 0, cursor: null, tokens: [], complete: false, written: false, bytes: 0 };
    if (st.poll === k && st.written) return st.pages;
    const timed = endpoint === "quote_tweets" || endpoint === "replies";
    if (st.poll !== k) {
      // Likes and retweets are re-read whole (that is how a poll observes them); quotes and replies carry
      // their own time, so a later poll reads only the tweets newer than the earlier polls' newest.
      Object.assign(st, { poll: k, pages: 0, cursor: null, tokens: [], complete: false, written: false, ...(timed && st.newestId ? { sinceId: st.newestId } : {}) });
      await save();
    }
    while (!st.complete) {
      const res = await fetchPage(id, endpoint, st.cursor ?? undefined, endpoint === "replies" ? st.sinceId : undefined);
      pagesFetched++;
      const items = Array.isArray(res.body.data) ? (res.body.data as { id?: unknown }[]).map((t) => String(t.id)) : [];
      let caughtUp = false;
      if (timed) {
        for (const tid of items) if (st.newestId === undefined || compareIds(tid, st.newestId) > 0) st.newestId = tid;
        // quote_tweets has no since_id: newest first, so a tweet the earlier polls had means the rest is known.
        caughtUp = endpoint === "quote_tweets" && st.sinceId !== undefined && items.some((tid) => compareIds(tid, st!.sinceId!) <= 0);
      }
      if (st.pages === 0) st.polls.push(formatIsoTime(now()));
      st.bytes = await store.appendLine(key, st.bytes, pageFileLineV2(st.polls.length - 1, res.text));
      st.pages++;
      const next = res.body.meta?.next_token;
      if (next !== undefined && st.tokens.includes(next)) {
        await warn(`${key}: next_token ${JSON.stringify(next)} on page ${st.pages} of poll ${k} was already followed (a pagination loop); stopped following it`);
        st.complete = true;
        st.cursor = null;
      } else if (next === undefined || caughtUp) {
        st.complete = true;
        st.cursor = null;
      } else {
        st.tokens.push(next);
        st.cursor = next;
      }
      await save();
    }
    st.tokens = []; // only needed while the poll paginates; keeps the state (rewritten per page) small
    const post = s.tweets[id];
    const header = pageFileHeaderLineV2({
      endpoint,
      tweetId: id,
      tweetAuthorId: post.authorId,
      tweetCreatedAt: post.createdAt,
      fetchedAt: st.polls[0],
      polls: st.polls,
      publicMetrics: post.publicMetrics,
    });
    const body = await store.readPages(key, st.bytes);
    await writeFileAtomic(path.join(o.outDir, pageFileName(id, endpoint)), Buffer.concat([Buffer.from(`${header}\n`), body]));
    st.written = true;
    await save();
    return st.pages;
  }

  async function writeSummary(k: number): Promise<void> {
    const files = await pageFiles(o.outDir);
    const unlisted = await summarise(o.outDir, files);
    const summary = {
      format: SUMMARY_FORMAT,
      polls: k + 1,
      posts: s.posts,
      files,
      unlisted: unlisted.map(({ file, ...rest }) => ({ file: path.basename(file), ...rest })),
      warnings: s.warnings,
    };
    await writeFileAtomic(path.join(o.outDir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  }
}

/** A run killed while writing a file atomically leaves its temporary (`<file>.tmp-<pid>-<hex>`): remove them. */
async function removeStaleTemporaries(...dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names) if (/\.tmp-\d+-[0-9a-f]+$/.test(name)) await fs.rm(path.join(dir, name), { force: true });
  }
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

async function pageFiles(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((f) => /^\d+\.(liking_users|retweeted_by|quote_tweets|replies)\.ndjson$/.test(f)).sort();
}

/** The public_metrics differences, as the scorer will see them (read back through the scorer's reader). */
async function summarise(dir: string, files: readonly string[]): Promise<UnlistedRecord[]> {
  const out: UnlistedRecord[] = [];
  for (const f of files) {
    await ingestFile(new EngagementTableBuilder(), path.join(dir, f), f, undefined, (c) => out.push(c));
  }
  return out;
}
