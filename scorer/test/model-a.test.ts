import { expect } from "chai";
import fc from "fast-check";
import { allocateEvent } from "../src/allocate";
import { chainDataFromMaps } from "../src/chain-data";
import { engagementTable, type Engagement, type EngagementType } from "../src/engagements";
import { WAD } from "../src/fixed";
import { scoreModelA, scoreModelABigint, v0Wad } from "../src/model-a";
import { prepareEngagements } from "../src/prepare";
import { score, type ModelADetail } from "../src/score";
import { addr, ETH, eventConfig, participant, T0 } from "./helpers";

const R3 = 3n * WAD;

describe("model A: v0(n)", () => {
  it("golden values, cutoff curve (r = 3)", () => {
    // v0(n) = max(0, 3 − log10 n), floored to 18 decimals. bc -l, scale=40:
    //   3 − l(2)/l(10) = 2.6989700043360188047862…  → 2.698970004336018804
    //   3 − l(3)/l(10) = 2.5228787452803375627049…  → 2.522878745280337562
    //   3 − l(4)/l(10) = 2.3979400086720376095725…  → 2.397940008672037609
    // Exact powers of ten are exact: v0(10) = 2, v0(100) = 1, v0(1000) = 0; past 1000 nothing.
    expect(v0Wad(1, R3, "cutoff")).to.equal(3n * WAD);
    expect(v0Wad(2, R3, "cutoff")).to.equal(2_698970004336018804n);
    expect(v0Wad(3, R3, "cutoff")).to.equal(2_522878745280337562n);
    expect(v0Wad(4, R3, "cutoff")).to.equal(2_397940008672037609n);
    expect(v0Wad(10, R3, "cutoff")).to.equal(2n * WAD);
    expect(v0Wad(100, R3, "cutoff")).to.equal(WAD);
    expect(v0Wad(1000, R3, "cutoff")).to.equal(0n);
    expect(v0Wad(5000, R3, "cutoff")).to.equal(0n);
  });

  it("golden values, smooth curve log10(1 + 10^r / n)", () => {
    // l(1001)/l(10) = 3.0004340774793186406689… ; l(1+1000/7)/l(10) = 2.1579314305393611764571…
    // log10(2) = 0.3010299956639811952137… (n = 1000)
    expect(v0Wad(1, R3, "smooth")).to.equal(3_000434077479318640n);
    expect(v0Wad(7, R3, "smooth")).to.equal(2_157931430539361176n);
    expect(v0Wad(1000, R3, "smooth")).to.equal(301029995663981195n);
    // n = 9000: log10(1 + 1000/9000) = log10(10/9) = 1 − 2·log10 3 = 0.0457574905606751254099…
    expect(v0Wad(9000, R3, "smooth")).to.equal(45757490560675125n);
  });

  it("never rises with n (both curves)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.constantFrom("cutoff" as const, "smooth" as const), fc.constantFrom(WAD, R3, 5n * WAD / 2n), (n, curve, r) => {
        expect(v0Wad(n + 1, r, curve) <= v0Wad(n, r, curve)).to.equal(true);
      }),
    );
  });
});

describe("model A: campaign scores", () => {
  // Worked by hand. Content "P" by A (registered); r = 3, cutoff; k_user tiers [0: 1, 1 ETH: 1.2];
  // B holds 2 ETH (k = 1.2), C and the unregistered X hold nothing (k = 1).
  //   e1  id 1   t0      B like      n=1  v = 1 · 1.2 · 3                       = 3.6
  //   e2  id 2   t0+1s   X retweet   n=2  v = 2 · 1   · 2.698970004336018804    = 5.397940008672037608
  //   e4  id 9   t0+2s   B retweet   n=3  v = 2 · 1.2 · 2.522878745280337562    = 6.0549089886728101488 → 6.054908988672810148
  //   e3  id 10  t0+2s   C comment   n=4  v = 3 · 1   · 2.397940008672037609    = 7.193820026016112827
  //       (e3 and e4 tie on time: id 9 comes before id 10, numerically)
  //   e5  id 5   t0+3s   B like      repeat of e1 (same user, content, type): dropped
  //   e6  id 6   before the period: not counted; e7 id 7 a view: type not counted
  //   Σv = 22.246669023360960583;  creator part of A = floor(0.5 · Σv) = 11.123334511680480291
  //   S_A = 11.123334511680480291   S_B = 3.6 + 6.054908988672810148 = 9.654908988672810148
  //   S_C = 7.193820026016112827    X earns nothing (not registered) but counted in n and in V.
  // Allocation of 1 ETH: ΣS = 27.972063526369403266
  //   floors: A 397658703341441276, B 345162557620072593, C 257178739038486129 (Σ = 1e18 − 2)
  //   remainders: B 27786689078988711262 > A 26561847303498392584 > C 1595590670251702686
  //   → B and A get one wei each: A 397658703341441277, B 345162557620072594, C 257178739038486129
  const A = participant("a", 0xa);
  const B = participant("b", 0xb);
  const C = participant("c", 0xc);
  const at = (s: number) => T0 + 3_600_000 + s * 1000;
  const row = (id: string, type: EngagementType, userId: string, time: number): Engagement => ({ id, type, contentId: "P", contentAuthorId: "a", userId, time });
  const rows = [
    row("1", "like", "b", at(0)),
    row("2", "retweet", "x", at(1)),
    row("10", "comment", "c", at(2)),
    row("9", "retweet", "b", at(2)),
    row("5", "like", "b", at(3)),
    row("6", "like", "c", T0 - 1),
    row("7", "view", "c", at(4)),
  ];
  const config = eventConfig({ like2earn: { kUser: { tiers: [{ min: "0", k: "1" }, { min: ETH.toString(), k: "1.2" }] } } });
  const chain = chainDataFromMaps({ balances: { [B.address]: 2n * ETH } });

  it("matches the hand-worked example", () => {
    const r = score(engagementTable(rows), [C, A, B], config, chain);
    expect(r.accounts.map((a) => a.address)).to.deep.equal([A.address, B.address, C.address]);
    expect(r.accounts.map((a) => a.score)).to.deep.equal([11_123334511680480291n, 9_654908988672810148n, 7_193820026016112827n]);
    expect((r.accounts[1].detail as ModelADetail).kUser).to.equal(1_200000000000000000n);
    expect(r.stats).to.deep.include({ rows: 7, inPeriod: 5, duplicates: 1, counted: 4 });
    const alloc = allocateEvent(r.accounts, ETH);
    expect(alloc.map((a) => a.amount)).to.deep.equal([397658703341441277n, 345162557620072594n, 257178739038486129n]);
    expect(alloc.map((a) => a.index)).to.deep.equal([0, 1, 2]);
  });

  it("does not depend on the order of the input rows", () => {
    const r1 = score(engagementTable(rows), [A, B, C], config, chain);
    const r2 = score(engagementTable([...rows].reverse()), [B, C, A], config, chain);
    expect(r2.accounts.map((a) => a.score)).to.deep.equal(r1.accounts.map((a) => a.score));
  });

  it("k_user overrides win over the tiers", () => {
    const c = eventConfig({ like2earn: { kUser: { tiers: [{ min: "0", k: "1" }], overrides: { [C.address]: "2" } } } });
    const r = score(engagementTable(rows), [A, B, C], c, chain);
    expect(r.accounts[2].score).to.equal(2n * 7_193820026016112827n);
  });

  // Random campaigns for the properties below.
  const engagementsArb = fc.array(
    fc.record({
      content: fc.integer({ min: 0, max: 3 }),
      user: fc.integer({ min: 0, max: 7 }),
      type: fc.constantFrom<EngagementType>("like", "retweet", "quote", "comment"),
      time: fc.integer({ min: 0, max: 50 }),
    }),
    { maxLength: 60 },
  );
  const toRows = (xs: { content: number; user: number; type: EngagementType; time: number }[]): Engagement[] =>
    xs.map((x, i) => ({ id: String(i), type: x.type, contentId: `c${x.content}`, contentAuthorId: `u${x.content * 2}`, userId: `u${x.user}`, time: T0 + x.time * 1000 }));
  const people = Array.from({ length: 8 }, (_, i) => participant(`u${i}`, i + 1));

  it("property: a later engagement never scores more than an earlier one of the same type and user weight", () => {
    fc.assert(
      fc.property(engagementsArb, fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.constantFrom<EngagementType>("like", "comment"), fc.constantFrom("cutoff", "smooth"), (others, t1, dt, type, curve) => {
        // "early" and "late" are registered, same k_user, engage once each on a content nobody else authors.
        const rowsOut = toRows(others).filter((r) => r.userId !== "early" && r.userId !== "late");
        rowsOut.push({ id: "e", type, contentId: "c1", contentAuthorId: "u2", userId: "early", time: T0 + t1 * 1000 });
        rowsOut.push({ id: "l", type, contentId: "c1", contentAuthorId: "u2", userId: "late", time: T0 + (t1 + dt) * 1000 });
        const cfg = eventConfig({ like2earn: { curve } });
        const r = score(engagementTable(rowsOut), [participant("early", 100), participant("late", 101)], cfg, chainDataFromMaps({}));
        const [early, late] = r.accounts.map((a) => a.score);
        expect(late <= early, `late ${late} > early ${early}`).to.equal(true);
      }),
      { numRuns: 200 },
    );
  });

  it("property: the fast (limb) sums equal the bigint reference", () => {
    fc.assert(
      fc.property(engagementsArb, fc.constantFrom("cutoff", "smooth"), fc.array(fc.constantFrom("1", "1.2", "1.5", "7.25"), { minLength: 8, maxLength: 8 }), (xs, curve, ks) => {
        const t = engagementTable(toRows(xs));
        const cfg = eventConfig({ like2earn: { curve, r: "2.5" } });
        const prepared = prepareEngagements(t, cfg.period, cfg.types);
        const pOf = new Int32Array(t.userIds.length).fill(-1);
        t.userIds.forEach((u, i) => {
          if (Number(u.slice(1)) % 3 !== 0) pOf[i] = i;
        });
        const kOf = t.userIds.map((u) => BigInt(Math.round(Number(ks[Number(u.slice(1))]) * 100)) * 10n ** 16n);
        const fast = scoreModelA(t, prepared, cfg.like2earn!, pOf, kOf, t.userIds.length);
        const slow = scoreModelABigint(t, prepared, cfg.like2earn!, pOf, kOf, t.userIds.length);
        expect(fast).to.deep.equal(slow);
      }),
      { numRuns: 150 },
    );
  });

  it("property: registering one more participant leaves every other score unchanged", () => {
    fc.assert(
      fc.property(engagementsArb, fc.integer({ min: 0, max: 7 }), (xs, extra) => {
        const t = engagementTable(toRows(xs));
        const without = people.filter((_, i) => i !== extra);
        const r1 = score(t, without, eventConfig(), chainDataFromMaps({}));
        const r2 = score(t, people, eventConfig(), chainDataFromMaps({}));
        const byAddr = new Map(r2.accounts.map((a) => [a.address, a.score]));
        for (const a of r1.accounts) expect(byAddr.get(a.address)).to.equal(a.score);
      }),
      { numRuns: 100 },
    );
  });

  it("property: the same inputs give the same scores (a fresh run, rows shuffled)", () => {
    fc.assert(
      fc.property(engagementsArb, fc.integer(), (xs, seed) => {
        const rowsIn = toRows(xs);
        const shuffled = [...rowsIn].sort((a, b) => ((Number(a.id) * 7919 + seed) % 101) - ((Number(b.id) * 7919 + seed) % 101));
        const r1 = score(engagementTable(rowsIn), people, eventConfig(), chainDataFromMaps({}));
        const r2 = score(engagementTable(shuffled), [...people].reverse(), eventConfig(), chainDataFromMaps({}));
        expect(r2.accounts).to.deep.equal(r1.accounts);
      }),
      { numRuns: 100 },
    );
  });

  it("counts non-registered engagers in n and in V", () => {
    const rowsIn: Engagement[] = [
      { id: "1", type: "like", contentId: "P", contentAuthorId: "a", userId: "stranger", time: at(0) },
      { id: "2", type: "like", contentId: "P", contentAuthorId: "a", userId: "b", time: at(1) },
    ];
    const r = score(engagementTable(rowsIn), [A, B], eventConfig(), chainDataFromMaps({}));
    // B is n = 2: v = 2.698970004336018804; A gets 0.5 · (3 + 2.698970004336018804) = 2.849485002168009402
    expect(r.accounts.map((a) => a.score)).to.deep.equal([2_849485002168009402n, 2_698970004336018804n]);
    void addr;
  });
});
