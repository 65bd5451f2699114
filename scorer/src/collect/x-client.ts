/**
 * A small typed client of the X API v2 (read-only, app-only bearer token) on top of Node's `fetch`.
 *
 * Why not a library: `twitter-api-v2` sends every request through `https.request` (an `http://127.0.0.1`
 * test server is refused) and returns parsed bodies only; `@xdevplatform/xdk` declares `retry` but
 * never retries, hides the rate-limit headers of successful responses and rewrites every key to
 * camelCase. The collector stores the raw response bodies as the scorer's input, so it needs the
 * exact text, the headers and its own retry policy: about 250 lines here.
 *
 * Policy (docs.x.com, "Rate limits" and "Response codes"):
 * - 429: wait until `x-rate-limit-reset` (Unix seconds) and retry; the wait is reported through `onEvent`.
 * - 500/502/503/504, a dropped connection, a timeout or a body that is not JSON: retry with exponential
 *   backoff and full jitter, at most `retry.attempts` attempts in a row.
 * - 400/401/403/404 and anything else: stop with an {@link XApiError} that says what to fix.
 * The bearer token goes into the `Authorization` header and nowhere else: no message, event or error
 * built here contains it.
 */
import { ScorerError } from "../errors";

export const DEFAULT_API_BASE = "https://api.x.com";

/** `x-rate-limit-*` response headers. */
export interface RateLimit {
  readonly limit?: number;
  readonly remaining?: number;
  /** When the window resets, ms since the Unix epoch. */
  readonly resetAt?: number;
}

export interface XProblem {
  readonly title?: string;
  readonly detail?: string;
  readonly message?: string;
  readonly type?: string;
  readonly value?: string;
  readonly parameter?: string;
  readonly resource_id?: string;
  readonly resource_type?: string;
  readonly parameters?: Record<string, unknown>;
}

export interface XUser {
  readonly id: string;
  readonly username: string;
  readonly name?: string;
  readonly created_at?: string;
  readonly public_metrics?: Record<string, number>;
  readonly [field: string]: unknown;
}

export interface XTweet {
  readonly id: string;
  readonly text?: string;
  readonly author_id?: string;
  readonly created_at?: string;
  readonly conversation_id?: string;
  readonly public_metrics?: Record<string, number>;
  readonly [field: string]: unknown;
}

export interface XMeta {
  readonly result_count?: number;
  readonly next_token?: string;
  readonly newest_id?: string;
  readonly oldest_id?: string;
}

/** A v2 response body: `data`, `includes` (expansions), `errors` (partial errors, e.g. not found), `meta`. */
export interface XBody<T> {
  readonly data?: T;
  readonly includes?: { readonly users?: readonly XUser[]; readonly tweets?: readonly XTweet[] };
  readonly errors?: readonly XProblem[];
  readonly meta?: XMeta;
}

/** One successful response. `text` is the body exactly as received (the collector stores it). */
export interface XResponse<T> {
  readonly status: number;
  readonly text: string;
  readonly body: XBody<T>;
  readonly rateLimit: RateLimit;
  /** The request, as `/2/...?query` (no token: it is never in a URL). */
  readonly request: string;
}

/** What the client is doing; the collector turns these into progress lines. */
export type XClientEvent =
  | { readonly kind: "request"; readonly request: string }
  | { readonly kind: "response"; readonly request: string; readonly status: number; readonly rateLimit: RateLimit }
  | { readonly kind: "rate-limited"; readonly request: string; readonly resumeAt: number; readonly waitMs: number }
  | { readonly kind: "retry"; readonly request: string; readonly attempt: number; readonly delayMs: number; readonly reason: string };

export interface RetryOptions {
  /** Attempts in a row on transient faults before giving up (default 6). */
  readonly attempts?: number;
  /** First backoff (default 1000 ms); each further attempt doubles it, up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  /** Cap of one backoff (default 60 s). */
  readonly maxDelayMs?: number;
  /** 429 responses in a row before giving up (default 10). */
  readonly rateLimitWaits?: number;
  /** Added to every rate-limit wait, for clock skew (default 1000 ms). */
  readonly resetSlackMs?: number;
}

export interface XClientOptions {
  /** The bearer token (from `X_BEARER_TOKEN`; only the `Authorization` header carries it). */
  readonly bearerToken: string;
  /** Origin without `/2`, default {@link DEFAULT_API_BASE}. */
  readonly apiBase?: string;
  readonly retry?: RetryOptions;
  /** Per request, default 30 s. */
  readonly timeoutMs?: number;
  readonly onEvent?: (event: XClientEvent) => void;
  /** Injectable for tests: wall clock, sleep and the jitter's random source. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export type Fields = readonly string[];

/** Field and expansion parameters of a request (each becomes a comma-separated query parameter). */
export interface FieldOptions {
  readonly tweetFields?: Fields;
  readonly userFields?: Fields;
  readonly expansions?: Fields;
}

export interface PageOptions extends FieldOptions {
  readonly maxResults?: number;
  /** `pagination_token` of user lists and quotes; `next_token` of search (the client picks the name). */
  readonly token?: string;
}

export interface SearchOptions extends PageOptions {
  readonly query: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly sinceId?: string;
  readonly untilId?: string;
  readonly sortOrder?: "recency" | "relevancy";
}

/** `max_results` bounds per endpoint (docs.x.com): user lists 1–100, quotes and search 10–100 (full archive 10–500). */
export const MAX_RESULTS = {
  liking_users: { min: 1, max: 100 },
  retweeted_by: { min: 1, max: 100 },
  quote_tweets: { min: 10, max: 100 },
  search_recent: { min: 10, max: 100 },
  search_all: { min: 10, max: 500 },
} as const;

/** A request the collector cannot fix by waiting: the message says what the user should change. */
export class XApiError extends ScorerError {
  override name = "XApiError";
  constructor(
    readonly request: string,
    /** HTTP status; 0 when no response came (network). */
    readonly status: number,
    problem: string,
    details: readonly string[] = [],
  ) {
    super(`X API ${request}: ${problem}`, { details });
  }
}

/** A cursor came back a second time: following it would loop forever. */
export class PaginationLoopError extends ScorerError {
  override name = "PaginationLoopError";
  constructor(
    readonly request: string,
    readonly token: string,
    readonly page: number,
  ) {
    super(`X API ${request}: next_token ${JSON.stringify(token)} on page ${page} was already followed (a pagination loop); stopped following it`);
  }
}

const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);

function headerNumber(headers: Headers, name: string): number | undefined {
  const v = headers.get(name);
  if (v === null || !/^\d+$/.test(v.trim())) return undefined;
  return Number(v.trim());
}

export function readRateLimit(headers: Headers): RateLimit {
  const reset = headerNumber(headers, "x-rate-limit-reset");
  return {
    limit: headerNumber(headers, "x-rate-limit-limit"),
    remaining: headerNumber(headers, "x-rate-limit-remaining"),
    resetAt: reset === undefined ? undefined : reset * 1000,
  };
}

function problemsText(body: unknown): string[] {
  if (body === null || typeof body !== "object") return [];
  const o = body as { errors?: unknown; detail?: unknown; title?: unknown };
  const lines: string[] = [];
  if (typeof o.title === "string" || typeof o.detail === "string") lines.push([o.title, o.detail].filter((s) => typeof s === "string").join(": "));
  if (Array.isArray(o.errors)) {
    for (const e of o.errors.slice(0, 5)) {
      if (e && typeof e === "object") {
        const p = e as XProblem;
        lines.push(p.message ?? p.detail ?? p.title ?? JSON.stringify(e));
      }
    }
  }
  return lines.map((l) => (l.length > 300 ? `${l.slice(0, 297)}...` : l));
}

/** What to fix for a status the client does not retry. */
function fixFor(status: number): string {
  switch (status) {
    case 400:
      return "the request was refused as invalid (HTTP 400): check the ids, the query (≤ 512 characters) and the period (recent search covers the last 7 days)";
    case 401:
      return "the bearer token was refused (HTTP 401): set X_BEARER_TOKEN to your app's Bearer Token (developer portal, Keys and tokens)";
    case 403:
      return "forbidden (HTTP 403): your access level does not include this endpoint (full-archive search needs Pro or Enterprise), or the app is not attached to a project";
    case 404:
      return "not found (HTTP 404): check --api-base (the origin without /2) and the ids";
    default:
      return `unexpected HTTP ${status}`;
  }
}

function encodeQuery(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

function fieldParams(o: FieldOptions): Record<string, string | undefined> {
  const join = (f?: Fields) => (f && f.length > 0 ? f.join(",") : undefined);
  return { expansions: join(o.expansions), "tweet.fields": join(o.tweetFields), "user.fields": join(o.userFields) };
}

/** Checks an `--api-base` value: an http(s) origin, no path (the client appends `/2/...`). */
export function parseApiBase(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ScorerError(`--api-base ${JSON.stringify(text)} is not a URL; expected an origin such as ${DEFAULT_API_BASE}`);
  }
  if ((u.protocol !== "https:" && u.protocol !== "http:") || (u.pathname !== "/" && u.pathname !== "") || u.search || u.hash || u.username || u.password) {
    throw new ScorerError(`--api-base ${JSON.stringify(text)} must be an http(s) origin without a path (the client adds /2/...), e.g. ${DEFAULT_API_BASE}`);
  }
  return u.origin;
}

export class XClient {
  readonly apiBase: string;
  readonly #token: string;
  private readonly retry: Required<RetryOptions>;
  private readonly timeoutMs: number;
  private readonly onEvent: (event: XClientEvent) => void;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  /** Requests sent (attempts included). */
  requests = 0;
  /** The last rate-limit headers per endpoint family (`/2/tweets/:id/liking_users`, ...). */
  private readonly limits = new Map<string, RateLimit>();

  constructor(options: XClientOptions) {
    if (!options.bearerToken) throw new ScorerError("no X API bearer token: set the environment variable X_BEARER_TOKEN");
    this.#token = options.bearerToken;
    this.apiBase = parseApiBase(options.apiBase ?? DEFAULT_API_BASE);
    this.retry = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 60_000, rateLimitWaits: 10, resetSlackMs: 1000, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.onEvent = options.onEvent ?? (() => undefined);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Keeps the token out of `console.log(client)`, `util.inspect` and JSON. */
  toJSON(): object {
    return { apiBase: this.apiBase };
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `XClient { apiBase: ${JSON.stringify(this.apiBase)} }`;
  }

  /** GET `/2/<path>` with the retry policy of this module. */
  async get<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<XResponse<T>> {
    const request = `/2/${path}${encodeQuery(params)}`;
    let transient = 0;
    let limited = 0;
    const family = `/2/${path.replace(/\/\d+(?=\/|$)/g, "/:id")}`;
    for (;;) {
      // The window is used up: wait for its reset instead of spending a request on a 429.
      const known = this.limits.get(family);
      if (known?.remaining === 0 && known.resetAt !== undefined && known.resetAt + this.retry.resetSlackMs > this.now()) {
        const resumeAt = known.resetAt + this.retry.resetSlackMs;
        const waitMs = resumeAt - this.now();
        this.onEvent({ kind: "rate-limited", request, resumeAt, waitMs });
        await this.sleep(waitMs);
        this.limits.delete(family);
      }
      const outcome = await this.attempt<T>(request);
      if (outcome.ok && outcome.rateLimit) this.limits.set(family, outcome.rateLimit);
      if (outcome.ok) return outcome.response;
      if (outcome.rateLimitedUntil !== undefined) {
        limited++;
        if (limited > this.retry.rateLimitWaits) {
          throw new XApiError(request, 429, `still rate limited after ${this.retry.rateLimitWaits} waits`, ["Another process may share this app's limits; try again after the window resets."]);
        }
        const resumeAt = outcome.rateLimitedUntil;
        const waitMs = Math.max(0, resumeAt - this.now());
        this.onEvent({ kind: "rate-limited", request, resumeAt, waitMs });
        await this.sleep(waitMs);
        continue;
      }
      transient++;
      if (transient >= this.retry.attempts) {
        throw new XApiError(request, outcome.status ?? 0, `gave up after ${transient} attempts: ${outcome.reason}`, [
          "The X API or the network failed repeatedly; run the same command again later: it resumes where it stopped.",
        ]);
      }
      const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (transient - 1));
      const delayMs = Math.round(cap / 2 + (this.random() * cap) / 2);
      this.onEvent({ kind: "retry", request, attempt: transient, delayMs, reason: outcome.reason });
      await this.sleep(delayMs);
    }
  }

  private async attempt<T>(
    request: string,
  ): Promise<{ ok: true; response: XResponse<T>; rateLimit?: RateLimit } | { ok: false; rateLimitedUntil?: number; status?: number; reason: string; rateLimit?: RateLimit }> {
    this.requests++;
    this.onEvent({ kind: "request", request });
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.apiBase + request, {
        headers: { authorization: `Bearer ${this.#token}`, accept: "application/json" },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      // undici: "fetch failed" (connect), "terminated" (connection dropped mid-body), TimeoutError.
      const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
      return { ok: false, reason: `connection failed (${this.scrub(cause)})` };
    }
    const rateLimit = readRateLimit(res.headers);
    this.onEvent({ kind: "response", request, status: res.status, rateLimit });
    if (res.status === 429) {
      const resetAt = rateLimit.resetAt ?? this.now() + 60_000;
      return { ok: false, rateLimitedUntil: Math.max(resetAt, this.now()) + this.retry.resetSlackMs, status: 429, reason: "rate limited" };
    }
    if (TRANSIENT_STATUS.has(res.status)) return { ok: false, status: res.status, reason: `HTTP ${res.status}` };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if (res.status === 200) return { ok: false, status: 200, reason: "the response body is not JSON (truncated?)" };
      body = undefined;
    }
    if (res.status !== 200) {
      throw new XApiError(request, res.status, fixFor(res.status), problemsText(body).map((l) => this.scrub(l)));
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      return { ok: false, status: 200, reason: "the response body is not a JSON object" };
    }
    return { ok: true, rateLimit, response: { status: res.status, text, body: body as XBody<T>, rateLimit, request } };
  }

  /** Removes the token from a text that came from elsewhere (a server echoing headers, say). */
  private scrub(text: string): string {
    return this.#token ? text.split(this.#token).join("[token]") : text;
  }

  // ---- endpoints -----------------------------------------------------------------------------

  /** `GET /2/tweets?ids=` (≤ 100 ids). Not-found ids come back in `errors` with HTTP 200. */
  lookupTweets(ids: readonly string[], fields: FieldOptions = {}): Promise<XResponse<XTweet[]>> {
    if (ids.length < 1 || ids.length > 100) throw new RangeError(`lookupTweets takes 1 to 100 ids, got ${ids.length}`);
    return this.get("tweets", { ids: ids.join(","), ...fieldParams(fields) });
  }

  /** `GET /2/tweets/:id/liking_users` (the 100 most recent likers, newest first). */
  likingUsers(tweetId: string, o: PageOptions = {}): Promise<XResponse<XUser[]>> {
    return this.get(`tweets/${encodeURIComponent(tweetId)}/liking_users`, this.pageParams(o, "liking_users", "pagination_token"));
  }

  /** `GET /2/tweets/:id/retweeted_by`. */
  retweetedBy(tweetId: string, o: PageOptions = {}): Promise<XResponse<XUser[]>> {
    return this.get(`tweets/${encodeURIComponent(tweetId)}/retweeted_by`, this.pageParams(o, "retweeted_by", "pagination_token"));
  }

  /** `GET /2/tweets/:id/quote_tweets`. */
  quoteTweets(tweetId: string, o: PageOptions = {}): Promise<XResponse<XTweet[]>> {
    return this.get(`tweets/${encodeURIComponent(tweetId)}/quote_tweets`, this.pageParams(o, "quote_tweets", "pagination_token"));
  }

  /**
   * `GET /2/tweets/search/recent` (last 7 days, newest first). With `expansions: ["author_id"]` and
   * `userFields`, the authors come in `includes.users`.
   */
  searchRecent(o: SearchOptions): Promise<XResponse<XTweet[]>> {
    return this.get("tweets/search/recent", this.searchParams(o, "search_recent"));
  }

  /** `GET /2/tweets/search/all` (full archive; Pro and Enterprise access only). */
  searchAll(o: SearchOptions): Promise<XResponse<XTweet[]>> {
    return this.get("tweets/search/all", this.searchParams(o, "search_all"));
  }

  private pageParams(o: PageOptions, kind: keyof typeof MAX_RESULTS, tokenName: string): Record<string, string | number | undefined> {
    const bounds = MAX_RESULTS[kind];
    const max = o.maxResults ?? bounds.max;
    if (!Number.isInteger(max) || max < bounds.min || max > bounds.max) throw new RangeError(`${kind}: max_results must be ${bounds.min}–${bounds.max}, got ${max}`);
    return { max_results: max, [tokenName]: o.token, ...fieldParams(o) };
  }

  private searchParams(o: SearchOptions, kind: "search_recent" | "search_all"): Record<string, string | number | undefined> {
    if (o.query.length === 0 || o.query.length > (kind === "search_all" ? 1024 : 512)) throw new RangeError(`${kind}: the query must have 1–${kind === "search_all" ? 1024 : 512} characters`);
    return {
      query: o.query,
      start_time: o.startTime,
      end_time: o.endTime,
      since_id: o.sinceId,
      until_id: o.untilId,
      sort_order: o.sortOrder,
      ...this.pageParams(o, kind, "next_token"),
    };
  }
}

/**
 * Follows a paginated call to the end: `fetchPage(token)` for each page, page 1 with no token.
 * Throws {@link PaginationLoopError} when a token repeats (after yielding the pages before it).
 */
export async function* paginate<T>(fetchPage: (token: string | undefined) => Promise<XResponse<T>>): AsyncGenerator<XResponse<T>> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 1; ; page++) {
    const res = await fetchPage(token);
    yield res;
    const next = res.body.meta?.next_token;
    if (next === undefined) return;
    if (seen.has(next)) throw new PaginationLoopError(res.request, next, page);
    seen.add(next);
    token = next;
  }
}
