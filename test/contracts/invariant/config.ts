/**
 * Knobs of the invariant suite (environment variables, see test/contracts/README.md) and the constants the
 * model and the actions share.
 */
import hre from "hardhat";
import { DAY, HOUR, WAD } from "../shared/support";

/** Under solidity-coverage (instrumented, several times slower) the default drops to 30 runs. */
export const COVERAGE = Boolean((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING);
export const NUM_RUNS = Number(process.env.INVARIANT_RUNS ?? (COVERAGE ? 30 : 200));
export const SEED = process.env.INVARIANT_SEED !== undefined ? Number(process.env.INVARIANT_SEED) : undefined;
export const PATH = process.env.INVARIANT_PATH;
/** fast-check prints it in the counterexample as `replayPath="…"`; needed with SEED and PATH to replay a shrunk sequence. */
export const REPLAY_PATH = process.env.INVARIANT_REPLAY_PATH;
export const DEBUG = process.env.INVARIANT_DEBUG === "1";
export const STATS = Boolean(process.env.INVARIANT_STATS);
export const SHRINK = process.env.INVARIANT_SHRINK !== "0";
export const REPLAYING = PATH !== undefined;

/** Longest generated sequence of rewards actions (fast-check draws 0..MAX, most between a few and MAX). */
export const MAX_COMMANDS = 40;
export const MAX_STAKING_COMMANDS = 20;

export const UNIT = 10n ** 16n; // amounts are multiples of 0.01 token
export const SCORE_STEP = 2n * WAD; // scores move in steps of 2 points (pools run dry now and then)
/** Channel rates (token wei per 1e18 score); odd and tiny ones exercise rounding. */
export const RATES = [10n ** 16n, 3n * 10n ** 16n + 1n, 5n * 10n ** 15n, 7n];
export const JUMPS = [60n, HOUR, 3n * HOUR, DAY, 3n * DAY, 8n * DAY];
export const EVENT_ENDS = [HOUR, 6n * HOUR, DAY];
export const CLAIM_WINDOWS = [DAY, 3n * DAY];
export const MAX_EVENTS = 5;
export const MAX_CHANNELS = 5;
export const GAS = { gasLimit: 3_000_000 };

/** How often each outcome happened (INVARIANT_STATS=1 prints it; the sanity check reads it). */
export const stats: Record<string, number> = {};
export function count(key: string): void {
  stats[key] = (stats[key] ?? 0) + 1;
}

export function debug(line: string): void {
  if (DEBUG) console.log(line);
}

export const lc = (a: string) => a.toLowerCase();

/** JSON with bigints as strings, for counterexamples and debug lines. */
export function show(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}
