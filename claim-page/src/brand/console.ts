/**
 * The brand console (`#brand`): the connected wallet's events and channels, found from the contract's
 * EventCreated / ChannelCreated logs, with pot, claimed, remaining, state and dates, and every brand action —
 * create (ETH or ERC-20 with its approval), top up, veto a pending root (with its manifest when the config links
 * it), announce a rate change or a close, refund, withdraw. Each wallet prompt comes after a plan of what will
 * happen and when the funds come back.
 */
import { getAddress, isAddress, ZeroAddress, type Interface } from "ethers";
import type { AppContext, Plan } from "../app";
import { readTokens, tokenInfo } from "../chain";
import { $, amountView, el } from "../dom";
import { exactAmount, formatAmount, formatDuration, isRounded, shortHex } from "../format";
import { fetchManifest, type ManifestSummary } from "../manifest";
import { erc20Read, ifaces, multicallRead, rewardsRead, type RewardsOut } from "../reads";
import type { TokenInfo } from "../rows";
import { explainError } from "../wallet";
import {
  approvePlan,
  channelView,
  closePlan,
  createChannelPlan,
  createEventPlan,
  eventView,
  localInputToUnix,
  parseAmount,
  rateFromPer1000,
  ratePlan,
  rateText,
  refundPlan,
  topUpPlan,
  unixToLocalInput,
  utc,
  vetoPlan,
  withdrawChannelPlan,
  withdrawEventPlan,
  type BrandChannel,
  type BrandEvent,
  type Params,
} from "./plans";

export interface BrandConsole {
  render(): void;
  refresh(): Promise<void>;
}

interface RawLog {
  topics: string[];
  data: string;
}

interface BrandState {
  account?: string;
  loading: boolean;
  error?: string;
  now: bigint;
  params?: Params;
  events: BrandEvent[];
  channels: BrandChannel[];
  manifests: Map<string, ManifestSummary | string>;
  formError: Map<string, string>;
}

const DAY = 86_400n;

function topic(iface: Interface, name: string): string {
  return iface.getEvent(name)!.topicHash;
}

const addressTopic = (a: string): string => "0x" + a.slice(2).toLowerCase().padStart(64, "0");

export function mountBrandConsole(root: HTMLElement, ctx: AppContext): BrandConsole {
  const s: BrandState = { loading: false, now: 0n, events: [], channels: [], manifests: new Map(), formError: new Map() };
  const tokens = new Map<string, TokenInfo>();
  let seq = 0;
  let built = false;

  // ---------------------------------------------------------------------------------------- reads

  async function refresh(): Promise<void> {
    const account = ctx.account();
    const rpc = ctx.rpc();
    const reader = ctx.reader();
    if (!ctx.ready() || !account || !rpc || !reader) {
      render();
      return;
    }
    const my = ++seq;
    s.loading = true;
    s.account = account;
    render();
    try {
      const cfg = ctx.config;
      const from = "0x" + cfg.fromBlock.toString(16);
      const created = await rpc.request<RawLog[]>("eth_getLogs", [
        { address: cfg.rewards, fromBlock: from, toBlock: "latest", topics: [[topic(ctx.iface, "EventCreated"), topic(ctx.iface, "ChannelCreated")], null, addressTopic(account)] },
      ]);
      const eventIds: bigint[] = [];
      const channelIds: bigint[] = [];
      const createdAmount = new Map<bigint, bigint>();
      for (const log of created) {
        const p = ctx.iface.parseLog(log);
        if (p?.name === "EventCreated") eventIds.push(BigInt(p.args.eventId));
        if (p?.name === "ChannelCreated") {
          channelIds.push(BigInt(p.args.channelId));
          createdAmount.set(BigInt(p.args.channelId), BigInt(p.args.amount));
        }
      }
      const flows =
        channelIds.length === 0
          ? []
          : await rpc.request<RawLog[]>("eth_getLogs", [
              {
                address: cfg.rewards,
                fromBlock: from,
                toBlock: "latest",
                topics: [[topic(ctx.iface, "ChannelFunded"), topic(ctx.iface, "ChannelClaimed")], channelIds.map((id) => "0x" + id.toString(16).padStart(64, "0"))],
              },
            ]);
      const funded = new Map(createdAmount);
      const claimed = new Map<bigint, bigint>();
      for (const log of flows) {
        const p = ctx.iface.parseLog(log);
        if (!p) continue;
        const id = BigInt(p.args.channelId);
        if (p.name === "ChannelFunded") funded.set(id, (funded.get(id) ?? 0n) + BigInt(p.args.amount));
        if (p.name === "ChannelClaimed") claimed.set(id, (claimed.get(id) ?? 0n) + BigInt(p.args.amount));
      }
      const head = [
        multicallRead(reader.multicall, "getCurrentBlockTimestamp"),
        rewardsRead(cfg.rewards, "challengePeriod"),
        rewardsRead(cfg.rewards, "publishDeadline"),
        rewardsRead(cfg.rewards, "rateChangeNotice"),
        rewardsRead(cfg.rewards, "closeNotice"),
        rewardsRead(cfg.rewards, "minClaimWindow"),
      ] as const;
      const evReads = eventIds.flatMap((id) => [rewardsRead(cfg.rewards, "getEventBounty", id), rewardsRead(cfg.rewards, "getEventRoot", id)] as const);
      const chReads = channelIds.flatMap((id) => [rewardsRead(cfg.rewards, "getChannel", id), rewardsRead(cfg.rewards, "liveChannelRoot", id), rewardsRead(cfg.rewards, "pendingChannelRoot", id)] as const);
      const out = await reader.all([...head, ...evReads, ...chReads]);
      const [now, cp, pd, rn, cn, mcw] = out.slice(0, head.length) as bigint[];
      const evOut = out.slice(head.length, head.length + evReads.length);
      const chOut = out.slice(head.length + evReads.length);
      const tokenList: string[] = [];
      for (let i = 0; i < eventIds.length; i++) tokenList.push(String((evOut[2 * i] as RewardsOut<"getEventBounty">).token));
      for (let i = 0; i < channelIds.length; i++) tokenList.push(String((chOut[3 * i] as RewardsOut<"getChannel">).token));
      await readTokens(reader, tokenList, tokens);
      if (my !== seq) return;
      s.now = now;
      s.params = { challengePeriod: cp, publishDeadline: pd, rateChangeNotice: rn, closeNotice: cn, minClaimWindow: mcw };
      s.events = eventIds.map((id, i) => {
        const ev = evOut[2 * i] as RewardsOut<"getEventBounty">;
        const root = evOut[2 * i + 1] as RewardsOut<"getEventRoot">;
        return {
          id,
          token: tokenInfo(tokens, String(ev.token)),
          start: BigInt(ev.start),
          end: BigInt(ev.end),
          claimWindow: BigInt(ev.claimWindow),
          publishDeadline: BigInt(ev.rootDeadline),
          challengePeriod: BigInt(ev.challengePeriod),
          claimsCloseAt: BigInt(ev.claimsCloseAt),
          funded: BigInt(ev.funded),
          total: BigInt(ev.total),
          claimed: BigInt(ev.claimed),
          settled: Boolean(ev.settled),
          root: { root: String(root.root), claimableAt: BigInt(root.claimableAt), vetoed: Boolean(root.vetoed) },
        };
      });
      s.channels = channelIds.map((id, i) => {
        const ch = chOut[3 * i] as RewardsOut<"getChannel">;
        const live = chOut[3 * i + 1] as RewardsOut<"liveChannelRoot">;
        const pending = chOut[3 * i + 2] as RewardsOut<"pendingChannelRoot">;
        return {
          id,
          token: tokenInfo(tokens, String(ch.token)),
          rate: BigInt(ch.rate),
          pendingRate: BigInt(ch.pendingRate),
          rateEffectiveAt: BigInt(ch.rateEffectiveAt),
          closesAt: BigInt(ch.closesAt),
          balance: BigInt(ch.balance),
          withdrawn: Boolean(ch.withdrawn),
          live: { root: String(live.root.root), claimableAt: BigInt(live.root.claimableAt), vetoed: Boolean(live.root.vetoed) },
          pending: { root: String(pending.root.root), claimableAt: BigInt(pending.root.claimableAt), vetoed: Boolean(pending.root.vetoed) },
          pendingEpoch: BigInt(pending.epoch),
          rateChangeNotice: BigInt(ch.rateChangeNotice),
          closeNotice: BigInt(ch.closeNotice),
          funded: funded.get(id) ?? 0n,
          claimed: claimed.get(id) ?? 0n,
        };
      });
      s.error = undefined;
      await loadManifests();
    } catch (e) {
      if (my === seq) s.error = `Could not read your campaigns: ${explainError(e, ctx.iface)}`;
    } finally {
      if (my === seq) {
        s.loading = false;
        render();
      }
    }
  }

  /** Manifests of the pending roots whose campaign the config links to a manifest URL. */
  async function loadManifests(): Promise<void> {
    const wanted: [string, string][] = [];
    for (const e of s.events) if (eventView(e, s.now).actions.includes("veto")) wanted.push([`event-${e.id}`, e.root.root]);
    for (const c of s.channels) if (channelView(c, s.now).actions.includes("veto")) wanted.push([`channel-${c.id}`, c.pending.root]);
    await Promise.all(
      wanted.map(async ([key]) => {
        const campaign = ctx.config.campaigns.find((c) => `${c.kind}-${c.id}` === key);
        if (!campaign?.manifestUrl || s.manifests.has(key)) return;
        try {
          s.manifests.set(key, (await fetchManifest(campaign.manifestUrl)) ?? `no manifest at ${campaign.manifestUrl} (404)`);
        } catch (e) {
          s.manifests.set(key, (e as Error).message);
        }
      }),
    );
  }

  // -------------------------------------------------------------------------------------- actions

  /**
   * A brand exit (refund / withdraw): the contract may take the recipient as a second argument (funds go to `to`);
   * the console sends them to the connected wallet, the one the plan names.
   */
  function exitData(fn: "refundEvent" | "withdrawUnclaimed" | "withdrawChannel", id: bigint): string {
    const inputs = ctx.iface.getFunction(fn)?.inputs.length ?? 1;
    return ctx.iface.encodeFunctionData(fn, inputs >= 2 ? [id, ctx.account()] : [id]);
  }

  async function act(plan: Plan, label: string, data: string, value = 0n, to = ctx.config.rewards): Promise<boolean> {
    if (!(await ctx.confirm(plan))) return false;
    const out = await ctx.sendTx(label, to, data, value);
    await refresh();
    return out.ok;
  }

  /** The approval step of an ERC-20 payment (skipped when the allowance already covers it); false when it failed. */
  async function approveIfNeeded(token: TokenInfo, amount: bigint): Promise<boolean> {
    if (token.address === ZeroAddress) return true;
    const reader = ctx.reader();
    const account = ctx.account();
    if (!reader || !account) return false;
    const [allowance] = await reader.all([erc20Read(token.address, "allowance", account, ctx.config.rewards)] as const);
    if (allowance >= amount) return true;
    if (!(await ctx.confirm(approvePlan(token, amount, ctx.config.rewards)))) return false;
    return (await ctx.sendTx(`Approve ${exactAmount(amount, token.decimals)} ${token.symbol}`, token.address, ifaces.erc20.encodeFunctionData("approve", [ctx.config.rewards, amount]))).ok;
  }

  async function tokenFrom(formId: string): Promise<TokenInfo | string> {
    const form = $<HTMLFormElement>(formId);
    const kind = (form.elements.namedItem("token-kind") as RadioNodeList).value;
    if (kind !== "erc20") return tokenInfo(tokens, ZeroAddress);
    const text = (form.elements.namedItem("token-address") as HTMLInputElement).value.trim();
    if (!isAddress(text)) return "Enter the ERC-20 token's address (0x…).";
    const reader = ctx.reader();
    if (!reader) return "Connect a wallet first.";
    const address = getAddress(text);
    tokens.delete(address.toLowerCase());
    await readTokens(reader, [address], tokens);
    const info = tokenInfo(tokens, address);
    return info.symbol === "tokens" ? `${address} does not answer symbol()/decimals(): is it an ERC-20 on this chain?` : info;
  }

  function formError(key: string, text: string | undefined): void {
    if (text) s.formError.set(key, text);
    else s.formError.delete(key);
    const p = document.getElementById(`${key}-error`);
    if (p) {
      p.hidden = !text;
      p.textContent = text ?? "";
    }
  }

  async function createEvent(e: Event): Promise<void> {
    e.preventDefault();
    const params = s.params;
    if (!params) return;
    const token = await tokenFrom("create-event");
    if (typeof token === "string") return formError("create-event", token);
    const form = $<HTMLFormElement>("create-event");
    const val = (n: string): string => (form.elements.namedItem(n) as HTMLInputElement).value;
    const amount = parseAmount(val("amount"), token.decimals);
    const start = localInputToUnix(val("start"));
    const end = localInputToUnix(val("end"));
    const days = Number(val("claim-days"));
    if (amount === undefined) return formError("create-event", `Enter the pot in ${token.symbol}, e.g. 1.5.`);
    if (start === undefined || end === undefined) return formError("create-event", "Pick the start and the end.");
    if (end <= start) return formError("create-event", "The end must be after the start.");
    if (end <= s.now) return formError("create-event", `The end must be in the future (the chain's time is ${utc(s.now)}).`);
    if (!Number.isInteger(days) || days < 1 || days > 3650) return formError("create-event", "The claim window is a whole number of days (1 or more).");
    formError("create-event", undefined);
    const claimWindow = BigInt(days) * DAY;
    if (claimWindow < params.minClaimWindow) return formError("create-event", `The claim window must be at least ${formatDuration(params.minClaimWindow)} on this deployment.`);
    if (!(await approveIfNeeded(token, amount))) return;
    const data = ctx.iface.encodeFunctionData("createEvent", [token.address, start, end, claimWindow, amount, val("metadata")]);
    if (await act(createEventPlan({ token, amount, start, end, claimWindow }, params), `Create event (${exactAmount(amount, token.decimals)} ${token.symbol})`, data, token.address === ZeroAddress ? amount : 0n)) form.reset();
    render();
  }

  async function createChannel(e: Event): Promise<void> {
    e.preventDefault();
    const params = s.params;
    if (!params) return;
    const token = await tokenFrom("create-channel");
    if (typeof token === "string") return formError("create-channel", token);
    const form = $<HTMLFormElement>("create-channel");
    const val = (n: string): string => (form.elements.namedItem(n) as HTMLInputElement).value;
    const { rate, error } = rateFromPer1000(val("per1000"), token.decimals);
    if (!rate) return formError("create-channel", error);
    const amountText = val("amount").trim();
    const amount = amountText === "" || amountText === "0" ? 0n : parseAmount(amountText, token.decimals);
    if (amount === undefined) return formError("create-channel", `Enter the first funds in ${token.symbol} (or leave empty).`);
    formError("create-channel", undefined);
    if (amount > 0n && !(await approveIfNeeded(token, amount))) return;
    const data = ctx.iface.encodeFunctionData("createChannel", [token.address, rate, amount, val("metadata")]);
    if (await act(createChannelPlan({ token, rate, amount }, params), `Create channel (${rateText(rate, token)})`, data, token.address === ZeroAddress ? amount : 0n)) form.reset();
    render();
  }

  async function topUp(kind: "event" | "channel", id: bigint, token: TokenInfo, input: HTMLInputElement, errKey: string): Promise<void> {
    const amount = parseAmount(input.value, token.decimals);
    if (amount === undefined) return formError(errKey, `Enter an amount in ${token.symbol}.`);
    formError(errKey, undefined);
    if (!(await approveIfNeeded(token, amount))) return;
    const value = token.address === ZeroAddress ? amount : 0n;
    const ev = kind === "event" ? s.events.find((x) => x.id === id) : undefined;
    await act(topUpPlan(kind, id, amount, token, ev, s.params), `Top up ${kind} #${id} with ${exactAmount(amount, token.decimals)} ${token.symbol}`, ctx.iface.encodeFunctionData(kind === "event" ? "fundEvent" : "fundChannel", [id, amount]), value);
  }

  // ---------------------------------------------------------------------------------------- render

  function money(label: string, v: bigint, t: TokenInfo, key: string): HTMLElement[] {
    const dd = el("dd", { "data-field": key, "data-wei": v.toString() });
    dd.append(amountView(formatAmount(v, t.decimals), exactAmount(v, t.decimals), t.symbol, isRounded(v, t.decimals)));
    return [el("dt", { text: label }), dd];
  }

  function manifestBox(key: string, postedRoot: string, token: TokenInfo): HTMLElement | undefined {
    const m = s.manifests.get(key);
    if (m === undefined) return undefined;
    const box = el("div", { class: "manifest", "data-manifest": key });
    if (typeof m === "string") {
      box.append(el("p", { class: "form-error", text: `Manifest: ${m}` }));
      return box;
    }
    const matches = m.root === postedRoot.toLowerCase();
    box.dataset.matches = String(matches);
    box.append(el("h4", { text: "What was published (manifest)" }));
    const dl = el("dl", { class: "stats" });
    const row = (k: string, v: string): void => void dl.append(el("dt", { text: k }), el("dd", { text: v }));
    row("Root", matches ? `${shortHex(m.root, 6)} — matches the posted root` : `${shortHex(m.root, 6)} — does NOT match the posted root ${shortHex(postedRoot, 6)}`);
    if (m.recipientCount !== undefined) row("Recipients", String(m.recipientCount));
    if (m.total !== undefined) row("Total", m.totalUnit === "wei" ? `${exactAmount(BigInt(m.total), token.decimals)} ${token.symbol}` : `${exactAmount(BigInt(m.total), 18)} points`);
    if (m.model) row("Model", m.model);
    if (m.snapshotBlock !== undefined) row("Snapshot", `block ${m.snapshotBlock}${m.snapshotTimestamp ? `, ${utc(m.snapshotTimestamp)}` : ""}`);
    if (m.scorerVersion) row("Scorer", m.scorerVersion);
    box.append(dl, el("a", { href: m.url, target: "_blank", rel: "noopener", text: "Open the full manifest" }));
    return box;
  }

  function actionForm(label: string, placeholder: string, unit: string, onSubmit: (input: HTMLInputElement) => void, cls: string): HTMLFormElement {
    const form = el("form", { class: `action-form ${cls}`, novalidate: "" });
    const input = el("input", { name: "amount", inputmode: "decimal", autocomplete: "off", placeholder, "aria-label": label }) as HTMLInputElement;
    const wrap = el("div", { class: "input-unit" }, input, el("span", { text: unit }));
    form.append(wrap, el("button", { type: "submit", class: "secondary", text: label }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      onSubmit(input);
    });
    return form;
  }

  function actionButton(label: string, cls: string, onClick: () => void, danger = false): HTMLButtonElement {
    const b = el("button", { type: "button", class: `${cls} ${danger ? "danger" : "secondary"}`, text: label }) as HTMLButtonElement;
    b.addEventListener("click", onClick);
    return b;
  }

  function eventCard(e: BrandEvent): HTMLElement {
    const v = eventView(e, s.now);
    const key = `event-${e.id}`;
    const name = ctx.config.campaigns.find((c) => c.kind === "event" && c.id === e.id)?.name;
    const card = el("article", { class: "campaign card", "data-key": key, "data-state": v.state });
    card.append(el("h3", { text: `${name ? `${name} · ` : ""}Event #${e.id} · ${e.token.symbol}` }), el("span", { class: `badge badge-${v.state}`, text: v.label }));
    const dl = el("dl", { class: "stats" });
    const remaining = e.settled ? 0n : e.funded - e.claimed;
    dl.append(...money("Pot", e.funded, e.token, "pot"), ...money("Claimed", e.claimed, e.token, "claimed"), ...money("Remaining", remaining, e.token, "remaining"));
    card.append(dl, el("ul", { class: "dates small" }, ...v.dates.map((d) => el("li", { text: d }))));
    const actions = el("div", { class: "actions" });
    const errKey = `${key}-action`;
    if (v.actions.includes("veto")) {
      const m = manifestBox(key, e.root.root, e.token);
      if (m) card.append(m);
      actions.append(actionButton("Veto the results", "veto", () => void act(vetoPlan("event", e.id, e.root.root), `Veto event #${e.id}`, ctx.iface.encodeFunctionData("vetoEventRoot", [e.id])), true));
    }
    if (v.actions.includes("refund")) actions.append(actionButton(`Refund ${exactAmount(e.funded, e.token.decimals)} ${e.token.symbol}`, "refund", () => void act(refundPlan(e), `Refund event #${e.id}`, exitData("refundEvent", e.id))));
    if (v.actions.includes("withdraw")) {
      actions.append(actionButton(`Withdraw ${exactAmount(remaining, e.token.decimals)} ${e.token.symbol}`, "withdraw", () => void act(withdrawEventPlan(e), `Withdraw unclaimed from event #${e.id}`, exitData("withdrawUnclaimed", e.id))));
    }
    if (v.actions.includes("top-up")) actions.append(actionForm("Top up", "0.5", e.token.symbol, (input) => void topUp("event", e.id, e.token, input, errKey), "top-up"));
    card.append(actions, el("p", { id: `${errKey}-error`, class: "form-error", role: "alert", hidden: "" }));
    return card;
  }

  function channelCard(c: BrandChannel): HTMLElement {
    const v = channelView(c, s.now);
    const key = `channel-${c.id}`;
    const name = ctx.config.campaigns.find((x) => x.kind === "channel" && x.id === c.id)?.name;
    const card = el("article", { class: "campaign card", "data-key": key, "data-state": v.state });
    card.append(el("h3", { text: `${name ? `${name} · ` : ""}Channel #${c.id} · ${c.token.symbol}` }), el("span", { class: `badge badge-${v.state}`, text: v.label }));
    const dl = el("dl", { class: "stats" });
    dl.append(...money("Funded", c.funded, c.token, "pot"), ...money("Claimed", c.claimed, c.token, "claimed"), ...money("Remaining", c.balance, c.token, "remaining"));
    dl.append(el("dt", { text: "Rate" }), el("dd", { "data-field": "rate", "data-wei": c.rate.toString(), text: rateText(c.rate, c.token) }));
    card.append(dl, el("ul", { class: "dates small" }, ...v.dates.map((d) => el("li", { text: d }))));
    const actions = el("div", { class: "actions" });
    const errKey = `${key}-action`;
    const params = s.params;
    if (v.actions.includes("veto")) {
      const m = manifestBox(key, c.pending.root, c.token);
      if (m) card.append(m);
      actions.append(actionButton("Veto the pending scores", "veto", () => void act(vetoPlan("channel", c.id, c.pending.root), `Veto channel #${c.id}`, ctx.iface.encodeFunctionData("vetoChannelRoot", [c.id])), true));
    }
    if (v.actions.includes("withdraw")) actions.append(actionButton(`Withdraw ${exactAmount(c.balance, c.token.decimals)} ${c.token.symbol}`, "withdraw", () => void act(withdrawChannelPlan(c), `Withdraw channel #${c.id}`, exitData("withdrawChannel", c.id))));
    if (v.actions.includes("top-up")) actions.append(actionForm("Top up", "0.5", c.token.symbol, (input) => void topUp("channel", c.id, c.token, input, errKey), "top-up"));
    if (v.actions.includes("announce-rate") && params) {
      actions.append(
        actionForm("Change rate", "1", `${c.token.symbol} per 1,000 points`, (input) => {
          const { rate, error } = rateFromPer1000(input.value, c.token.decimals);
          if (!rate) return formError(errKey, error);
          formError(errKey, undefined);
          void act(ratePlan(c, rate, s.now), `Announce rate ${rateText(rate, c.token)} for channel #${c.id}`, ctx.iface.encodeFunctionData("announceRateChange", [c.id, rate]));
        }, "announce-rate"),
      );
    }
    if (v.actions.includes("announce-close") && params) actions.append(actionButton("Announce close", "announce-close", () => void act(closePlan(c, s.now), `Announce close of channel #${c.id}`, ctx.iface.encodeFunctionData("announceClose", [c.id]))));
    card.append(actions, el("p", { id: `${errKey}-error`, class: "form-error", role: "alert", hidden: "" }));
    return card;
  }

  function tokenFields(prefix: string): HTMLElement {
    const f = el("fieldset", { class: "token-choice" });
    f.append(el("legend", { text: "Paid in" }));
    const eth = el("label", {}, el("input", { type: "radio", name: "token-kind", value: "eth", checked: "" }), " ETH");
    const erc = el("label", {}, el("input", { type: "radio", name: "token-kind", value: "erc20" }), " an ERC-20 token");
    const addr = el("input", { name: "token-address", id: `${prefix}-token`, placeholder: "token address 0x…", autocomplete: "off", "aria-label": "ERC-20 token address" });
    f.append(eth, erc, addr);
    return f;
  }

  function timeField(form: HTMLFormElement, name: string, label: string, value: bigint): HTMLElement {
    const id = `${form.id}-${name}`;
    const input = el("input", { type: "datetime-local", id, name, value: unixToLocalInput(value) }) as HTMLInputElement;
    const hint = el("span", { class: "muted small utc", id: `${id}-utc` });
    const update = (): void => {
      const ts = localInputToUnix(input.value);
      hint.textContent = ts === undefined ? "" : `your local time · ${utc(ts)}`;
    };
    input.addEventListener("input", update);
    update();
    return el("div", { class: "field" }, el("label", { for: id, text: label }), input, hint);
  }

  function createForms(): HTMLElement {
    const wrap = el("div", { class: "columns" });
    const now = s.now || BigInt(Math.floor(Date.now() / 1000));
    const startDefault = now - (now % 3600n) + 3600n;

    const ev = el("form", { id: "create-event", class: "card create", novalidate: "" });
    ev.append(el("h3", { text: "Create an event" }), el("p", { class: "muted small", text: "A pot shared by social score once the event ends." }), tokenFields("create-event"));
    ev.append(
      el("div", { class: "field" }, el("label", { for: "create-event-amount", text: "Pot" }), el("input", { id: "create-event-amount", name: "amount", inputmode: "decimal", placeholder: "1.5", autocomplete: "off" })),
      timeField(ev, "start", "Start", startDefault),
      timeField(ev, "end", "End", startDefault + 7n * DAY),
      el("div", { class: "field" }, el("label", { for: "create-event-claim-days", text: "Claim window (days)" }), el("input", { id: "create-event-claim-days", name: "claim-days", inputmode: "numeric", value: "30" })),
      el("div", { class: "field" }, el("label", { for: "create-event-metadata", text: "Metadata URI (optional)" }), el("input", { id: "create-event-metadata", name: "metadata", placeholder: "ipfs://…", autocomplete: "off" })),
      el("button", { type: "submit", id: "create-event-submit", text: "Create event…" }),
      el("p", { id: "create-event-error", class: "form-error", role: "alert", hidden: "" }),
    );
    ev.addEventListener("submit", (e) => void createEvent(e));

    const ch = el("form", { id: "create-channel", class: "card create", novalidate: "" });
    ch.append(el("h3", { text: "Create a channel" }), el("p", { class: "muted small", text: "A perpetual pool that pays cumulative score at your rate." }), tokenFields("create-channel"));
    ch.append(
      el(
        "div",
        { class: "field" },
        el("label", { for: "create-channel-per1000", text: "Rate: 1,000 points =" }),
        el("input", { id: "create-channel-per1000", name: "per1000", inputmode: "decimal", placeholder: "1", autocomplete: "off" }),
        el("span", { class: "muted small", text: "in the token chosen above" }),
      ),
      el("div", { class: "field" }, el("label", { for: "create-channel-amount", text: "First funds (optional)" }), el("input", { id: "create-channel-amount", name: "amount", inputmode: "decimal", placeholder: "2", autocomplete: "off" })),
      el("div", { class: "field" }, el("label", { for: "create-channel-metadata", text: "Metadata URI (optional)" }), el("input", { id: "create-channel-metadata", name: "metadata", placeholder: "ipfs://…", autocomplete: "off" })),
      el("button", { type: "submit", id: "create-channel-submit", text: "Create channel…" }),
      el("p", { id: "create-channel-error", class: "form-error", role: "alert", hidden: "" }),
    );
    ch.addEventListener("submit", (e) => void createChannel(e));
    wrap.append(ev, ch);
    return wrap;
  }

  function render(): void {
    const account = ctx.account();
    if (account !== s.account && ctx.ready() && !s.loading && !root.hidden) {
      s.account = account;
      s.events = [];
      s.channels = [];
      s.manifests.clear();
      void refresh();
      return;
    }
    root.dataset.loading = String(s.loading);
    if (!ctx.ready()) {
      built = false;
      root.replaceChildren(el("section", { class: "card" }, el("h2", { text: "Brand console" }), el("p", { class: "muted", text: "Connect your brand's wallet (top right) on the campaign's chain to create and manage events and channels." })));
      return;
    }
    // Keep the create forms (and what the brand typed) across re-renders; rebuild the list.
    let list = document.getElementById("brand-campaigns");
    if (!built || !list) {
      root.replaceChildren();
      const head = el("section", { class: "card" });
      head.append(el("div", { class: "section-head" }, el("h2", { text: "Your campaigns" }), actionButton("Refresh", "brand-refresh", () => void refresh())));
      head.append(el("p", { class: "muted small", text: "Events and channels this wallet created, read from the contract's logs. Times are shown in your local time with UTC beside them." }));
      list = el("div", { id: "brand-campaigns", class: "campaigns" });
      head.append(list);
      root.append(head, createForms());
      built = true;
    }
    list.replaceChildren();
    if (s.error) list.append(el("p", { class: "form-error", role: "alert", text: s.error }));
    if (s.events.length + s.channels.length === 0) list.append(el("p", { class: "muted", id: "brand-empty", text: s.loading ? "Loading your campaigns…" : "No events or channels from this wallet yet: create one below." }));
    for (const e of s.events) list.append(eventCard(e));
    for (const c of s.channels) list.append(channelCard(c));
    for (const [k, v] of s.formError) formError(k, v);
  }

  return { render, refresh };
}
