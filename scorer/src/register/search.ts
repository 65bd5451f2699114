/**
 * Finding registration posts: `GET /2/tweets/search/recent` for the campaign tag with the authors expanded,
 * through the collector's X client (rate limits, retries), every page. Resumable: each page is appended to
 * a checkpoint file as it arrives, so a run that stops (the X API gave up, the process was killed) continues
 * from the last `next_token` instead of starting over; the checkpoint is removed once the registry is written.
 */
import { appendFile, readFile, rm, writeFile } from "node:fs/promises";
import { paginate, type XResponse, type XTweet, type XUser, type SearchOptions } from "../collect/x-client";
import { ScorerError } from "../errors";
import { formatIsoTime } from "../time";
import type { SearchPost, SearchUser } from "./evaluate";

/** The part of the X client the search uses (the collector's `XClient` has it). */
export interface RecentSearchClient {
  searchRecent(o: SearchOptions): Promise<XResponse<XTweet[]>>;
}

/** What registration asks X for. */
export const REGISTRATION_SEARCH_FIELDS = {
  expansions: ["author_id"],
  userFields: ["username", "created_at", "public_metrics"],
  tweetFields: ["created_at", "author_id", "referenced_tweets"],
} as const;

/** Recent search covers 7 days; a minute of margin keeps `start_time` valid while the request travels. */
const RECENT_WINDOW_MS = 7 * 86_400_000 - 60_000;

const CHECKPOINT_FORMAT = "like2earn-registration-search-v1";

export interface SearchResult {
  readonly posts: SearchPost[];
  readonly users: Map<string, SearchUser>;
  /** Pages fetched by this run. */
  readonly pagesFetched: number;
  /** Pages read back from the checkpoint of an earlier, interrupted run. */
  readonly pagesResumed: number;
  /** The `start_time` asked for. */
  readonly startTime: string;
}

export interface SearchRegistrationOptions {
  readonly client: RecentSearchClient;
  readonly tag: string;
  readonly sinceMs: number;
  readonly now: number;
  /** Where pages are kept until the run completes (resumability); none: nothing is kept. */
  readonly checkpointPath?: string;
  readonly onPage?: (page: number, posts: number) => void;
}

interface CheckpointHeader {
  format: string;
  query: string;
  startTime: string;
}

async function readCheckpoint(path: string, query: string, now: number): Promise<{ startTime: string; bodies: XResponse<XTweet[]>["body"][] } | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  try {
    const header = JSON.parse(lines[0]) as CheckpointHeader;
    if (header.format !== CHECKPOINT_FORMAT || header.query !== query || Date.parse(header.startTime) < now - RECENT_WINDOW_MS) return undefined;
    // A line cut by a crash mid-write is dropped: its page is fetched again.
    const bodies: XResponse<XTweet[]>["body"][] = [];
    for (const l of lines.slice(1)) {
      try {
        bodies.push(JSON.parse(l) as XResponse<XTweet[]>["body"]);
      } catch {
        break;
      }
    }
    return { startTime: header.startTime, bodies };
  } catch {
    return undefined;
  }
}

/** Turns one page's body into posts and authors (the authors come in `includes.users`). */
export function postsOfPage(body: XResponse<XTweet[]>["body"], request = "search page"): { posts: SearchPost[]; users: SearchUser[] } {
  const posts: SearchPost[] = [];
  for (const t of body.data ?? []) {
    if (typeof t.id !== "string" || typeof t.text !== "string" || typeof t.author_id !== "string" || typeof t.created_at !== "string") {
      throw new ScorerError(`${request}: a post lacks id, text, author_id or created_at (asked for tweet.fields=${REGISTRATION_SEARCH_FIELDS.tweetFields.join(",")})`);
    }
    const refs = Array.isArray(t.referenced_tweets) ? (t.referenced_tweets as { type?: unknown }[]).map((r) => String(r?.type)) : [];
    posts.push({ id: t.id, text: t.text, authorId: t.author_id, createdAt: t.created_at, referencedTypes: refs });
  }
  const users = (body.includes?.users ?? []).map((u: XUser) => ({
    id: u.id,
    username: u.username,
    createdAt: typeof u.created_at === "string" ? u.created_at : undefined,
    followers: typeof u.public_metrics?.followers_count === "number" ? u.public_metrics.followers_count : undefined,
  }));
  return { posts, users };
}

/** All posts with the tag from `max(since, now − 7 days)` on, with their authors. */
export async function searchRegistrationPosts(o: SearchRegistrationOptions): Promise<SearchResult> {
  const query = o.tag;
  const resumed = o.checkpointPath ? await readCheckpoint(o.checkpointPath, query, o.now) : undefined;
  const startTime = resumed?.startTime ?? formatIsoTime(Math.max(o.sinceMs, o.now - RECENT_WINDOW_MS));
  const bodies = [...(resumed?.bodies ?? [])];
  const posts = new Map<string, SearchPost>();
  const users = new Map<string, SearchUser>();
  const take = (body: XResponse<XTweet[]>["body"], request?: string) => {
    const page = postsOfPage(body, request);
    for (const p of page.posts) posts.set(p.id, p);
    for (const u of page.users) users.set(u.id, u);
    return page.posts.length;
  };
  for (const b of bodies) take(b);
  if (o.checkpointPath && !resumed) await writeFile(o.checkpointPath, JSON.stringify({ format: CHECKPOINT_FORMAT, query, startTime } satisfies CheckpointHeader) + "\n");

  const last = bodies.at(-1);
  let fetched = 0;
  // X refuses a window that ends before it starts (its end is 30 s before now): a `since` that recent has
  // nothing to read yet.
  const nothingYet = Date.parse(startTime) >= o.now - 30_000;
  if (!nothingYet && (!last || last.meta?.next_token !== undefined)) {
    const firstToken = last?.meta?.next_token;
    let first = true;
    for await (const res of paginate((token) =>
      o.client.searchRecent({ query, startTime, ...REGISTRATION_SEARCH_FIELDS, token: first && firstToken ? firstToken : token }),
    )) {
      first = false;
      fetched++;
      const n = take(res.body, res.request);
      if (o.checkpointPath) await appendFile(o.checkpointPath, JSON.stringify(res.body) + "\n");
      o.onPage?.(bodies.length + fetched, n);
    }
  }
  return { posts: [...posts.values()], users, pagesFetched: fetched, pagesResumed: bodies.length, startTime };
}

/** Removes the checkpoint after the registry is written. */
export async function clearCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}
