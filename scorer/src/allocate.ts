/**
 * Allocation (SPEC §5): scores to leaves. Pure; output in address order, the leaf index is the
 * position in that order.
 */
import { compareAddresses, sortByAddress } from "./address";
import { ScoreDecreasedError, ScorerError } from "./errors";

export interface ScoredAccount {
  readonly address: string;
  readonly score: bigint;
  readonly handle?: string;
}

export interface Allocation {
  /** Leaf index (position in address order). */
  readonly index: number;
  readonly address: string;
  readonly handle: string;
  /** Score, WAD. For a channel: the cumulative score, which is also the leaf value. */
  readonly score: bigint;
  /** Event: wei paid. Channel: the leaf's cumulative score (= score). */
  readonly amount: bigint;
}

/** Thrown when nothing can be allocated (no positive score). */
export class NothingToAllocateError extends ScorerError {
  override name = "NothingToAllocateError";
}

function checkDistinct(sorted: readonly ScoredAccount[]): void {
  for (let i = 1; i < sorted.length; i++) {
    if (compareAddresses(sorted[i - 1].address, sorted[i].address) === 0) {
      throw new ScorerError(`account ${sorted[i].address} appears twice in the scores`);
    }
  }
}

/**
 * Event allocation: `T_u = floor(B · S_u / ΣS)`, then the wei left over go one each to the largest
 * remainders `B · S_u mod ΣS` (ties: lower address first). Σ T_u = B exactly. Accounts with a zero
 * score, and accounts left with 0 wei, get no leaf.
 */
export function allocateEvent(scores: readonly ScoredAccount[], pot: bigint): Allocation[] {
  if (pot <= 0n) throw new ScorerError(`the pot must be positive, got ${pot}`);
  const positive = scores.filter((s) => {
    if (s.score < 0n) throw new ScorerError(`negative score ${s.score} for ${s.address}`);
    return s.score > 0n;
  });
  const sorted = sortByAddress(positive, (s) => s.address);
  checkDistinct(sorted);
  const total = sorted.reduce((a, s) => a + s.score, 0n);
  if (total === 0n) throw new NothingToAllocateError("no participant has a positive score: nothing to allocate");
  const amounts = sorted.map((s) => (pot * s.score) / total);
  const remainders = sorted.map((s) => (pot * s.score) % total);
  let left = pot - amounts.reduce((a, b) => a + b, 0n);
  // left < number of accounts, since each remainder is below `total`.
  const byRemainder = sorted.map((_, i) => i).sort((i, j) => (remainders[i] > remainders[j] ? -1 : remainders[i] < remainders[j] ? 1 : i - j));
  for (let k = 0; left > 0n; k++, left--) amounts[byRemainder[k]] += 1n;
  const out: Allocation[] = [];
  sorted.forEach((s, i) => {
    if (amounts[i] > 0n) out.push({ index: out.length, address: s.address, handle: s.handle ?? "", score: s.score, amount: amounts[i] });
  });
  return out;
}

/** Channel allocation: one leaf per account with a positive cumulative score, in address order. */
export function allocateChannel(scores: readonly ScoredAccount[]): Allocation[] {
  const sorted = sortByAddress(
    scores.filter((s) => s.score > 0n),
    (s) => s.address,
  );
  checkDistinct(sorted);
  if (sorted.length === 0) throw new NothingToAllocateError("no participant has a positive score: nothing to publish");
  return sorted.map((s, index) => ({ index, address: s.address, handle: s.handle ?? "", score: s.score, amount: s.score }));
}

/**
 * Refuses a channel epoch in which any account's cumulative score is below the previous epoch's
 * (an account that had a leaf and has none now counts as 0). Throws {@link ScoreDecreasedError}
 * naming the account and both values.
 */
export function checkCumulative(
  previous: ReadonlyMap<string, bigint>,
  current: readonly ScoredAccount[],
  previousEpoch: number,
  epoch: number,
): void {
  if (!(epoch > previousEpoch)) throw new ScorerError(`epoch ${epoch} does not follow the previous epoch ${previousEpoch}`);
  const now = new Map<string, bigint>();
  for (const s of current) now.set(s.address.toLowerCase(), s.score);
  for (const account of [...previous.keys()].sort(compareAddresses)) {
    const before = previous.get(account)!;
    const after = now.get(account.toLowerCase()) ?? 0n;
    if (after < before) throw new ScoreDecreasedError(account, before, after, previousEpoch, epoch);
  }
}

// The leaves of these allocations are built by format/leaves.ts (`eventLeaves`, `channelLeaves`).
