/**
 * X API page files: the collector writes them, the scorer reads them (`scorer/src/ingest/xapi.ts`).
 * One file per post and endpoint, `<tweetId>.<endpoint>.ndjson`, NDJSON:
 *
 * v1 (`like2earn-xapi-v1`, written by hand or by earlier tools; still read):
 *   line 1  {"format":"like2earn-xapi-v1","endpoint","tweetId","tweetAuthorId","tweetCreatedAt","fetchedAt"}
 *   line 2… one raw X API v2 response body per line, page 1 first
 *
 * v2 (`like2earn-xapi-v2`, written by `collect`):
 *   line 1  {"format":"like2earn-xapi-v2","endpoint","tweetId","tweetAuthorId","tweetCreatedAt","fetchedAt",
 *            "polls":[ISO, …],"publicMetrics":{"like_count":…, …}}
 *   line 2… {"poll":k,"page":<raw response body>}, polls in order, each poll's pages in order
 *
 * - `fetchedAt`: the collector's clock when it fetched this endpoint's first page for this post (= `polls[0]`).
 *   It bounds where engagements without a time are spread, so it is part of the data.
 * - `polls[k]`: the same for poll k (`collect --every`). A like or retweet first listed at poll k ≥ 1 happened
 *   in the observed window (polls[k−1], polls[k]].
 * - `publicMetrics`: the post's `public_metrics` at the last poll (post lookup). When a count exceeds the
 *   engagers the lists show (at most the 100 most recent likers / retweeters), the difference is scored as
 *   unlisted engagers (docs/SPEC.md, "Collecting from X").
 *
 * The version rule: a field that older readers could ignore may be added to v2 as optional; anything that
 * changes what a line means needs v3, and the reader keeps reading v1 and v2. Browser-safe: no Node imports.
 */

export const PAGE_FILE_V1 = "like2earn-xapi-v1";
export const PAGE_FILE_V2 = "like2earn-xapi-v2";
export const PAGE_FILE_FORMATS = [PAGE_FILE_V1, PAGE_FILE_V2] as const;
export type PageFileFormat = (typeof PAGE_FILE_FORMATS)[number];

export const XAPI_ENDPOINTS = ["liking_users", "retweeted_by", "quote_tweets", "replies"] as const;
export type XApiEndpoint = (typeof XAPI_ENDPOINTS)[number];

export const PAGE_FILE_HEADER_FIELDS: Readonly<Record<PageFileFormat, readonly string[]>> = {
  [PAGE_FILE_V1]: ["format", "endpoint", "tweetId", "tweetAuthorId", "tweetCreatedAt", "fetchedAt"],
  [PAGE_FILE_V2]: ["format", "endpoint", "tweetId", "tweetAuthorId", "tweetCreatedAt", "fetchedAt", "polls", "publicMetrics"],
};

/** Fields of a v2 page line. */
export const PAGE_LINE_FIELDS = ["poll", "page"] as const;

/** The `public_metrics` count that counts the same engagers as an endpoint's list. */
export const PUBLIC_METRIC_OF_ENDPOINT: Readonly<Record<XApiEndpoint, string>> = {
  liking_users: "like_count",
  retweeted_by: "retweet_count",
  quote_tweets: "quote_count",
  replies: "reply_count",
};

/**
 * Exactly what the collector requests, per X API request (the API returns only what is asked for; the
 * scorer needs nothing more). User lists need only the default user fields `id, name, username`.
 */
export const COLLECT_FIELDS = {
  lookup: { tweetFields: ["author_id", "created_at", "conversation_id", "public_metrics"] },
  liking_users: {},
  retweeted_by: {},
  quote_tweets: { tweetFields: ["author_id", "created_at"] },
  replies: { tweetFields: ["author_id", "created_at", "conversation_id"] },
} as const;

/** The header of a v2 page file, as the collector writes it (times as ISO strings). */
export interface PageFileHeaderV2 {
  readonly format: typeof PAGE_FILE_V2;
  readonly endpoint: XApiEndpoint;
  readonly tweetId: string;
  readonly tweetAuthorId: string;
  readonly tweetCreatedAt: string;
  readonly fetchedAt: string;
  readonly polls: readonly string[];
  readonly publicMetrics?: Readonly<Record<string, number>>;
}

/** One line of a v2 page file (the header is line 1). */
export function pageFileLineV2(poll: number, rawBody: string): string {
  // The body is embedded as received (it is JSON already): no re-serialisation changes a byte of it.
  return `{"poll":${poll},"page":${rawBody.trim()}}`;
}

/** The header line of a v2 page file. */
export function pageFileHeaderLineV2(h: Omit<PageFileHeaderV2, "format">): string {
  const header: PageFileHeaderV2 = {
    format: PAGE_FILE_V2,
    endpoint: h.endpoint,
    tweetId: h.tweetId,
    tweetAuthorId: h.tweetAuthorId,
    tweetCreatedAt: h.tweetCreatedAt,
    fetchedAt: h.fetchedAt,
    polls: h.polls,
    ...(h.publicMetrics ? { publicMetrics: h.publicMetrics } : {}),
  };
  return JSON.stringify(header);
}

/** `<tweetId>.<endpoint>.ndjson`. */
export function pageFileName(tweetId: string, endpoint: XApiEndpoint): string {
  return `${tweetId}.${endpoint}.ndjson`;
}

/**
 * What the scorer reports per page file whose post's `public_metrics` count differs from the engagers
 * listed: recorded in the score manifest (`xapiUnlisted`) and printed by `collect`.
 */
export interface UnlistedCount {
  readonly tweetId: string;
  readonly endpoint: XApiEndpoint;
  /** The `public_metrics` count (e.g. `like_count`). */
  readonly publicCount: number;
  /** Distinct engagers in the file. */
  readonly listed: number;
  /** max(0, publicCount − listed). */
  readonly unlisted: number;
  /** True when the unlisted engagers were added to the scoring as the earliest positions (likes, retweets). */
  readonly scored: boolean;
}

/** An {@link UnlistedCount} with the page file it came from. */
export interface UnlistedRecord extends UnlistedCount {
  readonly file: string;
}
