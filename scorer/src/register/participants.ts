/**
 * A registry (`registry.ndjson`) as the participants of a score run: every line's signature is checked again
 * — EOA signatures offline, contract wallets through EIP-1271 at the snapshot block — before anyone is paid.
 * A line that no longer verifies stops the run with its file, line and field.
 */
import { compareAddresses } from "../address";
import { InputError } from "../errors";
import { REGISTRY_FORMAT, type RegistryManifestRecord } from "../format/registry";
import type { Participant } from "../ingest/participants";
import { readRegistryFile, type RegistryLine } from "./registry-file";
import { checkRegistrationSignature, type Erc1271Checker } from "./signature";

/** A participants path is a registry when it ends in `.ndjson` (CSV and JSON arrays are the other formats). */
export function isRegistryPath(path: string): boolean {
  return path.toLowerCase().endsWith(".ndjson");
}

/** Reads a registry for scoring (format checks only; signatures are checked by {@link verifyRegistry}). */
export async function readRegistryForScoring(path: string, file = path): Promise<RegistryLine[]> {
  return readRegistryFile(path, { file });
}

/** The participants of a registry: user id, username, wallet. */
export function registryParticipants(lines: readonly RegistryLine[]): Participant[] {
  return lines.map(({ entry }) => ({ userId: entry.userId, handle: entry.username, address: entry.wallet }));
}

/**
 * Checks every signature for `chainId`: it recovers to the wallet, or (with `contracts`) the wallet accepts it
 * through EIP-1271. Throws {@link InputError} at the first line that fails. Returns the manifest record.
 */
export async function verifyRegistry(
  lines: readonly RegistryLine[],
  file: string,
  chainId: bigint,
  contracts: Erc1271Checker | undefined,
  block: number,
): Promise<RegistryManifestRecord> {
  const eip1271: string[] = [];
  for (const { entry, line } of lines) {
    const check = await checkRegistrationSignature(chainId, { wallet: entry.wallet, handle: entry.username.toLowerCase(), issuedAt: entry.issuedAt }, entry.signature, contracts);
    if (!check.ok) {
      throw new InputError(
        { file, line, field: "signature" },
        `the registration of @${entry.username} (post ${entry.postId}) does not verify on chain ${chainId}: ${check.problem}`,
        { details: ["A registry line is evidence: it cannot be edited. Rebuild the registry with `registrations`, or remove the line."] },
      );
    }
    if (check.kind === "eip1271") eip1271.push(entry.wallet);
  }
  return { format: REGISTRY_FORMAT, chainId: chainId.toString(), entries: lines.length, eip1271Wallets: eip1271.sort(compareAddresses), eip1271Block: block };
}
