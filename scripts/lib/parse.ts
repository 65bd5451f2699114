/**
 * Parsing of the command-line values the tasks take: ETH amounts, durations, times, id lists.
 * Every error names the flag and the accepted forms.
 */
import { parseEther } from "ethers";
import { Like2EarnError } from "./errors";

/** `1.5` or `1.5eth` → wei; `1500wei` → 1500 wei. */
export function parseAmount(flag: string, text: string): bigint {
  const t = text.trim().toLowerCase();
  const wei = /^(\d+)\s*wei$/.exec(t);
  if (wei) return BigInt(wei[1]);
  const e = /^(\d+(?:\.\d{1,18})?|\.\d{1,18})\s*(eth)?$/.exec(t);
  if (e) return parseEther(e[1]);
  throw new Like2EarnError(`${flag} ${text}: expected an amount in ETH (1.5) or in wei (1500wei)`);
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `90`, `90s`, `15m`, `2h`, `7d`, `1w` → seconds. */
export function parseDuration(flag: string, text: string): bigint {
  const m = /^(\d+)\s*([smhdw]?)$/.exec(text.trim().toLowerCase());
  if (!m) throw new Like2EarnError(`${flag} ${text}: expected a duration like 3600, 90s, 15m, 2h, 7d or 1w`);
  return BigInt(m[1]) * BigInt(UNITS[m[2] || "s"]);
}

/** `now`, `+2h` (relative to `now`), a Unix timestamp, or an ISO 8601 date → Unix seconds. */
export function parseTime(flag: string, text: string, now: bigint): bigint {
  const t = text.trim();
  if (t === "now") return now;
  if (t.startsWith("+")) return now + parseDuration(flag, t.slice(1));
  if (/^\d{9,}$/.test(t)) return BigInt(t);
  const ms = Date.parse(t);
  if (!Number.isNaN(ms)) return BigInt(Math.floor(ms / 1000));
  throw new Like2EarnError(`${flag} ${text}: expected now, +DURATION (+2h), a Unix timestamp or an ISO date`);
}

/** A positive integer id. */
export function parseId(flag: string, text: string): bigint {
  if (!/^\d+$/.test(text.trim()) || BigInt(text.trim()) === 0n) {
    throw new Like2EarnError(`${flag} ${text}: expected a positive integer id`);
  }
  return BigInt(text.trim());
}

/** `a,b` plus extra positional values → a flat list without empties. */
export function parseList(...values: (string | string[] | undefined)[]): string[] {
  return values
    .flat()
    .filter((v): v is string => typeof v === "string")
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}
