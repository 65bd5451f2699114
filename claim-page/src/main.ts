/**
 * The claim page: connects an injected wallet, lists the account's rewards from the published proof shards and
 * the chain, and sends claims, batch claims and power-up/down transactions through the wallet.
 */
import "./style.css";
import { getAddress, Interface, parseEther, toQuantity, type InterfaceAbi, type Log } from "ethers";
import { errorsAbi, rewardsAbi, stakingAbi } from "virtual:l2e-abi";
import { readChannel, readEvent, readStake, type StakeView } from "./chain";
import { configUrlFrom, loadConfig, type CampaignConfig, type ClaimPageConfig } from "./config";
import { exactEth, formatEth, formatWhen, shortHex } from "./format";
import { fetchLeaf, type ChannelLeaf, type EventLeaf } from "./proofs";
import { batchItemKind, batchSkipText } from "@like2earn/format";
import { channelRow, errorRow, eventRow, type RowView } from "./rows";
import { discoverWallets, explainError, isUserRejection, Rpc, switchChain, type DiscoveredWallet } from "./wallet";

const ETH = "0x0000000000000000000000000000000000000000";
const LAST_WALLET_KEY = "l2e.lastWallet";
/** States whose row shows a Claim button (enabled only when claimable): the others cannot become claimable. */
const SHOW_CLAIM_BUTTON = new Set<RowView["state"]>(["claimable", "partial", "challenge", "pool-empty", "paused", "awaiting"]);

/** One ABI for everything the page calls, plus every known custom error, deduplicated. */
function buildInterface(): Interface {
  const seen = new Set<string>();
  const items: unknown[] = [];
  for (const abi of [rewardsAbi, stakingAbi, errorsAbi] as InterfaceAbi[]) {
    for (const item of abi as { type: string; name?: string; inputs?: { type: string }[] }[]) {
      const key = `${item.type}:${item.name ?? ""}(${(item.inputs ?? []).map((i) => i.type).join(",")})`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
  }
  return new Interface(items as InterfaceAbi);
}

const iface = buildInterface();

// ---------------------------------------------------------------------------------------------- state

interface AppState {
  configUrl: string;
  config?: ClaimPageConfig;
  configError?: string;
  wallets: DiscoveredWallet[];
  wallet?: DiscoveredWallet;
  account?: string;
  chainId?: bigint;
  balance?: bigint;
  rows: RowView[];
  stake?: StakeView;
  paused: boolean;
  now: bigint;
  loading: boolean;
  busy: boolean;
  walletError?: string;
}

const state: AppState = { configUrl: configUrlFrom(location.href), wallets: [], rows: [], paused: false, now: 0n, loading: false, busy: false };

let rpc: Rpc | undefined;
let refreshSeq = 0;
let detachWallet: (() => void) | undefined;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el as T;
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function onRightChain(): boolean {
  return state.config !== undefined && state.chainId !== undefined && state.chainId === state.config.chainId;
}

function chainLabel(cfg: ClaimPageConfig): string {
  return cfg.chainName ? `${cfg.chainName} (chain ${cfg.chainId})` : `chain ${cfg.chainId}`;
}

// --------------------------------------------------------------------------------------------- render

function setBanner(text: string | undefined, kind: "info" | "error" = "info"): void {
  const b = $("banner");
  b.hidden = !text;
  b.textContent = text ?? "";
  b.dataset.kind = kind;
}

function renderWallet(): void {
  const box = $("wallet");
  box.replaceChildren();
  const cfg = state.config;
  if (!state.account || !state.wallet) {
    if (state.wallets.length === 0) {
      box.append(el("p", { class: "muted", text: "No wallet found. Install a browser wallet (MetaMask, Rabby, …) and reload." }));
    } else {
      const list = el("div", { class: "wallet-list" });
      for (const w of state.wallets) {
        const btn = el("button", { type: "button", class: "connect", "data-wallet": w.info.rdns });
        if (w.info.icon) btn.append(el("img", { src: w.info.icon, alt: "", width: "20", height: "20" }));
        btn.append(`Connect ${w.info.name}`);
        btn.addEventListener("click", () => void connect(w, true));
        list.append(btn);
      }
      box.append(list);
    }
    if (state.walletError) box.append(el("p", { class: "form-error", role: "alert", text: state.walletError }));
    return;
  }
  const who = el("div", { class: "account" });
  who.append(
    el("span", { class: "label", text: state.wallet.info.name }),
    el("code", { id: "account", title: state.account, text: shortHex(state.account, 4) }),
  );
  if (state.balance !== undefined) who.append(el("span", { class: "balance", title: `${exactEth(state.balance)} ETH`, text: `${formatEth(state.balance)} ETH` }));
  box.append(who);
  if (cfg && state.chainId !== undefined && state.chainId !== cfg.chainId) {
    const warn = el("div", { class: "chain-warning", id: "chain-warning" });
    warn.append(el("p", { text: `Your wallet is on chain ${state.chainId}; this page uses ${chainLabel(cfg)}.` }));
    const btn = el("button", { type: "button", id: "switch-chain", text: `Switch to ${cfg.chainName ?? `chain ${cfg.chainId}`}` });
    btn.addEventListener("click", () => void doSwitchChain());
    warn.append(btn);
    box.append(warn);
  } else if (cfg) {
    box.append(el("p", { class: "chain-ok muted", text: chainLabel(cfg) }));
  }
  if (state.walletError) box.append(el("p", { class: "form-error", role: "alert", text: state.walletError }));
}

function renderRows(): void {
  const tbody = $("rows").querySelector("tbody") as HTMLTableSectionElement;
  tbody.replaceChildren();
  const summary = $("rewards-summary");
  const claimAll = $<HTMLButtonElement>("claim-all");
  const ready = state.account !== undefined && onRightChain();
  const claimable = state.rows.filter((r) => r.claimable);
  $("rows").dataset.loading = String(state.loading);
  document.body.dataset.busy = String(state.busy);
  claimAll.disabled = !ready || state.busy || state.loading || claimable.length === 0;
  const total = claimable.reduce((s, r) => s + r.payNow, 0n);
  claimAll.textContent = claimable.length > 0 ? `Claim all (${claimable.length})` : "Claim all";
  $<HTMLButtonElement>("refresh").disabled = !ready || state.loading;

  if (!state.config) {
    summary.textContent = state.configError ? "" : "Loading the configuration…";
    return;
  }
  if (!state.account) {
    summary.textContent = "Connect a wallet to see your rewards.";
  } else if (!onRightChain()) {
    summary.textContent = `Switch your wallet to ${chainLabel(state.config)} to see your rewards.`;
  } else if (state.loading && state.rows.length === 0) {
    summary.textContent = "Loading your rewards…";
  } else {
    const units = new Set(claimable.map((r) => r.unit));
    summary.textContent =
      claimable.length === 0
        ? "Nothing to claim right now."
        : `${claimable.length} claimable, ${units.size === 1 && units.has("ETH") ? `${formatEth(total)} ETH in all` : "in several tokens"}.`;
    summary.dataset.totalWei = total.toString();
  }
  if (!ready) return;

  for (const r of state.rows) {
    const tr = el("tr", { "data-key": r.key, "data-state": r.state });
    const name = el("td", { "data-label": "Campaign", class: "c-name" });
    name.append(el("strong", { text: r.title }), el("span", { class: "muted small", text: `${r.campaign.kind === "event" ? "Event" : "Channel"} #${r.campaign.id}` }));
    const amount = el("td", { "data-label": "Amount", class: "c-amount", "data-owed-wei": r.owed.toString(), "data-pay-wei": r.payNow.toString() });
    amount.append(el("span", { class: "amount", title: r.leaf ? `${exactEth(r.owed)} ${r.unit}` : "", text: r.amountText }));
    if (r.amountNote) amount.append(el("span", { class: "muted small", text: r.amountNote }));
    const st = el("td", { "data-label": "State", class: "c-state" });
    st.append(el("span", { class: `badge badge-${r.state}`, text: r.label }), el("span", { class: "small detail", text: r.detail }));
    const act = el("td", { class: "c-action" });
    if (r.leaf && SHOW_CLAIM_BUTTON.has(r.state)) {
      const btn = el("button", { type: "button", class: "claim", text: r.state === "partial" ? `Claim ${formatEth(r.payNow)} ${r.unit}` : "Claim" }) as HTMLButtonElement;
      btn.disabled = !r.claimable || state.busy || state.loading;
      btn.addEventListener("click", () => void claimOne(r));
      act.append(btn);
    }
    tr.append(name, amount, st, act);
    tbody.append(tr);
  }
}

function setStat(id: string, wei: bigint | undefined, suffix = " ETH"): void {
  const dd = $(id);
  dd.dataset.wei = wei === undefined ? "" : wei.toString();
  dd.textContent = wei === undefined ? "—" : `${formatEth(wei)}${suffix}`;
  dd.title = wei === undefined ? "" : `${exactEth(wei)} ETH`;
}

function renderStake(): void {
  const section = $("power-section");
  const cfg = state.config;
  section.hidden = cfg !== undefined && !cfg.staking;
  const s = state.stake;
  const ready = state.account !== undefined && onRightChain() && s !== undefined;
  setStat("stat-power", s?.power);
  setStat("stat-staked", s?.staked);
  setStat("stat-withdrawable", s?.withdrawable);
  setStat("stat-balance", state.account && onRightChain() ? state.balance : undefined);
  const pd = $("stat-powerdown");
  if (!s || s.powerDownStart === 0n) {
    pd.textContent = s ? "none" : "—";
  } else {
    const elapsed = state.now > s.powerDownStart ? (state.now - s.powerDownStart) / (s.interval || 1n) : 0n;
    const done = elapsed > s.instalments ? s.instalments : elapsed;
    const next = done < s.instalments ? `; next unlock ${formatWhen(s.powerDownStart + (done + 1n) * s.interval, state.now)}` : "";
    pd.textContent = `${formatEth(s.powerDownAmount)} ETH in ${s.instalments} instalments, ${done} unlocked${next}`;
  }
  const disabled = !ready || state.busy;
  for (const id of ["power-up", "power-down", "power-up-amount", "power-down-amount"]) ($(id) as HTMLButtonElement | HTMLInputElement).disabled = disabled;
  const cancel = $<HTMLButtonElement>("cancel-power-down");
  cancel.disabled = disabled || !s || s.powerDownStart === 0n;
  const withdraw = $<HTMLButtonElement>("withdraw");
  withdraw.disabled = disabled || !s || s.withdrawable === 0n;
  withdraw.textContent = s && s.withdrawable > 0n ? `Withdraw ${formatEth(s.withdrawable)} ETH` : "Withdraw";
}

function renderFooter(): void {
  const f = $("footer");
  f.replaceChildren();
  const cfg = state.config;
  f.append(el("span", { text: "Config: " }), el("code", { text: state.configUrl }));
  if (cfg) {
    f.append(el("span", { text: ` · ${chainLabel(cfg)} · rewards ` }), el("code", { title: cfg.rewards, text: shortHex(cfg.rewards) }));
    if (cfg.staking) f.append(el("span", { text: " · staking " }), el("code", { title: cfg.staking, text: shortHex(cfg.staking) }));
  }
  f.append(el("span", { text: " · Proofs are static files: this page needs no server of ours." }));
}

function render(): void {
  renderWallet();
  renderRows();
  renderStake();
  renderFooter();
}

// ------------------------------------------------------------------------------------------ wallet

async function connect(w: DiscoveredWallet, interactive: boolean): Promise<void> {
  state.walletError = undefined;
  try {
    const accounts = (await w.provider.request({ method: interactive ? "eth_requestAccounts" : "eth_accounts" })) as string[];
    if (!accounts || accounts.length === 0) {
      if (interactive) state.walletError = "The wallet shared no account.";
      render();
      return;
    }
    attach(w);
    state.account = getAddress(accounts[0]);
    state.chainId = BigInt((await w.provider.request({ method: "eth_chainId" })) as string);
    try {
      localStorage.setItem(LAST_WALLET_KEY, w.info.rdns);
    } catch {
      /* storage disabled */
    }
  } catch (e) {
    state.walletError = isUserRejection(e) ? "Connection rejected in the wallet." : `Could not connect: ${explainError(e, iface)}`;
  }
  render();
  await refresh();
}

function attach(w: DiscoveredWallet): void {
  if (state.wallet === w) return;
  detachWallet?.();
  state.wallet = w;
  rpc = new Rpc(w.provider, iface);
  const onAccounts = (...args: unknown[]): void => {
    const accounts = args[0] as string[] | undefined;
    state.account = accounts && accounts.length > 0 ? getAddress(accounts[0]) : undefined;
    state.rows = [];
    state.stake = undefined;
    render();
    void refresh();
  };
  const onChain = (...args: unknown[]): void => {
    state.chainId = BigInt(args[0] as string);
    state.rows = [];
    state.stake = undefined;
    render();
    void refresh();
  };
  w.provider.on?.("accountsChanged", onAccounts);
  w.provider.on?.("chainChanged", onChain);
  detachWallet = () => {
    w.provider.removeListener?.("accountsChanged", onAccounts);
    w.provider.removeListener?.("chainChanged", onChain);
  };
}

async function doSwitchChain(): Promise<void> {
  const cfg = state.config;
  if (!cfg || !state.wallet) return;
  state.walletError = undefined;
  try {
    await switchChain(state.wallet.provider, cfg.chainId, { chainName: cfg.chainName ?? `Chain ${cfg.chainId}`, rpcUrl: cfg.rpcUrl });
    // Wallets emit chainChanged; read it back too, in case this one does not.
    state.chainId = BigInt((await state.wallet.provider.request({ method: "eth_chainId" })) as string);
  } catch (e) {
    state.walletError = isUserRejection(e)
      ? "Network switch rejected in the wallet."
      : `Could not switch the network: ${explainError(e, iface)}${cfg.rpcUrl ? "" : " (add the network to your wallet by hand)"}`;
  }
  render();
  await refresh();
}

// ------------------------------------------------------------------------------------------- reads

async function loadRow(r: Rpc, cfg: ClaimPageConfig, c: CampaignConfig, account: string, now: bigint, paused: boolean): Promise<RowView> {
  try {
    const shard = await fetchLeaf(c.kind, c.id, c.proofsBaseUrl, account);
    const leaf = shard.found ? shard.leaf : undefined;
    if (c.kind === "event") {
      const ev = leaf as EventLeaf | undefined;
      return eventRow(c, ev, await readEvent(r, cfg.rewards, c.id, ev?.index), paused, now);
    }
    const ch = leaf as ChannelLeaf | undefined;
    return channelRow(c, ch, await readChannel(r, cfg.rewards, c.id, account, ch?.cumulativeScore), paused, now);
  } catch (e) {
    return errorRow(c, explainError(e, iface));
  }
}

async function refresh(): Promise<void> {
  const cfg = state.config;
  const r = rpc;
  const account = state.account;
  if (!cfg || !r || !account || !onRightChain()) {
    render();
    return;
  }
  const seq = ++refreshSeq;
  state.loading = true;
  renderRows();
  try {
    const [now, [paused], balance] = await Promise.all([r.now(), r.call(cfg.rewards, "claimsPaused"), r.balance(account)]);
    const [rows, stake] = await Promise.all([
      Promise.all(cfg.campaigns.map((c) => loadRow(r, cfg, c, account, now, Boolean(paused)))),
      cfg.staking ? readStake(r, cfg.staking, account).catch(() => undefined) : Promise.resolve(undefined),
    ]);
    if (seq !== refreshSeq) return;
    Object.assign(state, { now, paused: Boolean(paused), balance, rows, stake });
    setBanner(state.paused ? "Claims are paused by a guardian. Your rewards are safe; try again later." : undefined);
  } catch (e) {
    if (seq !== refreshSeq) return;
    setBanner(`Could not read the contracts: ${explainError(e, iface)}. Check that the wallet is on ${chainLabel(cfg)} and the config's addresses are right.`, "error");
  } finally {
    if (seq === refreshSeq) {
      state.loading = false;
      render();
    }
  }
}

// ------------------------------------------------------------------------------------ transactions

interface TxEntry {
  li: HTMLLIElement;
  set(status: "checking" | "signing" | "sent" | "confirmed" | "failed", text: string): void;
}

function txEntry(label: string): TxEntry {
  $("tx-empty").hidden = true;
  const li = el("li", { class: "tx" });
  const title = el("strong", { text: label });
  const status = el("span", { class: "tx-status" });
  li.append(title, status);
  $("tx-log").prepend(li);
  return {
    li,
    set(s, text) {
      li.dataset.status = s;
      status.textContent = text;
    },
  };
}

async function waitForReceipt(r: Rpc, hash: string): Promise<{ status: string; blockNumber: string; gasUsed: string; logs: Log[] }> {
  for (;;) {
    const receipt = await r.request<{ status: string; blockNumber: string; gasUsed: string; logs: Log[] } | null>("eth_getTransactionReceipt", [hash]);
    if (receipt) return receipt;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

function summarize(logs: Log[]): string {
  let paid = 0n;
  let paidCount = 0;
  const skipped: string[] = [];
  const notes: string[] = [];
  for (const log of logs) {
    let parsed;
    try {
      parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
    } catch {
      continue;
    }
    if (!parsed) continue;
    switch (parsed.name) {
      case "EventClaimed":
      case "ChannelClaimed":
        paid += BigInt(parsed.args.amount);
        paidCount++;
        if (parsed.name === "ChannelClaimed" && BigInt(parsed.args.scoreLeft) > 0n) notes.push("the channel pool ran short: the rest of your score waits for a top-up");
        break;
      case "BatchItemSkipped":
        skipped.push(`${batchItemKind(parsed.args.kind)} #${parsed.args.campaignId}: ${batchSkipText(parsed.args.reason)}`);
        break;
      case "PoweredUp":
        notes.push(`powered up ${formatEth(BigInt(parsed.args.amount))} ETH`);
        break;
      case "PowerDownStarted":
        notes.push(`power-down of ${formatEth(BigInt(parsed.args.amount))} ETH started`);
        break;
      case "PowerDownCancelled":
        notes.push("power-down cancelled");
        break;
      case "Withdrawn":
        notes.push(`withdrew ${formatEth(BigInt(parsed.args.amount))} ETH`);
        break;
    }
  }
  const parts: string[] = [];
  if (paidCount > 0) parts.push(`paid ${formatEth(paid)} ETH (${paidCount} claim${paidCount > 1 ? "s" : ""})`);
  if (skipped.length > 0) parts.push(`skipped ${skipped.join("; ")}`);
  parts.push(...notes);
  return parts.join("; ");
}

/** Sends one transaction through the wallet and reports its progress in the transaction list. */
async function sendTx(label: string, to: string, data: string, value = 0n): Promise<boolean> {
  const r = rpc;
  const from = state.account;
  if (!r || !from) return false;
  const entry = txEntry(label);
  state.busy = true;
  render();
  try {
    const tx: Record<string, string> = { from, to, data };
    if (value > 0n) tx.value = toQuantity(value);
    entry.set("checking", "checking…");
    let gas: bigint;
    try {
      gas = BigInt(await r.request<string>("eth_estimateGas", [tx]));
    } catch (e) {
      entry.set("failed", `failed before sending: ${explainError(e, iface)}`);
      return false;
    }
    tx.gas = toQuantity((gas * 12n) / 10n + 10_000n);
    entry.set("signing", "awaiting your signature in the wallet…");
    let hash: string;
    try {
      hash = await r.request<string>("eth_sendTransaction", [tx]);
    } catch (e) {
      entry.set("failed", isUserRejection(e) ? "rejected in the wallet" : `failed: ${explainError(e, iface)}`);
      return false;
    }
    entry.li.dataset.hash = hash;
    entry.set("sent", `sent ${shortHex(hash, 6)}, waiting for confirmation…`);
    const receipt = await waitForReceipt(r, hash);
    if (BigInt(receipt.status) !== 1n) {
      let reason = "reverted on chain";
      try {
        await r.request("eth_call", [{ from, to, data, value: tx.value }, receipt.blockNumber]);
      } catch (e) {
        reason = explainError(e, iface);
      }
      entry.set("failed", `failed in block ${BigInt(receipt.blockNumber)}: ${reason}`);
      return false;
    }
    const what = summarize(receipt.logs);
    entry.set("confirmed", `confirmed in block ${BigInt(receipt.blockNumber)}${what ? ` — ${what}` : ""}`);
    return true;
  } catch (e) {
    entry.set("failed", `failed: ${explainError(e, iface)}`);
    return false;
  } finally {
    state.busy = false;
    await refresh();
  }
}

function claimCall(r: RowView): { label: string; data: string } {
  const leaf = r.leaf;
  if (leaf?.kind === "event") {
    return { label: `Claim ${r.title}`, data: iface.encodeFunctionData("claimEvent", [leaf.eventId, leaf.index, leaf.account, leaf.amount, leaf.proof]) };
  }
  if (leaf?.kind === "channel") {
    return { label: `Claim ${r.title}`, data: iface.encodeFunctionData("claimChannel", [leaf.channelId, leaf.cumulativeScore, leaf.proof]) };
  }
  throw new Error("nothing to claim");
}

async function claimOne(r: RowView): Promise<void> {
  if (!state.config) return;
  const { label, data } = claimCall(r);
  await sendTx(label, state.config.rewards, data);
}

async function claimAll(): Promise<void> {
  if (!state.config) return;
  const rows = state.rows.filter((r) => r.claimable && r.leaf);
  const events = rows.flatMap((r) => (r.leaf?.kind === "event" ? [[r.leaf.eventId, r.leaf.index, r.leaf.account, r.leaf.amount, r.leaf.proof]] : []));
  const channels = rows.flatMap((r) => (r.leaf?.kind === "channel" ? [[r.leaf.channelId, r.leaf.cumulativeScore, r.leaf.proof]] : []));
  if (events.length + channels.length === 0) return;
  const data = iface.encodeFunctionData("batchClaim", [events, channels]);
  await sendTx(`Claim all (${rows.map((r) => r.title).join(", ")})`, state.config.rewards, data);
}

function readAmount(inputId: string): bigint | undefined {
  const input = $<HTMLInputElement>(inputId);
  const err = $("power-form-error");
  const text = input.value.trim().replace(",", ".");
  let wei: bigint | undefined;
  try {
    wei = /^\d*\.?\d+$|^\d+\.$/.test(text) ? parseEther(text) : undefined;
  } catch {
    wei = undefined;
  }
  if (wei === undefined || wei <= 0n) {
    err.hidden = false;
    err.textContent = "Enter a positive amount in ETH, e.g. 0.5 (at most 18 decimals).";
    input.focus();
    return undefined;
  }
  err.hidden = true;
  return wei;
}

async function powerUp(e: Event): Promise<void> {
  e.preventDefault();
  const staking = state.config?.staking;
  const wei = readAmount("power-up-amount");
  if (!staking || wei === undefined) return;
  if (await sendTx(`Power up ${formatEth(wei)} ETH`, staking, iface.encodeFunctionData("powerUp", []), wei)) $<HTMLInputElement>("power-up-amount").value = "";
}

async function powerDown(e: Event): Promise<void> {
  e.preventDefault();
  const staking = state.config?.staking;
  const wei = readAmount("power-down-amount");
  if (!staking || wei === undefined) return;
  if (await sendTx(`Power down ${formatEth(wei)} ETH`, staking, iface.encodeFunctionData("powerDown", [ETH, wei]))) $<HTMLInputElement>("power-down-amount").value = "";
}

async function cancelPowerDown(): Promise<void> {
  const staking = state.config?.staking;
  if (staking) await sendTx("Cancel power-down", staking, iface.encodeFunctionData("cancelPowerDown", [ETH]));
}

async function withdraw(): Promise<void> {
  const staking = state.config?.staking;
  if (staking && state.account) await sendTx("Withdraw unlocked ETH", staking, iface.encodeFunctionData("withdraw", [ETH, state.account]));
}

// -------------------------------------------------------------------------------------------- start

async function start(): Promise<void> {
  $("claim-all").addEventListener("click", () => void claimAll());
  $("refresh").addEventListener("click", () => void refresh());
  $("power-up-form").addEventListener("submit", (e) => void powerUp(e));
  $("power-down-form").addEventListener("submit", (e) => void powerDown(e));
  $("cancel-power-down").addEventListener("click", () => void cancelPowerDown());
  $("withdraw").addEventListener("click", () => void withdraw());
  render();

  try {
    state.config = await loadConfig(state.configUrl);
    document.title = `Like2Earn — claim your rewards (${state.config.chainName ?? `chain ${state.config.chainId}`})`;
  } catch (e) {
    state.configError = (e as Error).message;
    setBanner(`Cannot start: ${state.configError}. Open this page with ?config=<url of the claim-page config JSON>.`, "error");
  }

  let lastWallet: string | null = null;
  try {
    lastWallet = localStorage.getItem(LAST_WALLET_KEY);
  } catch {
    /* storage disabled */
  }
  discoverWallets((wallets) => {
    state.wallets = wallets;
    const again = wallets.find((w) => w.info.rdns === lastWallet);
    if (again && !state.wallet) {
      lastWallet = null; // try once
      void connect(again, false);
    }
    render();
  });
  render();
}

void start();
