/**
 * How long `score --participants registry.ndjson` spends re-checking signatures, and the admin's rules over
 * posts: N registrations signed by N keys (signed with libsecp256k1 to keep set-up short), then
 *   - verifyRegistry (what `score` and `verify` do per line: digest + recovery),
 *   - evaluateRegistrations (the rules over N valid posts).
 *
 *   npx ts-node --transpile-only scorer/bench/registry.bench.ts [N=20000]
 *
 * Numbers on a shared machine are noisy: report them with the load (uptime) beside them.
 */
import { loadavg } from "node:os";
import { computeAddress, hexlify, toBeHex } from "ethers";
import { buildRegistrationPost, registrationDigest, type RegistryEntry } from "../src/format/registry";
import { parseRegistrationsConfig } from "../src/register/config";
import { evaluateRegistrations, type SearchPost, type SearchUser } from "../src/register/evaluate";
import { verifyRegistry } from "../src/register/participants";
import { recoverRegistrationSigner } from "../src/format/registry";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const secp = require("secp256k1") as { ecdsaSign(msg: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number } };

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 20_000);
  const t0 = Date.parse("2025-01-02T00:00:00Z");
  const entries: RegistryEntry[] = [];
  const posts: SearchPost[] = [];
  const users = new Map<string, SearchUser>();
  for (let i = 0; i < n; i++) {
    const key = toBeHex(0x1000n + BigInt(i), 32);
    const wallet = computeAddress(key);
    const username = `user${i}`;
    const postedMs = t0 + i * 1000;
    const issuedAt = Math.floor(postedMs / 1000) - 5;
    const digest = registrationDigest(31337n, { wallet, handle: username, issuedAt });
    const { signature, recid } = secp.ecdsaSign(Buffer.from(digest.slice(2), "hex"), Buffer.from(key.slice(2), "hex"));
    const sig = hexlify(signature) + (27 + recid).toString(16);
    const userId = String(1_000_000 + i);
    entries.push({ userId, username, wallet, issuedAt, signature: sig, postId: String(5_000_000 + i), postedAt: new Date(postedMs).toISOString() });
    users.set(userId, { id: userId, username });
    posts.push({ id: String(5_000_000 + i), authorId: userId, createdAt: new Date(postedMs).toISOString(), text: buildRegistrationPost({ tag: "#Like2EarnID", wallet, issuedAt, signature: sig, handle: username }) });
  }
  const lines = entries.map((entry, i) => ({ entry, line: i + 1 }));
  const load = () => loadavg()[0].toFixed(1);

  let t = performance.now();
  const record = await verifyRegistry(lines, "bench.ndjson", 31337n, undefined, 0);
  const verifyMs = performance.now() - t;
  console.log(`verifyRegistry: ${n} lines in ${(verifyMs / 1000).toFixed(2)} s (${((verifyMs * 1000) / n).toFixed(0)} µs/line), ${record.entries} checked; load ${load()}`);

  const m = Math.min(n, 2000);
  t = performance.now();
  for (let i = 0; i < m; i++) recoverRegistrationSigner(31337n, { wallet: entries[i].wallet, handle: entries[i].username, issuedAt: entries[i].issuedAt }, entries[i].signature);
  const ethersUs = ((performance.now() - t) * 1000) / m;
  console.log(`ethers-only recovery (the fallback path): ${ethersUs.toFixed(0)} µs/line over ${m}; load ${load()}`);

  const config = parseRegistrationsConfig(JSON.stringify({ tag: "#Like2EarnID", chainId: 31337, since: "2025-01-01T00:00:00Z" }), "bench");
  t = performance.now();
  const r = await evaluateRegistrations({ config, posts, users, existing: [] });
  const evalMs = performance.now() - t;
  console.log(`evaluateRegistrations: ${n} valid posts in ${(evalMs / 1000).toFixed(2)} s (${((evalMs * 1000) / n).toFixed(0)} µs/post), ${r.registry.length} registered; load ${load()}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
