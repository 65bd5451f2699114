/**
 * The brand console's pure rules (claim-page/src/brand/plans.ts) and the page's amount formatting, as properties:
 * the "1,000 points = X" rate round-trips to the contract's rate exactly, the time pickers round-trip to the minute,
 * an action is offered only when the contract would accept it, and a rounded amount is always marked as rounded.
 * Run by `npm run test:claim-page` (part of `npm test`).
 */
import { expect } from "chai";
import fc from "fast-check";
import { parseUnits } from "ethers";
import { channelView, eventView, localInputToUnix, parseAmount, rateFromPer1000, rateText, unixToLocalInput, type BrandChannel, type BrandEvent } from "../src/brand/plans";
import { exactAmount, formatAmount, isRounded } from "../src/format";

const ZERO = "0x" + "00".repeat(32);
const ROOT = "0x" + "11".repeat(32);
const ETH = { address: "0x0000000000000000000000000000000000000000", symbol: "ETH", decimals: 18 };

describe("brand console rules", function () {
  it("'1,000 points = X' gives back the contract's rate exactly, at 6 and 18 decimals", function () {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.constantFrom(6, 18), (rate, decimals) => {
        const per1000 = exactAmount(rate * 1000n, decimals);
        expect(rateFromPer1000(per1000, decimals).rate).to.equal(rate);
        expect(rateText(rate, { ...ETH, decimals })).to.equal(`1,000 points = ${per1000} ETH`);
      }),
    );
    expect(rateFromPer1000("0.000000000000000001", 18).error).to.match(/not divisible/);
    expect(rateFromPer1000("abc", 18).error).to.match(/Enter what 1,000 points pay/);
  });

  it("amounts parse exactly and reject more decimals than the token has", function () {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 40n }), fc.constantFrom(0, 6, 18), (units, decimals) => {
        expect(parseAmount(exactAmount(units, decimals), decimals)).to.equal(units);
      }),
    );
    expect(parseAmount("1.0000001", 6)).to.equal(undefined);
    expect(parseAmount("0", 18)).to.equal(undefined);
    expect(parseAmount("1,5", 18)).to.equal(parseUnits("1.5", 18));
  });

  for (const tz of ["UTC", "Asia/Kolkata"]) {
    it(`local time pickers round-trip to the minute (${tz})`, function () {
      const saved = process.env.TZ;
      process.env.TZ = tz;
      try {
        fc.assert(
          fc.property(fc.bigInt({ min: 0n, max: 4_000_000_000n }), (t) => {
            expect(localInputToUnix(unixToLocalInput(t))).to.equal(t - (t % 60n));
          }),
        );
      } finally {
        process.env.TZ = saved;
      }
      expect(localInputToUnix("2026-13-01T00:00")).to.equal(undefined);
      expect(localInputToUnix("")).to.equal(undefined);
    });
  }

  const eventArb = fc.record({
    start: fc.bigInt({ min: 0n, max: 1000n }),
    length: fc.bigInt({ min: 1n, max: 1000n }),
    claimWindow: fc.bigInt({ min: 1n, max: 1000n }),
    deadlineAfter: fc.bigInt({ min: 0n, max: 1000n }),
    posted: fc.boolean(),
    postedAfter: fc.bigInt({ min: 0n, max: 1000n }),
    challenge: fc.bigInt({ min: 0n, max: 1000n }),
    vetoed: fc.boolean(),
    settled: fc.boolean(),
    now: fc.bigInt({ min: 0n, max: 5000n }),
  });

  it("an event offers veto / refund / withdraw / top-up only when the contract allows it", function () {
    fc.assert(
      fc.property(eventArb, (a) => {
        const end = a.start + a.length;
        const claimableAt = end + a.postedAfter + a.challenge;
        const e: BrandEvent = {
          id: 1n,
          token: ETH,
          start: a.start,
          end,
          claimWindow: a.claimWindow,
          publishDeadline: end + a.deadlineAfter,
          funded: 10n,
          total: 0n,
          claimed: 0n,
          settled: a.settled,
          root: { root: a.posted ? ROOT : ZERO, claimableAt: a.posted ? claimableAt : 0n, vetoed: a.posted && a.vetoed },
          challengePeriod: a.challenge,
          // The contract reports the close only while a root is live (later by any pause: here, none).
          claimsCloseAt: a.posted && !a.vetoed ? claimableAt + a.claimWindow : 0n,
        };
        const v = eventView(e, a.now);
        const live = a.posted && !a.vetoed && a.now >= claimableAt;
        // vetoEventRoot: a root pending and in its challenge period.
        expect(v.actions.includes("veto")).to.equal(a.posted && !a.vetoed && a.now < claimableAt);
        // withdrawUnclaimed: not settled, a live root whose claim window is over.
        expect(v.actions.includes("withdraw")).to.equal(!a.settled && live && a.now > claimableAt + a.claimWindow);
        // refundEvent: not settled, past the publish deadline, no non-vetoed root.
        expect(v.actions.includes("refund")).to.equal(!a.settled && a.now > e.publishDeadline && !(a.posted && !a.vetoed));
        // fundEvent: before the end.
        expect(v.actions.includes("top-up")).to.equal(!a.settled && a.now < end);
        expect(v.actions.includes("refund") && v.actions.includes("withdraw")).to.equal(false);
      }),
    );
  });

  it("a channel offers withdraw only after its close, veto only during a pending root's challenge period", function () {
    fc.assert(
      fc.property(
        fc.record({ closesAt: fc.bigInt({ min: 0n, max: 2000n }), withdrawn: fc.boolean(), pendingAt: fc.bigInt({ min: 0n, max: 2000n }), pending: fc.boolean(), vetoed: fc.boolean(), now: fc.bigInt({ min: 1n, max: 3000n }) }),
        (a) => {
          const c: BrandChannel = {
            id: 1n,
            token: ETH,
            rate: 1n,
            pendingRate: 0n,
            rateEffectiveAt: 0n,
            closesAt: a.closesAt,
            balance: 5n,
            withdrawn: a.withdrawn,
            live: { root: ZERO, claimableAt: 0n, vetoed: false },
            pending: { root: a.pending ? ROOT : ZERO, claimableAt: a.pendingAt, vetoed: a.vetoed },
            pendingEpoch: 1n,
            rateChangeNotice: 3600n,
            closeNotice: 86400n,
            funded: 5n,
            claimed: 0n,
          };
          const v = channelView(c, a.now);
          expect(v.actions.includes("withdraw")).to.equal(a.closesAt !== 0n && a.now >= a.closesAt && !a.withdrawn);
          expect(v.actions.includes("veto")).to.equal(a.pending && !a.vetoed && a.now < a.pendingAt);
          expect(v.actions.includes("announce-close")).to.equal(a.closesAt === 0n);
        },
      ),
    );
  });
});

describe("claim page amounts", function () {
  it("shows an amount exactly, or marks it as rounded (≈ / <) and keeps the exact figure", function () {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 36n }), fc.constantFrom(6, 18), (units, decimals) => {
        const shown = formatAmount(units, decimals);
        const exact = exactAmount(units, decimals);
        if (isRounded(units, decimals)) {
          expect(shown).to.match(/^(≈ |< )/);
          expect(shown).not.to.equal(exact);
        } else {
          expect(shown).to.equal(exact);
        }
        expect(parseUnits(exact, decimals)).to.equal(units);
      }),
    );
  });
});
