/**
 * Generates the demo data in data/sample/ deterministically (seeded PRNG): participants, engagement
 * files (NDJSON + CSV, week 1 and week 2), X API v2 page files for a few posts, and campaign configs.
 *
 *   npx ts-node --transpile-only scorer/sample/make-sample-data.ts [outDir]
 *
 * The first 12 registered participants own Hardhat's default accounts #4..#15 (mnemonic "test test
 * ... junk"), so the demo can sign claims with them; the other addresses are random but checksummed.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { getAddress, hexlify, HDNodeWallet } from "ethers";

const OUT = resolve(process.argv[2] ?? join(__dirname, "../../data/sample"));
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const DAY = 86_400_000;
const WEEK1 = Date.parse("2025-01-06T00:00:00Z");
const WEEK2 = WEEK1 + 7 * DAY;
const END = WEEK2 + 7 * DAY;
const X_EPOCH = 1288834974657n; // Twitter snowflake epoch

// mulberry32: small, fast, and the same on every machine.
let seed = 20250106;
function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n: number) => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
function weighted<T>(items: readonly [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [v, w] of items) if ((x -= w) < 0) return v;
  return items[items.length - 1][0];
}

let seq = 0n;
/** An X-style snowflake id for a time: increasing with time, unique. */
function snowflake(ms: number): string {
  seq = (seq + 1n) & 0xfffn;
  return (((BigInt(ms) - X_EPOCH) << 22n) | (BigInt(int(32)) << 12n) | seq).toString();
}
function userId(): string {
  return (10n ** 17n + BigInt(int(2 ** 30)) * 2n ** 26n + BigInt(int(2 ** 26))).toString();
}
const iso = (ms: number) => new Date(ms).toISOString();

const ADJ = ["crypto", "based", "onchain", "degen", "alpha", "moon", "stack", "hodl", "gm", "defi", "zk", "layer"];
const NOUN = ["hunter", "maxi", "builder", "whale", "ape", "dev", "anon", "wizard", "frog", "cat", "fox", "owl"];

interface User {
  id: string;
  handle: string;
  address?: string;
}

// ---------------------------------------------------------------------------------------------
// People: 40 registered (12 Hardhat accounts first), 800 unregistered engagers, 30 unregistered authors.
const used = new Set<string>();
function handle(): string {
  for (;;) {
    const h = `${pick(ADJ)}_${pick(NOUN)}${int(100)}`;
    if (h.length <= 15 && !used.has(h)) {
      used.add(h);
      return h;
    }
  }
}
const registered: User[] = [];
for (let i = 0; i < 40; i++) {
  const address =
    i < 12
      ? HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, `m/44'/60'/0'/0/${i + 4}`).address
      : getAddress(hexlify(Uint8Array.from({ length: 20 }, () => int(256))));
  registered.push({ id: userId(), handle: handle(), address });
}
const lurkers: User[] = Array.from({ length: 800 }, () => ({ id: userId(), handle: handle() }));
const outsideAuthors: User[] = Array.from({ length: 30 }, () => ({ id: userId(), handle: handle() }));

// ---------------------------------------------------------------------------------------------
// Posts: 320 over the two weeks, 70% by registered creators; post 0 goes viral.
interface Post {
  id: string;
  author: User;
  created: number;
  popularity: number;
}
const posts: Post[] = [];
for (let i = 0; i < 320; i++) {
  const author = rnd() < 0.7 ? pick(registered) : pick(outsideAuthors);
  const created = WEEK1 - 2 * DAY + int(15 * DAY); // a few posts predate the campaign
  posts.push({ id: "", author, created, popularity: 1 / (1 + i) ** 0.9 });
}
posts.sort((a, b) => a.created - b.created);
for (const p of posts) p.id = snowflake(p.created);
const viral = posts.find((p) => p.created >= WEEK1 && p.created < WEEK1 + DAY && registered.includes(p.author))!;
viral.popularity = 6;

interface Row {
  id: string;
  type: string;
  contentId: string;
  contentAuthorId: string;
  userId: string;
  timestamp: string;
  t: number;
}
const TYPES: [string, number][] = [
  ["like", 55],
  ["view", 20],
  ["retweet", 10],
  ["comment", 10],
  ["quote", 5],
];

function engagement(p: Post, who: User, type: string, t: number): Row {
  return { id: snowflake(t), type, contentId: p.id, contentAuthorId: p.author.id, userId: who.id, timestamp: iso(t), t };
}

/** Engagements of one week: popularity-weighted posts, mostly soon after they appear. */
function week(from: number, to: number, count: number): Row[] {
  const live = posts.filter((p) => p.created < to);
  const weights: [Post, number][] = live.map((p) => [p, p.popularity * (p.created >= from - DAY ? 1 : 0.3)]);
  const rows: Row[] = [];
  for (let k = 0; k < count; k++) {
    const p = weighted(weights);
    const who = rnd() < 0.4 ? pick(registered) : pick(lurkers);
    const start = Math.max(p.created, from);
    const t = Math.min(to - 1, start + Math.floor(-Math.log(1 - rnd()) * 1.5 * DAY));
    rows.push(engagement(p, who, weighted(TYPES), t));
  }
  // Every registered participant is active at least every third day (so model B's decay stays at 1
  // and channel scores grow from week to week).
  for (const u of registered) {
    for (let d = from; d < to; d += 3 * DAY) {
      const t = d + int(3 * DAY);
      if (t >= to) continue;
      const p = pick(live.filter((q) => q.created <= t));
      rows.push(engagement(p, u, weighted(TYPES.filter(([ty]) => ty !== "view")), t));
    }
  }
  // A few exact repeats (same user, content, type): counted once.
  for (let k = 0; k < 25; k++) {
    const r = rows[int(rows.length)];
    const t = Math.min(to - 1, r.t + int(DAY));
    rows.push({ ...r, id: snowflake(t), timestamp: iso(t), t });
  }
  return rows.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
}

const week1 = week(WEEK1, WEEK2, 5200);
const week2 = week(WEEK2, END, 2600);

// ---------------------------------------------------------------------------------------------
// X API v2 pages for three posts of week 1 that have no rows in the files above.
const xPosts: Post[] = [];
for (let i = 0; i < 3; i++) {
  const created = WEEK1 + (1 + i) * DAY + int(DAY / 2);
  const p: Post = { id: snowflake(created), author: registered[i * 5 + 1], created, popularity: 0 };
  xPosts.push(p);
}
const fetchedAt = WEEK2; // fetched when week 1 ended

function userObject(u: User) {
  return { id: u.id, name: u.handle.replace(/_/g, " "), username: u.handle };
}
function pagesOf<T>(items: T[], size: number): { data?: T[]; meta: Record<string, unknown> }[] {
  const out: { data?: T[]; meta: Record<string, unknown> }[] = [];
  for (let i = 0; i < items.length || out.length === 0; i += size) {
    const data = items.slice(i, i + size);
    const meta: Record<string, unknown> = { result_count: data.length };
    if (i + size < items.length) meta.next_token = `7140dibdnow9c7btw${(i / size + 1).toString(36)}${int(1e9).toString(36)}`;
    if (i > 0) meta.previous_token = `77qp8${int(1e9).toString(36)}`;
    out.push(data.length ? { data, meta } : { meta });
  }
  return out;
}
function sample<T>(xs: readonly T[], n: number): T[] {
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}
function tweet(p: Post, u: User, t: number, text: string, reply: boolean) {
  return {
    id: snowflake(t),
    text,
    author_id: u.id,
    created_at: iso(t),
    conversation_id: reply ? p.id : undefined,
    edit_history_tweet_ids: undefined as string[] | undefined,
    referenced_tweets: [{ type: reply ? "replied_to" : "quoted", id: p.id }],
  };
}
const xFiles: Record<string, string> = {};
xPosts.forEach((p, k) => {
  const everyone = [...registered, ...lurkers];
  const header = (endpoint: string) =>
    JSON.stringify({ format: "like2earn-xapi-v1", endpoint, tweetId: p.id, tweetAuthorId: p.author.id, tweetCreatedAt: iso(p.created), fetchedAt: iso(fetchedAt) });
  const lines = (endpoint: string, pages: unknown[]) => [header(endpoint), ...pages.map((x) => JSON.stringify(x))].join("\n") + "\n";
  // liking_users / retweeted_by: newest first, 100 a page.
  xFiles[`${p.id}.liking_users.ndjson`] = lines("liking_users", pagesOf(sample(everyone, 120 + 60 * k).map(userObject), 100));
  xFiles[`${p.id}.retweeted_by.ndjson`] = lines("retweeted_by", pagesOf(sample(everyone, 15 + 10 * k).map(userObject), 100));
  const times = (n: number) => Array.from({ length: n }, () => Math.min(fetchedAt - 1, p.created + int(3 * DAY))).sort((a, b) => b - a);
  const quotes = times(4 + 2 * k).map((t) => {
    const tw = tweet(p, pick(everyone), t, `this 👆 ${pick(NOUN)}`, false);
    delete tw.conversation_id;
    delete tw.edit_history_tweet_ids;
    return tw;
  });
  xFiles[`${p.id}.quote_tweets.ndjson`] = lines("quote_tweets", pagesOf(quotes, 10));
  const replies = times(10 + 5 * k).map((t) => {
    const tw = tweet(p, pick(everyone), t, `@${p.author.handle} ${pick(ADJ)} take`, true);
    delete tw.edit_history_tweet_ids;
    return tw;
  });
  const replyPages = pagesOf(replies, 10).map((pg) => ({
    ...pg,
    meta: { newest_id: pg.data?.[0]?.id, oldest_id: pg.data?.[pg.data.length - 1]?.id, ...pg.meta },
  }));
  xFiles[`${p.id}.replies.ndjson`] = lines("replies", replyPages);
});

// ---------------------------------------------------------------------------------------------
// Write.
rmSync(OUT, { recursive: true, force: true });
mkdirSync(join(OUT, "xapi"), { recursive: true });
const ndjson = (rows: Row[]) => rows.map(({ t: _t, ...r }) => JSON.stringify(r)).join("\n") + "\n";
const csv = (rows: Row[]) =>
  "id,type,contentId,contentAuthorId,userId,timestamp\n" + rows.map((r) => [r.id, r.type, r.contentId, r.contentAuthorId, r.userId, r.timestamp].join(",")).join("\n") + "\n";
// Week 1 is split: the first 60% of its rows in NDJSON, the rest in CSV.
const cut = Math.floor(week1.length * 0.6);
writeFileSync(join(OUT, "engagements.ndjson"), ndjson(week1.slice(0, cut)));
writeFileSync(join(OUT, "engagements.csv"), csv(week1.slice(cut)));
writeFileSync(join(OUT, "engagements-week2.ndjson"), ndjson(week2));
for (const [name, text] of Object.entries(xFiles)) writeFileSync(join(OUT, "xapi", name), text);
writeFileSync(join(OUT, "participants.csv"), "userId,handle,address\n" + registered.map((u) => `${u.id},${u.handle},${u.address}`).join("\n") + "\n");

const eventConfig = {
  kind: "event",
  campaignId: "1",
  model: "like2earn",
  period: { start: iso(WEEK1), end: iso(WEEK2) },
  types: ["like", "retweet", "quote", "comment"],
  pot: "10000000000000000000",
  snapshotBlock: "latest",
  stake: "at-snapshot",
  like2earn: {
    r: "3",
    curve: "cutoff",
    kCreator: "0.5",
    kUser: {
      tiers: [
        { min: "0", k: "1" },
        { min: "1000000000000000000", k: "1.2" },
        { min: "10000000000000000000", k: "1.5" },
      ],
    },
  },
};
const channelConfig = (epoch: number, end: number) => ({
  kind: "channel",
  campaignId: "1",
  model: "social-ai",
  epoch,
  period: { start: iso(WEEK1), end: iso(end) },
  types: ["like", "retweet", "quote", "comment"],
  snapshotBlock: "latest",
  stake: "at-snapshot",
  socialAi: { wU: "1", wC: "3", wS: "2", alpha: "1", beta: "1", kappa: "1" },
});
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
writeFileSync(join(OUT, "event.config.json"), json(eventConfig));
writeFileSync(join(OUT, "channel.config.json"), json(channelConfig(1, WEEK2)));
writeFileSync(join(OUT, "channel-epoch2.config.json"), json(channelConfig(2, END)));
writeFileSync(
  join(OUT, "README.md"),
  `# Sample data (generated)

Generated by \`scorer/sample/make-sample-data.ts\` (seeded: the same files on every run). Do not edit by hand.

- \`participants.csv\`: ${registered.length} registered X accounts; the first 12 own Hardhat accounts #4..#15.
- \`engagements.ndjson\` + \`engagements.csv\`: week 1 (${iso(WEEK1)} .. ${iso(WEEK2)}), ${week1.length} rows;
  \`engagements-week2.ndjson\`: week 2, ${week2.length} rows. Includes views (not counted by the configs), engagers
  who are not registered, posts by unregistered authors, a viral post past the soft cap, and repeated engagements.
- \`xapi/\`: X API v2 page files (liking_users, retweeted_by, quote_tweets, replies) for 3 more week-1 posts.
- \`event.config.json\`: event 1, model like2earn, pot 10 ETH, week 1.
- \`channel.config.json\` / \`channel-epoch2.config.json\`: channel 1, model social-ai, epochs 1 (week 1) and 2 (weeks 1+2).
- The configs take the chain's latest block and the stake at it (\`"snapshotBlock": "latest"\`,
  \`"stake": "at-snapshot"\`): the sample period is in January 2025 while the demo's chain runs on today's
  clock, so the defaults (the block at the period end, the stake averaged over the period) would find no
  block and no stake in that period.

    npm run scorer -- score data/sample/event.config.json \\
      --engagements data/sample/engagements.ndjson data/sample/engagements.csv data/sample/xapi/*.ndjson \\
      --participants data/sample/participants.csv --rpc http://127.0.0.1:8545 --out out/event-1
`,
);
console.log(`wrote ${OUT}: ${week1.length} + ${week2.length} rows, ${Object.keys(xFiles).length} X API files`);
