/**
 * Time travel: the test owns the clock (every transaction is mined at the timestamp the model chose), so
 * passing time is a change of the model's clock only; the next transaction lands there.
 */
import fc from "fast-check";
import { count, debug, JUMPS } from "../config";
import type { Fx } from "../fixture";
import { currentEventRoot, type Model, pendingChannelRoot, unixOf } from "../model";
import { RewardsCommand } from "./base";

/** Lets a fixed span of time pass. */
export class TimeJump extends RewardsCommand<{ jump: number }> {
  readonly name = "time";
  protected async act(): Promise<void> {}
  async run(m: Model): Promise<void> {
    debug(`    t=${m.t} ${this.toString()}`);
    m.t += JUMPS[this.p.jump];
  }
}

/** Every boundary the model knows about, shifted by `offset`, strictly after `t`, nearest first. */
function futureBoundaries(m: Readonly<Model>, offset: bigint, t: bigint): bigint[] {
  const boundaries: bigint[] = [];
  for (const e of m.events) {
    const r = currentEventRoot(e);
    boundaries.push(e.end, e.rootDeadline + 1n);
    if (r) boundaries.push(r.claimableAt, unixOf(m, r.closesClock, t));
  }
  for (const c of m.channels) {
    const p = pendingChannelRoot(c);
    if (p) boundaries.push(p.claimableAt);
    if (c.pendingRate !== 0n) boundaries.push(unixOf(m, c.rateEffectiveClock, t));
    if (c.closesClock !== 0n) boundaries.push(unixOf(m, c.closesClock, t));
  }
  return [...new Set(boundaries.map((b) => b + offset))].filter((b) => b > t).sort((x, y) => (x < y ? -1 : 1));
}

/**
 * Jumps so that the next transaction lands on (or next to) a boundary: an event's end, a root's
 * claimableAt, a claim window's end, a publish deadline, a rate's effective time, a close.
 */
export class TimeToBoundary extends RewardsCommand<{ which: number; offset: bigint }> {
  readonly name = "timeToBoundary";
  check(m: Readonly<Model>): boolean {
    return futureBoundaries(m, this.p.offset, m.t + 1n).length > 0;
  }
  protected async act(): Promise<void> {}
  async run(m: Model, _fx: Fx): Promise<void> {
    debug(`    t=${m.t} ${this.toString()}`);
    const future = futureBoundaries(m, this.p.offset, m.t + 1n);
    // Mostly the nearest boundaries, so sequences move through a campaign's life in order.
    m.t = future[this.p.which % Math.min(future.length, 3)] - 1n;
    count("time to boundary");
  }
}

export const timeCommands = [
  { weight: 2, arbitrary: fc.record({ jump: fc.nat(JUMPS.length - 1) }).map((p) => new TimeJump(p)) },
  {
    weight: 5,
    arbitrary: fc
      .record({ which: fc.nat(7), offset: fc.constantFrom(-1n, 0n, 0n, 1n, 1n, 60n) })
      .map((p) => new TimeToBoundary(p)),
  },
];
