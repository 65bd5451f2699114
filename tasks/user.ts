/**
 * User tasks: claim (one campaign or a batch), status across campaigns, and power staking.
 */
import { task } from "hardhat/config";
import { formatEther, getAddress, ZeroAddress } from "ethers";
import { connect, resolveSigner } from "../scripts/lib/env";
import { claimFromDirs } from "../scripts/lib/claim";
import { accountStatus } from "../scripts/lib/status";
import { findCampaignDirs } from "../scripts/lib/campaign-dir";
import * as power from "../scripts/lib/power";
import { parseAmount, parseList } from "../scripts/lib/parse";
import { date, eth, ethWei, printTable, score } from "../scripts/lib/format";
import { Like2EarnError } from "../scripts/lib/errors";
import { action, FROM_HELP, signedAction } from "./common";

task("claim", "User: claim from scorer output folders (one → a single claim, several → one batchClaim)")
  .addOptionalParam("dir", "Scorer output folder(s), comma-separated (more may follow as positional arguments)")
  .addOptionalParam("account", "Account whose leaves to claim (default: the signer). Channel leaves: only the account itself")
  .addOptionalParam("from", FROM_HELP)
  .addOptionalVariadicPositionalParam("dirs", "More scorer output folders")
  .setAction(
    action(async (a: { dir?: string; dirs?: string[]; account?: string; from?: string }, hre) => {
      const dirs = parseList(a.dir, a.dirs);
      if (dirs.length === 0) throw new Like2EarnError("claim: give --dir <scorer output folder>[,<folder>…]");
      const l2e = await connect(hre);
      // Sign as the account when it is one of the network's; else (event leaves only) as --from / account #0.
      const signer = await resolveSigner(hre, a.from ?? a.account).catch(() => resolveSigner(hre));
      const result = await claimFromDirs(l2e.rewards, dirs, { account: a.account, signer, errors: l2e.errors });
      console.log(`claimed in tx ${result.txHash}${result.payouts.length > 1 ? " (batch)" : ""}`);
      const channels = result.payouts.some((p) => p.kind === "channel");
      printTable(
        undefined,
        ["campaign", "account", "recipient", "paid (ETH)", "paid (wei)", ...(channels ? ["score converted", "score left"] : [])],
        result.payouts.map((p) => [
          `${p.kind} ${p.campaignId}`,
          p.account,
          p.recipient === p.account ? "same" : p.recipient,
          formatEther(p.amount),
          p.amount,
          ...(channels ? [p.scoreConverted === undefined ? "" : score(p.scoreConverted), p.scoreLeft === undefined ? "" : score(p.scoreLeft)] : []),
        ]),
      );
      for (const s of result.skipped) console.log(`skipped: ${s.reason}`);
      console.log(`total paid: ${ethWei(result.paid)}`);
      const short = result.payouts.filter((p) => (p.scoreLeft ?? 0n) > 0n);
      for (const p of short) {
        console.log(`note: channel ${p.campaignId}'s pool ran short; ${score(p.scoreLeft!)} score stays claimable after a top-up`);
      }
    }),
  );

task("status", "User: an account's state in every event and channel of the deployment")
  .addOptionalParam("account", "Account to report (default: account #0 of the network)")
  .addOptionalParam("dir", "Scorer output folder(s), comma-separated, or a folder of them (e.g. out/demo), to show what is owed")
  .addOptionalVariadicPositionalParam("dirs", "More scorer output folders")
  .setAction(
    action(async (a: { account?: string; dir?: string; dirs?: string[] }, hre) => {
      const l2e = await connect(hre);
      const account = getAddress(a.account ?? (await (await resolveSigner(hre)).getAddress()));
      const dirs = parseList(a.dir, a.dirs).flatMap((d) => findCampaignDirs(d));
      const rows = await accountStatus(l2e.rewards, account, dirs);
      console.log(`account ${account} on ${hre.network.name} (chain ${l2e.chainId}), wallet ${eth(await hre.ethers.provider.getBalance(account))}`);
      const st = await power.stakeState(l2e.staking, account, ZeroAddress);
      console.log(
        `power ${eth(st.power)} (staked ${eth(st.staked)}, powering down ${eth(st.powerDownAmount - st.powerDownWithdrawn)}, withdrawable ${eth(st.withdrawable)})`,
      );
      printTable(
        undefined,
        ["campaign", "state", "funds (ETH)", "your leaf", "converted score", "owed now (ETH)", "claimed"],
        rows.map((r) => [
          `${r.kind} ${r.id}`,
          r.state,
          formatEther(r.funds),
          !r.hasLeaf ? (dirs.length ? "none" : "?") : r.kind === "event" ? `${formatEther(r.leafAmount!)} ETH` : `${score(r.score!)} score`,
          r.kind === "channel" ? score(r.converted ?? 0n) : "",
          r.hasLeaf ? formatEther(r.owed) : "",
          r.hasLeaf ? (r.claimed ? "yes" : "no") : "",
        ]),
      );
      for (const r of rows) {
        if (r.forfeited) console.log(`channel ${r.id} closed: ${score(r.forfeited)} score of your leaf was never claimed and is forfeited`);
      }
      if (dirs.length === 0) console.log("(pass --dir with the campaigns' scorer output folders to see what is owed)");
    }),
  );

task("power:up", "User: lock ETH as power (raises k_user and model B's power)")
  .addParam("amount", "ETH (1.5) or wei (1500wei)")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    signedAction(async (a: { amount: string; from?: string }, { l2e, signer, tx }) => {
      const amount = parseAmount("--amount", a.amount);
      const rc = await power.powerUp(l2e.staking, amount, tx);
      const st = await power.stakeState(l2e.staking, await signer.getAddress());
      console.log(`powered up ${eth(amount)}: staked ${ethWei(st.staked)}, power ${eth(st.power)} (tx ${rc.hash})`);
    }),
  );

task("power:down", "User: start unlocking staked ETH in equal instalments (replaces an active power-down)")
  .addParam("amount", "ETH (1.5) or wei (1500wei)")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    signedAction(async (a: { amount: string; from?: string }, { l2e, signer, tx }) => {
      const amount = parseAmount("--amount", a.amount);
      const rc = await power.powerDown(l2e.staking, amount, tx);
      const n = await l2e.staking.instalments();
      const interval = await l2e.staking.instalmentInterval();
      const st = await power.stakeState(l2e.staking, await signer.getAddress());
      console.log(`powering down ${eth(amount)} in ${n} instalments, one every ${Number(interval) / 86400} days (tx ${rc.hash})`);
      console.log(`  first instalment unlocks ${date(st.powerDownStart + BigInt(interval))}; then run power:withdraw`);
    }),
  );

task("power:cancel", "User: cancel the active power-down (what is not withdrawn is locked again)")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    signedAction(async (_a: { from?: string }, { l2e, signer, tx }) => {
      const rc = await power.cancelPowerDown(l2e.staking, tx);
      const st = await power.stakeState(l2e.staking, await signer.getAddress());
      console.log(`power-down cancelled: staked ${ethWei(st.staked)}, power ${eth(st.power)} (tx ${rc.hash})`);
    }),
  );

task("power:withdraw", "User: withdraw the stake that has unlocked so far")
  .addOptionalParam("to", "Recipient (default: the signer)")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    signedAction(async (a: { to?: string; from?: string }, { l2e, signer, tx }) => {
      const account = await signer.getAddress();
      const before = await l2e.staking.withdrawable(account, ZeroAddress);
      const rc = await power.withdrawUnlocked(l2e.staking, { ...tx, to: a.to });
      console.log(`withdrew ${ethWei(before)} unlocked stake to ${a.to ?? account} (tx ${rc.hash})`);
    }),
  );
