/**
 * `collect` end to end against the local X server: every page with exactly the listed fields, through
 * every fault to the same root, resumable after SIGKILL with the same files, loops reported, poll mode
 * with observed windows, public_metrics counts above the lists recorded and scored.
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { main } from "../../src/cli";
import { createCollectProgress } from "../../src/collect/progress";
import { TYPE_INDEX } from "../../src/engagements";
import { ingestEngagements } from "../../src/ingest";
import { prepareEngagements } from "../../src/prepare";
import type { XServer } from "../../../test/x-server";
import { tmpDir } from "../helpers";
import { bigSeed, collect, collectConfig, filesOf, NOW, pageFilesOf, SAMPLE_POSTS, SAMPLE_XAPI, sampleSeed, scoreFiles, serve } from "./fixtures";

const ROOT = join(__dirname, "../../..");

describe("collect: from the X API to page files", function () {
  let s: XServer | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it("fetches every page with the largest max_results and exactly the fields the scorer needs", async function () {
    s = await serve([], bigSeed());
    const out = join(tmpDir(), "x");
    const r = await collect(s, out);
    expect(r.files).to.have.length(12);
    const q = (endpoint: string) => s!.requests.filter((x) => x.endpoint === endpoint).map((x) => x.query);
    expect(q("tweets")).to.deep.equal([{ ids: SAMPLE_POSTS.join(","), "tweet.fields": "author_id,created_at,conversation_id,public_metrics" }]);
    for (const u of [...q("liking_users"), ...q("retweeted_by")]) expect(u).to.deep.equal({ max_results: "100" });
    const quotes = q("quote_tweets");
    expect(quotes.filter((x) => !x.pagination_token)).to.have.length(3);
    for (const x of quotes) expect(x).to.deep.include({ max_results: "100", "tweet.fields": "author_id,created_at" });
    const replies = q("search_recent");
    expect(replies.length).to.equal(9, "each post's ~250 replies take 3 pages of 100");
    for (const x of replies) {
      expect(x.query).to.match(/^conversation_id:\d+$/);
      expect(x).to.deep.include({ max_results: "100", "tweet.fields": "author_id,created_at,conversation_id" });
    }
    // Every token the server handed out was followed once; the last page of each has none.
    expect(s.requests.every((x) => x.status === 200)).to.equal(true);
    // The scorer reads what was collected: all replies and quotes of the seed, the 100 most recent likers.
    const table = await ingestEngagements(pageFilesOf(out));
    const count = (type: number) => Array.from(table.type).filter((t) => t === type).length;
    expect(count(TYPE_INDEX.comment)).to.equal(3 * 230 + 10 + 15 + 20);
    expect(count(TYPE_INDEX.quote)).to.equal(3 * 120 + 4 + 6 + 8);
    expect(count(TYPE_INDEX.like)).to.equal(120 + 180 + 240, "100 listed + the unlisted rest of like_count, per post");
    expect(r.unlisted.map((u) => [u.endpoint, u.publicCount, u.listed, u.scored])).to.deep.equal([
      ["liking_users", 120, 100, true],
      ["liking_users", 180, 100, true],
      ["liking_users", 240, 100, true],
    ]);
    const summary = JSON.parse(readFileSync(join(out, "collect.summary.json"), "utf8"));
    expect(summary.unlisted).to.have.length(3);
    expect(summary.files).to.deep.equal(r.files);
  });

  it("through 429, 503, a dropped connection, invalid JSON and an empty page with a token: the same root", async function () {
    this.timeout(60_000);
    s = await serve([], bigSeed());
    const clean = join(tmpDir(), "clean");
    await collect(s, clean);
    const cleanRoot = (await scoreFiles(pageFilesOf(clean))).root;
    await s.stop();

    s = await serve(
      [
        { kind: "unavailable", endpoint: "tweets" },
        { kind: "rate-limit", endpoint: "liking_users", nth: 2, resetInSeconds: 1 },
        { kind: "drop-mid-body", endpoint: "search_recent", nth: 2 },
        { kind: "invalid-json", endpoint: "retweeted_by", nth: 1 },
        { kind: "server-error", endpoint: "quote_tweets", nth: 2 },
        { kind: "empty-page-with-token", endpoint: "search_recent", nth: 4 },
        { kind: "empty-page-with-token", endpoint: "quote_tweets", nth: 4 },
      ],
      bigSeed(),
    );
    const faulty = join(tmpDir(), "faulty");
    const events: string[] = [];
    const r = await collect(s, faulty, { onProgress: (e) => (e.kind === "rate-limited" || e.kind === "retry") && events.push(e.kind) });
    const fired = s.requests.filter((x) => x.fault).map((x) => x.fault).sort();
    expect(fired).to.deep.equal(["drop-mid-body", "empty-page-with-token", "empty-page-with-token", "invalid-json", "rate-limit", "server-error", "unavailable"]);
    expect(s.requests.filter((x) => x.status === 503)).to.have.length(1);
    expect(events.filter((e) => e === "rate-limited")).to.have.length(1);
    expect(events.filter((e) => e === "retry")).to.have.length(4);
    expect(r.warnings).to.deep.equal([]);
    expect((await scoreFiles(pageFilesOf(faulty))).root).to.equal(cleanRoot);
    // The empty pages are kept as received (the files differ), the engagements do not.
    expect(filesOf(faulty)).to.not.deep.equal(filesOf(clean));
  });

  it("a run SIGKILLed again and again resumes and ends with the same files as an uninterrupted run", async function () {
    this.timeout(120_000);
    const token = "kill-test-token";
    let child: ReturnType<typeof spawn> | undefined;
    let killAt = -1;
    s = await serve([], bigSeed(), {
      token,
      onRequest: ({ index }) => {
        if (index === killAt && child) child.kill("SIGKILL");
      },
    });
    const base = tmpDir();
    const config = collectConfig(base);
    const run = (out: string, kill: number) =>
      new Promise<number | string>((resolve) => {
        killAt = s!.requests.length + kill;
        child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", join(__dirname, "collect-child.ts"), config, out, s!.url, String(NOW)], {
          cwd: ROOT,
          env: { ...process.env, X_BEARER_TOKEN: token },
          stdio: ["ignore", "ignore", "pipe"],
        });
        let err = "";
        child.stderr!.on("data", (d) => (err += d));
        child.on("exit", (code, signal) => resolve(signal ?? (code === 0 ? 0 : `exit ${code}: ${err}`)));
      });
    const reference = join(base, "reference");
    expect(await run(reference, -1)).to.equal(0);
    const killed = join(base, "killed");
    const outcomes: (number | string)[] = [];
    for (const k of [2, 5, 3]) outcomes.push(await run(killed, k));
    expect(outcomes, "each run was killed mid-run").to.deep.equal(["SIGKILL", "SIGKILL", "SIGKILL"]);
    // Simulate a kill between appending a page line and saving the state: a half line after the committed bytes.
    const pages = readdirSync(join(killed, ".collect")).filter((f) => f.endsWith(".pages"));
    if (pages.length > 0) appendFileSync(join(killed, ".collect", pages[pages.length - 1]), '{"poll":0,"page":{"data":[{"id":"1');
    writeFileSync(join(killed, `${SAMPLE_POSTS[0]}.replies.ndjson.tmp-99999-abcdef`), "half a file"); // a kill inside an atomic write
    killAt = -1;
    expect(await run(killed, -1)).to.equal(0);
    expect(readdirSync(killed).sort()).to.deep.equal(readdirSync(reference).sort(), "no temporary left behind");
    expect(filesOf(killed)).to.deep.equal(filesOf(reference));
    expect(readFileSync(join(killed, "collect.summary.json"), "utf8")).to.equal(readFileSync(join(reference, "collect.summary.json"), "utf8"));
    expect((await scoreFiles(pageFilesOf(killed))).root).to.equal((await scoreFiles(pageFilesOf(reference))).root);
  });

  it("a finished collection is not fetched again; another collect.json in the same --out is refused", async function () {
    s = await serve();
    const base = tmpDir();
    const out = join(base, "x");
    const config = collectConfig(base);
    await collect(s, out, { configPath: config });
    const before = s.requests.length;
    const again = await collect(s, out, { configPath: config });
    expect(again.alreadyComplete).to.equal(true);
    expect(s.requests.length).to.equal(before);
    const other = collectConfig(tmpDir(), { endpoints: ["liking_users"] });
    const e = await collect(s, out, { configPath: other }).then(() => undefined, (x) => x);
    expect(e?.message).to.match(/another collect\.json/);
  });

  it("reports a repeated next_token (a loop) and keeps the pages before it", async function () {
    s = await serve([{ kind: "repeat-token", endpoint: "search_recent", nth: 2 }], bigSeed());
    const out = join(tmpDir(), "x");
    const r = await collect(s, out);
    expect(r.warnings).to.have.length(1);
    expect(r.warnings[0]).to.match(new RegExp(`^${SAMPLE_POSTS[0]}\\.replies: next_token ".+" on page 2 of poll 0 was already followed \\(a pagination loop\\)`));
    const lines = readFileSync(join(out, `${SAMPLE_POSTS[0]}.replies.ndjson`), "utf8").trim().split("\n");
    expect(lines).to.have.length(3, "header + the two pages fetched");
    expect(JSON.parse(readFileSync(join(out, "collect.summary.json"), "utf8")).warnings).to.deep.equal(r.warnings);
    await ingestEngagements([join(out, `${SAMPLE_POSTS[0]}.replies.ndjson`)]); // still a valid page file
  });

  it("stops on a post that does not exist, naming it and collect.json", async function () {
    s = await serve();
    const base = tmpDir();
    const e = await collect(s, join(base, "x"), { configPath: collectConfig(base, { posts: [SAMPLE_POSTS[0], "1234567"] }) }).then(() => undefined, (x) => x);
    expect(e?.message).to.match(/post 1234567 of .*collect\.json: Could not find tweet/).and.match(/typo/);
  });

  it("--full-archive takes replies from /2/tweets/search/all from the post's creation; without the access level it stops with a 403 to fix", async function () {
    s = await serve([], sampleSeed(), { fullArchive: true });
    const base = tmpDir();
    const config = collectConfig(base, { endpoints: ["replies"] });
    const r = await collect(s, join(base, "x"), { configPath: config, fullArchive: true });
    expect(r.files).to.have.length(3);
    const calls = s.requests.filter((x) => x.endpoint === "search_all");
    expect(calls).to.have.length(3);
    expect(calls[0].query).to.deep.include({ query: `conversation_id:${SAMPLE_POSTS[0]}`, start_time: sampleSeed().tweets.find((t) => t.id === SAMPLE_POSTS[0])!.created_at, max_results: "500" });
    expect(s.requests.some((x) => x.endpoint === "search_recent")).to.equal(false);
    await s.stop();
    s = await serve();
    const e = await collect(s, join(base, "y"), { configPath: config, fullArchive: true }).then(() => undefined, (x) => x);
    expect(e?.message).to.match(/HTTP 403\): your access level does not include this endpoint/);
  });

  it("adds the posts that the query finds in the period", async function () {
    const seed = sampleSeed();
    seed.tweets.find((t) => t.id === SAMPLE_POSTS[1])!.text = "big news #BrandLaunch";
    seed.tweets.find((t) => t.id === SAMPLE_POSTS[2])!.text = "#brandlaunch again";
    s = await serve([], seed);
    const base = tmpDir();
    const r = await collect(s, join(base, "x"), { configPath: collectConfig(base, { posts: [SAMPLE_POSTS[0]], query: "#BrandLaunch", endpoints: ["liking_users"] }) });
    expect(r.posts).to.deep.equal(SAMPLE_POSTS);
    const search = s.requests.find((x) => x.endpoint === "search_recent")!;
    expect(search.query).to.deep.include({ query: "#BrandLaunch", start_time: "2025-01-06T00:01:00.000Z", end_time: "2025-01-12T23:59:45.000Z" });
    expect(r.warnings[0]).to.match(/reaches back only to 2025-01-06T00:01:00.000Z/);
  });

  it("poll mode: likes first seen at poll k are placed in (poll k−1, poll k], after those present at the first poll", async function () {
    const seed = sampleSeed();
    const post = SAMPLE_POSTS[0];
    seed.likes![post] = seed.likes![post].slice(0, 60); // under the cap: every liker listed
    let clock = NOW - 3_600_000;
    s = await serve([], seed, { now: () => clock });
    const start = clock;
    // Users of the seed who have not liked the post yet.
    const fresh = seed.users.map((u) => u.id).filter((u) => !seed.likes![post].includes(u));
    const late = fresh.slice(0, 2);
    const later = fresh.slice(2, 3);
    let polls = 0;
    const out = join(tmpDir(), "x");
    const base = tmpDir();
    const r = await collect(s, out, {
      configPath: collectConfig(base, { posts: [post], endpoints: ["liking_users", "replies"] }),
      every: 15 * 60_000,
      until: start + 30 * 60_000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
        if (ms > 60_000) {
          polls++;
          // New likers arrive between polls (newest first), and a reply.
          seed.likes![post].unshift(...(polls === 1 ? late : later));
          const id = String(1878000000000000000n + BigInt(polls));
          seed.tweets.push({ id, text: `late reply ${polls}`, author_id: fresh[5], created_at: new Date(clock - 60_000).toISOString(), conversation_id: post, in_reply_to_tweet_id: post });
        }
      },
    });
    expect(r.polls).to.equal(3);
    const file = join(out, `${post}.liking_users.ndjson`);
    const header = JSON.parse(readFileSync(file, "utf8").split("\n")[0]);
    expect(header.polls).to.deep.equal([0, 15, 30].map((m) => new Date(start + m * 60_000).toISOString()));
    expect(header.fetchedAt).to.equal(header.polls[0]);
    const table = await ingestEngagements([file]);
    const byUser = new Map<string, number>();
    for (let i = 0; i < table.length; i++) byUser.set(table.userIds[table.user[i]], i);
    const p = header.polls.map((x: string) => Date.parse(x));
    for (const u of late) {
      const i = byUser.get(u)!;
      expect(table.time[i]).to.be.greaterThan(p[0]).and.at.most(p[1]);
      expect(table.untimed[i], "timed by observation").to.equal(0);
    }
    const i = byUser.get(later[0])!;
    expect(table.time[i]).to.be.greaterThan(p[1]).and.at.most(p[2]);
    const first = seed.likes![post].slice(3);
    for (const u of first) expect(table.time[byUser.get(u)!]).to.be.lessThan(p[0]);
    // Model A's order: the 60 first-poll likers (oldest first), then the two of window 1, then window 2.
    const prepared = prepareEngagements(table, { start: Date.parse("2025-01-06T00:00:00Z"), end: Date.parse("2025-01-13T00:00:00Z") }, ["like"]);
    const order = Array.from(prepared.order).map((row) => table.userIds[table.user[row]]);
    expect(order.slice(0, 60)).to.deep.equal([...first].reverse());
    expect(order.slice(60)).to.deep.equal([...late].reverse().concat(later));
    // Replies: later polls ask only for what is newer than the newest reply seen; each reply counts once.
    const searches = s!.requests.filter((x) => x.endpoint === "search_recent").map((x) => x.query.since_id);
    expect(searches).to.deep.equal([undefined, "1877489680820330662", "1878000000000000001"]);
    const replies = await ingestEngagements([join(out, `${post}.replies.ndjson`)]);
    expect(replies.length).to.equal(10 + 2);
    expect(new Set(replies.id).size).to.equal(12);
  });

  it("poll mode: quotes are re-read only until a page reaches the quotes earlier polls saw", async function () {
    const seed = bigSeed(0, 120);
    const post = SAMPLE_POSTS[0];
    let clock = NOW - 3_600_000;
    s = await serve([], seed, { now: () => clock });
    const out = join(tmpDir(), "x");
    await collect(s, out, {
      configPath: collectConfig(tmpDir(), { posts: [post], endpoints: ["quote_tweets"] }),
      every: 15 * 60_000,
      until: clock + 15 * 60_000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
        seed.tweets.push({ id: "1879999999999999999", text: "late quote", author_id: seed.users[3].id, created_at: new Date(clock - 60_000).toISOString(), quoted_tweet_id: post });
      },
    });
    const calls = s.requests.filter((x) => x.endpoint === "quote_tweets");
    expect(calls.map((x) => Boolean(x.query.pagination_token))).to.deep.equal([false, true, false], "poll 0: two pages; poll 1: one");
    const table = await ingestEngagements([join(out, `${post}.quote_tweets.ndjson`)]);
    expect(table.length).to.equal(124 + 1);
    expect(new Set(table.id).size).to.equal(125);
  });

  it("public_metrics above the listed likers: recorded in the output and the score manifest, and they take the first positions", async function () {
    const seed = sampleSeed();
    const post = SAMPLE_POSTS[0];
    seed.tweets.find((t) => t.id === post)!.public_metrics = { like_count: 150, reply_count: 12 };
    s = await serve([], seed);
    const out = join(tmpDir(), "x");
    const r = await collect(s, out, { configPath: collectConfig(tmpDir(), { posts: [post] }) });
    expect(r.unlisted.map(({ file: _f, ...u }) => u)).to.deep.equal([
      { tweetId: post, endpoint: "liking_users", publicCount: 150, listed: 100, unlisted: 50, scored: true },
      { tweetId: post, endpoint: "replies", publicCount: 12, listed: 10, unlisted: 2, scored: false },
    ]);
    const scored = await scoreFiles(pageFilesOf(out));
    expect(scored.manifest.xapiUnlisted?.map((u) => [u.endpoint, u.unlisted, u.scored])).to.deep.equal([
      ["liking_users", 50, true],
      ["replies", 2, false],
    ]);
    const table = await ingestEngagements([join(out, `${post}.liking_users.ndjson`)]);
    const prepared = prepareEngagements(table, { start: Date.parse("2025-01-06T00:00:00Z"), end: Date.parse("2025-01-13T00:00:00Z") }, ["like"]);
    const ids = Array.from(prepared.order).map((row) => table.id[row]);
    expect(ids.slice(0, 50).every((id) => id.includes(":#unlisted:"))).to.equal(true);
    expect(ids.slice(50).every((id) => !id.includes("#unlisted"))).to.equal(true);
    // The same pages without the counts (v1): the listed likers take positions 1..100 instead.
    const v1 = await scoreFiles(SAMPLE_XAPI.filter((f) => f.includes(post)));
    expect(v1.manifest.xapiUnlisted).to.equal(undefined);
  });
});

describe("collect: the command line", function () {
  let s: XServer | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  const cli = (args: string[], env: Record<string, string | undefined>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", join(ROOT, "scorer/src/cli.ts"), "collect", ...args], {
        cwd: ROOT,
        env: { ...process.env, X_BEARER_TOKEN: undefined, ...env },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });

  function everyFile(dir: string): string {
    let all = "";
    const walk = (d: string) => {
      for (const f of readdirSync(d, { withFileTypes: true })) {
        if (f.isDirectory()) walk(join(d, f.name));
        else all += readFileSync(join(d, f.name), "utf8");
      }
    };
    walk(dir);
    return all;
  }

  it("collects with the token from X_BEARER_TOKEN, which appears in no file, no output and no error", async function () {
    this.timeout(60_000);
    const token = "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F";
    s = await serve([{ kind: "rate-limit", endpoint: "retweeted_by", resetInSeconds: 1 }], sampleSeed(), { token, now: Date.now });
    const base = tmpDir();
    const out = join(base, "x");
    const ok = await cli([collectConfig(base), "--out", out, "--api-base", s.url], { X_BEARER_TOKEN: token });
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.match(/collected 3 posts into 12 page files/);
    expect(ok.stdout).to.match(/public_metrics counts 120, the API listed 100 → 20 unlisted engagers take the first positions/);
    expect(ok.stderr).to.match(/rate limited on \/2\/tweets\/\d+\/retweeted_by: waiting .* s, resuming at 20\d\d-/);
    expect(ok.stderr).to.match(/post \d+ done \(3\/3\)/);
    // A refused token: the error says what to fix, without the token.
    await s.stop();
    s = await serve([], sampleSeed(), { token: "the-right-one", now: Date.now });
    const refused = await cli([collectConfig(base), "--out", join(base, "y"), "--api-base", s.url], { X_BEARER_TOKEN: token });
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.match(/HTTP 401\): set X_BEARER_TOKEN/);
    for (const text of [ok.stdout, ok.stderr, refused.stdout, refused.stderr, everyFile(base)]) expect(text).to.not.include(token);
    expect(existsSync(join(out, `${SAMPLE_POSTS[0]}.liking_users.ndjson`))).to.equal(true);
  });

  it("progress: plain lines without a terminal; on a terminal also a status line rewritten in place", function () {
    const run = (isTTY: boolean) => {
      let text = "";
      const stream = { isTTY, write: (t: string) => ((text += t), true) } as unknown as NodeJS.WriteStream;
      const p = createCollectProgress(stream);
      p.onEvent({ kind: "request", request: "/2/tweets/1/liking_users?max_results=100" });
      p.onEvent({ kind: "rate-limited", request: "/2/tweets/1/liking_users?max_results=100", resumeAt: Date.parse("2025-01-13T00:15:00Z"), waitMs: 2500 });
      p.onEvent({ kind: "post", tweetId: "1", done: 1, total: 2, pages: { liking_users: 1, replies: 3 } });
      p.stop();
      return text;
    };
    expect(run(false)).to.equal(
      "rate limited on /2/tweets/1/liking_users: waiting 2.5 s, resuming at 2025-01-13T00:15:00Z\npost 1 done (1/2): liking_users 1 page, replies 3 pages\n",
    );
    const tty = run(true);
    expect(tty).to.include("\r\x1b[Kcollect: 1 requests, 0 pages, 0 waits · /2/tweets/1/liking_users");
    expect(tty).to.include("rate limited on /2/tweets/1/liking_users: waiting 2.5 s");
    expect(tty.endsWith("\r\x1b[K"), "the status line is cleared at the end").to.equal(true);
  });

  it("refuses to run without X_BEARER_TOKEN, with --every but no --until, or a bad collect.json (file, line, field)", async function () {
    const base = tmpDir();
    const inProcess = async (args: string[], token: string | undefined) => {
      const lines: string[] = [];
      const saved = process.env.X_BEARER_TOKEN;
      if (token === undefined) delete process.env.X_BEARER_TOKEN;
      else process.env.X_BEARER_TOKEN = token;
      try {
        const code = await main(["collect", ...args], { out: (l) => lines.push(l), err: (l) => lines.push(l), connect: () => Promise.reject(new Error("no chain")) });
        return { code, text: lines.join("\n") };
      } finally {
        if (saved === undefined) delete process.env.X_BEARER_TOKEN;
        else process.env.X_BEARER_TOKEN = saved;
      }
    };
    const none = await inProcess([collectConfig(base), "--out", join(base, "x")], undefined);
    expect(none.code).to.equal(1);
    expect(none.text).to.match(/X_BEARER_TOKEN is not set/);
    const every = await inProcess([collectConfig(base), "--out", join(base, "x"), "--every", "15m"], "t");
    expect(every.text).to.match(/--every and --until go together/);
    const badEvery = await inProcess([collectConfig(base), "--out", join(base, "x"), "--every", "soon"], "t");
    expect(badEvery.text).to.match(/expected a duration such as 15m/);
    const past = await inProcess([collectConfig(base), "--out", join(base, "p"), "--every", "15m", "--until", "2020-01-01T00:00:00Z", "--api-base", "http://127.0.0.1:9"], "t");
    expect(past.text).to.match(/--until 2020-01-01T00:00:00.000Z is in the past/);
    const badBase = await inProcess([collectConfig(base), "--out", join(base, "x"), "--api-base", "https://api.x.com/2"], "t");
    expect(badBase.text).to.match(/origin without a path/);
    mkdirSync(join(base, "bad"));
    writeFileSync(join(base, "bad", "collect.json"), '{\n  "posts": ["1"],\n  "period": {"start": "2025-01-06T00:00:00Z", "end": "2025-01-13T00:00:00Z"},\n  "endpoints": ["likes"]\n}\n');
    const bad = await inProcess([join(base, "bad", "collect.json"), "--out", join(base, "x")], "t");
    expect(bad.code).to.equal(1);
    expect(bad.text).to.match(/collect\.json:4 field "endpoints\.0"/);
    expect(existsSync(join(base, "x"))).to.equal(false, "nothing written");
  });
});
