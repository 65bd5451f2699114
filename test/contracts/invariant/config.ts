/**
 * Knobs of the invariant suite (environment variables, see test/contracts/README.md) and the constants the
 * model and the actions share.
 */
import hre from "hardhat";
import { DAY, HOUR, PARAMS, type RewardsParams, WAD } from "../shared/fixtures";

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
export const MAX_COMMANDS = 36;
export const MAX_STAKING_COMMANDS = 20;

export const UNIT = 10n ** 16n; // amounts are multiples of 0.01 token
export const SCORE_STEP = 2n * WAD; // scores move in steps of 2 points (pools run dry now and then)
/** Channel rates (token wei per 1e18 score); odd and tiny ones exercise rounding. */
export const RATES = [10n ** 16n, 3n * 10n ** 16n + 1n, 5n * 10n ** 15n, 7n];
export const JUMPS = [60n, HOUR, 3n * HOUR, DAY, 3n * DAY, 8n * DAY];
export const EVENT_ENDS = [HOUR, 6n * HOUR, DAY];
/** Claim windows an event is created with: 2 hours is below the default minimum (refused unless lowered). */
export const CLAIM_WINDOWS = [2n * HOUR, DAY, 3n * DAY];
export const MAX_EVENTS = 5;
export const MAX_CHANNELS = 5;
export const GAS = { gasLimit: 3_000_000 };

/**
 * What `setParameters` is tried with: the set the fixture deploys with (the shared PARAMS), a zero challenge
 * period (roots live at once), shorter terms with a longer least claim window, and two sets the bounds refuse
 * (a rate-change notice shorter than the challenge period; a publish deadline that leaves less than an hour
 * after the challenge period).
 */
export const PARAM_SETS: RewardsParams[] = [
  PARAMS,
  { challengePeriod: 0n, publishDeadline: 2n * DAY, rateChangeNotice: HOUR, closeNotice: HOUR, minClaimWindow: HOUR },
  { challengePeriod: 6n * HOUR, publishDeadline: 3n * DAY, rateChangeNotice: 6n * HOUR, closeNotice: DAY, minClaimWindow: 2n * DAY },
  { challengePeriod: 6n * HOUR, publishDeadline: 3n * DAY, rateChangeNotice: 2n * HOUR, closeNotice: DAY, minClaimWindow: DAY },
  { challengePeriod: 2n * HOUR, publishDeadline: 2n * HOUR, rateChangeNotice: DAY, closeNotice: DAY, minClaimWindow: DAY },
];

/** The bounds of RewardsBase (its NatSpec): which parameter sets `setParameters` accepts. */
export function paramsValid(p: RewardsParams): boolean {
  const minRateNotice = p.challengePeriod > HOUR ? p.challengePeriod : HOUR;
  return (
    p.challengePeriod <= 30n * DAY &&
    p.publishDeadline >= p.challengePeriod + HOUR &&
    p.publishDeadline <= 365n * DAY &&
    p.rateChangeNotice >= minRateNotice &&
    p.rateChangeNotice <= 90n * DAY &&
    p.closeNotice >= HOUR &&
    p.closeNotice <= 90n * DAY &&
    p.minClaimWindow >= HOUR &&
    p.minClaimWindow <= 90n * DAY
  );
}

/** Gas an ETH payout forwards to its receiver (Funds.ETH_PAYOUT_GAS). */
export const ETH_PAYOUT_GAS = 50_000n;
/** Gas an ERC-20 payout forwards to the token (Funds.TOKEN_PAYOUT_GAS). */
export const TOKEN_PAYOUT_GAS = 100_000n;

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
