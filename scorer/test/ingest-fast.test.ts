/**
 * The fast NDJSON path (byte splitter + byte scanner + byte-interned ids) must read exactly what the
 * JSON.parse path reads, and every bad row must still be named by file, line and field, up to 20 at once.
 */
import { expect } from "chai";
import fc from "fast-check";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { engagementTable, ENGAGEMENT_TYPES, type Engagement } from "../src/engagements";
import { InputError, InputErrors, ScorerError } from "../src/errors";
import { ingestEngagements } from "../src/ingest";
import { forEachLine } from "../src/ingest/byte-lines";
import { newFastRow, parseEngagementLine } from "../src/ingest/ndjson-fast";
import { formatIsoTime } from "../src/time";
import { tmpDir } from "./helpers";

const idArb = fc.oneof(
  fc.bigInt(1n, 10n ** 19n).map(String),
  fc.constantFrom("alice", "bob", "p1", "p2", "ünïcode", "a\\b", "x\u00e9y", "q'uote"),
);
const rowArb: fc.Arbitrary<Engagement> = fc.record({
  id: idArb,
  type: fc.constantFrom(...ENGAGEMENT_TYPES),
  contentId: fc.constantFrom("c1", "c2", "1876000000000000001", "cönt"),
  contentAuthorId: fc.constant("x"), // fixed below: one author per content
  userId: idArb,
  time: fc.integer({ min: Date.parse("2024-12-30T00:00:00Z"), max: Date.parse("2025-03-01T00:00:00Z") }),
});

/** One row as text in one of several spellings: compact, spaced, reordered, with extras, escaped, offset time. */
function render(e: Engagement, style: number): string {
  const ts = formatIsoTime(e.time);
  const fields: [string, unknown][] = [
    ["id", e.id],
    ["type", e.type],
    ["contentId", e.contentId],
    ["contentAuthorId", e.contentAuthorId],
    ["userId", e.userId],
    ["timestamp", style === 4 ? ts.replace(".000Z", "Z") : style === 5 ? ts.replace("Z", "+00:00") : ts],
  ];
  if (style === 1) return `  { ${fields.map(([k, v]) => `"${k}" : ${JSON.stringify(v)}`).join(" ,\t")} }  `;
  if (style === 2) return JSON.stringify(Object.fromEntries([["extra", { nested: [1] }], ...fields.reverse()]));
  if (style === 3) return JSON.stringify(Object.fromEntries(fields)).replace(/"type":"(\w+)"/, (_, t: string) => `"type":"\\u00${t.charCodeAt(0).toString(16)}${t.slice(1)}"`);
  return JSON.stringify(Object.fromEntries(fields));
}

const authorOf = (c: string) => `author-${c}`;

describe("ingest fast path", () => {
  it("reads the same table as the JSON.parse path for any mix of spellings, line endings and byte-order mark", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(rowArb, fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 40 }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        fc.boolean(),
        async (items, eol, bom, blankLines) => {
          const rows = items.map(([r]) => ({ ...r, contentAuthorId: authorOf(r.contentId) }));
          const lines = items.map(([, style], i) => render(rows[i], style));
          const text = (bom ? "\ufeff" : "") + lines.join(blankLines ? `${eol}${eol}  ${eol}` : eol);
          const dir = tmpDir();
          const file = join(dir, "e.ndjson");
          writeFileSync(file, text);
          const got = await ingestEngagements([file]);
          const want = engagementTable(rows);
          expect({ ...got, userIndex: undefined }).to.deep.equal({ ...want, userIndex: undefined });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("parses the common shape without falling back, and declines what it does not know", () => {
    const ok = Buffer.from('{"id":"1","type":"like","contentId":"c","contentAuthorId":"a","userId":"u","timestamp":"2025-01-06T10:00:00.123Z"}');
    const row = newFastRow();
    expect(parseEngagementLine(ok, 0, ok.length, row)).to.equal(true);
    expect(row.time).to.equal(Date.parse("2025-01-06T10:00:00.123Z"));
    expect(row.type).to.equal(ENGAGEMENT_TYPES.indexOf("like"));
    for (const bad of [
      '{"id":1,"type":"like","contentId":"c","contentAuthorId":"a","userId":"u","timestamp":"2025-01-06T10:00:00Z"}',
      '{"id":"1","id":"2","type":"like","contentId":"c","contentAuthorId":"a","userId":"u","timestamp":"2025-01-06T10:00:00Z"}',
      '{"id":"1","type":"love","contentId":"c","contentAuthorId":"a","userId":"u","timestamp":"2025-01-06T10:00:00Z"}',
      '{"id":"1","type":"like","contentId":"c","contentAuthorId":"a","userId":"u","timestamp":"2025-02-30T10:00:00Z"}',
      '{"id":"1","type":"like","contentId":"c","contentAuthorId":"a","userId":"u","timestamp":"2025-01-06T10:00:00"}',
      '{"id":"1","type":"like","contentId":"c","contentAuthorId":"a","userId":"u"}',
      '{"id":"a b","type":"like","contentId":"c","contentAuthorId":"a","userId":"u","timestamp":"2025-01-06T10:00:00Z"}',
      '{"id":"1","type":"like","contentId":"c","contentAuthorId":"a","userId":"u","timestamp":"2025-01-06T10:00:00Z"} x',
    ]) {
      const b = Buffer.from(bad);
      expect(parseEngagementLine(b, 0, b.length, newFastRow()), bad).to.equal(false);
    }
  });

  it("splits lines across chunk boundaries and grows the buffer for a line longer than a chunk", async () => {
    const dir = tmpDir();
    const file = join(dir, "long.txt");
    const long = "x".repeat(9 << 20);
    writeFileSync(file, `a\r\n${long}\nb\n\nc`);
    const got: string[] = [];
    await forEachLine(file, (buf, s, e, line) => got.push(`${line}:${e - s > 100 ? `long${e - s}` : buf.toString("utf8", s, e)}`));
    expect(got).to.deep.equal(["1:a", `2:long${long.length}`, "3:b", "4:", "5:c"]);
  });
});

describe("ingest errors", () => {
  const good = (i: number) => JSON.stringify({ id: String(i), type: "like", contentId: "c", contentAuthorId: "a", userId: "u", timestamp: "2025-01-06T10:00:00Z" });

  it("reports every bad row (up to 20) each with file:line field, across files", async () => {
    const dir = tmpDir();
    const lines = Array.from({ length: 10 }, (_, i) => good(i));
    lines[2] = lines[2].replace('"like"', '"love"');
    lines[5] = lines[5].replace('"2025-01-06T10:00:00Z"', '"2025-01-06T10:00:00"');
    lines[7] = lines[7].replace('"userId":"u"', '"userId":42');
    writeFileSync(join(dir, "a.ndjson"), lines.join("\n"));
    writeFileSync(join(dir, "b.csv"), "id,type,contentId,contentAuthorId,userId,timestamp\nz1,like,c,OTHER,u,2025-01-06T10:00:00Z\n");
    let caught: unknown;
    await ingestEngagements([join(dir, "a.ndjson"), join(dir, "b.csv")]).catch((e) => (caught = e));
    expect(caught).to.be.instanceOf(InputErrors);
    const e = caught as InputErrors;
    expect(e.errors.map((x) => [x.file.split("/").pop(), x.line, x.field])).to.deep.equal([
      ["a.ndjson", 3, "type"],
      ["a.ndjson", 6, "timestamp"],
      ["a.ndjson", 8, "userId"],
      ["b.csv", 2, "contentAuthorId"],
    ]);
    expect(e.truncated).to.equal(false);
    const msg = e.message;
    expect(msg).to.match(/a\.ndjson:3 field "type"/);
    expect(msg).to.match(/a\.ndjson:6 field "timestamp": .*zone/);
    expect(msg).to.match(/a\.ndjson:8 field "userId"/);
    expect(msg).to.match(/b\.csv:2 field "contentAuthorId"/);
    expect(msg).to.match(/4 bad rows/);
  });

  it("stops at 20 bad rows and says there may be more", async () => {
    const dir = tmpDir();
    const lines = Array.from({ length: 30 }, (_, i) => good(i).replace('"like"', '"love"'));
    writeFileSync(join(dir, "a.ndjson"), lines.join("\n"));
    let caught: unknown;
    await ingestEngagements([join(dir, "a.ndjson")]).catch((e) => (caught = e));
    const e = caught as InputErrors;
    expect(e.errors).to.have.length(20);
    expect(e.errors.map((x) => x.line)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(e.truncated).to.equal(true);
    expect(e.message).to.match(/stopped at 20; there may be more/);
  });

  it("one bad row is a plain InputError, as before", async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, "a.ndjson"), `${good(1)}\n{"id":"2"`);
    let caught: unknown;
    await ingestEngagements([join(dir, "a.ndjson")]).catch((e) => (caught = e));
    expect(caught).to.be.instanceOf(InputError).and.not.instanceOf(InputErrors);
    expect((caught as InputError).line).to.equal(2);
  });

  it("names a missing file, a directory and a file with 0 engagements", async () => {
    const dir = tmpDir();
    mkdirSync(join(dir, "folder"));
    writeFileSync(join(dir, "empty.ndjson"), "\n  \n");
    writeFileSync(join(dir, "header.csv"), "id,type,contentId,contentAuthorId,userId,timestamp\n");
    const msg = async (p: string) => {
      const e = await ingestEngagements([join(dir, p)]).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).to.be.instanceOf(ScorerError);
      return (e as Error).message;
    };
    expect(await msg("nope.ndjson")).to.equal(`file not found: ${join(dir, "nope.ndjson")}`);
    expect(await msg("folder")).to.match(new RegExp(`^${join(dir, "folder")} is a directory`));
    expect(await msg("empty.ndjson")).to.match(new RegExp(`^0 engagements read from ${join(dir, "empty.ndjson")}`));
    expect(await msg("header.csv")).to.match(new RegExp(`^0 engagements read from ${join(dir, "header.csv")}`));
  });
});
