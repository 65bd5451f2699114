/**
 * Registration, the user's side (SPEC §9): the wallet signs the EIP-712 `Registration(wallet, handle, issuedAt)`
 * with `eth_signTypedData_v4`, the page builds the post text and X's web intent URL. The typed data and the
 * text come from the scorer's format (`@like2earn/format`, scorer/src/format/registry.ts), so what the page
 * builds is exactly what the admin's `registrations` run parses and checks.
 */
import { getAddress } from "ethers";
import {
  buildRegistrationPost,
  canonicalSignature,
  MAX_POST_LENGTH,
  normalizeHandle,
  postLength,
  recoverRegistrationSigner,
  registrationTypedDataV4,
  tagProblem,
} from "@like2earn/format";
import type { Eip1193Provider } from "./wallet";

/** The page config's `registration` section (docs/claim-page-config.md). */
export interface RegistrationPageConfig {
  /** The campaign tag the admin searches for, e.g. `#Like2EarnID`. */
  readonly tag: string;
  /** When the admin's next run picks registrations up (shown after signing). */
  readonly schedule?: string;
}

/** Checks the `registration` section; returns undefined when absent (the panel is then hidden). */
export function parseRegistrationSection(v: unknown, fail: (message: string) => never): RegistrationPageConfig | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) return fail("registration must be an object {tag, schedule?}");
  const o = v as Record<string, unknown>;
  const problem = tagProblem(o.tag);
  if (problem) return fail(`registration.tag: ${problem}`);
  if (o.schedule !== undefined && typeof o.schedule !== "string") return fail("registration.schedule must be a string");
  return { tag: o.tag as string, schedule: o.schedule as string | undefined };
}

/** A signed registration, ready to post. */
export interface SignedRegistration {
  readonly wallet: string;
  readonly handle: string;
  readonly issuedAt: number;
  readonly signature: string;
  readonly text: string;
  readonly intentUrl: string;
  /** False when the signature does not recover to the wallet: a smart-contract wallet (EIP-1271), checked by the admin's run on chain. */
  readonly recoversToWallet: boolean;
}

/** X's web intent to post `text` (the user confirms on X). */
export function intentUrl(text: string): string {
  return `https://x.com/intent/post?text=${encodeURIComponent(text)}`;
}

/** Reads the handle field: "@Alice" → "alice"; throws a message for the user otherwise. */
export function handleFromInput(text: string): string {
  const h = normalizeHandle(text);
  if (!h) throw new Error("Enter your X handle: 1 to 15 letters, digits or _ (with or without @).");
  return h;
}

/**
 * Asks the wallet to sign the registration of `handle` for `account` on `chainId`, issued `issuedAt` (Unix
 * seconds), and builds the post (signature in its canonical form: lowercase, v = 27/28).
 */
export async function signRegistration(
  provider: Eip1193Provider,
  account: string,
  chainId: bigint,
  handle: string,
  issuedAt: number,
  tag: string,
): Promise<SignedRegistration> {
  const wallet = getAddress(account);
  const typedData = registrationTypedDataV4(chainId, { wallet, handle, issuedAt });
  const raw = (await provider.request({ method: "eth_signTypedData_v4", params: [wallet, JSON.stringify(typedData)] })) as unknown;
  const signature = typeof raw === "string" ? canonicalSignature(raw) : "";
  if (!/^0x[0-9a-f]{130}$/.test(signature)) {
    throw new Error("The wallet returned no 65-byte signature; this page needs a wallet that signs EIP-712 typed data (eth_signTypedData_v4).");
  }
  const text = buildRegistrationPost({ tag, wallet, issuedAt, signature, handle });
  if (postLength(text) > MAX_POST_LENGTH) throw new Error(`The post would be longer than ${MAX_POST_LENGTH} characters.`);
  return {
    wallet,
    handle,
    issuedAt,
    signature,
    text,
    intentUrl: intentUrl(text),
    recoversToWallet: recoverRegistrationSigner(chainId, { wallet, handle, issuedAt }, signature) === wallet,
  };
}
