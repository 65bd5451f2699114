/**
 * The Register panel: type the X handle, sign with the connected wallet, then post the text on X (web intent)
 * or copy it. main.ts owns the wallet state; it calls {@link renderRegisterPanel} on every render.
 */
import type { ClaimPageConfig } from "./config";
import { handleFromInput, signRegistration, type SignedRegistration } from "./register";
import { isUserRejection, type Eip1193Provider } from "./wallet";

/** What the panel needs from the page's state. */
export interface RegisterContext {
  readonly config?: ClaimPageConfig;
  readonly account?: string;
  readonly chainId?: bigint;
  readonly provider?: Eip1193Provider;
}

interface PanelState {
  busy: boolean;
  error?: string;
  signed?: SignedRegistration;
  copied?: boolean;
}

const panel: PanelState = { busy: false };
let context: () => RegisterContext = () => ({});

const byId = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing from index.html`);
  return e as T;
};

/** Wires the panel's controls; `ctx` reads main.ts's state when needed. */
export function setupRegisterPanel(ctx: () => RegisterContext): void {
  context = ctx;
  byId<HTMLFormElement>("register-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void sign();
  });
  byId("register-copy").addEventListener("click", () => void copy());
}

async function sign(): Promise<void> {
  const c = context();
  if (!c.config?.registration || !c.account || !c.provider || c.chainId !== c.config.chainId) return;
  panel.error = undefined;
  panel.signed = undefined;
  panel.copied = false;
  let handle: string;
  try {
    handle = handleFromInput(byId<HTMLInputElement>("register-handle").value);
  } catch (e) {
    panel.error = (e as Error).message;
    renderRegisterPanel();
    return;
  }
  panel.busy = true;
  renderRegisterPanel();
  try {
    const issuedAt = Math.floor(Date.now() / 1000);
    panel.signed = await signRegistration(c.provider, c.account, c.config.chainId, handle, issuedAt, c.config.registration.tag);
  } catch (e) {
    panel.error = isUserRejection(e) ? "You declined the signature in your wallet; nothing was registered." : `Could not sign: ${(e as Error).message}`;
  } finally {
    panel.busy = false;
  }
  renderRegisterPanel();
}

async function copy(): Promise<void> {
  if (!panel.signed) return;
  try {
    await navigator.clipboard.writeText(panel.signed.text);
    panel.copied = true;
  } catch {
    // No clipboard permission: the text stays selected in the box for a manual copy.
    byId<HTMLTextAreaElement>("register-text").select();
  }
  renderRegisterPanel();
}

/** Shows the panel for the current wallet state. */
export function renderRegisterPanel(): void {
  const c = context();
  const section = byId("register-section");
  const reg = c.config?.registration;
  section.hidden = !reg;
  if (!reg) return;
  const ready = c.account !== undefined && c.chainId === c.config!.chainId;
  const status = byId("register-status");
  status.textContent = !c.account
    ? "Connect your wallet first: the wallet you connect is the one that will be paid."
    : !ready
      ? "Switch your wallet to this page's network first (the signature names the chain)."
      : `Wallet ${c.account} will be registered.`;
  byId<HTMLInputElement>("register-handle").disabled = !ready || panel.busy;
  const button = byId<HTMLButtonElement>("register-sign");
  button.disabled = !ready || panel.busy;
  button.textContent = panel.busy ? "Signing…" : "Sign";
  button.title = "Sign the registration with your wallet (no transaction, no gas)";
  const err = byId("register-error");
  err.hidden = !panel.error;
  err.textContent = panel.error ?? "";

  const result = byId("register-result");
  const s = panel.signed && c.account && panel.signed.wallet.toLowerCase() === c.account.toLowerCase() ? panel.signed : undefined;
  result.hidden = !s;
  if (!s) return;
  byId<HTMLTextAreaElement>("register-text").value = s.text;
  byId("register-length").textContent = `${[...s.text].length} / 280 characters`;
  const link = byId<HTMLAnchorElement>("register-intent");
  link.href = s.intentUrl;
  byId("register-copy").textContent = panel.copied ? "Copied" : "Copy the text";
  byId("register-warning").hidden = s.recoversToWallet;
  byId("register-next").textContent =
    `Post it from @${s.handle} without changing the text. ` +
    (reg.schedule ?? "The admin's next registrations run picks it up; after that, campaigns scored with the registry pay this wallet.") +
    " Posting again later with a new wallet replaces this one.";
}
