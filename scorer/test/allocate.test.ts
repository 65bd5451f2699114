import { expect } from "chai";
import fc from "fast-check";
import { allocateChannel, allocateEvent, checkCumulative, NothingToAllocateError } from "../src/allocate";
import { ScoreDecreasedError } from "../src/errors";
import { addr } from "./helpers";

const scoresArb = fc.uniqueArray(fc.record({ n: fc.integer({ min: 1, max: 10_000 }), score: fc.bigInt({ min: 0n, max: 10n ** 24n }) }), {
  minLength: 1,
  maxLength: 40,
  selector: (s) => s.n,
});
const toScores = (xs: { n: number; score: bigint }[]) => xs.map((x) => ({ address: addr(x.n), score: x.score }));

describe("allocation: event (largest remainders)", () => {
  it("golden: floors, then one wei each to the largest remainders, ties to the lower address", () => {
    // Pot 10 wei over scores 1, 1, 1: floors 3, 3, 3; 1 wei left; all remainders equal (1 of 3)
    // → the lowest address gets it.
    expect(allocateEvent([{ address: addr(3), score: 1n }, { address: addr(1), score: 1n }, { address: addr(2), score: 1n }], 10n).map((a) => [a.address, a.amount])).to.deep.equal([
      [addr(1), 4n],
      [addr(2), 3n],
      [addr(3), 3n],
    ]);
    // Pot 100 over 5, 3, 2 (Σ 10): exact 50, 30, 20.
    expect(allocateEvent([{ address: addr(1), score: 5n }, { address: addr(2), score: 3n }, { address: addr(3), score: 2n }], 100n).map((a) => a.amount)).to.deep.equal([50n, 30n, 20n]);
    // Pot 7 over 6, 3, 1 (Σ 10): 4.2, 2.1, 0.7 → floors 4, 2, 0 (1 left) → largest remainder 0.7.
    expect(allocateEvent([{ address: addr(1), score: 6n }, { address: addr(2), score: 3n }, { address: addr(3), score: 1n }], 7n).map((a) => a.amount)).to.deep.equal([4n, 2n, 1n]);
  });

  it("leaves out zero scores and zero amounts; leaf indices follow address order", () => {
    const out = allocateEvent([{ address: addr(9), score: 0n }, { address: addr(5), score: 10n ** 18n }, { address: addr(2), score: 1n }], 3n);
    expect(out.map((a) => [a.index, a.address, a.amount])).to.deep.equal([[0, addr(5), 3n]]);
    expect(() => allocateEvent([{ address: addr(1), score: 0n }], 5n)).to.throw(NothingToAllocateError);
  });

  it("property: amounts sum to the pot exactly", () => {
    fc.assert(
      fc.property(scoresArb, fc.bigInt({ min: 1n, max: 10n ** 30n }), (xs, pot) => {
        const scores = toScores(xs);
        if (scores.every((s) => s.score === 0n)) return;
        const out = allocateEvent(scores, pot);
        expect(out.reduce((s, a) => s + a.amount, 0n)).to.equal(pot);
        for (let i = 1; i < out.length; i++) expect(out[i - 1].address < out[i].address).to.equal(true);
      }),
      { numRuns: 300 },
    );
  });

  it("golden: the 1-wei paradox of largest remainders (documented in README)", () => {
    // Pot 2 over 10, 1, 3 (Σ 14): exact 1.43, 0.14, 0.43 → floors 1, 0, 0; 1 wei left; remainders
    //   (2·S mod 14) 6, 2, 6: a tie → the lower address → [2, 0, 0].
    // Adding a fourth account with score 1 (Σ 15): 1.33, 0.13, 0.4, 0.13 → floors 1, 0, 0, 0; 1 left
    //   → remainders 5, 2, 6, 2 → the third account → [1, 0, 1, 0]: its exact share fell (0.43 → 0.4)
    //   yet it gains the rounding wei.
    const s = [10n, 1n, 3n].map((score, i) => ({ address: addr(i + 1), score }));
    expect(allocateEvent(s, 2n).map((a) => a.amount)).to.deep.equal([2n]);
    expect(allocateEvent([...s, { address: addr(4), score: 1n }], 2n).map((a) => [a.address, a.amount])).to.deep.equal([
      [addr(1), 1n],
      [addr(3), 1n],
    ]);
  });

  it("property: adding a participant never raises another's share (and its wei by at most the 1-wei rounding)", () => {
    // The exact share B·S_u/ΣS can only fall when ΣS grows. Largest remainders can still hand an
    // account the one rounding wei it did not get before (the "new states paradox" of Hamilton's
    // method), so in wei the bound is: new amount ≤ old amount + 1, and ≤ ceil(old exact share).
    fc.assert(
      fc.property(scoresArb, fc.bigInt({ min: 1n, max: 10n ** 24n }), fc.bigInt({ min: 1n, max: 10n ** 22n }), (xs, newScore, pot) => {
        const scores = toScores(xs).filter((s) => s.score > 0n);
        if (scores.length === 0) return;
        const newcomer = { address: addr(20_000), score: newScore };
        const before = new Map(allocateEvent(scores, pot).map((a) => [a.address, a.amount]));
        const after = allocateEvent([...scores, newcomer], pot);
        const total = scores.reduce((s, x) => s + x.score, 0n);
        for (const a of after) {
          if (a.address === newcomer.address) continue;
          const s = scores.find((x) => x.address === a.address)!.score;
          // exact shares: s/(total + new) < s/total
          expect(s * total < s * (total + newScore)).to.equal(true);
          const old = before.get(a.address) ?? 0n;
          const ceilOld = (pot * s + total - 1n) / total;
          expect(a.amount <= old + 1n && a.amount <= ceilOld, `${a.amount} vs ${old}`).to.equal(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("allocation: channel (cumulative scores)", () => {
  it("one leaf per positive score, in address order", () => {
    const out = allocateChannel([{ address: addr(3), score: 5n }, { address: addr(1), score: 0n }, { address: addr(2), score: 7n }]);
    expect(out.map((a) => [a.index, a.address, a.amount])).to.deep.equal([
      [0, addr(2), 7n],
      [1, addr(3), 5n],
    ]);
  });

  it("refuses an epoch in which a cumulative score went down, naming the account and both values", () => {
    const prev = new Map([
      [addr(1), 10n],
      [addr(2), 20n],
    ]);
    expect(() => checkCumulative(prev, [{ address: addr(1), score: 10n }, { address: addr(2), score: 25n }], 1, 2)).not.to.throw();
    let e: unknown;
    try {
      checkCumulative(prev, [{ address: addr(1), score: 11n }, { address: addr(2), score: 19n }], 1, 2);
    } catch (x) {
      e = x;
    }
    expect(e).to.be.instanceOf(ScoreDecreasedError);
    expect((e as Error).message).to.contain(`cumulative score of ${addr(2)} went down from 20 (epoch 1) to 19 (epoch 2)`);
    // An account that vanished counts as 0.
    expect(() => checkCumulative(prev, [{ address: addr(2), score: 30n }], 1, 2)).to.throw(`${addr(1)} went down from 10 (epoch 1) to 0`);
    expect(() => checkCumulative(prev, [], 2, 2)).to.throw("does not follow");
  });
});
