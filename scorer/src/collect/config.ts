/**
 * `collect.json`: which posts to collect, and how.
 *
 *   {"posts": ["<tweet id>", …], "query": "#BrandLaunch", "period": {"start": ISO, "end": ISO},
 *    "endpoints": ["liking_users", "retweeted_by", "quote_tweets", "replies"]}
 *
 * Strict like the campaign config: an unknown field is an error naming its line.
 */
import { z } from "zod";
import { InputError, show } from "../errors";
import { XAPI_ENDPOINTS, type XApiEndpoint } from "../format/page-file";
import { fieldName, locateJson, parseJsonText, type JsonPath } from "../json-locate";
import { parseIsoTime } from "../time";

export interface CollectConfig {
  /** Posts listed in the file (tweet ids), in file order, without repeats. */
  readonly posts: readonly string[];
  /** Recent search query; the posts it finds in the period join `posts`. */
  readonly query?: string;
  /** ms since the Unix epoch, start ≤ t < end. */
  readonly period: { readonly start: number; readonly end: number };
  readonly endpoints: readonly XApiEndpoint[];
}

const tweetId = z.string().regex(/^[1-9]\d{0,18}$/, "must be a tweet id (decimal digits, as a string)");
const iso = z.string().refine((s) => parseIsoTime(s) !== undefined, { message: "must be an ISO 8601 date-time with a zone" });

const schema = z.strictObject({
  posts: z.array(tweetId).default([]),
  query: z.string().min(1, "must not be empty").max(512, "recent search queries have at most 512 characters").optional(),
  period: z.strictObject({ start: iso, end: iso }),
  endpoints: z
    .array(z.enum(XAPI_ENDPOINTS))
    .min(1, "list at least one endpoint")
    .refine((a) => new Set(a).size === a.length, { message: "an endpoint is listed twice" }),
});

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let v = json;
  for (const k of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

export function parseCollectConfig(json: unknown, file = "collect.json", locate: (path: JsonPath) => number = () => 1): CollectConfig {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    let path: PropertyKey[] = [...issue.path];
    let problem = issue.message;
    if (issue.code === "unrecognized_keys") {
      path = [...path, issue.keys[0]];
      problem = "unknown field (misspelt?); allowed: posts, query, period {start, end}, endpoints";
    } else {
      const got = valueAt(json, path);
      problem = `${problem}${got === undefined ? " (missing)" : `, got ${show(got)}`}`;
    }
    throw new InputError({ file, line: locate(path), field: fieldName(path) || "(file)" }, problem);
  }
  const c = parsed.data;
  const start = parseIsoTime(c.period.start)!;
  const end = parseIsoTime(c.period.end)!;
  if (!(start < end)) throw new InputError({ file, line: locate(["period", "end"]), field: "period.end" }, `${c.period.end} is not after period.start ${c.period.start}`);
  if (c.posts.length === 0 && c.query === undefined) throw new InputError({ file, line: 1, field: "posts" }, "list at least one post, or give a query");
  return { posts: [...new Set(c.posts)], query: c.query, period: { start, end }, endpoints: c.endpoints };
}

export function parseCollectConfigText(text: string, file = "collect.json"): CollectConfig {
  return parseCollectConfig(parseJsonText(text, file), file, locateJson(text));
}
