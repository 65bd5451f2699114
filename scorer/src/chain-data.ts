/**
 * On-chain inputs as plain data: what `onchain.ts` reads from an RPC and what the pure core takes.
 * Written beside the outputs as `onchain.json` (format `like2earn-onchain-v1`) so that `verify`
 * can re-run without an archive node; its hash is in the manifest.
 */
import { checkAddress, compareAddresses, ZERO_ADDRESS } from "./address";
import { ManifestError } from "./errors";

export interface AccountChainData {
  /** ETH balance at the snapshot block, wei. */
  readonly balance: bigint;
  /** Powered-up ETH (asset address(0)) at the snapshot, wei. */
  readonly ethPower: bigint;
  /** Powered-up amount of the campaign's power asset at the snapshot, wei (= ethPower for ETH). */
  readonly assetPower: bigint;
}

export interface ChainData {
  /** Decimal chain id. */
  readonly chainId: string;
  readonly snapshotBlock: number;
  /** Unix seconds of the snapshot block. */
  readonly snapshotTimestamp: number;
  /** PowerStaking address, or null when no staking contract was read (all power 0). */
  readonly staking: string | null;
  readonly powerAsset: string;
  /** By lowercase address; a missing account has zero balance and power. */
  readonly accounts: ReadonlyMap<string, AccountChainData>;
}

export const ONCHAIN_FORMAT = "like2earn-onchain-v1";

const ZERO: AccountChainData = { balance: 0n, ethPower: 0n, assetPower: 0n };

export function accountChainData(chain: ChainData, address: string): AccountChainData {
  return chain.accounts.get(address.toLowerCase()) ?? ZERO;
}

/**
 * Chain data from plain maps (for tests, the bench and callers that read the chain their own way).
 * `balances` and `stakes` are keyed by address (any case); `stakes` is the power in `powerAsset`,
 * and also the ETH power when `powerAsset` is ETH.
 */
export function chainDataFromMaps(input: {
  readonly balances?: ReadonlyMap<string, bigint> | Record<string, bigint>;
  readonly ethPower?: ReadonlyMap<string, bigint> | Record<string, bigint>;
  readonly stakes?: ReadonlyMap<string, bigint> | Record<string, bigint>;
  readonly powerAsset?: string;
  readonly chainId?: string;
  readonly snapshotBlock?: number;
  readonly snapshotTimestamp?: number;
  readonly staking?: string | null;
}): ChainData {
  const powerAsset = input.powerAsset ?? ZERO_ADDRESS;
  const entries = (m: ReadonlyMap<string, bigint> | Record<string, bigint> | undefined): [string, bigint][] =>
    m === undefined ? [] : m instanceof Map ? [...m] : Object.entries(m as Record<string, bigint>);
  const acc = new Map<string, { balance: bigint; ethPower: bigint; assetPower: bigint }>();
  const get = (a: string) => {
    const check = checkAddress(a);
    if (!check.ok) throw new RangeError(check.problem);
    const key = check.address.toLowerCase();
    let v = acc.get(key);
    if (!v) acc.set(key, (v = { balance: 0n, ethPower: 0n, assetPower: 0n }));
    return v;
  };
  for (const [a, v] of entries(input.balances)) get(a).balance = v;
  for (const [a, v] of entries(input.stakes)) {
    get(a).assetPower = v;
    if (BigInt(powerAsset) === 0n) get(a).ethPower = v;
  }
  for (const [a, v] of entries(input.ethPower)) get(a).ethPower = v;
  return {
    chainId: input.chainId ?? "31337",
    snapshotBlock: input.snapshotBlock ?? 0,
    snapshotTimestamp: input.snapshotTimestamp ?? 0,
    staking: input.staking ?? null,
    powerAsset,
    accounts: acc,
  };
}

/** The `onchain.json` document: accounts (lowercase) in address order, amounts as decimal strings. */
export function chainDataToJson(c: ChainData): Record<string, unknown> {
  const accounts: Record<string, { balance: string; ethPower: string; assetPower: string }> = {};
  for (const a of [...c.accounts.keys()].sort(compareAddresses)) {
    const v = c.accounts.get(a)!;
    accounts[a] = { balance: v.balance.toString(), ethPower: v.ethPower.toString(), assetPower: v.assetPower.toString() };
  }
  return {
    format: ONCHAIN_FORMAT,
    chainId: c.chainId,
    snapshotBlock: c.snapshotBlock,
    snapshotTimestamp: c.snapshotTimestamp,
    staking: c.staking,
    powerAsset: c.powerAsset,
    accounts,
  };
}

/** Loads an `onchain.json` document; checks the format. */
export function chainDataFromJson(json: unknown, file: string): ChainData {
  const o = json as Record<string, unknown>;
  if (o === null || typeof o !== "object" || o.format !== ONCHAIN_FORMAT) {
    throw new ManifestError(`${file} is not a ${ONCHAIN_FORMAT} document (format: ${JSON.stringify(o?.format)})`);
  }
  const accounts = new Map<string, AccountChainData>();
  const uint = (v: unknown, what: string): bigint => {
    if (typeof v !== "string" || !/^\d+$/.test(v)) throw new ManifestError(`${file}: ${what} is not a decimal integer string`);
    return BigInt(v);
  };
  for (const [a, v] of Object.entries((o.accounts ?? {}) as Record<string, Record<string, unknown>>)) {
    const check = checkAddress(a);
    if (!check.ok) throw new ManifestError(`${file}: account ${check.problem}`);
    accounts.set(check.address.toLowerCase(), {
      balance: uint(v.balance, `${a}.balance`),
      ethPower: uint(v.ethPower, `${a}.ethPower`),
      assetPower: uint(v.assetPower, `${a}.assetPower`),
    });
  }
  if (typeof o.chainId !== "string" || typeof o.snapshotBlock !== "number" || typeof o.snapshotTimestamp !== "number" || typeof o.powerAsset !== "string") {
    throw new ManifestError(`${file}: chainId, snapshotBlock, snapshotTimestamp or powerAsset missing`);
  }
  return {
    chainId: o.chainId,
    snapshotBlock: o.snapshotBlock,
    snapshotTimestamp: o.snapshotTimestamp,
    staking: typeof o.staking === "string" ? o.staking : null,
    powerAsset: o.powerAsset,
    accounts,
  };
}
