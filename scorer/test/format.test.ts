/**
 * The file formats (scorer/src/format/): manifests of earlier releases still load, leaves round-trip and hash as
 * OpenZeppelin's standard leaf, proof shards written by the scorer are exactly `serializeShard`'s bytes, and the
 * batch-skip table matches the contract's codes.
 */
import { expect } from "chai";
import fc from "fast-check";
import { promises as fs, readdirSync, readFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, hexlify } from "ethers";
import {
  ACCOUNT_FIELD,
  BATCH_SKIP_REASONS,
  batchItemKind,
  batchSkipText,
  channelLeaves,
  dumpManifest,
  eventLeaves,
  findEntry,
  kindOfEncoding,
  LEAF_ENCODING,
  LEAF_FIELDS,
  leafAccount,
  leafFromValue,
  leafHash,
  leafValue,
  loadManifest,
  MANIFEST_FORMAT,
  parseShard,
  readEntry,
  serializeShard,
  shardNameOf,
  shardPathOf,
  storedLeafValue,
  type CampaignKind,
  type Leaf,
  type ProofEntry,
} from "../src/format";
import { ManifestError } from "../src/errors";
import { writeTreeOutputs } from "../src/proofs";
import { buildTree } from "../src/tree";

const FIXTURES = path.join(__dirname, "fixtures", "manifests");

const uint = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(hexlify(b)));
const leafArb: fc.Arbitrary<Leaf> = fc.oneof(
  fc.record({ kind: fc.constant("event" as const), eventId: uint, index: uint, account: address, amount: uint }),
  fc.record({ kind: fc.constant("channel" as const), channelId: uint, account: address, cumulativeScore: uint }),
);

describe("format: manifest", function () {
  const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith(".json")).sort();

  it("keeps a fixture of every kind of manifest an earlier release wrote", function () {
    const kinds = fixtures.map((f) => (JSON.parse(readFileSync(path.join(FIXTURES, f), "utf8")) as { campaign: { kind: string } }).campaign.kind);
    expect(kinds).to.include.members(["event", "channel"]);
  });

  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith(".json"))) {
    it(`loads ${name} (written by an earlier scorer) and dumps it back unchanged`, function () {
      const text = readFileSync(path.join(FIXTURES, name), "utf8");
      const m = loadManifest(text, name);
      expect(m.format).to.equal(MANIFEST_FORMAT);
      expect(m.leafEncoding).to.deep.equal([...LEAF_ENCODING[m.campaign.kind]]);
      expect(dumpManifest(m)).to.equal(text);
    });
  }

  const sample = (): Record<string, unknown> => JSON.parse(readFileSync(path.join(FIXTURES, fixtures[0]), "utf8"));

  it("refuses another format, naming it", function () {
    const m = { ...sample(), format: "like2earn-manifest-v0" };
    expect(() => loadManifest(JSON.stringify(m), "old.json")).to.throw(ManifestError, /old\.json: format "like2earn-manifest-v0" is not like2earn-manifest-v1/);
  });

  it("names the file and the field of a bad value", function () {
    const m = sample() as { root: string; inputs: { engagements: { sha256: string }[] } };
    expect(() => loadManifest(JSON.stringify({ ...m, root: "0x12" }), "m.json")).to.throw(ManifestError, /^m\.json: root: must be 0x \+ 32 bytes of hex/);
    m.inputs.engagements[0].sha256 = "XYZ";
    expect(() => loadManifest(JSON.stringify(m), "m.json")).to.throw(ManifestError, /^m\.json: inputs\.engagements\.0\.sha256: /);
    expect(() => loadManifest("{", "m.json")).to.throw(ManifestError, /^m\.json is not JSON/);
    const wrongLeaves = { ...sample(), leafEncoding: ["uint256"] };
    expect(() => loadManifest(JSON.stringify(wrongLeaves), "m.json")).to.throw(ManifestError, /leafEncoding: a (event|channel) leaf is/);
  });

  it("keeps fields it does not know (a later v1 writer's optional additions)", function () {
    const m = { ...sample(), registry: { sha256: "00".repeat(32) } };
    expect((loadManifest(JSON.stringify(m)) as Record<string, unknown>).registry).to.deep.equal(m.registry);
  });
});

describe("format: leaves", function () {
  it("names every field of each kind, the account where the encoding has its address", function () {
    for (const kind of ["event", "channel"] as const) {
      expect(LEAF_FIELDS[kind]).to.have.lengthOf(LEAF_ENCODING[kind].length);
      expect(LEAF_ENCODING[kind][ACCOUNT_FIELD[kind]]).to.equal("address");
      expect(LEAF_FIELDS[kind][ACCOUNT_FIELD[kind]]).to.equal("account");
      expect(kindOfEncoding(LEAF_ENCODING[kind])).to.equal(kind);
    }
    expect(LEAF_FIELDS.event[0]).to.equal("eventId");
    expect(LEAF_FIELDS.channel[0]).to.equal("channelId"); // not the epoch
  });

  it("reads back what it stores, and hashes as StandardMerkleTree", function () {
    fc.assert(
      fc.property(leafArb, (leaf) => {
        const stored = storedLeafValue(leaf);
        expect(leafFromValue(leaf.kind, stored)).to.deep.equal(leaf);
        expect(leafAccount(leaf.kind, stored)).to.equal(leaf.account);
        const oz = StandardMerkleTree.of([stored], [...LEAF_ENCODING[leaf.kind]]);
        expect(leafHash(leaf)).to.equal(oz.root); // a one-leaf tree's root is its leaf hash
      }),
      { numRuns: 100 },
    );
  });

  it("builds leaves from allocations in field order", function () {
    const a = { index: 3, address: "0x1111111111111111111111111111111111111111", amount: 5n };
    expect(eventLeaves(7n, [a])).to.deep.equal([[7n, 3n, a.address, 5n]]);
    expect(channelLeaves(2n, [a])).to.deep.equal([[2n, a.address, 5n]]);
    expect(leafValue(leafFromValue("channel", ["2", a.address, "5"]))).to.deep.equal([2n, a.address, 5n]);
  });

  it("names the field of a bad stored value", function () {
    const a = "0x1111111111111111111111111111111111111111";
    expect(() => leafFromValue("event", ["1", "0", "0x12", "5"])).to.throw(/account is not an address: "0x12"/);
    expect(() => leafFromValue("event", ["1", "-1", a, "5"])).to.throw(/index is not an unsigned integer/);
    expect(() => leafFromValue("channel", ["1", a, "x"])).to.throw(/cumulativeScore is not an unsigned integer/);
    expect(() => leafFromValue("channel", ["1", "0", a, "5"])).to.throw(/channel value must be \[channelId, account, cumulativeScore\], got 4 fields/);
  });
});

describe("format: proof shards", function () {
  let dir: string;
  beforeEach(async function () {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "l2e-shards-"));
  });
  afterEach(async function () {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("names a shard by the account's first byte", function () {
    expect(shardNameOf("0x4F00000000000000000000000000000000000000")).to.equal("4f.json");
    expect(shardPathOf("0x0a00000000000000000000000000000000000000")).to.equal("proofs/0a.json");
    expect(() => shardNameOf("0x12")).to.throw(/not an address/);
  });

  it("the scorer writes each shard as exactly serializeShard's bytes, and readEntry reads every entry back", async function () {
    this.timeout(60_000);
    const leavesArb = fc.uniqueArray(fc.tuple(address, fc.bigInt({ min: 1n, max: 10n ** 24n })), {
      minLength: 1,
      maxLength: 40,
      selector: ([a]) => a,
    });
    await fc.assert(
      fc.asyncProperty(leavesArb, fc.constantFrom<CampaignKind>("event", "channel"), async (rows, kind) => {
        await fs.rm(dir, { recursive: true, force: true });
        await fs.mkdir(dir);
        const allocations = rows.map(([address, amount], index) => ({ index, address, amount }));
        const values = kind === "event" ? eventLeaves(9n, allocations) : channelLeaves(9n, allocations);
        const tree = await buildTree(values, LEAF_ENCODING[kind]);
        await writeTreeOutputs(dir, tree, values, ACCOUNT_FIELD[kind], { fsync: false });
        for (const name of await fs.readdir(path.join(dir, "proofs"))) {
          const text = await fs.readFile(path.join(dir, "proofs", name), "utf8");
          const shard = parseShard(JSON.parse(text), name);
          expect(serializeShard(Object.entries(shard) as [string, ProofEntry][])).to.equal(text);
        }
        for (const [i, v] of values.entries()) {
          const account = leafAccount(kind, v);
          const file = path.join(dir, shardPathOf(account));
          const found = findEntry(parseShard(JSON.parse(await fs.readFile(file, "utf8")), file), account.toLowerCase());
          expect(found, account).to.not.equal(undefined);
          const { leaf, proof } = readEntry(kind, found!.entry);
          expect(leafValue(leaf)).to.deep.equal(v);
          expect(proof).to.deep.equal(tree.getProof(i));
        }
      }),
      { numRuns: 12 },
    );
  });

  it("rejects entries that are not a leaf and a proof", function () {
    const a = "0x1111111111111111111111111111111111111111";
    expect(() => readEntry("event", { value: ["1", "0", a, "5"] })).to.throw(/no value\/proof arrays/);
    expect(() => readEntry("event", { value: ["1", "0", a, "5"], proof: ["0x12"] })).to.throw(/proof element is not bytes32/);
    expect(() => parseShard([], "x.json")).to.throw(/x\.json is not a JSON object/);
  });
});

describe("format: batch-skip reasons", function () {
  it("gives the contract's codes 0..2 their text, and says which code it does not know", function () {
    expect(BATCH_SKIP_REASONS.map((r) => r.code)).to.deep.equal([0, 1, 2]);
    expect(batchSkipText(1n)).to.equal("pool empty");
    expect(batchSkipText(2)).to.equal("payment rejected by the receiver");
    expect(batchSkipText(7)).to.equal("reason 7");
    expect(batchItemKind(0n)).to.equal("event");
    expect(batchItemKind(1)).to.equal("channel");
  });
});
