/**
 * Claims without gas: the user signs the claim (EIP-712, as the contracts' `claimEventBySig` / `claimChannelBySig`
 * check it: see ILike2EarnRewards.sol) and the relay named in the config submits it, taking a fee from the payout.
 * The page asks the relay for a quote first and shows fee and net before the wallet asks for the signature.
 */
import {
  CHANNEL_CLAIM_TYPES,
  EVENT_CLAIM_TYPES,
  serializeSignedClaim,
  SIGNED_CLAIM_DOMAIN_NAME,
  SIGNED_CLAIM_DOMAIN_VERSION,
  type SignedClaim,
} from "../../scorer/src/format/signed-claim";
import type { ChannelLeaf, EventLeaf } from "./proofs";

export interface RelayQuote {
  relayer: string;
  chainId: string;
  contract: string;
  /** Fee in wei the relay asks for (what the page puts in `maxFee`). */
  fee: bigint;
  /** Seconds a signature should stay valid. */
  validFor: number;
}

export class RelayError extends Error {
  override name = "RelayError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

async function relayJson(res: Response): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  if (!res.ok) throw new RelayError(typeof body.error === "string" ? body.error : `the relay answered HTTP ${res.status}`, res.status);
  return body;
}

/** The relay's fee for a claim of `kind` with a proof of `proofLength` elements. */
export async function fetchQuote(relayUrl: string, kind: "event" | "channel", proofLength: number): Promise<RelayQuote> {
  let res: Response;
  try {
    res = await fetch(`${relayUrl}/v1/quote?kind=${kind}&proofLength=${proofLength}`, { cache: "no-cache" });
  } catch (e) {
    throw new RelayError(`the relay at ${relayUrl} did not answer (${(e as Error).message})`);
  }
  const q = await relayJson(res);
  return { relayer: String(q.relayer), chainId: String(q.chainId), contract: String(q.contract), fee: BigInt(String(q.fee)), validFor: Number(q.validFor ?? 900) };
}

/**
 * The EIP-712 typed data (eth_signTypedData_v4 JSON) of one claim, and a function that turns the wallet's signature
 * into the signed-claim (scorer/src/format/signed-claim.ts, the format `claim:sign` writes and the relay reads).
 */
export function buildSignedClaim(
  leaf: EventLeaf | ChannelLeaf,
  opts: { chainId: bigint; contract: string; recipient: string; maxFee: bigint; deadline: bigint; epoch?: bigint },
): { typedData: string; signed: (signature: string) => SignedClaim } {
  const common = { account: leaf.account, recipient: opts.recipient, maxFee: opts.maxFee, deadline: opts.deadline };
  const unsigned: Omit<SignedClaim, "signature"> =
    leaf.kind === "event"
      ? { kind: "event", chainId: opts.chainId, contract: opts.contract, proof: leaf.proof, claim: { eventId: leaf.eventId, index: leaf.index, amount: leaf.amount, ...common } }
      : { kind: "channel", chainId: opts.chainId, contract: opts.contract, proof: leaf.proof, claim: { channelId: leaf.channelId, epoch: opts.epoch ?? 0n, cumulativeScore: leaf.cumulativeScore, ...common } };
  const message = Object.fromEntries(Object.entries(unsigned.claim).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]));
  const types = {
    EIP712Domain: [
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
    ],
    ...(leaf.kind === "event" ? EVENT_CLAIM_TYPES : CHANNEL_CLAIM_TYPES),
  };
  const domain = { name: SIGNED_CLAIM_DOMAIN_NAME, version: SIGNED_CLAIM_DOMAIN_VERSION, chainId: opts.chainId.toString(), verifyingContract: opts.contract };
  return {
    typedData: JSON.stringify({ types, primaryType: leaf.kind === "event" ? "EventClaim" : "ChannelClaim", domain, message }),
    signed: (signature) => ({ ...unsigned, signature }) as SignedClaim,
  };
}

/** POSTs a signed claim; returns the transaction hash the relay submitted. */
export async function submitToRelay(relayUrl: string, claim: SignedClaim): Promise<{ txHash: string; fee: bigint }> {
  let res: Response;
  try {
    res = await fetch(`${relayUrl}/v1/claims`, { method: "POST", headers: { "content-type": "application/json" }, body: serializeSignedClaim(claim) });
  } catch (e) {
    throw new RelayError(`the relay at ${relayUrl} did not answer (${(e as Error).message})`);
  }
  const out = await relayJson(res);
  if (typeof out.txHash !== "string") throw new RelayError("the relay answered without a transaction hash");
  return { txHash: out.txHash, fee: BigInt(String(out.fee ?? claim.claim.maxFee)) };
}
