/**
 * `registrations.json`: which posts the admin's `registrations` run reads and who may register.
 * `{"tag": "#Like2EarnID", "chainId": 31337, "since": ISO, "minAccountAgeDays"?: n, "minFollowers"?: n}`.
 */
import { InputError } from "../errors";
import { tagProblem } from "../format/registry";
import { locateJson, parseJsonText } from "../json-locate";
import { parseIsoTime } from "../time";

export interface RegistrationsConfig {
  /** The campaign tag, e.g. `#Like2EarnID`. */
  readonly tag: string;
  /** Chain id of the EIP-712 domain (the chain that pays). */
  readonly chainId: bigint;
  /** Posts created at or after this time (ms since the epoch) are read. */
  readonly sinceMs: number;
  /** The author's account must be at least this many days old when posting. */
  readonly minAccountAgeDays: number;
  /** The author must have at least this many followers (X's `public_metrics.followers_count` when fetched). */
  readonly minFollowers: number;
}

const FIELDS = ["tag", "chainId", "since", "minAccountAgeDays", "minFollowers"] as const;

/** Validates `registrations.json` text; errors name the file, line and field. */
export function parseRegistrationsConfig(text: string, file: string): RegistrationsConfig {
  const json = parseJsonText(text, file);
  const locate = locateJson(text);
  const at = (field: string) => ({ file, line: locate([field]) || 1, field });
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new InputError({ file, line: 1, field: "(root)" }, 'expected an object {"tag", "chainId", "since", ...}');
  }
  const o = json as Record<string, unknown>;
  const extra = Object.keys(o).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (extra) throw new InputError(at(extra), `unknown field; expected ${FIELDS.join(", ")}`);
  const tp = tagProblem(o.tag);
  if (tp) throw new InputError(at("tag"), tp);
  const chainId = o.chainId;
  if (!((typeof chainId === "number" && Number.isSafeInteger(chainId) && chainId > 0) || (typeof chainId === "string" && /^[1-9]\d*$/.test(chainId)))) {
    throw new InputError(at("chainId"), `${JSON.stringify(chainId)} is not a chain id (a positive integer)`);
  }
  const sinceMs = typeof o.since === "string" ? parseIsoTime(o.since) : undefined;
  if (sinceMs === undefined) throw new InputError(at("since"), `${JSON.stringify(o.since)} is not an ISO 8601 date-time with a zone (e.g. 2025-01-06T00:00:00Z)`);
  const count = (k: "minAccountAgeDays" | "minFollowers"): number => {
    const v = o[k];
    if (v === undefined) return 0;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new InputError(at(k), `${JSON.stringify(v)} is not a whole number ≥ 0`);
    return v;
  };
  return { tag: o.tag as string, chainId: BigInt(chainId), sinceMs, minAccountAgeDays: count("minAccountAgeDays"), minFollowers: count("minFollowers") };
}
