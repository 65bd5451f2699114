/**
 * The local X API v2 server (test/x-server) behaves like the documented API, and the client (x-client.ts)
 * handles its answers and faults: rate limits, 5xx, dropped connections, bad JSON, refusals.
 */
import { expect } from "chai";
import { XApiError, XClient, paginate, PaginationLoopError, parseApiBase, type XClientEvent } from "../../src/collect/x-client";
import { startXServer, type XServer, type XSeed } from "../../../test/x-server";
import { FAST_RETRY, NOW, SAMPLE_POSTS, sampleSeed, serve } from "./fixtures";

const get = (s: XServer, path: string, token: string | null = s.token) =>
  fetch(`${s.url}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } }).then(async (r) => ({ status: r.status, headers: r.headers, body: (await r.json()) as any }));

function smallSeed(likers: number): XSeed {
  const users = Array.from({ length: likers + 1 }, (_, i) => ({ id: String(5000 + i), username: `user_${i}`, created_at: "2020-01-01T00:00:00.000Z" }));
  return {
    users,
    tweets: [{ id: "900", text: "launch #BrandLaunch", author_id: "5000", created_at: new Date(NOW - 3_600_000).toISOString() }],
    likes: { "900": users.slice(1).map((u) => u.id) },
  };
}

describe("collect: the local X API v2 server", function () {
  let s: XServer;
  afterEach(async () => s?.stop());

  it("answers 401 without the bearer token, or with another one", async function () {
    s = await serve();
    expect((await get(s, `/2/tweets?ids=${SAMPLE_POSTS[0]}`, null)).status).to.equal(401);
    const wrong = await get(s, `/2/tweets?ids=${SAMPLE_POSTS[0]}`, "not-the-token");
    expect(wrong.status).to.equal(401);
    expect(wrong.body).to.deep.equal({ title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" });
    expect(s.requests.every((r) => !JSON.stringify(r).includes("not-the-token")), "the log keeps no header").to.equal(true);
  });

  it("returns only the default fields unless more are asked for", async function () {
    s = await serve();
    const plain = await get(s, `/2/tweets?ids=${SAMPLE_POSTS[0]}`);
    expect(Object.keys(plain.body.data[0]).sort()).to.deep.equal(["edit_history_tweet_ids", "id", "text"]);
    const full = await get(s, `/2/tweets?ids=${SAMPLE_POSTS[0]}&tweet.fields=author_id,created_at,conversation_id,public_metrics`);
    expect(Object.keys(full.body.data[0]).sort()).to.deep.equal(["author_id", "conversation_id", "created_at", "edit_history_tweet_ids", "id", "public_metrics", "text"]);
    expect(full.body.data[0].public_metrics.like_count).to.equal(120);
    const users = await get(s, `/2/tweets/${SAMPLE_POSTS[0]}/liking_users?max_results=5`);
    expect(Object.keys(users.body.data[0]).sort()).to.deep.equal(["id", "name", "username"]);
    const bad = await get(s, `/2/tweets?ids=${SAMPLE_POSTS[0]}&tweet.fields=author_id,bogus`);
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].message).to.match(/tweet\.fields.*\[bogus\]/);
    expect((await get(s, `/2/tweets?ids=${SAMPLE_POSTS[0]}&foo=1`)).status).to.equal(400);
  });

  it("expands authors with the user fields asked for (search, as registration uses it)", async function () {
    s = await serve();
    const r = await get(s, `/2/tweets/search/recent?query=conversation_id:${SAMPLE_POSTS[0]}&expansions=author_id&user.fields=username,created_at,public_metrics&max_results=10`);
    expect(r.status).to.equal(200);
    const authors = new Set(r.body.data.map((t: any) => t.author_id));
    expect(authors.has(undefined), "expansions=author_id brings author_id").to.equal(false);
    expect(Object.keys(r.body.data[0]).sort()).to.deep.equal(["author_id", "edit_history_tweet_ids", "id", "text"]);
    expect(r.body.includes.users.map((u: any) => u.id).sort()).to.deep.equal([...authors].sort());
    for (const u of r.body.includes.users) expect(Object.keys(u)).to.include.members(["id", "name", "username", "public_metrics"]);
  });

  it("paginates for real: opaque tokens to the end, max_results bounds, newest first, at most 100 likers", async function () {
    s = await startXServer({ seed: smallSeed(130), now: () => NOW });
    const ids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await get(s, `/2/tweets/900/liking_users?max_results=40${token ? `&pagination_token=${token}` : ""}`);
      expect(r.body.meta.result_count).to.equal(r.body.data.length);
      ids.push(...r.body.data.map((u: any) => u.id));
      token = r.body.meta.next_token;
      pages++;
    } while (token);
    expect(pages).to.equal(3);
    expect(ids).to.deep.equal(s.seed.likes!["900"].slice(0, 100), "the 100 most recent, newest first");
    for (const bad of ["0", "101", "x"]) expect((await get(s, `/2/tweets/900/liking_users?max_results=${bad}`)).status, bad).to.equal(400);
    expect((await get(s, `/2/tweets/900/quote_tweets?max_results=5`)).status, "quotes: 10–100").to.equal(400);
    expect((await get(s, `/2/tweets/search/recent?query=launch&max_results=9`)).status, "search: 10–100").to.equal(400);
    expect((await get(s, `/2/tweets/900/liking_users?pagination_token=forged`)).status).to.equal(400);
  });

  it("search: the 7-day window, end_time ≥ 10 s before now, a full last page followed by an empty one", async function () {
    s = await serve();
    const old = new Date(NOW - 8 * 86_400_000).toISOString();
    expect((await get(s, `/2/tweets/search/recent?query=x&start_time=${old}`)).status).to.equal(400);
    expect((await get(s, `/2/tweets/search/recent?query=x&end_time=${new Date(NOW - 5000).toISOString()}`)).status).to.equal(400);
    // Post 0 has 10 replies (+ the post itself in its conversation = 11): pages of 10 → 10, 1.
    const p1 = await get(s, `/2/tweets/search/recent?query=conversation_id:${SAMPLE_POSTS[0]}&max_results=10`);
    const p2 = await get(s, `/2/tweets/search/recent?query=conversation_id:${SAMPLE_POSTS[0]}&max_results=10&next_token=${p1.body.meta.next_token}`);
    expect(p1.body.meta.result_count + p2.body.meta.result_count).to.equal(11);
    expect(p2.body.meta.next_token).to.equal(undefined);
    // Post 1 has 15 replies + itself = 16; with pages of ... use a conversation of exactly 20 (post 2: 20 replies + itself = 21).
    const seed = sampleSeed();
    seed.tweets = seed.tweets.filter((t) => t.id !== SAMPLE_POSTS[2]); // 20 replies only
    await s.stop();
    s = await serve([], seed);
    const a = await get(s, `/2/tweets/search/recent?query=conversation_id:${SAMPLE_POSTS[2]}&max_results=10`);
    const b = await get(s, `/2/tweets/search/recent?query=conversation_id:${SAMPLE_POSTS[2]}&max_results=10&next_token=${a.body.meta.next_token}`);
    expect(b.body.meta.result_count).to.equal(10);
    expect(b.body.meta.next_token, "a full last page still has a token").to.be.a("string");
    const c = await get(s, `/2/tweets/search/recent?query=conversation_id:${SAMPLE_POSTS[2]}&max_results=10&next_token=${b.body.meta.next_token}`);
    expect(c.body).to.deep.equal({ meta: { result_count: 0 } });
    const times = [...a.body.data, ...b.body.data].map((t: any) => t.id);
    expect(times).to.deep.equal([...times].sort((x, y) => (BigInt(y) > BigInt(x) ? 1 : -1)), "newest first");
  });

  it("not-found ids are HTTP 200 with an errors array; full-archive search is 403 without the access level", async function () {
    s = await serve();
    const r = await get(s, `/2/tweets?ids=${SAMPLE_POSTS[0]},1234`);
    expect(r.status).to.equal(200);
    expect(r.body.data).to.have.length(1);
    expect(r.body.errors[0]).to.include({ resource_id: "1234", title: "Not Found Error", parameter: "ids" });
    expect((await get(s, "/2/tweets/search/all?query=x")).status).to.equal(403);
  });

  it("sends x-rate-limit headers and a 429 whose reset lies the given seconds ahead", async function () {
    s = await serve([{ kind: "rate-limit", endpoint: "liking_users", nth: 2, resetInSeconds: 2 }]);
    const ok = await get(s, `/2/tweets/${SAMPLE_POSTS[0]}/liking_users`);
    expect(Number(ok.headers.get("x-rate-limit-limit"))).to.equal(75);
    expect(Number(ok.headers.get("x-rate-limit-remaining"))).to.equal(74);
    const limited = await get(s, `/2/tweets/${SAMPLE_POSTS[0]}/liking_users`);
    expect(limited.status).to.equal(429);
    expect(Number(limited.headers.get("x-rate-limit-reset"))).to.equal(Math.ceil(NOW / 1000) + 2);
  });
});

describe("collect: the X API client", function () {
  let s: XServer;
  afterEach(async () => s?.stop());
  const client = (server: XServer, events: XClientEvent[] = [], extra = {}) =>
    new XClient({ bearerToken: server.token, apiBase: server.url, retry: FAST_RETRY, now: () => NOW, onEvent: (e) => events.push(e), ...extra });

  it("waits for x-rate-limit-reset on a 429 and says when it resumes", async function () {
    s = await serve([{ kind: "rate-limit", endpoint: "liking_users", resetInSeconds: 1 }]);
    const events: XClientEvent[] = [];
    const slept: number[] = [];
    const c = client(s, events, { sleep: async (ms: number) => void slept.push(ms) });
    const r = await c.likingUsers(SAMPLE_POSTS[0]);
    expect(r.body.data).to.have.length(100);
    const wait = events.find((e) => e.kind === "rate-limited");
    expect(wait).to.include({ waitMs: (Math.ceil(NOW / 1000) + 1) * 1000 - NOW, resumeAt: (Math.ceil(NOW / 1000) + 1) * 1000 });
    expect(slept).to.deep.equal([(wait as { waitMs: number }).waitMs]);
  });

  it("waits before a request when x-rate-limit-remaining reached 0, instead of spending a 429", async function () {
    s = await serve();
    const events: XClientEvent[] = [];
    const slept: number[] = [];
    const c = client(s, events, { sleep: async (ms: number) => void slept.push(ms) });
    (c as unknown as { limits: Map<string, unknown> }).limits.set("/2/tweets/:id/liking_users", { remaining: 0, resetAt: NOW + 1500 });
    await c.likingUsers(SAMPLE_POSTS[0]);
    expect(slept).to.deep.equal([1500]);
    expect(s.requests.filter((r) => r.status === 429)).to.have.length(0);
  });

  it("retries 503, a dropped connection and invalid JSON with growing jittered backoff, then succeeds", async function () {
    s = await serve([
      { kind: "unavailable", endpoint: "liking_users", nth: 1 },
      { kind: "drop-mid-body", endpoint: "liking_users", nth: 2 },
      { kind: "invalid-json", endpoint: "liking_users", nth: 3 },
    ]);
    const events: XClientEvent[] = [];
    const slept: number[] = [];
    const c = client(s, events, { sleep: async (ms: number) => void slept.push(ms), random: () => 1 });
    const r = await c.likingUsers(SAMPLE_POSTS[0]);
    expect(r.body.data).to.have.length(100);
    const retries = events.filter((e) => e.kind === "retry") as Extract<XClientEvent, { kind: "retry" }>[];
    expect(retries.map((e) => e.reason)).to.deep.equal(["HTTP 503", "connection failed (other side closed)", "the response body is not JSON (truncated?)"]);
    expect(slept).to.deep.equal([5, 10, 20], "base 5 ms doubling (random = 1: the cap)");
    expect(c.requests).to.equal(4);
  });

  it("retries a request the server never answers once the timeout fires", async function () {
    s = await serve([{ kind: "hang", endpoint: "liking_users" }]);
    const events: XClientEvent[] = [];
    const c = client(s, events, { timeoutMs: 300 });
    const r = await c.likingUsers(SAMPLE_POSTS[0]);
    expect(r.body.data).to.have.length(100);
    const retry = events.find((e) => e.kind === "retry") as Extract<XClientEvent, { kind: "retry" }>;
    expect(retry.reason).to.match(/^connection failed \(.*(timeout|aborted).*\)$/i);
  });

  it("gives up after the bounded number of attempts with a message to run again", async function () {
    s = await serve([{ kind: "unavailable", endpoint: "liking_users", times: 100 }]);
    const c = client(s, [], { retry: { ...FAST_RETRY, attempts: 3 } });
    const e = await c.likingUsers(SAMPLE_POSTS[0]).then(() => undefined, (x) => x);
    expect(e).to.be.instanceOf(XApiError);
    expect(e.message).to.match(/gave up after 3 attempts: HTTP 503/).and.match(/run the same command again/);
    expect(s.requests).to.have.length(3);
  });

  it("stops on 400, 401 and 403 with what to fix, and never puts the token in a message", async function () {
    s = await serve();
    const token = "AAAA-secret-bearer-token-1234";
    const bad = new XClient({ bearerToken: token, apiBase: s.url, retry: FAST_RETRY });
    const e401 = await bad.likingUsers(SAMPLE_POSTS[0]).then(() => undefined, (x) => x);
    expect(e401.status).to.equal(401);
    expect(e401.message).to.match(/X_BEARER_TOKEN/);
    const c = client(s);
    const e400 = await c.get("tweets", { ids: "12x" }).then(() => undefined, (x) => x);
    expect(e400.status).to.equal(400);
    expect(e400.message).to.match(/HTTP 400/).and.match(/12x/);
    const e403 = await c.searchAll({ query: "#BrandLaunch" }).then(() => undefined, (x) => x);
    expect(e403.status).to.equal(403);
    expect(e403.message).to.match(/access level/);
    for (const e of [e401, e400, e403]) {
      expect(`${e.message}\n${e.stack}\n${JSON.stringify(e)}`).to.not.include(token);
    }
    expect(JSON.stringify(bad)).to.not.include(token);
    expect(require("node:util").inspect(bad)).to.not.include(token);
    expect(s.requests).to.have.length(3, "no retries for refusals");
  });

  it("paginate follows every page and detects a repeated token", async function () {
    s = await serve([{ kind: "repeat-token", endpoint: "liking_users", nth: 2 }], sampleSeed());
    const c = client(s);
    const pages: number[] = [];
    let err: unknown;
    try {
      for await (const p of paginate((t) => c.likingUsers(SAMPLE_POSTS[1], { token: t, maxResults: 20 }))) pages.push(p.body.meta!.result_count!);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(PaginationLoopError);
    expect(pages).to.deep.equal([20, 20]);
  });

  it("accepts only an origin as --api-base", function () {
    expect(parseApiBase("http://127.0.0.1:8080")).to.equal("http://127.0.0.1:8080");
    expect(parseApiBase("https://api.x.com/")).to.equal("https://api.x.com");
    for (const bad of ["https://api.x.com/2", "ftp://x", "nonsense", "https://api.x.com?x=1"]) expect(() => parseApiBase(bad), bad).to.throw(/origin|not a URL/);
  });
});
