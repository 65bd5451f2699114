/**
 * The in-memory engagement table: one column per field (typed arrays, interned ids), so that a
 * million engagements cost a few typed arrays rather than a million objects.
 */
import { InputError } from "./errors";
import { ByteInterner } from "./ingest/byte-intern";

/** Node's own latin1 decoder (what `toString("latin1", s, e)` calls after its argument checks). */
const latin1 = (buf: Buffer, s: number, e: number): string => (buf as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(s, e);

export const ENGAGEMENT_TYPES = ["view", "like", "retweet", "quote", "comment"] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

/** Index of each type in {@link ENGAGEMENT_TYPES}; the `type` column stores these. */
export const TYPE_INDEX: Readonly<Record<EngagementType, number>> = {
  view: 0,
  like: 1,
  retweet: 2,
  quote: 3,
  comment: 4,
};

export function isEngagementType(value: unknown): value is EngagementType {
  return typeof value === "string" && (ENGAGEMENT_TYPES as readonly string[]).includes(value);
}

/** One engagement as plain data (the row format of NDJSON/CSV files, with the time parsed). */
export interface Engagement {
  readonly id: string;
  readonly type: EngagementType;
  readonly contentId: string;
  readonly contentAuthorId: string;
  /** X user id of the engager. */
  readonly userId: string;
  /** Milliseconds since the Unix epoch. */
  readonly time: number;
  /**
   * True for engagements whose source gives no time (X API likes and retweets): `time` then only
   * orders them, and they are not filtered by the campaign period (see README, "Formulas").
   */
  readonly untimed?: boolean;
}

/** Column store of engagements. Row i is `id[i], type[i], content[i], user[i], time[i], untimed[i]`. */
export interface EngagementTable {
  readonly length: number;
  readonly id: readonly string[];
  /** Index into {@link ENGAGEMENT_TYPES}. */
  readonly type: Uint8Array;
  /** Index into `contentIds`. */
  readonly content: Int32Array;
  /** Index into `userIds`: the engager. */
  readonly user: Int32Array;
  /** Milliseconds since the Unix epoch. */
  readonly time: Float64Array;
  /** 1 when the source gave no time (see {@link Engagement.untimed}). */
  readonly untimed: Uint8Array;
  readonly contentIds: readonly string[];
  /** Index into `userIds` of each content's author. */
  readonly contentAuthor: Int32Array;
  /** X user ids (engagers and authors). */
  readonly userIds: readonly string[];
  /** Index of each X user id in `userIds` (optional: rebuilt when absent). */
  readonly userIndex?: ReadonlyMap<string, number>;
}

/** Where a row came from, for error messages. */
export interface RowSource {
  readonly file: string;
  readonly line: number;
}

class Growable<T extends Int32Array | Float64Array | Uint8Array> {
  array: T;
  constructor(private readonly make: (n: number) => T) {
    this.array = make(1024);
  }
  set(i: number, v: number): void {
    if (i >= this.array.length) {
      const bigger = this.make(this.array.length * 2);
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[i] = v;
  }
  slice(n: number): T {
    return this.array.slice(0, n) as T;
  }
}

/**
 * Builds an {@link EngagementTable} row by row. Checks that a content always has the same author.
 *
 * @example
 * const b = new EngagementTableBuilder();
 * b.push("e1", TYPE_INDEX.like, "post1", "alice", "bob", Date.parse("2025-01-06T10:00:00Z"));
 * const table = b.build();
 */
export class EngagementTableBuilder {
  private n = 0;
  private readonly ids: string[] = [];
  private readonly types = new Growable((n) => new Uint8Array(n));
  private readonly contents = new Growable((n) => new Int32Array(n));
  private readonly users = new Growable((n) => new Int32Array(n));
  private readonly times = new Growable((n) => new Float64Array(n));
  private readonly untimedCol = new Growable((n) => new Uint8Array(n));
  private readonly contentIndex = new Map<string, number>();
  private readonly contentIds: string[] = [];
  private readonly contentAuthors: number[] = [];
  private readonly contentSources: (RowSource | undefined)[] = [];
  private readonly userIndex = new Map<string, number>();
  private readonly userIds: string[] = [];
  private readonly userBytes = new ByteInterner();
  private readonly contentBytes = new ByteInterner();

  get length(): number {
    return this.n;
  }

  /** Interns an X user id. */
  userOf(userId: string): number {
    let u = this.userIndex.get(userId);
    if (u === undefined) {
      u = this.userIds.length;
      this.userIndex.set(userId, u);
      this.userIds.push(userId);
    }
    return u;
  }

  /** Interns a content id with its author; throws when the content was seen with another author. */
  contentOf(contentId: string, authorId: string, source?: RowSource): number {
    const author = this.userOf(authorId);
    let c = this.contentIndex.get(contentId);
    if (c === undefined) {
      c = this.contentIds.length;
      this.contentIndex.set(contentId, c);
      this.contentIds.push(contentId);
      this.contentAuthors.push(author);
      this.contentSources.push(source);
    } else if (this.contentAuthors[c] !== author) {
      const first = this.contentSources[c];
      const firstAt = first ? ` at ${first.file}:${first.line}` : "";
      throw new InputError(
        { file: source?.file ?? "(input)", line: source?.line ?? 0, field: "contentAuthorId" },
        `content ${JSON.stringify(contentId)} has author ${JSON.stringify(authorId)} here but ${JSON.stringify(
          this.userIds[this.contentAuthors[c]],
        )}${firstAt}`,
      );
    }
    return c;
  }

  /** Appends one row; `type` is an index into {@link ENGAGEMENT_TYPES}. */
  push(
    id: string,
    type: number,
    contentId: string,
    contentAuthorId: string,
    userId: string,
    time: number,
    untimed = false,
    source?: RowSource,
  ): void {
    if (!Number.isSafeInteger(time)) throw new RangeError(`engagement ${id}: time must be integer milliseconds, got ${time}`);
    if (!(type >= 0 && type < ENGAGEMENT_TYPES.length) || !Number.isInteger(type)) throw new RangeError(`engagement ${id}: bad type index ${type}`);
    const i = this.n;
    this.ids.push(id);
    this.types.set(i, type);
    this.contents.set(i, this.contentOf(contentId, contentAuthorId, source));
    this.users.set(i, this.userOf(userId));
    this.times.set(i, time);
    this.untimedCol.set(i, untimed ? 1 : 0);
    this.n = i + 1;
  }

  /** {@link userOf} for an ASCII id held as bytes: a string is made only for an id not seen before. */
  userOfBytes(buf: Buffer, s: number, e: number): number {
    let u = this.userBytes.get(buf, s, e);
    if (u === -1) {
      u = this.userOf(latin1(buf, s, e));
      this.userBytes.set(buf, s, e, u);
    }
    return u;
  }

  /** {@link contentOf} for ASCII ids held as bytes (same checks, same error). */
  contentOfBytes(buf: Buffer, cs: number, ce: number, as: number, ae: number, file: string, line: number): number {
    const author = this.userOfBytes(buf, as, ae);
    let c = this.contentBytes.get(buf, cs, ce);
    if (c !== -1 && this.contentAuthors[c] === author) return c;
    const known = c !== -1;
    c = this.contentOf(latin1(buf, cs, ce), latin1(buf, as, ae), { file, line });
    if (!known) this.contentBytes.set(buf, cs, ce, c);
    return c;
  }

  /**
   * Appends one row whose ids are ASCII byte ranges of `buf` (the fast NDJSON path): `spans` holds
   * start, end of id, type (unused), contentId, contentAuthorId, userId, timestamp (unused).
   */
  pushSpans(buf: Buffer, spans: Int32Array, type: number, time: number, file: string, line: number): void {
    const i = this.n;
    const content = this.contentOfBytes(buf, spans[4], spans[5], spans[6], spans[7], file, line);
    this.ids.push(latin1(buf, spans[0], spans[1]));
    this.types.set(i, type);
    this.contents.set(i, content);
    this.users.set(i, this.userOfBytes(buf, spans[8], spans[9]));
    this.times.set(i, time);
    this.untimedCol.set(i, 0);
    this.n = i + 1;
  }

  add(e: Engagement, source?: RowSource): void {
    this.push(e.id, TYPE_INDEX[e.type], e.contentId, e.contentAuthorId, e.userId, e.time, e.untimed ?? false, source);
  }

  build(): EngagementTable {
    return {
      length: this.n,
      id: this.ids.slice(),
      type: this.types.slice(this.n),
      content: this.contents.slice(this.n),
      user: this.users.slice(this.n),
      time: this.times.slice(this.n),
      untimed: this.untimedCol.slice(this.n),
      contentIds: this.contentIds.slice(),
      contentAuthor: Int32Array.from(this.contentAuthors),
      userIds: this.userIds.slice(),
      userIndex: new Map(this.userIndex),
    };
  }
}

/** Builds a table from plain engagement objects. */
export function engagementTable(rows: Iterable<Engagement>): EngagementTable {
  const b = new EngagementTableBuilder();
  for (const r of rows) b.add(r);
  return b.build();
}
