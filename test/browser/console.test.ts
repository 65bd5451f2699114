/**
 * The brand console and the claim page's trust features in Chromium, against a `hardhat node` (same harness and
 * world as claim-page.test.ts): a brand lists its campaigns, creates an event and a channel, tops up, vetoes a
 * pending root after reading its manifest, announces a close and withdraws; then a user sees a vetoed root and a
 * missing proof file for what they are, claims with gas while the row shows the pending transaction, and finds the
 * claim in the history again after a reload. Screenshots: reports/console-*.png (1280×800 and 390×844).
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ContractFactory, parseEther, type TransactionReceipt } from "ethers";
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
import { advance, setUpScenario, type Scenario } from "./setup";
import { LEAF_ENCODING } from "../../scorer/src/format";

const RUN = process.env.L2E_BROWSER_TEST === "1";
const REPORTS = path.join(REPO, "reports");
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 390, height: 844 };
const UI_TIMEOUT = 30_000;
const EXPLORER = "https://explorer.example.invalid";
const DAY = 86_400;

const sha = (s: string): string => createHash("sha256").update(s).digest("hex");

/** A manifest that passes the scorer's own schema (scorer/src/format/manifest.ts), for a root posted by the test. */
function manifestFor(kind: "event" | "channel", id: bigint, root: string, total: bigint, recipients: number, chainId: bigint, dir: string): unknown {
  const rec = (p: string) => ({ path: p, sha256: sha(p) });
  return {
    format: "like2earn-manifest-v1",
    scorerVersion: "0.1.0-test",
    campaign: { kind, id: id.toString(), model: "like2earn", epoch: kind === "channel" ? 1 : null },
    root,
    total: total.toString(),
    totalUnit: kind === "event" ? "wei" : "score-wad",
    recipientCount: recipients,
    leafEncoding: [...LEAF_ENCODING[kind]],
    parameters: {},
    inputs: { config: rec("config.json"), participants: rec("participants.csv"), engagements: [rec("engagements.ndjson")], previous: null },
    onchain: { chainId: chainId.toString(), snapshotBlock: 7, snapshotTimestamp: 1_700_000_000, staking: null, powerAsset: "0x0000000000000000000000000000000000000000", file: rec("onchain.json") },
    outputs: {
      allocations: rec("allocations.csv"),
      tree: rec("tree.json"),
      // Every shard with its hash, as the scorer records them (outputs.proofs).
      proofs: fs
        .readdirSync(path.join(dir, "proofs"))
        .sort()
        .map((f) => ({ path: `proofs/${f}`, sha256: createHash("sha256").update(fs.readFileSync(path.join(dir, "proofs", f))).digest("hex") })),
    },
    stats: { rows: 10, inPeriod: 10, duplicates: 0, counted: 10, contents: 3, participants: recipients },
  };
}

(RUN ? describe : describe.skip)("brand console and claim-page trust features in Chromium (npm run test:e2e)", function () {
  this.timeout(600_000);

  let node: NodeHandle | undefined;
  let server: StaticServer | undefined;
  let chromium: BrowserHandle | undefined;
  let page: Page;
  let wallet: TestWallet;
  let sc: Scenario;
  /** The console watchers of every page the test opened (a shard 404 is the only allowed complaint). */
  const consoleLogs: { errors: string[]; allowed: string[] }[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "l2e-console-"));
  const pageUrl = (): string => `${server!.url}/?config=/data/claim-page.config.json`;
  const killOnExit = (): void => {
    if (node?.proc.pid) {
      try {
        process.kill(-node.proc.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  };

  async function openAs(account: string, hash = ""): Promise<void> {
    await chromium?.stop();
    chromium = await launchChromium({ viewport: DESKTOP, locale: "en-US", timezoneId: "UTC", colorScheme: "light" });
    wallet = await installTestWallet(chromium.context, { rpcUrl: node!.url, account });
    page = await chromium.context.newPage();
    consoleLogs.push(watchConsole(page, (text, url) => /status of 404/.test(text) && /\/proofs\/[0-9a-f]{2}\.json$/.test(url)));
    await page.goto(pageUrl() + hash);
    await page.locator('button[data-wallet="dev.like2earn.testwallet"]').click();
  }

  /** Screenshots at 1280×800 and 390×844: the first screen of each, and the full page. */
  async function shot(name: string, focus?: string): Promise<void> {
    fs.mkdirSync(REPORTS, { recursive: true });
    for (const [label, viewport] of [["desktop", DESKTOP], ["mobile", MOBILE]] as const) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: path.join(REPORTS, `console-${name}-${label}-full.png`), fullPage: true });
      if (focus) await page.locator(focus).first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(REPORTS, `console-${name}-${label}.png`) });
      await page.evaluate(() => window.scrollTo(0, 0));
    }
    await page.setViewportSize(DESKTOP);
  }

  /** Clicks, checks the plan dialog names what happens and when funds come back, confirms, waits for the tx. */
  async function confirmAndWait(click: () => Promise<void>, fundsBack: RegExp): Promise<{ status: string; text: string; hash: string }> {
    await click();
    return confirmNext(fundsBack);
  }

  /** The next plan dialog: checks it, confirms, waits for its transaction. */
  async function confirmNext(fundsBack: RegExp): Promise<{ status: string; text: string; hash: string }> {
    const before = await page.locator("#tx-log li").count();
    await page.locator("dialog#confirm[open]").waitFor({ timeout: UI_TIMEOUT });
    const plan = (await page.locator("dialog#confirm").innerText()).replace(/\s+/g, " ");
    expect(plan).to.contain("What will happen").and.to.contain("When funds come back");
    expect(plan).to.match(fundsBack);
    const sentBefore = wallet.sent.length;
    await page.locator("#confirm-ok").click();
    await page.waitForFunction(
      (n) => {
        const items = document.querySelectorAll("#tx-log li");
        const s = (items[0] as HTMLElement | undefined)?.dataset.status;
        return items.length >= n + 1 && (s === "confirmed" || s === "failed");
      },
      before,
      { timeout: UI_TIMEOUT },
    );
    await page.waitForFunction(() => !document.querySelector("dialog#confirm[open]") || document.querySelector("#tx-log li[data-status='confirmed']"), undefined, { timeout: UI_TIMEOUT });
    await page.waitForSelector('#brand-view[data-loading="false"]', { timeout: UI_TIMEOUT });
    const first = page.locator("#tx-log li").first();
    expect(wallet.sent.length, "one transaction sent after the plan").to.equal(sentBefore + 1);
    return { status: (await first.getAttribute("data-status")) ?? "", text: (await first.innerText()).replace(/\s+/g, " "), hash: wallet.sent.at(-1) as string };
  }

  async function gasCost(hash: string): Promise<bigint> {
    const rc = (await sc.provider.getTransactionReceipt(hash)) as TransactionReceipt;
    return rc.gasUsed * rc.gasPrice;
  }

  const card = (key: string) => page.locator(`#brand-campaigns article[data-key="${key}"]`);
  const row = (key: string) => page.locator(`tr[data-key="${key}"]`);

  before(async function () {
    process.once("exit", killOnExit);
    node = await startHardhatNode();
    sc = await setUpScenario(node.url, path.join(tmp, "data"));
    // Event 4 (still in its challenge period) and event 2 publish a manifest; the user's shard of event 2 is then
    // deleted: with a manifest, that 404 is a missing proof file, not "nothing for you".
    const cfg = JSON.parse(fs.readFileSync(sc.configFile, "utf8"));
    for (const e of [sc.events.late, sc.events.contest]) {
      const root = (await sc.rewards.getEventRoot(e.id)).root;
      const total = e.leaves.reduce((s, [, a]) => s + a, 0n);
      const dir = path.join(sc.dataDir, `event-${e.id}`);
      fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifestFor("event", e.id, root, total, e.leaves.length, sc.chainId, dir)));
      cfg.campaigns.find((c: { kind: string; id: number }) => c.kind === "event" && BigInt(c.id) === e.id).manifestUrl = `event-${e.id}/manifest.json`;
    }
    fs.rmSync(path.join(sc.dataDir, `event-${sc.events.contest.id}`, "proofs", `${sc.user.slice(2, 4).toLowerCase()}.json`));
    cfg.explorerUrl = EXPLORER;
    fs.writeFileSync(sc.configFile, JSON.stringify(cfg, null, 2));

    server = await buildAndServeClaimPage(sc.dataDir);
  });

  after(async function () {
    await chromium?.stop().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await node?.stop().catch(() => undefined);
    process.removeListener("exit", killOnExit);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("opens a start page, not a JSON error, without ?config", async function () {
    chromium = await launchChromium({ viewport: DESKTOP, locale: "en-US", timezoneId: "UTC", colorScheme: "light" });
    page = await chromium.context.newPage();
    const errors = watchConsole(page, (text) => /status of 404/.test(text));
    await page.goto(`${server!.url}/`);
    await page.locator("#start:not([hidden])").waitFor({ timeout: UI_TIMEOUT });
    const text = await page.locator("body").innerText();
    expect(text).to.contain("Open a campaign").and.not.to.contain("not valid JSON");
    expect(await page.locator("#banner").isHidden()).to.equal(true);
    await page.locator("#start-url").fill(`${server!.url}/data/claim-page.config.json`);
    await page.locator("#start-form button[type=submit]").click();
    await page.waitForURL(/\?config=/, { timeout: UI_TIMEOUT });
    await page.locator("#claim-view:not([hidden])").waitFor({ timeout: UI_TIMEOUT });
    expect(errors.errors).to.deep.equal([]);
  });

  it("the URL `npm run app` prints (Vite's dev server) opens the start page too", async function () {
    const port = await freePort();
    const vite = spawn("npx", ["vite", "--config", "claim-page/vite.config.ts", "--port", String(port), "--strictPort"], { cwd: REPO, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    vite.stdout?.on("data", (b: Buffer) => (out += b.toString()));
    vite.stderr?.on("data", (b: Buffer) => (out += b.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!/Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.test(out.replace(/\x1b\[[0-9;]*m/g, ""))) {
        if (vite.exitCode !== null || Date.now() > deadline) throw new Error(`vite did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const printed = /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out.replace(/\x1b\[[0-9;]*m/g, ""))![1];
      const p = await chromium!.context.newPage();
      const errors = watchConsole(p, () => false);
      await p.goto(printed);
      await p.locator("#start:not([hidden])").waitFor({ timeout: 60_000 });
      expect(await p.locator("body").innerText()).to.contain("Open a campaign").and.not.to.contain("not valid JSON");
      expect(errors.errors).to.deep.equal([]);
      await p.close();
    } finally {
      await killGroup(vite);
    }
  });

  it("lists the brand's events and channels from the logs, with pot, claimed, remaining and state", async function () {
    await openAs(await sc.brand.getAddress(), "#brand");
    await card("event-1").waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator("#brand-campaigns article").count()).to.equal(7);
    expect(await card("event-1").locator('[data-field="pot"]').getAttribute("data-wei")).to.equal(sc.events.launch.pot.toString());
    expect(await card("event-1").getAttribute("data-state")).to.equal("claiming");
    expect(await card("event-4").getAttribute("data-state")).to.equal("challenge");
    expect(await card("channel-1").innerText()).to.contain("1,000 points = 1 ETH");
    expect(await card("channel-2").locator('[data-field="remaining"]').getAttribute("data-wei")).to.equal(sc.channels.small.funded.toString());
    await shot("1-brand-list");
  });

  it("creates an ETH event with local-time pickers (UTC shown) after saying when the funds come back", async function () {
    const now = BigInt((await sc.provider.getBlock("latest"))!.timestamp);
    const iso = (t: bigint): string => new Date(Number(t) * 1000).toISOString().slice(0, 16);
    await page.locator("#create-event-amount").fill("2");
    await page.locator("#create-event-start").fill(iso(now + 60n));
    await page.locator("#create-event-end").fill(iso(now + 7200n));
    expect(await page.locator("#create-event-end-utc").innerText()).to.contain(`${iso(now + 7200n).replace("T", " ")} UTC`);
    await page.locator("#create-event-claim-days").fill("10");
    const tx = await confirmAndWait(() => page.locator("#create-event-submit").click(), /Withdraw once the claim window closes[\s\S]*Refund returns the whole pot/);
    expect(tx.status, tx.text).to.equal("confirmed");
    const ev = await sc.rewards.getEventBounty(6n);
    expect(ev.brand).to.equal(await sc.brand.getAddress());
    expect(ev.funded).to.equal(parseEther("2"));
    expect(ev.claimWindow).to.equal(10n * BigInt(DAY));
    // The pickers hold minutes: what was picked, to the minute, in the browser's (here UTC) local time.
    expect(ev.start).to.equal(((now + 60n) / 60n) * 60n);
    expect(ev.end).to.equal(((now + 7200n) / 60n) * 60n);
    await card("event-6").waitFor({ timeout: UI_TIMEOUT });
    expect(await card("event-6").locator('[data-field="pot"]').getAttribute("data-wei")).to.equal(parseEther("2").toString());
  });

  it("creates an ERC-20 event: the approval first, then the funding, each after its plan", async function () {
    const art = JSON.parse(fs.readFileSync(path.join(REPO, "artifacts", "contracts", "test", "MockERC20.sol", "MockERC20.json"), "utf8"));
    const erc20 = (await new ContractFactory(art.abi, art.bytecode, sc.brand).deploy("Test USD", "TUSD")) as unknown as {
      waitForDeployment(): Promise<unknown>;
      getAddress(): Promise<string>;
      mint(to: string, amount: bigint): Promise<{ wait(): Promise<unknown> }>;
      balanceOf(a: string): Promise<bigint>;
    };
    await erc20.waitForDeployment();
    const brand = await sc.brand.getAddress();
    await (await erc20.mint(brand, parseEther("100"))).wait();
    const tokenAddress = await erc20.getAddress();

    const now = BigInt((await sc.provider.getBlock("latest"))!.timestamp);
    const iso = (t: bigint): string => new Date(Number(t) * 1000).toISOString().slice(0, 16);
    await page.locator('#create-event input[name="token-kind"][value="erc20"]').check();
    await page.locator("#create-event-token").fill(tokenAddress);
    await page.locator("#create-event-amount").fill("50");
    await page.locator("#create-event-start").fill(iso(now + 60n));
    await page.locator("#create-event-end").fill(iso(now + 7200n));
    await page.locator("#create-event-submit").click();
    await page.locator("dialog#confirm[open]").waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator("dialog#confirm").innerText()).to.contain("Allow the contract to take TUSD");
    let tx = await confirmNext(/Nothing leaves your wallet with this step/);
    expect(tx.status, tx.text).to.equal("confirmed");
    tx = await confirmNext(/You send 50 TUSD|Withdraw once the claim window closes/);
    expect(tx.status, tx.text).to.equal("confirmed");
    const ev = await sc.rewards.getEventBounty(7n);
    expect(ev.token).to.equal(tokenAddress);
    expect(ev.funded).to.equal(parseEther("50"));
    expect(await erc20.balanceOf(brand)).to.equal(parseEther("50"));
    await card("event-7").waitFor({ timeout: UI_TIMEOUT });
    expect(await card("event-7").innerText()).to.contain("Event #7 · TUSD").and.to.contain("50 TUSD");
  });

  it("creates a channel with the rate as '1,000 points = X ETH', tops it up", async function () {
    await page.locator("#create-channel-per1000").fill("2.5");
    await page.locator("#create-channel-amount").fill("0.5");
    let tx = await confirmAndWait(() => page.locator("#create-channel-submit").click(), /only after you announce a close/);
    expect(tx.status, tx.text).to.equal("confirmed");
    const ch = await sc.rewards.getChannel(3n);
    expect(ch.rate).to.equal(parseEther("0.0025")); // token wei per 1e18 score: 2.5 ETH / 1,000 points
    expect(ch.balance).to.equal(parseEther("0.5"));
    await card("channel-3").waitFor({ timeout: UI_TIMEOUT });
    expect(await card("channel-3").innerText()).to.contain("1,000 points = 2.5 ETH");

    await card("channel-3").locator("form.top-up input").fill("0.25");
    tx = await confirmAndWait(() => card("channel-3").locator("form.top-up button").click(), /announce a close/);
    expect(tx.status, tx.text).to.equal("confirmed");
    expect((await sc.rewards.getChannel(3n)).balance).to.equal(parseEther("0.75"));
    await page.waitForFunction(() => document.querySelector('article[data-key="channel-3"] [data-field="pot"]')?.getAttribute("data-wei") === "750000000000000000", undefined, { timeout: UI_TIMEOUT });
  });

  it("shows the pending root's manifest, then vetoes it", async function () {
    const late = sc.events.late;
    const m = card("event-4").locator('[data-manifest="event-4"]');
    await m.waitFor({ timeout: UI_TIMEOUT });
    expect(await m.getAttribute("data-matches")).to.equal("true");
    expect(await m.innerText()).to.contain("matches the posted root").and.to.contain(`${late.leaves.length}`);
    await shot("2-veto", '[data-manifest="event-4"]');
    const tx = await confirmAndWait(() => card("event-4").locator("button.veto").click(), /No funds move/);
    expect(tx.status, tx.text).to.equal("confirmed");
    expect((await sc.rewards.getEventRoot(late.id)).vetoed).to.equal(true);
    await page.waitForSelector('article[data-key="event-4"][data-state="vetoed"]', { timeout: UI_TIMEOUT });
  });

  it("announces a rate change, then the channel's close, then withdraws the event's unclaimed pot, refunds an unpublished event and withdraws the closed channel", async function () {
    await card("channel-3").locator("form.announce-rate input").fill("3");
    let tx = await confirmAndWait(() => card("channel-3").locator("form.announce-rate button").click(), /No funds move/);
    expect(tx.status, tx.text).to.equal("confirmed");
    expect((await sc.rewards.getChannel(3n)).pendingRate).to.equal(parseEther("0.003"));
    await page.waitForFunction(() => /Rate becomes 1,000 points = 3 ETH/.test(document.querySelector('article[data-key="channel-3"]')?.textContent ?? ""), undefined, { timeout: UI_TIMEOUT });

    tx = await confirmAndWait(() => card("channel-3").locator("button.announce-close").click(), /Withdraw returns what is left/);
    expect(tx.status, tx.text).to.equal("confirmed");
    expect((await sc.rewards.getChannel(3n)).closesAt).to.not.equal(0n);

    await advance(sc.provider, 31 * DAY); // event 1's claim window and channel 3's close notice have passed
    await page.locator("button.brand-refresh").click();
    await page.waitForSelector('article[data-key="event-1"][data-state="window-over"]', { timeout: UI_TIMEOUT });
    const brand = await sc.brand.getAddress();
    const ev = await sc.rewards.getEventBounty(1n);
    let before = await sc.provider.getBalance(brand);
    tx = await confirmAndWait(() => card("event-1").locator("button.withdraw").click(), /Now: 10 ETH comes back/);
    expect(tx.status, tx.text).to.equal("confirmed");
    expect(await sc.provider.getBalance(brand)).to.equal(before + ev.funded - ev.claimed - (await gasCost(tx.hash)));
    await page.waitForSelector('article[data-key="event-1"][data-state="settled"]', { timeout: UI_TIMEOUT });

    // Event 6 ended with no results by its publish deadline: the brand takes the whole pot back.
    await page.waitForSelector('article[data-key="event-6"][data-state="refundable"]', { timeout: UI_TIMEOUT });
    before = await sc.provider.getBalance(brand);
    tx = await confirmAndWait(() => card("event-6").locator("button.refund").click(), /Now: 2 ETH comes back/);
    expect(tx.status, tx.text).to.equal("confirmed");
    expect(await sc.provider.getBalance(brand)).to.equal(before + parseEther("2") - (await gasCost(tx.hash)));

    before = await sc.provider.getBalance(brand);
    tx = await confirmAndWait(() => card("channel-3").locator("button.withdraw").click(), /Now: 0\.75 ETH comes back/);
    expect(tx.status, tx.text).to.equal("confirmed");
    expect(await sc.provider.getBalance(brand)).to.equal(before + parseEther("0.75") - (await gasCost(tx.hash)));
    await shot("3-brand-done");
  });

  it("user: a vetoed root shows no amount as owed, a missing proof file says so", async function () {
    await openAs(sc.user);
    await row("event-5").waitFor({ timeout: UI_TIMEOUT });
    await page.waitForSelector('#rows[data-loading="false"]', { timeout: UI_TIMEOUT });
    await page.waitForSelector('tr[data-key="event-5"][data-state="vetoed"]', { timeout: UI_TIMEOUT });
    expect(await row("event-5").locator(".c-amount").getAttribute("data-owed-wei")).to.equal("0");
    expect(await row("event-5").locator(".c-amount").innerText()).to.contain("not owed").and.not.to.contain("0.2");
    await page.waitForSelector('tr[data-key="event-4"][data-state="vetoed"]', { timeout: UI_TIMEOUT }); // the brand vetoed it
    await page.waitForSelector('tr[data-key="event-2"][data-state="missing-proof"]', { timeout: UI_TIMEOUT });
    expect(await row("event-2").innerText()).to.contain("Proof file missing");
    expect(await row("event-2").locator("button").count()).to.equal(0);
  });

  it("user: reads are batched through Multicall3", async function () {
    const calls = wallet.calls.length;
    await page.locator("#refresh").click();
    await page.waitForSelector('#rows[data-loading="false"]', { timeout: UI_TIMEOUT });
    const during = wallet.calls.slice(calls);
    // Two aggregate3 calls for 7 campaign rows and the stake (each of which used to be ~6 eth_calls).
    expect(during.filter((m) => m === "eth_call").length).to.be.at.most(2);
  });

  it("user: the claim row shows its pending transaction with copy and explorer link, then the history keeps it across a reload", async function () {
    // The claim window of event 1 has passed in this world; channel 1 is still claimable.
    await page.waitForSelector('tr[data-key="channel-1"][data-state="claimable"]', { timeout: UI_TIMEOUT });
    await sc.provider.send("evm_setAutomine", [false]);
    try {
      await row("channel-1").locator("button.claim").click();
      await page.waitForSelector('tr[data-key="channel-1"][data-pending="true"] .txhash', { timeout: UI_TIMEOUT });
      const hash = wallet.sent.at(-1) as string;
      expect(await row("channel-1").locator(".txhash").getAttribute("data-hash")).to.equal(hash);
      expect(await row("channel-1").locator("a.explorer").getAttribute("href")).to.equal(`${EXPLORER}/tx/${hash}`);
      expect(await row("channel-1").innerText()).to.contain("Pending");
      await shot("4-pending", 'tr[data-key="channel-1"]');
    } finally {
      await sc.provider.send("evm_setAutomine", [true]);
      await sc.provider.send("evm_mine", []);
    }
    const hash = wallet.sent.at(-1) as string;
    await page.waitForSelector('tr[data-key="channel-1"][data-state="claimed"][data-pending="false"]', { timeout: UI_TIMEOUT });
    await page.locator(`#history li[data-tx="${hash}"]`).waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator(`#history li[data-tx="${hash}"]`).getAttribute("data-amount")).to.equal(sc.channels.creators.userPays.toString());

    await page.reload();
    // Straight from the stored history, before any new log scan has to finish.
    await page.locator(`#history li[data-tx="${hash}"]`).waitFor({ timeout: UI_TIMEOUT });
    await page.waitForSelector('#rows[data-loading="false"]', { timeout: UI_TIMEOUT });
    expect(await page.locator(`tr[data-key="channel-1"] .paid-line .txhash`).getAttribute("data-hash")).to.equal(hash);
    await page.locator(`#history li[data-tx="${hash}"] button.copy-hash`).click();
    await shot("5-history", "#history-section");
  });

  it("user: power-up above the balance is refused in plain words; Max fills what fits; disconnect forgets the wallet", async function () {
    const balance = await sc.provider.getBalance(sc.user);
    await page.locator("#power-up-amount").fill("100000");
    const sent = wallet.sent.length;
    await page.locator("#power-up").click();
    const err = await page.locator("#power-form-error").innerText();
    expect(err).to.contain("Your wallet holds").and.to.contain("use Max").and.not.to.contain("upfront");
    expect(wallet.sent.length).to.equal(sent);
    await page.locator("#power-up-max").click();
    const max = parseEther(await page.locator("#power-up-amount").inputValue());
    expect(max < balance && max > balance - parseEther("0.1"), `Max ${max} of balance ${balance}`).to.equal(true);
    expect(await page.locator("#power-down-note").innerText()).to.contain("4 equal instalments");
    await page.locator("#disconnect").click();
    await page.locator('button[data-wallet="dev.like2earn.testwallet"]').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.evaluate(() => localStorage.getItem("l2e.lastWallet"))).to.equal(null);
  });

  it("logged no console errors", async function () {
    expect(consoleLogs.length).to.equal(2);
    expect(consoleLogs.flatMap((l) => l.errors)).to.deep.equal([]);
  });
});
