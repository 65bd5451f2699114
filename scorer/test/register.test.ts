/**
 * Registration (issue 12): the post text, the EIP-712 signature, the rules that decide who registers, and
 * the registry file. Signatures are made by real keys; no chain here (EIP-1271 is in register-chain.test.ts).
 */
import { expect } from "chai";
import fc from "fast-check";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildRegistrationPost,
  canonicalSignature,
  formatRegistryLine,
  hasTag,
  MAX_POST_LENGTH,
  normalizeHandle,
  parseRegistrationPost,
  postLength,
  recoverRegistrationSigner,
  registrationDigest,
  registrationDomain,
  REGISTRATION_TYPES,
  registrationTypedDataV4,
  rejectedPathFor,
  type RegistryEntry,
  type RejectedPost,
} from "../src/format/registry";
import { InputError } from "../src/errors";
import { recoverAddress, TypedDataEncoder } from "ethers";
import { fastRecover } from "../src/register/signature";
import { parseRegistrationsConfig, type RegistrationsConfig } from "../src/register/config";
import { evaluateRegistrations, type SearchPost, type SearchUser } from "../src/register/evaluate";
import { parseRegistryText, readRegistryFile, registryText, writeRegistryFiles } from "../src/register/registry-file";
import { CHAIN_ID, post, registrationText, seconds, signRegistration, TAG, testWallet, user } from "./register-fixtures";
import { tmpDir } from "./helpers";

const config: RegistrationsConfig = parseRegistrationsConfig(JSON.stringify({ tag: TAG, chainId: 31337, since: "2025-01-01T00:00:00Z" }), "registrations.json");

async function evaluate(posts: SearchPost[], users: SearchUser[], existing: RegistryEntry[] = [], cfg = config, existingRejected: RejectedPost[] = []) {
  return evaluateRegistrations({ config: cfg, posts, users: new Map(users.map((u) => [u.id, u])), existing, existingRejected });
}

const alice = user("1001", "Alice");
const bob = user("1002", "bob_b");
const carol = user("1003", "carol");
const T = "2025-01-02T10:00:00.000Z";

describe("registration post text", () => {
  it("builds a text of at most 280 characters that parses back to the signed values", async () => {
    const w = testWallet(1);
    const sig = await signRegistration(w, w.address, "alice", 1_735_812_000);
    const text = buildRegistrationPost({ tag: TAG, wallet: w.address, issuedAt: 1_735_812_000, signature: sig, handle: "@Alice" });
    expect(postLength(text)).to.be.at.most(MAX_POST_LENGTH);
    const longest = buildRegistrationPost({ tag: "#" + "a".repeat(24), wallet: w.address, issuedAt: 9_999_999_999, signature: sig, handle: "a".repeat(15) });
    expect(postLength(longest)).to.be.at.most(MAX_POST_LENGTH);
    expect(() => buildRegistrationPost({ tag: "#" + "a".repeat(40), wallet: w.address, issuedAt: 1, signature: sig, handle: "a".repeat(15) })).to.throw(/more than X's 280/);
    const parsed = parseRegistrationPost(text, TAG);
    expect(parsed).to.deep.include({ ok: true, wallet: w.address, issuedAt: 1_735_812_000, signature: sig.toLowerCase() });
    expect(recoverRegistrationSigner(CHAIN_ID, { wallet: w.address, handle: "alice", issuedAt: 1_735_812_000 }, sig)).to.equal(w.address);
  });

  it("finds the tag as a whole word in any case, anywhere", () => {
    expect(hasTag("hello #like2earnid world", TAG)).to.equal(true);
    expect(hasTag("#LIKE2EARNID, yes", TAG)).to.equal(true);
    expect(hasTag("end (#Like2EarnID)", TAG)).to.equal(true);
    expect(hasTag("#Like2EarnIDs", TAG)).to.equal(false);
    expect(hasTag("x#Like2EarnID", TAG)).to.equal(false);
    expect(hasTag("##Like2EarnID", TAG)).to.equal(false);
    expect(hasTag("Like2EarnID", TAG)).to.equal(false);
  });

  it("refuses malformed, missing and conflicting tokens with the token named", () => {
    const w = testWallet(1).address;
    const sig = "0x" + "ab".repeat(65);
    const reason = (t: string) => {
      const p = parseRegistrationPost(t, TAG);
      return p.ok ? "ok" : p.reason;
    };
    expect(reason(`${TAG} wallet=${w} issued=1 sig=${sig}`)).to.equal("ok");
    expect(reason(`${TAG} wallet=0x1234 issued=1 sig=${sig}`)).to.match(/^malformed token: wallet=0x1234 is not an address/);
    expect(reason(`${TAG} wallet=${w.slice(0, 2) + w.slice(2).replace(/[a-f]/, (c) => c.toUpperCase()).replace(/[A-F]/, (c) => c.toLowerCase())} issued=1 sig=${sig}`)).to.match(/checksum/);
    expect(reason(`${TAG} wallet=${w} issued=soon sig=${sig}`)).to.match(/^malformed token: issued=soon is not a time/);
    expect(reason(`${TAG} wallet=${w} issued=1 sig=0xzz`)).to.match(/^malformed token: sig=0xzz is not a signature/);
    expect(reason(`${TAG} wallet=${w} sig=${sig}`)).to.match(/^malformed token: issued= missing/);
    expect(reason(`${TAG} wallet=${w} issued=1 issued=2 sig=${sig}`)).to.match(/issued= appears twice/);
    expect(reason(`${TAG} gm`)).to.match(/^not a registration/);
    expect(reason(`wallet=${w} issued=1 sig=${sig}`)).to.match(/lacks the tag/);
  });

  it("reads a signature with v = 0/1 (some wallets) as the same signature with v = 27/28", async () => {
    const w = testWallet(3);
    const sig = await signRegistration(w, w.address, "carol", 77);
    const low = sig.slice(0, 130) + (sig.endsWith("1b") ? "00" : "01");
    expect(canonicalSignature(low)).to.equal(sig.toLowerCase());
    expect(recoverRegistrationSigner(CHAIN_ID, { wallet: w.address, handle: "carol", issuedAt: 77 }, low)).to.equal(undefined);
    const parsed = parseRegistrationPost(`${TAG} wallet=${w.address} issued=77 sig=${low}`, TAG);
    expect(parsed.ok && parsed.signature).to.equal(sig.toLowerCase());
  });

  it("property: the digest is ethers' TypedDataEncoder.hash, and the native recovery agrees with ethers' on any signature it accepts", async () => {
    const w = testWallet(4);
    const base = await signRegistration(w, w.address, "dave", 1000);
    await fc.assert(
      fc.property(fc.nat(2 ** 40), fc.stringMatching(/^[a-z0-9_]{1,15}$/), fc.nat(129), fc.constantFrom(..."0123456789abcdef"), fc.bigInt({ min: 1n, max: 3n }), (issuedAt, handle, pos, ch, chainId) => {
        const r = { wallet: w.address, handle, issuedAt };
        const digest = registrationDigest(chainId, r);
        expect(digest).to.equal(TypedDataEncoder.hash(registrationDomain(chainId), REGISTRATION_TYPES, r));
        const sig = base.slice(0, 2 + pos) + ch + base.slice(3 + pos);
        const fast = fastRecover(digest, sig);
        if (fast !== undefined) {
          let slow: string | undefined;
          try {
            slow = recoverAddress(digest, sig);
          } catch {
            slow = undefined;
          }
          expect(fast).to.equal(slow);
        }
      }),
      { numRuns: 300 },
    );
    const digest = registrationDigest(CHAIN_ID, { wallet: w.address, handle: "dave", issuedAt: 1000 });
    expect(fastRecover(digest, base)).to.equal(w.address);
    // The high-s twin of a valid signature is left to ethers (which refuses it).
    const s = BigInt("0x" + base.slice(66, 130));
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const twin = base.slice(0, 66) + (n - s).toString(16).padStart(64, "0") + (base.endsWith("1b") ? "1c" : "1b");
    expect(fastRecover(digest, twin)).to.equal(undefined);
    expect(recoverRegistrationSigner(CHAIN_ID, { wallet: w.address, handle: "dave", issuedAt: 1000 }, twin)).to.equal(undefined);
  });

  it("normalises handles as signed: lowercase, no @", () => {
    expect(normalizeHandle("@Alice_01")).to.equal("alice_01");
    expect(normalizeHandle("a-b")).to.equal(undefined);
    expect(normalizeHandle("a".repeat(16))).to.equal(undefined);
  });

  it("gives eth_signTypedData_v4 the same digest as the ethers signer", async () => {
    const w = testWallet(2);
    const td = registrationTypedDataV4(CHAIN_ID, { wallet: w.address, handle: "bob", issuedAt: 5 });
    expect(td.types.Registration).to.deep.equal([
      { name: "wallet", type: "address" },
      { name: "handle", type: "string" },
      { name: "issuedAt", type: "uint64" },
    ]);
    expect(td.domain).to.deep.equal({ name: "Like2Earn", version: "1", chainId: 31337 });
    const sig = await signRegistration(w, w.address, "bob", 5);
    expect(recoverRegistrationSigner(td.domain.chainId, td.message, sig)).to.equal(w.address);
  });

  it("property: any valid signed post round-trips; any single-character tamper of its tokens is refused", async () => {
    const keys = [1, 2, 3].map(testWallet);
    const SIGNED = await Promise.all(
      keys.map(async (k, i) => ({ k, issuedAt: seconds(T) - i * 7, text: await registrationText(k, { handle: alice.username, issuedAt: seconds(T) - i * 7 }) })),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(SIGNED.length - 1), fc.nat(), fc.constantFrom(..."0123456789abcdefABCDEFxz=# "), async (which, pos, ch) => {
        const { k, text } = SIGNED[which];
        const ok = await evaluate([post({ id: "1", author: alice, at: T, text })], [alice]);
        expect(ok.registry.map((e) => e.wallet)).to.deep.equal([k.address]);
        const start = text.indexOf(TAG);
        const i = start + (pos % (text.length - start));
        fc.pre(ch.toLowerCase() !== text[i].toLowerCase());
        const tampered = text.slice(0, i) + ch + text.slice(i + 1);
        const r = await evaluate([post({ id: "1", author: alice, at: T, text: tampered })], [alice]);
        expect(r.registry, `tampered at ${i}: ${tampered}`).to.deep.equal([]);
        expect(r.rejected).to.have.length(1);
      }),
      { numRuns: 60 },
    );
  });
});

describe("registration rules", () => {
  const [ka, kb, kc, kd] = [1, 2, 3, 4].map(testWallet);
  const at = (min: number) => new Date(Date.parse(T) + min * 60_000).toISOString();
  const issued = (min: number) => seconds(at(min)) - 30;

  it("registers a valid post with the pinned fields", async () => {
    const text = await registrationText(ka, { handle: "alice", issuedAt: issued(0) });
    const r = await evaluate([post({ id: "500", author: alice, at: at(0), text })], [alice]);
    expect(r.registry).to.deep.equal([
      { userId: "1001", username: "Alice", wallet: ka.address, issuedAt: issued(0), signature: (await signRegistration(ka, ka.address, "alice", issued(0))).toLowerCase(), postId: "500", postedAt: at(0) },
    ]);
    expect(Object.keys(JSON.parse(formatRegistryLine(r.registry[0])))).to.deep.equal(["userId", "username", "wallet", "issuedAt", "signature", "postId", "postedAt"]);
    expect(r.rejected).to.deep.equal([]);
  });

  it("refuses each bad post with a reason a person can act on", async () => {
    const good = await registrationText(ka, { handle: "alice", issuedAt: issued(0) });
    // bob's key signs a text that claims carol's wallet (wrong signature)
    const wrongSig = await registrationText(kb, { wallet: kc.address, handle: "bob_b", issuedAt: issued(1) });
    // bob typed the handle "bobby" on the page, then posted from @bob_b
    const mismatch = await registrationText(kb, { handle: "bobby", issuedAt: issued(2) });
    // carol posts a copy of alice's text
    const future = await registrationText(kd, { handle: "dave", issuedAt: issued(3) + 3600 });
    const dave = user("1004", "dave");
    const malformed = good.replace(/sig=0x[0-9a-f]{4}/, "sig=0x");
    const r = await evaluate(
      [
        post({ id: "10", author: alice, at: at(0), text: good }),
        post({ id: "11", author: bob, at: at(1), text: wrongSig }),
        post({ id: "12", author: bob, at: at(2), text: mismatch }),
        post({ id: "13", author: carol, at: at(3), text: good }),
        post({ id: "14", author: dave, at: at(3), text: future }),
        post({ id: "15", author: dave, at: at(4), text: malformed }),
        post({ id: "16", author: carol, at: at(5), text: `RT @Alice: ${good}`.slice(0, 280), referencedTypes: ["retweeted"] }),
      ],
      [alice, bob, carol, dave],
    );
    expect(r.registry.map((e) => e.userId)).to.deep.equal(["1001"]);
    const reasons = Object.fromEntries(r.rejected.map((x) => [x.postId, x.reason]));
    expect(reasons["11"]).to.match(/^bad signature: it does not recover to 0x/);
    expect(reasons["12"]).to.match(/^handle mismatch: the wallet signed for @bobby, but the post is by @bob_b/);
    expect(reasons["13"]).to.match(/^copied post: this signature is from @Alice's registration \(post 10\)/);
    expect(reasons["14"]).to.match(/^issued after the post: .* is 3[0-9]{3} s after the post's time/);
    expect(reasons["15"]).to.match(/^malformed token: sig=/);
    expect(reasons["16"]).to.match(/^retweet:/);
    expect(r.rejected.map((x) => x.authorId)).to.deep.equal(["1002", "1002", "1003", "1004", "1004", "1003"]);
  });

  it("gives a wallet to the first of two X accounts claiming it; the second is refused as taken", async () => {
    const forAlice = await registrationText(ka, { handle: "alice", issuedAt: issued(0) });
    const forBob = await registrationText(ka, { handle: "bob_b", issuedAt: issued(1) });
    const r = await evaluate([post({ id: "21", author: bob, at: at(1), text: forBob }), post({ id: "20", author: alice, at: at(0), text: forAlice })], [alice, bob]);
    expect(r.registry.map((e) => [e.username, e.wallet])).to.deep.equal([["Alice", ka.address]]);
    expect(r.rejected).to.deep.equal([{ postId: "21", authorId: "1002", reason: `wallet taken: ${ka.address} is already registered to X account @Alice (id 1001); one wallet serves one X account` }]);
  });

  it("lets a re-registration with a new wallet replace the old one, which another account may then take", async () => {
    const first = await registrationText(ka, { handle: "alice", issuedAt: issued(0) });
    const second = await registrationText(kb, { handle: "alice", issuedAt: issued(10) });
    const bobTakesOld = await registrationText(ka, { handle: "bob_b", issuedAt: issued(20) });
    const replay = first; // the old post again, later: not newer than the current registration
    const r = await evaluate(
      [
        post({ id: "30", author: alice, at: at(0), text: first }),
        post({ id: "31", author: alice, at: at(10), text: second }),
        post({ id: "32", author: bob, at: at(20), text: bobTakesOld }),
        post({ id: "33", author: alice, at: at(30), text: replay }),
      ],
      [alice, bob],
    );
    expect(r.registry.map((e) => [e.username, e.wallet, e.postId])).to.deep.equal([
      ["Alice", kb.address, "31"],
      ["bob_b", ka.address, "32"],
    ]);
    expect(r.rejected.map((x) => [x.postId, x.reason.split(":")[0]])).to.deep.equal([["33", "superseded"]]);
  });

  it("keeps a refusal final on a re-run (the wallet freed later does not register the refused post); only what a run could not check is judged again", async () => {
    const aliceFirst = await registrationText(kb, { handle: "alice", issuedAt: issued(0) });
    const bobSame = await registrationText(kb, { handle: "bob_b", issuedAt: issued(0) });
    const aliceMoves = await registrationText(ka, { handle: "alice", issuedAt: issued(7) });
    const posts = [post({ id: "60", author: alice, at: at(0), text: aliceFirst }), post({ id: "61", author: bob, at: at(0), text: bobSame }), post({ id: "62", author: alice, at: at(7), text: aliceMoves })];
    const first = await evaluate(posts, [alice, bob]);
    expect(first.registry.map((e) => e.postId)).to.deep.equal(["62"]);
    expect(first.rejected.map((x) => [x.postId, x.reason.split(":")[0]])).to.deep.equal([["61", "wallet taken"]]);
    const again = await evaluate(posts, [alice, bob], first.registry, config, first.rejected);
    expect(again.registry).to.deep.equal(first.registry);
    expect(again.rejected).to.deep.equal(first.rejected);
    expect(again.stats).to.include({ alreadyRegistered: 2, alreadyRefused: 1, registered: 0 });
    // An "unknown author" refusal is judged again once X returns the author.
    const retry = await evaluate([posts[1]], [], [], config);
    expect(retry.rejected[0].reason).to.match(/^unknown author:/);
    const later = await evaluate([posts[1]], [bob], [], config, retry.rejected);
    expect(later.registry.map((e) => e.postId)).to.deep.equal(["61"]);
    expect(later.rejected).to.deep.equal([]);
  });

  it("reads posts from `since` on, and applies the eligibility rules", async () => {
    const cfg = parseRegistrationsConfig(JSON.stringify({ tag: TAG, chainId: 31337, since: at(1), minAccountAgeDays: 30, minFollowers: 10 }), "r.json");
    const young = user("1005", "young", { createdAt: at(-60 * 24 * 10) });
    const few = user("1006", "few", { followers: 9 });
    const ok = user("1007", "okay", { createdAt: at(-60 * 24 * 30), followers: 10 });
    const texts = await Promise.all([
      registrationText(ka, { handle: "alice", issuedAt: issued(0) }),
      registrationText(kb, { handle: "young", issuedAt: issued(2) }),
      registrationText(kc, { handle: "few", issuedAt: issued(2) }),
      registrationText(kd, { handle: "okay", issuedAt: issued(2) }),
    ]);
    const r = await evaluate(
      [
        post({ id: "40", author: alice, at: at(0), text: texts[0] }),
        post({ id: "41", author: young, at: at(2), text: texts[1] }),
        post({ id: "42", author: few, at: at(2), text: texts[2] }),
        post({ id: "43", author: ok, at: at(2), text: texts[3] }),
      ],
      [alice, young, few, ok],
      [],
      cfg,
    );
    expect(r.registry.map((e) => e.username)).to.deep.equal(["okay"]);
    expect(r.stats.beforeSince).to.equal(1);
    const reasons = r.rejected.map((x) => x.reason);
    expect(reasons[0]).to.match(/^not eligible: @young was created .*, 10 days before the post; this campaign needs accounts at least 30 days old/);
    expect(reasons[1]).to.match(/^not eligible: @few has 9 followers; this campaign needs at least 10/);
  });

  it("merges into an existing registry: old entries stay, a seen post is not counted twice, a later rejection of a registered post cannot happen", async () => {
    const first = await registrationText(ka, { handle: "alice", issuedAt: issued(0) });
    const once = await evaluate([post({ id: "50", author: alice, at: at(0), text: first })], [alice]);
    const bobText = await registrationText(kb, { handle: "bob_b", issuedAt: issued(5) });
    // The second run no longer sees alice's post (older than 7 days) but sees bob's, and alice's again is harmless.
    const twice = await evaluate([post({ id: "51", author: bob, at: at(5), text: bobText })], [bob], once.registry);
    expect(twice.registry.map((e) => e.postId)).to.deep.equal(["50", "51"]);
    const thrice = await evaluate([post({ id: "50", author: alice, at: at(0), text: first }), post({ id: "51", author: bob, at: at(5), text: bobText })], [alice, bob], twice.registry);
    expect(thrice.registry).to.deep.equal(twice.registry);
    expect(thrice.stats.alreadyRegistered).to.equal(2);
    expect(thrice.rejected).to.deep.equal([]);
  });

  it("property: the registry has one wallet per account and one account per wallet, every signature verifies, and a re-run changes nothing", async () => {
    const keys = [1, 2, 3].map(testWallet);
    const users = [alice, bob, carol];
    const pool: { key: number; who: number; minute: number; text: string }[] = [];
    for (let key = 0; key < 3; key++) {
      for (let who = 0; who < 3; who++) {
        for (const minute of [0, 7]) {
          pool.push({ key, who, minute, text: await registrationText(keys[key], { handle: users[who].username, issuedAt: issued(minute) }) });
        }
      }
    }
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ pick: fc.nat(pool.length - 1), author: fc.nat(2), minute: fc.nat(20) }), { maxLength: 10 }), async (picks) => {
        const posts = picks.map((p, i) => post({ id: String(100 + i), author: users[p.author], at: at(pool[p.pick].minute + p.minute), text: pool[p.pick].text }));
        const r = await evaluate(posts, users);
        expect(new Set(r.registry.map((e) => e.wallet)).size).to.equal(r.registry.length);
        expect(new Set(r.registry.map((e) => e.userId)).size).to.equal(r.registry.length);
        for (const e of r.registry) {
          expect(recoverRegistrationSigner(CHAIN_ID, { wallet: e.wallet, handle: e.username.toLowerCase(), issuedAt: e.issuedAt }, e.signature)).to.equal(e.wallet);
        }
        expect(r.registeredNow.length + r.rejected.length).to.equal(posts.length);
        expect(r.registry.length).to.be.at.most(r.registeredNow.length);
        // The next run starts from both files of this one (registry and rejects), as `registrations` does.
        const again = await evaluate(posts, users, r.registry, config, r.rejected);
        expect(again.registry).to.deep.equal(r.registry);
        expect(again.rejected).to.deep.equal(r.rejected);
        expect(again.registeredNow).to.deep.equal([]);
      }),
      { numRuns: 25 },
    );
  });
});

describe("registry file", () => {
  const e: RegistryEntry = {
    userId: "1001",
    username: "Alice",
    wallet: testWallet(1).address,
    issuedAt: 1_735_812_000,
    signature: "0x" + "11".repeat(65),
    postId: "99",
    postedAt: "2025-01-02T10:00:00.000Z",
  };

  it("round-trips entries and names the file, line and field of a bad one", () => {
    const text = registryText([e, { ...e, userId: "1002", wallet: testWallet(2).address }]);
    expect(parseRegistryText(text, "r.ndjson").map((x) => x.entry)).to.deep.equal([e, { ...e, userId: "1002", wallet: testWallet(2).address }]);
    const bad = (line: string) => {
      try {
        parseRegistryText(formatRegistryLine(e) + "\n" + line + "\n", "r.ndjson");
      } catch (err) {
        expect(err).to.be.instanceOf(InputError);
        return (err as Error).message;
      }
      return "accepted";
    };
    expect(bad(JSON.stringify({ ...e, userId: "1002", issuedAt: "1735812000", wallet: testWallet(2).address }))).to.match(/^r\.ndjson:2 field "issuedAt": "1735812000" is not Unix seconds/);
    expect(bad(JSON.stringify({ ...e, userId: "1002", wallet: e.wallet.toLowerCase() }))).to.match(/r\.ndjson:2 field "wallet": .* not EIP-55/);
    expect(bad(JSON.stringify({ ...e, userId: "1002" }))).to.match(/r\.ndjson:2 field "wallet": wallet .* already registered on line 1/);
    expect(bad(JSON.stringify({ ...e, wallet: testWallet(2).address }))).to.match(/r\.ndjson:2 field "userId": X account 1001 is already on line 1/);
    expect(bad(JSON.stringify({ ...e, userId: "1002", wallet: testWallet(2).address, extra: 1 }))).to.match(/field "extra": unknown field/);
    expect(bad("{nope")).to.match(/r\.ndjson:2 field "\(json\)": not valid JSON/);
  });

  it("reads a file; a missing one is an error unless allowed; rejects go beside it", async () => {
    const dir = tmpDir();
    const p = join(dir, "registry.ndjson");
    expect(rejectedPathFor(p)).to.equal(join(dir, "registry.rejected.ndjson"));
    expect(await readRegistryFile(p, { missingOk: true })).to.deep.equal([]);
    let msg = "";
    await readRegistryFile(p).catch((err: Error) => (msg = err.message));
    expect(msg).to.match(/registry\.ndjson field "\(file\)": the registry file does not exist/);
    writeFileSync(p, registryText([e]));
    expect((await readRegistryFile(p)).map((x) => x.line)).to.deep.equal([1]);
  });

  it("writes the registry and its rejects with no temporary file left, and a failed write leaves both files as they were", async () => {
    const dir = tmpDir();
    const p = join(dir, "registry.ndjson");
    await writeRegistryFiles(p, [e], [{ postId: "7", authorId: "8", reason: "retweet: x" }]);
    expect(readdirSync(dir).sort()).to.deep.equal(["registry.ndjson", "registry.rejected.ndjson"]);
    expect(readFileSync(p, "utf8")).to.equal(formatRegistryLine(e) + "\n");
    expect(readFileSync(join(dir, "registry.rejected.ndjson"), "utf8")).to.equal('{"postId":"7","authorId":"8","reason":"retweet: x"}\n');
    // The registry's target is a directory now: its rename fails after the rejects' temporary file was written.
    const blocked = join(dir, "blocked.ndjson");
    mkdirSync(blocked);
    let failed = false;
    await writeRegistryFiles(blocked, [e], []).catch(() => (failed = true));
    expect(failed).to.equal(true);
    expect(readFileSync(p, "utf8")).to.equal(formatRegistryLine(e) + "\n");
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).to.deep.equal([]);
  });

  it("validates registrations.json with the field named", () => {
    const bad = (o: object) => {
      try {
        parseRegistrationsConfig(JSON.stringify(o, null, 2), "registrations.json");
        return "accepted";
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(bad({ tag: "Like2EarnID", chainId: 1, since: "2025-01-01T00:00:00Z" })).to.match(/registrations\.json:2 field "tag"/);
    expect(bad({ tag: TAG, chainId: 0, since: "2025-01-01T00:00:00Z" })).to.match(/field "chainId"/);
    expect(bad({ tag: TAG, chainId: 1, since: "yesterday" })).to.match(/registrations\.json:4 field "since"/);
    expect(bad({ tag: TAG, chainId: 1, since: "2025-01-01T00:00:00Z", minFollowers: -1 })).to.match(/field "minFollowers"/);
    expect(bad({ tag: TAG, chainId: 1, since: "2025-01-01T00:00:00Z", minFolowers: 1 })).to.match(/field "minFolowers": unknown field/);
  });
});
