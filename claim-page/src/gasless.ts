/**
 * Claims without gas: the user signs the claim (EIP-712, as the contracts' `claimEventBySig` / `claimChannelBySig`
 * check it: see ILike2EarnRewards.sol) and the relay named in the config submits it, taking a fee from the payout.
 * The page asks the relay for a quote first and shows fee and net before the wallet asks for the signature.
 */
import type { ChannelLeaf, EventLeaf } from "./proofs";

export const EIP712_NAME = "Like2EarnRewards";
export const EIP712_VERSION = "1";

export const EVENT_CLAIM_TYPES = {
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

export const CHANNEL_CLAIM_TYPES = {
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

export interface RelayQuote {
  relayer: string;
  chainId: string;
  contract: string;
  /** Fee in wei the relay asks for (what the page puts in `maxFee`). */
  fee: bigint;
  /** Seconds a signature should stay valid. */
  validFor: number;
}

export interface SignedClaimBody {
  version: 1;
  kind: "event" | "channel";
  chainId: number;
  contract: string;
  claim: Record<string, string>;
  proof: string[];
  signature: string;
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

/** The EIP-712 typed data (eth_signTypedData_v4 JSON) and the relay body for one claim. */
export function buildSignedClaim(
  leaf: EventLeaf | ChannelLeaf,
  opts: { chainId: bigint; contract: string; recipient: string; maxFee: bigint; deadline: bigint; epoch?: bigint },
): { typedData: string; body: Omit<SignedClaimBody, "signature"> } {
  const domain = { name: EIP712_NAME, version: EIP712_VERSION, chainId: opts.chainId.toString(), verifyingContract: opts.contract };
  const claim: Record<string, string> =
    leaf.kind === "event"
      ? {
          eventId: leaf.eventId.toString(),
          index: leaf.index.toString(),
          account: leaf.account,
          amount: leaf.amount.toString(),
          recipient: opts.recipient,
          maxFee: opts.maxFee.toString(),
          deadline: opts.deadline.toString(),
        }
      : {
          channelId: leaf.channelId.toString(),
          epoch: (opts.epoch ?? 0n).toString(),
          account: leaf.account,
          cumulativeScore: leaf.cumulativeScore.toString(),
          recipient: opts.recipient,
          maxFee: opts.maxFee.toString(),
          deadline: opts.deadline.toString(),
        };
  const types = {
    EIP712Domain: [
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
    ],
    ...(leaf.kind === "event" ? EVENT_CLAIM_TYPES : CHANNEL_CLAIM_TYPES),
  };
  const primaryType = leaf.kind === "event" ? "EventClaim" : "ChannelClaim";
  return {
    typedData: JSON.stringify({ types, primaryType, domain, message: claim }),
    body: { version: 1, kind: leaf.kind, chainId: Number(opts.chainId), contract: opts.contract, claim, proof: leaf.proof },
  };
}

/** POSTs a signed claim; returns the transaction hash the relay submitted. */
export async function submitToRelay(relayUrl: string, body: SignedClaimBody): Promise<{ txHash: string; fee: bigint }> {
  let res: Response;
  try {
    res = await fetch(`${relayUrl}/v1/claims`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch (e) {
    throw new RelayError(`the relay at ${relayUrl} did not answer (${(e as Error).message})`);
  }
  const out = await relayJson(res);
  if (typeof out.txHash !== "string") throw new RelayError("the relay answered without a transaction hash");
  return { txHash: out.txHash, fee: BigInt(String(out.fee ?? body.claim.maxFee)) };
}
