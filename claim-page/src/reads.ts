/**
 * Contract reads, batched through Multicall3 and typed from the compiled ABIs: each read names a view function
 * of a TypeChain contract type (generated from the same artifacts the page's ABIs come from), so its arguments
 * and its decoded result are checked by the compiler. A batch of reads is one `eth_call` to Multicall3's
 * `aggregate3` (each item may fail on its own); where no Multicall3 is deployed the reads go one by one.
 */
import { Interface, type InterfaceAbi, type Result } from "ethers";
import { erc20Abi, multicallAbi, rewardsAbi, stakingAbi } from "virtual:l2e-abi";
import type { TypedContractMethod } from "../../typechain-types/common";
import type { IERC20Metadata } from "../../typechain-types/@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata";
import type { ILike2EarnRewards } from "../../typechain-types/contracts/interfaces/ILike2EarnRewards";
import type { IPowerStaking } from "../../typechain-types/contracts/interfaces/IPowerStaking";
import type { Multicall3 } from "../../typechain-types/contracts/vendor/Multicall3";
import type { Rpc } from "./wallet";

/** The canonical Multicall3 address (the same on most EVM chains; installed there on local test nodes). */
export const MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11";

/* eslint-disable @typescript-eslint/no-explicit-any */
type ViewName<C> = { [K in keyof C]-?: C[K] extends TypedContractMethod<infer _A, infer _R, infer S> ? (S extends "view" ? K : never) : never }[keyof C] & string;
type ArgsOf<M> = M extends TypedContractMethod<infer A, infer _R, infer _S> ? A : never;
type ReturnOf<M> = M extends TypedContractMethod<infer _A, infer R, infer _S> ? (R extends Array<any> ? R[0] : R) : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The decoded result of a view function of the rewards / staking contract. */
export type RewardsOut<K extends ViewName<ILike2EarnRewards>> = ReturnOf<ILike2EarnRewards[K]>;
export type StakingOut<K extends ViewName<IPowerStaking>> = ReturnOf<IPowerStaking[K]>;

/** One view call, not yet sent; `T` is its decoded result. */
export interface Read<T> {
  readonly target: string;
  readonly iface: Interface;
  readonly fn: string;
  readonly args: readonly unknown[];
  /** Phantom: the decoded result's type. */
  readonly __result?: T;
}

export const ifaces = {
  rewards: new Interface(rewardsAbi),
  staking: new Interface(stakingAbi),
  erc20: new Interface(erc20Abi),
  multicall: new Interface(multicallAbi),
};

function reader<C>(iface: Interface) {
  return <K extends ViewName<C>>(target: string, fn: K, ...args: ArgsOf<C[K]>): Read<ReturnOf<C[K]>> => ({ target, iface, fn, args });
}

export const rewardsRead = reader<ILike2EarnRewards>(ifaces.rewards);
export const stakingRead = reader<IPowerStaking>(ifaces.staking);
export const erc20Read = reader<IERC20Metadata>(ifaces.erc20);
export const multicallRead = reader<Multicall3>(ifaces.multicall);

/** A read that reverted; `data` is the revert data, which {@link explainError} decodes. */
export class ReadFailure extends Error {
  override name = "ReadFailure";
  constructor(
    readonly read: Read<unknown>,
    readonly data: string,
  ) {
    super(`${read.fn} reverted`);
  }
}

type Results<T extends readonly Read<unknown>[]> = { -readonly [I in keyof T]: T[I] extends Read<infer R> ? R : never };
type Settled<T extends readonly Read<unknown>[]> = { -readonly [I in keyof T]: T[I] extends Read<infer R> ? R | ReadFailure : never };

function decode(read: Read<unknown>, data: string): unknown {
  const out: Result = read.iface.decodeFunctionResult(read.fn, data);
  return out.length === 1 ? out[0] : out;
}

/** Sends batches of reads: through Multicall3 when it has code on the chain, else one `eth_call` each. */
export class Reader {
  private multicallPresent?: Promise<boolean>;
  /** Number of `eth_call`s this reader made (for the page's diagnostics and the browser test). */
  ethCalls = 0;

  constructor(
    readonly rpc: Rpc,
    readonly multicall: string = MULTICALL3,
  ) {}

  private hasMulticall(): Promise<boolean> {
    this.multicallPresent ??= this.rpc
      .request<string>("eth_getCode", [this.multicall, "latest"])
      .then((code) => code !== "0x" && code !== "0x0")
      .catch(() => false);
    return this.multicallPresent;
  }

  /** Every read's result, or a {@link ReadFailure} in its place when it reverted. */
  async settle<T extends readonly Read<unknown>[]>(reads: T): Promise<Settled<T>> {
    if (reads.length === 0) return [] as unknown as Settled<T>;
    if (await this.hasMulticall()) {
      const calls = reads.map((r) => ({ target: r.target, allowFailure: true, callData: r.iface.encodeFunctionData(r.fn, [...r.args]) }));
      const data = ifaces.multicall.encodeFunctionData("aggregate3", [calls]);
      this.ethCalls++;
      const raw = await this.rpc.request<string>("eth_call", [{ to: this.multicall, data }, "latest"]);
      const [results] = ifaces.multicall.decodeFunctionResult("aggregate3", raw) as unknown as [{ success: boolean; returnData: string }[]];
      return reads.map((r, i) => (results[i].success ? decode(r, results[i].returnData) : new ReadFailure(r, results[i].returnData))) as Settled<T>;
    }
    return (await Promise.all(
      reads.map(async (r) => {
        this.ethCalls++;
        try {
          return decode(r, await this.rpc.request<string>("eth_call", [{ to: r.target, data: r.iface.encodeFunctionData(r.fn, [...r.args]) }, "latest"]));
        } catch (e) {
          const data = (e as { data?: unknown }).data;
          if (typeof data === "string" && data.startsWith("0x")) return new ReadFailure(r, data);
          throw e;
        }
      }),
    )) as Settled<T>;
  }

  /** Every read's result; throws the first {@link ReadFailure}. */
  async all<T extends readonly Read<unknown>[]>(reads: T): Promise<Results<T>> {
    const out = await this.settle(reads);
    for (const v of out as unknown[]) if (v instanceof ReadFailure) throw v;
    return out as unknown as Results<T>;
  }
}

/** Every ABI the page knows, for decoding revert data and logs. */
export const allAbis: InterfaceAbi[] = [rewardsAbi, stakingAbi, erc20Abi, multicallAbi];
