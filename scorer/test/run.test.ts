import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { Interface, ZeroAddress } from "ethers";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ScoreDecreasedError } from "../src/errors";
import { parseManifest } from "../src/format/manifest";
import { POWER_STAKING_ABI } from "../src/onchain";
import { readParticipants } from "../src/ingest/participants";
import { runScore } from "../src/run";
import { verifyManifest } from "../src/verify";
import { ETH, fakeChain, snapshotDir, tmpDir } from "./helpers";

const SAMPLE = join(__dirname, "../../data/sample");
const XAPI = readdirSync(join(SAMPLE, "xapi")).map((f) => join(SAMPLE, "xapi", f));
const WEEK1 = [join(SAMPLE, "engagements.ndjson"), join(SAMPLE, "engagements.csv"), ...XAPI];
const STAKING = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const iface = new Interface(POWER_STAKING_ABI);

async function sampleChain() {
  const people = await readParticipants(join(SAMPLE, "participants.csv"));
  const hardhat = people.slice(0, 12).map((p) => p.address);
  const balances = Object.fromEntries(hardhat.map((a) => [a, 10_000n * ETH]));
  const logs = hardhat.map((a, i) => {
    const { topics, data } = iface.encodeEventLog("StakeUpdated", [a, ZeroAddress, BigInt(i + 1) * ETH, 0n, 0n, 0n]);
    return { blockNumber: 5, index: i, topics, data };
  });
  return () => fakeChain({ blockNumber: 20, timestamp: 1_736_899_200, balances, logs });
}

describe("run: score → outputs → verify (sample data, fake chain)", function () {
  this.timeout(60_000);

  it("event: writes tree.json, proofs, allocations.csv, onchain.json, manifest.json; verify agrees", async () => {
    const chain = await sampleChain();
    const out = join(tmpDir(), "event-1");
    const r = await runScore({
      configPath: join(SAMPLE, "event.config.json"),
      engagementPaths: WEEK1,
      participantsPath: join(SAMPLE, "participants.csv"),
      outDir: out,
      chain: { reader: chain(), staking: STAKING },
    });
    const files = readdirSync(out).sort();
    expect(files).to.deep.equal(["allocations.csv", "manifest.json", "onchain.json", "proofs", "tree.json"]);
    const m = parseManifest(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")));
    expect(m.campaign).to.deep.equal({ kind: "event", id: "1", model: "like2earn", epoch: null });
    expect(m.total).to.equal((10n * ETH).toString());
    expect(m.onchain.snapshotBlock).to.equal(20);
    expect((m.parameters as { snapshotBlock: unknown }).snapshotBlock).to.equal(20); // "latest" recorded as resolved
    expect(m.inputs.engagements.map((e) => e.path)[0]).to.match(/^\.\.\/.*engagements\.ndjson$/);
    expect(m.leafEncoding).to.deep.equal(["uint256", "uint256", "address", "uint256"]);

    // OZ loads the dump and gets the same root; the proofs verify.
    const tree = StandardMerkleTree.load(JSON.parse(readFileSync(join(out, "tree.json"), "utf8")));
    expect(tree.root).to.equal(m.root);
    const csv = readFileSync(join(out, "allocations.csv"), "utf8").trim().split("\n");
    expect(csv[0]).to.equal("account,handle,score,amount");
    expect(csv).to.have.length(m.recipientCount + 1);
    const [account, , scoreText, amount] = csv[1].split(",");
    expect(scoreText).to.match(/^\d+\.\d{18}$/);
    const shard = JSON.parse(readFileSync(join(out, "proofs", `${account.slice(2, 4).toLowerCase()}.json`), "utf8"));
    const entry = shard[account];
    expect(entry.value).to.deep.equal(["1", "0", account, amount]);
    expect(StandardMerkleTree.verify(m.root, ["uint256", "uint256", "address", "uint256"], entry.value, entry.proof)).to.equal(true);
    expect(r.computed.allocations.reduce((s, a) => s + a.amount, 0n)).to.equal(10n * ETH);

    const v = await verifyManifest({ manifestPath: join(out, "manifest.json") });
    expect(v.problems).to.deep.equal([]);
    expect(v.ok).to.equal(true);
    expect(v.root).to.equal(m.root);
    // With the chain read again.
    const v2 = await verifyManifest({ manifestPath: join(out, "manifest.json"), reader: chain() });
    expect(v2.ok, v2.problems.join("; ")).to.equal(true);

    // Same inputs, same root (a second run into another directory).
    const again = await runScore({
      configPath: join(SAMPLE, "event.config.json"),
      engagementPaths: [...WEEK1].reverse(),
      participantsPath: join(SAMPLE, "participants.csv"),
      outDir: join(tmpDir(), "event-1b"),
      chain: { reader: chain(), staking: STAKING },
    });
    expect(again.manifest.root).to.equal(m.root);
  });

  it("verify reports a changed input and a changed chain", async () => {
    const chain = await sampleChain();
    const dir = tmpDir();
    cpSync(SAMPLE, join(dir, "sample"), { recursive: true });
    const s = join(dir, "sample");
    const out = join(dir, "out");
    await runScore({
      configPath: join(s, "event.config.json"),
      engagementPaths: [join(s, "engagements.ndjson")],
      participantsPath: join(s, "participants.csv"),
      outDir: out,
      chain: { reader: chain(), staking: STAKING },
    });
    // A changed chain: the balances at the snapshot differ from the recorded onchain.json.
    const v0 = await verifyManifest({ manifestPath: join(out, "manifest.json"), reader: fakeChain({ blockNumber: 20, timestamp: 1_736_899_200 }) });
    expect(v0.ok).to.equal(false);
    expect(v0.problems[0]).to.equal("the chain's balances/stakes at block 20 differ from onchain.json");
    // A changed input: drop the last 1000 engagements.
    writeFileSync(join(s, "engagements.ndjson"), readFileSync(join(s, "engagements.ndjson"), "utf8").split("\n").slice(0, -1000).join("\n"));
    const v = await verifyManifest({ manifestPath: join(out, "manifest.json") });
    expect(v.ok).to.equal(false);
    expect(v.problems[0]).to.match(/engagements \.\.\/sample\/engagements\.ndjson has SHA-256 [0-9a-f]{64}, the manifest says/);
    expect(v.problems.some((p) => p.startsWith("root "))).to.equal(true);
  });

  it("channel: epoch 2 over weeks 1 + 2 grows every score; a doctored previous epoch is refused and --out untouched", async () => {
    const chain = await sampleChain();
    const dir = tmpDir();
    const e1 = join(dir, "channel-1-epoch-1");
    const e2 = join(dir, "channel-1-epoch-2");
    const common = { participantsPath: join(SAMPLE, "participants.csv"), chain: { reader: chain(), staking: STAKING } };
    const r1 = await runScore({ ...common, configPath: join(SAMPLE, "channel.config.json"), engagementPaths: WEEK1, outDir: e1 });
    expect(r1.manifest.campaign).to.deep.equal({ kind: "channel", id: "1", model: "social-ai", epoch: 1 });
    expect(r1.manifest.leafEncoding).to.deep.equal(["uint256", "address", "uint256"]);
    expect(r1.manifest.recipientCount).to.equal(12); // only staked participants have power

    const week2 = [...WEEK1, join(SAMPLE, "engagements-week2.ndjson")];
    // Epoch 2 without --previous is refused.
    let missing: unknown;
    try {
      await runScore({ ...common, configPath: join(SAMPLE, "channel-epoch2.config.json"), engagementPaths: week2, outDir: e2 });
    } catch (e) {
      missing = e;
    }
    expect((missing as Error).message).to.contain("needs --previous DIR");

    const r2 = await runScore({ ...common, configPath: join(SAMPLE, "channel-epoch2.config.json"), engagementPaths: week2, outDir: e2, previousDir: e1 });
    const before = new Map(r1.computed.allocations.map((a) => [a.address, a.amount]));
    for (const a of r2.computed.allocations) expect(a.amount >= (before.get(a.address) ?? 0n)).to.equal(true);
    expect(r2.manifest.inputs.previous?.epoch).to.equal(1);
    expect((await verifyManifest({ manifestPath: join(e2, "manifest.json") })).ok).to.equal(true);

    // Doctor epoch 1 so that one account had more than epoch 2 gives it: refused, e2 untouched.
    const csvPath = join(e1, "allocations.csv");
    const lines = readFileSync(csvPath, "utf8").split("\n");
    const cells = lines[1].split(",");
    cells[3] = (BigInt(cells[3]) * 1000n).toString();
    lines[1] = cells.join(",");
    writeFileSync(csvPath, lines.join("\n"));
    const manifestPath = join(e1, "manifest.json");
    const m1 = JSON.parse(readFileSync(manifestPath, "utf8"));
    m1.outputs.allocations.sha256 = require("node:crypto").createHash("sha256").update(readFileSync(csvPath)).digest("hex");
    writeFileSync(manifestPath, JSON.stringify(m1));
    const snapshot = snapshotDir(e2);
    let refused: unknown;
    try {
      await runScore({ ...common, configPath: join(SAMPLE, "channel-epoch2.config.json"), engagementPaths: week2, outDir: e2, previousDir: e1 });
    } catch (e) {
      refused = e;
    }
    expect(refused).to.be.instanceOf(ScoreDecreasedError);
    expect((refused as Error).message).to.contain(`cumulative score of ${cells[0]} went down from ${cells[3]} (epoch 1)`);
    expect(snapshotDir(e2)).to.deep.equal(snapshot);
  });
});
