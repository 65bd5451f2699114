/**
 * Checks a signed-claim request body (the signed-claim JSON format pinned for issue 8's `claim:sign` task):
 * `{ version: 1, kind, chainId, contract, claim: {…typed-data message, uints as decimal strings}, proof, signature }`.
 * Every problem names the field, so the relay's 400 says what to fix.
 *
 * The format's intended owner is scorer/src/format/signed-claim.ts (the contracts issue); it does not exist yet, so
 * the relay checks the shape here. When it lands, this file should import its parser instead.
 */
import { getAddress, isAddress, isHexString } from "ethers";

export type ClaimKind = "event" | "channel";

export const EIP712_DOMAIN_NAME = "Like2EarnRewards";
export const EIP712_DOMAIN_VERSION = "1";

export const CLAIM_TYPES: Record<ClaimKind, Record<string, { name: string; type: string }[]>> = {
  event: {
    EventClaim: [
      { name: "eventId", type: "uint256" },
      { name: "index", type: "uint256" },
      { name: "account", type: "address" },
      { name: "amount", type: "uint256" },
      { name: "recipient", type: "address" },
      { name: "maxFee", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  },
  channel: {
    ChannelClaim: [
      { name: "channelId", type: "uint256" },
      { name: "epoch", type: "uint64" },
      { name: "account", type: "address" },
      { name: "cumulativeScore", type: "uint256" },
      { name: "recipient", type: "address" },
      { name: "maxFee", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  },
};

export interface SignedClaim {
  kind: ClaimKind;
  chainId: bigint;
  contract: string;
  /** The typed-data message: uints as bigint, addresses checksummed. */
  claim: Record<string, bigint | string>;
  proof: string[];
  signature: string;
}

export class BodyError extends Error {
  override name = "BodyError";
}

const UINT_MAX: Record<string, bigint> = { uint256: (1n << 256n) - 1n, uint64: (1n << 64n) - 1n };

export function parseSignedClaim(json: unknown): SignedClaim {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new BodyError("the body must be a JSON object");
  const o = json as Record<string, unknown>;
  if (o.version !== 1) throw new BodyError(`field "version" must be 1, got ${JSON.stringify(o.version)}`);
  if (o.kind !== "event" && o.kind !== "channel") throw new BodyError(`field "kind" must be "event" or "channel", got ${JSON.stringify(o.kind)}`);
  const kind = o.kind;
  if (typeof o.chainId !== "number" || !Number.isSafeInteger(o.chainId) || o.chainId <= 0) throw new BodyError(`field "chainId" must be a positive integer`);
  if (typeof o.contract !== "string" || !isAddress(o.contract)) throw new BodyError(`field "contract" must be an address`);
  if (typeof o.claim !== "object" || o.claim === null || Array.isArray(o.claim)) throw new BodyError(`field "claim" must be an object`);
  const raw = o.claim as Record<string, unknown>;
  const claim: Record<string, bigint | string> = {};
  for (const { name, type } of Object.values(CLAIM_TYPES[kind])[0]) {
    const v = raw[name];
    if (type === "address") {
      if (typeof v !== "string" || !isAddress(v)) throw new BodyError(`field "claim.${name}" must be an address`);
      claim[name] = getAddress(v);
    } else {
      if (typeof v !== "string" || !/^\d+$/.test(v) || BigInt(v) > UINT_MAX[type]) throw new BodyError(`field "claim.${name}" must be a decimal ${type} string`);
      claim[name] = BigInt(v);
    }
  }
  const extra = Object.keys(raw).filter((k) => !(k in claim));
  if (extra.length > 0) throw new BodyError(`field "claim" has unknown fields: ${extra.join(", ")}`);
  if (claim.recipient === "0x0000000000000000000000000000000000000000") throw new BodyError(`field "claim.recipient" must not be the zero address`);
  if (!Array.isArray(o.proof) || o.proof.length > 64 || !o.proof.every((p) => typeof p === "string" && isHexString(p, 32))) {
    throw new BodyError(`field "proof" must be an array of at most 64 bytes32 hex strings`);
  }
  if (typeof o.signature !== "string" || !isHexString(o.signature) || o.signature.length < 4 || o.signature.length > 2 + 2 * 4096) {
    throw new BodyError(`field "signature" must be a 0x hex string`);
  }
  return { kind, chainId: BigInt(o.chainId), contract: getAddress(o.contract), claim, proof: o.proof as string[], signature: o.signature };
}
