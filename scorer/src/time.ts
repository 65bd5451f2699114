/** Strict ISO 8601 date-times, as integer milliseconds since the Unix epoch. */

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses `2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.123+02:00` and the like: a full date, a time
 * with seconds, an optional fraction (kept to the millisecond, the rest is dropped) and a time zone
 * (`Z` or an offset). Returns `undefined` for anything else, including dates that do not exist.
 */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  let offsetMin = 0;
  if (m[8] !== "Z") {
    const sign = m[8][0] === "-" ? -1 : 1;
    const digits = m[8].slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return undefined;
    offsetMin = sign * (oh * 60 + om);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
}

/** `2024-05-01T12:00:00.000Z`. */
export function formatIsoTime(ms: number): string {
  return new Date(ms).toISOString();
}

const NO_ZONE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;

/**
 * Why `text` is not a date-time {@link parseIsoTime} accepts, for an error message: a missing time zone
 * is named as such (a zone-less time means a different instant on every machine).
 */
export function isoTimeProblem(text: unknown): string {
  const shown = typeof text === "string" ? JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text) : String(text);
  if (typeof text === "string" && NO_ZONE_RE.test(text)) {
    return `${shown} has no time zone: add Z for UTC or an offset like +02:00 (e.g. ${text.length === 16 ? `${text}:00` : text}Z)`;
  }
  return `${shown} is not an ISO 8601 date-time (like 2025-01-06T10:00:00Z)`;
}
