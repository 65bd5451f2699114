/**
 * The common first step of both models: keep the counted engagements of the period, order each
 * content's engagements in time (ties by engagement id), drop repeats of (user, content, type).
 * Pure; integers only.
 */
import type { EngagementTable } from "./engagements";
import { TYPE_INDEX, type EngagementType } from "./engagements";

export interface PreparedEngagements {
  /** Row indices of the kept engagements, grouped by content, each group in time order. */
  readonly order: Int32Array;
  /** `order[contentStart[c] .. contentStart[c+1])` are content c's engagements; length = contents + 1. */
  readonly contentStart: Int32Array;
  /** Effective time of every row: its time, clamped into the period for untimed rows. */
  readonly time: Float64Array;
  /** Rows in the table. */
  readonly rows: number;
  /** Rows of a counted type inside the period (before dropping repeats). */
  readonly inPeriod: number;
  /** Repeats of (user, content, type) dropped. */
  readonly duplicates: number;
}

const DIGITS_RE = /^\d+$/;

/**
 * Orders engagement ids: two all-digit ids (X ids) by numeric value, anything else by UTF-16 code
 * units. Deterministic on every machine.
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  if (DIGITS_RE.test(a) && DIGITS_RE.test(b)) {
    const x = a.replace(/^0+(?=\d)/, "");
    const y = b.replace(/^0+(?=\d)/, "");
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a < b ? -1 : 1;
}

/**
 * The comparator of rows in time order: effective time, then engagement id, then user id, then
 * type (the last two only break ties between rows that share an id and a time).
 */
export function rowComparator(t: EngagementTable, time: Float64Array): (a: number, b: number) => number {
  return (a, b) => {
    const d = time[a] - time[b];
    if (d !== 0) return d;
    const c = compareIds(t.id[a], t.id[b]);
    if (c !== 0) return c;
    const ua = t.userIds[t.user[a]];
    const ub = t.userIds[t.user[b]];
    if (ua !== ub) return ua < ub ? -1 : 1;
    return t.type[a] - t.type[b];
  };
}

const TWO53 = 2 ** 53;
let scratch = new Float64Array(1024);
let scratchRows = new Int32Array(1024);

/**
 * Sorts `order[a..b)` by `cmp`, whose first key is `time`. Fast paths: an already ordered group is
 * left alone; otherwise the rows are sorted natively on a packed number `(time − min) · k + j`
 * (exact below 2^53), and only runs of equal times go through `cmp`.
 */
export function sortByTime(order: Int32Array, a: number, b: number, time: Float64Array, cmp: (x: number, y: number) => number): void {
  const k = b - a;
  if (k < 2) return;
  let ordered = true;
  let min = time[order[a]];
  let max = min;
  for (let j = a + 1; j < b; j++) {
    const t = time[order[j]];
    if (t <= time[order[j - 1]]) ordered = false;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  if (ordered) return;
  if ((max - min + 1) * k >= TWO53) {
    order.subarray(a, b).sort(cmp);
    return;
  }
  if (scratch.length < k) {
    scratch = new Float64Array(k * 2);
    scratchRows = new Int32Array(k * 2);
  }
  for (let j = 0; j < k; j++) {
    const i = order[a + j];
    scratchRows[j] = i;
    scratch[j] = (time[i] - min) * k + j;
  }
  const keys = scratch.subarray(0, k).sort();
  for (let j = 0; j < k; j++) {
    const key = keys[j];
    order[a + j] = scratchRows[key % k];
  }
  // Equal times: order by the full comparator (engagement id, ...).
  let run = a;
  for (let j = a + 1; j <= b; j++) {
    if (j === b || time[order[j]] !== time[order[run]]) {
      if (j - run > 1) order.subarray(run, j).sort(cmp);
      run = j;
    }
  }
}

export function prepareEngagements(
  t: EngagementTable,
  period: { readonly start: number; readonly end: number },
  types: readonly EngagementType[],
): PreparedEngagements {
  const n = t.length;
  const nContents = t.contentIds.length;
  let mask = 0;
  for (const ty of types) mask |= 1 << TYPE_INDEX[ty];

  const time = new Float64Array(n);
  const keep = new Uint8Array(n);
  const count = new Int32Array(nContents + 1);
  let inPeriod = 0;
  const last = period.end - 1;
  for (let i = 0; i < n; i++) {
    let ti = t.time[i];
    // Untimed rows (likes / retweets spread before an X API file's first poll) only order: clamp them into
    // the period. Likes first seen at a later poll arrive timed, inside their observed window (ingest/xapi.ts),
    // so the period filters them and this order puts them after every earlier window (docs/SPEC.md §9).
    if (t.untimed[i] === 1) ti = ti < period.start ? period.start : ti > last ? last : ti;
    time[i] = ti;
    if ((mask & (1 << t.type[i])) !== 0 && ti >= period.start && ti < period.end) {
      keep[i] = 1;
      count[t.content[i] + 1]++;
      inPeriod++;
    }
  }
  for (let c = 0; c < nContents; c++) count[c + 1] += count[c];
  const start = count.slice();
  const order = new Int32Array(inPeriod);
  for (let i = 0; i < n; i++) if (keep[i] === 1) order[start[t.content[i]]++] = i;

  const cmp = rowComparator(t, time);
  // seen[user * 8 + type] = 1 + the last content where (user, type) was kept.
  const seen = new Int32Array(t.userIds.length * 8);
  const { user, type } = t;
  const contentStart = new Int32Array(nContents + 1);
  let w = 0;
  for (let c = 0; c < nContents; c++) {
    const a = count[c];
    const b = count[c + 1];
    contentStart[c] = w;
    sortByTime(order, a, b, time, cmp);
    const stamp = c + 1;
    for (let j = a; j < b; j++) {
      const i = order[j];
      const key = user[i] * 8 + type[i];
      if (seen[key] === stamp) continue;
      seen[key] = stamp;
      order[w++] = i;
    }
  }
  contentStart[nContents] = w;
  return { order: order.slice(0, w), contentStart, time, rows: n, inPeriod, duplicates: inPeriod - w };
}
