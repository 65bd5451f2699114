/**
 * The admin's `registrations` run against the local X API v2 server (test/x-server, real HTTP on 127.0.0.1)
 * and Hardhat's in-process chain (the EIP-1271 test wallet), then `score --participants registry.ndjson`
 * and `verify` on what it built.
 */
import { expect } from "chai";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ContractFactory, getAddress, type Contract, type Signer } from "ethers";
import { XClient } from "../src/collect/x-client";
import { main, type CliIo } from "../src/cli";
import { rejectedPathFor, type RegistryEntry, type RejectedPost } from "../src/format/registry";
import type { ChainReader } from "../src/onchain";
import { checkpointPathFor, runRegistrations } from "../src/register/run";
import { runScore } from "../src/run";
import { verifyManifest } from "../src/verify";
import { startXServer, type SeedTweet, type SeedUser, type XServer } from "../../test/x-server";
import { registrationText, signRegistration, TAG, testWallet } from "./register-fixtures";
import { tmpDir } from "./helpers";
import { buildRegistrationPost } from "../src/format/registry";

const NOW = Date.parse("2025-03-10T12:00:00Z");
const MIN = 60_000;
const at = (minutesBeforeNow: number) => new Date(NOW - minutesBeforeNow * MIN).toISOString();
const sec = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function seedUser(id: string, username: string, followers = 50): SeedUser {
  return { id, username, created_at: "2019-05-01T00:00:00.000Z", public_metrics: { followers_count: followers, following_count: 1, tweet_count: 10, listed_count: 0 } };
}

const readLines = <T>(p: string): T[] =>
  readFileSync(p, "utf8")
    .split("\n")
    .filter((l) => l)
    .map((l) => JSON.parse(l) as T);

describe("registrations: local X API server + Hardhat chain", function () {
  this.timeout(180_000);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hre = require("hardhat");
  let x: XServer;
  let reader: ChainReader;
  let smart: Contract;
  let smartOwner: Signer;
  let dir: string;
  let configPath: string;
  const ka = testWallet(11);
  const kb = testWallet(12);
  const kc = testWallet(13);
  const kd = testWallet(14);
  const users = {
    alice: seedUser("1001", "Alice"),
    bob: seedUser("1002", "bob"),
    carol: seedUser("1003", "carol"),
    dave: seedUser("1004", "dave"),
    erin: seedUser("1005", "erin"),
    frank: seedUser("1006", "frank_sc"),
    gina: seedUser("1007", "gina"),
    hank: seedUser("1008", "hank"),
    noise: seedUser("1099", "chatty"),
  };
  const tweets: SeedTweet[] = [];
  const tw = (id: string, u: SeedUser, minutesBeforeNow: number, text: string) => tweets.push({ id, author_id: u.id, created_at: at(minutesBeforeNow), text });

  before(async function () {
    const signers = await hre.ethers.getSigners();
    smartOwner = signers[7];
    const art = await hre.artifacts.readArtifact("Erc1271TestWallet");
    smart = (await new ContractFactory(art.abi, art.bytecode, signers[0]).deploy(await smartOwner.getAddress())) as Contract;
    await smart.waitForDeployment();
    reader = hre.ethers.provider as ChainReader;
    const smartAddress = getAddress(await smart.getAddress());

    const aliceText = await registrationText(ka, { handle: "Alice", issuedAt: sec(at(600)) - 5 });
    tw("2001", users.alice, 600, aliceText);
    // bob's text names kc's wallet but kb signed it
    tw("2002", users.bob, 590, await registrationText(kb, { wallet: kc.address, handle: "bob", issuedAt: sec(at(590)) }));
    // carol typed "caroline" on the page
    tw("2003", users.carol, 580, await registrationText(kc, { handle: "caroline", issuedAt: sec(at(580)) }));
    // dave copies alice's post
    tw("2004", users.dave, 570, aliceText);
    // erin's issued= is an hour after her post
    tw("2005", users.erin, 560, await registrationText(kd, { handle: "erin", issuedAt: sec(at(560)) + 3600 }));
    // gina's sig= lost characters
    tw("2006", users.gina, 550, (await registrationText(testWallet(15), { handle: "gina", issuedAt: sec(at(550)) })).slice(0, -6));
    // hank claims alice's wallet (ka signed it for hank): the wallet is taken
    tw("2007", users.hank, 540, await registrationText(ka, { handle: "hank", issuedAt: sec(at(540)) }));
    // alice re-registers with a new wallet
    tw("2008", users.alice, 500, await registrationText(kd, { handle: "alice", issuedAt: sec(at(500)) - 60 }));
    // frank's smart wallet: the owner signs, the contract (EIP-1271) accepts
    const frankIssued = sec(at(490));
    const frankSig = await signRegistration(smartOwner, smartAddress, "frank_sc", frankIssued);
    tw("2009", users.frank, 490, buildRegistrationPost({ tag: TAG, wallet: smartAddress, issuedAt: frankIssued, signature: frankSig, handle: "frank_sc" }));
    // bob retweets alice's registration
    tw("2010", users.bob, 480, `RT @Alice: ${aliceText}`);
    // a registration before `since`
    tw("2011", users.gina, 60 * 24 * 3, await registrationText(testWallet(16), { handle: "gina", issuedAt: sec(at(60 * 24 * 3)) }));
    // 110 posts that only talk about the tag: two pages of search results
    for (let i = 0; i < 110; i++) tw(String(3000 + i), users.noise, 400 - i, `gm ${i % 2 ? TAG : TAG.toLowerCase()} frens`);

    x = await startXServer({ seed: { users: Object.values(users), tweets }, now: () => NOW, faults: [{ kind: "rate-limit", endpoint: "search_recent", nth: 2, resetInSeconds: 1 }] });
    dir = tmpDir("register-");
    configPath = join(dir, "registrations.json");
    writeFileSync(configPath, JSON.stringify({ tag: TAG, chainId: 31337, since: at(60 * 24) }, null, 2));
  });

  after(async () => {
    await x?.stop();
  });

  const client = (retry = {}) => new XClient({ bearerToken: x.token, apiBase: x.url, retry: { resetSlackMs: 10, baseDelayMs: 5, ...retry } });

  it("builds the registry: valid EOA and EIP-1271 registrations, every other post refused with its reason", async () => {
    const out = join(dir, "registry.ndjson");
    const r = await runRegistrations({ configPath, outPath: out, client: client(), reader, now: NOW });
    const searches = x.requests.filter((q) => q.endpoint === "search_recent");
    expect(searches.map((q) => q.status)).to.deep.equal([200, 429, 200]);
    expect(searches[0].query).to.include({
      query: TAG,
      expansions: "author_id",
      "user.fields": "username,created_at,public_metrics",
      "tweet.fields": "created_at,author_id,referenced_tweets",
      max_results: "100",
      start_time: at(60 * 24),
    });
    expect(searches[2].query.next_token).to.be.a("string");

    const registry = readLines<RegistryEntry>(out);
    const smartAddress = getAddress(await smart.getAddress());
    expect(registry.map((e) => [e.userId, e.username, e.wallet, e.postId])).to.deep.equal([
      ["1001", "Alice", kd.address, "2008"],
      ["1006", "frank_sc", smartAddress, "2009"],
    ]);
    expect(registry[0]).to.deep.include({ issuedAt: sec(at(500)) - 60, postedAt: at(500) });
    expect(readFileSync(out, "utf8").split("\n")[0]).to.match(/^\{"userId":"1001","username":"Alice","wallet":"0x[0-9a-fA-F]{40}","issuedAt":\d+,"signature":"0x[0-9a-f]{130}","postId":"2008","postedAt":"2025-03-10T03:40:00.000Z"\}$/);

    const rejected = readLines<RejectedPost>(rejectedPathFor(out));
    const why = Object.fromEntries(rejected.map((x) => [x.postId, x.reason]));
    expect(why["2002"]).to.match(/^bad signature: it does not recover to /);
    expect(why["2003"]).to.match(/^handle mismatch: the wallet signed for @caroline, but the post is by @carol/);
    expect(why["2004"]).to.match(/^copied post: this signature is from @Alice's registration \(post 2001\)/);
    expect(why["2005"]).to.match(/^issued after the post: /);
    expect(why["2006"]).to.match(/^malformed token: sig=/);
    expect(why["2007"]).to.match(/^wallet taken: .* registered to X account @Alice \(id 1001\)/);
    expect(why["2010"]).to.match(/^retweet: /);
    expect(why["3000"]).to.match(/^not a registration: the post has the tag but no wallet=/);
    expect(why).to.not.have.property("2001"); // replaced by 2008, not refused
    expect(why).to.not.have.property("2011"); // before since: start_time excludes it
    expect(r.search.posts.map((p) => p.id)).to.not.include("2011");
    expect(rejected.find((x) => x.postId === "2002")!.authorId).to.equal("1002");
    expect(rejected).to.have.length(7 + 110);
    expect(r.result.stats).to.include({ registered: 3, rejected: 117, beforeSince: 0 });
    expect(existsSync(checkpointPathFor(out))).to.equal(false);
  });

  it("refuses the smart wallet without --rpc, saying how to check it", async () => {
    const out = join(dir, "no-rpc", "registry.ndjson");
    require("node:fs").mkdirSync(join(dir, "no-rpc"));
    await runRegistrations({ configPath, outPath: out, client: client(), now: NOW });
    const why = Object.fromEntries(readLines<RejectedPost>(rejectedPathFor(out)).map((x) => [x.postId, x.reason]));
    expect(why["2009"]).to.match(/^bad signature: .*a smart-contract wallet is checked only with --rpc \(EIP-1271\)/);
  });

  it("merges into an existing registry when the posts have left the 7-day window, and a re-run changes nothing", async () => {
    const out = join(dir, "registry.ndjson");
    const before = readFileSync(out, "utf8");
    const beforeRejected = readFileSync(rejectedPathFor(out), "utf8");
    await runRegistrations({ configPath, outPath: out, client: client(), reader, now: NOW });
    expect(readFileSync(out, "utf8")).to.equal(before);
    expect(readFileSync(rejectedPathFor(out), "utf8")).to.equal(beforeRejected);
    const later = await startXServer({ seed: { users: Object.values(users), tweets }, now: () => NOW + 8 * 24 * 60 * MIN });
    try {
      const r = await runRegistrations({
        configPath,
        outPath: out,
        client: new XClient({ bearerToken: later.token, apiBase: later.url }),
        reader,
        now: NOW + 8 * 24 * 60 * MIN,
      });
      expect(r.search.posts).to.have.length(0);
      expect(readFileSync(out, "utf8")).to.equal(before);
    } finally {
      await later.stop();
    }
  });

  it("resumes an interrupted search from its checkpoint, leaving the registry untouched until it completes", async () => {
    const out = join(dir, "resume", "registry.ndjson");
    require("node:fs").mkdirSync(join(dir, "resume"));
    const seen = x.requests.length;
    x.addFaults([{ kind: "server-error", endpoint: "search_recent", nth: 2, times: 2 }]);
    let failure = "";
    await runRegistrations({ configPath, outPath: out, client: client({ attempts: 2 }), reader, now: NOW }).catch((e: Error) => (failure = e.message));
    expect(failure).to.match(/gave up after 2 attempts/);
    expect(existsSync(out)).to.equal(false);
    expect(readFileSync(checkpointPathFor(out), "utf8").split("\n").filter((l) => l)).to.have.length(2); // header + page 1
    const r = await runRegistrations({ configPath, outPath: out, client: client(), reader, now: NOW });
    expect(r.search).to.include({ pagesResumed: 1, pagesFetched: 1 });
    const resumed = x.requests.slice(seen).filter((q) => q.endpoint === "search_recent" && q.status === 200);
    expect(resumed.at(-1)!.query.next_token).to.be.a("string");
    expect(readFileSync(out, "utf8")).to.equal(readFileSync(join(dir, "registry.ndjson"), "utf8"));
    expect(existsSync(checkpointPathFor(out))).to.equal(false);
  });

  it("the CLI runs it with the token from X_BEARER_TOKEN and refuses an RPC of another chain", async () => {
    const out = join(dir, "cli", "registry.ndjson");
    require("node:fs").mkdirSync(join(dir, "cli"));
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io: CliIo = { out: (l) => stdout.push(l), err: (l) => stderr.push(l), connect: async () => reader, env: { X_BEARER_TOKEN: x.token } };
    const other = join(dir, "cli", "chain1.json");
    writeFileSync(other, JSON.stringify({ tag: TAG, chainId: 1, since: at(60 * 24) }));
    expect(await main(["registrations", other, "--out", out, "--api-base", x.url, "--rpc", "http://rpc"], io)).to.equal(1);
    expect(stderr.join("\n")).to.match(/--rpc is chain 31337, but .*chain1\.json registers for chain 1/);
    expect(await main(["registrations", configPath, "--out", out, "--api-base", x.url, "--rpc", "http://rpc"], { ...io, env: {} })).to.equal(1);
    expect(stderr.join("\n")).to.match(/set the environment variable X_BEARER_TOKEN/);
    const code = await main(["registrations", configPath, "--out", out, "--api-base", x.url, "--rpc", "http://rpc"], { ...io, now: () => NOW });
    expect(code, stderr.join("\n")).to.equal(0);
    expect(stdout.join("\n"), stdout.join("\n")).to.match(/3 registered now, 0 already registered, 117 refused, 0 before since/);
    expect(stdout.join("\n")).to.match(/refused post 2003 by 1003: handle mismatch/);
    expect(stdout.join("\n")).to.match(/… and 97 more refused posts \(all in .*registry\.rejected\.ndjson\)/);
    expect(readFileSync(out, "utf8")).to.equal(readFileSync(join(dir, "registry.ndjson"), "utf8"));
    expect(stderr.join("\n")).to.not.contain(x.token);
  });

  it("asks X nothing when `since` is not yet 30 s in the past", async () => {
    const future = join(dir, "future.json");
    writeFileSync(future, JSON.stringify({ tag: TAG, chainId: 31337, since: new Date(NOW + 60_000).toISOString() }));
    const out = join(dir, "future", "registry.ndjson");
    require("node:fs").mkdirSync(join(dir, "future"));
    const before = x.requests.length;
    const r = await runRegistrations({ configPath: future, outPath: out, client: client(), now: NOW });
    expect(x.requests.length).to.equal(before);
    expect(r.result.registry).to.deep.equal([]);
    expect(readFileSync(out, "utf8")).to.equal("");
  });

  describe("score --participants registry.ndjson", () => {
    let scoreDir: string;
    let engagements: string;
    let eventConfig: string;
    const aliceId = "1001";
    const frankId = "1006";
    before(() => {
      scoreDir = tmpDir("register-score-");
      engagements = join(scoreDir, "engagements.ndjson");
      const rows = [
        { id: "1", type: "like", contentId: "900", contentAuthorId: "1099", userId: aliceId, timestamp: "2025-03-09T01:00:00Z" },
        { id: "2", type: "like", contentId: "900", contentAuthorId: "1099", userId: frankId, timestamp: "2025-03-09T02:00:00Z" },
        { id: "3", type: "like", contentId: "900", contentAuthorId: "1099", userId: "1002", timestamp: "2025-03-09T03:00:00Z" }, // bob: refused
        { id: "4", type: "comment", contentId: "901", contentAuthorId: "1008", userId: "1003", timestamp: "2025-03-09T04:00:00Z" }, // hank, carol: refused
        { id: "5", type: "like", contentId: "902", contentAuthorId: aliceId, userId: "1005", timestamp: "2025-03-09T05:00:00Z" },
      ];
      writeFileSync(engagements, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
      eventConfig = join(scoreDir, "event.json");
      writeFileSync(
        eventConfig,
        JSON.stringify({ kind: "event", campaignId: "7", model: "like2earn", period: { start: "2025-03-08T00:00:00Z", end: "2025-03-10T00:00:00Z" }, types: ["like", "comment"], pot: "1000000000000000000", snapshotBlock: "latest" }),
      );
    });

    it("pays exactly the registered wallets, records the check in the manifest, and verify re-checks it", async () => {
      const registry = join(dir, "registry.ndjson");
      const out = join(scoreDir, "event-7");
      const r = await runScore({ configPath: eventConfig, engagementPaths: [engagements], participantsPath: registry, outDir: out, chain: { reader, staking: null } });
      const smartAddress = getAddress(await smart.getAddress());
      const paid = r.computed.allocations.map((a) => a.address).sort();
      expect(paid).to.deep.equal([kd.address, smartAddress].sort());
      expect(r.computed.allocations.reduce((s, a) => s + a.amount, 0n)).to.equal(10n ** 18n);
      expect(r.manifest.registryCheck).to.deep.equal({ format: "like2earn-registry-v1", chainId: "31337", entries: 2, eip1271Wallets: [smartAddress], eip1271Block: r.manifest.onchain.snapshotBlock });
      expect(r.manifest.inputs.participants.sha256).to.equal(require("node:crypto").createHash("sha256").update(readFileSync(registry)).digest("hex"));
      const offline = await verifyManifest({ manifestPath: join(out, "manifest.json") });
      expect(offline.problems).to.deep.equal([]);
      const online = await verifyManifest({ manifestPath: join(out, "manifest.json"), reader });
      expect(online.problems).to.deep.equal([]);
    });

    it("refuses a registry line that was edited, naming the file, line and field", async () => {
      const lines = readFileSync(join(dir, "registry.ndjson"), "utf8").split("\n");
      const edited = JSON.parse(lines[0]) as RegistryEntry;
      const tampered = join(scoreDir, "tampered.ndjson");
      writeFileSync(tampered, [JSON.stringify({ ...edited, wallet: kb.address }), lines[1], ""].join("\n"));
      const out = join(scoreDir, "tampered-out");
      let msg = "";
      await runScore({ configPath: eventConfig, engagementPaths: [engagements], participantsPath: tampered, outDir: out, chain: { reader, staking: null } }).catch((e: Error) => (msg = e.message));
      expect(msg).to.match(/tampered\.ndjson:1 field "signature": the registration of @Alice \(post 2008\) does not verify on chain 31337/);
      expect(existsSync(out)).to.equal(false);
    });

    it("checks the smart wallet at the snapshot block: after its owner changes, only an earlier snapshot pays it", async () => {
      const before = await reader.getBlockNumber();
      await (await (smart.connect(smartOwner) as Contract).setOwner(kb.address)).wait();
      const registry = join(dir, "registry.ndjson");
      let msg = "";
      await runScore({ configPath: eventConfig, engagementPaths: [engagements], participantsPath: registry, outDir: join(scoreDir, "late"), chain: { reader, staking: null } }).catch(
        (e: Error) => (msg = e.message),
      );
      expect(msg).to.match(/registry\.ndjson:2 field "signature": the registration of @frank_sc .* the contract wallet .* refused it \(EIP-1271 isValidSignature at block \d+\)/);
      const r = await runScore({ configPath: eventConfig, engagementPaths: [engagements], participantsPath: registry, outDir: join(scoreDir, "early"), chain: { reader, staking: null }, snapshotBlock: before });
      expect(r.manifest.registryCheck!.eip1271Block).to.equal(before);
      // verify with the RPC re-asks the contract at the recorded block: still valid there.
      expect((await verifyManifest({ manifestPath: join(scoreDir, "early", "manifest.json"), reader })).problems).to.deep.equal([]);
    });
  });
});
