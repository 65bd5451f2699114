/** EVM addresses: checking EIP-55 checksums and ordering. */
import { getAddress } from "ethers";
import { createKeccak, type IHasher } from "hash-wasm";

/**
 * A WASM keccak for EIP-55 checksums (~8× ethers' JS keccak: 100,000 participants cost ~0.15 s instead of
 * over a second). Created once, asynchronously; until it is ready (or if it cannot load) `checkAddress`
 * uses ethers. Callers that check many addresses await {@link addressHasherReady} first.
 */
let hasher: IHasher | undefined;
export const addressHasherReady: Promise<void> = createKeccak(256).then(
  (h) => void (hasher = h),
  () => undefined,
);

const MIXED_CASE_RE = /([A-F].*[a-f])|([a-f].*[A-F])/;

/** EIP-55 checksummed form of 40 hex digits (any case), with the WASM hasher. */
function checksum(hex40: string, h: IHasher): string {
  const lower = hex40.toLowerCase();
  const digest = h.init().update(lower).digest("binary");
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const c = lower[i];
    const nibble = i % 2 === 0 ? digest[i >> 1] >> 4 : digest[i >> 1] & 15;
    out += nibble >= 8 && c > "9" ? c.toUpperCase() : c;
  }
  return out;
}

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

const HEX_ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

export type AddressCheck = { ok: true; address: string } | { ok: false; problem: string };

/**
 * Checks an address and returns its EIP-55 checksummed form. All-lowercase (and all-uppercase)
 * hex carries no checksum and is accepted, as `ethers.getAddress` does; mixed case must match the
 * EIP-55 checksum exactly, since a mismatch means a typo.
 */
export function checkAddress(text: unknown): AddressCheck {
  if (typeof text !== "string" || !HEX_ADDRESS_RE.test(text)) {
    return { ok: false, problem: `${JSON.stringify(text)} is not an address (0x followed by 40 hex digits)` };
  }
  try {
    if (hasher) {
      // The same rule as ethers.getAddress: mixed case must match the checksum exactly.
      const address = checksum(text.slice(2), hasher);
      if (MIXED_CASE_RE.test(text.slice(2)) && address !== text) throw new Error("bad checksum");
      return { ok: true, address };
    }
    return { ok: true, address: getAddress(text) };
  } catch {
    return {
      ok: false,
      problem: `${JSON.stringify(text)} has a bad EIP-55 checksum (mixed case that does not match): the address has a typo; copy it again from the wallet`,
    };
  }
}

/** Orders addresses by their numeric value (lowercase hex), as the allocation order requires. */
export function compareAddresses(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sorts items by address (ascending), computing each lowercase key once. Returns a new array. */
export function sortByAddress<T>(items: readonly T[], addressOf: (item: T) => string): T[] {
  const keyed = items.map((item) => ({ item, key: addressOf(item).toLowerCase() }));
  let sorted = true;
  for (let i = 1; i < keyed.length && sorted; i++) if (keyed[i - 1].key > keyed[i].key) sorted = false;
  if (!sorted) keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return keyed.map((k) => k.item);
}
