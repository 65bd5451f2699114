/**
 * ByteInterner (scorer/src/ingest/byte-intern.ts) maps byte strings to ids the way a Map<string, number> does:
 * numeric keys (1–19 digits) are confirmed by length and two numbers, the rest byte by byte; both must be exact.
 */
import { expect } from "chai";
import fc from "fast-check";
import { ByteInterner } from "../src/ingest/byte-intern";

/** Interns `keys` in order, as ingest does (get, then set when new); returns the id of each key. */
function intern(keys: readonly string[]): number[] {
  const interner = new ByteInterner();
  const ids: number[] = [];
  let next = 0;
  for (const key of keys) {
    // Each key sits at an offset inside a larger buffer, as ids do inside an input line.
    const buf = Buffer.from(`{"x":"${key}"}`, "latin1");
    const s = 6;
    const e = s + Buffer.byteLength(key, "latin1");
    let id = interner.get(buf, s, e);
    if (id < 0) interner.set(buf, s, e, (id = next++));
    ids.push(id);
  }
  return ids;
}

/** What a Map<string, number> gives for the same sequence. */
function reference(keys: readonly string[]): number[] {
  const map = new Map<string, number>();
  return keys.map((k) => {
    if (!map.has(k)) map.set(k, map.size);
    return map.get(k)!;
  });
}

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
/** Keys that stress the numeric comparison: X-like ids, leading zeros, the 9/10 and 19/20 digit edges, shared tails. */
const key = fc.oneof(
  digits(1, 25),
  digits(18, 20),
  digits(8, 11),
  fc.tuple(digits(0, 10), fc.constantFrom("123456789", "000000000", "999999999")).map(([a, b]) => a + b),
  fc.string({ maxLength: 12 }).map((s) => s.replace(/[^\x20-\x7e]/g, "a")),
  fc.constantFrom("", "0", "00", "9999999999999999999", "09999999999999999999", "1e5", "-1", "١٢"),
);

/** FNV-1a, as the interner hashes keys. */
function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Pairs of distinct keys of one length with the same hash (found by the birthday bound), from `make(i)`. */
function collisions(make: (i: number) => string, wanted: number): [string, string][] {
  const seen = new Map<number, string>();
  const pairs: [string, string][] = [];
  for (let i = 0; pairs.length < wanted; i++) {
    const k = make(i);
    const h = fnv1a(k);
    const other = seen.get(h);
    if (other !== undefined) pairs.push([other, k]);
    else seen.set(h, k);
  }
  return pairs;
}

describe("ByteInterner", () => {
  it("gives each distinct key one id and equal keys the same id, as a Map does (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 300 }), fc.nat(), (keys, seed) => {
        // Repeat some keys so lookups of known keys happen often.
        const withRepeats = keys.flatMap((k, i) => (i % 3 === seed % 3 && keys.length > 0 ? [k, keys[(i * 7 + seed) % keys.length]] : [k]));
        expect(intern(withRepeats)).to.deep.equal(reference(withRepeats));
      }),
      { numRuns: 300 },
    );
  });

  it("tells apart numeric keys that differ only in length, leading part or last nine digits, and grows past 1,024 keys", () => {
    const keys = ["123456789", "0123456789", "1123456789", "1123456788", "9999999999123456789", "999999999123456789", "99999999991234567890"];
    const many = Array.from({ length: 5000 }, (_, i) => String(1_000_000_000_000_000_000n + BigInt(i) * 1_000_000_000n));
    const all = [...keys, ...many, ...keys, ...many.slice(0, 100)];
    expect(intern(all)).to.deep.equal(reference(all));
  });

  it("keeps keys apart whose hash and length are equal (only the numbers or the bytes can tell them apart)", () => {
    // 19-digit ids sharing their last nine digits (differ in the leading part), sharing their leading part (differ
    // in the last nine), and non-numeric keys: each set has same-hash, same-length pairs.
    const sameTail = collisions((i) => String(1_000_000_000 + i) + "123456789", 3);
    const sameHead = collisions((i) => "1234567890" + String(100_000_000 + i), 3);
    const text = collisions((i) => `user-${i.toString(36).padStart(6, "0")}`, 3);
    for (const [a, b] of [...sameTail, ...sameHead, ...text]) {
      expect(a.length).to.equal(b.length);
      expect(fnv1a(a)).to.equal(fnv1a(b));
      expect(intern([a, b, a, b])).to.deep.equal([0, 1, 0, 1]);
    }
  });
});
