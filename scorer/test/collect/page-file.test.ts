/**
 * Page files v1 and v2 (scorer/src/format/page-file.ts, read by scorer/src/ingest/xapi.ts): v1 keeps loading
 * as before, a single-poll v2 file reads exactly like v1, poll windows order likes by when they were first
 * seen (property), and bad v2 files are refused naming file, line and field.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { pageFileHeaderLineV2, pageFileLineV2 } from "../../src/format/page-file";
import { ingestEngagements } from "../../src/ingest";
import { prepareEngagements } from "../../src/prepare";
import { expectInputError, writeFiles } from "../helpers";
import { SAMPLE_XAPI, scoreFiles } from "./fixtures";

const PERIOD = { start: Date.parse("2025-01-06T00:00:00Z"), end: Date.parse("2025-01-13T00:00:00Z") };
const CREATED = "2025-01-06T01:00:00.000Z";
const iso = (ms: number) => new Date(ms).toISOString();

/** A v1 file rewritten as the collector writes a single-poll v2 file. */
function toV2(v1: string): string {
  const [head, ...pages] = v1.trim().split("\n");
  const h = JSON.parse(head);
  return [pageFileHeaderLineV2({ ...h, polls: [h.fetchedAt] }), ...pages.map((p) => pageFileLineV2(0, p))].join("\n") + "\n";
}

function likersFile(polls: number[], listings: string[][], pageSize: number, metrics?: Record<string, number>): string {
  const lines = [pageFileHeaderLineV2({ endpoint: "liking_users", tweetId: "777", tweetAuthorId: "1", tweetCreatedAt: CREATED, fetchedAt: iso(polls[0]), polls: polls.map(iso), publicMetrics: metrics })];
  listings.forEach((users, k) => {
    const pages = Math.max(1, Math.ceil(users.length / pageSize));
    for (let p = 0; p < pages; p++) {
      const data = users.slice(p * pageSize, (p + 1) * pageSize).map((id) => ({ id, name: `n${id}`, username: `u${id}` }));
      const meta = { result_count: data.length, ...(p < pages - 1 ? { next_token: `t${k}-${p}` } : {}) };
      lines.push(pageFileLineV2(k, JSON.stringify(data.length ? { data, meta } : { meta })));
    }
  });
  return lines.join("\n") + "\n";
}

describe("collect: page files v1 and v2", function () {
  it("a single-poll v2 file gives exactly the rows of the same pages as v1, hence the same root", async function () {
    const v2 = writeFiles(Object.fromEntries(SAMPLE_XAPI.map((f) => [f.split("/").pop()!, toV2(readFileSync(f, "utf8"))])));
    const files2 = SAMPLE_XAPI.map((f) => join(v2, f.split("/").pop()!));
    const [a, b] = [await ingestEngagements(SAMPLE_XAPI), await ingestEngagements(files2)];
    expect(b.id).to.deep.equal(a.id);
    expect(Array.from(b.time)).to.deep.equal(Array.from(a.time));
    expect(Array.from(b.untimed)).to.deep.equal(Array.from(a.untimed));
    expect((await scoreFiles(files2)).root).to.equal((await scoreFiles(SAMPLE_XAPI)).root);
  });

  it("orders likes by the poll that first listed them; each window's likes oldest first, inside the window (property)", async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 5 }), // arrivals per window
        fc.array(fc.integer({ min: 1, max: 6 * 3_600_000 }), { minLength: 5, maxLength: 5 }), // poll gaps
        fc.integer({ min: 1, max: 7 }), // page size
        async (arrivals, gaps, pageSize) => {
          const polls: number[] = [];
          let t = Date.parse(CREATED) + 3_600_000;
          for (let k = 0; k < arrivals.length; k++) polls.push((t += gaps[k]));
          let next = 100;
          const arrivalOrder: string[] = []; // oldest first
          const listings: string[][] = [];
          for (const n of arrivals) {
            for (let i = 0; i < n; i++) arrivalOrder.push(String(next++));
            listings.push([...arrivalOrder].reverse()); // each poll lists everyone so far, newest first
          }
          if (arrivalOrder.length === 0) return;
          const dir = writeFiles({ "777.liking_users.ndjson": likersFile(polls, listings, pageSize) });
          const table = await ingestEngagements([join(dir, "777.liking_users.ndjson")]);
          const prepared = prepareEngagements(table, { start: PERIOD.start, end: Date.parse("2026-01-01T00:00:00Z") }, ["like"]);
          const order = Array.from(prepared.order).map((row) => table.userIds[table.user[row]]);
          expect(order).to.deep.equal(arrivalOrder);
          let seen = 0;
          arrivals.forEach((n, k) => {
            for (let i = 0; i < n; i++) {
              const row = table.userIds.indexOf(arrivalOrder[seen++]);
              const r = Array.from(table.user).indexOf(row);
              const from = k === 0 ? Date.parse(CREATED) : polls[k - 1];
              expect(table.time[r]).to.be.greaterThan(from - 1).and.at.most(polls[k]);
              expect(table.untimed[r]).to.equal(k === 0 ? 1 : 0);
            }
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("adds like_count − listed unlisted engagers at the first positions; none when the count is not above", async function () {
    const p0 = Date.parse("2025-01-07T00:00:00Z");
    const dir = writeFiles({
      "a.ndjson": likersFile([p0], [["11", "12", "13"]], 10, { like_count: 5, retweet_count: 0 }),
      "b.ndjson": likersFile([p0], [["11", "12", "13"]], 10, { like_count: 2 }),
    });
    const a = await ingestEngagements([join(dir, "a.ndjson")]);
    expect(a.length).to.equal(5);
    const prepared = prepareEngagements(a, PERIOD, ["like"]);
    expect(Array.from(prepared.order).map((r) => a.id[r])).to.deep.equal([
      "x:liking_users:777:#unlisted:000000001",
      "x:liking_users:777:#unlisted:000000002",
      "x:liking_users:777:000000001",
      "x:liking_users:777:000000002",
      "x:liking_users:777:000000003",
    ]);
    const reported: unknown[] = [];
    const b = await ingestEngagements([join(dir, "b.ndjson")], { onUnlisted: (c) => reported.push(c) });
    expect(b.length).to.equal(3);
    expect(reported).to.deep.equal([{ file: join(dir, "b.ndjson"), tweetId: "777", endpoint: "liking_users", publicCount: 2, listed: 3, unlisted: 0, scored: false }]);
  });

  it("refuses bad v2 files naming file, line and field", async function () {
    const p = [Date.parse("2025-01-07T00:00:00Z"), Date.parse("2025-01-07T01:00:00Z")];
    const good = likersFile(p, [["11"], ["12", "11"]], 10);
    const [head, ...rest] = good.trim().split("\n");
    const h = JSON.parse(head);
    const cases: [string, number, string, RegExp][] = [
      [[JSON.stringify({ ...h, format: "like2earn-xapi-v3" }), ...rest].join("\n"), 1, "format", /"like2earn-xapi-v3" is not a page-file version this scorer reads/],
      [[JSON.stringify({ ...h, polls: [h.polls[1], h.polls[0]] }), ...rest].join("\n"), 1, "polls.0", /must equal fetchedAt/],
      [[JSON.stringify({ ...h, polls: [h.polls[0], h.polls[0]] }), ...rest].join("\n"), 1, "polls.1", /is not after polls.0/],
      [[JSON.stringify({ ...h, publicMetrics: { like_count: -1 } }), ...rest].join("\n"), 1, "publicMetrics.like_count", /-1 is not a count/],
      [[head, rest[0]].join("\n"), 1, "polls", /the header lists 2 polls but the file has pages of 1/],
      [[head, rest[1], rest[0]].join("\n"), 2, "poll", /the first page line must be of poll 0/],
      [[head, rest[0], rest[1].replace('"poll":1', '"poll":2')].join("\n"), 3, "poll", /2 is not a poll of the header/],
      [[head, rest[0], rest[1].replace('"page":', '"pgae":')].join("\n"), 3, "pgae", /unknown field/],
      [[head, rest[0], rest[1].replace('"result_count":2', '"result_count":3')].join("\n"), 3, "page.meta.result_count", /is 3 but data has 2 items/],
    ];
    for (const [text, line, field, problem] of cases) {
      const dir = writeFiles({ "f.ndjson": text + "\n" });
      const file = join(dir, "f.ndjson");
      await expectInputError(() => ingestEngagements([file]), file, line, field, problem);
    }
  });
});
