/**
 * Guardian and admin actions: pausing and unpausing claims (with time passing while paused), and the
 * admin's parameter changes between campaign creations.
 */
import fc from "fast-check";
import { count, GAS, JUMPS, PARAM_SETS, paramsValid } from "../config";
import { expectOutcome, send } from "../chain";
import type { Fx } from "../fixture";
import { noPauseShortensAWindow, readWindows } from "../invariants";
import type { Model } from "../model";
import { RewardsCommand } from "./base";

/**
 * Sets the pause flag at `t` (by the guardian, or a stranger who must be refused) and keeps the model's
 * claim clock: a pause stops it, an unpause adds the pause's length to the time spent paused. At the end of
 * a pause, invariant 12 compares every claim window and close with what was left when the pause began.
 */
async function setPaused(m: Model, fx: Fx, t: bigint, paused: boolean, byGuardian: boolean): Promise<void> {
  const who = byGuardian ? fx.guardian : fx.stranger;
  const r = await send(fx, m, t, () => fx.rewards.connect(who).setClaimsPaused(paused, GAS));
  expectOutcome(`setClaimsPaused(${paused})`, byGuardian ? "ok" : "revert", r);
  if (!r.ok) return;
  const p = m.pause;
  if (paused && !p.paused) {
    m.pause = { paused: true, pausedAt: t, pausedTotal: p.pausedTotal };
    m.atPause = await readWindows(fx, m, t);
    count("paused");
  } else if (!paused && p.paused) {
    m.pause = { paused: false, pausedAt: 0n, pausedTotal: p.pausedTotal + (t - p.pausedAt) };
    noPauseShortensAWindow(m.atPause!, await readWindows(fx, m, t));
    m.atPause = undefined;
    count(t > p.pausedAt ? "unpaused after time passed" : "unpaused");
  } else {
    count("pause state set again");
  }
}

/** The guardian pauses or unpauses claims; while paused every claim and every brand withdrawal must revert. */
export class SetPaused extends RewardsCommand<{ paused: boolean; byGuardian: boolean }> {
  readonly name = "pause";
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    await setPaused(m, fx, t, this.p.paused, this.p.byGuardian);
  }
}

/** A whole pause: the guardian pauses now and unpauses after `hold` (a jump), nothing else happening meanwhile. */
export class PauseFor extends RewardsCommand<{ hold: number }> {
  readonly name = "pauseFor";
  check(m: Readonly<Model>): boolean {
    return !m.pause.paused;
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    await setPaused(m, fx, t, true, true);
    await setPaused(m, fx, t + JUMPS[this.p.hold], false, true);
  }
}

/** The admin (or a stranger, refused) sets the parameters campaigns created from now on copy. */
export class SetParameters extends RewardsCommand<{ set: number; byAdmin: boolean }> {
  readonly name = "setParameters";
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    const p = PARAM_SETS[this.p.set];
    const who = this.p.byAdmin ? fx.admin : fx.stranger;
    const ok = this.p.byAdmin && paramsValid(p);
    const r = await send(fx, m, t, () =>
      fx.rewards.connect(who).setParameters(p.challengePeriod, p.publishDeadline, p.rateChangeNotice, p.closeNotice, p.minClaimWindow, GAS),
    );
    expectOutcome(`setParameters #${this.p.set}`, ok ? "ok" : "revert", r);
    if (r.ok) {
      m.params = p;
      count("parameters changed");
    }
  }
}

export const guardianCommands = [
  {
    weight: 1,
    arbitrary: fc
      .record({
        paused: fc.boolean(),
        byGuardian: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      })
      .map((p) => new SetPaused(p)),
  },
  { weight: 1, arbitrary: fc.record({ hold: fc.nat(JUMPS.length - 1) }).map((p) => new PauseFor(p)) },
  {
    weight: 1,
    arbitrary: fc
      .record({ set: fc.nat(PARAM_SETS.length - 1), byAdmin: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) })
      .map((p) => new SetParameters(p)),
  },
];
