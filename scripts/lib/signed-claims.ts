/**
 * Signed claims from files: `claim:sign` builds the EIP-712 message for an account's leaf in a scorer output
 * folder, has the account sign it and writes the signed-claim file; `relay` submits such files
 * (claimEventBySig / claimChannelBySig) and reports the fee the relayer took and what the recipient got.
 * The file format and the typed data are `scorer/src/format/signed-claim.ts`'s.
 */
import fs from "node:fs";
import path from "node:path";
import { getAddress, type ContractTransactionReceipt, type Interface, type Signer } from "ethers";
import {
  parseSignedClaim,
  serializeSignedClaim,
  signedClaimDomain,
  signedClaimTypes,
  type SignedClaim,
} from "../../scorer/src/format/signed-claim";
import type { Rewards } from "./env";
import { Like2EarnError } from "./errors";
import { loadClaimItem } from "./claim";
import { send } from "./tx";

export interface SignOptions {
  /** The leaf's account; must be able to sign (an account of the network, or a key). */
  signer: Signer;
  /** Where the payout (minus the fee) goes; default the account. */
  recipient?: string;
  /** The most the relayer may take (token wei). */
  maxFee: bigint;
  /** Unix time after which the signature is refused. */
  deadline: bigint;
}

/** Builds and signs the claim of `signer`'s leaf in the scorer output folder `dir`. */
export async function signClaimFromDir(rewards: Rewards, dir: string, o: SignOptions): Promise<SignedClaim> {
  const account = getAddress(await o.signer.getAddress());
  const item = loadClaimItem(dir, account);
  if (!item) throw new Like2EarnError(`${dir}: no leaf for ${account} (is it the right folder and account?)`);
  const provider = rewards.runner!.provider!;
  const { chainId } = await provider.getNetwork();
  const contract = await rewards.getAddress();
  const recipient = getAddress(o.recipient ?? account);
  let signed: SignedClaim;
  if (item.kind === "event") {
    const claim = {
      eventId: item.campaignId,
      index: item.index,
      account,
      amount: item.amount,
      recipient,
      maxFee: o.maxFee,
      deadline: o.deadline,
    };
    if (o.maxFee > item.amount) throw new Like2EarnError(`--max-fee ${o.maxFee} is more than the leaf pays (${item.amount} wei)`);
    signed = { kind: "event", chainId, contract, claim, proof: item.proof, signature: "" };
  } else {
    // The signature binds the epoch of the root that is claimable now: the folder must be that root.
    const [live, epoch] = await rewards.liveChannelRoot(item.campaignId);
    if (live.root.toLowerCase() !== item.manifest.root.toLowerCase()) {
      throw new Like2EarnError(
        `channel ${item.campaignId}: the folder's root ${item.manifest.root} is not the live root ${live.root} (epoch ${epoch}); sign with the live epoch's folder`,
      );
    }
    const claim = {
      channelId: item.campaignId,
      epoch,
      account,
      cumulativeScore: item.cumulativeScore,
      recipient,
      maxFee: o.maxFee,
      deadline: o.deadline,
    };
    signed = { kind: "channel", chainId, contract, claim, proof: item.proof, signature: "" };
  }
  const types = signedClaimTypes(signed.kind);
  signed.signature = await o.signer.signTypedData(signedClaimDomain(chainId, contract), types, signed.claim as unknown as Record<string, unknown>);
  return signed;
}

/** Writes a signed-claim file atomically (temporary file, then rename); refuses to replace one unless `force`. */
export function writeSignedClaim(file: string, claim: SignedClaim, force = false): void {
  if (fs.existsSync(file) && !force) throw new Like2EarnError(`${file} exists: choose another --out or pass --force`);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, serializeSignedClaim(claim));
  fs.renameSync(tmp, file);
}

/** Reads and checks a signed-claim file (errors name the file and the field). */
export function readSignedClaim(file: string): SignedClaim {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Like2EarnError(`${file}: cannot read (${(e as Error).message})`);
  }
  try {
    return parseSignedClaim(text, file);
  } catch (e) {
    throw new Like2EarnError((e as Error).message);
  }
}

/** What a relayed claim did. */
export interface Relayed {
  file: string;
  kind: SignedClaim["kind"];
  campaignId: bigint;
  account: string;
  recipient: string;
  /** Gross payout (token wei). */
  amount: bigint;
  /** Taken by the relayer (0 on a partial channel payout). */
  fee: bigint;
  /** amount − fee, to the recipient. */
  net: bigint;
  receipt: ContractTransactionReceipt;
}

/** Submits one signed claim as `signer` (the relayer), asking `fee` (≤ the signed maxFee). */
export async function relaySignedClaim(
  rewards: Rewards,
  file: string,
  claim: SignedClaim,
  fee: bigint,
  options: { signer: Signer; errors?: Interface },
): Promise<Relayed> {
  const { chainId } = await rewards.runner!.provider!.getNetwork();
  if (claim.chainId !== chainId) throw new Like2EarnError(`${file}: signed for chain ${claim.chainId}, this is chain ${chainId}`);
  const contract = await rewards.getAddress();
  if (getAddress(claim.contract) !== contract) {
    throw new Like2EarnError(`${file}: signed for contract ${claim.contract}, the deployment here is ${contract}`);
  }
  if (fee > claim.claim.maxFee) throw new Like2EarnError(`${file}: --fee ${fee} is above the signed maxFee ${claim.claim.maxFee}`);
  const as = rewards.connect(options.signer);
  const receipt = await send(rewards, `relay ${file}`, options, () =>
    claim.kind === "event"
      ? as.claimEventBySig(claim.claim, claim.proof, fee, claim.signature)
      : as.claimChannelBySig(claim.claim, claim.proof, fee, claim.signature),
  );
  let amount = 0n;
  let taken = 0n;
  for (const log of receipt.logs) {
    const parsed = (() => {
      try {
        return rewards.interface.parseLog(log);
      } catch {
        return null;
      }
    })();
    if (!parsed) continue;
    if (parsed.name === "EventClaimed" || parsed.name === "ChannelClaimed") amount += parsed.args.amount as bigint;
    if (parsed.name === "ClaimRelayed") taken += parsed.args.fee as bigint;
  }
  const campaignId = claim.kind === "event" ? claim.claim.eventId : claim.claim.channelId;
  return {
    file,
    kind: claim.kind,
    campaignId,
    account: claim.claim.account,
    recipient: claim.claim.recipient,
    amount,
    fee: taken,
    net: amount - taken,
    receipt,
  };
}
