/**
 * Registration end to end, as a user and an admin would do it: in Chromium the claim page's Register panel has
 * the injected wallet sign (eth_signTypedData_v4 on a `hardhat node`) and opens X's web intent with the text;
 * the local X API server then serves that exact text as the user's post; the admin's `registrations` command
 * builds the registry; `score --participants registry.ndjson` pays exactly the registered wallets.
 *
 * Run with `npm run test:e2e` (needs /usr/bin/chromium). Skipped unless L2E_BROWSER_TEST=1.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ContractFactory, getAddress, JsonRpcProvider, type InterfaceAbi } from "ethers";
import type { Page } from "playwright-core";
import { parseRegistrationPost, recoverRegistrationSigner, registrationTypedDataV4, buildRegistrationPost } from "../../scorer/src/format/registry";
import { connectRpc, main, type CliIo } from "../../scorer/src/cli";
import { runScore } from "../../scorer/src/run";
import { verifyManifest } from "../../scorer/src/verify";
import { startXServer, type XServer } from "../x-server";
import {
  installTestWallet,
  launchChromium,
  REPO,
  rpcRaw,
  startHardhatNode,
  watchConsole,
  type BrowserHandle,
  type NodeHandle,
  type StaticServer,
  type TestWallet,
  buildAndServeClaimPage,
} from "./harness";

const RUN = process.env.L2E_BROWSER_TEST === "1";
const UI_TIMEOUT = 30_000;

(RUN ? describe : describe.skip)("Register panel in Chromium, then the admin's run and scoring (npm run test:e2e)", function () {
  this.timeout(600_000);
  let node: NodeHandle | undefined;
  let server: StaticServer | undefined;
  let chromium: BrowserHandle | undefined;
  let x: XServer | undefined;
  let page: Page;
  let wallet: TestWallet;
  let user: string;
  let other: string;
  let chainId: bigint;
  let postText = "";
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "l2e-register-"));
  const dataDir = path.join(tmp, "data");

  before(async function () {
    node = await startHardhatNode();
    const provider = new JsonRpcProvider(node.url, undefined, { cacheTimeout: -1 });
    const accounts = await provider.listAccounts();
    user = accounts[4].address;
    other = accounts[5].address;
    chainId = (await provider.getNetwork()).chainId;
    const art = JSON.parse(fs.readFileSync(path.join(REPO, "artifacts/contracts/Like2EarnRewards.sol/Like2EarnRewards.json"), "utf8")) as { abi: InterfaceAbi; bytecode: string };
    const admin = accounts[0];
    const rewards = await new ContractFactory(art.abi, art.bytecode, admin).deploy(admin.address, admin.address, admin.address, 3600, 7 * 86400, 86400, 86400, 3600); // last: least event claim window
    await rewards.waitForDeployment();
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(
      path.join(dataDir, "claim-page.config.json"),
      JSON.stringify({
        chainId: Number(chainId),
        chainName: "Hardhat test node",
        rewards: await rewards.getAddress(),
        campaigns: [],
        registration: { tag: "#Like2EarnID", schedule: "The admin collects registrations every Monday at 09:00 UTC." },
      }),
    );
    server = await buildAndServeClaimPage(dataDir);
    chromium = await launchChromium({ viewport: { width: 1280, height: 900 }, locale: "en-US", timezoneId: "UTC" });
    wallet = await installTestWallet(chromium.context, { rpcUrl: node.url, account: user });
    // X itself is not reachable from the test: the intent opens a stand-in page, and the URL is what is checked.
    await chromium.context.route("https://x.com/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<html><body>X intent stand-in</body></html>" }));
    page = await chromium.context.newPage();
  });

  after(async function () {
    await chromium?.stop().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await x?.stop().catch(() => undefined);
    await node?.stop().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("signs the registration with the injected wallet and opens X's intent with the exact text", async function () {
    const consoleLog = watchConsole(page, () => false);
    await page.goto(`${server!.url}/?config=/data/claim-page.config.json`);
    await page.locator("#register-section").waitFor({ state: "visible", timeout: UI_TIMEOUT });
    expect(await page.locator("#register-status").innerText()).to.contain("Connect your wallet first");
    expect(await page.locator("#register-sign").isDisabled()).to.equal(true);

    await page.locator('button[data-wallet="dev.like2earn.testwallet"]').click();
    await page.waitForFunction(() => document.getElementById("register-status")?.textContent?.includes("will be registered"), undefined, { timeout: UI_TIMEOUT });
    expect(await page.locator("#register-status").innerText()).to.contain(user);

    // A bad handle is refused in the page, before any wallet prompt.
    await page.locator("#register-handle").fill("not a handle!");
    await page.locator("#register-sign").click();
    expect(await page.locator("#register-error").innerText()).to.contain("Enter your X handle");
    expect(wallet.calls).to.not.include("eth_signTypedData_v4");

    const before = Math.floor(Date.now() / 1000);
    await page.locator("#register-handle").fill("@Page_User");
    await page.locator("#register-sign").click();
    await page.locator("#register-result").waitFor({ state: "visible", timeout: UI_TIMEOUT });
    expect(wallet.calls.filter((m) => m === "eth_signTypedData_v4")).to.have.length(1);
    postText = await page.locator("#register-text").inputValue();
    expect([...postText].length).to.be.at.most(280);
    expect(await page.locator("#register-length").innerText()).to.equal(`${[...postText].length} / 280 characters`);
    expect(await page.locator("#register-next").innerText()).to.contain("every Monday at 09:00 UTC");
    expect(await page.locator("#register-warning").isHidden()).to.equal(true);

    const parsed = parseRegistrationPost(postText, "#Like2EarnID");
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.wallet).to.equal(getAddress(user));
    expect(parsed.issuedAt).to.be.within(before, before + 60);
    expect(recoverRegistrationSigner(chainId, { wallet: user, handle: "page_user", issuedAt: parsed.issuedAt }, parsed.signature)).to.equal(getAddress(user));

    const href = (await page.locator("#register-intent").getAttribute("href")) ?? "";
    expect(new URL(href).origin + new URL(href).pathname).to.equal("https://x.com/intent/post");
    expect(new URL(href).searchParams.get("text")).to.equal(postText);
    const [popup] = await Promise.all([page.waitForEvent("popup"), page.locator("#register-intent").click()]);
    await popup.waitForLoadState();
    expect(new URL(popup.url()).searchParams.get("text")).to.equal(postText);
    await popup.close();
    fs.mkdirSync(path.join(REPO, "reports"), { recursive: true });
    await page.screenshot({ path: path.join(REPO, "reports", "claim-page-register.png"), fullPage: true });
    expect(consoleLog.errors).to.deep.equal([]);
  });

  it("the admin's registrations run registers the page's post, and scoring with the registry pays exactly the registered wallets", async function () {
    expect(postText, "the browser step ran").to.not.equal("");
    // A second user registers with the same text builder, signing through the node (eth_signTypedData_v4).
    const issued = Math.floor(Date.now() / 1000) - 120;
    const typed = registrationTypedDataV4(chainId, { wallet: getAddress(other), handle: "second_user", issuedAt: issued });
    const sig = (await rpcRaw(node!.url, "eth_signTypedData_v4", [other, JSON.stringify(typed)])).result as string;
    const secondText = buildRegistrationPost({ tag: "#Like2EarnID", wallet: other, issuedAt: issued, signature: sig, handle: "second_user" });
    const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    x = await startXServer({
      seed: {
        users: [
          { id: "9001", username: "Page_User", created_at: "2020-01-01T00:00:00.000Z" },
          { id: "9002", username: "second_user", created_at: "2020-01-01T00:00:00.000Z" },
          { id: "9003", username: "copycat", created_at: "2020-01-01T00:00:00.000Z" },
        ],
        tweets: [
          { id: "7001", author_id: "9001", created_at: ago(40), text: postText },
          { id: "7002", author_id: "9002", created_at: ago(100), text: secondText },
          { id: "7003", author_id: "9003", created_at: ago(35), text: postText },
        ],
      },
    });
    const cfg = path.join(tmp, "registrations.json");
    fs.writeFileSync(cfg, JSON.stringify({ tag: "#Like2EarnID", chainId: Number(chainId), since: ago(86400) }));
    const registry = path.join(tmp, "registry.ndjson");
    const out: string[] = [];
    const errs: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => errs.push(l), connect: connectRpc, env: { X_BEARER_TOKEN: x.token } };
    expect(await main(["registrations", cfg, "--out", registry, "--api-base", x.url, "--rpc", node!.url], io), errs.join("\n")).to.equal(0);
    const lines = fs.readFileSync(registry, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { userId: string; wallet: string; username: string });
    expect(lines.map((l) => [l.userId, l.username, l.wallet])).to.deep.equal([
      ["9001", "Page_User", getAddress(user)],
      ["9002", "second_user", getAddress(other)],
    ]);
    const rejected = fs.readFileSync(path.join(tmp, "registry.rejected.ndjson"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { postId: string; reason: string });
    expect(rejected).to.have.length(1);
    expect(rejected[0].postId).to.equal("7003");
    expect(rejected[0].reason).to.match(/^copied post: this signature is from @Page_User's registration \(post 7001\)/);

    // Score an event with the registry as participants: the two registered wallets share the pot; the copycat and
    // an unregistered engager get nothing.
    const engagements = path.join(tmp, "engagements.ndjson");
    const t = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
    fs.writeFileSync(
      engagements,
      [
        { id: "1", type: "like", contentId: "500", contentAuthorId: "8000", userId: "9001", timestamp: t(3) },
        { id: "2", type: "like", contentId: "500", contentAuthorId: "8000", userId: "9002", timestamp: t(2) },
        { id: "3", type: "like", contentId: "500", contentAuthorId: "8000", userId: "9003", timestamp: t(1) },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n") + "\n",
    );
    const config = path.join(tmp, "event.json");
    fs.writeFileSync(config, JSON.stringify({ kind: "event", campaignId: "1", model: "like2earn", period: { start: t(24), end: t(0) }, pot: "1000000000000000000", snapshotBlock: "latest" }));
    const reader = await connectRpc(node!.url);
    try {
      const r = await runScore({ configPath: config, engagementPaths: [engagements], participantsPath: registry, outDir: path.join(tmp, "event-1"), chain: { reader, staking: null } });
      expect(r.computed.allocations.map((a) => a.address).sort()).to.deep.equal([getAddress(user), getAddress(other)].sort());
      expect(r.computed.allocations.reduce((s, a) => s + a.amount, 0n)).to.equal(10n ** 18n);
      expect(r.manifest.registryCheck).to.include({ chainId: chainId.toString(), entries: 2 });
      expect((await verifyManifest({ manifestPath: path.join(tmp, "event-1", "manifest.json") })).problems).to.deep.equal([]);
    } finally {
      reader.destroy();
    }
  });
});
