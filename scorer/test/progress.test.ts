import { expect } from "chai";
import { createProgressReporter, describeProgress } from "../src/progress";

/** A stream that records writes; `isTTY` as given. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string[] } {
  const text: string[] = [];
  return { isTTY, text, write: (s: string) => (text.push(s), true), columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, on: () => undefined, removeListener: () => undefined } as unknown as NodeJS.WriteStream & { text: string[] };
}

describe("progress", () => {
  it("describes bytes as MB with rate and ETA, counts with a rate", () => {
    expect(describeProgress("read engagements", 50e6, 200e6, 500, 250_000)).to.equal("read engagements: 50.0 of 200.0 MB (25%), 250,000 rows, 100.0 MB/s, ETA 1.5 s");
    expect(describeProgress("read chain", 30_000, 100_000, 3000)).to.equal("read chain: 30,000 of 100,000 (30%), 10,000/s, ETA 7.0 s");
    expect(describeProgress("read chain", 100_000, 100_000, 3000)).to.equal("read chain: 100,000 of 100,000 (100%), 33,333/s");
  });

  it("not a terminal: a plain line every interval after the delay, with stage, rows, MB/s and ETA", () => {
    let t = 0;
    const stream = fakeStream(false);
    const p = createProgressReporter(stream, { delayMs: 1000, intervalMs: 5000, now: () => t });
    p.onProgress("read engagements", 0, 100e6, 0); // t = 0: stage starts
    t = 500;
    p.onProgress("read engagements", 10e6, 100e6, 50_000); // before the delay: nothing
    t = 2000;
    p.onProgress("read engagements", 40e6, 100e6, 200_000);
    t = 3000;
    p.onProgress("read engagements", 60e6, 100e6, 300_000); // within the interval: nothing
    t = 7000;
    p.onProgress("read engagements", 100e6, 100e6, 500_000);
    p.stop();
    expect(stream.text).to.deep.equal([
      "[scorer 2.0 s] read engagements: 40.0 of 100.0 MB (40%), 200,000 rows, 20.0 MB/s, ETA 3.0 s\n",
      "[scorer 7.0 s] read engagements: 100.0 of 100.0 MB (100%), 500,000 rows, 14.3 MB/s\n",
    ]);
  });

  it("a terminal gets a bar whose text shows MB and the ETA (no raw byte count)", () => {
    let t = 0;
    const stream = fakeStream(true);
    const p = createProgressReporter(stream, { delayMs: 0, now: () => t });
    p.onProgress("read engagements", 0, 188e6, 0);
    t = 1000;
    p.onProgress("read engagements", 94e6, 188e6, 500_000);
    p.stop();
    const all = stream.text.join("");
    expect(all).to.contain("94.0 of 188.0 MB (50%)");
    expect(all).to.contain("ETA 1.0 s");
    expect(all).to.not.contain("94000000");
  });
});
