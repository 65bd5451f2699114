/**
 * The claim page in a real browser (Debian's Chromium through playwright-core), against a `hardhat node`.
 *
 * Run with `npm run test:e2e` (builds the page, needs /usr/bin/chromium: `apt-get install -y chromium`).
 * `hardhat test` also collects this file; it is skipped there unless L2E_BROWSER_TEST=1.
 *
 * The injected test wallet forwards the page's EIP-1193 requests to the node, whose unlocked account #4 signs.
 * Screenshots land in reports/claim-page-*.png.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEther, type TransactionReceipt } from "ethers";
import * as brandLib from "../../scripts/lib/brand";
import { findEntry, leafFromValue, parseShard, shardPathOf, type EventLeaf } from "../../scorer/src/format";
import type { BrowserContext, Page } from "playwright-core";
import {
  installTestWallet,
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
import { advance, CHALLENGE_PERIOD, setUpScenario, type Scenario } from "./setup";

const RUN = process.env.L2E_BROWSER_TEST === "1";
const REPORTS = path.join(REPO, "reports");
const DESKTOP = { width: 1280, height: 900 };
const MOBILE = { width: 390, height: 844 };
const UI_TIMEOUT = 30_000;

/** 404s of proof shards are how "nothing for you in this campaign" looks; Chromium logs them as errors. */
function expected404(text: string, url: string): boolean {
  return /status of 404/.test(text) && /\/proofs\/[0-9a-f]{2}\.json$/.test(url);
}

(RUN ? describe : describe.skip)("claim page in Chromium (npm run test:e2e)", function () {
  this.timeout(600_000);

  let node: NodeHandle | undefined;
  let server: StaticServer | undefined;
  let chromium: BrowserHandle | undefined;
  let context: BrowserContext;
  let page: Page;
  let wallet: TestWallet;
  let sc: Scenario;
  let consoleLog: { errors: string[]; allowed: string[] } = { errors: [], allowed: [] };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "l2e-claim-page-"));
  const killOnExit = (): void => {
    if (node?.proc.pid) {
      try {
        process.kill(-node.proc.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  };

  // ------------------------------------------------------------------------------------------ helpers

  const row = (key: string) => page.locator(`tr[data-key="${key}"]`);

  async function settled(): Promise<void> {
    await page.waitForSelector('#rows[data-loading="false"]', { timeout: UI_TIMEOUT });
    await page.waitForSelector('body[data-busy="false"]', { timeout: UI_TIMEOUT });
  }

  async function expectState(key: string, state: string): Promise<void> {
    await page.waitForSelector(`tr[data-key="${key}"][data-state="${state}"]`, { timeout: UI_TIMEOUT }).catch(async (e) => {
      const actual = await row(key).getAttribute("data-state").catch(() => "missing");
      throw new Error(`row ${key}: expected state ${state}, got ${actual} (${(e as Error).message.split("\n")[0]})`);
    });
  }

  /** Clicks, then waits for the new transaction entry to end (confirmed or failed) and the page to reload. */
  async function clickAndWaitForTx(click: () => Promise<void>): Promise<{ status: string; text: string }> {
    const before = await page.locator("#tx-log li").count();
    await click();
    await page.waitForFunction(
      (n) => {
        const items = document.querySelectorAll("#tx-log li");
        const s = (items[0] as HTMLElement | undefined)?.dataset.status;
        return items.length === n + 1 && (s === "confirmed" || s === "failed");
      },
      before,
      { timeout: UI_TIMEOUT },
    );
    await settled();
    const first = page.locator("#tx-log li").first();
    return { status: (await first.getAttribute("data-status")) ?? "", text: (await first.innerText()).replace(/\s+/g, " ") };
  }

  async function gasCost(hash: string): Promise<bigint> {
    const rc = (await sc.provider.getTransactionReceipt(hash)) as TransactionReceipt;
    expect(rc.status, `tx ${hash} status`).to.equal(1);
    return rc.gasUsed * rc.gasPrice;
  }

  async function balance(): Promise<bigint> {
    return sc.provider.getBalance(sc.user);
  }

  /** A full-page screenshot; on a narrow viewport also one screen scrolled to each `sections` element. */
  async function shot(name: string, viewport = DESKTOP, sections: string[] = []): Promise<void> {
    fs.mkdirSync(REPORTS, { recursive: true });
    if (viewport !== DESKTOP) await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(REPORTS, `claim-page-${name}.png`), fullPage: true });
    for (const [i, selector] of sections.entries()) {
      await page.locator(selector).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(REPORTS, `claim-page-${name}-${i + 1}.png`) });
    }
    if (viewport !== DESKTOP) await page.setViewportSize(DESKTOP);
    await page.evaluate(() => window.scrollTo(0, 0));
  }

  async function weiOf(selector: string, attr = "data-wei"): Promise<bigint> {
    return BigInt((await page.locator(selector).getAttribute(attr)) ?? "-1");
  }

  // ------------------------------------------------------------------------------------------- set-up

  before(async function () {
    process.once("exit", killOnExit);
    node = await startHardhatNode();
    sc = await setUpScenario(node.url, path.join(tmp, "data"));

    server = await buildAndServeClaimPage(sc.dataDir);
    chromium = await launchChromium({ viewport: DESKTOP, locale: "en-US", timezoneId: "UTC", colorScheme: "light" });
    context = chromium.context;
    // The wallet starts on chain 1, so the page has to ask it to switch to the node's chain.
    wallet = await installTestWallet(context, { rpcUrl: node.url, account: sc.user, startChainId: "0x1" });
    page = await context.newPage();
    consoleLog = watchConsole(page, expected404);
  });

  after(async function () {
    await chromium?.stop().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await node?.stop().catch(() => undefined);
    process.removeListener("exit", killOnExit);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // -------------------------------------------------------------------------------------------- steps

  it("finds the wallet through EIP-6963, connects and switches the chain", async function () {
    await page.goto(`${server!.url}/?config=/data/claim-page.config.json`);
    const connect = page.locator('button[data-wallet="dev.like2earn.testwallet"]');
    await connect.waitFor({ timeout: UI_TIMEOUT });
    expect(await connect.innerText()).to.contain("Connect Like2Earn Test Wallet");
    await shot("1-connect");

    await connect.click();
    await page.locator("#switch-chain").waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator("#chain-warning").innerText()).to.contain("chain 1");
    expect(await page.locator("#rewards-summary").innerText()).to.contain("Switch your wallet");
    await shot("2-wrong-chain");

    await page.locator("#switch-chain").click();
    await row("event-1").waitFor({ timeout: UI_TIMEOUT });
    await settled();
    expect(await page.locator("#account").getAttribute("title")).to.equal(sc.user);
    expect(wallet.calls).to.include("eth_call");
  });

  it("lists every event and channel with its amount and state", async function () {
    const { launch, contest, early, late } = sc.events;
    const { creators, small } = sc.channels;
    await expectState("event-1", "claimable");
    await expectState("event-2", "claimable");
    await expectState("event-3", "none");
    await expectState("event-4", "challenge");
    await expectState("event-5", "vetoed");
    await expectState("channel-1", "claimable");
    await expectState("channel-2", "partial");

    expect(await weiOf('tr[data-key="event-1"] .c-amount', "data-pay-wei")).to.equal(launch.userAmount);
    expect(await weiOf('tr[data-key="event-2"] .c-amount', "data-pay-wei")).to.equal(contest.userAmount);
    expect(await weiOf('tr[data-key="event-4"] .c-amount', "data-owed-wei")).to.equal(late.userAmount);
    expect(await weiOf('tr[data-key="channel-1"] .c-amount', "data-pay-wei")).to.equal(creators.userPays);
    expect(await weiOf('tr[data-key="channel-2"] .c-amount', "data-owed-wei")).to.equal((small.userScore * small.rate) / 10n ** 18n);
    expect(await weiOf('tr[data-key="channel-2"] .c-amount', "data-pay-wei")).to.equal(small.userPays);
    expect(early.userAmount).to.equal(0n);

    expect(await row("event-1").innerText()).to.contain("1.25 ETH");
    expect(await row("event-2").innerText()).to.contain("≈ 0.333333 ETH");
    expect(await row("event-3").innerText()).to.contain("Nothing for you");
    expect(await row("event-5").innerText()).to.contain("vetoed during the challenge period");
    expect(await row("event-5").locator("button.claim").count()).to.equal(0);
    expect(await row("event-4").innerText()).to.match(/Challenge period[\s\S]*Claimable from .*\(in (1 h|59 min)\)/);
    expect(await row("channel-1").innerText()).to.contain("score 500 to convert (of 500) at 0.001 ETH per point");
    expect(await row("channel-2").innerText()).to.contain("a claim now pays 0.3 ETH of 0.5 ETH");
    expect(await row("channel-2").locator("button.claim").innerText()).to.equal("Claim 0.3 ETH");
    expect(await page.locator("#claim-all").innerText()).to.equal("Claim all (4)");
    expect(await page.locator("#rewards-summary").innerText()).to.contain("4 claimable");
    await shot("3-rewards");
    await shot("3-rewards-mobile", MOBILE, ["header.top", 'tr[data-key="channel-2"]']);
  });

  it("claims one event and pays exactly its amount", async function () {
    const { launch } = sc.events;
    const before = await balance();
    const tx = await clickAndWaitForTx(() => row("event-1").locator("button.claim").click());
    expect(tx.status, tx.text).to.equal("confirmed");
    expect(tx.text).to.contain("paid 1.25 ETH");
    const hash = wallet.sent.at(-1) as string;
    expect(await page.locator("#tx-log li").first().getAttribute("data-hash")).to.equal(hash);
    expect(await balance()).to.equal(before + launch.userAmount - (await gasCost(hash)));
    await expectState("event-1", "claimed");
    expect(await row("event-1").innerText()).to.contain("Already claimed");
    expect(await row("event-1").locator("button.claim").count()).to.equal(0);
    const index = launch.leaves.findIndex(([a]) => a === sc.user);
    expect(await sc.rewards.isEventClaimed(launch.id, index)).to.equal(true);
  });

  it("claims all the rest in one batch, the short channel partly", async function () {
    const { contest } = sc.events;
    const { creators, small } = sc.channels;
    const before = await balance();
    const tx = await clickAndWaitForTx(() => page.locator("#claim-all").click());
    expect(tx.status, tx.text).to.equal("confirmed");
    const hash = wallet.sent.at(-1) as string;
    const sent = await sc.provider.getTransaction(hash);
    expect(sc.rewards.interface.parseTransaction({ data: sent!.data })?.name).to.equal("batchClaim");
    const paid = contest.userAmount + creators.userPays + small.userPays;
    expect(await balance()).to.equal(before + paid - (await gasCost(hash)));
    expect(tx.text).to.contain("3 claims");

    for (const key of ["event-1", "event-2", "channel-1"]) {
      await expectState(key, "claimed");
      expect(await row(key).innerText()).to.contain("Already claimed");
    }
    await expectState("channel-2", "pool-empty");
    expect(await row("channel-2").innerText()).to.contain("0.2 ETH waits for a top-up");
    expect(await page.locator("#claim-all").isDisabled()).to.equal(true);
    expect(await page.locator("#rewards-summary").innerText()).to.contain("Nothing to claim right now");
    expect(await sc.rewards.convertedScore(small.id, sc.user)).to.equal(30n * 10n ** 18n);
    await shot("4-claimed-all");
  });

  it("pays the rest of the short channel after the brand tops it up", async function () {
    const { small } = sc.channels;
    await brandLib.fundChannel(sc.rewards, small.id, parseEther("1"), { signer: sc.brand });
    await page.locator("#refresh").click();
    await expectState("channel-2", "claimable");
    await settled();
    const rest = parseEther("0.2");
    expect(await weiOf('tr[data-key="channel-2"] .c-amount', "data-pay-wei")).to.equal(rest);
    const before = await balance();
    const tx = await clickAndWaitForTx(() => row("channel-2").locator("button.claim").click());
    expect(tx.status, tx.text).to.equal("confirmed");
    expect(await balance()).to.equal(before + rest - (await gasCost(wallet.sent.at(-1) as string)));
    await expectState("channel-2", "claimed");
  });

  it("shows the decoded custom error when a claim fails, then 'already claimed'", async function () {
    const { late } = sc.events;
    await advance(sc.provider, CHALLENGE_PERIOD + 1);
    await page.locator("#refresh").click();
    await expectState("event-4", "claimable");
    await settled();

    // Anyone may trigger an event claim: a stranger does, while the page still shows the row as claimable.
    const shardFile = path.join(sc.dataDir, `event-${late.id}`, shardPathOf(sc.user));
    const entry = findEntry(parseShard(JSON.parse(fs.readFileSync(shardFile, "utf8")), shardFile), sc.user)!.entry;
    const { index, amount } = leafFromValue("event", entry.value) as EventLeaf;
    const before = await balance();
    await (await sc.rewards.connect(sc.stranger).claimEvent(late.id, index, sc.user, amount, entry.proof)).wait();
    expect(await balance()).to.equal(before + late.userAmount); // the stranger paid the gas

    const sentBefore = wallet.sent.length;
    const tx = await clickAndWaitForTx(() => row("event-4").locator("button.claim").click());
    expect(tx.status).to.equal("failed");
    expect(tx.text).to.contain(`failed before sending: already claimed (EventBounties_AlreadyClaimed(eventId: ${late.id}, index: ${index}))`);
    expect(wallet.sent.length, "nothing was sent").to.equal(sentBefore);
    await expectState("event-4", "claimed");
    expect(await row("event-4").innerText()).to.contain("Already claimed");
    await shot("5-failed-claim");
  });

  it("powers up, down, and cancels, showing the account's power", async function () {
    const before = await balance();
    await page.locator("#power-up-amount").fill("1.5");
    let tx = await clickAndWaitForTx(() => page.locator("#power-up").click());
    expect(tx.status, tx.text).to.equal("confirmed");
    expect(tx.text).to.contain("powered up 1.5 ETH");
    const ETH = "0x0000000000000000000000000000000000000000";
    expect(await sc.staking.powerOf(sc.user, ETH)).to.equal(parseEther("1.5"));
    expect(await balance()).to.equal(before - parseEther("1.5") - (await gasCost(wallet.sent.at(-1) as string)));
    expect(await weiOf("#stat-power")).to.equal(parseEther("1.5"));
    expect(await weiOf("#stat-staked")).to.equal(parseEther("1.5"));
    expect(await page.locator("#stat-power").innerText()).to.equal("1.5 ETH");

    await page.locator("#power-down-amount").fill("0.5");
    tx = await clickAndWaitForTx(() => page.locator("#power-down").click());
    expect(tx.status, tx.text).to.equal("confirmed");
    expect(await page.locator("#stat-powerdown").innerText()).to.match(/^0\.5 ETH in 4 instalments, 0 unlocked; next unlock/);
    expect(await page.locator("#cancel-power-down").isDisabled()).to.equal(false);
    await shot("6-power");

    tx = await clickAndWaitForTx(() => page.locator("#cancel-power-down").click());
    expect(tx.status, tx.text).to.equal("confirmed");
    expect(await page.locator("#stat-powerdown").innerText()).to.equal("none");
    expect(await sc.staking.powerOf(sc.user, ETH)).to.equal(parseEther("1.5"));

    // A bad amount is refused in the page, before any wallet prompt.
    await page.locator("#power-up-amount").fill("abc");
    await page.locator("#power-up").click();
    expect(await page.locator("#power-form-error").innerText()).to.contain("Enter a positive amount in ETH");
    await shot("7-final");
    await shot("7-final-mobile", MOBILE, ['tr[data-key="channel-1"]', "#power-section", "#tx-log"]);
  });

  it("logged no console errors", async function () {
    expect(consoleLog.errors).to.deep.equal([]);
    // The sparse folder of event 3 has no shard for the user: its 404 was the only thing Chromium complained about.
    const shard = `/data/event-${sc.events.early.id}/${shardPathOf(sc.user)}`;
    expect(consoleLog.allowed.length).to.be.greaterThan(0);
    for (const line of consoleLog.allowed) expect(line).to.contain(shard);
  });
});
