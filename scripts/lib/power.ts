/**
 * Power staking for users: power up, power down (in instalments), cancel, withdraw what unlocked.
 */
import { ZeroAddress, type Signer } from "ethers";
import type { Staking } from "./env";
import { send, type TxOptions } from "./tx";

export type { TxOptions } from "./tx";

function as(staking: Staking, signer: Signer): Staking {
  return staking.connect(signer) as Staking;
}

/** Stake state of an account in an asset (ETH = address(0)). */
export async function stakeState(staking: Staking, account: string, asset = ZeroAddress) {
  const s = await staking.stakeOf(account, asset);
  return {
    staked: BigInt(s.staked),
    powerDownAmount: BigInt(s.powerDownAmount),
    powerDownWithdrawn: BigInt(s.powerDownWithdrawn),
    powerDownStart: BigInt(s.powerDownStart),
    power: await staking.powerOf(account, asset),
    withdrawable: await staking.withdrawable(account, asset),
  };
}

/** Locks ETH (asset address(0)) or the configured stake token. */
export async function powerUp(staking: Staking, amount: bigint, options: TxOptions & { asset?: string }) {
  const asset = options.asset ?? ZeroAddress;
  if (asset === ZeroAddress) return send(staking, "power:up", options, () => as(staking, options.signer).powerUp({ value: amount }));
  return send(staking, "power:up", options, () => as(staking, options.signer).powerUpToken(amount));
}

/** Starts unlocking `amount` in equal instalments. */
export async function powerDown(staking: Staking, amount: bigint, options: TxOptions & { asset?: string }) {
  return send(staking, "power:down", options, () => as(staking, options.signer).powerDown(options.asset ?? ZeroAddress, amount));
}

/** Cancels the active power-down. */
export async function cancelPowerDown(staking: Staking, options: TxOptions & { asset?: string }) {
  return send(staking, "power:cancel", options, () => as(staking, options.signer).cancelPowerDown(options.asset ?? ZeroAddress));
}

/** Withdraws what has unlocked to `to` (default: the signer). */
export async function withdrawUnlocked(staking: Staking, options: TxOptions & { asset?: string; to?: string }) {
  const to = options.to ?? (await options.signer.getAddress());
  return send(staking, "power:withdraw", options, () => as(staking, options.signer).withdraw(options.asset ?? ZeroAddress, to));
}
