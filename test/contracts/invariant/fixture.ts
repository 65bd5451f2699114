/**
 * The real system of the rewards property: one Hardhat snapshot (`loadFixture`) that every run starts from.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { RejectingReceiver } from "../../../typechain-types";
import { deployRewards, ETH, HOUR, DAY, WAD } from "../shared/support";
import { lc, RATES, UNIT } from "./config";

/**
 * The rewards contract, an ERC-20 every actor holds and approved, an ETH-rejecting contract, and four
 * campaigns: an ETH event, an ERC-20 event, an ETH channel and an ERC-20 channel.
 */
export async function rewardsFixture() {
  const d = await deployRewards();
  const rejecting = (await ethers.deployContract("RejectingReceiver")) as unknown as RejectingReceiver;
  const users = d.users.slice(0, 4);
  const stranger = d.users[4];
  const rewardsAddress = await d.rewards.getAddress();
  const tokenAddress = await d.token.getAddress();
  for (const u of [...users, stranger]) {
    await d.token.mint(u.address, 1_000_000n * WAD);
    await d.token.connect(u).approve(rewardsAddress, ethers.MaxUint256);
  }
  const now = BigInt(await time.latest());
  await d.rewards.connect(d.brand).createEvent(ETH, now, now + HOUR, 2n * DAY, 20n * UNIT, "e1", { value: 20n * UNIT });
  await d.rewards.connect(d.brand2).createEvent(tokenAddress, now, now + 6n * HOUR, 3n * DAY, 20n * UNIT, "e2");
  await d.rewards.connect(d.brand).createChannel(ETH, RATES[0], 20n * UNIT, "c1", { value: 20n * UNIT });
  await d.rewards.connect(d.brand2).createChannel(tokenAddress, RATES[1], 20n * UNIT, "c2");
  const events = await Promise.all([1n, 2n].map((id) => d.rewards.getEventBounty(id)));
  const channels = await Promise.all([1n, 2n].map((id) => d.rewards.getChannel(id)));
  return {
    ...d,
    rejecting,
    users,
    stranger,
    rewardsAddress,
    tokenAddress,
    rejectingAddress: await rejecting.getAddress(),
    initial: {
      events: events.map((e, i) => ({ id: BigInt(i + 1), brand: e.brand, token: e.token, end: e.end, claimWindow: e.claimWindow, publishDeadline: e.publishDeadline, funded: e.funded })),
      channels: channels.map((c, i) => ({ id: BigInt(i + 1), brand: c.brand, token: c.token, rate: c.rate, balance: c.balance })),
    },
  };
}
export type Fx = Awaited<ReturnType<typeof rewardsFixture>>;

export function signerOf(fx: Fx, address: string): HardhatEthersSigner {
  const all = [fx.admin, fx.publisher, fx.guardian, fx.brand, fx.brand2, ...fx.users, fx.stranger];
  const s = all.find((x) => lc(x.address) === lc(address));
  if (!s) throw new Error(`no signer for ${address}`);
  return s;
}

/** Event leaf accounts: the four users, and (index 4) the ETH-rejecting contract. */
export function accountOf(fx: Fx, i: number): string {
  return i < 4 ? fx.users[i].address : fx.rejectingAddress;
}
