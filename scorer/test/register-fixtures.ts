/** Registration posts for the tests: signed by real keys, shaped as the X search returns them. */
import { Wallet, type Signer } from "ethers";
import { buildRegistrationPost, REGISTRATION_TYPES, registrationDomain } from "../src/format/registry";
import type { SearchPost, SearchUser } from "../src/register/evaluate";

export const CHAIN_ID = 31337n;
export const TAG = "#Like2EarnID";
export const SINCE = "2025-01-01T00:00:00Z";

/** Deterministic keys (never used outside the tests). */
export function testWallet(n: number): Wallet {
  return new Wallet(`0x${(0xabc000n + BigInt(n)).toString(16).padStart(64, "0")}`);
}

/** A signature by `signer` over Registration(wallet, handle, issuedAt). */
export async function signRegistration(signer: Signer, wallet: string, handle: string, issuedAt: number, chainId = CHAIN_ID): Promise<string> {
  return signer.signTypedData(registrationDomain(chainId), REGISTRATION_TYPES, { wallet, handle: handle.toLowerCase(), issuedAt });
}

export interface PostSpec {
  id: string;
  author: SearchUser;
  /** Post time, ISO. */
  at: string;
  text: string;
  referencedTypes?: string[];
}

export function post(s: PostSpec): SearchPost {
  return { id: s.id, text: s.text, authorId: s.author.id, createdAt: s.at, referencedTypes: s.referencedTypes };
}

/** The page's text for a registration signed by `signer` for `handle`, issued `issuedAt`. */
export async function registrationText(signer: Signer, o: { wallet?: string; handle: string; issuedAt: number; tag?: string; chainId?: bigint }): Promise<string> {
  const wallet = o.wallet ?? (await signer.getAddress());
  const signature = await signRegistration(signer, wallet, o.handle, o.issuedAt, o.chainId);
  return buildRegistrationPost({ tag: o.tag ?? TAG, wallet, issuedAt: o.issuedAt, signature, handle: o.handle });
}

export function user(id: string, username: string, extra: Partial<SearchUser> = {}): SearchUser {
  return { id, username, createdAt: "2020-01-01T00:00:00.000Z", followers: 100, ...extra };
}

export const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
