import { expect } from "chai";
import fc from "fast-check";
import { allocateEvent } from "../src/allocate";
import { eventLeaves, EVENT_LEAF_ENCODING } from "../src/format/leaves";
import { chainDataFromMaps } from "../src/chain-data";
import { engagementTable, type Engagement, type EngagementType } from "../src/engagements";
import { score } from "../src/score";
import { buildTree } from "../src/tree";
import { ETH, eventConfig, participant, T0 } from "./helpers";

describe("determinism: the same inputs give the same allocations and root", () => {
  const people = Array.from({ length: 10 }, (_, i) => participant(`u${i}`, 0x1000 + i * 7919));
  const rowsArb = fc.array(
    fc.record({
      c: fc.integer({ min: 0, max: 4 }),
      u: fc.integer({ min: 0, max: 14 }),
      type: fc.constantFrom<EngagementType>("like", "retweet", "quote", "comment", "view"),
      t: fc.integer({ min: -3, max: 200 }),
    }),
    { minLength: 1, maxLength: 80 },
  );

  it("property: rows and participants in any order → identical leaves and root", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.integer({ min: 1, max: 1_000_000 }), async (xs, salt) => {
        const rows: Engagement[] = xs.map((x, i) => ({
          id: String(1000 + i),
          type: x.type,
          contentId: `c${x.c}`,
          contentAuthorId: `u${x.c * 3}`,
          userId: `u${x.u}`,
          time: T0 + x.t * 60_000,
        }));
        const shuffled = rows.map((r, i) => ({ r, k: (i * 2654435761 + salt) % 1009 })).sort((a, b) => a.k - b.k).map((x) => x.r);
        const config = eventConfig({ pot: (3n * ETH + 7n).toString() });
        const chain = chainDataFromMaps({});
        const run = async (rs: Engagement[], ps: typeof people) => {
          const result = score(engagementTable(rs), ps, config, chain);
          if (result.total === 0n) return null;
          const leaves = eventLeaves(config.campaignId, allocateEvent(result.accounts, config.pot!));
          return { leaves, root: (await buildTree(leaves, EVENT_LEAF_ENCODING)).root };
        };
        const a = await run(rows, people);
        const b = await run(shuffled, [...people].reverse());
        expect(b).to.deep.equal(a);
      }),
      { numRuns: 40 },
    );
  });
});
