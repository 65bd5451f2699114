/**
 * Campaign configuration: the JSON schema (zod), its defaults (SPEC §2–§3) and the resolved,
 * typed form the core takes. Decimal parameters are decimal strings parsed exactly into WAD.
 */
import { getAddress } from "ethers";
import { z } from "zod";
import { checkAddress, ZERO_ADDRESS } from "./address";
import { InputError, show } from "./errors";
import { Dec, decToWadFloor, formatWad, parseWad, WAD } from "./fixed";
import { ENGAGEMENT_TYPES, type EngagementType } from "./engagements";
import { fieldName, locateJson, parseJsonText, type JsonPath } from "./json-locate";
import { formatIsoTime, parseIsoTime } from "./time";

export type CampaignKind = "event" | "channel";
export type ModelName = "like2earn" | "social-ai";
export type Curve = "cutoff" | "smooth";

export interface KUserTier {
  /** Minimum asset value in wei (ETH balance + ETH power at the snapshot). */
  readonly min: bigint;
  /** Multiplier, WAD. */
  readonly k: bigint;
}

/** Model A parameters (SPEC §2). All factors are WAD. */
export interface Like2EarnParams {
  /** Soft cap r of v0(n), WAD (default 3). */
  readonly r: bigint;
  readonly curve: Curve;
  /** k_engage by type, WAD. */
  readonly kEngage: Readonly<Record<EngagementType, bigint>>;
  /** k_creator, WAD, 0 < k < 1. */
  readonly kCreator: bigint;
  readonly kUser: {
    /** Ascending by `min`; the first has `min` 0. */
    readonly tiers: readonly KUserTier[];
    /** k_user by lowercase address, WAD; wins over the tiers. */
    readonly overrides: ReadonlyMap<string, bigint>;
  };
}

/** Model B parameters (SPEC §3). Factors are WAD; durations are whole days. */
export interface SocialAiParams {
  readonly wU: bigint;
  readonly wC: bigint;
  readonly wS: bigint;
  readonly alpha: bigint;
  readonly beta: bigint;
  /** Share of the current voting power an interaction spends, WAD (default 0.02). */
  readonly delta: bigint;
  /** Voting power regenerated per day, WAD of the maximum (default 0.2). */
  readonly rho: bigint;
  readonly graceDays: number;
  /** Decay rate per inactive day past the grace, WAD (default ln(10/9)/7). */
  readonly lambda: bigint;
  readonly recoveryPeriodDays: number;
  /** Power restored per recovery period in good standing, WAD (default 0.1). */
  readonly recoveryRate: bigint;
  readonly kappa: bigint;
  /** Staked asset that gives power; address(0) is ETH. */
  readonly powerAsset: string;
}

/** What every campaign config has, whatever its kind and model. */
interface ConfigBase {
  /** Event id or channel id (the first leaf field). */
  readonly campaignId: bigint;
  /** [start, end) in ms since the Unix epoch. */
  readonly period: { readonly start: number; readonly end: number };
  /** Counted engagement types. */
  readonly types: readonly EngagementType[];
  /**
   * Block whose state gives balances and stakes: a number, "latest", or (the default) "period-end", the
   * last block at or before `period.end`, found by timestamp. Resolved and recorded when the scorer runs.
   */
  readonly snapshotBlock: number | "latest" | "period-end";
  /**
   * How stake becomes power (model B's stake, k_user's assets): "time-weighted" (default), the average
   * powered-up stake over the period rebuilt from StakeUpdated events; "at-snapshot", the stake at the
   * snapshot block.
   */
  readonly stake: "time-weighted" | "at-snapshot";
}

/**
 * An event has a pot (wei) and no epoch; a channel an epoch (≥ 1) and no pot. An event's pot is null when the
 * config leaves it out: `score` then reads the funded amount from the rewards contract (run.ts) before scoring.
 */
export type CampaignTarget =
  | { readonly kind: "event"; readonly pot: bigint | null; readonly epoch: null }
  | { readonly kind: "channel"; readonly pot: null; readonly epoch: number };

/** Model A (`like2earn`) or model B (`social-ai`), with the parameters of that model only. */
export type ModelChoice =
  | { readonly model: "like2earn"; readonly like2earn: Like2EarnParams; readonly socialAi: null }
  | { readonly model: "social-ai"; readonly socialAi: SocialAiParams; readonly like2earn: null };

/** A resolved campaign config: (event | channel) × (model A | model B); narrow on `kind` and `model`. */
export type CampaignConfig = ConfigBase & CampaignTarget & ModelChoice;

export type EventConfig = CampaignConfig & { readonly kind: "event" };
export type ChannelConfig = CampaignConfig & { readonly kind: "channel" };

/** λ = ln(10/9)/7: 10% less power per inactive week past the grace. */
export const DEFAULT_LAMBDA: bigint = decToWadFloor(new Dec(10).div(9).ln().div(7));

const w = (s: string): bigint => parseWad(s)!;

export const LIKE2EARN_DEFAULTS: Like2EarnParams = {
  r: w("3"),
  curve: "cutoff",
  kEngage: { view: w("0.1"), like: w("1"), retweet: w("2"), quote: w("2"), comment: w("3") },
  kCreator: w("0.5"),
  kUser: { tiers: [{ min: 0n, k: WAD }], overrides: new Map() },
};

export const SOCIAL_AI_DEFAULTS: SocialAiParams = {
  wU: w("1"),
  wC: w("3"),
  wS: w("2"),
  alpha: w("1"),
  beta: w("1"),
  delta: w("0.02"),
  rho: w("0.2"),
  graceDays: 7,
  lambda: DEFAULT_LAMBDA,
  recoveryPeriodDays: 7,
  recoveryRate: w("0.1"),
  kappa: w("1"),
  powerAsset: ZERO_ADDRESS,
};

export const DEFAULT_TYPES: readonly EngagementType[] = ["like"];

// ----------------------------------------------------------------------------------------------
// Schema (input format)

const decimalString = z
  .string()
  .refine((s) => parseWad(s) !== undefined, {
    message: 'expected a non-negative decimal string with at most 18 decimals, like "0.1"',
  });
const uintString = (what: string, missing?: string) =>
  z
    .union([z.string(), z.number()], missing ? { error: (i) => (i.input === undefined ? missing : undefined) } : undefined)
    .refine((v) => (typeof v === "number" ? Number.isSafeInteger(v) && v >= 0 : /^\d+$/.test(v) && BigInt(v) < 2n ** 256n), {
      message: `expected ${what} as a decimal integer string, like "1000000000000000000"`,
    });
/**
 * The pot: a wei string (`"12000000000000000000"`) or ether with a unit (`"12 ETH"`, `"0.5 ETH"`, up to 18
 * decimals). A JSON number is refused: `10` meant 10 ETH to the admin who wrote it and 10 wei to JSON.
 */
const POT_RE = /^(\d+)$|^(\d+)(?:\.(\d{1,18}))? ?ETH$/i;
export function parsePot(v: string): bigint | undefined {
  const m = POT_RE.exec(v.trim());
  if (!m) return undefined;
  const wei = m[1] !== undefined ? BigInt(m[1]) : BigInt(m[2]) * 10n ** 18n + BigInt((m[3] ?? "").padEnd(18, "0"));
  return wei < 2n ** 256n ? wei : undefined;
}
const potString = () =>
  z
    .union([z.string(), z.number()])
    .refine((v) => typeof v !== "number", { message: complete('a JSON number is ambiguous for the pot: write "12 ETH", or wei as a string like "12000000000000000000"') })
    .refine((v) => typeof v === "number" || parsePot(v) !== undefined, { message: 'expected the pot as "12 ETH" (up to 18 decimals) or wei as a decimal string, like "12000000000000000000"' });
const isoString = z.string().refine((s) => parseIsoTime(s) !== undefined, {
  message: 'expected an ISO 8601 date-time with a time zone, like "2025-01-06T00:00:00Z"',
});
const addressString = z.string().refine((s) => checkAddress(s).ok, { message: "expected a checksummed address" });
const days = z.number().int().min(0).max(36_500);

const like2earnSchema = z.strictObject({
  r: decimalString.optional(),
  curve: z.enum(["cutoff", "smooth"]).optional(),
  kEngage: z
    .strictObject({
      view: decimalString.optional(),
      like: decimalString.optional(),
      retweet: decimalString.optional(),
      quote: decimalString.optional(),
      comment: decimalString.optional(),
    })
    .optional(),
  kCreator: decimalString.optional(),
  kUser: z
    .strictObject({
      tiers: z.array(z.strictObject({ min: uintString("a wei amount"), k: decimalString })).min(1).optional(),
      overrides: z.record(z.string(), decimalString).optional(),
    })
    .optional(),
});

const socialAiSchema = z.strictObject({
  wU: decimalString.optional(),
  wC: decimalString.optional(),
  wS: decimalString.optional(),
  alpha: decimalString.optional(),
  beta: decimalString.optional(),
  delta: decimalString.optional(),
  rho: decimalString.optional(),
  graceDays: days.optional(),
  lambda: decimalString.optional(),
  recoveryPeriodDays: days.min(1).optional(),
  recoveryRate: decimalString.optional(),
  kappa: decimalString.optional(),
  powerAsset: addressString.optional(),
});

/** Messages that say all there is to say: no ", got …" / " (missing)" is appended. */
const COMPLETE_MESSAGES = new Set<string>();
const complete = (message: string): string => (COMPLETE_MESSAGES.add(message), message);
/** A field a variant must not have, with the reason as the message. */
const absent = (message: string) => z.never({ error: complete(message) }).optional();
/** The values of each discriminator, for the message of a value that is none of them. */
const DISCRIMINATORS: Record<string, readonly string[]> = { kind: ["event", "channel"], model: ["like2earn", "social-ai"] };

const baseShape = {
  campaignId: uintString("the campaign id"),
  period: z.strictObject({ start: isoString, end: isoString }),
  types: z.array(z.enum(ENGAGEMENT_TYPES)).min(1).optional(),
  snapshotBlock: z.union([z.number().int().min(0), z.literal("latest"), z.literal("period-end")]).optional(),
  stake: z.enum(["time-weighted", "at-snapshot"]).optional(),
};
const eventShape = {
  kind: z.literal("event"),
  // Optional: without it, `score` reads the event's funded amount from the rewards contract.
  pot: potString().optional(),
  epoch: absent("an event has no epoch (epochs are for channels)"),
};
const channelShape = {
  kind: z.literal("channel"),
  epoch: z.number({ error: (i) => (i.input === undefined ? complete("a channel needs an epoch (1, 2, ...)") : undefined) }).int().min(1).max(2 ** 32 - 1),
  pot: absent("a channel has no pot (its rate and funds live on-chain)"),
};
const modelAShape = {
  model: z.literal("like2earn"),
  like2earn: like2earnSchema.optional(),
  socialAi: absent('section "socialAi" is for model "social-ai"; this campaign uses "like2earn"'),
};
const modelBShape = {
  model: z.literal("social-ai"),
  socialAi: socialAiSchema.optional(),
  like2earn: absent('section "like2earn" is for model "like2earn"; this campaign uses "social-ai"'),
};
const byModel = (target: typeof eventShape | typeof channelShape) =>
  z.discriminatedUnion("model", [
    z.strictObject({ ...baseShape, ...target, ...modelAShape }),
    z.strictObject({ ...baseShape, ...target, ...modelBShape }),
  ]);

/** The config file: (event | channel) × (like2earn | social-ai), strict (an unknown field is an error). */
const configSchema = z.discriminatedUnion("kind", [byModel(eventShape), byModel(channelShape)]);

type ConfigInput = z.infer<typeof configSchema>;

// ----------------------------------------------------------------------------------------------

class FieldError extends Error {
  constructor(
    readonly path: JsonPath,
    readonly problem: string,
  ) {
    super(problem);
  }
}

function valueAt(root: unknown, path: JsonPath): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[k as string];
  }
  return v;
}

function toBig(v: string | number): bigint {
  return BigInt(v);
}

function resolve(input: ConfigInput): CampaignConfig {
  const start = parseIsoTime(input.period.start)!;
  const end = parseIsoTime(input.period.end)!;
  if (!(start < end)) throw new FieldError(["period", "end"], `period end ${input.period.end} is not after start ${input.period.start}`);
  if (input.kind === "event" && input.pot !== undefined && parsePot(String(input.pot)) === 0n) throw new FieldError(["pot"], "the pot must be positive");
  const target: CampaignTarget =
    input.kind === "event"
      ? { kind: "event", pot: input.pot === undefined ? null : parsePot(String(input.pot))!, epoch: null }
      : { kind: "channel", pot: null, epoch: input.epoch };
  const types = input.types ?? DEFAULT_TYPES;
  const dup = types.find((t, i) => types.indexOf(t) !== i);
  if (dup) throw new FieldError(["types"], `type "${dup}" is listed twice`);

  let model: ModelChoice;
  if (input.model === "like2earn") {
    const a = input.like2earn ?? {};
    const d = LIKE2EARN_DEFAULTS;
    const r = a.r !== undefined ? w(a.r) : d.r;
    if (r > 18n * WAD) throw new FieldError(["like2earn", "r"], "r above 18 makes no sense (the first engagement would score 10^18)");
    const kCreator = a.kCreator !== undefined ? w(a.kCreator) : d.kCreator;
    if (kCreator <= 0n || kCreator >= WAD) throw new FieldError(["like2earn", "kCreator"], `k_creator must be strictly between 0 and 1 (SPEC §2), got ${formatWad(kCreator)}`);
    const kEngage = { ...d.kEngage };
    for (const t of ENGAGEMENT_TYPES) {
      const v = a.kEngage?.[t];
      if (v !== undefined) kEngage[t] = w(v);
    }
    let tiers = d.kUser.tiers;
    if (a.kUser?.tiers) {
      tiers = a.kUser.tiers.map((t) => ({ min: toBig(t.min), k: w(t.k) }));
      if (tiers[0].min !== 0n) throw new FieldError(["like2earn", "kUser", "tiers", 0, "min"], "the first tier must start at 0, so every account has a k_user");
      for (let i = 1; i < tiers.length; i++) {
        if (tiers[i].min <= tiers[i - 1].min) {
          throw new FieldError(["like2earn", "kUser", "tiers", i, "min"], `tiers must be in strictly ascending order of min (${tiers[i].min} follows ${tiers[i - 1].min})`);
        }
      }
    }
    const overrides = new Map<string, bigint>();
    for (const [addr, k] of Object.entries(a.kUser?.overrides ?? {})) {
      const check = checkAddress(addr);
      if (!check.ok) throw new FieldError(["like2earn", "kUser", "overrides", addr], check.problem);
      const key = check.address.toLowerCase();
      if (overrides.has(key)) throw new FieldError(["like2earn", "kUser", "overrides", addr], `${check.address} is listed twice`);
      overrides.set(key, w(k));
    }
    model = { model: "like2earn", like2earn: { r, curve: a.curve ?? d.curve, kEngage, kCreator, kUser: { tiers, overrides } }, socialAi: null };
  } else {
    const b = input.socialAi ?? {};
    const d = SOCIAL_AI_DEFAULTS;
    const pick = (k: "wU" | "wC" | "wS" | "alpha" | "beta" | "delta" | "rho" | "lambda" | "recoveryRate" | "kappa"): bigint =>
      b[k] !== undefined ? w(b[k]!) : d[k];
    const socialAi: SocialAiParams = {
      wU: pick("wU"),
      wC: pick("wC"),
      wS: pick("wS"),
      alpha: pick("alpha"),
      beta: pick("beta"),
      delta: pick("delta"),
      rho: pick("rho"),
      graceDays: b.graceDays ?? d.graceDays,
      lambda: pick("lambda"),
      recoveryPeriodDays: b.recoveryPeriodDays ?? d.recoveryPeriodDays,
      recoveryRate: pick("recoveryRate"),
      kappa: pick("kappa"),
      powerAsset: b.powerAsset !== undefined ? (checkAddress(b.powerAsset) as { address: string }).address : d.powerAsset,
    };
    if (socialAi.delta >= WAD) throw new FieldError(["socialAi", "delta"], "delta must be below 1 (an interaction cannot spend all voting power)");
    if (socialAi.recoveryRate > WAD) throw new FieldError(["socialAi", "recoveryRate"], "recoveryRate must be at most 1");
    model = { model: "social-ai", socialAi, like2earn: null };
  }
  return {
    ...target,
    campaignId: toBig(input.campaignId),
    period: { start, end },
    types: [...types],
    snapshotBlock: input.snapshotBlock ?? "period-end",
    stake: input.stake ?? "time-weighted",
    ...model,
  };
}

/**
 * Validates a parsed config object. `file` and `locate` only serve error messages.
 * Throws an {@link InputError} naming the file, line and field.
 */
export function parseConfig(json: unknown, file = "config.json", locate: (path: JsonPath) => number = () => 1): CampaignConfig {
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    let path: PropertyKey[] = [...issue.path];
    let problem = issue.message;
    const discriminator = DISCRIMINATORS[String(path[path.length - 1])];
    if (issue.code === "unrecognized_keys") {
      path = [...path, issue.keys[0]];
      problem = `unknown field (misspelt?); allowed fields are listed in scorer/README.md`;
    } else if (COMPLETE_MESSAGES.has(problem)) {
      // says it all
    } else if (issue.code === "invalid_union" && discriminator && path.length === 1) {
      const got = valueAt(json, path);
      problem = `Invalid option: expected one of ${discriminator.map((d) => `"${d}"`).join("|")}${got === undefined ? " (missing)" : `, got ${show(got)}`}`;
    } else {
      const got = valueAt(json, path);
      problem = `${problem}${got === undefined ? " (missing)" : `, got ${show(got)}`}`;
    }
    throw new InputError({ file, line: locate(path), field: fieldName(path) }, problem);
  }
  try {
    return resolve(parsed.data);
  } catch (e) {
    if (e instanceof FieldError) throw new InputError({ file, line: locate(e.path), field: fieldName(e.path) }, e.problem);
    throw e;
  }
}

/** Parses config JSON text (see {@link parseConfig}). */
export function parseConfigText(text: string, file = "config.json"): CampaignConfig {
  const json = parseJsonText(text, file);
  return parseConfig(json, file, locateJson(text));
}

/** The full config in input format with every default filled in: what the manifest records. */
export function configToJson(c: CampaignConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    kind: c.kind,
    campaignId: c.campaignId.toString(),
    model: c.model,
    period: { start: formatIsoTime(c.period.start), end: formatIsoTime(c.period.end) },
    types: [...c.types],
  };
  if (c.pot !== null) out.pot = c.pot.toString();
  if (c.epoch !== null) out.epoch = c.epoch;
  out.snapshotBlock = c.snapshotBlock;
  out.stake = c.stake;
  if (c.like2earn) {
    const a = c.like2earn;
    out.like2earn = {
      r: formatWad(a.r),
      curve: a.curve,
      kEngage: Object.fromEntries(ENGAGEMENT_TYPES.map((t) => [t, formatWad(a.kEngage[t])])),
      kCreator: formatWad(a.kCreator),
      kUser: {
        tiers: a.kUser.tiers.map((t) => ({ min: t.min.toString(), k: formatWad(t.k) })),
        overrides: Object.fromEntries([...a.kUser.overrides].sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [getAddress(k), formatWad(v)])),
      },
    };
  }
  if (c.socialAi) {
    const b = c.socialAi;
    out.socialAi = {
      wU: formatWad(b.wU),
      wC: formatWad(b.wC),
      wS: formatWad(b.wS),
      alpha: formatWad(b.alpha),
      beta: formatWad(b.beta),
      delta: formatWad(b.delta),
      rho: formatWad(b.rho),
      graceDays: b.graceDays,
      lambda: formatWad(b.lambda),
      recoveryPeriodDays: b.recoveryPeriodDays,
      recoveryRate: formatWad(b.recoveryRate),
      kappa: formatWad(b.kappa),
      powerAsset: b.powerAsset,
    };
  }
  return out;
}

/** The same config with the snapshot block fixed (how "latest" is recorded). */
export function withSnapshotBlock(c: CampaignConfig, block: number): CampaignConfig {
  return { ...c, snapshotBlock: block };
}
