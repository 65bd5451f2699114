import { expect } from "chai";
import fc from "fast-check";
import { allocateEvent } from "../src/allocate";
import { chainDataFromMaps } from "../src/chain-data";
import { parseConfig, SOCIAL_AI_DEFAULTS } from "../src/config";
import { engagementTable, type Engagement, type EngagementType } from "../src/engagements";
import { WAD } from "../src/fixed";
import { decayFactor, expNegWad, interactionWeight, type ModelBParticipantDetail } from "../src/model-b";
import { score } from "../src/score";
import { DAY, ETH, HOUR, participant, T0 } from "./helpers";

const P = SOCIAL_AI_DEFAULTS;

describe("model B: voting power (mana)", () => {
  it("golden: each interaction weighs the power it finds, then spends 2% of it; +20%/day, capped at 1", () => {
    // t = 1h: power 1 → weight 1, power 0.98;  t = 1h again: weight 0.98, power 0.98 − 0.0196 = 0.9604;
    // t = 25h: +24h · 0.2/day = +0.2 → 1.1604, capped to 1 → weight 1.   I = 1 + 0.98 + 1 = 2.98
    expect(interactionWeight([T0 + HOUR, T0 + HOUR, T0 + 25 * HOUR], T0, P)).to.equal(2_980000000000000000n);
    // Five at once: 1 + 0.98 + 0.9604 + 0.941192 + 0.92236816 = 4.80396016
    expect(interactionWeight([T0, T0, T0, T0, T0], T0, P)).to.equal(4_803960160000000000n);
    // Half a day later the power regrows by 0.1 only: after 1, 0.98 → power 0.9604 + 0.1 = 1.0604 → 1
    expect(interactionWeight([T0, T0, T0 + 12 * HOUR], T0, P)).to.equal(2_980000000000000000n);
    // After 0.25 day: 0.9604 + 0.05 = 1.0104 → 1; after 0.1 day: 0.9604 + 0.02 = 0.9804
    expect(interactionWeight([T0, T0, T0 + 2.4 * HOUR], T0, P)).to.equal(2_960400000000000000n);
  });

  it("property: weights never exceed 1 each and never go negative", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 14 * 24 }), { maxLength: 80 }), (hours) => {
        const times = hours.sort((a, b) => a - b).map((h) => T0 + h * HOUR);
        const I = interactionWeight(times, T0, P);
        expect(I <= BigInt(times.length) * WAD && I >= 0n).to.equal(true);
      }),
    );
  });
});

describe("model B: decay and recovery", () => {
  it("golden: exp(−λ·(t_inact − grace)) past the grace, as SPEC §3", () => {
    // λ = 0.015051502236832328 (ln(10/9)/7 floored). bc -l: e(-7λ) = 0.900000000000000004704…
    expect(expNegWad(P.lambda, 7)).to.equal(900000000000000004n);
    // Active on day 0 only, period of 15 days (last day 14): 14 silent days, 7 past the grace → 0.9
    expect(decayFactor([0], 14, P)).to.equal(900000000000000004n);
    // Within the grace: no decay.
    expect(decayFactor([0], 7, P)).to.equal(WAD);
    expect(decayFactor([0, 5, 10], 17, P)).to.equal(WAD);
  });

  it("golden: recovery restores 10% per 7 days in good standing, linearly", () => {
    // Active day 0, silent until day 21 (20 days: 13 past the grace): D = e(-13λ) = 0.822283930709947940|54…
    // Active days 21..27 (last day 27): 7 active days, each + floor(0.1/7) = 0.014285714285714285
    // D = 0.822283930709947940 + 7 · 0.014285714285714285 = 0.922283930709947935
    expect(decayFactor([0, 21, 22, 23, 24, 25, 26, 27], 27, P)).to.equal(922283930709947935n);
    // Recovery is capped at 1.
    expect(decayFactor([0, 9, ...Array.from({ length: 30 }, (_, i) => 10 + i)], 39, P)).to.equal(WAD);
  });

  it("property: D stays within (0, 1] and silence never raises it", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 30 }), (days, extra) => {
        days.sort((a, b) => a - b);
        const last = days[days.length - 1];
        const d1 = decayFactor(days, last, P);
        const d2 = decayFactor(days, last + extra, P);
        expect(d1 > 0n && d1 <= WAD).to.equal(true);
        expect(d2 <= d1).to.equal(true);
      }),
    );
  });
});

describe("model B: campaign weights", () => {
  // Worked by hand. 14-day event; defaults (w_u 1, w_c 3, w_s 2, α = β = 1, κ = 1).
  // A (stake 1 ETH) wrote P; X (not registered) wrote Q and R.
  //   id1 1h  B like P     id2 1h  B comment Q    id3 2h  X like P    id4 3h  X comment P
  //   id5 25h B retweet Q  id6 13d+2h A retweet R
  // Q_P = 1·2 likes + 3·1 comment = 5 → Q_A = 1 + 5 = 6;  Q_B = κ = 1
  // B: I = 1 + 0.98 + 1 = 2.98 (see the mana test), A = 2 days → E = 4.98;
  //    last active day 1, last day 13: 12 silent days, 5 past the grace → D = e(-5λ) = 0.927504612762417634
  //    P = 2 ETH · D = 1.855009225524835268;  w_B = 1 · 4.98 · 1.855009225524835268 = 9.237945943113679634(64) → floored
  // A: one interaction at full power: I = 1, A = 1, E = 2, D = 1, P = 1 → w_A = 6 · 2 · 1 = 12
  // Pot 1 ETH: floors A 565026393425346897, B 434973606574653102; 1 wei left → B (larger remainder)
  const A = participant("a", 0xa);
  const B = participant("b", 0xb);
  const row = (id: string, type: EngagementType, userId: string, contentId: string, author: string, time: number): Engagement => ({
    id,
    type,
    contentId,
    contentAuthorId: author,
    userId,
    time,
  });
  const rows = [
    row("1", "like", "b", "P", "a", T0 + HOUR),
    row("2", "comment", "b", "Q", "x", T0 + HOUR),
    row("3", "like", "x", "P", "a", T0 + 2 * HOUR),
    row("4", "comment", "x", "P", "a", T0 + 3 * HOUR),
    row("5", "retweet", "b", "Q", "x", T0 + 25 * HOUR),
    row("6", "retweet", "a", "R", "x", T0 + 13 * DAY + 2 * HOUR),
  ];
  const config = parseConfig({
    kind: "event",
    campaignId: "2",
    model: "social-ai",
    period: { start: "2025-01-06T00:00:00Z", end: "2025-01-20T00:00:00Z" },
    types: ["like", "retweet", "quote", "comment"],
    pot: ETH.toString(),
  });
  const chain = chainDataFromMaps({ stakes: { [A.address]: ETH, [B.address]: 2n * ETH } });

  it("matches the hand-worked example", () => {
    const r = score(engagementTable(rows), [B, A], config, chain);
    const [a, b] = r.accounts.map((x) => x.detail as ModelBParticipantDetail);
    expect(a).to.deep.equal({ quality: 6n * WAD, activeDays: 1, interactions: WAD, engagement: 2n * WAD, decay: WAD, power: WAD, weight: 12n * WAD });
    expect(b).to.deep.equal({
      quality: WAD,
      activeDays: 2,
      interactions: 2_980000000000000000n,
      engagement: 4_980000000000000000n,
      decay: 927504612762417634n,
      power: 1_855009225524835268n,
      weight: 9_237945943113679634n,
    });
    expect(allocateEvent(r.accounts, ETH).map((x) => x.amount)).to.deep.equal([565026393425346897n, 434973606574653103n]);
  });

  it("a participant without stake has no weight", () => {
    const r = score(engagementTable(rows), [A, B], config, chainDataFromMaps({ stakes: { [A.address]: ETH } }));
    expect(r.accounts[1].score).to.equal(0n);
  });
});
