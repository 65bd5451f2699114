/**
 * ETH balances in batches at the snapshot block (an edge: RPC), by one of two readers:
 *
 * - Multicall3's `getEthBalance`: one `eth_call` of `aggregate3` reads `batchSize` balances instead of one
 *   `eth_getBalance` per account: 100,000 participants are ~100 calls rather than 100,000. Works on every
 *   chain with the standard deployment; the default on real chains.
 * - A state-override `eth_call` (balance-override.ts): the same balances without Multicall3's nested calls,
 *   ~10× faster on a Hardhat node; the default on local chains (31337, 1337), on request elsewhere.
 *
 * `ratePerSecond` spaces the calls for hosted RPC providers with request limits.
 *
 * Multicall3 is deployed at {@link MULTICALL3_ADDRESS} on nearly every EVM chain. A local Hardhat chain
 * does not have it: {@link installMulticall3} puts the code there (`hardhat_setCode`), which the deploy
 * flow, the tests and the benchmark do before any snapshot block (code set later is not visible at an
 * older block). A chain without code there is refused with the fix, never read as all-zero balances.
 */
import { ChainError } from "./errors";
import { MULTICALL3_RUNTIME_CODE } from "./multicall3-code";
import { OVERRIDE_BATCH_DEFAULT, readPackedBalances } from "./balance-override";

export const MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11";
export { MULTICALL3_RUNTIME_CODE };

/** What the batch reader needs of a provider. */
export interface MulticallReader {
  call(tx: { to: string; data: string; blockTag?: number }): Promise<string>;
  getCode(address: string, blockTag?: number): Promise<string>;
  /**
   * An `eth_call` straight over HTTP (what the CLI's connection offers): ethers' provider spends ~10× the
   * node's own time validating a 300 KB answer, which made 100 batches cost seconds.
   */
  rawCall?(tx: { to: string; data: string; blockTag: number }): Promise<string>;
  /** An `eth_call` with `code` put at `tx.to` for that call only (state override); see balance-override.ts. */
  callWithCode?(tx: { to: string; data: string; blockTag: number }, code: string): Promise<string>;
}

/** Which reader: "auto" is the state override on local chains (31337, 1337), Multicall3 elsewhere. */
export type BalanceReaderMode = "auto" | "multicall3" | "state-override";
export const BALANCE_READER_MODES: readonly BalanceReaderMode[] = ["auto", "multicall3", "state-override"];

export interface BalanceBatchOptions {
  /** Default "auto". */
  readonly reader?: BalanceReaderMode;
  /** Balances per call (default 1,000 through Multicall3, 4,000 through the state override). */
  readonly batchSize?: number;
  /** At most this many calls started per second (default: no limit). */
  readonly ratePerSecond?: number;
  /** Calls in flight at once (default 4). */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

const AGGREGATE3 = "82ad56cb";
const GET_ETH_BALANCE = "4d2301cc";
const TARGET_WORD = MULTICALL3_ADDRESS.slice(2).toLowerCase().padStart(64, "0");
const FALSE_WORD = "0".repeat(64);
const CALL_OFFSET_WORD = (0x60).toString(16).padStart(64, "0");
const CALL_LENGTH_WORD = (0x24).toString(16).padStart(64, "0");
const word = (n: number) => n.toString(16).padStart(64, "0");

/**
 * `aggregate3([{target: Multicall3, allowFailure: false, callData: getEthBalance(a)} …])`, ABI-encoded by
 * hand: every element has the same 192-byte layout (target, allowFailure, offset 0x60, length 36,
 * 36 bytes of call data padded to 64), so encoding is string concatenation. Tested against ethers' coder.
 */
export function encodeBalanceBatch(accounts: readonly string[]): string {
  const n = accounts.length;
  const parts: string[] = [`0x${AGGREGATE3}`, word(0x20), word(n)];
  for (let i = 0; i < n; i++) parts.push(word(n * 32 + i * 192));
  for (const a of accounts) {
    const hex = a.slice(2).toLowerCase();
    parts.push(TARGET_WORD, FALSE_WORD, CALL_OFFSET_WORD, CALL_LENGTH_WORD, GET_ETH_BALANCE, hex.padStart(64, "0"), "0".repeat(56));
  }
  return parts.join("");
}

/** Decodes `aggregate3`'s `Result[]` of `getEthBalance` calls into balances; checks every offset and length. */
export function decodeBalanceBatch(data: string, expected: number): bigint[] {
  const hex = data.startsWith("0x") ? data.slice(2) : data;
  const at = (byte: number): number => {
    const w = hex.slice(byte * 2, byte * 2 + 64);
    if (w.length !== 64) throw new ChainError("Multicall3 returned a short answer");
    const v = Number.parseInt(w, 16);
    if (!Number.isSafeInteger(v)) throw new ChainError("Multicall3 returned a malformed answer");
    return v;
  };
  const array = at(0);
  const n = at(array);
  if (n !== expected) throw new ChainError(`Multicall3 returned ${n} results for ${expected} calls`);
  const content = array + 32;
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const element = content + at(content + 32 * i);
    if (at(element) !== 1) throw new ChainError(`Multicall3: getEthBalance call ${i} failed`);
    const bytes = element + at(element + 32);
    if (at(bytes) !== 32) throw new ChainError(`Multicall3: getEthBalance call ${i} returned ${at(bytes)} bytes`);
    out[i] = BigInt(`0x${hex.slice((bytes + 32) * 2, (bytes + 64) * 2)}`);
  }
  return out;
}

/** The node's own words for a failed call, short (ethers' messages carry the whole 200 KB request). */
export function rpcProblem(e: unknown): string {
  const x = e as { info?: { error?: { message?: unknown } }; shortMessage?: unknown; message?: unknown };
  const text = String(x?.info?.error?.message ?? x?.shortMessage ?? x?.message ?? e).split("\n")[0];
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

type BatchRead = (slice: readonly string[], from: number) => Promise<bigint[]>;

/** Runs `read` over `accounts` in batches: `concurrency` in flight, at most `ratePerSecond` started a second. */
async function inBatches(accounts: readonly string[], batchSize: number, options: BalanceBatchOptions, read: BatchRead, out: bigint[], startAt = 0): Promise<void> {
  const spacing = options.ratePerSecond && options.ratePerSecond > 0 ? 1000 / options.ratePerSecond : 0;
  const batches: number[] = [];
  for (let i = startAt; i < accounts.length; i += batchSize) batches.push(i);
  let next = 0;
  let done = startAt;
  let nextStart = Date.now();
  const worker = async () => {
    while (next < batches.length) {
      const from = batches[next++];
      if (spacing > 0) {
        const wait = nextStart - Date.now();
        nextStart = Math.max(nextStart, Date.now()) + spacing;
        if (wait > 0) await sleep(wait);
      }
      const slice = accounts.slice(from, from + batchSize);
      const values = await read(slice, from);
      for (let k = 0; k < values.length; k++) out[from + k] = values[k];
      done += slice.length;
      options.onProgress?.(done, accounts.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, batches.length) }, worker));
}

const isLocalChain = (chainId: bigint) => chainId === 31337n || chainId === 1337n;

/**
 * Reads the ETH balance of every account at `blockTag`, in order: through the state-override reader or
 * Multicall3 (see {@link BalanceReaderMode}). "auto" falls back to Multicall3 when a local node refuses or
 * ignores the override (its first batch), so the answer is exact either way; "state-override" fails instead.
 * Multicall3 fails with the fix when the chain has no code for it at that block.
 */
export async function readEthBalances(
  reader: MulticallReader,
  accounts: readonly string[],
  blockTag: number,
  chainId: bigint,
  options: BalanceBatchOptions = {},
): Promise<bigint[]> {
  if (accounts.length === 0) return [];
  const mode = options.reader ?? "auto";
  const given = options.batchSize === undefined ? undefined : Math.max(1, Math.floor(options.batchSize));
  const out = new Array<bigint>(accounts.length);
  const callWithCode = reader.callWithCode?.bind(reader);
  if (mode === "state-override" && !callWithCode) throw new ChainError("--balance-reader state-override: this connection cannot send an eth_call with a state override");
  let overrideProblem: string | undefined;
  if (callWithCode && (mode === "state-override" || (mode === "auto" && isLocalChain(chainId)))) {
    const batchSize = given ?? OVERRIDE_BATCH_DEFAULT;
    const read: BatchRead = async (slice, from) => {
      try {
        return await readPackedBalances({ callWithCode }, slice, blockTag);
      } catch (e) {
        throw new ChainError(`reading ${slice.length} balances (accounts ${from + 1}..${from + slice.length}) with a state-override eth_call at block ${blockTag} failed: ${rpcProblem(e)}`, {
          details: [
            mode === "auto"
              ? "Lower --balance-batch, or read through Multicall3 with --balance-reader multicall3."
              : "A node without eth_call state overrides: --balance-reader multicall3. A provider that limits call size or gas: lower --balance-batch.",
          ],
          cause: e,
        });
      }
    };
    // The first batch alone: it tells whether the node takes the override.
    let first: bigint[] | undefined;
    try {
      first = await read(accounts.slice(0, batchSize), 0);
    } catch (e) {
      if (mode !== "auto") throw e;
      overrideProblem = e instanceof ChainError ? e.shortMessage : String((e as Error).message).split("\n")[0];
    }
    if (first) {
      first.forEach((v, k) => (out[k] = v));
      options.onProgress?.(first.length, accounts.length);
      await inBatches(accounts, batchSize, options, read, out, first.length);
      return out;
    }
  }
  const code = await reader.getCode(MULTICALL3_ADDRESS, blockTag);
  if (code === "0x" || code === "") {
    throw new ChainError(`Multicall3 has no code at ${MULTICALL3_ADDRESS} on chain ${chainId} at block ${blockTag}: ETH balances are read through it`, {
      details: [
        isLocalChain(chainId)
          ? "On a local Hardhat chain install it before the snapshot block: `npx hardhat multicall:install --network localhost` (the deploy and the demo do it)."
          : "Every major chain has the standard deployment at that address (https://www.multicall3.com); on this one deploy it first, or give a config with one k_user tier (no balances needed).",
        ...(overrideProblem ? [`(Multicall3 was the fallback: ${overrideProblem})`] : []),
      ],
    });
  }
  const read: BatchRead = async (slice, from) => {
    let raw: string;
    try {
      const tx = { to: MULTICALL3_ADDRESS, data: encodeBalanceBatch(slice), blockTag };
      raw = reader.rawCall ? await reader.rawCall(tx) : await reader.call(tx);
    } catch (e) {
      throw new ChainError(`reading ${slice.length} balances (accounts ${from + 1}..${from + slice.length}) through Multicall3 at block ${blockTag} failed: ${rpcProblem(e)}`, {
        details: ["A provider that limits call size or rate: lower --balance-batch or set --balance-rate."],
        cause: e,
      });
    }
    return decodeBalanceBatch(raw, slice.length);
  };
  await inBatches(accounts, given ?? 1000, options, read, out);
  return out;
}

/** What installing needs: a provider that takes raw JSON-RPC (Hardhat's, or ethers' JsonRpcProvider). */
export interface RawRpc {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/**
 * Local chains only: puts Multicall3's code at its standard address when nothing is there. Returns true
 * when it installed it. Refuses any chain but Hardhat's (31337) and 1337, where `hardhat_setCode` exists.
 */
export async function installMulticall3(rpc: RawRpc): Promise<boolean> {
  const chainId = BigInt((await rpc.send("eth_chainId", [])) as string);
  const code = (await rpc.send("eth_getCode", [MULTICALL3_ADDRESS, "latest"])) as string;
  if (code !== "0x") return false;
  if (chainId !== 31337n && chainId !== 1337n) throw new ChainError(`Multicall3 is missing on chain ${chainId}; only a local Hardhat chain can have it installed this way`);
  await rpc.send("hardhat_setCode", [MULTICALL3_ADDRESS, MULTICALL3_RUNTIME_CODE]);
  return true;
}
