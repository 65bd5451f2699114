/**
 * The real system of the rewards property: one Hardhat snapshot (`loadFixture`) that every run starts from.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { GasBurner, Like2EarnRewards, MockERC20, RejectingReceiver, RewardsLedgerLens } from "../../../typechain-types";
import { DAY, ETH, HOUR, WAD } from "../shared/support";
import { INITIAL_PARAMS, lc, RATES, UNIT } from "./config";

/**
 * The rewards contract (deployed here with INITIAL_PARAMS), an ERC-20 every actor holds and approved, three
 * hostile receivers (one that rejects ETH, one that burns all the gas it gets, one that answers with a
 * 1 MB revert), and four campaigns: an ETH event, an ERC-20 event, an ETH channel and an ERC-20 channel.
 */
export async function rewardsFixture() {
  const [admin, publisher, guardian, brand, brand2, ...rest] = await ethers.getSigners();
  const users = rest.slice(0, 4);
  const stranger = rest[4];
  const p = INITIAL_PARAMS;
  const rewards = (await ethers.deployContract("Like2EarnRewards", [
    admin.address,
    publisher.address,
    guardian.address,
    p.challengePeriod,
    p.publishDeadline,
    p.rateChangeNotice,
    p.closeNotice,
    p.minClaimWindow,
  ])) as unknown as Like2EarnRewards;
  const token = (await ethers.deployContract("MockERC20", ["Mock", "MOCK"])) as unknown as MockERC20;
  const lens = (await ethers.deployContract("RewardsLedgerLens")) as unknown as RewardsLedgerLens;
  const rejecting = (await ethers.deployContract("RejectingReceiver")) as unknown as RejectingReceiver;
  const burner = (await ethers.deployContract("GasBurner")) as unknown as GasBurner;
  const bomb = (await ethers.deployContract("GasBurner")) as unknown as GasBurner;
  await bomb.setBomb(true);
  const rewardsAddress = await rewards.getAddress();
  const tokenAddress = await token.getAddress();
  for (const u of [brand, brand2, ...users, stranger]) {
    await token.mint(u.address, 1_000_000n * WAD);
    await token.connect(u).approve(rewardsAddress, ethers.MaxUint256);
  }
  const now = BigInt(await time.latest());
  await rewards.connect(brand).createEvent(ETH, now, now + HOUR, 2n * DAY, 20n * UNIT, "e1", { value: 20n * UNIT });
  await rewards.connect(brand2).createEvent(tokenAddress, now, now + 6n * HOUR, 3n * DAY, 20n * UNIT, "e2");
  await rewards.connect(brand).createChannel(ETH, RATES[0], 20n * UNIT, "c1", { value: 20n * UNIT });
  await rewards.connect(brand2).createChannel(tokenAddress, RATES[1], 20n * UNIT, "c2");
  const events = await Promise.all([1n, 2n].map((id) => rewards.getEventBounty(id)));
  const channels = await Promise.all([1n, 2n].map((id) => rewards.getChannel(id)));
  const { chainId } = await ethers.provider.getNetwork();
  return {
    rewards,
    token,
    lens,
    admin,
    publisher,
    guardian,
    brand,
    brand2,
    rejecting,
    burner,
    bomb,
    users,
    stranger,
    rewardsAddress,
    tokenAddress,
    rejectingAddress: await rejecting.getAddress(),
    burnerAddress: await burner.getAddress(),
    bombAddress: await bomb.getAddress(),
    /** The EIP-712 domain of signed claims. */
    domain: { name: "Like2EarnRewards", version: "1", chainId, verifyingContract: rewardsAddress },
    initial: {
      events: events.map((e, i) => ({ id: BigInt(i + 1), brand: e.brand, token: e.token, end: e.end, claimWindow: e.claimWindow, rootDeadline: e.rootDeadline, funded: e.funded })),
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

/** Leaf accounts and payees: the four users, then (4) the ETH-rejecting contract, (5) the gas burner, (6) the return bomb. */
export function accountOf(fx: Fx, i: number): string {
  return i < 4 ? fx.users[i].address : [fx.rejectingAddress, fx.burnerAddress, fx.bombAddress][(i - 4) % 3];
}
