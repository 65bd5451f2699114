/**
 * The signed-claim file format (version 1) and the EIP-712 types of Like2EarnRewards' signed claims. The one
 * owner of both: `npx hardhat claim:sign` writes these files, the `relay` task and the relay HTTP service read
 * them, wallets sign the typed data below. No Node-only imports (the claim page uses it too).
 *
 * ```json
 * { "version": 1, "kind": "event" | "channel", "chainId": 31337, "contract": "0x…",
 *   "claim": { …the typed-data message, uint values as decimal strings… },
 *   "proof": ["0x…"], "signature": "0x…" }
 * ```
 *
 * Contract functions: `claimEventBySig(claim, proof, fee, signature)` and `claimChannelBySig(claim, proof, fee,
 * signature)`; the submitter gets `fee` (≤ maxFee, ≤ the payout) and `recipient` the rest. A channel claim is
 * bound to the live epoch and charges a fee only when it converts everything still owed (a partial payout, the
 * pool running short, takes none), so the fees taken under one signature never exceed its maxFee.
 */

/** EIP-712 domain name and version of the rewards contract. */
export const SIGNED_CLAIM_DOMAIN_NAME = "Like2EarnRewards";
export const SIGNED_CLAIM_DOMAIN_VERSION = "1";
export const SIGNED_CLAIM_FILE_VERSION = 1;

/** A typed-data field, as ethers' `signTypedData` takes it. */
export interface TypedDataField {
  name: string;
  type: string;
}

/** `EventClaim(uint256 eventId,uint256 index,address account,uint256 amount,address recipient,uint256 maxFee,uint256 deadline)` */
export const EVENT_CLAIM_TYPES: Record<string, TypedDataField[]> = {
  EventClaim: [
    { name: "eventId", type: "uint256" },
    { name: "index", type: "uint256" },
    { name: "account", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "recipient", type: "address" },
    { name: "maxFee", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** `ChannelClaim(uint256 channelId,uint64 epoch,address account,uint256 cumulativeScore,address recipient,uint256 maxFee,uint256 deadline)` */
export const CHANNEL_CLAIM_TYPES: Record<string, TypedDataField[]> = {
  ChannelClaim: [
    { name: "channelId", type: "uint256" },
    { name: "epoch", type: "uint64" },
    { name: "account", type: "address" },
    { name: "cumulativeScore", type: "uint256" },
    { name: "recipient", type: "address" },
    { name: "maxFee", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export interface EventClaimMessage {
  eventId: bigint;
  index: bigint;
  account: string;
  amount: bigint;
  recipient: string;
  maxFee: bigint;
  deadline: bigint;
}

export interface ChannelClaimMessage {
  channelId: bigint;
  epoch: bigint;
  account: string;
  cumulativeScore: bigint;
  recipient: string;
  maxFee: bigint;
  deadline: bigint;
}

export type SignedClaim =
  | { kind: "event"; chainId: bigint; contract: string; claim: EventClaimMessage; proof: string[]; signature: string }
  | { kind: "channel"; chainId: bigint; contract: string; claim: ChannelClaimMessage; proof: string[]; signature: string };

/** The EIP-712 domain of a deployment. */
export function signedClaimDomain(chainId: bigint, contract: string) {
  return { name: SIGNED_CLAIM_DOMAIN_NAME, version: SIGNED_CLAIM_DOMAIN_VERSION, chainId, verifyingContract: contract };
}

/** The typed-data types of a claim kind. */
export function signedClaimTypes(kind: SignedClaim["kind"]): Record<string, TypedDataField[]> {
  return kind === "event" ? EVENT_CLAIM_TYPES : CHANNEL_CLAIM_TYPES;
}

/** A bad signed-claim file: names the source and the field, and says what to fix. */
export class SignedClaimFormatError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${source}: ${field}: ${problem}`);
    this.name = "SignedClaimFormatError";
  }
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const HEX = /^0x([0-9a-fA-F]{2})+$/;
const UINT = /^(0|[1-9][0-9]*)$/;
const MAX_UINT256 = (1n << 256n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;

/** The JSON text of a signed claim (uint values as decimal strings), ending in a newline. */
export function serializeSignedClaim(c: SignedClaim): string {
  const claim = Object.fromEntries(
    signedClaimTypes(c.kind)[c.kind === "event" ? "EventClaim" : "ChannelClaim"].map(({ name }) => {
      const v = (c.claim as unknown as Record<string, bigint | string>)[name];
      return [name, typeof v === "bigint" ? v.toString() : v];
    }),
  );
  const file = {
    version: SIGNED_CLAIM_FILE_VERSION,
    kind: c.kind,
    chainId: Number(c.chainId),
    contract: c.contract,
    claim,
    proof: c.proof,
    signature: c.signature,
  };
  return JSON.stringify(file, null, 2) + "\n";
}

/** Parses and checks a signed-claim file's text; `source` (a file name) prefixes every error. */
export function parseSignedClaim(text: string, source: string): SignedClaim {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SignedClaimFormatError(source, "(file)", `not JSON (${(e as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new SignedClaimFormatError(source, "(file)", "expected a JSON object");
  }
  const o = raw as Record<string, unknown>;
  if (o.version !== SIGNED_CLAIM_FILE_VERSION) {
    throw new SignedClaimFormatError(source, "version", `expected ${SIGNED_CLAIM_FILE_VERSION}, got ${JSON.stringify(o.version)}`);
  }
  if (o.kind !== "event" && o.kind !== "channel") {
    throw new SignedClaimFormatError(source, "kind", `expected "event" or "channel", got ${JSON.stringify(o.kind)}`);
  }
  const kind = o.kind;
  if (typeof o.chainId !== "number" || !Number.isSafeInteger(o.chainId) || o.chainId <= 0) {
    throw new SignedClaimFormatError(source, "chainId", `expected a positive integer, got ${JSON.stringify(o.chainId)}`);
  }
  const contract = address(source, "contract", o.contract);
  if (!Array.isArray(o.proof)) throw new SignedClaimFormatError(source, "proof", "expected an array of 0x-prefixed 32-byte hashes");
  const proof = o.proof.map((p, i) => {
    if (typeof p !== "string" || !BYTES32.test(p)) {
      throw new SignedClaimFormatError(source, `proof[${i}]`, `expected a 0x-prefixed 32-byte hash, got ${JSON.stringify(p)}`);
    }
    return p;
  });
  if (typeof o.signature !== "string" || !HEX.test(o.signature)) {
    throw new SignedClaimFormatError(source, "signature", "expected 0x-prefixed hex bytes");
  }
  const c = o.claim;
  if (typeof c !== "object" || c === null || Array.isArray(c)) {
    throw new SignedClaimFormatError(source, "claim", "expected an object with the typed-data message");
  }
  const m = c as Record<string, unknown>;
  const fields = signedClaimTypes(kind)[kind === "event" ? "EventClaim" : "ChannelClaim"];
  const extra = Object.keys(m).filter((k) => !fields.some((f) => f.name === k));
  if (extra.length) throw new SignedClaimFormatError(source, `claim.${extra[0]}`, "unknown field (typo?)");
  const message: Record<string, bigint | string> = {};
  for (const { name, type } of fields) {
    const where = `claim.${name}`;
    if (type === "address") message[name] = address(source, where, m[name]);
    else message[name] = uint(source, where, m[name], type === "uint64" ? MAX_UINT64 : MAX_UINT256);
  }
  const common = { chainId: BigInt(o.chainId), contract, proof, signature: o.signature };
  return kind === "event"
    ? { kind, ...common, claim: message as unknown as EventClaimMessage }
    : { kind, ...common, claim: message as unknown as ChannelClaimMessage };
}

function address(source: string, field: string, v: unknown): string {
  if (typeof v !== "string" || !ADDRESS.test(v)) {
    throw new SignedClaimFormatError(source, field, `expected a 0x-prefixed 20-byte address, got ${JSON.stringify(v)}`);
  }
  return v;
}

function uint(source: string, field: string, v: unknown, max: bigint): bigint {
  if (typeof v !== "string" || !UINT.test(v)) {
    throw new SignedClaimFormatError(source, field, `expected an unsigned integer as a decimal string, got ${JSON.stringify(v)}`);
  }
  const n = BigInt(v);
  if (n > max) throw new SignedClaimFormatError(source, field, `${v} does not fit (max ${max})`);
  return n;
}
