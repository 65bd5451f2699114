import { promises as fs } from "fs";
import * as path from "path";
import * as os from "os";
const ROOT = process.argv[2];
const FSYNC = process.argv[3] === "fsync";
function seededBytes(n: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(Math.ceil(n / 4) * 4);
  let x = Math.imul(seed + 1, 2654435761) >>> 0 || 1;
  for (let p = 0; p < out.length; p += 4) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; out.writeUInt32LE(x >>> 0, p); }
  return out.subarray(0, n);
}
async function main() {
  const { buildTree, EVENT_LEAF_ENCODING } = await import(path.join(ROOT, "scorer/src/tree"));
  const { writeTreeOutputs } = await import(path.join(ROOT, "scorer/src/proofs"));
  const n = 1_000_000;
  const bytes = seededBytes(n * 28, 1);
  const values = Array.from({ length: n }, (_, i) => [7n, BigInt(i), "0x" + bytes.toString("hex", i * 28, i * 28 + 20), bytes.readBigUInt64BE(i * 28 + 20)]);
  const tree = await buildTree(values, EVENT_LEAF_ENCODING);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wb-"));
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const marks: string[] = [];
  await writeTreeOutputs(dir, tree, values, 2, { fsync: FSYNC, onProgress: (s: string, d: number, t: number) => { if (d === t) marks.push(`${s}@${((performance.now() - t0) / 1000).toFixed(2)}`); } });
  const c = process.cpuUsage(c0);
  console.log(`${ROOT.includes("base") ? "base" : "new "} fsync=${FSYNC} wall ${((performance.now() - t0) / 1000).toFixed(2)} s cpu ${((c.user + c.system) / 1e6).toFixed(2)} s  ${marks.join(" ")}`);
  await fs.rm(dir, { recursive: true, force: true });
}
main();
