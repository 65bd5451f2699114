/**
 * Admin task: publish a scorer output folder's root after re-checking it against the chain.
 */
import { task } from "hardhat/config";
import { connect, resolveSigner } from "../scripts/lib/env";
import { checkPublication, publishRoot } from "../scripts/lib/publish";
import { PublishRefusedError } from "../scripts/lib/errors";
import { eth, score } from "../scripts/lib/format";
import { action, FROM_HELP } from "./common";

task("publish", "Admin: re-check a scorer output folder against the chain, then post its root")
  .addParam("dir", "Scorer output folder (holds manifest.json, tree.json, proofs/)")
  .addFlag("dryRun", "Only run the checks; post nothing")
  .addOptionalParam("from", `${FROM_HELP}; default: the first account with PUBLISHER_ROLE`)
  .setAction(
    action(async (a: { dir: string; dryRun: boolean; from?: string }, hre) => {
      const l2e = await connect(hre);
      const signer = await resolveSigner(hre, a.from, {
        contract: await l2e.rewards.getAddress(),
        role: await l2e.rewards.PUBLISHER_ROLE(),
      });
      if (a.dryRun) {
        // The check simulates the publish from the publisher, so a dry run needs one too.
        const check = await checkPublication(l2e.rewards, a.dir, { signer, errors: l2e.errors, staking: await l2e.staking.getAddress() });
        if (check.problems.length > 0) throw new PublishRefusedError(a.dir, check.problems, "dry run: nothing posted");
        const m = check.manifest;
        console.log(`checks passed for ${m.kind} ${m.campaignId}${m.kind === "channel" ? ` epoch ${m.epoch}` : ""}:`);
        console.log(`  root ${m.root}, ${m.recipientCount} recipients`);
        console.log(`  total ${m.kind === "event" ? eth(m.total) : `${score(m.total)} score`}, on-chain funds ${eth(check.onChainFunds)}`);
        for (const w of check.warnings) console.log(`  warning: ${w}`);
        console.log("dry run: nothing posted");
        return;
      }
      console.log(`publishing from ${await signer.getAddress()} on ${hre.network.name} (chain ${l2e.chainId})`);
      await publishRoot(l2e.rewards, a.dir, { signer, errors: l2e.errors, log: console.log, staking: await l2e.staking.getAddress() });
    }),
  );
