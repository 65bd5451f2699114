/**
 * Guardian and admin actions: pausing and unpausing claims (with time passing while paused), and the
 * admin's parameter changes between campaign creations.
 */
import fc from "fast-check";
import { count, GAS, JUMPS, PARAM_SETS, paramsValid } from "../config";
import { expectOutcome, send } from "../chain";
import type { Fx } from "../fixture";
import { noPauseShortensAWindow, readWindows } from "../invariants";
import { currentEventRoot, type Model, unixOf } from "../model";
import { pick, RewardsCommand } from "./base";
import { tryWithdrawChannel } from "./channels";
import { tryRefund, tryWithdrawUnclaimed, windowEnd } from "./events";

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

/**
 * The attack of issue 8 (a pause handing users' rewards to the brand): the guardian pauses, the brand waits
 * until the campaign's window would have ended without the pause (or the refund deadline, or `hold` if
 * later) and tries to take the money back (withdraw the unclaimed rest or the channel's rest, or refund);
 * then the guardian unpauses. With `late`, the pause only begins once the exit has opened. While paused only a refund (no root standing) may pass; after the unpause,
 * invariant 12 checks that the users' time left is intact.
 */
export class PauseAndExit extends RewardsCommand<{ channel: boolean; idx: number; hold: number; to: number; late: boolean }> {
  readonly name = "pauseAndExit";
  check(m: Readonly<Model>): boolean {
    return !m.pause.paused;
  }
  protected async act(m: Model, fx: Fx, t: bigint): Promise<void> {
    // A campaign the brand has not exited yet, if any (that is where there is something to take).
    const openChannels = m.channels.filter((x) => !x.withdrawn);
    const openEvents = m.events.filter((x) => !x.settled);
    const c = this.p.channel ? pick(openChannels.length ? openChannels : m.channels, this.p.idx) : undefined;
    const e = this.p.channel ? undefined : pick(openEvents.length ? openEvents : m.events, this.p.idx);
    // When the exit would open if nothing were paused (as it stands before the pause).
    const opens = c ? unixOf(m, c.closesClock, t) : currentEventRoot(e!) ? windowEnd(m, e!, t)! : e!.rootDeadline + 1n;
    // `late`: the pause comes only once the exit has opened (a pause still blocks it: users can't claim).
    const pauseAt = this.p.late && opens > t ? opens : t;
    await setPaused(m, fx, pauseAt, true, true);
    let at = pauseAt + JUMPS[this.p.hold];
    if (opens > at) at = opens;
    if (c) await tryWithdrawChannel(m, fx, at, c, true, this.p.to);
    else if (currentEventRoot(e!)) await tryWithdrawUnclaimed(m, fx, at, e!, true, this.p.to);
    else await tryRefund(m, fx, at, e!, true, this.p.to);
    await setPaused(m, fx, at + 1n, false, true);
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
    weight: 2,
    arbitrary: fc
      .record({
        channel: fc.boolean(),
        idx: fc.nat(9),
        hold: fc.nat(JUMPS.length - 1),
        to: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(2) }),
        late: fc.boolean(),
      })
      .map((p) => new PauseAndExit(p)),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ set: fc.nat(PARAM_SETS.length - 1), byAdmin: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) })
      .map((p) => new SetParameters(p)),
  },
];
