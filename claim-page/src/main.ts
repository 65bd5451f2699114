/**
 * The claim page: connects an injected wallet, lists the account's rewards from the published proof shards and
 * the chain, and sends claims (with gas, or signed and relayed without), batch claims and power-up/down
 * transactions through the wallet. `#brand` switches to the brand console (src/brand/), the same app's second view.
 */
import "./style.css";
import { getAddress, Interface, parseEther, toQuantity, type InterfaceAbi } from "ethers";
import { errorsAbi } from "virtual:l2e-abi";
import type { AppContext, Plan, TxOutcome } from "./app";
import { mountBrandConsole, type BrandConsole } from "./brand/console";
import { readPage, type StakeView } from "./chain";
import { configUrlFrom, hasExplicitConfig, loadConfig, NoConfigError, shardUrl, type CampaignConfig, type ClaimPageConfig } from "./config";
import { $, amountView, el, txHashView } from "./dom";
import { exactAmount, exactEth, formatAmount, formatDuration, formatEth, formatTime, formatWhen, isRounded, shortHex } from "./format";
import { buildSignedClaim, fetchQuote, RelayError, submitToRelay } from "./gasless";
import { loadStoredHistory, syncHistory, type ClaimRecord } from "./history";
import { fetchManifest, manifestHasShard } from "./manifest";
import { fetchLeaf, type ChannelLeaf, type EventLeaf, type Leaf } from "./proofs";
import { allAbis, MULTICALL3, Reader } from "./reads";
import { channelRow, errorRow, eventRow, missingProofRow, type ChannelState, type EventState, type RowView, type TokenInfo } from "./rows";
import { batchItemKind, batchSkipText } from "@like2earn/format";
import { renderRegisterPanel, setupRegisterPanel } from "./register-panel";
import { discoverWallets, explainError, isUserRejection, Rpc, switchChain, type DiscoveredWallet } from "./wallet";

const ETH = "0x0000000000000000000000000000000000000000";
const LAST_WALLET_KEY = "l2e.lastWallet";
/** States whose row shows a Claim button (enabled only when claimable): the others cannot become claimable. */
const SHOW_CLAIM_BUTTON = new Set<RowView["state"]>(["claimable", "partial", "challenge", "pool-empty", "paused", "awaiting"]);
/** Gas a single claim needs at most, for the "enough ETH for gas?" check when the node cannot estimate it. */
const CLAIM_GAS_FALLBACK = 200_000n;
/** Gas kept back by "Max" for a power-up (its estimate is ~60k; headroom for the wallet's own margin). */
const POWER_UP_GAS_RESERVE = 150_000n;

/** One ABI for everything the page calls, plus every known custom error, deduplicated. */
function buildInterface(): Interface {
  const seen = new Set<string>();
  const items: unknown[] = [];
  for (const abi of [...allAbis, errorsAbi] as InterfaceAbi[]) {
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

interface PendingClaim {
  label: string;
  hash?: string;
  via: "wallet" | "relay";
}

interface AppState {
  configUrl: string;
  config?: ClaimPageConfig;
  configError?: string;
  wallets: DiscoveredWallet[];
  wallet?: DiscoveredWallet;
  account?: string;
  chainId?: bigint;
  balance?: bigint;
  gasPrice?: bigint;
  rows: RowView[];
  leaves: Map<string, Leaf | undefined>;
  stake?: StakeView;
  paused: boolean;
  now: bigint;
  loading: boolean;
  busy: boolean;
  walletError?: string;
  /** Claims sent from this page and not confirmed yet, by row key. */
  pending: Map<string, PendingClaim>;
  history: ClaimRecord[];
  view: "claim" | "brand";
}

const state: AppState = {
  configUrl: configUrlFrom(location.href),
  wallets: [],
  rows: [],
  leaves: new Map(),
  paused: false,
  now: 0n,
  loading: false,
  busy: false,
  pending: new Map(),
  history: [],
  view: location.hash === "#brand" ? "brand" : "claim",
};

let rpc: Rpc | undefined;
let reader: Reader | undefined;
let refreshSeq = 0;
let detachWallet: (() => void) | undefined;
let brandConsole: BrandConsole | undefined;
const tokens = new Map<string, TokenInfo>();
const campaignTokens = new Map<string, TokenInfo>();
/** Live epochs of channel rows (a signed channel claim binds the epoch). */
const campaignEpochs = new Map<string, bigint>();

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
  if (!cfg) return;
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
  if (state.balance !== undefined) {
    const b = amountView(formatEth(state.balance), exactEth(state.balance), "ETH", isRounded(state.balance));
    b.classList.add("balance");
    who.append(b);
  }
  const disconnect = el("button", { type: "button", id: "disconnect", class: "link", text: "Disconnect" });
  disconnect.addEventListener("click", () => void doDisconnect());
  who.append(disconnect);
  box.append(who);
  if (state.chainId !== undefined && state.chainId !== cfg.chainId) {
    const warn = el("div", { class: "chain-warning", id: "chain-warning" });
    warn.append(el("p", { text: `Your wallet is on chain ${state.chainId}; this page uses ${chainLabel(cfg)}.` }));
    const btn = el("button", { type: "button", id: "switch-chain", text: `Switch to ${cfg.chainName ?? `chain ${cfg.chainId}`}` });
    btn.addEventListener("click", () => void doSwitchChain());
    warn.append(btn);
    box.append(warn);
  } else {
    box.append(el("p", { class: "chain-ok muted", text: chainLabel(cfg) }));
  }
  if (state.walletError) box.append(el("p", { class: "form-error", role: "alert", text: state.walletError }));
}

/** What one claim's gas costs now, at most: a fixed gas bound × the node's gas price (an empty wallet cannot estimate). */
function claimGasCost(): bigint {
  return (state.gasPrice ?? 0n) * CLAIM_GAS_FALLBACK;
}

/** True when the wallet cannot pay a claim's gas and the config names a relay: the row offers a signed claim. */
function needsRelay(): boolean {
  return Boolean(state.config?.relayUrl) && state.balance !== undefined && state.gasPrice !== undefined && state.balance < claimGasCost();
}

function lastPaid(r: RowView): ClaimRecord | undefined {
  return state.history.find((h) => h.kind === r.campaign.kind && h.campaignId === r.campaign.id.toString());
}

function renderRows(): void {
  const tbody = $("rows").querySelector("tbody") as HTMLTableSectionElement;
  tbody.replaceChildren();
  const summary = $("rewards-summary");
  const claimAll = $<HTMLButtonElement>("claim-all");
  const ready = state.account !== undefined && onRightChain();
  const claimable = state.rows.filter((r) => r.claimable && !state.pending.has(r.key));
  $("rows").dataset.loading = String(state.loading);
  document.body.dataset.busy = String(state.busy);
  claimAll.disabled = !ready || state.busy || state.loading || claimable.length === 0 || needsRelay();
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
    const gasNote = needsRelay() && claimable.length > 0 ? ` Your wallet holds too little ETH for gas (${formatEth(state.balance ?? 0n)} ETH): claim without gas below.` : "";
    summary.textContent =
      (claimable.length === 0
        ? "Nothing to claim right now."
        : `${claimable.length} claimable, ${units.size === 1 ? `${formatAmount(total, claimable[0].decimals)} ${claimable[0].unit} in all` : "in several tokens"}.`) + gasNote;
    summary.dataset.totalWei = total.toString();
  }
  if (!ready) return;

  for (const r of state.rows) {
    const pending = state.pending.get(r.key);
    const tr = el("tr", { "data-key": r.key, "data-state": r.state, "data-pending": String(Boolean(pending)) });
    const name = el("td", { "data-label": "Campaign", class: "c-name" });
    name.append(el("strong", { text: r.title }), el("span", { class: "muted small", text: `${r.campaign.kind === "event" ? "Event" : "Channel"} #${r.campaign.id}` }));
    const amount = el("td", { "data-label": "Amount", class: "c-amount", "data-owed-wei": r.owed.toString(), "data-pay-wei": r.payNow.toString(), "data-unit": r.unit });
    if (r.amountText === "—" || !r.leaf) amount.append(el("span", { class: "amount", text: r.amountText }));
    else amount.append(amountView(formatAmount(r.owed, r.decimals), exactAmount(r.owed, r.decimals), r.unit, isRounded(r.owed, r.decimals)));
    if (r.amountNote) amount.append(el("span", { class: "muted small", text: r.amountNote }));
    const st = el("td", { "data-label": "State", class: "c-state" });
    if (pending) {
      st.append(el("span", { class: "badge badge-pending", text: "Pending" }));
      const line = el("span", { class: "small detail pending-line" });
      line.append(pending.hash ? `${pending.via === "relay" ? "Sent by the relay" : "Sent"}, waiting for confirmation. ` : "Waiting for your wallet… ");
      if (pending.hash) line.append(txHashView(pending.hash, state.config.explorerUrl));
      st.append(line);
    } else {
      st.append(el("span", { class: `badge badge-${r.state}`, text: r.label }), el("span", { class: "small detail", text: r.detail }));
      const paid = r.state === "claimed" ? lastPaid(r) : undefined;
      if (paid) {
        const line = el("span", { class: "small detail paid-line" });
        line.append(`Paid ${formatTime(paid.timestamp)} · `, txHashView(paid.txHash, state.config.explorerUrl));
        st.append(line);
      }
    }
    const act = el("td", { class: "c-action" });
    if (r.leaf && SHOW_CLAIM_BUTTON.has(r.state) && !pending) {
      const gasless = r.claimable && needsRelay();
      if (gasless && r.unit !== "ETH") {
        // The relay's fee pays its gas in ETH, so it relays ETH campaigns only.
        act.append(el("span", { class: "muted small", text: `Too little ETH for gas; the relay carries ETH campaigns only, not ${r.unit}.` }));
      } else if (gasless && r.state === "partial") {
        // The contract takes no relay fee from a partial channel payout, so no relay will carry it.
        act.append(el("span", { class: "muted small", text: "Too little ETH for gas, and a partial payout cannot be relayed: claim after a top-up." }));
      } else if (gasless) {
        const btn = el("button", { type: "button", class: "claim-gasless", text: "Claim without gas" }) as HTMLButtonElement;
        btn.disabled = state.busy || state.loading;
        btn.addEventListener("click", () => void claimGasless(r));
        act.append(btn);
      } else {
        const btn = el("button", { type: "button", class: "claim", text: r.state === "partial" ? `Claim ${formatAmount(r.payNow, r.decimals)} ${r.unit}` : "Claim" }) as HTMLButtonElement;
        btn.disabled = !r.claimable || state.busy || state.loading;
        btn.addEventListener("click", () => void claimOne(r));
        act.append(btn);
      }
    }
    tr.append(name, amount, st, act);
    tbody.append(tr);
  }
}

function renderHistory(): void {
  const list = $("history");
  list.replaceChildren();
  const cfg = state.config;
  $("history-empty").hidden = state.history.length > 0;
  if (!cfg) return;
  for (const h of state.history) {
    const c = cfg.campaigns.find((x) => x.kind === h.kind && x.id.toString() === h.campaignId);
    const token = campaignTokens.get(`${h.kind}-${h.campaignId}`) ?? { symbol: "ETH", decimals: 18, address: ETH };
    const amount = BigInt(h.amount);
    const li = el("li", { class: "history-item", "data-tx": h.txHash, "data-campaign": `${h.kind}-${h.campaignId}`, "data-amount": h.amount });
    li.append(
      el("strong", { text: c?.name ?? `${h.kind === "event" ? "Event" : "Channel"} #${h.campaignId}` }),
      amountView(formatAmount(amount, token.decimals), exactAmount(amount, token.decimals), token.symbol, isRounded(amount, token.decimals)),
      el("span", { class: "muted small", text: `${formatTime(h.timestamp)} · block ${h.blockNumber}${h.recipient !== state.account ? ` · paid to ${shortHex(h.recipient)}` : ""}` }),
      txHashView(h.txHash, cfg.explorerUrl),
    );
    list.append(li);
  }
}

function setStat(id: string, wei: bigint | undefined, suffix = " ETH"): void {
  const dd = $(id);
  dd.dataset.wei = wei === undefined ? "" : wei.toString();
  if (wei === undefined) dd.textContent = "—";
  else dd.replaceChildren(amountView(formatEth(wei), exactEth(wei), suffix.trim(), isRounded(wei)));
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
  $("power-down-note").textContent = s
    ? `Powering down is not instant: the amount unlocks in ${s.instalments} equal instalments, one every ${formatDuration(s.interval)} (the first ${formatDuration(s.interval)} after you start), and your power falls as each one unlocks. Unlocked ETH waits for Withdraw. A new power-down replaces the active one; Cancel locks again everything not withdrawn.`
    : "";
  const disabled = !ready || state.busy;
  for (const id of ["power-up", "power-down", "power-up-amount", "power-down-amount", "power-up-max", "power-down-max"]) ($(id) as HTMLButtonElement | HTMLInputElement).disabled = disabled;
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
  if (!cfg) return;
  f.append(el("span", { text: "Config: " }), el("code", { text: state.configUrl }));
  f.append(el("span", { text: ` · ${chainLabel(cfg)} · rewards ` }), el("code", { title: cfg.rewards, text: shortHex(cfg.rewards) }));
  if (cfg.staking) f.append(el("span", { text: " · staking " }), el("code", { title: cfg.staking, text: shortHex(cfg.staking) }));
  if (reader) f.append(el("span", { id: "eth-calls", "data-count": String(reader.ethCalls), text: ` · ${reader.ethCalls} eth_call so far (reads batched through Multicall3)` }));
  f.append(el("span", { text: " · Proofs are static files: this page needs no server of ours." }));
}

function renderView(): void {
  const hasConfig = state.config !== undefined;
  $("start").hidden = hasConfig || state.configError !== undefined;
  $("claim-view").hidden = !hasConfig || state.view !== "claim";
  $("brand-view").hidden = !hasConfig || state.view !== "brand";
  document.querySelector("nav.views")?.toggleAttribute("hidden", !hasConfig);
  $("nav-claim").setAttribute("aria-current", String(state.view === "claim"));
  $("nav-brand").setAttribute("aria-current", String(state.view === "brand"));
  document.body.dataset.view = state.view;
}

function render(): void {
  renderView();
  renderWallet();
  renderRows();
  renderHistory();
  renderStake();
  renderRegisterPanel();
  renderFooter();
  brandConsole?.render();
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
  showStoredHistory();
  render();
  await refresh();
}

function resetAccountState(): void {
  state.rows = [];
  state.stake = undefined;
  state.history = [];
  state.pending.clear();
  state.balance = undefined;
}

function attach(w: DiscoveredWallet): void {
  if (state.wallet === w) return;
  detachWallet?.();
  state.wallet = w;
  rpc = new Rpc(w.provider, iface);
  reader = new Reader(rpc, state.config?.multicall3 ?? MULTICALL3);
  const onAccounts = (...args: unknown[]): void => {
    const accounts = args[0] as string[] | undefined;
    state.account = accounts && accounts.length > 0 ? getAddress(accounts[0]) : undefined;
    resetAccountState();
    showStoredHistory();
    render();
    void refresh();
  };
  const onChain = (...args: unknown[]): void => {
    state.chainId = BigInt(args[0] as string);
    resetAccountState();
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

/** Forgets the wallet in this page (and asks it to drop the permission, where wallets support that). */
async function doDisconnect(): Promise<void> {
  const w = state.wallet;
  detachWallet?.();
  detachWallet = undefined;
  state.wallet = undefined;
  state.account = undefined;
  state.chainId = undefined;
  rpc = undefined;
  reader = undefined;
  resetAccountState();
  try {
    localStorage.removeItem(LAST_WALLET_KEY);
  } catch {
    /* storage disabled */
  }
  render();
  await w?.provider.request({ method: "wallet_revokePermissions", params: [{ eth_accounts: {} }] }).catch(() => undefined);
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

function showStoredHistory(): void {
  const cfg = state.config;
  if (!cfg || !state.account) return;
  state.history = loadStoredHistory(cfg.chainId, cfg.rewards, state.account)?.items ?? [];
}

/** The account's leaf of a campaign, or the row to show instead (missing proof file, unreadable shard). */
async function loadLeaf(c: CampaignConfig, account: string): Promise<{ leaf?: Leaf; row?: RowView }> {
  try {
    const shard = await fetchLeaf(c.kind, c.id, c.proofsBaseUrl, account);
    if (shard.found) return { leaf: shard.leaf };
    if (shard.reason === "no-shard" && c.manifestUrl) {
      // A publication with a manifest has every shard: a 404 is a missing file, not "nothing for you".
      const manifest = await fetchManifest(c.manifestUrl).catch(() => undefined);
      if (manifest && manifestHasShard(manifest, `proofs/${account.slice(2, 4).toLowerCase()}.json`)) return { row: missingProofRow(c, shardUrl(c.proofsBaseUrl, account)) };
    }
    return {};
  } catch (e) {
    return { row: errorRow(c, explainError(e, iface)) };
  }
}

async function refresh(): Promise<void> {
  const cfg = state.config;
  const r = rpc;
  const rd = reader;
  const account = state.account;
  if (!cfg || !r || !rd || !account || !onRightChain()) {
    render();
    return;
  }
  const seq = ++refreshSeq;
  state.loading = true;
  renderRows();
  try {
    const loaded = await Promise.all(cfg.campaigns.map((c) => loadLeaf(c, account)));
    const leaves = new Map(cfg.campaigns.map((c, i) => [`${c.kind}-${c.id}`, loaded[i].leaf]));
    const [snap, gasPrice, history] = await Promise.all([
      readPage(rd, cfg, account, leaves, tokens),
      r.request<string>("eth_gasPrice").then(BigInt),
      syncHistory(r, iface, cfg.chainId, cfg.rewards, account, cfg.fromBlock).catch(() => state.history),
    ]);
    if (seq !== refreshSeq) return;
    const rows = cfg.campaigns.map((c, i): RowView => {
      const key = `${c.kind}-${c.id}`;
      if (loaded[i].row) return loaded[i].row as RowView;
      const s = snap.campaigns.get(key);
      if (!s || s instanceof Error) return errorRow(c, explainError(s, iface));
      campaignTokens.set(key, s.token);
      if (c.kind === "channel") campaignEpochs.set(key, (s as ChannelState).liveEpoch);
      return c.kind === "event"
        ? eventRow(c, loaded[i].leaf as EventLeaf | undefined, s as EventState, snap.paused, snap.now)
        : channelRow(c, loaded[i].leaf as ChannelLeaf | undefined, s as ChannelState, snap.paused, snap.now);
    });
    Object.assign(state, { now: snap.now, paused: snap.paused, balance: snap.balance, gasPrice, rows, leaves, stake: snap.stake, history });
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

type TxStatus = "checking" | "signing" | "sent" | "confirmed" | "failed";

interface TxEntry {
  li: HTMLLIElement;
  set(status: TxStatus, text: string): void;
  sent(hash: string): void;
}

function txEntry(label: string): TxEntry {
  $("tx-empty").hidden = true;
  const li = el("li", { class: "tx" });
  const title = el("strong", { text: label });
  const status = el("span", { class: "tx-status" });
  const hashBox = el("span", { class: "tx-hash" });
  li.append(title, status, hashBox);
  $("tx-log").prepend(li);
  return {
    li,
    set(s, text) {
      li.dataset.status = s;
      status.textContent = text;
    },
    sent(hash) {
      li.dataset.hash = hash;
      hashBox.replaceChildren(txHashView(hash, state.config?.explorerUrl));
    },
  };
}

interface Receipt {
  status: string;
  blockNumber: string;
  gasUsed: string;
  logs: { topics: string[]; data: string; address: string }[];
}

async function waitForReceipt(r: Rpc, hash: string): Promise<Receipt> {
  for (;;) {
    const receipt = await r.request<Receipt | null>("eth_getTransactionReceipt", [hash]);
    if (receipt) return receipt;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

function summarize(logs: Receipt["logs"]): string {
  const paid = new Map<string, bigint>();
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
      case "ChannelClaimed": {
        const key = `${parsed.name === "EventClaimed" ? "event" : "channel"}-${parsed.args[0]}`;
        const unit = campaignTokens.get(key)?.symbol ?? "ETH";
        paid.set(unit, (paid.get(unit) ?? 0n) + BigInt(parsed.args.amount));
        paidCount++;
        // scoreLeft > 0: the pool paid what it held, the rest of the score waits for a top-up.
        if (parsed.name === "ChannelClaimed" && BigInt(parsed.args.scoreLeft) > 0n) notes.push("the channel pool ran short: the rest of your score waits for a top-up");
        break;
      }
      case "ClaimRelayed":
        notes.push(`the relay ${shortHex(String(parsed.args.relayer))} took its fee of ${formatEth(BigInt(parsed.args.fee))} ETH`);
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
  if (paidCount > 0) {
    const amounts = [...paid].map(([unit, v]) => `${campaignTokens.size ? formatAmount(v, [...campaignTokens.values()].find((t) => t.symbol === unit)?.decimals ?? 18) : formatEth(v)} ${unit}`);
    parts.push(`paid ${amounts.join(" + ")} (${paidCount} claim${paidCount > 1 ? "s" : ""})`);
  }
  if (skipped.length > 0) parts.push(`skipped ${skipped.join("; ")}`);
  parts.push(...notes);
  return parts.join("; ");
}

/** Follows a sent transaction to its receipt; on a revert, replays it to decode why. */
async function follow(r: Rpc, entry: TxEntry, hash: string, replay?: { from: string; to: string; data: string; value?: string }): Promise<TxOutcome> {
  entry.sent(hash);
  entry.set("sent", "sent, waiting for confirmation…");
  const receipt = await waitForReceipt(r, hash);
  if (BigInt(receipt.status) !== 1n) {
    let reason = "reverted on chain";
    if (replay) {
      try {
        await r.request("eth_call", [replay, receipt.blockNumber]);
      } catch (e) {
        reason = explainError(e, iface);
      }
    }
    entry.set("failed", `failed in block ${BigInt(receipt.blockNumber)}: ${reason}`);
    return { ok: false, hash, error: reason };
  }
  const what = summarize(receipt.logs);
  entry.set("confirmed", `confirmed in block ${BigInt(receipt.blockNumber)}${what ? ` — ${what}` : ""}`);
  return { ok: true, hash, logs: receipt.logs };
}

/** Sends one transaction through the wallet and reports its progress in the transaction list (and on `rowKey`'s row). */
async function sendTx(label: string, to: string, data: string, value = 0n, rowKeys: string[] = []): Promise<TxOutcome> {
  const r = rpc;
  const from = state.account;
  if (!r || !from) return { ok: false, error: "no wallet connected" };
  const entry = txEntry(label);
  state.busy = true;
  const markPending = (hash?: string): void => {
    for (const k of rowKeys) state.pending.set(k, { label, hash, via: "wallet" });
    render();
  };
  render();
  try {
    const tx: Record<string, string> = { from, to, data };
    if (value > 0n) tx.value = toQuantity(value);
    entry.set("checking", "checking…");
    let gas: bigint;
    try {
      gas = BigInt(await r.request<string>("eth_estimateGas", [tx]));
    } catch (e) {
      const error = explainError(e, iface);
      entry.set("failed", `failed before sending: ${error}`);
      return { ok: false, error };
    }
    tx.gas = toQuantity((gas * 12n) / 10n + 10_000n);
    entry.set("signing", "awaiting your signature in the wallet…");
    markPending();
    let hash: string;
    try {
      hash = await r.request<string>("eth_sendTransaction", [tx]);
    } catch (e) {
      const error = isUserRejection(e) ? "rejected in the wallet" : `failed: ${explainError(e, iface)}`;
      entry.set("failed", error);
      return { ok: false, error };
    }
    markPending(hash);
    return await follow(r, entry, hash, { from, to, data, value: tx.value });
  } catch (e) {
    const error = explainError(e, iface);
    entry.set("failed", `failed: ${error}`);
    return { ok: false, error };
  } finally {
    for (const k of rowKeys) state.pending.delete(k);
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
  await sendTx(label, state.config.rewards, data, 0n, [r.key]);
}

async function claimAll(): Promise<void> {
  if (!state.config) return;
  const rows = state.rows.filter((r) => r.claimable && r.leaf);
  const events = rows.flatMap((r) => (r.leaf?.kind === "event" ? [[r.leaf.eventId, r.leaf.index, r.leaf.account, r.leaf.amount, r.leaf.proof]] : []));
  const channels = rows.flatMap((r) => (r.leaf?.kind === "channel" ? [[r.leaf.channelId, r.leaf.cumulativeScore, r.leaf.proof]] : []));
  if (events.length + channels.length === 0) return;
  const data = iface.encodeFunctionData("batchClaim", [events, channels]);
  await sendTx(`Claim all (${rows.map((r) => r.title).join(", ")})`, state.config.rewards, data, 0n, rows.map((r) => r.key));
}

/** Signs the claim (EIP-712) and hands it to the relay, after showing its fee and what the user receives. */
async function claimGasless(r: RowView): Promise<void> {
  const cfg = state.config;
  const rp = rpc;
  const account = state.account;
  const leaf = r.leaf;
  if (!cfg?.relayUrl || !rp || !account || !leaf) return;
  const entry = txEntry(`Claim ${r.title} without gas`);
  state.busy = true;
  render();
  try {
    entry.set("checking", "asking the relay for its fee…");
    const quote = await fetchQuote(cfg.relayUrl, leaf.kind, leaf.proof.length);
    if (quote.contract.toLowerCase() !== cfg.rewards.toLowerCase() || BigInt(quote.chainId) !== cfg.chainId) {
      throw new RelayError(`the relay serves contract ${quote.contract} on chain ${quote.chainId}, not this campaign's`);
    }
    const payout = r.payNow;
    if (quote.fee >= payout) {
      entry.set("failed", `the relay's fee (${formatEth(quote.fee)} ETH) is not less than the claim (${formatAmount(payout, r.decimals)} ${r.unit}): claim with gas instead`);
      return;
    }
    const net = payout - quote.fee;
    const deadline = state.now + BigInt(quote.validFor);
    const ok = await confirmPlan({
      title: `Claim ${r.title} without gas`,
      what: [
        `You sign the claim in your wallet; signing costs nothing and sends no transaction.`,
        `The relay ${shortHex(quote.relayer)} submits it and pays the gas. Its fee: ${formatAmount(quote.fee, r.decimals)} ${r.unit} (exactly ${exactAmount(quote.fee, r.decimals)}), taken from the claim.`,
        `You receive ${formatAmount(net, r.decimals)} ${r.unit} (exactly ${exactAmount(net, r.decimals)}) of ${formatAmount(payout, r.decimals)} ${r.unit}.`,
        `The signature is valid until ${formatTime(deadline)} and only for this claim, this contract and this chain.`,
      ],
      fundsBack: "Nothing leaves your wallet. If the relay does not submit it, the claim stays yours: claim again later.",
      confirmLabel: "Sign the claim",
    });
    if (!ok) {
      entry.set("failed", "cancelled");
      return;
    }
    const { typedData, signed } = buildSignedClaim(leaf, {
      chainId: cfg.chainId,
      contract: cfg.rewards,
      recipient: account,
      maxFee: quote.fee,
      deadline,
      epoch: campaignEpochs.get(r.key) ?? 0n,
    });
    entry.set("signing", "awaiting your signature in the wallet…");
    state.pending.set(r.key, { label: r.title, via: "relay" });
    render();
    let signature: string;
    try {
      signature = await rp.request<string>("eth_signTypedData_v4", [account, typedData]);
    } catch (e) {
      entry.set("failed", isUserRejection(e) ? "signature rejected in the wallet" : `could not sign: ${explainError(e, iface)}`);
      return;
    }
    entry.set("checking", "sending the signed claim to the relay…");
    const { txHash } = await submitToRelay(cfg.relayUrl, signed(signature));
    state.pending.set(r.key, { label: r.title, hash: txHash, via: "relay" });
    render();
    await follow(rp, entry, txHash);
  } catch (e) {
    entry.set("failed", e instanceof RelayError ? `the relay refused: ${e.message}` : `failed: ${explainError(e, iface)}`);
  } finally {
    state.pending.delete(r.key);
    state.busy = false;
    await refresh();
  }
}

// ------------------------------------------------------------------------------------------- power

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
  if (wei === undefined || wei <= 0n) return powerError(input, "Enter a positive amount in ETH, e.g. 0.5 (at most 18 decimals).");
  err.hidden = true;
  return wei;
}

function powerError(input: HTMLInputElement, text: string): undefined {
  const err = $("power-form-error");
  err.hidden = false;
  err.textContent = text;
  input.focus();
  return undefined;
}

/** ETH kept back for a power-up's gas. */
function powerUpReserve(): bigint {
  return (state.gasPrice ?? 0n) * POWER_UP_GAS_RESERVE;
}

async function powerUp(e: Event): Promise<void> {
  e.preventDefault();
  const staking = state.config?.staking;
  const wei = readAmount("power-up-amount");
  if (!staking || wei === undefined) return;
  const balance = state.balance ?? 0n;
  const reserve = powerUpReserve();
  if (wei + reserve > balance) {
    const max = balance > reserve ? balance - reserve : 0n;
    powerError(
      $<HTMLInputElement>("power-up-amount"),
      wei > balance
        ? `Your wallet holds ${formatEth(balance)} ETH: you cannot power up ${formatEth(wei)} ETH. The most you can power up is ${formatEth(max)} ETH (some ETH stays for gas); use Max.`
        : `Powering up ${formatEth(wei)} ETH leaves too little for the gas (about ${formatEth(reserve)} ETH). The most you can power up is ${formatEth(max)} ETH; use Max.`,
    );
    return;
  }
  if ((await sendTx(`Power up ${formatEth(wei)} ETH`, staking, iface.encodeFunctionData("powerUp", []), wei)).ok) $<HTMLInputElement>("power-up-amount").value = "";
}

async function powerDown(e: Event): Promise<void> {
  e.preventDefault();
  const staking = state.config?.staking;
  const wei = readAmount("power-down-amount");
  if (!staking || wei === undefined) return;
  const staked = state.stake?.staked ?? 0n;
  if (wei > staked) {
    powerError($<HTMLInputElement>("power-down-amount"), `You have ${formatEth(staked)} ETH powered up: you cannot power down ${formatEth(wei)} ETH. Use Max for all of it.`);
    return;
  }
  if ((await sendTx(`Power down ${formatEth(wei)} ETH`, staking, iface.encodeFunctionData("powerDown", [ETH, wei]))).ok) $<HTMLInputElement>("power-down-amount").value = "";
}

function setMax(inputId: string, wei: bigint): void {
  $<HTMLInputElement>(inputId).value = exactEth(wei);
  $("power-form-error").hidden = true;
}

async function cancelPowerDown(): Promise<void> {
  const staking = state.config?.staking;
  if (staking) await sendTx("Cancel power-down", staking, iface.encodeFunctionData("cancelPowerDown", [ETH]));
}

async function withdraw(): Promise<void> {
  const staking = state.config?.staking;
  if (staking && state.account) await sendTx("Withdraw unlocked ETH", staking, iface.encodeFunctionData("withdraw", [ETH, state.account]));
}

// ------------------------------------------------------------------------------------- confirmation

/** The "what will happen" dialog before a wallet prompt. */
function confirmPlan(plan: Plan): Promise<boolean> {
  const dialog = $<HTMLDialogElement>("confirm");
  $("confirm-h").textContent = plan.title;
  const body = $("confirm-body");
  body.replaceChildren();
  const list = el("ul", { class: "plan" });
  for (const line of plan.what) list.append(el("li", { text: line }));
  body.append(el("h3", { text: "What will happen" }), list, el("h3", { text: "When funds come back" }), el("p", { class: "funds-back", text: plan.fundsBack }));
  $("confirm-ok").textContent = plan.confirmLabel ?? "Continue to the wallet";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.returnValue = "";
    dialog.showModal();
  });
}

// -------------------------------------------------------------------------------------------- start

function showStart(): void {
  $("start").hidden = false;
  $("start-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>("start-url");
    const value = input.value.trim();
    let url: URL;
    try {
      url = new URL(value, location.href);
    } catch {
      $("start-error").hidden = false;
      $("start-error").textContent = "Enter the URL of a campaign config file (https://…/claim-page.config.json).";
      return;
    }
    const page = new URL(location.href);
    page.searchParams.set("config", url.href);
    location.href = page.href;
  });
}

async function start(): Promise<void> {
  $("claim-all").addEventListener("click", () => void claimAll());
  $("refresh").addEventListener("click", () => void refresh());
  $("power-up-form").addEventListener("submit", (e) => void powerUp(e));
  $("power-down-form").addEventListener("submit", (e) => void powerDown(e));
  $("power-up-max").addEventListener("click", () => {
    const b = state.balance ?? 0n;
    setMax("power-up-amount", b > powerUpReserve() ? b - powerUpReserve() : 0n);
  });
  $("power-down-max").addEventListener("click", () => setMax("power-down-amount", state.stake?.staked ?? 0n));
  $("cancel-power-down").addEventListener("click", () => void cancelPowerDown());
  $("withdraw").addEventListener("click", () => void withdraw());
  setupRegisterPanel(() => ({ config: state.config, account: state.account, chainId: state.chainId, provider: state.wallet?.provider }));
  window.addEventListener("hashchange", () => {
    state.view = location.hash === "#brand" ? "brand" : "claim";
    render();
    if (state.view === "brand") void brandConsole?.refresh();
  });
  render();

  const implicit = !hasExplicitConfig(location.href);
  try {
    state.config = await loadConfig(state.configUrl, implicit);
    document.title = `Like2Earn — claim your rewards (${state.config.chainName ?? `chain ${state.config.chainId}`})`;
  } catch (e) {
    if (e instanceof NoConfigError) {
      showStart();
      render();
      return;
    }
    state.configError = (e as Error).message;
    setBanner(`Cannot start: ${state.configError}. Open this page with ?config=<url of the claim-page config JSON>.`, "error");
    render();
    return;
  }

  const ctx: AppContext = {
    config: state.config,
    iface,
    account: () => state.account,
    rpc: () => rpc,
    reader: () => reader,
    ready: () => state.account !== undefined && onRightChain(),
    confirm: confirmPlan,
    sendTx: (label, to, data, value) => sendTx(label, to, data, value),
  };
  brandConsole = mountBrandConsole($("brand-view"), ctx);

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
