/**
 * The errors of the scorer and of the scripts and tasks (one module, browser-safe). Every error thrown on
 * purpose is a {@link ScorerError}: its `shortMessage` says what failed in one line, `details` carries the values,
 * `cause` the error that led to it. Input errors name the file, the line and the field, so a publisher can fix the
 * input; the scripts' {@link Like2EarnError} lists what disagrees. The scorer CLI and the Hardhat tasks print any
 * ScorerError as `error: <message>` without a stack; anything else is a bug.
 */

export interface ScorerErrorOptions {
  /** Extra lines shown under the short message (values, how to fix it). */
  readonly details?: readonly string[];
  readonly cause?: unknown;
}

/** Base class of every error the scorer throws on purpose. */
export class ScorerError extends Error {
  override name = "ScorerError";
  readonly shortMessage: string;
  readonly details: readonly string[];

  constructor(shortMessage: string, options: ScorerErrorOptions = {}) {
    const details = options.details ?? [];
    super([shortMessage, ...details.map((d) => `  ${d}`)].join("\n"), { cause: options.cause });
    this.shortMessage = shortMessage;
    this.details = details;
  }
}

export interface InputLocation {
  /** The file as the user named it. */
  readonly file: string;
  /** 1-based line number; 0 when the problem concerns the whole file. */
  readonly line: number;
  /** The field, as a dotted path (`timestamp`, `like2earn.kUser.tiers.1.min`, `data.3.id`). */
  readonly field: string;
}

/**
 * A bad input value. The message reads
 * `engagements.ndjson:1234 field "timestamp": "2024-13-01" is not an ISO 8601 date-time`.
 */
export class InputError extends ScorerError {
  override name = "InputError";
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly problem: string;

  constructor(location: InputLocation, problem: string, options: ScorerErrorOptions = {}) {
    const where = location.line > 0 ? `${location.file}:${location.line}` : location.file;
    super(`${where} field "${location.field}": ${problem}`, options);
    this.file = location.file;
    this.line = location.line;
    this.field = location.field;
    this.problem = problem;
  }
}

/** A channel epoch would lower an account's cumulative score: refusing to publish it. */
export class ScoreDecreasedError extends ScorerError {
  override name = "ScoreDecreasedError";
  constructor(
    readonly account: string,
    readonly previous: bigint,
    readonly current: bigint,
    readonly previousEpoch: number,
    readonly epoch: number,
  ) {
    super(
      `cumulative score of ${account} went down from ${previous} (epoch ${previousEpoch}) to ${current} (epoch ${epoch})`,
      {
        details: [
          "A channel leaf carries a cumulative score that may only grow; this epoch cannot be published.",
          "Check that the engagement files include every earlier week and that the period start did not move.",
        ],
      },
    );
  }
}

/** Reading the chain failed or gave data the scorer cannot use. */
export class ChainError extends ScorerError {
  override name = "ChainError";
}

/** A manifest or previous-epoch directory is not what the scorer expects. */
export class ManifestError extends ScorerError {
  override name = "ManifestError";
}

/** An internal invariant does not hold: a bug in the scorer, not in the input. */
export class InvariantError extends ScorerError {
  override name = "InvariantError";
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

/**
 * A failure the scripts and tasks explain themselves (bad input, a refused publication, a missing deployment, a
 * decoded revert): the message, then one `  - detail` line per detail.
 */
export class Like2EarnError extends ScorerError {
  override name = "Like2EarnError";
  constructor(message: string, details: readonly string[] = []) {
    super(message, { details: details.map((d) => `- ${d}`) });
  }
}

/** `publish` refused: each entry of `problems` names what disagrees between the manifest and the chain. */
export class PublishRefusedError extends Like2EarnError {
  override name = "PublishRefusedError";
  constructor(
    readonly outDir: string,
    readonly problems: string[],
    /** A last line, e.g. "dry run: nothing posted". */
    trailer?: string,
  ) {
    super(`publish refused for ${outDir}: the scorer output disagrees with the chain`, trailer ? [...problems, trailer] : problems);
  }
}

/** Quotes a value for a message, cut to a readable length (a bigint as `5n`, so it is not taken for a string). */
export function show(value: unknown): string {
  let s: string;
  if (typeof value === "string") s = JSON.stringify(value);
  else if (typeof value === "bigint") s = `${value}n`;
  else if (value === undefined) s = "nothing";
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * Several bad rows at once (up to {@link MAX_REPORTED_INPUT_ERRORS}), so a publisher fixes a file in one
 * pass. It is the first error (file, line, field) with every other one listed under it.
 */
export class InputErrors extends InputError {
  override name = "InputErrors";
  constructor(
    readonly errors: readonly InputError[],
    /** True when reading stopped at the limit: there may be more. */
    readonly truncated: boolean,
  ) {
    const [first, ...rest] = errors;
    super({ file: first.file, line: first.line, field: first.field }, first.problem, {
      details: [
        ...rest.map((e) => e.shortMessage),
        `${errors.length} bad rows${truncated ? ` (reading stopped at ${errors.length}; there may be more)` : ""}`,
      ],
    });
  }
}

/** How many bad rows one run reports before it stops reading. */
export const MAX_REPORTED_INPUT_ERRORS = 20;
