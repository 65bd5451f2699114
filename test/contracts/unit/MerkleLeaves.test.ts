/**
 * The claim path's Merkle work (contracts/libraries/MerkleLeaves.sol) is assembly, for gas: these tests show it
 * gives what the references give, bit for bit — the leaf hashes of `@openzeppelin/merkle-tree`'s
 * StandardMerkleTree (with the leaf encodings of scorer/src/format) and the roots of OpenZeppelin's
 * `MerkleProof.processProofCalldata`, on real proofs and on arbitrary node lists.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { CHANNEL_LEAF_ENCODING, EVENT_LEAF_ENCODING } from "../../../scorer/src/format";
import type { MerkleProofHarness } from "../../../typechain-types";

const u256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => ethers.getAddress(ethers.hexlify(b)));
const word = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => ethers.hexlify(b));

describe("MerkleLeaves (the claim path's leaf hashing and proof walk)", () => {
  let h: MerkleProofHarness;
  before(async () => {
    h = (await ethers.deployContract("MerkleProofHarness")) as unknown as MerkleProofHarness;
  });

  it("eventLeaf and channelLeaf equal StandardMerkleTree's leaf hash of the format's encodings", async () => {
    await fc.assert(
      fc.asyncProperty(u256, u256, address, u256, async (id, index, account, amount) => {
        const eventTree = StandardMerkleTree.of([[id, index, account, amount]], [...EVENT_LEAF_ENCODING]);
        const channelTree = StandardMerkleTree.of([[id, account, amount]], [...CHANNEL_LEAF_ENCODING]);
        expect(await h.libEventLeaf(id, index, account, amount)).to.equal(eventTree.leafHash([id, index, account, amount]));
        expect(await h.libChannelLeaf(id, account, amount)).to.equal(channelTree.leafHash([id, account, amount]));
      }),
      { numRuns: 40 },
    );
  });

  it("rootOf(proof, leaf) is the tree's root for every leaf of random trees (1–40 leaves)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(address, fc.bigInt({ min: 0n, max: 10n ** 30n })), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        async (rows, pick) => {
          const tree = StandardMerkleTree.of(rows.map(([a, s]) => [7n, a, s]), [...CHANNEL_LEAF_ENCODING]);
          const i = pick % rows.length;
          const leaf = tree.leafHash([7n, rows[i][0], rows[i][1]]);
          expect(await h.rootOf(tree.getProof(i), leaf)).to.equal(tree.root);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("rootOf equals OpenZeppelin's processProofCalldata on arbitrary nodes (0–20, equal words included)", async () => {
    await fc.assert(
      fc.asyncProperty(word, fc.array(fc.oneof(word, fc.constant(ethers.ZeroHash)), { maxLength: 20 }), async (leaf, nodes) => {
        // An equal neighbour exercises the tie (either order hashes the same pair).
        const proof = nodes.length > 2 ? [...nodes.slice(0, 2), leaf, ...nodes.slice(2)] : nodes;
        expect(await h.rootOf(proof, leaf)).to.equal(await h.ozRootOf(proof, leaf));
      }),
      { numRuns: 60 },
    );
  });

  it("an empty proof leads to the leaf itself, as in OpenZeppelin", async () => {
    const leaf = ethers.id("leaf");
    expect(await h.rootOf([], leaf)).to.equal(leaf);
    expect(await h.ozRootOf([], leaf)).to.equal(leaf);
  });
});
