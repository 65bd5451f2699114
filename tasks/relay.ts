/**
 * Signed claims: `claim:sign` (the account signs its leaf's claim into a file, no ETH needed) and `relay`
 * (anyone submits signed-claim files and takes the fee). File format: scorer/src/format/signed-claim.ts.
 */
import { task } from "hardhat/config";
import { connect, resolveSigner } from "../scripts/lib/env";
import { readSignedClaim, relaySignedClaim, signClaimFromDir, writeSignedClaim } from "../scripts/lib/signed-claims";
import { parseAmount, parseDuration, parseList } from "../scripts/lib/parse";
import { ethWei, printTable } from "../scripts/lib/format";
import { Like2EarnError } from "../scripts/lib/errors";
import { action, chainNow, FROM_HELP } from "./common";

task("claim:sign", "User: sign the claim of your leaf in a scorer output folder into a signed-claim file for a relayer")
  .addParam("dir", "Scorer output folder of the campaign (a channel: the live epoch's folder)")
  .addParam("out", "Signed-claim file to write (JSON)")
  .addOptionalParam("from", `${FROM_HELP}; the leaf's account, which signs`)
  .addOptionalParam("recipient", "Where the payout minus the fee goes (default: the account)")
  .addOptionalParam("maxFee", "The most the relayer may take: ETH (0.001) or wei (1000wei)", "0")
  .addOptionalParam("validFor", "How long the signature stays valid (e.g. 7d, 12h)", "7d")
  .addFlag("force", "Replace --out if it exists")
  .setAction(
    action(async (a: { dir: string; out: string; from?: string; recipient?: string; maxFee: string; validFor: string; force: boolean }, hre) => {
      const l2e = await connect(hre);
      const signer = await resolveSigner(hre, a.from);
      const deadline = (await chainNow(hre)) + parseDuration("--valid-for", a.validFor);
      const signed = await signClaimFromDir(l2e.rewards, a.dir, {
        signer,
        recipient: a.recipient,
        maxFee: parseAmount("--max-fee", a.maxFee),
        deadline,
      });
      writeSignedClaim(a.out, signed, a.force);
      const what = signed.kind === "event" ? `event ${signed.claim.eventId} leaf ${signed.claim.index}` : `channel ${signed.claim.channelId} epoch ${signed.claim.epoch}`;
      console.log(`signed ${what} for ${signed.claim.account} → ${a.out}`);
      console.log(`  recipient ${signed.claim.recipient}, max fee ${ethWei(signed.claim.maxFee)}, valid until ${new Date(Number(deadline) * 1000).toISOString()}`);
    }),
  );

task("relay", "Relayer: submit signed-claim files, taking a fee out of each payout; prints fee and net payout")
  .addOptionalParam("file", "Signed-claim file(s), comma-separated (more may follow as positional arguments)")
  .addOptionalParam("fee", "Fee to take per claim: ETH (0.001), wei (1000wei), or 'max' for the signed maxFee", "max")
  .addOptionalParam("from", `${FROM_HELP}; the relayer, who pays the gas`)
  .addOptionalVariadicPositionalParam("files", "More signed-claim files")
  .setAction(
    action(async (a: { file?: string; files?: string[]; fee: string; from?: string }, hre) => {
      const files = parseList(a.file, a.files);
      if (files.length === 0) throw new Like2EarnError("relay: give --file <signed-claim.json>[,<file>…]");
      const l2e = await connect(hre);
      const signer = await resolveSigner(hre, a.from);
      const claims = files.map((f) => ({ f, c: readSignedClaim(f) })); // every file checked before anything is sent
      const rows = [];
      for (const { f, c } of claims) {
        const fee = a.fee === "max" ? c.claim.maxFee : parseAmount("--fee", a.fee);
        const r = await relaySignedClaim(l2e.rewards, f, c, fee, { signer, errors: l2e.errors });
        rows.push([f, `${r.kind} ${r.campaignId}`, r.account, r.recipient, ethWei(r.amount), ethWei(r.fee), ethWei(r.net), r.receipt.hash]);
      }
      printTable(undefined, ["file", "campaign", "account", "recipient", "payout", "fee (to you)", "net (to recipient)", "tx"], rows);
    }),
  );
