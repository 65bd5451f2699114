/**
 * What the claim view and the brand console share: the connected wallet, the config, the reader, the confirmation
 * dialog shown before each wallet prompt, and one way to send a transaction and follow it in the transaction list.
 */
import type { Interface } from "ethers";
import type { ClaimPageConfig } from "./config";
import type { Reader } from "./reads";
import type { Rpc } from "./wallet";

export interface Plan {
  title: string;
  /** What the transaction does, in plain words. */
  what: string[];
  /** When (and whether) the funds involved come back. */
  fundsBack: string;
  /** Label of the button that opens the wallet. */
  confirmLabel?: string;
}

export interface TxOutcome {
  ok: boolean;
  hash?: string;
  /** The receipt's logs (confirmed transactions only). */
  logs?: { topics: string[]; data: string; address: string }[];
  error?: string;
}

export interface AppContext {
  readonly config: ClaimPageConfig;
  readonly iface: Interface;
  account(): string | undefined;
  rpc(): Rpc | undefined;
  reader(): Reader | undefined;
  /** True when a wallet is connected on the config's chain. */
  ready(): boolean;
  /** Shows the plan; resolves true when the user chose to go on to the wallet. */
  confirm(plan: Plan): Promise<boolean>;
  /** Estimates, sends through the wallet and waits for the receipt, listing it in the transaction list. */
  sendTx(label: string, to: string, data: string, value?: bigint): Promise<TxOutcome>;
}
