/**
 * The real system of the rewards property: one Hardhat snapshot (`loadFixture`) that every run starts from.
 */
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { GasBurner, GasBurningToken, RejectingReceiver } from "../../../typechain-types";
import { SIGNED_CLAIM_DOMAIN_NAME, SIGNED_CLAIM_DOMAIN_VERSION } from "../../../scorer/src/format/signed-claim";
import { blockTime, DAY, deployFixture, ETH, FUNDING, HOUR, mintAndApprove } from "../shared/fixtures";
import { lc, RATES, UNIT } from "./config";

/**
 * The shared deployment (`deployFixture`: the rewards contract with PARAMS, an ERC-20 every actor
 * holds and approved, the ledger lens), plus a second ERC-20 whose transfers to the gas burner burn all gas
 * (as a token with a recipient hook calling a hostile receiver would), three hostile receivers (one that
 * rejects ETH, one that burns all the gas it gets, one that answers with a 20 kB revert), and four campaigns:
 * an ETH event, an ERC-20 event, an ETH channel and an ERC-20 channel.
 */
export async function rewardsFixture() {
  const { rewards, token, lens, admin, publisher, guardian, brand, brand2, stranger, users: all } = await deployFixture();
  const users = all.slice(0, 4);
  const hookToken = (await ethers.deployContract("GasBurningToken")) as unknown as GasBurningToken;
  const rejecting = (await ethers.deployContract("RejectingReceiver")) as unknown as RejectingReceiver;
  const burner = (await ethers.deployContract("GasBurner")) as unknown as GasBurner;
  const bomb = (await ethers.deployContract("GasBurner")) as unknown as GasBurner;
  await bomb.setBomb(true);
  const rewardsAddress = await rewards.getAddress();
  const tokenAddress = await token.getAddress();
  for (const u of [brand, brand2, ...users, stranger]) await mintAndApprove(hookToken, u, FUNDING, [rewardsAddress]);
  await hookToken.setBurns(await burner.getAddress(), true);
  const now = await blockTime();
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
    hookToken,
    hookTokenAddress: await hookToken.getAddress(),
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
    domain: { name: SIGNED_CLAIM_DOMAIN_NAME, version: SIGNED_CLAIM_DOMAIN_VERSION, chainId, verifyingContract: rewardsAddress },
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

/** The asset of a new campaign: 0 ETH, 1 the plain ERC-20, 2 the ERC-20 whose transfers to the gas burner burn all gas. */
export function assetOf(fx: Fx, i: number): string {
  return [ETH, fx.tokenAddress, fx.hookTokenAddress][i];
}

/** The assets the rewards contract may hold (for the solvency invariant). */
export const assetsOf = (fx: Fx) => [ETH, fx.tokenAddress, fx.hookTokenAddress];

/** Balance of `who` in `asset` (ETH or either token). */
export function balanceIn(fx: Fx, asset: string, who: string): Promise<bigint> {
  if (asset === ETH) return ethers.provider.getBalance(who);
  return (lc(asset) === lc(fx.hookTokenAddress) ? fx.hookToken : fx.token).balanceOf(who);
}

/** Leaf accounts and payees: the four users, then (4) the ETH-rejecting contract, (5) the gas burner, (6) the return bomb. */
export function accountOf(fx: Fx, i: number): string {
  return i < 4 ? fx.users[i].address : [fx.rejectingAddress, fx.burnerAddress, fx.bombAddress][(i - 4) % 3];
}
