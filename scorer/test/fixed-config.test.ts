import { expect } from "chai";
import fc from "fast-check";
import { configToJson, DEFAULT_LAMBDA, parseConfig, parseConfigText } from "../src/config";
import { formatWad, formatWadFixed, mulDiv, parseWad, WAD } from "../src/fixed";
import { parseIsoTime } from "../src/time";
import { eventConfig } from "./helpers";

describe("fixed point", () => {
  it("parses decimal strings exactly and formats them back canonically", () => {
    expect(parseWad("0.1")).to.equal(10n ** 17n);
    expect(parseWad("3")).to.equal(3n * WAD);
    expect(parseWad("0.000000000000000001")).to.equal(1n);
    expect(parseWad("0.0000000000000000001")).to.equal(undefined); // 19 decimals: not exact
    expect(parseWad("-1")).to.equal(undefined);
    expect(parseWad("1e3")).to.equal(undefined);
    expect(formatWad(1_500_000_000_000_000_000n)).to.equal("1.5");
    expect(formatWadFixed(1n)).to.equal("0.000000000000000001");
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), (x) => parseWad(formatWad(x)) === x));
  });

  it("mulDiv rounds as asked", () => {
    expect(mulDiv(7n, 3n, 2n)).to.equal(10n); // 10.5 floored
    expect(mulDiv(7n, 3n, 2n, "ceil")).to.equal(11n);
    expect(mulDiv(6n, 3n, 2n, "ceil")).to.equal(9n); // exact: no rounding up
    expect(() => mulDiv(-1n, 1n, 1n)).to.throw(RangeError);
  });

  it("parses strict ISO 8601 date-times only", () => {
    expect(parseIsoTime("2025-01-06T00:00:00Z")).to.equal(Date.UTC(2025, 0, 6));
    expect(parseIsoTime("2025-01-06T02:00:00.5+02:00")).to.equal(Date.UTC(2025, 0, 6) + 500);
    for (const bad of ["2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2025-01-06", "2025-01-06T00:00:00", "yesterday", "2025-01-06T24:00:00Z"]) {
      expect(parseIsoTime(bad), bad).to.equal(undefined);
    }
    expect(parseIsoTime("2024-02-29T23:59:59Z")).to.be.a("number");
  });
});

describe("campaign config", () => {
  it("fills SPEC defaults and records them canonically", () => {
    const c = eventConfig();
    const a = c.like2earn!;
    expect(a.r).to.equal(3n * WAD);
    expect(a.curve).to.equal("cutoff");
    expect(a.kEngage).to.deep.equal({ view: WAD / 10n, like: WAD, retweet: 2n * WAD, quote: 2n * WAD, comment: 3n * WAD });
    expect(a.kCreator).to.equal(WAD / 2n);
    expect(c.snapshotBlock).to.equal("period-end");
    expect(c.stake).to.equal("time-weighted");
    const json = configToJson(c);
    expect(parseConfig(json)).to.deep.equal(c); // the manifest's parameters re-parse to the same config
  });

  it("defaults model B to SPEC §3, λ = ln(10/9)/7 floored to 18 decimals", () => {
    // ln(10/9)/7 = 0.0150515022368323287467… (bc -l: l(10/9)/7) → floored 0.015051502236832328
    expect(DEFAULT_LAMBDA).to.equal(15051502236832328n);
    const c = parseConfig({ kind: "channel", campaignId: "7", model: "social-ai", epoch: 1, period: { start: "2025-01-06T00:00:00Z", end: "2025-01-13T00:00:00Z" } });
    const b = c.socialAi!;
    expect([b.delta, b.rho, b.recoveryRate, b.kappa]).to.deep.equal([WAD / 50n, WAD / 5n, WAD / 10n, WAD]);
    expect([b.graceDays, b.recoveryPeriodDays]).to.deep.equal([7, 7]);
    expect(c.types).to.deep.equal(["like"]);
    expect(parseConfig(configToJson(c))).to.deep.equal(c);
  });

  it("names the line and field of a bad value", () => {
    const text = `{
  "kind": "event",
  "campaignId": "1",
  "model": "like2earn",
  "period": { "start": "2025-01-06T00:00:00Z", "end": "2025-01-13T00:00:00Z" },
  "pot": "1000",
  "like2earn": {
    "kCreator": "1.5"
  }
}`;
    expect(() => parseConfigText(text, "event.config.json")).to.throw('event.config.json:8 field "like2earn.kCreator": k_creator must be strictly between 0 and 1');
    expect(() => parseConfigText(text.replace('"1.5"', '"half"'), "c.json")).to.throw('c.json:8 field "like2earn.kCreator": expected a non-negative decimal string');
    expect(() => parseConfigText(text.replace('"kCreator"', '"kCreater"'), "c.json")).to.throw('c.json:8 field "like2earn.kCreater": unknown field');
    // No pot: read from the chain when scoring (pot.test.ts); the parsed config says so with null.
    expect(parseConfigText(text.replace('"pot": "1000",', "").replace('"1.5"', '"0.5"'), "c.json").pot).to.equal(null);
  });
});
