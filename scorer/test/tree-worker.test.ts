/**
 * The keccak worker is a real file (scorer/src/tree-worker.ts): it must start and do a whole job on its own both
 * from the TypeScript sources (ts-node, as here) and from compiled JavaScript (tsc output run by plain node).
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { keccak256 } from "ethers";
import { KernelPool, newCtrl, publishChunks, type HashEachJob } from "../src/tree-pool";

const REPO = resolve(__dirname, "../..");

function job(n: number): { job: HashEachJob; input: Buffer } {
  const input = Buffer.from(new SharedArrayBuffer(n * 40));
  for (let i = 0; i < input.length; i++) input[i] = (i * 131 + 7) & 255;
  return {
    job: { kind: "hashEach", ctrl: newCtrl(), input: input.buffer as SharedArrayBuffer, inLen: 40, output: new SharedArrayBuffer(n * 32), n, rounds: 1, chunk: 64 },
    input,
  };
}

describe("tree worker loaded from its file", function () {
  it("from the TypeScript sources: one worker hashes every chunk while the main thread does none", async function () {
    this.timeout(60_000);
    const n = 1000;
    const { job: j, input } = job(n);
    const pool = new KernelPool(1);
    try {
      await pool.run(j, () => publishChunks(j.ctrl, Math.ceil(n / j.chunk))); // the main thread only publishes
    } finally {
      await pool.close();
    }
    const out = Buffer.from(j.output);
    for (const i of [0, 1, 499, n - 1]) {
      expect("0x" + out.toString("hex", i * 32, i * 32 + 32)).to.equal(keccak256(input.subarray(i * 40, i * 40 + 40)));
    }
  });

  it("from compiled JavaScript (tsc output, plain node): a parallel tree has OpenZeppelin's root", function () {
    this.timeout(180_000);
    const out = mkdtempSync(join(tmpdir(), "l2e-compiled-"));
    try {
      const tsc = join(REPO, "node_modules", "typescript", "bin", "tsc");
      const files = ["tree.ts", "tree-pool.ts"].map((f) => join(REPO, "scorer", "src", f));
      // tree-worker.ts is only ever loaded by path: compile it explicitly.
      files.push(join(REPO, "scorer", "src", "tree-worker.ts"));
      execFileSync(process.execPath, [tsc, "--outDir", out, "--rootDir", join(REPO, "scorer", "src"), "--module", "commonjs", "--target", "es2022", "--esModuleInterop", "--skipLibCheck", "--types", "node", ...files]);
      const script = join(out, "check.js");
      writeFileSync(
        script,
        `const { buildTree, EVENT_LEAF_ENCODING } = require("./tree");
         const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");
         const n = 20000;
         const values = Array.from({ length: n }, (_, i) => [1n, BigInt(i), "0x" + (i + 1).toString(16).padStart(40, "0"), BigInt(i) * 7n]);
         buildTree(values, EVENT_LEAF_ENCODING).then((t) => {
           const oz = StandardMerkleTree.of(values, [...EVENT_LEAF_ENCODING]);
           process.stdout.write(JSON.stringify({ ours: t.root, oz: oz.root }));
         });`,
      );
      const result = JSON.parse(
        execFileSync(process.execPath, [script], { env: { ...process.env, NODE_PATH: join(REPO, "node_modules"), SCORER_TREE_WORKERS: "1" } }).toString(),
      );
      expect(result.ours).to.equal(result.oz);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
