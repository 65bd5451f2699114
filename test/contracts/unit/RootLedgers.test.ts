/**
 * The root-ledger packing is owned by one library (contracts/libraries/RootLedgers.sol); these tests pin its
 * shifts to the Solidity struct layout, and pin the rewards contract under the EIP-170 code-size limit.
 */
import { expect } from "chai";
import { ethers, artifacts } from "hardhat";
import fc from "fast-check";

describe("RootLedgers packing", () => {
  it("pack() equals the struct's storage word, and every field reads back, for random values", async () => {
    const h = await ethers.deployContract("RootLedgerHarness");
    const u = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
    await fc.assert(
      fc.asyncProperty(u(40), u(128), u(40), u(40), fc.boolean(), async (eventId, remaining, claimableAt, closesAt, isToken) => {
        const fromStruct = await h.structWord.staticCall(eventId, remaining, claimableAt, closesAt, isToken);
        const [word, fields] = await h.packed(eventId, remaining, claimableAt, closesAt, isToken);
        expect(word).to.equal(fromStruct);
        expect(fields.map((x) => x)).to.deep.equal([eventId, remaining, claimableAt, closesAt, isToken ? 1n : 0n]);
      }),
      { numRuns: 50 },
    );
  });
});

describe("Like2EarnRewards code size", () => {
  it("stays under the EIP-170 limit (24,576 bytes), so it deploys on every EVM chain", async () => {
    const a = await artifacts.readArtifact("Like2EarnRewards");
    expect((a.deployedBytecode.length - 2) / 2).to.be.at.most(24_576);
  });
});
