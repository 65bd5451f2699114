/** EVM addresses: checking EIP-55 checksums and ordering. */
import { getAddress } from "ethers";

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
