/**
 * Saved X API v2 response pages for one post, as an NDJSON file:
 *
 *   line 1: {"format":"like2earn-xapi-v1","endpoint":"liking_users","tweetId":"…","tweetAuthorId":"…",
 *            "tweetCreatedAt":"…","fetchedAt":"…"}
 *   line 2…: one raw response body per line, page 1 first: {"data":[…],"meta":{"result_count":…,"next_token":…}}
 *
 * Endpoints: `liking_users` (GET /2/tweets/:id/liking_users), `retweeted_by` (GET /2/tweets/:id/retweeted_by),
 * `quote_tweets` (GET /2/tweets/:id/quote_tweets?tweet.fields=author_id,created_at) and `replies`
 * (GET /2/tweets/search/recent?query=conversation_id:<id>&tweet.fields=author_id,created_at,conversation_id).
 */
import { InputError, show } from "../errors";
import { EngagementTableBuilder, TYPE_INDEX } from "../engagements";
import { parseJsonText } from "../json-locate";
import { userIdProblem } from "./participants";
import { parseIsoTime } from "../time";

export const XAPI_FORMAT = "like2earn-xapi-v1";
export const XAPI_ENDPOINTS = ["liking_users", "retweeted_by", "quote_tweets", "replies"] as const;
export type XApiEndpoint = (typeof XAPI_ENDPOINTS)[number];

export interface XApiHeader {
  readonly endpoint: XApiEndpoint;
  readonly tweetId: string;
  readonly tweetAuthorId: string;
  /** ms since the Unix epoch. */
  readonly tweetCreatedAt: number;
  readonly fetchedAt: number;
}

const HEADER_FIELDS = ["format", "endpoint", "tweetId", "tweetAuthorId", "tweetCreatedAt", "fetchedAt"];

/** True when a parsed first line is an X API page-file header. */
export function isXApiHeader(json: unknown): boolean {
  return json !== null && typeof json === "object" && (json as Record<string, unknown>).format === XAPI_FORMAT;
}

export function parseXApiHeader(json: unknown, file: string, line: number): XApiHeader {
  const o = json as Record<string, unknown>;
  const at = (field: string) => ({ file, line, field });
  const extra = Object.keys(o).find((k) => !HEADER_FIELDS.includes(k));
  if (extra) throw new InputError(at(extra), `unknown header field; expected ${HEADER_FIELDS.join(", ")}`);
  if (!(XAPI_ENDPOINTS as readonly unknown[]).includes(o.endpoint)) {
    throw new InputError(at("endpoint"), `${show(o.endpoint)} is not a supported endpoint; expected one of ${XAPI_ENDPOINTS.join(", ")}`);
  }
  for (const f of ["tweetId", "tweetAuthorId"]) {
    const p = userIdProblem(o[f]);
    if (p) throw new InputError(at(f), p);
  }
  const times: number[] = [];
  for (const f of ["tweetCreatedAt", "fetchedAt"]) {
    const t = typeof o[f] === "string" ? parseIsoTime(o[f] as string) : undefined;
    if (t === undefined) throw new InputError(at(f), o[f] === undefined ? "missing" : `${show(o[f])} is not an ISO 8601 date-time`);
    times.push(t);
  }
  if (times[1] < times[0]) throw new InputError(at("fetchedAt"), "the pages were fetched before the post was created");
  return {
    endpoint: o.endpoint as XApiEndpoint,
    tweetId: o.tweetId as string,
    tweetAuthorId: o.tweetAuthorId as string,
    tweetCreatedAt: times[0],
    fetchedAt: times[1],
  };
}

/**
 * Reads the pages of one X API file (the header already parsed) and appends its engagements.
 * Users of `liking_users` / `retweeted_by` have no time: the lists are newest first, page 1 first,
 * so the last user listed is the first engagement; see README "X API page files" for their times.
 */
export class XApiPageReader {
  private readonly users: { id: string; line: number }[] = [];
  private pages = 0;
  private lastHadNextToken = true;
  private lastLine = 0;

  constructor(
    private readonly header: XApiHeader,
    private readonly builder: EngagementTableBuilder,
    private readonly file: string,
  ) {}

  page(text: string, line: number): void {
    const { file } = this;
    const at = (field: string) => ({ file, line, field });
    if (!this.lastHadNextToken) {
      throw new InputError(at("meta.next_token"), `page on line ${this.lastLine} has no meta.next_token, yet another page follows it`);
    }
    const json = parseJsonText(text, file, line - 1, "(page)");
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw new InputError(at("(page)"), "expected a response object {data, meta}");
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
    items.forEach((item, k) => this.item(item, `data.${k}`, line));
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
      this.users.push({ id: o.id as string, line });
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
    this.builder.push(o.id as string, type, header.tweetId, header.tweetAuthorId, o.author_id as string, time, false, { file, line });
  }

  /** Appends the untimed likes / retweets (oldest first) once every page is read. */
  finish(): void {
    const { header, file } = this;
    if (this.pages === 0) throw new InputError({ file, line: 1, field: "(pages)" }, "the file has a header but no response pages");
    const n = this.users.length;
    const type = header.endpoint === "liking_users" ? TYPE_INDEX.like : TYPE_INDEX.retweet;
    const span = BigInt(header.fetchedAt - header.tweetCreatedAt);
    for (let k = 1; k <= n; k++) {
      const u = this.users[n - k];
      const time = header.tweetCreatedAt + Number((span * BigInt(k)) / BigInt(n + 1));
      const id = `x:${header.endpoint}:${header.tweetId}:${String(k).padStart(9, "0")}`;
      this.builder.push(id, type, header.tweetId, header.tweetAuthorId, u.id, time, true, { file, line: u.line });
    }
  }
}
