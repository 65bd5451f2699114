/**
 * Checks an output folder's proof shards against its tree.json: the shards are rebuilt from tree.json's
 * values by the same writer that made them (so the bytes must be identical) and compared file by file with
 * the folder and with the manifest's list. A deleted or edited shard would make the claim page tell an owed
 * user "nothing for you" (or show a forged amount); `verify` and `publish` refuse it, naming the shard.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACCOUNT_FIELD } from "./format/leaves";
import type { Manifest } from "./format/manifest";
import { PROOFS_DIR } from "./format/proof-shards";
import { proofShardRecords } from "./manifest";
import { writeTreeOutputs } from "./proofs";
import { buildTree } from "./tree";

/** Problems with `dir`'s proof shards (empty: every shard is what tree.json gives and what the manifest lists). */
export async function checkProofShards(dir: string, manifest: Manifest): Promise<string[]> {
  const problems: string[] = [];
  let dump: { values: { value: unknown[] }[]; leafEncoding: string[] };
  try {
    dump = JSON.parse(await readFile(join(dir, "tree.json"), "utf8"));
  } catch (e) {
    return [`tree.json cannot be read: ${(e as Error).message}`];
  }
  const values = dump.values.map((v) => v.value.map((x) => String(x)));
  if (values.length === 0) return ["tree.json has no leaves"];
  const tmp = await mkdtemp(join(tmpdir(), "like2earn-shards-"));
  try {
    const tree = await buildTree(values, dump.leafEncoding);
    await writeTreeOutputs(tmp, tree, values, ACCOUNT_FIELD[manifest.campaign.kind], { fsync: false });
    const want = new Map((await proofShardRecords(tmp)).map((r) => [r.path, r.sha256]));
    const have = new Map((await proofShardRecords(dir)).map((r) => [r.path, r.sha256]));
    for (const [path, sha] of want) {
      const got = have.get(path);
      if (got === undefined) problems.push(`${path} is missing (tree.json has it): claimants in it would be told they have nothing`);
      else if (got !== sha) problems.push(`${path} differs from the shard rebuilt from tree.json (edited or corrupted)`);
    }
    for (const path of have.keys()) if (!want.has(path)) problems.push(`${path} is not a shard of tree.json (remove it)`);
    const listed = manifest.outputs.proofs;
    if (listed) {
      const byPath = new Map(listed.map((r) => [r.path, r.sha256]));
      for (const [path, sha] of want) {
        if (!byPath.has(path)) problems.push(`${path} is not listed in manifest.json`);
        else if (byPath.get(path) !== sha) problems.push(`${path}: manifest.json lists another SHA-256 than the shard rebuilt from tree.json`);
      }
      for (const path of byPath.keys()) if (!want.has(path)) problems.push(`manifest.json lists ${path}, which tree.json does not give`);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return problems;
}
