/**
 * Claims without gas, in Chromium: a user claims with gas, then a second user whose wallet is empty claims through
 * the relay — a real relay process (`hardhat run relay/main.ts`, what `npm run relay` runs) on 127.0.0.1 started by
 * the test, its key given through Hardhat vars (the node's public test account #19). The page shows the relay's fee and the net before the wallet signs (eth_signTypedData_v4), posts the
 * signed claim, and follows the relay's transaction on the row. Balances are checked to the wei.
 *
 * Needs the contracts' signed claims (`claimEventBySig`): until the compiled ABI has it, the suite says so and skips.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HDNodeWallet, parseEther, type TransactionReceipt } from "ethers";
import type { Page } from "playwright-core";
import {
  freePort,
  installTestWallet,
  killGroup,
  launchChromium,
  REPO,
  startHardhatNode,
  watchConsole,
  type BrowserHandle,
  type NodeHandle,
  type StaticServer,
  type TestWallet,
  buildAndServeClaimPage,
} from "./harness";
import { setUpScenario, type Scenario } from "./setup";

const RUN = process.env.L2E_BROWSER_TEST === "1";
const REPORTS = path.join(REPO, "reports");
const UI_TIMEOUT = 30_000;
/** The node's public test account #19: its key reaches the relay through Hardhat vars (HARDHAT_VAR_…), as a real key would. */
const RELAYER_WALLET = HDNodeWallet.fromPhrase("test test test test test test test test test test test junk", undefined, "m/44'/60'/0'/0/19");
const RELAYER = RELAYER_WALLET.address;

function hasSignedClaims(): boolean {
  const file = path.join(REPO, "artifacts", "contracts", "interfaces", "ILike2EarnRewards.sol", "ILike2EarnRewards.json");
  if (!fs.existsSync(file)) return false;
  const abi = JSON.parse(fs.readFileSync(file, "utf8")).abi as { name?: string }[];
  return abi.some((f) => f.name === "claimEventBySig");
}

(RUN ? describe : describe.skip)("claims without gas through the relay in Chromium (npm run test:e2e)", function () {
  this.timeout(600_000);

  let node: NodeHandle | undefined;
  let server: StaticServer | undefined;
  let chromium: BrowserHandle | undefined;
  let relay: ChildProcess | undefined;
  let relayOut = "";
  let relayUrl = "";
  let page: Page;
  let wallet: TestWallet;
  let sc: Scenario;
  const consoleLogs: { errors: string[] }[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "l2e-gasless-"));

  async function open(account: string): Promise<void> {
    await chromium?.stop();
    chromium = await launchChromium({ viewport: { width: 1280, height: 800 }, locale: "en-US", timezoneId: "UTC", colorScheme: "light" });
    wallet = await installTestWallet(chromium.context, { rpcUrl: node!.url, account });
    page = await chromium.context.newPage();
    consoleLogs.push(watchConsole(page, (text, url) => /status of 404/.test(text) && /\/proofs\/[0-9a-f]{2}\.json$/.test(url)));
    await page.goto(`${server!.url}/?config=/data/claim-page.config.json`);
    await page.locator('button[data-wallet="dev.like2earn.testwallet"]').click();
    await page.waitForSelector('#rows[data-loading="false"] tr[data-key="event-1"]', { timeout: UI_TIMEOUT });
  }

  before(async function () {
    if (!hasSignedClaims()) {
      console.log("    (skipped: the compiled contracts have no claimEventBySig yet — the contracts branch adds it)");
      this.skip();
    }
    node = await startHardhatNode();
    sc = await setUpScenario(node.url, path.join(tmp, "data"));
    const port = await freePort();
    relay = spawn("npx", ["hardhat", "run", "--no-compile", "relay/main.ts"], {
      cwd: REPO,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        L2E_RELAY_RPC_URL: node.url,
        L2E_RELAY_CONTRACT: await sc.rewards.getAddress(),
        L2E_RELAY_PORT: String(port),
        HARDHAT_VAR_L2E_RELAYER_KEY: RELAYER_WALLET.privateKey,
      },
    });
    relay.stdout?.on("data", (b: Buffer) => (relayOut += b.toString()));
    relay.stderr?.on("data", (b: Buffer) => (relayOut += b.toString()));
    const deadline = Date.now() + 120_000;
    while (!/relay for .* (http:\/\/127\.0\.0\.1:\d+)/.test(relayOut)) {
      if (relay.exitCode !== null || Date.now() > deadline) throw new Error(`the relay did not start:\n${relayOut}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    relayUrl = /(http:\/\/127\.0\.0\.1:\d+)/.exec(relayOut)![1];
    const cfg = JSON.parse(fs.readFileSync(sc.configFile, "utf8"));
    cfg.relayUrl = relayUrl;
    fs.writeFileSync(sc.configFile, JSON.stringify(cfg, null, 2));
    server = await buildAndServeClaimPage(sc.dataDir);
  });

  after(async function () {
    await chromium?.stop().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    if (relay) await killGroup(relay);
    await node?.stop().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("a user with ETH claims with gas (no relay offered)", async function () {
    await open(sc.user);
    await page.waitForSelector('tr[data-key="event-1"][data-state="claimable"]', { timeout: UI_TIMEOUT });
    expect(await page.locator('tr[data-key="event-1"] button.claim-gasless').count()).to.equal(0);
    await page.locator('tr[data-key="event-1"] button.claim').click();
    await page.waitForSelector('tr[data-key="event-1"][data-state="claimed"]', { timeout: UI_TIMEOUT });
  });

  it("a user with an empty wallet signs the claim; the relay submits it and takes only the fee shown", async function () {
    const { launch } = sc.events;
    const index = 2; // others[1] (account #6) is the third leaf of event 1
    const [account, amount] = launch.leaves[index];
    await sc.provider.send("hardhat_setBalance", [account, "0x0"]);
    await open(account);
    await page.waitForSelector('tr[data-key="event-1"][data-state="claimable"] button.claim-gasless', { timeout: UI_TIMEOUT });
    expect(await page.locator("#rewards-summary").innerText()).to.contain("too little ETH for gas");
    const relayerBefore = await sc.provider.getBalance(RELAYER);
    await page.locator('tr[data-key="event-1"] button.claim-gasless').click();
    await page.locator("dialog#confirm[open]").waitFor({ timeout: UI_TIMEOUT });
    const plan = (await page.locator("dialog#confirm").innerText()).replace(/\s+/g, " ");
    const exactFee = /Its fee: .*?\(exactly ([0-9.]+)\)/.exec(plan)?.[1];
    const exactNet = /You receive .*?\(exactly ([0-9.]+)\)/.exec(plan)?.[1];
    expect(exactFee, plan).to.be.a("string");
    expect(exactNet, plan).to.be.a("string");
    fs.mkdirSync(REPORTS, { recursive: true });
    await page.screenshot({ path: path.join(REPORTS, "gasless-1-fee-desktop.png") });
    await page.locator("#confirm-ok").click();
    await page.waitForSelector('tr[data-key="event-1"][data-state="claimed"]', { timeout: UI_TIMEOUT });
    expect(wallet.calls).to.include("eth_signTypedData_v4");
    expect(wallet.sent, "the empty wallet sent no transaction").to.deep.equal([]);
    const feeWei = parseEther(exactFee as string);
    expect(parseEther(exactNet as string)).to.equal(amount - feeWei);
    expect(await sc.provider.getBalance(account)).to.equal(amount - feeWei);
    expect(await sc.rewards.isEventClaimed(launch.id, index)).to.equal(true);
    const hash = await page.locator("#tx-log li").first().getAttribute("data-hash");
    const rc = (await sc.provider.getTransactionReceipt(hash as string)) as TransactionReceipt;
    expect(rc.from).to.equal(RELAYER);
    expect(await sc.provider.getBalance(RELAYER)).to.equal(relayerBefore + feeWei - rc.gasUsed * rc.gasPrice);
    await page.locator(`#history li[data-tx="${hash}"]`).waitFor({ timeout: UI_TIMEOUT });
    await page.screenshot({ path: path.join(REPORTS, "gasless-2-claimed-desktop.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('tr[data-key="event-1"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(REPORTS, "gasless-2-claimed-mobile.png") });
  });

  it("logged no console errors", async function () {
    expect(consoleLogs.flatMap((l) => l.errors)).to.deep.equal([]);
  });
});
