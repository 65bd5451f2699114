/**
 * Injected wallets: EIP-6963 discovery (with `window.ethereum` as fallback), EIP-1193 calls, chain switching,
 * and turning wallet/RPC errors into readable reasons (custom errors decoded with the contracts' ABIs).
 */
import { ErrorDescription, Interface, Result, toBeHex } from "ethers";

export interface RequestArguments {
  method: string;
  params?: unknown[] | Record<string, unknown>;
}

export interface Eip1193Provider {
  request(args: RequestArguments): Promise<unknown>;
  on?(event: string, listener: (...args: unknown[]) => void): void;
  removeListener?(event: string, listener: (...args: unknown[]) => void): void;
}

export interface WalletInfo {
  uuid: string;
  name: string;
  icon: string;
  rdns: string;
}

export interface DiscoveredWallet {
  info: WalletInfo;
  provider: Eip1193Provider;
}

interface AnnounceEvent extends Event {
  detail: DiscoveredWallet;
}

/**
 * Listens for EIP-6963 announcements and asks wallets to announce themselves. Calls `onChange` with the
 * full list whenever it grows. If nothing announced itself but `window.ethereum` exists, that one is
 * offered as "Browser wallet". Returns a function that stops listening.
 */
export function discoverWallets(onChange: (wallets: DiscoveredWallet[]) => void): () => void {
  const byUuid = new Map<string, DiscoveredWallet>();
  const emit = (): void => {
    const list = [...byUuid.values()];
    const legacy = (window as unknown as { ethereum?: Eip1193Provider }).ethereum;
    if (list.length === 0 && legacy && typeof legacy.request === "function") {
      list.push({ info: { uuid: "window.ethereum", name: "Browser wallet", icon: "", rdns: "window.ethereum" }, provider: legacy });
    }
    onChange(list);
  };
  const onAnnounce = (e: Event): void => {
    const d = (e as AnnounceEvent).detail;
    if (!d || !d.info || typeof d.info.uuid !== "string" || !d.provider || typeof d.provider.request !== "function") return;
    if (byUuid.has(d.info.uuid)) return;
    byUuid.set(d.info.uuid, { info: d.info, provider: d.provider });
    emit();
  };
  window.addEventListener("eip6963:announceProvider", onAnnounce);
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  emit();
  return () => window.removeEventListener("eip6963:announceProvider", onAnnounce);
}

/** An EIP-1193 error (code 4001 = user rejected, 4902 = unknown chain, …), as far as wallets agree. */
export interface ProviderError {
  code?: number;
  message?: string;
  data?: unknown;
}

function errorCode(e: unknown): number | undefined {
  const o = e as { code?: unknown; data?: { originalError?: { code?: unknown } }; cause?: unknown } | null;
  if (!o || typeof o !== "object") return undefined;
  if (typeof o.code === "number") return o.code;
  if (typeof o.data?.originalError?.code === "number") return o.data.originalError.code;
  return o.cause ? errorCode(o.cause) : undefined;
}

/** True when the user declined in the wallet (EIP-1193 code 4001). */
export function isUserRejection(e: unknown): boolean {
  return errorCode(e) === 4001;
}

/** First revert-data-looking hex string found in an error object (wallets nest it differently). */
export function findRevertData(e: unknown, depth = 0): string | undefined {
  if (depth > 6 || e === null || e === undefined) return undefined;
  if (typeof e === "string") return /^0x([0-9a-fA-F]{2}){4,}$/.test(e) ? e : undefined;
  if (typeof e !== "object") return undefined;
  const o = e as Record<string, unknown>;
  for (const key of ["data", "error", "originalError", "cause", "info", "result"]) {
    const found = findRevertData(o[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

function formatArg(v: unknown): string {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Result) return `(${[...v].map(formatArg).join(", ")})`;
  if (Array.isArray(v)) return `[${v.map(formatArg).join(", ")}]`;
  return String(v);
}

/** Plain words for the custom errors a user can run into, by the part of the name after the component prefix. */
const PLAIN: Record<string, string> = {
  AlreadyClaimed: "already claimed",
  NothingOwed: "already claimed: nothing more is owed",
  NothingToClaim: "nothing to claim",
  RootInChallenge: "the results are still in their challenge period",
  NoLiveRoot: "no claimable results on chain (not published yet, or vetoed)",
  ClaimWindowClosed: "the claim window has closed",
  Closed: "the channel is closed",
  PoolEmpty: "the pool is empty: wait for a top-up",
  InvalidProof: "the proof does not match the results on chain (the proof files may be out of date)",
  ClaimExceedsTotal: "the event's published total is used up",
  ClaimsPaused: "claims are paused by a guardian",
  PaymentFailed: "the receiving address rejected the payment",
  AmountExceedsStake: "that is more than your stake",
  NoActivePowerDown: "there is no power-down to cancel",
  NothingToWithdraw: "nothing has unlocked yet",
  ZeroAmount: "the amount must be more than zero",
  TransferFailed: "the transfer failed",
};

/** "plain words (Name(arg: value, …))" for a decoded custom error; revert strings and panics as such. */
export function describeError(d: ErrorDescription): string {
  if (d.name === "Error" && d.args.length === 1) return String(d.args[0]);
  if (d.name === "Panic") return `panic ${toBeHex(d.args[0] as bigint)}`;
  const names = d.fragment.inputs.map((i) => i.name);
  const args = [...d.args].map((a, i) => (names[i] ? `${names[i]}: ${formatArg(a)}` : formatArg(a)));
  const raw = `${d.name}(${args.join(", ")})`;
  const plain = PLAIN[d.name.slice(d.name.indexOf("_") + 1)];
  return plain ? `${plain} (${raw})` : raw;
}

/**
 * A readable reason for a failed call or transaction: the decoded custom error when revert data is present,
 * "rejected in the wallet" for 4001, otherwise the wallet's message.
 */
export function explainError(e: unknown, iface: Interface): string {
  if (isUserRejection(e)) return "you rejected the request in your wallet";
  const data = findRevertData(e);
  if (data) {
    try {
      const d = iface.parseError(data);
      if (d) return describeError(d);
    } catch {
      /* not an error we know */
    }
    return `reverted with unknown error data ${data.slice(0, 10)}`;
  }
  const o = e as { shortMessage?: unknown; message?: unknown } | null;
  const msg = typeof o?.shortMessage === "string" ? o.shortMessage : typeof o?.message === "string" ? o.message : String(e);
  return msg.length > 300 ? msg.slice(0, 300) + "…" : msg;
}

/** Thin EIP-1193 client: contract reads through `eth_call`, ABI-encoded with ethers' Interface. */
export class Rpc {
  constructor(
    readonly provider: Eip1193Provider,
    readonly iface: Interface,
  ) {}

  request<T>(method: string, params: unknown[] = []): Promise<T> {
    return this.provider.request({ method, params }) as Promise<T>;
  }

  async chainId(): Promise<bigint> {
    return BigInt(await this.request<string>("eth_chainId"));
  }

  async balance(account: string): Promise<bigint> {
    return BigInt(await this.request<string>("eth_getBalance", [account, "latest"]));
  }

  /** Timestamp of the latest block: the chain's "now", which is what the contracts compare against. */
  async now(): Promise<bigint> {
    const block = await this.request<{ timestamp: string } | null>("eth_getBlockByNumber", ["latest", false]);
    return block ? BigInt(block.timestamp) : BigInt(Math.floor(Date.now() / 1000));
  }

  /** Calls a view function and returns its decoded outputs. */
  async call(to: string, fn: string, args: unknown[] = []): Promise<Result> {
    const data = this.iface.encodeFunctionData(fn, args);
    const out = await this.request<string>("eth_call", [{ to, data }, "latest"]);
    return this.iface.decodeFunctionResult(fn, out);
  }
}

/** Asks the wallet to switch to `chainId`; adds the chain first when the wallet does not know it (4902). */
export async function switchChain(
  provider: Eip1193Provider,
  chainId: bigint,
  add?: { chainName: string; rpcUrl?: string },
): Promise<void> {
  const hexId = toBeHex(chainId);
  try {
    await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: hexId }] });
  } catch (e) {
    if (errorCode(e) !== 4902 || !add?.rpcUrl) throw e;
    await provider.request({
      method: "wallet_addEthereumChain",
      params: [
        {
          chainId: hexId,
          chainName: add.chainName,
          rpcUrls: [add.rpcUrl],
          nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        },
      ],
    });
  }
}
