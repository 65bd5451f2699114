import { expect } from "chai";
import fc from "fast-check";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, hexlify } from "ethers";
import {
  CHANNEL_LEAF_ENCODING,
  EVENT_LEAF_ENCODING,
  LeafEncodingError,
  LeafValue,
  LeafValueError,
  PARALLEL_MIN_LEAVES,
  buildTree,
  encodeLeaf,
  hashLeaf,
} from "../src/tree";
import { writeTreeOutputs } from "../src/proofs";
import { findEntry, parseShard, shardPathOf, type ProofShard } from "../src/format/proof-shards";
import { writeDirAtomically, writeFileAtomic } from "../src/output";

const bigintJson = (_key: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

// ---------------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------------

const MAX = (1n << 256n) - 1n;
const uint256 = fc.oneof(
  fc.bigInt({ min: 0n, max: 1000n }),
  fc.bigInt({ min: 0n, max: (1n << 64n) + 5n }),
  fc.bigInt({ min: 0n, max: MAX }),
  fc.constantFrom(0n, 1n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 64n) - 1n, 1n << 64n, MAX),
);
/** An address in lower, upper or EIP-55 case (OZ encodes all the same). */
const address = fc
  .tuple(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.constantFrom("lower", "upper", "checksum"))
  .map(([bytes, style]) => {
    const hex = hexlify(bytes);
    return style === "lower" ? hex : style === "upper" ? "0x" + hex.slice(2).toUpperCase() : getAddress(hex);
  });
const eventLeaf = fc.tuple(uint256, uint256, address, uint256).map((v) => v as LeafValue);
const channelLeaf = fc.tuple(uint256, address, uint256).map((v) => v as LeafValue);

/** 1..maxLength leaves, some repeated (the same array or an equal copy). */
function leafSet(leaf: fc.Arbitrary<LeafValue>, maxLength: number): fc.Arbitrary<LeafValue[]> {
  return fc
    .tuple(fc.array(leaf, { minLength: 1, maxLength }), fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 4 }))
    .map(([values, dups]) => {
      const out = [...values];
      for (const [k, copy] of dups) {
        const v = values[k % values.length];
        out.splice(k % (out.length + 1), 0, copy ? [...v] : v);
      }
      return out;
    });
}

/** Leaf sets whose accounts are all different (a proof shard keys proofs by account). */
function uniqueAccounts(
  leaf: fc.Arbitrary<LeafValue>,
  accountField: number,
  maxLength: number,
): fc.Arbitrary<LeafValue[]> {
  return fc.uniqueArray(leaf, {
    minLength: 1,
    maxLength,
    selector: (v) => (v[accountField] as string).toLowerCase(),
  });
}

async function tmpDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), "like2earn-tree-"));
}

// ---------------------------------------------------------------------------------------------------
// Equality with @openzeppelin/merkle-tree
// ---------------------------------------------------------------------------------------------------

async function expectSameAsOz(values: LeafValue[], enc: readonly string[]): Promise<void> {
  const ours = await buildTree(values, enc);
  const oz = StandardMerkleTree.of(values as unknown[][], [...enc]);
  expect(ours.root).to.equal(oz.root);
  expect(ours.length).to.equal(values.length);
  expect(ours.leafEncoding).to.deep.equal(enc);
  const dump = ours.dump();
  expect(dump).to.deep.equal(oz.dump());
  expect(JSON.stringify(dump, bigintJson)).to.equal(JSON.stringify(oz.dump(), bigintJson));
  expect(StandardMerkleTree.load(dump as never).root).to.equal(ours.root);
  for (let i = 0; i < values.length; i++) {
    const proof = ours.getProof(i);
    expect(proof).to.deep.equal(oz.getProof(i));
    expect(StandardMerkleTree.verify(ours.root, [...enc], values[i] as unknown[], proof)).to.equal(true);
  }
}

describe("tree: buildTree matches StandardMerkleTree.of", function () {
  it("for 1, 2 and 3 leaves", async function () {
    const a = "0x1111111111111111111111111111111111111111";
    const b = "0x2222222222222222222222222222222222222222";
    const c = getAddress("0xabcdefabcdefabcdefabcdefabcdefabcdefabcd");
    await expectSameAsOz([[1n, 0n, a, 5n]], EVENT_LEAF_ENCODING);
    await expectSameAsOz(
      [
        [1n, 0n, a, 5n],
        [1n, 1n, b, 7n],
      ],
      EVENT_LEAF_ENCODING,
    );
    await expectSameAsOz(
      [
        [1n, 0n, a, 5n],
        [1n, 1n, b, 7n],
        [1n, 2n, c, MAX],
      ],
      EVENT_LEAF_ENCODING,
    );
    await expectSameAsOz(
      [
        [3n, a, 0n],
        [3n, a, 0n],
        [3n, a, 0n],
      ],
      CHANNEL_LEAF_ENCODING,
    );
  });

  it("for random event leaf sets (odd counts, duplicates, any address case)", async function () {
    await fc.assert(
      fc.asyncProperty(leafSet(eventLeaf, 40), (values) => expectSameAsOz(values, EVENT_LEAF_ENCODING)),
      { numRuns: 120 },
    );
  });

  it("for random channel leaf sets", async function () {
    await fc.assert(
      fc.asyncProperty(leafSet(channelLeaf, 40), (values) => expectSameAsOz(values, CHANNEL_LEAF_ENCODING)),
      { numRuns: 60 },
    );
  });

  it("accepts decimal strings for uint256 (as tree.json stores them) with the same root", async function () {
    await fc.assert(
      fc.asyncProperty(leafSet(eventLeaf, 12), async (values) => {
        const asStrings = values.map((v) => v.map((x) => (typeof x === "bigint" ? x.toString() : x)));
        expect((await buildTree(asStrings, EVENT_LEAF_ENCODING)).root).to.equal(
          (await buildTree(values, EVENT_LEAF_ENCODING)).root,
        );
      }),
      { numRuns: 30 },
    );
  });

  it(`splits large trees across worker threads with the same result (${PARALLEL_MIN_LEAVES + 1} leaves)`, async function () {
    this.timeout(120_000);
    const n = PARALLEL_MIN_LEAVES + 1; // odd, above the threshold
    const values: LeafValue[] = fc.sample(eventLeaf, { numRuns: n, seed: 42 });
    values[77] = values[5]; // a duplicate
    const parallel = await buildTree(values, EVENT_LEAF_ENCODING);
    const saved = process.env.SCORER_TREE_WORKERS;
    process.env.SCORER_TREE_WORKERS = "0";
    let serial;
    try {
      serial = await buildTree(values, EVENT_LEAF_ENCODING);
    } finally {
      if (saved === undefined) delete process.env.SCORER_TREE_WORKERS;
      else process.env.SCORER_TREE_WORKERS = saved;
    }
    expect(parallel.root).to.equal(serial.root);
    expect(parallel.dump()).to.deep.equal(serial.dump());
    const oz = StandardMerkleTree.of(values as unknown[][], [...EVENT_LEAF_ENCODING]);
    expect(parallel.root).to.equal(oz.root);
    expect(parallel.dump()).to.deep.equal(oz.dump());
    for (let i = 0; i < n; i += 997) expect(parallel.getProof(i)).to.deep.equal(oz.getProof(i));
  });

  it("encodeLeaf / hashLeaf give abi.encode and OZ's leaf hash", async function () {
    await fc.assert(
      fc.asyncProperty(eventLeaf, async (v) => {
        const oz = StandardMerkleTree.of([v as unknown[]], [...EVENT_LEAF_ENCODING]);
        expect(await hashLeaf(v, EVENT_LEAF_ENCODING)).to.equal(oz.root);
        const { AbiCoder } = await import("ethers");
        expect("0x" + encodeLeaf(v, EVENT_LEAF_ENCODING).toString("hex")).to.equal(
          AbiCoder.defaultAbiCoder().encode([...EVENT_LEAF_ENCODING], [...v]),
        );
      }),
      { numRuns: 50 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Invalid input
// ---------------------------------------------------------------------------------------------------

describe("tree: invalid leaf values", function () {
  const good = (): (string | bigint)[] => [1n, 2n, "0x1111111111111111111111111111111111111111", 3n];
  const cases: [string, (v: (string | bigint)[]) => unknown, number | undefined, RegExp][] = [
    ["a short address", (v) => ((v[2] = "0x11111"), v), 2, /field 2 \(address\).*0x followed by 40 hex digits/],
    ["a non-hex address", (v) => ((v[2] = "0x" + "g".repeat(40)), v), 2, /field 2 \(address\)/],
    ["an address without 0x", (v) => ((v[2] = "11" + "1".repeat(40)), v), 2, /field 2 \(address\)/],
    ["an address with 0X", (v) => ((v[2] = "0X" + "1".repeat(40)), v), 2, /field 2 \(address\)/],
    ["an address that is a bigint", (v) => ((v[2] = 5n), v), 2, /field 2 \(address\).*got 5n/],
    ["a negative number", (v) => ((v[3] = -1n), v), 3, /field 3 \(uint256\): negative number/],
    ["a number above 2^256-1", (v) => ((v[0] = MAX + 1n), v), 0, /field 0 \(uint256\): number above 2\^256-1/],
    ["a JS number", (v) => ((v[1] = 5 as unknown as bigint), v), 1, /field 1 \(uint256\): expected a bigint/],
    ["a hex string number", (v) => ((v[1] = "0x05"), v), 1, /field 1 \(uint256\)/],
    ["too few fields", (v) => v.slice(0, 3), undefined, /expected an array of 4 fields, got 3 fields/],
    ["too many fields", (v) => [...v, 1n], undefined, /expected an array of 4 fields, got 5 fields/],
    ["not an array", () => "0x1111", undefined, /expected an array of 4 fields/],
  ];
  for (const [name, mutate, field, message] of cases) {
    it(`rejects ${name}, naming leaf and field`, async function () {
      const values = [good(), good(), good(), mutate(good()), good()] as LeafValue[];
      let error: unknown;
      try {
        await buildTree(values, EVENT_LEAF_ENCODING);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(LeafValueError);
      const e = error as LeafValueError;
      expect(e.leafIndex).to.equal(3);
      expect(e.field).to.equal(field);
      expect(e.message).to.match(/^Invalid leaf 3\b/);
      expect(e.message).to.match(message);
    });
  }

  it("rejects an invalid value in a tree big enough to use worker threads", async function () {
    const values: LeafValue[] = Array.from({ length: PARALLEL_MIN_LEAVES + 10 }, (_, i) => [
      1n,
      BigInt(i),
      "0x1111111111111111111111111111111111111111",
      3n,
    ]);
    values[PARALLEL_MIN_LEAVES + 5] = [1n, 2n, "0x1111111111111111111111111111111111111111", -3n];
    await expectRejects(
      buildTree(values, EVENT_LEAF_ENCODING),
      LeafValueError,
      new RegExp(`Invalid leaf ${PARALLEL_MIN_LEAVES + 5}, field 3`),
    );
  });

  it("rejects unsupported ABI types and empty input", async function () {
    await expectRejects(
      buildTree([[1n]], ["uint128"]),
      LeafEncodingError,
      /Unsupported ABI type "uint128" at leafEncoding\[0\]/,
    );
    await expectRejects(buildTree([["0x"]], ["bytes32"]), LeafEncodingError, /supports "uint256" and "address" only/);
    await expectRejects(buildTree([], EVENT_LEAF_ENCODING), RangeError, /at least one leaf/);
  });

  it("rejects an out-of-range proof index", async function () {
    const tree = await buildTree([good()], EVENT_LEAF_ENCODING);
    expect(() => tree.getProof(1)).to.throw(RangeError, /leafIndex 1 out of range/);
    expect(() => tree.getProof(-1)).to.throw(RangeError);
    expect(() => tree.getProof(0.5)).to.throw(RangeError);
  });
});

async function expectRejects(
  p: Promise<unknown>,
  type: new (...args: never[]) => Error,
  message: RegExp,
): Promise<Error> {
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  expect(error, "expected a rejection").to.be.instanceOf(type);
  expect((error as Error).message).to.match(message);
  return error as Error;
}

// ---------------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------------

/** The entry of `account` in the proof shards under `dir`, or undefined. */
async function readProof(dir: string, account: string) {
  const file = path.join(dir, shardPathOf(account));
  return findEntry(parseShard(JSON.parse(await fs.readFile(file, "utf8")), file), account)?.entry;
}

async function readShards(dir: string): Promise<Map<string, ProofShard>> {
  const names = (await fs.readdir(path.join(dir, "proofs"))).sort();
  const shards = new Map<string, ProofShard>();
  for (const name of names) shards.set(name, JSON.parse(await fs.readFile(path.join(dir, "proofs", name), "utf8")));
  return shards;
}

async function expectOutputs(
  dir: string,
  values: LeafValue[],
  enc: readonly string[],
  accountField: number,
): Promise<void> {
  const tree = await buildTree(values, enc);
  await writeTreeOutputs(dir, tree, values, accountField, { fsync: false });
  const oz = StandardMerkleTree.of(values as unknown[][], [...enc]);

  // tree.json: JSON.stringify of OZ's dump (bigints as decimal strings), and it loads with the same root.
  const text = await fs.readFile(path.join(dir, "tree.json"), "utf8");
  expect(text).to.equal(JSON.stringify(oz.dump(), bigintJson));
  const loaded = StandardMerkleTree.load(JSON.parse(text));
  expect(loaded.root).to.equal(tree.root);

  // Shards: all 256 files, each account once, in its first-byte shard, with a proof that verifies.
  const shards = await readShards(dir);
  expect([...shards.keys()]).to.deep.equal(
    Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0") + ".json"),
  );
  const seen = new Map<string, number>();
  for (const [name, shard] of shards) {
    for (const [account, { value, proof }] of Object.entries(shard)) {
      expect(account).to.equal(getAddress(account));
      expect(name).to.equal(account.slice(2, 4).toLowerCase() + ".json");
      expect(seen.has(account)).to.equal(false);
      seen.set(account, 1);
      expect(StandardMerkleTree.verify(tree.root, [...enc], value, proof)).to.equal(true);
    }
  }
  expect(seen.size).to.equal(values.length);
  for (let i = 0; i < values.length; i++) {
    const account = getAddress(values[i][accountField] as string);
    const entry = shards.get(account.slice(2, 4).toLowerCase() + ".json")![account];
    expect(entry.value).to.deep.equal(values[i].map((v) => (typeof v === "bigint" ? v.toString() : v)));
    expect(entry.proof).to.deep.equal(oz.getProof(i));
  }
  const leftovers = (await fs.readdir(dir))
    .concat(await fs.readdir(path.join(dir, "proofs")))
    .filter((f) => f.includes(".tmp-"));
  expect(leftovers).to.deep.equal([]);
}

describe("tree: writeTreeOutputs", function () {
  let dir: string;
  beforeEach(async function () {
    dir = await tmpDir();
  });
  afterEach(async function () {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("writes a loadable tree.json and verifying proof shards (event leaves)", async function () {
    this.timeout(60_000);
    await fc.assert(
      fc.asyncProperty(uniqueAccounts(eventLeaf, 2, 30), async (values) => {
        await expectOutputs(dir, values, EVENT_LEAF_ENCODING, 2);
      }),
      { numRuns: 15 },
    );
  });

  it("writes verifying shards for channel leaves (account field 1) and replaces earlier outputs", async function () {
    this.timeout(60_000);
    await fc.assert(
      fc.asyncProperty(uniqueAccounts(channelLeaf, 1, 30), async (values) => {
        await expectOutputs(dir, values, CHANNEL_LEAF_ENCODING, 1);
      }),
      { numRuns: 8 },
    );
  });

  it("handles a tree large enough for worker threads, with fsync", async function () {
    this.timeout(120_000);
    const n = PARALLEL_MIN_LEAVES + 1;
    const values: LeafValue[] = fc
      .sample(fc.uint8Array({ minLength: 20, maxLength: 20 }), { numRuns: n, seed: 7 })
      .map((b, i) => [9n, BigInt(i), i % 2 ? getAddress(hexlify(b)) : hexlify(b), BigInt(i) * 10n ** 15n]);
    const tree = await buildTree(values, EVENT_LEAF_ENCODING);
    await writeTreeOutputs(dir, tree, values, 2);
    // (Small trees go through StandardMerkleTree.load above; here the dump is compared with ours.)
    const dump = JSON.parse(await fs.readFile(path.join(dir, "tree.json"), "utf8"));
    expect(dump).to.deep.equal(JSON.parse(JSON.stringify(tree.dump(), bigintJson)));
    for (const i of [0, 1, 5000, n - 1]) {
      const account = getAddress(values[i][2] as string);
      const entry = await readProof(dir, account.toLowerCase());
      expect(entry).to.not.equal(undefined);
      expect(entry!.proof).to.deep.equal(tree.getProof(i));
      expect(StandardMerkleTree.verify(tree.root, [...EVENT_LEAF_ENCODING], entry!.value, entry!.proof)).to.equal(true);
    }
    expect(await readProof(dir, "0x" + "00".repeat(20))).to.equal(undefined);
  });

  it("rejects a duplicate account, a bad checksum, a wrong account field and foreign values, writing nothing", async function () {
    const a = getAddress("0xabcdefabcdefabcdefabcdefabcdefabcdefabcd");
    const b = "0x2222222222222222222222222222222222222222";
    const dup: LeafValue[] = [
      [1n, 0n, a, 5n],
      [1n, 1n, b, 7n],
      [1n, 2n, a.toLowerCase(), 9n],
    ];
    await expectRejects(
      writeTreeOutputs(dir, await buildTree(dup, EVENT_LEAF_ENCODING), dup, 2),
      LeafValueError,
      /Invalid leaf 2, field 2 \(address\): account 0xAbCd.* already in leaf 0/i,
    );
    const badChecksum: LeafValue[] = [
      [1n, 0n, a.slice(0, 41) + (a[41] === "d" ? "D" : "d"), 5n],
      [1n, 1n, b, 7n],
    ];
    await expectRejects(
      writeTreeOutputs(dir, await buildTree(badChecksum, EVENT_LEAF_ENCODING), badChecksum, 2),
      LeafValueError,
      /Invalid leaf 0, field 2 \(address\): bad EIP-55 checksum/,
    );
    const ok: LeafValue[] = [
      [1n, 0n, a, 5n],
      [1n, 1n, b, 7n],
    ];
    const tree = await buildTree(ok, EVENT_LEAF_ENCODING);
    await expectRejects(writeTreeOutputs(dir, tree, ok, 1), RangeError, /accountField 1 is not an address field/);
    await expectRejects(writeTreeOutputs(dir, tree, ok.slice(0, 1), 2), RangeError, /1 values were given/);
    const other: LeafValue[] = [
      [1n, 0n, a, 6n],
      [1n, 1n, b, 7n],
    ];
    await expectRejects(writeTreeOutputs(dir, tree, other, 2), Error, /not the tree's root/);
    expect(await fs.readdir(dir)).to.deep.equal([]); // proofs/ is only created once the input checks pass
    // Equal copies of the values (not the same arrays) are accepted after a rebuild.
    await writeTreeOutputs(
      dir,
      tree,
      ok.map((v) => [...v]),
      2,
      { fsync: false },
    );
    expect((await fs.readdir(dir)).sort()).to.deep.equal(["proofs", "tree.json"]);
  });

  it("leaves earlier outputs untouched and no temporary files when writing fails midway", async function () {
    const first: LeafValue[] = [[1n, 0n, "0x1111111111111111111111111111111111111111", 5n]];
    await writeTreeOutputs(dir, await buildTree(first, EVENT_LEAF_ENCODING), first, 2, { fsync: false });
    const before = await fs.readFile(path.join(dir, "tree.json"), "utf8");
    const beforeShard = await fs.readFile(path.join(dir, "proofs", "11.json"), "utf8");

    const second: LeafValue[] = fc.sample(uniqueAccounts(eventLeaf, 2, 50), { numRuns: 1, seed: 3 })[0];
    const tree = await buildTree(second, EVENT_LEAF_ENCODING);
    // The output directory is replaced as a whole (output.ts), the one atomicity mechanism of the scorer's outputs.
    await expectRejects(
      writeDirAtomically(dir, (tmp) =>
        writeTreeOutputs(tmp, tree, second, 2, {
          fsync: false,
          onProgress: (stage) => {
            if (stage === "proofs") throw new Error("disk full (simulated)");
          },
        }),
      ),
      Error,
      /disk full/,
    );
    expect((await fs.readdir(path.dirname(dir))).filter((f) => f.startsWith(`.${path.basename(dir)}.`))).to.deep.equal([]);
    expect(await fs.readFile(path.join(dir, "tree.json"), "utf8")).to.equal(before);
    expect(await fs.readFile(path.join(dir, "proofs", "11.json"), "utf8")).to.equal(beforeShard);
    const all = (await fs.readdir(dir)).concat(await fs.readdir(path.join(dir, "proofs")));
    expect(all.filter((f) => f.includes(".tmp-"))).to.deep.equal([]);
  });

  it("writeFileAtomic replaces a file and leaves no temporary file", async function () {
    const target = path.join(dir, "sub", "a.json");
    await writeFileAtomic(target, "one");
    await writeFileAtomic(target, Buffer.from("two"));
    expect(await fs.readFile(target, "utf8")).to.equal("two");
    expect(await fs.readdir(path.join(dir, "sub"))).to.deep.equal(["a.json"]);
  });
});
