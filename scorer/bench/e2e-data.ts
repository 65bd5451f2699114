/**
 * Synthetic inputs for the end-to-end benchmark rows (`npm run bench:scorer -- --only=e2e`), or alone:
 *
 *   npx ts-node --transpile-only scorer/bench/e2e-data.ts DIR [engagements=1000000] [participants=100000]
 *
 * Writes DIR/engagements.ndjson (X-shaped 19-digit ids, ~180 bytes a row, 20,000 posts), DIR/participants.csv,
 * DIR/one-tier.config.json and DIR/three-tiers.config.json (an event over one week, likes + retweets + quotes +
 * comments). Seeded: the same bytes every run. 90% of engagers are registered participants.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { getAddress } from "ethers";

export const E2E_PERIOD = { start: "2025-01-06T00:00:00.000Z", end: "2025-01-13T00:00:00.000Z" } as const;

/** mulberry32: small, fast, and the same on every machine. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export interface E2eFiles {
  readonly engagements: string;
  readonly participants: string;
  readonly oneTier: string;
  readonly threeTiers: string;
  /** The participants' addresses (checksummed), in file order. */
  readonly addresses: readonly string[];
}

const TYPES = ["like", "like", "like", "like", "retweet", "quote", "comment", "view"] as const;

export async function writeE2eData(dir: string, engagements = 1_000_000, participants = 100_000, posts = 20_000): Promise<E2eFiles> {
  await mkdir(dir, { recursive: true });
  const rnd = prng(20250106);
  const userId = (i: number) => (1_700_000_000_000_000_000n + BigInt(i) * 7919n).toString();
  const addresses: string[] = [];
  let csv = "userId,handle,address\n";
  for (let i = 0; i < participants; i++) {
    const hex = Array.from({ length: 5 }, () => rnd().toString(16).padStart(8, "0")).join("");
    const address = getAddress(`0x${hex}`);
    addresses.push(address);
    csv += `${userId(i)},user_${i},${address}\n`;
  }
  const participantsPath = join(dir, "participants.csv");
  await writeFile(participantsPath, csv);

  const start = Date.parse(E2E_PERIOD.start);
  const span = Date.parse(E2E_PERIOD.end) - start;
  const authors = Array.from({ length: posts }, () => rnd() % participants);
  const postIds = Array.from({ length: posts }, (_, i) => (1_876_000_000_000_000_000n + BigInt(i) * 104_729n).toString());
  const engagementsPath = join(dir, "engagements.ndjson");
  const out = createWriteStream(engagementsPath);
  let chunk = "";
  for (let i = 0; i < engagements; i++) {
    const post = rnd() % posts;
    const r = rnd();
    // 10% of engagers are X users who never registered (they count in n and in V, not in payouts).
    const user = r % 10 === 0 ? (2_000_000_000_000_000_000n + BigInt(r % 50_000)).toString() : userId(r % participants);
    const time = new Date(start + (rnd() % span)).toISOString();
    const type = TYPES[rnd() % TYPES.length];
    chunk += `{"id":"${1_877_000_000_000_000_000n + BigInt(i)}","type":"${type}","contentId":"${postIds[post]}","contentAuthorId":"${userId(
      authors[post],
    )}","userId":"${user}","timestamp":"${time}"}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");

  const config = (tiers: { min: string; k: string }[]) =>
    `${JSON.stringify(
      {
        kind: "event",
        campaignId: "1",
        model: "like2earn",
        period: E2E_PERIOD,
        types: ["like", "retweet", "quote", "comment"],
        pot: "10000000000000000000",
        like2earn: { r: "3", curve: "cutoff", kCreator: "0.5", kUser: { tiers } },
      },
      null,
      2,
    )}\n`;
  const oneTier = join(dir, "one-tier.config.json");
  const threeTiers = join(dir, "three-tiers.config.json");
  await writeFile(oneTier, config([{ min: "0", k: "1" }]));
  await writeFile(
    threeTiers,
    config([
      { min: "0", k: "1" },
      { min: "1000000000000000000", k: "1.2" },
      { min: "10000000000000000000", k: "1.5" },
    ]),
  );
  return { engagements: engagementsPath, participants: participantsPath, oneTier, threeTiers, addresses };
}

if (require.main === module) {
  const [dir, e, p] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write("usage: e2e-data.ts DIR [engagements] [participants]\n");
    process.exit(1);
  }
  writeE2eData(resolve(dir), e ? Number(e) : undefined, p ? Number(p) : undefined).then(
    (f) => process.stdout.write(`${JSON.stringify({ ...f, addresses: f.addresses.length })}\n`),
    (err) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    },
  );
}
