/**
 * Brand tasks: create, fund, veto, refund and withdraw events; create, fund, re-rate, close, veto and
 * withdraw channels. `npx hardhat help <task>` lists the flags of each.
 */
import { task } from "hardhat/config";
import { ZeroAddress } from "ethers";
import * as brand from "../scripts/lib/brand";
import { parseAmount, parseDuration, parseTime } from "../scripts/lib/parse";
import { date, duration, eth, ethWei } from "../scripts/lib/format";
import { campaignAction, chainNow, FROM_HELP, signedAction } from "./common";

interface FromArgs {
  from?: string;
}

type EventCreateArgs = FromArgs & { amount: string; start: string; end: string; claimWindow: string; token: string; metadata: string };

task("event:create", "Brand: create an event bounty and fund its pot")
  .addParam("amount", "Pot: ETH (1.5) or wei (1500wei), sent with the transaction (or approved, for an ERC-20)")
  .addOptionalParam("start", "Start of the scored period: now, +DURATION, Unix seconds or ISO date", "now")
  .addParam("end", "End of the scored period: +DURATION (e.g. +7d), Unix seconds or ISO date")
  .addOptionalParam("claimWindow", "How long claims stay open once the root is live (e.g. 30d)", "30d")
  .addOptionalParam("token", "Reward token address; omit for ETH", ZeroAddress)
  .addOptionalParam("metadata", "Metadata URI (what the event is about)", "")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    signedAction(async (a: EventCreateArgs, { l2e, signer, tx }, hre) => {
      const now = await chainNow(hre);
      const params = {
        token: a.token,
        start: parseTime("--start", a.start, now),
        end: parseTime("--end", a.end, now),
        claimWindow: parseDuration("--claim-window", a.claimWindow),
        amount: parseAmount("--amount", a.amount),
        metadataURI: a.metadata,
      };
      const { eventId, receipt } = await brand.createEvent(l2e.rewards, params, tx);
      console.log(`created event ${eventId} (tx ${receipt.hash})`);
      console.log(`  brand         ${await signer.getAddress()}`);
      console.log(`  pot           ${ethWei(params.amount)}${a.token === ZeroAddress ? "" : ` of token ${a.token}`}`);
      console.log(`  period        ${date(params.start)} → ${date(params.end)}`);
      console.log(`  claim window  ${duration(params.claimWindow)} after the root goes live (plus any time claims spend paused)`);
      console.log(`  note          fee-on-transfer and rebasing (elastic-balance) tokens are not supported: use a plain ERC-20 or ETH`);
    }),
  );

task("event:fund", "Anyone: top up an event's pot before it ends")
  .addParam("id", "Event id")
  .addParam("amount", "ETH (1.5) or wei (1500wei)")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    campaignAction(async (id, a: FromArgs & { id: string; amount: string }, { l2e, tx }) => {
      const amount = parseAmount("--amount", a.amount);
      const { funded, receipt } = await brand.fundEvent(l2e.rewards, id, amount, tx);
      console.log(`funded event ${id} with ${eth(amount)}: pot now ${ethWei(funded)} (tx ${receipt.hash})`);
    }),
  );

task("event:veto", "Brand or guardian: veto an event's root during its challenge period")
  .addParam("id", "Event id")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    campaignAction(async (id, _a, { l2e, tx }) => {
      const receipt = await brand.vetoEvent(l2e.rewards, id, tx);
      console.log(`vetoed the root of event ${id} (tx ${receipt.hash}); the publisher may post a new one`);
    }),
  );

task("event:refund", "Brand: take the whole pot back when no root went live by the publish deadline")
  .addParam("id", "Event id")
  .addOptionalParam("to", "Where the funds go (default: the brand itself), e.g. when the brand's address cannot receive them")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    campaignAction(async (id, _a, { l2e, tx }) => {
      const { amount, to, receipt } = await brand.refundEvent(l2e.rewards, id, tx, (_a as { to?: string }).to);
      console.log(`refunded event ${id}: ${ethWei(amount)} sent to ${to} (tx ${receipt.hash})`);
    }),
  );

task("event:withdraw", "Brand: withdraw what was not claimed once the claim window closed")
  .addParam("id", "Event id")
  .addOptionalParam("to", "Where the funds go (default: the brand itself), e.g. when the brand's address cannot receive them")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    campaignAction(async (id, _a, { l2e, tx }) => {
      const { amount, to, receipt } = await brand.withdrawEvent(l2e.rewards, id, tx, (_a as { to?: string }).to);
      console.log(`withdrew ${ethWei(amount)} unclaimed from event ${id} to ${to} (tx ${receipt.hash})`);
    }),
  );

task("channel:create", "Brand: create a perpetual channel pool paying a rate per score point")
  .addParam("rate", "ETH paid per 1 score point (e.g. 0.001), i.e. token wei per 1e18 score units")
  .addOptionalParam("amount", "Initial funding: ETH (1.5) or wei (1500wei)", "0")
  .addOptionalParam("token", "Reward token address; omit for ETH", ZeroAddress)
  .addOptionalParam("metadata", "Metadata URI (what the channel is about)", "")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    signedAction(async (a: FromArgs & { rate: string; amount: string; token: string; metadata: string }, { l2e, tx }) => {
      const params = {
        token: a.token,
        rate: parseAmount("--rate", a.rate),
        amount: parseAmount("--amount", a.amount),
        metadataURI: a.metadata,
      };
      const { channelId, receipt } = await brand.createChannel(l2e.rewards, params, tx);
      console.log(`created channel ${channelId} (tx ${receipt.hash})`);
      console.log(`  rate     ${eth(params.rate)} per score point (${params.rate} wei per 1e18 score units)`);
      console.log(`  pool     ${ethWei(params.amount)}`);
      console.log(`  note     fee-on-transfer and rebasing (elastic-balance) tokens are not supported: use a plain ERC-20 or ETH`);
    }),
  );

task("channel:fund", "Anyone: top up a channel's pool")
  .addParam("id", "Channel id")
  .addParam("amount", "ETH (1.5) or wei (1500wei)")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    campaignAction(async (id, a: FromArgs & { id: string; amount: string }, { l2e, tx }) => {
      const amount = parseAmount("--amount", a.amount);
      const { balance, receipt } = await brand.fundChannel(l2e.rewards, id, amount, tx);
      console.log(`funded channel ${id} with ${eth(amount)}: pool now ${ethWei(balance)} (tx ${receipt.hash})`);
    }),
  );

task("channel:rate", "Brand: announce a new rate (effective after the rate-change notice)")
  .addParam("id", "Channel id")
  .addParam("rate", "New ETH per score point (e.g. 0.002)")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    campaignAction(async (id, a: FromArgs & { id: string; rate: string }, { l2e, tx }) => {
      const rate = parseAmount("--rate", a.rate);
      const { effectiveAt, receipt } = await brand.announceRate(l2e.rewards, id, rate, tx);
      console.log(`channel ${id}: rate ${eth(rate)} per score point from ${date(effectiveAt)} (tx ${receipt.hash})`);
    }),
  );

task("channel:close", "Brand: announce the close of a channel (users may claim until it takes effect)")
  .addParam("id", "Channel id")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    campaignAction(async (id, _a, { l2e, tx }) => {
      const { closesAt, receipt } = await brand.announceClose(l2e.rewards, id, tx);
      console.log(`channel ${id} closes ${date(closesAt)}; then run channel:withdraw (tx ${receipt.hash})`);
    }),
  );

task("channel:veto", "Brand or guardian: veto a channel's pending root during its challenge period")
  .addParam("id", "Channel id")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    campaignAction(async (id, _a, { l2e, tx }) => {
      const receipt = await brand.vetoChannel(l2e.rewards, id, tx);
      console.log(`vetoed the pending root of channel ${id}; its epoch number is burnt (tx ${receipt.hash})`);
    }),
  );

task("channel:withdraw", "Brand: withdraw what is left in a channel once its close took effect")
  .addParam("id", "Channel id")
  .addOptionalParam("to", "Where the funds go (default: the brand itself), e.g. when the brand's address cannot receive them")
  .addOptionalParam("from", FROM_HELP)
  .setAction(
    campaignAction(async (id, _a, { l2e, tx }) => {
      const { amount, to, receipt } = await brand.withdrawChannel(l2e.rewards, id, tx, (_a as { to?: string }).to);
      console.log(`withdrew ${ethWei(amount)} from channel ${id} to ${to} (tx ${receipt.hash})`);
    }),
  );
