import { expect } from "chai";
import { Interface, ZeroAddress } from "ethers";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig, parsePot } from "../src/config";
import { ChainError, InputError, ScorerError } from "../src/errors";
import { parseManifest } from "../src/format/manifest";
import type { ChainReader } from "../src/onchain";
import { runScore } from "../src/run";
import { verifyManifest } from "../src/verify";
import { ETH, fakeChain, tmpDir } from "./helpers";

const SAMPLE = join(__dirname, "../../data/sample");
const REWARDS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const BOUNTY_ABI = new Interface([
  "function getEventBounty(uint256 eventId) view returns ((address brand, address token, uint40 start, uint40 end, uint40 claimWindow, uint40 rootDeadline, uint128 funded, uint128 total, uint128 claimed, uint64 recipientCount, bool settled, uint40 challengePeriod, uint256 claimsCloseAt))",
]);

/**
 * The fake chain of the scorer tests, plus a rewards contract at REWARDS answering getEventBounty: event 1
 * funded with `funded` wei (ends at `end`, Unix seconds); any other id is unknown (brand 0). Records the
 * block each pot read was made at.
 */
function chainWithBounty(funded: bigint, end = 1_736_726_400): ChainReader & { potReads: number[] } {
  const base = fakeChain({ blockNumber: 20, timestamp: 1_736_899_200 });
  const potReads: number[] = [];
  return {
    ...base,
    potReads,
    async getCode(a, tag) {
      return a.toLowerCase() === REWARDS.toLowerCase() ? "0x6080" : a.endsWith("bad") ? "0x" : base.getCode(a, tag);
    },
    async call(tx) {
      if (tx.to.toLowerCase() !== REWARDS.toLowerCase()) return base.call(tx);
      const [id] = BOUNTY_ABI.decodeFunctionData("getEventBounty", tx.data);
      potReads.push(tx.blockTag ?? -1);
      const known = id === 1n;
      const brand = known ? "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" : ZeroAddress;
      return BOUNTY_ABI.encodeFunctionResult("getEventBounty", [[brand, ZeroAddress, 0, known ? end : 0, 0, 0, known ? funded : 0n, 0n, 0n, 0n, false, 0, 0n]]);
    },
  };
}

/** The sample event config without its pot, written to a temp folder (optionally with other changes). */
function configWithoutPot(changes: Record<string, unknown> = {}): string {
  const json = JSON.parse(readFileSync(join(SAMPLE, "event.config.json"), "utf8")) as Record<string, unknown>;
  delete json.pot;
  const file = join(tmpDir(), "event.config.json");
  writeFileSync(file, JSON.stringify({ ...json, ...changes }, null, 2));
  return file;
}

const scoreSample = (configPath: string, reader: ChainReader | null, rewards?: string | null) =>
  runScore({
    configPath,
    engagementPaths: [join(SAMPLE, "engagements.ndjson")],
    participantsPath: join(SAMPLE, "participants.csv"),
    outDir: join(tmpDir(), "out"),
    chain: reader ? { reader, staking: null } : { data: { chainId: "31337", snapshotBlock: 20, snapshotTimestamp: 1_736_899_200, staking: null, powerAsset: ZeroAddress, accounts: new Map() } as never },
    rewards,
  });

const base = { kind: "event", campaignId: "1", model: "like2earn", period: { start: "2025-01-06T00:00:00Z", end: "2025-01-13T00:00:00Z" } };

describe("the pot", () => {
  it('reads "12 ETH", decimals of ETH and wei strings exactly', () => {
    expect(parsePot("12 ETH")).to.equal(12n * 10n ** 18n);
    expect(parsePot("0.5 ETH")).to.equal(5n * 10n ** 17n);
    expect(parsePot("1.000000000000000001 eth")).to.equal(10n ** 18n + 1n);
    expect(parsePot("12000000000000000000")).to.equal(12n * 10n ** 18n);
    for (const bad of ["12 ETHER", "1.0000000000000000001 ETH", "-1", "1e18", "12 wei", ""]) expect(parsePot(bad), bad).to.equal(undefined);
    expect(parseConfig({ ...base, pot: "12 ETH" }).pot).to.equal(12n * 10n ** 18n);
  });

  it("refuses a JSON number (10 would be 10 wei) with the fix", () => {
    let e: unknown;
    try {
      parseConfig({ ...base, pot: 10 });
    } catch (x) {
      e = x;
    }
    expect(e).to.be.instanceOf(InputError);
    expect((e as InputError).field).to.equal("pot");
    expect((e as Error).message).to.contain('a JSON number is ambiguous for the pot: write "12 ETH", or wei as a string');
  });
});

describe("the pot read from the chain (config without pot)", function () {
  this.timeout(60_000);
  const FUNDED = 7n * ETH + 123n; // odd on purpose: every wei must be allocated

  it("allocates exactly the event's funded amount at the snapshot block; the manifest records it and verify reproduces the root", async () => {
    const chain = chainWithBounty(FUNDED);
    const r = await scoreSample(configWithoutPot(), chain, REWARDS);
    expect(r.computed.allocations.reduce((s, a) => s + a.amount, 0n)).to.equal(FUNDED);
    expect(chain.potReads).to.deep.equal([20]); // the snapshot block ("latest" = 20 here)
    const m = parseManifest(JSON.parse(readFileSync(join(r.outDir, "manifest.json"), "utf8")));
    expect(m.total).to.equal(FUNDED.toString());
    expect((m.parameters as { pot: unknown }).pot).to.equal(FUNDED.toString());
    expect(m.potSource).to.equal("chain");
    expect(r.notes.join("\n")).to.contain(`pot ${FUNDED} wei: event 1's funded amount on rewards ${REWARDS} at block 20`);
    const v = await verifyManifest({ manifestPath: join(r.outDir, "manifest.json") });
    expect(v.problems).to.deep.equal([]);
    expect(v.root).to.equal(m.root);
  });

  it("verify --rpc reads the pot again: the same chain passes, a chain with another funded pot fails naming parameters.pot", async () => {
    const r = await scoreSample(configWithoutPot(), chainWithBounty(FUNDED), REWARDS);
    const manifestPath = join(r.outDir, "manifest.json");
    const same = chainWithBounty(FUNDED);
    const ok = await verifyManifest({ manifestPath, reader: same, rewards: REWARDS });
    expect(ok.problems).to.deep.equal([]);
    expect(same.potReads).to.deep.equal([20]); // read again, at the recorded snapshot block

    const other = await verifyManifest({ manifestPath, reader: chainWithBounty(FUNDED + 1n), rewards: REWARDS });
    expect(other.ok).to.equal(false);
    expect(other.problems).to.deep.equal([`parameters.pot in ${manifestPath} is ${FUNDED} wei, but event 1's funded pot on rewards ${REWARDS} at block 20 is ${FUNDED + 1n} wei`]);

    const unknown = await verifyManifest({ manifestPath, reader: chainWithBounty(FUNDED), rewards: null });
    expect(unknown.problems).to.deep.equal([`parameters.pot in ${manifestPath} was read from the chain (potSource "chain") but no rewards contract is known for chain 31337 to read it again: pass --rewards <address>`]);
    const noCode = await verifyManifest({ manifestPath, reader: chainWithBounty(FUNDED), rewards: "0x0000000000000000000000000000000000000bad" });
    expect(noCode.problems.join("\n")).to.match(/^parameters\.pot in .*: no contract at 0x0000000000000000000000000000000000000bad/);
  });

  it("verify --rpc leaves a pot written in the config alone (potSource config)", async () => {
    const r = await scoreSample(join(SAMPLE, "event.config.json"), chainWithBounty(FUNDED), REWARDS);
    const chain = chainWithBounty(FUNDED);
    const v = await verifyManifest({ manifestPath: join(r.outDir, "manifest.json"), reader: chain, rewards: REWARDS });
    expect(v.problems).to.deep.equal([]);
    expect(chain.potReads).to.deep.equal([]);
  });

  it("a pot in the config wins over the chain's funded amount (publish warns about the difference)", async () => {
    const chain = chainWithBounty(FUNDED);
    const r = await scoreSample(join(SAMPLE, "event.config.json"), chain, REWARDS);
    expect(r.computed.total).to.equal(10n * ETH);
    expect(chain.potReads).to.deep.equal([]);
    expect(r.manifest.potSource).to.equal("config");
  });

  it("notes that a top-up is still possible when the snapshot is before the event's on-chain end", async () => {
    const r = await scoreSample(configWithoutPot(), chainWithBounty(FUNDED, 1_736_899_200 + 3600), REWARDS);
    expect(r.notes.join("\n")).to.match(/event 1 can still be funded until 2025-01-15T01:00:00.000Z/);
  });

  it("says what to do without a chain, without a rewards address, for an unknown event", async () => {
    const noPot = configWithoutPot();
    const failure = async (p: Promise<unknown>) => p.then(() => expect.fail("expected a failure"), (e: Error) => e);
    const noChain = await failure(scoreSample(noPot, null));
    expect(noChain).to.be.instanceOf(ScorerError);
    expect(noChain.message).to.contain("has no pot and there is no chain to read event 1's funded pot from");
    expect(noChain.message).to.contain('"pot": "12 ETH"');
    const noRewards = await failure(scoreSample(noPot, chainWithBounty(FUNDED), null));
    expect(noRewards.message).to.contain("no rewards contract is known for chain 31337 (no deployment record): pass --rewards <address>");
    const unknown = await failure(scoreSample(configWithoutPot({ campaignId: "2" }), chainWithBounty(FUNDED), REWARDS));
    expect(unknown).to.be.instanceOf(ChainError);
    expect(unknown.message).to.contain("event 2 does not exist on the rewards contract");
    const noCode = await failure(scoreSample(noPot, chainWithBounty(FUNDED), "0x0000000000000000000000000000000000000bad"));
    expect(noCode.message).to.contain("no contract at 0x0000000000000000000000000000000000000bad");
  });
});
