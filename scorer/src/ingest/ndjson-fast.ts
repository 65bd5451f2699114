/**
 * The fast path for engagement NDJSON rows: a byte scanner for the shape nearly every file has, a flat
 * object of ASCII string values without escapes (`{"id":"…","type":"like",…}`, any key order, other
 * keys ignored). It reads fields straight from the Buffer, with no JSON.parse and no object per row.
 *
 * It never decides that a row is bad: anything it does not recognise (escapes, non-ASCII bytes, a
 * number or null value, a repeated key, a missing field, a value that fails a check) returns
 * `undefined`, and the caller re-reads that line through JSON.parse and `pushEngagementRow`, which
 * names the file, line and field exactly as before. So both paths accept the same rows with the same
 * values, and every error message comes from one place.
 */
import { ENGAGEMENT_TYPES } from "../engagements";
import { parseIsoTime } from "../time";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The six fields, in the order of the spans array. */
const KEYS = ["id", "type", "contentId", "contentAuthorId", "userId", "timestamp"].map((k) => Buffer.from(k, "latin1"));

/** A fast-parsed row: where its six values are in the line's buffer, and the parsed type and time. */
export interface FastRow {
  /** start, end of id, type, contentId, contentAuthorId, userId, timestamp. */
  readonly spans: Int32Array;
  type: number;
  time: number;
}

export const newFastRow = (): FastRow => ({ spans: new Int32Array(12), type: 0, time: 0 });

const TYPE_BYTES = ENGAGEMENT_TYPES.map((t) => Buffer.from(t, "latin1"));

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

function equalBytes(buf: Buffer, s: number, e: number, key: Buffer): boolean {
  if (e - s !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (buf[s + i] !== key[i]) return false;
  return true;
}

/** An X-style id as `userIdProblem` accepts it: 1–64 bytes, no whitespace, comma or quote. */
function idOk(buf: Buffer, s: number, e: number): boolean {
  const n = e - s;
  if (n < 1 || n > 64) return false;
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (c === 0x2c || c === 0x20 || (c >= 0x09 && c <= 0x0d)) return false;
  }
  return true;
}

const digit = (buf: Buffer, i: number) => buf[i] - 0x30;
const two = (buf: Buffer, i: number) => {
  const a = buf[i] - 0x30;
  const b = buf[i + 1] - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/** Midnight UTC of each date seen (a campaign spans a few dozen days). */
const dayCache = new Map<number, number>();

/**
 * `YYYY-MM-DDTHH:MM:SS(.sss)?Z` read from bytes, the same value `parseIsoTime` gives; other shapes
 * (offsets, longer fractions) go through `parseIsoTime` itself. `undefined` when not a valid time.
 */
function timeOf(buf: Buffer, s: number, e: number): number | undefined {
  const n = e - s;
  if ((n === 24 || n === 20) && buf[e - 1] === 0x5a && buf[s + 4] === 0x2d && buf[s + 7] === 0x2d && buf[s + 10] === 0x54 && buf[s + 13] === 0x3a && buf[s + 16] === 0x3a) {
    const y1 = two(buf, s);
    const y2 = two(buf, s + 2);
    const y = y1 < 0 || y2 < 0 ? -1 : y1 * 100 + y2;
    const mo = two(buf, s + 5);
    const d = two(buf, s + 8);
    const h = two(buf, s + 11);
    const mi = two(buf, s + 14);
    const sec = two(buf, s + 17);
    let ms = 0;
    if (n === 24) {
      if (buf[s + 19] !== 0x2e) return undefined;
      const a = digit(buf, s + 20);
      const b = digit(buf, s + 21);
      const c = digit(buf, s + 22);
      if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9)) return undefined;
      ms = a * 100 + b * 10 + c;
    }
    if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
    const key = y * 10000 + mo * 100 + d;
    let day = dayCache.get(key);
    if (day === undefined) {
      const t = parseIsoTime(`${buf.toString("latin1", s, s + 10)}T00:00:00Z`);
      if (t === undefined) return undefined; // no such date: the slow path names it
      dayCache.set(key, (day = t));
    }
    return day + ((h * 60 + mi) * 60 + sec) * 1000 + ms;
  }
  return parseIsoTime(buf.toString("latin1", s, e));
}

/**
 * The index of the quote that closes a JSON string whose content starts at `i`, or -1 when the string is not
 * plain printable ASCII without escapes (or never closes before `end`): the slow path reads those.
 */
function plainStringEnd(buf: Buffer, i: number, end: number): number {
  for (; i < end; i++) {
    const c = buf[i];
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c < 0x20 || c >= 0x80) return -1;
  }
  return -1;
}

/**
 * Reads one NDJSON line `buf[start, end)` into `out`. Returns false when the line is not of the simple
 * shape or a value fails a check: the caller then takes the exact (slow) path for this line.
 */
export function parseEngagementLine(buf: Buffer, start: number, end: number, out: FastRow): boolean {
  const { spans } = out;
  spans.fill(-1);
  let i = start;
  while (i < end && isWs(buf[i])) i++;
  if (buf[i++] !== 0x7b) return false; // {
  for (;;) {
    while (i < end && isWs(buf[i])) i++;
    if (buf[i] !== QUOTE) return false; // also `{}`: the slow path says which field is missing
    const ks = ++i;
    i = plainStringEnd(buf, i, end);
    if (i < 0) return false;
    const ke = i++;
    while (i < end && isWs(buf[i])) i++;
    if (buf[i++] !== 0x3a) return false; // :
    while (i < end && isWs(buf[i])) i++;
    if (buf[i] !== QUOTE) return false; // a number, null, object…: the slow path decides
    const vs = ++i;
    i = plainStringEnd(buf, i, end);
    if (i < 0) return false;
    const ve = i++;
    const keyLength = ke - ks;
    for (let k = 0; k < 6; k++) {
      if (KEYS[k].length === keyLength && equalBytes(buf, ks, ke, KEYS[k])) {
        if (spans[2 * k] !== -1) return false; // a repeated key: JSON.parse keeps the last one
        spans[2 * k] = vs;
        spans[2 * k + 1] = ve;
        break;
      }
    }
    while (i < end && isWs(buf[i])) i++;
    const c = buf[i++];
    if (c === 0x2c) continue; // ,
    if (c !== 0x7d) return false; // }
    while (i < end && isWs(buf[i])) i++;
    if (i !== end) return false;
    break;
  }
  for (let k = 0; k < 12; k++) if (spans[k] === -1) return false;
  if (!idOk(buf, spans[0], spans[1]) || !idOk(buf, spans[4], spans[5]) || !idOk(buf, spans[6], spans[7]) || !idOk(buf, spans[8], spans[9])) return false;
  let type = -1;
  for (let t = 0; t < TYPE_BYTES.length; t++) {
    if (equalBytes(buf, spans[2], spans[3], TYPE_BYTES[t])) {
      type = t;
      break;
    }
  }
  if (type === -1) return false;
  const time = timeOf(buf, spans[10], spans[11]);
  if (time === undefined) return false;
  out.type = type;
  out.time = time;
  return true;
}

