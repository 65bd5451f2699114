import { expect } from "chai";
import { parseConfig, parsePot } from "../src/config";
import { InputError } from "../src/errors";

const base = { kind: "event", campaignId: "1", model: "like2earn", period: { start: "2025-01-06T00:00:00Z", end: "2025-01-13T00:00:00Z" } };

describe("the pot", () => {
  it('reads "12 ETH", decimals of ETH and wei strings exactly', () => {
    expect(parsePot("12 ETH")).to.equal(12n * 10n ** 18n);
    expect(parsePot("0.5 ETH")).to.equal(5n * 10n ** 17n);
    expect(parsePot("1.000000000000000001 eth")).to.equal(10n ** 18n + 1n);
    expect(parsePot("12000000000000000000")).to.equal(12n * 10n ** 18n);
    for (const bad of ["12 ETHER", "1.0000000000000000001 ETH", "-1", "1e18", "12 wei", ""]) expect(parsePot(bad), bad).to.equal(undefined);
    expect(parseConfig({ ...base, pot: "12 ETH" }).pot).to.equal(12n * 10n ** 18n);
  });

  it("refuses a JSON number (10 would be 10 wei) with the fix", () => {
    let e: unknown;
    try {
      parseConfig({ ...base, pot: 10 });
    } catch (x) {
      e = x;
    }
    expect(e).to.be.instanceOf(InputError);
    expect((e as InputError).field).to.equal("pot");
    expect((e as Error).message).to.contain('a JSON number is ambiguous for the pot: write "12 ETH", or wei as a string');
  });
});
