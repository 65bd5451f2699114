/** Guardian actions: pausing and unpausing claims. */
import fc from "fast-check";
import { count, GAS } from "../config";
import { expectOutcome, send } from "../chain";
import type { Fx } from "../fixture";
import type { Model } from "../model";
import { RewardsCommand } from "./base";

/** The guardian pauses (or unpauses) claims; while paused every claim must revert. */
export class SetPaused extends RewardsCommand<{ paused: boolean }> {
  readonly name = "pause";
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const r = await send(fx, m, t, () => fx.rewards.connect(fx.guardian).setClaimsPaused(this.p.paused, GAS));
    expectOutcome("setClaimsPaused", "ok", r);
    m.paused = this.p.paused;
    count(this.p.paused ? "paused" : "unpaused");
  }
}

export const guardianCommands = [
  {
    weight: 1,
    arbitrary: fc
      .record({ paused: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 2, arbitrary: fc.constant(false) }) })
      .map((p) => new SetPaused(p)),
  },
];
