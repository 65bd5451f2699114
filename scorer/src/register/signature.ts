/**
 * Who signed a registration: an EOA (ECDSA recovery, offline) or a contract wallet (EIP-1271
 * `isValidSignature(digest, signature)` through an RPC at a given block).
 */
import { dataSlice, getAddress, getBytes, Interface, keccak256 } from "ethers";
import { recoverRegistrationSigner, registrationDigest, type Registration } from "../format/registry";
import { ChainError } from "../errors";
import type { ChainReader } from "../onchain";

/** EIP-1271's magic value: `bytes4(keccak256("isValidSignature(bytes32,bytes)"))`. */
export const ERC1271_MAGIC = "0x1626ba7e";
const erc1271 = new Interface(["function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)"]);

/** What a contract wallet answered: accepted, refused (or reverted), or there is no contract at the address. */
export type Erc1271Answer = "valid" | "invalid" | "no-code";

/** Asks wallets whether they accept a signature (EIP-1271), at one fixed block. */
export interface Erc1271Checker {
  /** The block asked ("latest" or a number), for messages and the manifest. */
  readonly blockTag: number | "latest";
  isValidSignature(wallet: string, digest: string, signature: string): Promise<Erc1271Answer>;
}

/** An EIP-1271 checker through `eth_call` at `blockTag` (a number, or undefined for the latest block). */
export function erc1271Checker(reader: Pick<ChainReader, "call">, blockTag?: number): Erc1271Checker {
  return {
    blockTag: blockTag ?? "latest",
    async isValidSignature(wallet, digest, signature) {
      const data = erc1271.encodeFunctionData("isValidSignature", [digest, signature]);
      let out: string;
      try {
        out = await reader.call(blockTag === undefined ? { to: wallet, data } : { to: wallet, data, blockTag });
      } catch (e) {
        // A revert is a refusal; anything else (the RPC is down) must not be read as one.
        if (/revert|CALL_EXCEPTION|execution reverted/i.test(String((e as { code?: unknown }).code ?? "") + String((e as Error).message))) return "invalid";
        throw new ChainError(`cannot ask the wallet ${wallet} isValidSignature (EIP-1271) at block ${blockTag ?? "latest"}: ${(e as Error).message}`, { cause: e });
      }
      if (out === "0x") return "no-code";
      return out.length >= 10 && out.slice(0, 10).toLowerCase() === ERC1271_MAGIC ? "valid" : "invalid";
    },
  };
}

/** libsecp256k1's recovery (the `secp256k1` package's prebuilt binding), if it loads on this machine. */
interface NativeSecp256k1 {
  ecdsaRecover(signature: Uint8Array, recid: number, message: Uint8Array, compressed: boolean): Uint8Array;
}
function loadNative(): NativeSecp256k1 | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("secp256k1") as NativeSecp256k1;
  } catch {
    return undefined;
  }
}
const native = loadNative();
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * The signer of `digest` through libsecp256k1 (about 20× ethers' pure-JS recovery), for the common case only:
 * v 27/28, 0 < r < n and 0 < s ≤ n/2. Anything else returns undefined and is judged by ethers, so the verdict
 * never depends on which path ran (tested against ethers' `recoverAddress`).
 */
export function fastRecover(digest: string, signature: string): string | undefined {
  if (!native || !/^0x[0-9a-fA-F]{128}(1b|1c)$/i.test(signature)) return undefined;
  const sig = getBytes(signature);
  const r = BigInt(dataSlice(sig, 0, 32));
  const s = BigInt(dataSlice(sig, 32, 64));
  if (r === 0n || r >= SECP256K1_N || s === 0n || s > SECP256K1_N / 2n) return undefined;
  try {
    const pub = native.ecdsaRecover(sig.subarray(0, 64), sig[64] - 27, getBytes(digest), false);
    return getAddress(dataSlice(keccak256(pub.subarray(1)), 12));
  } catch {
    return undefined;
  }
}

export type SignatureCheck =
  | { readonly ok: true; readonly kind: "eoa" | "eip1271" }
  | { readonly ok: false; readonly problem: string; readonly recovered?: string };

/**
 * Checks `signature` over `r`: it recovers to `r.wallet` (an EOA), or, with a checker, the wallet is a contract
 * whose `isValidSignature` accepts the EIP-712 digest.
 */
export async function checkRegistrationSignature(
  chainId: bigint | number,
  r: Registration,
  signature: string,
  contracts?: Erc1271Checker,
): Promise<SignatureCheck> {
  if (fastRecover(registrationDigest(chainId, r), signature) === r.wallet) return { ok: true, kind: "eoa" };
  const recovered = recoverRegistrationSigner(chainId, r, signature);
  if (recovered === r.wallet) return { ok: true, kind: "eoa" };
  if (!contracts) {
    return {
      ok: false,
      recovered,
      problem: `it does not recover to ${r.wallet}${recovered ? ` (it recovers to ${recovered})` : ""}; a smart-contract wallet is checked only with --rpc (EIP-1271)`,
    };
  }
  const answer = await contracts.isValidSignature(r.wallet, registrationDigest(chainId, r), signature);
  if (answer === "valid") return { ok: true, kind: "eip1271" };
  return {
    ok: false,
    recovered,
    problem:
      answer === "no-code"
        ? `it does not recover to ${r.wallet}${recovered ? ` (it recovers to ${recovered})` : ""}, and ${r.wallet} is not a contract wallet`
        : `the contract wallet ${r.wallet} refused it (EIP-1271 isValidSignature at block ${contracts.blockTag})`,
  };
}
