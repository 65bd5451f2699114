/**
 * The base of every rewards action: a fast-check async command over the model and the real chain.
 *
 * `check()` is the precondition (can the action be formed at all in this model state, e.g. is there a
 * tree to claim from?); it must depend on the model only, so shrinking can drop commands and the rest
 * still make sense. `run()` picks the block time, acts on the chain and on the model (`act`), then checks
 * invariants 1–5 against the chain. Parameters are plain data fixed at generation; campaigns are chosen
 * by index modulo how many exist, so a shrunk sequence still names valid campaigns.
 */
import fc from "fast-check";
import { count, debug, show } from "../config";
import type { Fx } from "../fixture";
import { checkInvariants } from "../invariants";
import { type Model, promote } from "../model";

export const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length];

/** Mostly the brand (or the publisher); now and then a stranger, who must be refused. */
export const byBrandArb = fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });

/**
 * When an action runs: 0 now; 1 after waiting for what it needs (the event's end before a publish, a pending
 * root's claimableAt before a claim, the deadline before a refund...); 2–5 on one of its boundaries, to the
 * second (e.g. a claim at claimableAt − 1, claimableAt, window end − 1, window end). Never back in time.
 */
export const whenArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(1) },
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.integer({ min: 2, max: 5 }) },
);

/** The instants an action may want to run at: `natural` for when = 1, `edges` for when = 2..5. */
export interface Timing {
  natural?: bigint;
  edges: (bigint | undefined)[];
}

export abstract class RewardsCommand<P extends object> implements fc.AsyncCommand<Model, Fx> {
  abstract readonly name: string;

  constructor(readonly p: P) {}

  /** Precondition on the model; the default accepts every state. */
  check(_m: Readonly<Model>): boolean {
    return true;
  }

  /** The instants this action is drawn to (see {@link whenArb}). */
  protected timing(_m: Model): Timing {
    return { edges: [] };
  }

  /** The block time this action runs at: never earlier than one second after the model's clock. */
  protected at(m: Model): bigint {
    const t = m.t + 1n;
    const when = (this.p as { when?: number }).when;
    if (!when) return t;
    const { natural, edges } = this.timing(m);
    const defined = edges.filter((x): x is bigint => x !== undefined);
    const target = when === 1 ? natural : defined.length ? defined[(when - 2) % defined.length] : undefined;
    return target !== undefined && target > t ? target : t;
  }

  /** Acts on the chain at `t` and books the outcome in the model, asserting what the model predicts. */
  protected abstract act(m: Model, fx: Fx, t: bigint): Promise<void>;

  async run(m: Model, fx: Fx): Promise<void> {
    const t = this.at(m);
    debug(`    t=${t} ${this.toString()}`);
    m.t = t - 1n; // model time never goes back, even if this action ends up sending nothing
    for (const c of m.channels) promote(c, t);
    // A root that went live at `t` can change which tree a claim presents; if the action can no longer
    // be formed, it does nothing (the precondition held on the model as it was before time passed).
    if (!this.check(m)) {
      count("action void after promotion");
      return;
    }
    await this.act(m, fx, t);
    for (const c of m.channels) promote(c, m.chainT); // an action may have moved the clock further (e.g. a whole pause)
    count("actions run (not time)");
    await checkInvariants(fx, m, m.chainT);
  }

  toString(): string {
    return `${this.name}(${show(this.p)})`;
  }
}
