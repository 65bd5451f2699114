/**
 * The demo's registration step (issue 12): every X account of the sample data registers its wallet the way a
 * user does on the claim page — the wallet signs the EIP-712 Registration, the account posts the text — and
 * the admin's `registrations` run (scorer/src/register) finds the posts through the local X API server
 * (test/x-server) and writes `registry.ndjson`, which the scorer then takes as its participants.
 *
 * The sample's accounts (data/sample/participants.csv: id, handle, the wallet they will register) are the X
 * world here, not the participants: a participant is whoever the registry says. Wallets #4..#15 sign through the
 * node (unlocked accounts); the other 28 are accounts of the same test mnemonic, signed offline.
 */
import fs from "node:fs";
import path from "node:path";
import { getAddress, HDNodeWallet, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { XClient } from "../../scorer/src/collect/x-client";
import { buildRegistrationPost, REGISTRATION_TYPES, registrationDomain, type RegistryEntry, type RejectedPost } from "../../scorer/src/format/registry";
import type { ChainReader } from "../../scorer/src/onchain";
import { runRegistrations } from "../../scorer/src/register/run";
import { startXServer, type SeedTweet, type SeedUser } from "../../test/x-server";
import { latestTime } from "./chain";

/** Hardhat's default mnemonic: the sample's wallets are its accounts (test keys, never for real funds). */
const TEST_MNEMONIC = "test test test test test test test test test test test junk";
export const DEMO_TAG = "#Like2EarnID";

export interface DemoRegistration {
  /** `registry.ndjson`, the participants of the scoring runs. */
  registryPath: string;
  registry: RegistryEntry[];
  rejected: RejectedPost[];
}

interface SampleAccount {
  userId: string;
  handle: string;
  wallet: string;
}

function readSampleAccounts(sampleDir: string): SampleAccount[] {
  const file = path.join(sampleDir, "participants.csv");
  const [header, ...rows] = fs.readFileSync(file, "utf8").trim().split("\n");
  const cols = header.split(",");
  const at = (name: string) => cols.indexOf(name);
  return rows.map((r) => {
    const f = r.split(",");
    return { userId: f[at("userId")], handle: f[at("handle")].replace(/^@/, ""), wallet: getAddress(f[at("address")]) };
  });
}

/** The key of a sample wallet: a node signer, else the test mnemonic's accounts #100..#199 (offline). */
function keyFor(wallet: string, nodeSigners: Map<string, Signer>): Signer {
  const onNode = nodeSigners.get(wallet);
  if (onNode) return onNode;
  for (let i = 100; i < 200; i++) {
    const w = HDNodeWallet.fromPhrase(TEST_MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`);
    if (w.address === wallet) return w;
  }
  throw new Error(`no key for the sample wallet ${wallet}: regenerate data/sample (scorer/sample/make-sample-data.ts)`);
}

/**
 * Has every sample account sign and post its registration (plus one account that copies another's post, which
 * the run refuses), then runs `registrations` against the local X server. Returns the registry.
 */
export async function registerSampleAccounts(
  hre: HardhatRuntimeEnvironment,
  o: { sampleDir: string; outDir: string; log: (line: string) => void },
): Promise<DemoRegistration> {
  const accounts = readSampleAccounts(o.sampleDir);
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  const nodeSigners = new Map<string, Signer>((await hre.ethers.getSigners()).map((s) => [getAddress(s.address), s as Signer]));
  // X's clock is the chain's, so the posts are in the last 7 days of both.
  const nowMs = Number(await latestTime(hre)) * 1000;
  const users: SeedUser[] = [];
  const tweets: SeedTweet[] = [];
  for (const [i, a] of accounts.entries()) {
    const postedMs = nowMs - (accounts.length - i + 1) * 60_000; // X serves posts older than 30 s
    const issuedAt = Math.floor(postedMs / 1000) - 20;
    const signature = await keyFor(a.wallet, nodeSigners).signTypedData(registrationDomain(chainId), REGISTRATION_TYPES, {
      wallet: a.wallet,
      handle: a.handle.toLowerCase(),
      issuedAt,
    });
    users.push({ id: a.userId, username: a.handle, created_at: "2021-06-01T00:00:00.000Z", public_metrics: { followers_count: 120 + i, following_count: 80, tweet_count: 500, listed_count: 1 } });
    tweets.push({
      id: String(1_900_000_000_000_000_000n + BigInt(i)),
      author_id: a.userId,
      created_at: new Date(postedMs).toISOString(),
      text: buildRegistrationPost({ tag: DEMO_TAG, wallet: a.wallet, issuedAt, signature, handle: a.handle }),
    });
  }
  // Someone copies the first account's post: it registers nobody.
  users.push({ id: "1999999999999999999", username: "copycat_demo", created_at: "2024-01-01T00:00:00.000Z" });
  tweets.push({ id: "1900000000000000999", author_id: "1999999999999999999", created_at: new Date(nowMs - 45_000).toISOString(), text: tweets[0].text });

  const x = await startXServer({ seed: { users, tweets }, now: () => nowMs });
  try {
    const configPath = path.join(o.outDir, "registrations.json");
    fs.writeFileSync(configPath, JSON.stringify({ tag: DEMO_TAG, chainId: Number(chainId), since: new Date(nowMs - 86_400_000).toISOString() }, null, 2) + "\n");
    const registryPath = path.join(o.outDir, "registry.ndjson");
    const r = await runRegistrations({
      configPath,
      outPath: registryPath,
      client: new XClient({ bearerToken: x.token, apiBase: x.url }),
      reader: hre.ethers.provider as unknown as ChainReader,
      now: nowMs,
    });
    o.log(
      `${accounts.length} X accounts posted their signed registration (${DEMO_TAG}); the admin's run searched ${r.search.posts.length} posts on the local X API: ` +
        `${r.result.registry.length} registered, ${r.result.rejected.length} refused`,
    );
    for (const x of r.result.rejected) o.log(`  refused post ${x.postId}: ${x.reason}`);
    o.log(`registry: ${path.relative(hre.config.paths.root, registryPath)} (the participants of every scoring run below)`);
    return { registryPath, registry: r.result.registry, rejected: r.result.rejected };
  } finally {
    await x.stop();
  }
}
