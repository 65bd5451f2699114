/**
 * A local X API v2 server for tests and the demo (Node `http`, 127.0.0.1, no outside network).
 *
 *   const x = await startXServer({ seed, faults: [{ kind: "rate-limit", endpoint: "liking_users", nth: 2 }] });
 *   // x.url = "http://127.0.0.1:PORT" (pass it as --api-base), x.token = the bearer token it accepts
 *   ...
 *   x.requests  // every request: endpoint, query, status, fault
 *   await x.stop();
 *
 * It answers from `seed` (mutable: a test may add likers between polls) the way docs.x.com documents
 * the v2 endpoints: default fields only unless `tweet.fields` / `user.fields` / `expansions` ask for
 * more, unknown parameters and fields are a 400, `max_results` bounds per endpoint, opaque pagination
 * tokens (user lists and quotes: `pagination_token`; search: `next_token`), newest first, at most the
 * 100 most recent likers / retweeters of a post, recent search limited to the last 7 days, not-found
 * ids as HTTP 200 with `errors`, 401 without the bearer token, `x-rate-limit-*` headers.
 * Faults are injected by request count per endpoint (see {@link Fault}).
 */
import { createHash } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";

export interface SeedUser {
  id: string;
  username: string;
  name?: string;
  created_at?: string;
  public_metrics?: { followers_count: number; following_count: number; tweet_count: number; listed_count: number; like_count?: number };
  description?: string;
  protected?: boolean;
  verified?: boolean;
}

export interface SeedTweet {
  id: string;
  text: string;
  author_id: string;
  created_at: string;
  /** Defaults to the tweet's own id (a conversation starts with its first post). */
  conversation_id?: string;
  /** The post this one quotes (becomes `referenced_tweets: [{type: "quoted"}]` and a quote of that post). */
  quoted_tweet_id?: string;
  /** The post this one replies to (becomes `referenced_tweets: [{type: "replied_to"}]`). */
  in_reply_to_tweet_id?: string;
  /**
   * Counts as the API reports them. Missing counts are computed from the seed (likes, retweets,
   * quotes, replies); give a larger number to model engagers the lists do not show.
   */
  public_metrics?: Partial<TweetMetrics>;
}

export interface TweetMetrics {
  retweet_count: number;
  reply_count: number;
  like_count: number;
  quote_count: number;
  bookmark_count: number;
  impression_count: number;
}

/** The data the server answers from. Lists are newest first (as the API returns them). */
export interface XSeed {
  users: SeedUser[];
  tweets: SeedTweet[];
  /** tweet id → user ids who liked it, newest first. */
  likes?: Record<string, string[]>;
  /** tweet id → user ids who retweeted it, newest first. */
  retweets?: Record<string, string[]>;
}

export type EndpointName = "tweets" | "tweet" | "liking_users" | "retweeted_by" | "quote_tweets" | "search_recent" | "search_all" | "users_by" | "user";

export type FaultKind =
  /** 429 with `x-rate-limit-reset` `resetInSeconds` ahead (default 2) and `x-rate-limit-remaining: 0`. */
  | "rate-limit"
  /** 503 Service Unavailable. */
  | "unavailable"
  /** 500 Internal Server Error. */
  | "server-error"
  /** 200 with headers and half the body, then the socket is destroyed. */
  | "drop-mid-body"
  /** 200 with a body cut in half (complete as HTTP, not JSON). */
  | "invalid-json"
  /** 200 `{"meta":{"result_count":0,"next_token":T}}` where T leads to the page that was asked for. */
  | "empty-page-with-token"
  /** The page asked for, but its `meta.next_token` is the token of the request (a pagination loop). */
  | "repeat-token"
  /** No answer at all (the client's timeout must fire); the socket closes when the server stops. */
  | "hang";

export interface Fault {
  kind: FaultKind;
  /** Only requests to this endpoint count (default: every endpoint). */
  endpoint?: EndpointName;
  /** The first matching request it hits, 1-based (default 1). */
  nth?: number;
  /** How many matching requests in a row it hits (default 1). */
  times?: number;
  /** rate-limit: seconds until `x-rate-limit-reset` (default 2). */
  resetInSeconds?: number;
}

export interface XServerOptions {
  seed: XSeed;
  faults?: Fault[];
  /** The bearer token it accepts (default "test-token"). */
  token?: string;
  /** The server's clock (for the 7-day search window and rate-limit resets). Default `Date.now`. */
  now?: () => number;
  /** Serve `/2/tweets/search/all` (default false: 403, as for access levels without it). */
  fullArchive?: boolean;
  /**
   * Search: when the last page is exactly full, still return a `next_token`, followed by an empty
   * page (the API does this; default true).
   */
  trailingEmptyPage?: boolean;
  /** Called as each request arrives, before it is answered (a test can kill a client here). */
  onRequest?: (request: { path: string; endpoint: EndpointName | "unknown"; index: number }) => void;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly endpoint: EndpointName | "unknown";
  /** Whether the `Authorization` header carried the right token (the header itself is not kept). */
  readonly authorized: boolean;
  readonly status: number;
  readonly fault?: FaultKind;
}

export interface XServer {
  /** `http://127.0.0.1:PORT`: the `--api-base`. */
  readonly url: string;
  readonly token: string;
  /** The live data: change it between polls. */
  readonly seed: XSeed;
  readonly requests: LoggedRequest[];
  /** Adds faults (counted from the requests so far). */
  addFaults(faults: Fault[]): void;
  stop(): Promise<void>;
}

// ---- fields ----------------------------------------------------------------------------------

const TWEET_FIELDS = [
  "attachments", "author_id", "context_annotations", "conversation_id", "created_at", "edit_controls",
  "edit_history_tweet_ids", "entities", "geo", "id", "in_reply_to_user_id", "lang", "public_metrics",
  "possibly_sensitive", "referenced_tweets", "reply_settings", "source", "text", "withheld",
];
const USER_FIELDS = [
  "created_at", "description", "entities", "id", "location", "name", "pinned_tweet_id", "profile_image_url",
  "protected", "public_metrics", "url", "username", "verified", "withheld",
];
const TWEET_EXPANSIONS = ["author_id", "referenced_tweets.id", "in_reply_to_user_id", "referenced_tweets.id.author_id"];
const USER_EXPANSIONS = ["pinned_tweet_id"];

const FIELD_PARAMS = ["tweet.fields", "user.fields", "expansions", "media.fields", "place.fields", "poll.fields"];

interface EndpointSpec {
  readonly params: readonly string[];
  readonly maxResults?: { min: number; max: number; default: number };
  readonly tokenParam?: string;
  readonly returns: "tweets" | "users";
}

const SPECS: Record<EndpointName, EndpointSpec> = {
  tweets: { params: ["ids", ...FIELD_PARAMS], returns: "tweets" },
  tweet: { params: FIELD_PARAMS, returns: "tweets" },
  liking_users: { params: ["max_results", "pagination_token", ...FIELD_PARAMS], maxResults: { min: 1, max: 100, default: 100 }, tokenParam: "pagination_token", returns: "users" },
  retweeted_by: { params: ["max_results", "pagination_token", ...FIELD_PARAMS], maxResults: { min: 1, max: 100, default: 100 }, tokenParam: "pagination_token", returns: "users" },
  quote_tweets: { params: ["max_results", "pagination_token", "exclude", ...FIELD_PARAMS], maxResults: { min: 10, max: 100, default: 10 }, tokenParam: "pagination_token", returns: "tweets" },
  search_recent: {
    params: ["query", "start_time", "end_time", "since_id", "until_id", "max_results", "next_token", "pagination_token", "sort_order", ...FIELD_PARAMS],
    maxResults: { min: 10, max: 100, default: 10 },
    tokenParam: "next_token",
    returns: "tweets",
  },
  search_all: {
    params: ["query", "start_time", "end_time", "since_id", "until_id", "max_results", "next_token", "pagination_token", "sort_order", ...FIELD_PARAMS],
    maxResults: { min: 10, max: 500, default: 10 },
    tokenParam: "next_token",
    returns: "tweets",
  },
  users_by: { params: ["usernames", ...FIELD_PARAMS], returns: "users" },
  user: { params: FIELD_PARAMS, returns: "users" },
};

const RATE_LIMITS: Record<EndpointName, number> = {
  tweets: 3500, tweet: 3500, liking_users: 75, retweeted_by: 75, quote_tweets: 75, search_recent: 450, search_all: 300, users_by: 300, user: 300,
};

class BadRequest extends Error {
  constructor(readonly parameters: Record<string, string[]>, message: string) {
    super(message);
  }
}

/** Full-archive search without the access level for it. */
class Forbidden extends Error {}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function splitList(v: string | undefined): string[] {
  return v === undefined || v === "" ? [] : v.split(",");
}

function checkList(name: string, value: string | undefined, allowed: readonly string[]): string[] {
  const items = splitList(value);
  for (const item of items) {
    if (!allowed.includes(item)) {
      throw new BadRequest({ [name]: [value!] }, `The \`${name}\` query parameter value [${item}] is not one of [${allowed.join(",")}]`);
    }
  }
  return items;
}

// ---- the data model --------------------------------------------------------------------------

class Store {
  constructor(
    readonly seed: XSeed,
    private readonly now: () => number,
  ) {}

  user(id: string): SeedUser | undefined {
    return this.seed.users.find((u) => u.id === id);
  }
  tweet(id: string): SeedTweet | undefined {
    return this.seed.tweets.find((t) => t.id === id);
  }

  /** Newest first: created_at descending, then id descending (ids grow with time). */
  private newestFirst(tweets: SeedTweet[]): SeedTweet[] {
    return tweets.slice().sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || cmpId(b.id, a.id));
  }

  quotesOf(id: string): SeedTweet[] {
    return this.newestFirst(this.seed.tweets.filter((t) => t.quoted_tweet_id === id));
  }

  metrics(t: SeedTweet): TweetMetrics {
    const given = t.public_metrics ?? {};
    return {
      retweet_count: given.retweet_count ?? (this.seed.retweets?.[t.id] ?? []).length,
      reply_count: given.reply_count ?? this.seed.tweets.filter((r) => r.in_reply_to_tweet_id === t.id).length,
      like_count: given.like_count ?? (this.seed.likes?.[t.id] ?? []).length,
      quote_count: given.quote_count ?? this.quotesOf(t.id).length,
      bookmark_count: given.bookmark_count ?? 0,
      impression_count: given.impression_count ?? 0,
    };
  }

  renderTweet(t: SeedTweet, fields: string[], expansions: string[] = []): Record<string, unknown> {
    const out: Record<string, unknown> = { id: t.id, text: t.text, edit_history_tweet_ids: [t.id] };
    // An expansion brings its id field along (expansions=author_id → author_id), as the API does.
    if (expansions.includes("author_id")) out.author_id = t.author_id;
    for (const f of fields) {
      if (f === "author_id") out.author_id = t.author_id;
      else if (f === "created_at") out.created_at = t.created_at;
      else if (f === "conversation_id") out.conversation_id = t.conversation_id ?? t.id;
      else if (f === "public_metrics") out.public_metrics = this.metrics(t);
      else if (f === "in_reply_to_user_id") {
        const parent = t.in_reply_to_tweet_id ? this.tweet(t.in_reply_to_tweet_id) : undefined;
        if (parent) out.in_reply_to_user_id = parent.author_id;
      } else if (f === "referenced_tweets") {
        const refs = [];
        if (t.quoted_tweet_id) refs.push({ type: "quoted", id: t.quoted_tweet_id });
        if (t.in_reply_to_tweet_id) refs.push({ type: "replied_to", id: t.in_reply_to_tweet_id });
        if (refs.length) out.referenced_tweets = refs;
      } else if (f === "lang") out.lang = "en";
    }
    return out;
  }

  renderUser(u: SeedUser, fields: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { id: u.id, name: u.name ?? u.username, username: u.username };
    for (const f of fields) {
      if (f === "created_at" && u.created_at) out.created_at = u.created_at;
      else if (f === "public_metrics") out.public_metrics = u.public_metrics ?? { followers_count: 0, following_count: 0, tweet_count: 0, listed_count: 0, like_count: 0 };
      else if (f === "description") out.description = u.description ?? "";
      else if (f === "protected") out.protected = u.protected ?? false;
      else if (f === "verified") out.verified = u.verified ?? false;
    }
    return out;
  }

  /** Recent / full-archive search over the seed. */
  search(query: string, q: Record<string, string>, recent: boolean): SeedTweet[] {
    const now = this.now();
    const start = q.start_time !== undefined ? parseTime("start_time", q.start_time) : recent ? now - 7 * 86_400_000 : now - 30 * 86_400_000;
    const end = q.end_time !== undefined ? parseTime("end_time", q.end_time) : now - 30_000;
    if (recent && start < now - 7 * 86_400_000) {
      throw new BadRequest({ start_time: [q.start_time] }, `Invalid 'start_time':'${q.start_time}'. 'start_time' must be on or after ${iso(now - 7 * 86_400_000)}`);
    }
    if (end > now - 10_000) throw new BadRequest({ end_time: [q.end_time] }, `Invalid 'end_time':'${q.end_time}'. 'end_time' must be a minimum of 10 seconds prior to the request time.`);
    if (end <= start) throw new BadRequest({ start_time: [q.start_time ?? ""], end_time: [q.end_time ?? ""] }, "Invalid 'start_time' and 'end_time': 'end_time' must be after 'start_time'");
    const match = compileQuery(query, this);
    const hits = this.seed.tweets.filter((t) => {
      const at = Date.parse(t.created_at);
      if (at < start || at >= end) return false;
      if (q.since_id !== undefined && cmpId(t.id, q.since_id) <= 0) return false;
      if (q.until_id !== undefined && cmpId(t.id, q.until_id) >= 0) return false;
      return match(t);
    });
    return this.newestFirst(hits);
  }
}

function parseTime(name: string, value: string): number {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(t)) {
    throw new BadRequest({ [name]: [value] }, `Invalid '${name}':'${value}'. '${name}' must be a valid RFC 3339 date-time`);
  }
  return t;
}

function cmpId(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The query operators the tests need: words and #hashtags (case-insensitive, all must appear),
 * "exact phrases", `conversation_id:`, `from:`, `is:reply`, `is:quote`, `is:retweet` (each negatable with `-`).
 */
function compileQuery(query: string, store: Store): (t: SeedTweet) => boolean {
  const tokens = query.match(/-?"[^"]*"|\S+/g) ?? [];
  const tests: ((t: SeedTweet) => boolean)[] = [];
  for (const raw of tokens) {
    const negate = raw.startsWith("-");
    const tok = negate ? raw.slice(1) : raw;
    let test: (t: SeedTweet) => boolean;
    const op = /^([a-z_]+):(.+)$/.exec(tok);
    if (tok.startsWith('"')) {
      const phrase = tok.slice(1, -1).toLowerCase();
      test = (t) => t.text.toLowerCase().includes(phrase);
    } else if (op) {
      const [, name, value] = op;
      if (name === "conversation_id") test = (t) => (t.conversation_id ?? t.id) === value;
      else if (name === "from") test = (t) => store.user(t.author_id)?.username.toLowerCase() === value.replace(/^@/, "").toLowerCase();
      else if (name === "is" && value === "reply") test = (t) => t.in_reply_to_tweet_id !== undefined;
      else if (name === "is" && value === "quote") test = (t) => t.quoted_tweet_id !== undefined;
      else if (name === "is" && value === "retweet") test = () => false;
      else throw new BadRequest({ query: [query] }, `There were errors processing your request: Reference to invalid operator '${name}:${value}'`);
    } else if (tok === "OR" || tok === "(" || tok === ")") {
      throw new BadRequest({ query: [query] }, "The test server supports AND of terms only (no OR or groups)");
    } else {
      const word = tok.toLowerCase();
      const re = new RegExp(`(^|[^\\p{L}\\p{N}_#@])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}_])`, "iu");
      test = (t) => re.test(t.text);
    }
    tests.push(negate ? (t) => !test(t) : test);
  }
  if (tests.length === 0) throw new BadRequest({ query: [query] }, "query must not be empty");
  return (t) => tests.every((f) => f(t));
}

// ---- pagination tokens -----------------------------------------------------------------------

/** Opaque tokens: the offset, bound to the request it came from (another request's token is a 400). */
function makeToken(scope: string, offset: number, salt = ""): string {
  const tag = createHash("sha256").update(`${scope}|${offset}|${salt}`).digest("hex").slice(0, 10);
  return `${offset.toString(36)}${salt ? `.${salt}` : ""}.${tag}`;
}

function readToken(scope: string, token: string): number {
  const m = /^([0-9a-z]+)(?:\.([a-z0-9]+))?\.([0-9a-f]{10})$/.exec(token);
  if (m) {
    const offset = parseInt(m[1], 36);
    if (makeToken(scope, offset, m[2] ?? "") === token) return offset;
  }
  throw new BadRequest({ pagination_token: [token] }, `The pagination token ${token} is invalid for this request`);
}

// ---- the server ------------------------------------------------------------------------------

function route(pathname: string): { endpoint: EndpointName; id?: string } | undefined {
  let m: RegExpExecArray | null;
  if (pathname === "/2/tweets") return { endpoint: "tweets" };
  if (pathname === "/2/tweets/search/recent") return { endpoint: "search_recent" };
  if (pathname === "/2/tweets/search/all") return { endpoint: "search_all" };
  if (pathname === "/2/users/by") return { endpoint: "users_by" };
  if ((m = /^\/2\/tweets\/([^/]+)\/(liking_users|retweeted_by|quote_tweets)$/.exec(pathname))) return { endpoint: m[2] as EndpointName, id: m[1] };
  if ((m = /^\/2\/tweets\/([^/]+)$/.exec(pathname))) return { endpoint: "tweet", id: m[1] };
  if ((m = /^\/2\/users\/([^/]+)$/.exec(pathname))) return { endpoint: "user", id: m[1] };
  return undefined;
}

function notFound(kind: "tweet" | "user", parameter: string, value: string): Record<string, unknown> {
  const label = kind === "tweet" ? "Post" : "User";
  return {
    value,
    detail: `Could not find ${kind} with ${parameter}: [${value}].`,
    title: "Not Found Error",
    resource_type: kind,
    parameter,
    resource_id: value,
    type: "https://api.twitter.com/2/problems/resource-not-found",
    _label: label,
  };
}

export async function startXServer(options: XServerOptions): Promise<XServer> {
  const token = options.token ?? "test-token";
  const now = options.now ?? Date.now;
  const store = new Store(options.seed, now);
  const faults: (Fault & { from: number })[] = [];
  const counts = new Map<string, number>();
  const requests: LoggedRequest[] = [];
  const windows = new Map<EndpointName, { reset: number; used: number }>();
  const trailingEmpty = options.trailingEmptyPage ?? true;

  const addFaults = (list: Fault[]) => {
    for (const f of list) {
      const key = f.endpoint ?? "*";
      faults.push({ ...f, from: (counts.get(key) ?? 0) + (f.nth ?? 1) });
    }
  };
  addFaults(options.faults ?? []);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (query[k] = v));
    const r = route(url.pathname);
    const authorized = req.headers.authorization === `Bearer ${token}`;
    options.onRequest?.({ path: url.pathname, endpoint: r?.endpoint ?? "unknown", index: requests.length });
    const log = (status: number, fault?: FaultKind) =>
      requests.push({ method: req.method ?? "GET", path: url.pathname, query, endpoint: r?.endpoint ?? "unknown", authorized, status, ...(fault ? { fault } : {}) });

    const window = (endpoint: EndpointName) => {
      const t = now();
      let w = windows.get(endpoint);
      if (!w || t >= w.reset) {
        w = { reset: t + 15 * 60_000, used: 0 };
        windows.set(endpoint, w);
      }
      return w;
    };
    const send = (status: number, body: unknown, endpoint?: EndpointName, fault?: FaultKind) => {
      const text = JSON.stringify(body);
      const headers: Record<string, string | number> = { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) };
      if (endpoint) {
        const w = window(endpoint);
        headers["x-rate-limit-limit"] = RATE_LIMITS[endpoint];
        headers["x-rate-limit-remaining"] = Math.max(0, RATE_LIMITS[endpoint] - w.used);
        headers["x-rate-limit-reset"] = Math.ceil(w.reset / 1000);
      }
      res.writeHead(status, headers);
      res.end(text);
      log(status, fault);
    };

    if (req.method !== "GET") return send(405, { title: "Method Not Allowed", status: 405 });
    if (!authorized) return send(401, { title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" });
    if (!r) return send(404, { errors: [{ message: "Sorry, that page does not exist", code: 34 }] });
    const { endpoint } = r;
    window(endpoint).used++;
    const nAll = (counts.get("*") ?? 0) + 1;
    const nEndpoint = (counts.get(endpoint) ?? 0) + 1;
    counts.set("*", nAll);
    counts.set(endpoint, nEndpoint);
    const fault = faults.find((f) => {
      const n = f.endpoint ? (f.endpoint === endpoint ? nEndpoint : -1) : nAll;
      return n >= f.from && n < f.from + (f.times ?? 1);
    });

    if (fault?.kind === "rate-limit") {
      const reset = Math.ceil(now() / 1000) + (fault.resetInSeconds ?? 2);
      const text = JSON.stringify({ title: "Too Many Requests", detail: "Too Many Requests", type: "about:blank", status: 429 });
      res.writeHead(429, { "content-type": "application/json", "x-rate-limit-limit": RATE_LIMITS[endpoint], "x-rate-limit-remaining": 0, "x-rate-limit-reset": reset });
      res.end(text);
      return log(429, "rate-limit");
    }
    if (fault?.kind === "hang") return log(0, "hang");
    if (fault?.kind === "unavailable") return send(503, { title: "Service Unavailable", detail: "Service Unavailable", type: "about:blank", status: 503 }, endpoint, fault.kind);
    if (fault?.kind === "server-error") return send(500, { title: "Internal Server Error", detail: "Internal Server Error", type: "about:blank", status: 500 }, endpoint, fault.kind);

    let body: Record<string, unknown>;
    try {
      body = answer(endpoint, r.id, query, fault?.kind);
    } catch (e) {
      if (e instanceof BadRequest) {
        return send(400, {
          errors: [{ parameters: e.parameters, message: e.message }],
          title: "Invalid Request",
          detail: "One or more parameters to your request was invalid.",
          type: "https://api.twitter.com/2/problems/invalid-request",
        }, endpoint);
      }
      if (e instanceof Forbidden) {
        return send(403, {
          title: "Client Forbidden",
          detail: "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.",
          reason: "client-forbidden",
          required_enrollment: "Appropriate Level of API Access",
          type: "https://api.twitter.com/2/problems/client-forbidden",
        }, endpoint);
      }
      return send(500, { title: "Internal Server Error", detail: String(e), status: 500 }, endpoint);
    }
    if (fault?.kind === "drop-mid-body" || fault?.kind === "invalid-json") {
      const text = JSON.stringify(body);
      const half = text.slice(0, Math.floor(text.length / 2));
      const length = fault.kind === "drop-mid-body" ? Buffer.byteLength(text) : Buffer.byteLength(half);
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": length });
      if (fault.kind === "invalid-json") {
        res.end(half);
      } else {
        res.write(half, () => setImmediate(() => res.socket?.destroy()));
      }
      return log(200, fault.kind);
    }
    send(200, body, endpoint, fault?.kind);
  });

  function fields(query: Record<string, string>, returns: "tweets" | "users") {
    const expansions = checkList("expansions", query.expansions, returns === "tweets" ? TWEET_EXPANSIONS : USER_EXPANSIONS);
    return {
      tweetFields: checkList("tweet.fields", query["tweet.fields"], TWEET_FIELDS),
      userFields: checkList("user.fields", query["user.fields"], USER_FIELDS),
      expansions,
    };
  }

  function withIncludes(tweets: SeedTweet[], f: ReturnType<typeof fields>, out: Record<string, unknown>): void {
    if (!f.expansions.includes("author_id") || tweets.length === 0) return;
    const ids = [...new Set(tweets.map((t) => t.author_id))];
    const users = ids.map((id) => store.user(id)).filter((u): u is SeedUser => u !== undefined);
    if (users.length) out.includes = { users: users.map((u) => store.renderUser(u, f.userFields)) };
  }

  function answer(endpoint: EndpointName, id: string | undefined, query: Record<string, string>, fault: FaultKind | undefined): Record<string, unknown> {
    const spec = SPECS[endpoint];
    for (const k of Object.keys(query)) {
      if (!spec.params.includes(k)) throw new BadRequest({ [k]: [query[k]] }, `The query parameter [${k}] is not one of [${spec.params.join(",")}]`);
    }
    const f = fields(query, spec.returns);
    if (endpoint === "tweets" || endpoint === "tweet") {
      const ids = endpoint === "tweet" ? [id!] : splitList(query.ids);
      if (endpoint === "tweets" && (ids.length < 1 || ids.length > 100)) throw new BadRequest({ ids: [query.ids ?? ""] }, "ids: 1 to 100 ids are required");
      for (const x of ids) if (!/^\d{1,19}$/.test(x)) throw new BadRequest({ ids: [x] }, `The \`ids\` query parameter value [${x}] does not match ^[0-9]{1,19}$`);
      const found = ids.map((x) => store.tweet(x)).filter((t): t is SeedTweet => t !== undefined);
      const missing = ids.filter((x) => !store.tweet(x));
      const out: Record<string, unknown> = {};
      if (found.length) out.data = endpoint === "tweet" ? store.renderTweet(found[0], f.tweetFields, f.expansions) : found.map((t) => store.renderTweet(t, f.tweetFields, f.expansions));
      withIncludes(found, f, out);
      if (missing.length) out.errors = missing.map((x) => strip(notFound("tweet", endpoint === "tweet" ? "id" : "ids", x)));
      return out;
    }
    if (endpoint === "users_by" || endpoint === "user") {
      const names = endpoint === "user" ? [] : splitList(query.usernames);
      const found = endpoint === "user" ? [store.user(id!)].filter((u): u is SeedUser => !!u) : names.map((n) => store.seed.users.find((u) => u.username.toLowerCase() === n.toLowerCase())).filter((u): u is SeedUser => !!u);
      const out: Record<string, unknown> = {};
      if (found.length) out.data = endpoint === "user" ? store.renderUser(found[0], f.userFields) : found.map((u) => store.renderUser(u, f.userFields));
      if (endpoint === "user" && !found.length) out.errors = [strip(notFound("user", "id", id!))];
      return out;
    }

    // Paginated endpoints.
    const bounds = spec.maxResults!;
    let max = bounds.default;
    if (query.max_results !== undefined) {
      max = Number(query.max_results);
      if (!/^\d+$/.test(query.max_results) || max < bounds.min || max > bounds.max) {
        throw new BadRequest({ max_results: [query.max_results] }, `The \`max_results\` query parameter value [${query.max_results}] is not between ${bounds.min} and ${bounds.max}`);
      }
    }
    let items: (SeedTweet | SeedUser)[];
    if (endpoint === "liking_users" || endpoint === "retweeted_by") {
      if (!/^\d{1,19}$/.test(id!)) throw new BadRequest({ id: [id!] }, `The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$`);
      const t = store.tweet(id!);
      if (!t) return { errors: [strip(notFound("tweet", "id", id!))], meta: { result_count: 0 } };
      const list = (endpoint === "liking_users" ? store.seed.likes : store.seed.retweets)?.[id!] ?? [];
      // The API lists at most the 100 most recent engagers of a post, for all time.
      items = list.slice(0, 100).map((u) => store.user(u)).filter((u): u is SeedUser => u !== undefined);
    } else if (endpoint === "quote_tweets") {
      if (!store.tweet(id!)) return { errors: [strip(notFound("tweet", "id", id!))], meta: { result_count: 0 } };
      items = store.quotesOf(id!);
    } else {
      if (endpoint === "search_all" && !options.fullArchive) throw new Forbidden();
      if (query.query === undefined) throw new BadRequest({ query: [""] }, "The `query` query parameter can not be empty");
      if (query.query.length > (endpoint === "search_all" ? 1024 : 512)) throw new BadRequest({ query: [query.query] }, "The query is too long");
      items = store.search(query.query, query, endpoint === "search_recent");
    }
    const incoming = query[spec.tokenParam!] ?? query.pagination_token;
    const scope = JSON.stringify([endpoint, id ?? "", query.query ?? "", query.start_time ?? "", query.end_time ?? "", query.since_id ?? "", query.until_id ?? "", max]);
    const offset = incoming === undefined ? 0 : readToken(scope, incoming);
    if (fault === "empty-page-with-token") {
      return { meta: { result_count: 0, next_token: makeToken(scope, offset, `e${nAllSalt++}`) } };
    }
    const page = items.slice(offset, offset + max);
    const out: Record<string, unknown> = {};
    if (page.length) {
      out.data = spec.returns === "users" ? (page as SeedUser[]).map((u) => store.renderUser(u, f.userFields)) : (page as SeedTweet[]).map((t) => store.renderTweet(t, f.tweetFields, f.expansions));
    }
    if (spec.returns === "tweets") withIncludes(page as SeedTweet[], f, out);
    const meta: Record<string, unknown> = { result_count: page.length };
    if (endpoint.startsWith("search") && page.length) {
      meta.newest_id = page[0].id;
      meta.oldest_id = page[page.length - 1].id;
    }
    const more = offset + max < items.length || (endpoint.startsWith("search") && trailingEmpty && page.length === max && offset + max === items.length);
    if (more) meta.next_token = makeToken(scope, offset + max);
    if (fault === "repeat-token" && incoming !== undefined) meta.next_token = incoming;
    if (incoming !== undefined && endpoint !== "quote_tweets" && !endpoint.startsWith("search")) meta.previous_token = makeToken(scope, Math.max(0, offset - max), "p");
    out.meta = meta;
    return out;
  }
  let nAllSalt = 0;

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    seed: options.seed,
    requests,
    addFaults,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

function strip(problem: Record<string, unknown>): Record<string, unknown> {
  const { _label, ...rest } = problem;
  void _label;
  return rest;
}
