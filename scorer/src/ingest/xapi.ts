/**
 * Reads X API page files (format: `scorer/src/format/page-file.ts`): v1 (one raw response body per line)
 * and v2 (`{"poll":k,"page":body}` lines, observed poll times, the post's `public_metrics`).
 *
 * Endpoints: `liking_users` (GET /2/tweets/:id/liking_users), `retweeted_by` (GET /2/tweets/:id/retweeted_by),
 * `quote_tweets` (GET /2/tweets/:id/quote_tweets?tweet.fields=author_id,created_at) and `replies`
 * (GET /2/tweets/search/recent?query=conversation_id:<id>&tweet.fields=author_id,created_at,conversation_id).
 */
import { InputError, show } from "../errors";
import { EngagementTableBuilder, TYPE_INDEX } from "../engagements";
import {
  PAGE_FILE_FORMATS,
  PAGE_FILE_HEADER_FIELDS,
  PAGE_FILE_V1,
  PAGE_FILE_V2,
  PAGE_LINE_FIELDS,
  PUBLIC_METRIC_OF_ENDPOINT,
  XAPI_ENDPOINTS,
  type PageFileFormat,
  type UnlistedCount,
  type XApiEndpoint,
} from "../format/page-file";
import { parseJsonText } from "../json-locate";
import { userIdProblem } from "./participants";
import { parseIsoTime } from "../time";

export { XAPI_ENDPOINTS, type XApiEndpoint };
/** The v1 format string (kept for callers of the first version). */
export const XAPI_FORMAT = PAGE_FILE_V1;

export interface XApiHeader {
  readonly format: PageFileFormat;
  readonly endpoint: XApiEndpoint;
  readonly tweetId: string;
  readonly tweetAuthorId: string;
  /** ms since the Unix epoch. */
  readonly tweetCreatedAt: number;
  readonly fetchedAt: number;
  /** v2: the observed time of each poll (ms), `polls[0] = fetchedAt`; v1: `[fetchedAt]`. */
  readonly polls: readonly number[];
  /** v2: the post's `public_metrics` at the last poll. */
  readonly publicMetrics?: Readonly<Record<string, number>>;
}

/** True when a parsed first line is an X API page-file header (any version: unknown ones are refused by {@link parseXApiHeader}). */
export function isXApiHeader(json: unknown): boolean {
  if (json === null || typeof json !== "object") return false;
  const f = (json as Record<string, unknown>).format;
  return typeof f === "string" && f.startsWith("like2earn-xapi-");
}

export function parseXApiHeader(json: unknown, file: string, line: number): XApiHeader {
  const o = json as Record<string, unknown>;
  const at = (field: string) => ({ file, line, field });
  if (!(PAGE_FILE_FORMATS as readonly unknown[]).includes(o.format)) {
    throw new InputError(at("format"), `${show(o.format)} is not a page-file version this scorer reads (${PAGE_FILE_FORMATS.join(", ")}); update the scorer`);
  }
  const format = o.format as PageFileFormat;
  const fields = PAGE_FILE_HEADER_FIELDS[format];
  const extra = Object.keys(o).find((k) => !fields.includes(k));
  if (extra) throw new InputError(at(extra), `unknown header field; expected ${fields.join(", ")}`);
  if (!(XAPI_ENDPOINTS as readonly unknown[]).includes(o.endpoint)) {
    throw new InputError(at("endpoint"), `${show(o.endpoint)} is not a supported endpoint; expected one of ${XAPI_ENDPOINTS.join(", ")}`);
  }
  for (const f of ["tweetId", "tweetAuthorId"]) {
    const p = userIdProblem(o[f]);
    if (p) throw new InputError(at(f), p);
  }
  const time = (value: unknown, field: string): number => {
    const t = typeof value === "string" ? parseIsoTime(value) : undefined;
    if (t === undefined) throw new InputError(at(field), value === undefined ? "missing" : `${show(value)} is not an ISO 8601 date-time`);
    return t;
  };
  const tweetCreatedAt = time(o.tweetCreatedAt, "tweetCreatedAt");
  const fetchedAt = time(o.fetchedAt, "fetchedAt");
  if (fetchedAt < tweetCreatedAt) throw new InputError(at("fetchedAt"), "the pages were fetched before the post was created");
  let polls: number[] = [fetchedAt];
  let publicMetrics: Record<string, number> | undefined;
  if (format === PAGE_FILE_V2) {
    if (!Array.isArray(o.polls) || o.polls.length === 0) throw new InputError(at("polls"), o.polls === undefined ? "missing (the observed time of each poll)" : "expected a non-empty array of ISO date-times");
    polls = o.polls.map((p, k) => time(p, `polls.${k}`));
    if (polls[0] !== fetchedAt) throw new InputError(at("polls.0"), "must equal fetchedAt (the first poll's first page)");
    for (let k = 1; k < polls.length; k++) {
      if (polls[k] <= polls[k - 1]) throw new InputError(at(`polls.${k}`), `is not after polls.${k - 1}: polls are in time order`);
    }
    if (o.publicMetrics !== undefined) {
      const m = o.publicMetrics;
      if (m === null || typeof m !== "object" || Array.isArray(m)) throw new InputError(at("publicMetrics"), "expected an object of counts (the post's public_metrics)");
      for (const [k, v] of Object.entries(m)) {
        if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new InputError(at(`publicMetrics.${k}`), `${show(v)} is not a count`);
      }
      publicMetrics = m as Record<string, number>;
    }
  }
  return { format, endpoint: o.endpoint as XApiEndpoint, tweetId: o.tweetId as string, tweetAuthorId: o.tweetAuthorId as string, tweetCreatedAt, fetchedAt, polls, publicMetrics };
}

/** `x:<endpoint>:<tweetId>:<k>`: the k-th oldest listed engager of an untimed list. */
function listedId(h: XApiHeader, k: number): string {
  return `x:${h.endpoint}:${h.tweetId}:${String(k).padStart(9, "0")}`;
}

/**
 * `x:<endpoint>:<tweetId>:#unlisted:<k>`: an engager the post's count has but the list does not show.
 * `#` sorts before every digit, so at an equal (clamped) time these come before the listed ones.
 */
function unlistedId(h: XApiHeader, k: number): string {
  return `x:${h.endpoint}:${h.tweetId}:#unlisted:${String(k).padStart(9, "0")}`;
}

/**
 * Reads the pages of one X API file (the header already parsed) and appends its engagements.
 * Users of `liking_users` / `retweeted_by` have no time: the lists are newest first, page 1 first,
 * so the last user listed is the first engagement; see README "X API page files" for their times.
 */
export class XApiPageReader {
  /** Listed users in file order; `poll` is the poll of the line (0 for v1). */
  private readonly users: { id: string; line: number; poll: number }[] = [];
  /** v2: tweet ids of quotes / replies already taken (polls re-read the same tweets). */
  private readonly tweetsSeen = new Set<string>();
  private pages = 0;
  private poll = 0;
  private lastHadNextToken = true;
  private lastLine = 0;

  constructor(
    private readonly header: XApiHeader,
    private readonly builder: EngagementTableBuilder,
    private readonly file: string,
    /** Called once per file whose `public_metrics` count differs from what the lists show. */
    private readonly onUnlisted?: (count: UnlistedCount & { readonly file: string }) => void,
  ) {}

  page(text: string, line: number): void {
    const { file } = this;
    const json = parseJsonText(text, file, line - 1, "(page)");
    if (this.header.format === PAGE_FILE_V1) return this.body(json, line, "");
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw new InputError({ file, line, field: "(line)" }, 'expected {"poll": k, "page": {…}}');
    const o = json as Record<string, unknown>;
    const extra = Object.keys(o).find((k) => !(PAGE_LINE_FIELDS as readonly string[]).includes(k));
    if (extra) throw new InputError({ file, line, field: extra }, `unknown field; a page line has ${PAGE_LINE_FIELDS.join(", ")}`);
    const poll = o.poll;
    if (typeof poll !== "number" || !Number.isSafeInteger(poll) || poll < 0 || poll >= this.header.polls.length) {
      throw new InputError({ file, line, field: "poll" }, `${show(poll)} is not a poll of the header (0 to ${this.header.polls.length - 1})`);
    }
    if (this.pages > 0 && poll !== this.poll) {
      if (poll !== this.poll + 1) throw new InputError({ file, line, field: "poll" }, `poll ${poll} follows poll ${this.poll}: polls come in order, each with its pages`);
      this.poll = poll;
      this.lastHadNextToken = true;
    } else if (this.pages === 0 && poll !== 0) {
      throw new InputError({ file, line, field: "poll" }, "the first page line must be of poll 0");
    }
    if (o.page === undefined) throw new InputError({ file, line, field: "page" }, "missing (the response body)");
    this.body(o.page, line, "page.");
  }

  private body(json: unknown, line: number, prefix: string): void {
    const { file } = this;
    const at = (field: string) => ({ file, line, field: `${prefix}${field}` });
    if (!this.lastHadNextToken) {
      throw new InputError(at("meta.next_token"), `page on line ${this.lastLine} has no meta.next_token, yet another page follows it${prefix ? ` in poll ${this.poll}` : ""}`);
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw new InputError({ file, line, field: prefix ? "page" : "(page)" }, "expected a response object {data, meta}");
    const o = json as Record<string, unknown>;
    const meta = o.meta as Record<string, unknown> | undefined;
    if (meta === undefined || meta === null || typeof meta !== "object") throw new InputError(at("meta"), "missing (every X API v2 page has meta.result_count)");
    const count = meta.result_count;
    if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) {
      throw new InputError(at("meta.result_count"), `${show(count)} is not a count`);
    }
    const data = o.data;
    if (data === undefined) {
      if (count !== 0) throw new InputError(at("data"), `missing, yet meta.result_count is ${count}`);
    } else if (!Array.isArray(data)) {
      throw new InputError(at("data"), "expected an array");
    } else if (data.length !== count) {
      throw new InputError(at("meta.result_count"), `is ${count} but data has ${data.length} items`);
    }
    const next = meta.next_token;
    if (next !== undefined && typeof next !== "string") throw new InputError(at("meta.next_token"), `${show(next)} is not a string`);
    this.lastHadNextToken = next !== undefined;
    this.lastLine = line;
    this.pages++;
    const items = (data ?? []) as unknown[];
    items.forEach((item, k) => this.item(item, `${prefix}data.${k}`, line));
  }

  private item(item: unknown, path: string, line: number): void {
    const { file, header } = this;
    const at = (field: string) => ({ file, line, field: `${path}.${field}` });
    if (item === null || typeof item !== "object") throw new InputError({ file, line, field: path }, "expected an object");
    const o = item as Record<string, unknown>;
    const idProblem = userIdProblem(o.id);
    if (idProblem) throw new InputError(at("id"), idProblem);
    if (header.endpoint === "liking_users" || header.endpoint === "retweeted_by") {
      if (typeof o.username !== "string") throw new InputError(at("username"), o.username === undefined ? "missing (expected an X user object)" : `${show(o.username)} is not a string`);
      this.users.push({ id: o.id as string, line, poll: this.poll });
      return;
    }
    const authorProblem = userIdProblem(o.author_id);
    if (authorProblem) throw new InputError(at("author_id"), `${authorProblem} (request tweet.fields=author_id,created_at)`);
    const time = typeof o.created_at === "string" ? parseIsoTime(o.created_at) : undefined;
    if (time === undefined) {
      throw new InputError(at("created_at"), o.created_at === undefined ? "missing (request tweet.fields=author_id,created_at)" : `${show(o.created_at)} is not an ISO 8601 date-time`);
    }
    let type = TYPE_INDEX.quote;
    if (header.endpoint === "replies") {
      if (o.conversation_id !== header.tweetId) {
        throw new InputError(
          at("conversation_id"),
          o.conversation_id === undefined
            ? "missing (request tweet.fields=conversation_id)"
            : `${show(o.conversation_id)} is not the conversation of post ${header.tweetId}`,
        );
      }
      if (o.id === header.tweetId) return; // the post itself can appear in its own conversation
      type = TYPE_INDEX.comment;
    }
    if (header.format === PAGE_FILE_V2) {
      // Every poll re-reads the quotes and replies: each tweet is one engagement, whichever poll listed it.
      if (this.tweetsSeen.has(o.id as string)) return;
      this.tweetsSeen.add(o.id as string);
    }
    this.builder.push(o.id as string, type, header.tweetId, header.tweetAuthorId, o.author_id as string, time, false, { file, line });
  }

  /** Appends the untimed likes / retweets (oldest first) once every page is read. */
  finish(): void {
    const { header, file } = this;
    if (this.pages === 0) throw new InputError({ file, line: 1, field: "(pages)" }, "the file has a header but no response pages");
    if (this.poll !== header.polls.length - 1) {
      throw new InputError({ file, line: 1, field: "polls" }, `the header lists ${header.polls.length} polls but the file has pages of ${this.poll + 1}`);
    }
    const timed = header.endpoint === "quote_tweets" || header.endpoint === "replies";
    if (timed) {
      this.reportUnlisted(this.tweetsSeen.size, false);
      return;
    }
    const type = header.endpoint === "liking_users" ? TYPE_INDEX.like : TYPE_INDEX.retweet;
    if (header.format === PAGE_FILE_V1) {
      // v1 as it always was: every listed user, spread over (tweetCreatedAt, fetchedAt).
      const n = this.users.length;
      const span = BigInt(header.fetchedAt - header.tweetCreatedAt);
      for (let k = 1; k <= n; k++) {
        const u = this.users[n - k];
        const time = header.tweetCreatedAt + Number((span * BigInt(k)) / BigInt(n + 1));
        this.builder.push(listedId(header, k), type, header.tweetId, header.tweetAuthorId, u.id, time, true, { file, line: u.line });
      }
      return;
    }
    // v2: each user once, at the first poll that listed them. Poll 0's users are spread over
    // (tweetCreatedAt, polls[0]) as in v1 and stay untimed; a user first listed at poll j ≥ 1 is placed in
    // the observed window (polls[j−1], polls[j]) — spread evenly inside it, oldest first — and is timed.
    const byPoll: { id: string; line: number }[][] = header.polls.map(() => []);
    const seen = new Set<string>();
    for (const u of this.users) {
      if (seen.has(u.id)) continue;
      seen.add(u.id);
      byPoll[u.poll].push(u);
    }
    let k = 0;
    byPoll.forEach((users, j) => {
      const from = j === 0 ? header.tweetCreatedAt : header.polls[j - 1];
      const span = BigInt(header.polls[j] - from);
      const m = users.length;
      for (let i = 1; i <= m; i++) {
        const u = users[m - i];
        const time = from + Number((span * BigInt(i)) / BigInt(m + 1));
        this.builder.push(listedId(header, ++k), type, header.tweetId, header.tweetAuthorId, u.id, time, j === 0, { file, line: u.line });
      }
    });
    const unlisted = this.reportUnlisted(seen.size, true);
    // Engagers the count has but the lists do not show are older than every listed one (the lists keep
    // the most recent): they take the first positions, so no listed engager is paid for their place.
    for (let i = 1; i <= unlisted; i++) {
      this.builder.push(unlistedId(header, i), type, header.tweetId, header.tweetAuthorId, `x:unlisted:${header.endpoint}:${header.tweetId}:${i}`, header.tweetCreatedAt, true, { file, line: 1 });
    }
  }

  /** Compares the post's count with the engagers listed; returns the unlisted count (0 without metrics). */
  private reportUnlisted(listed: number, scored: boolean): number {
    const count = this.header.publicMetrics?.[PUBLIC_METRIC_OF_ENDPOINT[this.header.endpoint]];
    if (count === undefined) return 0;
    const unlisted = Math.max(0, count - listed);
    if (count !== listed) {
      this.onUnlisted?.({ file: this.file, tweetId: this.header.tweetId, endpoint: this.header.endpoint, publicCount: count, listed, unlisted, scored: scored && unlisted > 0 });
    }
    return unlisted;
  }
}
