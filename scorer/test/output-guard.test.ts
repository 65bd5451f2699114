/**
 * `score --out` never loses a result: a file is never replaced, a folder that is not a scorer output or an
 * output whose root is posted is refused unless --force, and whatever is replaced is kept as a backup sibling.
 */
import { expect } from "chai";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Interface } from "ethers";
import { chainDataFromMaps } from "../src/chain-data";
import { rootPosted } from "../src/deployment";
import type { Manifest } from "../src/format/manifest";
import type { PostedCheck } from "../src/output";
import { runScore } from "../src/run";
import { fakeChain, snapshotDir, writeFiles } from "./helpers";

const HH4 = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const HH5 = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const CONFIG = JSON.stringify({
  kind: "event",
  campaignId: "1",
  model: "like2earn",
  period: { start: "2025-01-06T00:00:00Z", end: "2025-01-13T00:00:00Z" },
  types: ["like", "comment"],
  pot: "1000000",
});
const NDJSON = [
  { id: "1", type: "like", contentId: "p1", contentAuthorId: "100", userId: "200", timestamp: "2025-01-06T10:00:00Z" },
  { id: "2", type: "comment", contentId: "p2", contentAuthorId: "200", userId: "100", timestamp: "2025-01-06T11:00:00Z" },
]
  .map((r) => JSON.stringify(r))
  .join("\n");

function setup(extra: Record<string, string> = {}) {
  const dir = writeFiles({ "config.json": CONFIG, "participants.csv": `userId,handle,address\n100,alice,${HH4}\n200,bob,${HH5}\n`, "e.ndjson": NDJSON, ...extra });
  const run = (out: string, o: { force?: boolean; isPosted?: PostedCheck } = {}) =>
    runScore({
      configPath: join(dir, "config.json"),
      engagementPaths: [join(dir, "e.ndjson")],
      participantsPath: join(dir, "participants.csv"),
      outDir: join(dir, out),
      chain: { data: chainDataFromMaps({}) },
      ...o,
    });
  return { dir, run };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a refusal");
}

const siblings = (dir: string, name: string) => readdirSync(dir).filter((n) => n.startsWith(`${name}.replaced-`));

describe("score --out guard", () => {
  it("never replaces a regular file, even with --force", async () => {
    const { dir, run } = setup({ "out.txt": "my notes" });
    for (const force of [false, true]) {
      expect(await refusal(run("out.txt", { force }))).to.match(/--out .*out\.txt is a file, not a folder: the scorer never replaces a file/);
      expect(readFileSync(join(dir, "out.txt"), "utf8")).to.equal("my notes");
    }
  });

  it("refuses a folder that is not a scorer output unless --force, then keeps it as a backup sibling", async () => {
    const { dir, run } = setup({ "notes/todo.md": "call the brand", "notes/manifest.json": "{\"format\":\"something-else\"}" });
    const before = snapshotDir(join(dir, "notes"));
    expect(await refusal(run("notes"))).to.match(/--out .*notes is not a scorer output \(its manifest\.json is not a scorer manifest.*refusing to replace it/);
    expect(snapshotDir(join(dir, "notes"))).to.deep.equal(before);
    const r = await run("notes", { force: true });
    const [backup] = siblings(dir, "notes");
    expect(r.backupDir).to.equal(join(dir, backup));
    expect(snapshotDir(join(dir, backup))).to.deep.equal(before);
    expect(JSON.parse(readFileSync(join(dir, "notes", "manifest.json"), "utf8")).root).to.equal(r.manifest.root);
  });

  it("replaces an earlier output whose root is not posted, keeping it as a backup sibling", async () => {
    const { dir, run } = setup();
    const first = await run("out");
    expect(first.backupDir).to.equal(null);
    const before = snapshotDir(join(dir, "out"));
    const asked: Manifest[] = [];
    const second = await run("out", { isPosted: async (m) => (asked.push(m), { posted: false, where: "test" }) });
    expect(asked.map((m) => m.root)).to.deep.equal([first.manifest.root]);
    expect(second.backupDir).to.not.equal(null);
    expect(snapshotDir(second.backupDir!)).to.deep.equal(before);
    expect(dirname(second.backupDir!)).to.equal(dir);
    // No temporary folders left behind.
    expect(readdirSync(dir).filter((n) => n.includes(".tmp-") || n.includes(".old-"))).to.deep.equal([]);
  });

  it("refuses an output whose root is posted on chain unless --force", async () => {
    const { dir, run } = setup();
    await run("out");
    const before = snapshotDir(join(dir, "out"));
    const posted: PostedCheck = async () => ({ posted: true, where: "rewards 0xabc, block 7" });
    expect(await refusal(run("out", { isPosted: posted }))).to.match(/holds event 1 whose root 0x[0-9a-f]{64} is posted on chain \(rewards 0xabc, block 7\): refusing/);
    expect(snapshotDir(join(dir, "out"))).to.deep.equal(before);
    expect(siblings(dir, "out")).to.deep.equal([]);
    const forced = await run("out", { isPosted: posted, force: true });
    expect(snapshotDir(forced.backupDir!)).to.deep.equal(before);
  });

  it("says when it could not tell whether the root is posted", async () => {
    const { run } = setup();
    await run("out");
    const r = await run("out", { isPosted: async () => undefined });
    expect(r.notes.join("\n")).to.match(/could not check whether the root of event 1 .* is posted/);
    expect(r.backupDir).to.not.equal(null);
  });

  it("an empty folder is used as it is", async () => {
    const { dir, run } = setup();
    mkdirSync(join(dir, "empty"));
    const r = await run("empty");
    expect(r.backupDir).to.equal(null);
  });
});

describe("rootPosted", () => {
  const iface = new Interface([
    "event EventRootPosted(uint256 indexed eventId, bytes32 root, uint256 total, uint256 recipientCount, bytes32 manifestHash, uint40 claimableAt)",
  ]);
  const REWARDS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  const manifest = (root: string) => ({ campaign: { kind: "event", id: "3", model: "like2earn", epoch: null }, root }) as unknown as Manifest;
  it("finds the root among the campaign's EventRootPosted logs, and only there", async () => {
    const root = `0x${"ab".repeat(32)}`;
    const { topics, data } = iface.encodeEventLog("EventRootPosted", [3n, root, 10n, 2n, `0x${"00".repeat(32)}`, 99n]);
    const chain = fakeChain({ blockNumber: 250_000, logs: [{ blockNumber: 123_456, index: 0, topics, data }] });
    expect(await rootPosted(chain, REWARDS, manifest(root))).to.deep.equal({ posted: true, block: 123_456 });
    expect(await rootPosted(chain, REWARDS, manifest(`0x${"cd".repeat(32)}`))).to.deep.equal({ posted: false });
  });
});

describe("proof shards pinned by the manifest; verify finds copied inputs by hash", () => {
  it("lists every shard with its hash; a deleted, edited or extra shard is named by verify", async () => {
    const { verifyManifest } = await import("../src/verify");
    const { dir, run } = setup();
    const r = await run("out");
    const listed = r.manifest.outputs.proofs!;
    expect(listed.map((x) => x.path)).to.deep.equal(Array.from({ length: 256 }, (_, i) => `proofs/${i.toString(16).padStart(2, "0")}.json`));
    const ok = await verifyManifest({ manifestPath: join(dir, "out", "manifest.json") });
    expect(ok.problems).to.deep.equal([]);
    // Alice's shard (0x15…) edited, Bob's (0x99…) deleted, a stray one added.
    const { rmSync } = await import("node:fs");
    const alice = join(dir, "out", "proofs", "15.json");
    writeFileSync(alice, readFileSync(alice, "utf8").replace(/"\d+"\]/, '"999999"]'));
    rmSync(join(dir, "out", "proofs", "99.json"));
    writeFileSync(join(dir, "out", "proofs", "zz.json"), "{}");
    const bad = await verifyManifest({ manifestPath: join(dir, "out", "manifest.json") });
    expect(bad.ok).to.equal(false);
    expect(bad.problems).to.include("proofs/15.json differs from the shard rebuilt from tree.json (edited or corrupted)");
    expect(bad.problems).to.include("proofs/99.json is missing (tree.json has it): claimants in it would be told they have nothing");
    expect(bad.problems).to.include("proofs/zz.json is not a shard of tree.json (remove it)");
  });

  it("a copied output folder verifies with --inputs DIR (hashes decide which file is which)", async () => {
    const { verifyManifest } = await import("../src/verify");
    const { cpSync } = await import("node:fs");
    const { dir, run } = setup();
    await run("out");
    const elsewhere = writeFiles({});
    cpSync(join(dir, "out"), join(elsewhere, "copy"), { recursive: true });
    const missing = await verifyManifest({ manifestPath: join(elsewhere, "copy", "manifest.json") });
    expect(missing.ok).to.equal(false);
    expect(missing.problems[0]).to.match(/^config \.\.\/config\.json is missing \(looked beside the manifest; --inputs DIR searches another folder\)/);
    // The inputs, renamed decoys included: only the right hashes are taken.
    const inputs = writeFiles({ "config.json": CONFIG, "e.ndjson": NDJSON, "participants.csv": readFileSync(join(dir, "participants.csv"), "utf8") });
    const found = await verifyManifest({ manifestPath: join(elsewhere, "copy", "manifest.json"), inputsDir: inputs });
    expect(found.problems).to.deep.equal([]);
    expect(found.ok).to.equal(true);
    writeFileSync(join(inputs, "e.ndjson"), NDJSON + "\n");
    const changed = await verifyManifest({ manifestPath: join(elsewhere, "copy", "manifest.json"), inputsDir: inputs });
    expect(changed.problems[0]).to.match(/^engagements \.\.\/e\.ndjson has SHA-256 [0-9a-f]{64}, the manifest says/);
  });
});

describe("when nobody scores, the run says why", () => {
  const runWith = async (config: Record<string, unknown>, rows: string) => {
    const dir = writeFiles({
      "config.json": JSON.stringify(config),
      "participants.csv": `userId,handle,address\n100,alice,${HH4}\n200,bob,${HH5}\n`,
      "e.ndjson": rows,
    });
    return refusal(
      runScore({
        configPath: join(dir, "config.json"),
        engagementPaths: [join(dir, "e.ndjson")],
        participantsPath: join(dir, "participants.csv"),
        outDir: join(dir, "out"),
        chain: { data: chainDataFromMaps({ snapshotBlock: 42 }) },
      }),
    );
  };
  const base = JSON.parse(CONFIG) as Record<string, unknown>;

  it("no engagement in the period", async () => {
    const msg = await runWith({ ...base, period: { start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z" } }, NDJSON);
    expect(msg).to.match(/^nobody scores: no engagement falls in the period 2026-01-01T00:00:00\.000Z \.\. 2026-01-02T00:00:00\.000Z/);
    expect(msg).to.contain("2 engagements read, 0 in the period");
  });

  it("no counted type", async () => {
    expect(await runWith({ ...base, types: ["quote"] }, NDJSON)).to.match(/^nobody scores: no counted engagement in the period \(counted types: quote\)/);
  });

  it("model social-ai with no stake at the snapshot", async () => {
    const { pot: _pot, ...rest } = base;
    const msg = await runWith({ ...rest, kind: "channel", epoch: 1, model: "social-ai", stake: "at-snapshot" }, NDJSON);
    expect(msg).to.match(/^nobody scores: nobody had powered up at block 42: model social-ai weighs by stake/);
  });
});
