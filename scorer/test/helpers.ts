/** Shared test fixtures for the scorer tests (not a test file itself). */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { parseConfig, type CampaignConfig } from "../src/config";
import { InputError } from "../src/errors";
import type { Participant } from "../src/ingest/participants";
import type { ChainReader } from "../src/onchain";

export const T0 = Date.parse("2025-01-06T00:00:00Z");
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const ETH = 10n ** 18n;

/** A valid address from a small number (0x000…0n). */
export function addr(n: number): string {
  return `0x${n.toString(16).padStart(40, "0")}`;
}

export function participant(userId: string, n: number): Participant {
  return { userId, handle: `h_${userId}`.slice(0, 15), address: addr(n) };
}

export function eventConfig(overrides: Record<string, unknown> = {}): CampaignConfig {
  return parseConfig({
    kind: "event",
    campaignId: "1",
    model: "like2earn",
    period: { start: "2025-01-06T00:00:00Z", end: "2025-01-13T00:00:00Z" },
    types: ["like", "retweet", "quote", "comment"],
    pot: ETH.toString(),
    ...overrides,
  });
}

export function tmpDir(prefix = "scorer-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes files into a fresh temp dir; returns the dir. */
export function writeFiles(files: Record<string, string>): string {
  const dir = tmpDir();
  for (const [name, text] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(join(p, ".."), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

/** A snapshot of a directory tree (names, sizes and contents) to prove it was not touched. */
export function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = readFileSync(p, "utf8");
    }
  };
  walk(dir, "");
  return out;
}

/** Asserts that `fn` rejects with an InputError naming the file, line and field. */
export async function expectInputError(fn: () => Promise<unknown>, file: string, line: number, field: string, problem?: RegExp): Promise<InputError> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, "expected an InputError").to.be.instanceOf(InputError);
  const e = caught as InputError;
  expect(e.file.endsWith(file), `file ${e.file}`).to.equal(true);
  expect(e.line, `line in: ${e.message}`).to.equal(line);
  expect(e.field, `field in: ${e.message}`).to.equal(field);
  expect(e.message).to.contain(`${file}:${line}`);
  expect(e.message).to.contain(`field "${field}"`);
  if (problem) expect(e.message).to.match(problem);
  return e;
}

/** A fake chain: fixed balances, StakeUpdated logs and PowerStaking views. */
export function fakeChain(input: {
  chainId?: bigint;
  blockNumber?: number;
  timestamp?: number;
  balances?: Record<string, bigint>;
  logs?: { blockNumber: number; index: number; topics: string[]; data: string }[];
  instalments?: bigint;
  interval?: bigint;
  /** Timestamp of each block (default: `timestamp` for all). */
  timestampOf?: (block: number) => number;
  /** The code at an address (default: some code everywhere). */
  code?: (address: string, block?: number) => string;
}): ChainReader & { calls: string[] } {
  const calls: string[] = [];
  const { AbiCoder } = require("ethers") as typeof import("ethers");
  const coder = AbiCoder.defaultAbiCoder();
  return {
    calls,
    async getNetwork() {
      return { chainId: input.chainId ?? 31337n };
    },
    async getBlockNumber() {
      return input.blockNumber ?? 10;
    },
    async getBlock(n: number) {
      calls.push(`getBlock ${n}`);
      return n <= (input.blockNumber ?? 10) ? { number: n, timestamp: input.timestampOf?.(n) ?? input.timestamp ?? 1_736_726_400 } : null;
    },
    async getBalance(a: string, tag?: number) {
      calls.push(`getBalance ${a} ${tag}`);
      const hit = Object.entries(input.balances ?? {}).find(([k]) => k.toLowerCase() === a.toLowerCase());
      return hit ? hit[1] : 0n;
    },
    async getLogs(f) {
      calls.push(`getLogs ${f.fromBlock}..${f.toBlock}`);
      return (input.logs ?? []).filter((l) => l.blockNumber >= f.fromBlock && l.blockNumber <= f.toBlock);
    },
    async getCode(a: string, tag?: number) {
      calls.push(`getCode ${a} @${tag}`);
      return input.code ? input.code(a, tag) : "0x60";
    },
    async call(tx) {
      calls.push(`call ${tx.data.slice(0, 10)} @${tx.blockTag}`);
      const { Interface } = require("ethers") as typeof import("ethers");
      if (tx.data.startsWith("0x82ad56cb")) {
        // Multicall3.aggregate3 of getEthBalance calls, decoded and answered with ethers' own coder.
        const mc = new Interface([
          "function aggregate3((address target,bool allowFailure,bytes callData)[] calls) returns ((bool success,bytes returnData)[])",
          "function getEthBalance(address) view returns (uint256)",
        ]);
        const [list] = mc.decodeFunctionData("aggregate3", tx.data);
        const results = (list as { target: string; allowFailure: boolean; callData: string }[]).map((c) => {
          const [who] = mc.decodeFunctionData("getEthBalance", c.callData);
          const hit = Object.entries(input.balances ?? {}).find(([k]) => k.toLowerCase() === String(who).toLowerCase());
          return { success: true, returnData: coder.encode(["uint256"], [hit ? hit[1] : 0n]) };
        });
        return mc.encodeFunctionResult("aggregate3", [results]);
      }
      const iface = new Interface(["function instalments() view returns (uint32)", "function instalmentInterval() view returns (uint32)"]);
      const fn = iface.parseTransaction({ data: tx.data })!.name;
      return coder.encode(["uint32"], [fn === "instalments" ? (input.instalments ?? 4n) : (input.interval ?? 604_800n)]);
    },
  };
}

/** The error `p` rejects with (fails the test when it resolves). */
export async function rejects(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}
