import { expect } from "chai";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { chainDataFromMaps } from "../src/chain-data";
import { EngagementTableBuilder, ENGAGEMENT_TYPES } from "../src/engagements";
import { ingestEngagements, ingestFile } from "../src/ingest";
import { readParticipants } from "../src/ingest/participants";
import { runScore } from "../src/run";
import { expectInputError, snapshotDir, writeFiles } from "./helpers";

const HH4 = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const HH5 = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

const CONFIG = JSON.stringify(
  {
    kind: "event",
    campaignId: "1",
    model: "like2earn",
    period: { start: "2025-01-06T00:00:00Z", end: "2025-01-13T00:00:00Z" },
    types: ["like", "comment"],
    pot: "1000000",
  },
  null,
  2,
);
const PARTICIPANTS = `userId,handle,address\n100,alice,${HH4}\n200,bob,${HH5}\n`;
const NDJSON = [
  { id: "1", type: "like", contentId: "p1", contentAuthorId: "100", userId: "200", timestamp: "2025-01-06T10:00:00Z" },
  { id: "2", type: "comment", contentId: "p1", contentAuthorId: "100", userId: "300", timestamp: "2025-01-06T11:00:00Z" },
]
  .map((r) => JSON.stringify(r))
  .join("\n");

/** Runs `score` on the files, expecting an InputError; checks that --out is untouched. */
async function expectRejected(files: Record<string, string>, engagementFiles: string[], file: string, line: number, field: string, problem?: RegExp) {
  const dir = writeFiles({ "config.json": CONFIG, "participants.csv": PARTICIPANTS, "e.ndjson": NDJSON, "out/keep.txt": "previous output", ...files });
  const out = join(dir, "out");
  const before = snapshotDir(out);
  await expectInputError(
    () =>
      runScore({
        configPath: join(dir, "config.json"),
        engagementPaths: engagementFiles.map((f) => join(dir, f)),
        participantsPath: join(dir, files["participants.json"] ? "participants.json" : "participants.csv"),
        outDir: out,
        chain: { data: chainDataFromMaps({}) },
      }),
    file,
    line,
    field,
    problem,
  );
  expect(snapshotDir(out)).to.deep.equal(before);
  expect(readdirSync(dirname(out)).filter((n) => n.includes(".tmp-") || n.includes(".old-"))).to.deep.equal([]);
}

describe("bad inputs: each names file, line and field, and --out stays untouched", () => {
  it("a date that is not ISO 8601", async () => {
    const bad = NDJSON + `\n{"id":"3","type":"like","contentId":"p1","contentAuthorId":"100","userId":"300","timestamp":"2024-13-01"}`;
    await expectRejected({ "e.ndjson": bad }, ["e.ndjson"], "e.ndjson", 3, "timestamp", /"2024-13-01" is not an ISO 8601 date-time/);
  });

  it("an unknown engagement type", async () => {
    const csv = "id,type,contentId,contentAuthorId,userId,timestamp\n1,like,p1,100,200,2025-01-06T10:00:00Z\n2,share,p1,100,200,2025-01-06T10:00:00Z\n";
    await expectRejected({ "e.csv": csv }, ["e.ndjson", "e.csv"], "e.csv", 3, "type", /"share" is not an engagement type; expected one of view, like/);
  });

  it("a missing field", async () => {
    const bad = `{"id":"1","type":"like","contentId":"p1","contentAuthorId":"100","timestamp":"2025-01-06T10:00:00Z"}`;
    await expectRejected({ "e.ndjson": bad }, ["e.ndjson"], "e.ndjson", 1, "userId", /missing/);
  });

  it("an X id given as a JSON number (would lose digits)", async () => {
    const bad = `{"id":"1","type":"like","contentId":"p1","contentAuthorId":"100","userId":1876064268298761846,"timestamp":"2025-01-06T10:00:00Z"}`;
    await expectRejected({ "e.ndjson": bad }, ["e.ndjson"], "e.ndjson", 1, "userId", /give X ids as strings/);
  });

  it("a CSV row with the wrong number of columns", async () => {
    const csv = "id,type,contentId,contentAuthorId,userId,timestamp\n1,like,p1,100,200,2025-01-06T10:00:00Z\n2,like,p1,100,2025-01-06T10:00:00Z\n";
    await expectRejected({ "e.csv": csv }, ["e.csv"], "e.csv", 3, "timestamp", /row has 5 columns, the header has 6/);
  });

  it("a CSV header that lacks a column", async () => {
    await expectRejected({ "e.csv": "id,type,contentId,userId,timestamp\n" }, ["e.csv"], "e.csv", 1, "contentAuthorId", /missing column/);
  });

  it("a content with two authors", async () => {
    const bad = NDJSON + `\n{"id":"3","type":"like","contentId":"p1","contentAuthorId":"999","userId":"300","timestamp":"2025-01-06T12:00:00Z"}`;
    await expectRejected({ "e.ndjson": bad }, ["e.ndjson"], "e.ndjson", 3, "contentAuthorId", /has author "999" here but "100" at .*e.ndjson:1/);
  });

  it("a line that is not JSON", async () => {
    await expectRejected({ "e.ndjson": NDJSON + "\n{oops" }, ["e.ndjson"], "e.ndjson", 3, "(row)", /not valid JSON/);
  });

  it("an address with a bad EIP-55 checksum", async () => {
    const bad = HH5.replace("d", "D");
    await expectRejected({ "participants.csv": `userId,handle,address\n100,alice,${HH4}\n200,bob,${bad}\n` }, ["e.ndjson"], "participants.csv", 3, "address", /bad EIP-55 checksum/);
  });

  it("one wallet for two X accounts", async () => {
    await expectRejected(
      { "participants.csv": `userId,handle,address\n100,alice,${HH4}\n200,bob,${HH4.toLowerCase()}\n` },
      ["e.ndjson"],
      "participants.csv",
      3,
      "address",
      /wallet 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65 is already registered to X account 100 \(line 2\)/,
    );
  });

  it("one X account with two wallets", async () => {
    await expectRejected(
      { "participants.csv": `userId,handle,address\n100,alice,${HH4}\n100,alice,${HH5}\n` },
      ["e.ndjson"],
      "participants.csv",
      3,
      "address",
      /X account 100 already has wallet 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65 \(line 2\)/,
    );
  });

  it("participants as JSON: the line of the bad field", async () => {
    const json = `[\n  { "userId": "100", "handle": "alice", "address": "${HH4}" },\n  {\n    "userId": "200",\n    "handle": "b ob",\n    "address": "${HH5}"\n  }\n]\n`;
    await expectRejected({ "participants.json": json }, ["e.ndjson"], "participants.json", 5, "handle", /not an X handle/);
  });

  it("a bad config field", async () => {
    // "10 ETH" is a pot now; a bare JSON number is refused (10 would be 10 wei), so is an unknown unit.
    const bad = CONFIG.replace('"pot": "1000000"', '"pot": 10');
    await expectRejected({ "config.json": bad }, ["e.ndjson"], "config.json", 13, "pot", /a JSON number is ambiguous for the pot/);
    const unit = CONFIG.replace('"pot": "1000000"', '"pot": "10 ETHER"');
    await expectRejected({ "config.json": unit }, ["e.ndjson"], "config.json", 13, "pot", /expected the pot as "12 ETH"/);
    const typo = CONFIG.replace('"types"', '"type"');
    await expectRejected({ "config.json": typo }, ["e.ndjson"], "config.json", 9, "type", /unknown field/);
  });

  it("a malformed X API page", async () => {
    const header = `{"format":"like2earn-xapi-v1","endpoint":"liking_users","tweetId":"555","tweetAuthorId":"100","tweetCreatedAt":"2025-01-06T09:00:00Z","fetchedAt":"2025-01-13T00:00:00Z"}`;
    const page1 = `{"data":[{"id":"200","name":"Bob","username":"bob"},{"id":"300","name":"C","username":"c"}],"meta":{"result_count":3}}`;
    await expectRejected({ "x.ndjson": `${header}\n${page1}\n` }, ["x.ndjson"], "x.ndjson", 2, "meta.result_count", /is 3 but data has 2 items/);
    const quotes = header.replace("liking_users", "quote_tweets");
    const page = `{"data":[{"id":"900","text":"hi","created_at":"2025-01-07T00:00:00Z"}],"meta":{"result_count":1}}`;
    await expectRejected({ "x.ndjson": `${quotes}\n${page}\n` }, ["x.ndjson"], "x.ndjson", 2, "data.0.author_id", /request tweet.fields=author_id/);
    const replies = header.replace("liking_users", "replies");
    const other = `{"data":[{"id":"901","text":"hi","author_id":"200","created_at":"2025-01-07T00:00:00Z","conversation_id":"777"}],"meta":{"result_count":1}}`;
    await expectRejected({ "x.ndjson": `${replies}\n${other}\n` }, ["x.ndjson"], "x.ndjson", 2, "data.0.conversation_id", /not the conversation of post 555/);
    const noToken = `{"data":[{"id":"200","name":"Bob","username":"bob"}],"meta":{"result_count":1}}`;
    await expectRejected({ "x.ndjson": `${header}\n${noToken}\n${noToken}\n` }, ["x.ndjson"], "x.ndjson", 3, "meta.next_token", /no meta.next_token, yet another page follows/);
    await expectRejected({ "x.ndjson": header.replace('"liking_users"', '"likes"') }, ["x.ndjson"], "x.ndjson", 1, "endpoint", /not a supported endpoint/);
  });
});

describe("ingest", () => {
  it("reads NDJSON, CSV and X API pages into one table", async () => {
    const header = (endpoint: string) =>
      JSON.stringify({ format: "like2earn-xapi-v1", endpoint, tweetId: "555", tweetAuthorId: "100", tweetCreatedAt: "2025-01-06T00:00:00Z", fetchedAt: "2025-01-06T10:00:00Z" });
    const likes = [
      header("liking_users"),
      // newest first: 400 liked last, 200 first.
      JSON.stringify({ data: [{ id: "400", name: "d", username: "d" }, { id: "300", name: "c", username: "c" }], meta: { result_count: 2, next_token: "abc" } }),
      JSON.stringify({ data: [{ id: "200", name: "b", username: "b" }], meta: { result_count: 1 } }),
    ].join("\n");
    const replies = [
      header("replies"),
      JSON.stringify({
        data: [
          { id: "556", text: "@a nice", author_id: "300", created_at: "2025-01-06T05:00:00.000Z", conversation_id: "555" },
          { id: "555", text: "the post itself", author_id: "100", created_at: "2025-01-06T00:00:00.000Z", conversation_id: "555" },
        ],
        meta: { result_count: 2, newest_id: "556", oldest_id: "555" },
      }),
    ].join("\n");
    const csv = "timestamp,id,type,contentId,contentAuthorId,userId\r\n2025-01-06T01:00:00+01:00,7,\"like\",p9,100,200\r\n";
    const dir = writeFiles({ "likes.ndjson": likes, "replies.ndjson": replies, "e.csv": csv, "e.ndjson": NDJSON });
    const t = await ingestEngagements(["likes.ndjson", "replies.ndjson", "e.csv", "e.ndjson"].map((f) => join(dir, f)));
    const rows = Array.from({ length: t.length }, (_, i) => [t.id[i], ENGAGEMENT_TYPES[t.type[i]], t.contentIds[t.content[i]], t.userIds[t.user[i]], new Date(t.time[i]).toISOString(), t.untimed[i]]);
    // Likes: oldest first, spread evenly over [created, fetched] = 10 h: at 2.5 h, 5 h, 7.5 h.
    expect(rows).to.deep.equal([
      ["x:liking_users:555:000000001", "like", "555", "200", "2025-01-06T02:30:00.000Z", 1],
      ["x:liking_users:555:000000002", "like", "555", "300", "2025-01-06T05:00:00.000Z", 1],
      ["x:liking_users:555:000000003", "like", "555", "400", "2025-01-06T07:30:00.000Z", 1],
      ["556", "comment", "555", "300", "2025-01-06T05:00:00.000Z", 0],
      ["7", "like", "p9", "200", "2025-01-06T00:00:00.000Z", 0],
      ["1", "like", "p1", "200", "2025-01-06T10:00:00.000Z", 0],
      ["2", "comment", "p1", "300", "2025-01-06T11:00:00.000Z", 0],
    ]);
  });

  it("reads the sample data", async () => {
    const root = join(__dirname, "../../data/sample");
    const b = new EngagementTableBuilder();
    expect(await ingestFile(b, join(root, "engagements.csv"))).to.equal("csv");
    const x = readdirSync(join(root, "xapi")).filter((f) => f.endsWith(".replies.ndjson"))[0];
    expect(await ingestFile(b, join(root, "xapi", x))).to.equal("xapi");
    expect(b.length).to.be.greaterThan(1000);
    expect(await readParticipants(join(root, "participants.csv"))).to.have.length(40);
  });
});
