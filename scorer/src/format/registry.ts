/**
 * The registration format (SPEC §9), shared by the scorer and the claim page (no Node-only imports):
 *
 * - the EIP-712 typed data a wallet signs: domain `{name: "Like2Earn", version: "1", chainId}` (no
 *   verifyingContract), primary type `Registration(address wallet,string handle,uint64 issuedAt)`;
 * - the post text: a sentence plus the whitespace-separated tokens `<tag> wallet=0x… issued=<unix s> sig=0x…`
 *   in any order, at most 280 characters — its builder (the page) and its parser (the admin's run);
 * - `registry.ndjson`, one line per registered X account, and `registry.rejected.ndjson` beside it.
 */
import { z } from "zod";
import { concat, getAddress, keccak256, recoverAddress, TypedDataEncoder, type TypedDataDomain, type TypedDataField } from "ethers";

/** Name of the rejected-posts file beside a registry: `registry.ndjson` → `registry.rejected.ndjson`. */
export function rejectedPathFor(registryPath: string): string {
  return /\.ndjson$/i.test(registryPath) ? registryPath.replace(/\.ndjson$/i, ".rejected.ndjson") : `${registryPath}.rejected.ndjson`;
}

// ------------------------------------------------------------------------------------- typed data

export const REGISTRATION_TYPES: Record<string, TypedDataField[]> = {
  Registration: [
    { name: "wallet", type: "address" },
    { name: "handle", type: "string" },
    { name: "issuedAt", type: "uint64" },
  ],
};

/** The EIP-712 domain: no verifyingContract, so one signature serves every campaign of the chain. */
export function registrationDomain(chainId: bigint | number): TypedDataDomain {
  return { name: "Like2Earn", version: "1", chainId: BigInt(chainId) };
}

/** What the wallet signs. `handle` is the X username lowercased, without "@". */
export interface Registration {
  readonly wallet: string;
  readonly handle: string;
  /** Unix seconds. */
  readonly issuedAt: number;
}

/** The `eth_signTypedData_v4` payload (JSON-serialisable: chainId and issuedAt as numbers). */
export function registrationTypedDataV4(chainId: bigint | number, r: Registration): {
  types: Record<string, { name: string; type: string }[]>;
  domain: { name: string; version: string; chainId: number };
  primaryType: "Registration";
  message: { wallet: string; handle: string; issuedAt: number };
} {
  return {
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
      ],
      Registration: REGISTRATION_TYPES.Registration.map((f) => ({ name: f.name, type: f.type })),
    },
    domain: { name: "Like2Earn", version: "1", chainId: Number(chainId) },
    primaryType: "Registration",
    message: { wallet: getAddress(r.wallet), handle: r.handle, issuedAt: r.issuedAt },
  };
}

// One encoder and one domain separator per chain: ethers' TypedDataEncoder.hash rebuilds both on every call,
// which is most of the cost of checking a registry of 10^5 lines.
const REGISTRATION_ENCODER = TypedDataEncoder.from(REGISTRATION_TYPES);
const domainSeparators = new Map<string, string>();

/**
 * The EIP-712 digest `keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(Registration))` — what the wallet signs
 * and what an EIP-1271 wallet's `isValidSignature` is asked about. Equal to ethers' `TypedDataEncoder.hash`.
 */
export function registrationDigest(chainId: bigint | number, r: Registration): string {
  const key = BigInt(chainId).toString();
  let separator = domainSeparators.get(key);
  if (separator === undefined) {
    separator = TypedDataEncoder.hashDomain(registrationDomain(chainId));
    domainSeparators.set(key, separator);
  }
  return keccak256(concat(["0x1901", separator, REGISTRATION_ENCODER.hash({ ...r, wallet: getAddress(r.wallet) })]));
}

/**
 * The 65-byte signature with v as 27/28 (some wallets and hardware signers return v = 0/1), lowercase: the
 * one form a post carries, so one signature has one spelling.
 */
export function canonicalSignature(signature: string): string {
  const sig = signature.toLowerCase();
  if (!/^0x[0-9a-f]{130}$/.test(sig)) return sig;
  const v = sig.slice(130);
  return v === "00" ? sig.slice(0, 130) + "1b" : v === "01" ? sig.slice(0, 130) + "1c" : sig;
}

/** The EOA that made `signature` over `r`, EIP-55; undefined when the signature cannot be decoded. */
export function recoverRegistrationSigner(chainId: bigint | number, r: Registration, signature: string): string | undefined {
  // Only the canonical v (27 or 28): ethers would also read other v bytes (EIP-155 forms) as a parity, which
  // would let one signature be written several ways.
  if (!/^0x[0-9a-fA-F]{128}(1b|1c)$/i.test(signature)) return undefined;
  try {
    return recoverAddress(registrationDigest(chainId, r), signature);
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------------------------------ handles

const HANDLE_RE = /^[a-z0-9_]{1,15}$/;

/** The signed form of an X handle: "@Alice_1" → "alice_1"; undefined when it is not a handle (1–15 of A–Z a–z 0–9 _). */
export function normalizeHandle(text: string): string | undefined {
  const h = text.trim().replace(/^@/, "").toLowerCase();
  return HANDLE_RE.test(h) ? h : undefined;
}

// ---------------------------------------------------------------------------------------- post text

/** X's limit; the page never builds a longer text. */
export const MAX_POST_LENGTH = 280;

/** Length as X counts plain text: one per code point (the builder uses ASCII only, which X weighs 1 each). */
export function postLength(text: string): number {
  return [...text].length;
}

const TAG_RE = /^#[A-Za-z0-9_]{1,100}$/;

/** Checks a campaign tag (`#Like2EarnID`): "#" then letters, digits or "_". Returns a problem or undefined. */
export function tagProblem(tag: unknown): string | undefined {
  if (typeof tag !== "string" || !TAG_RE.test(tag)) return `${JSON.stringify(tag)} is not a hashtag ("#" then letters, digits or _)`;
  return undefined;
}

export interface PostParts {
  readonly tag: string;
  readonly wallet: string;
  readonly issuedAt: number;
  /** 0x + 130 hex digits. */
  readonly signature: string;
  /** The X username the registration is for, without "@" (placed in the sentence, so a mismatch can be explained). */
  readonly handle: string;
}

/**
 * The post text: one sentence naming the account, then the tag and the three tokens. ASCII only; at most
 * {@link MAX_POST_LENGTH} characters for any handle and a tag of up to 25 characters (a longer tag is refused).
 */
export function buildRegistrationPost(p: PostParts): string {
  const problem = tagProblem(p.tag);
  if (problem) throw new Error(`tag ${problem}`);
  const handle = normalizeHandle(p.handle);
  if (!handle) throw new Error(`${JSON.stringify(p.handle)} is not an X handle`);
  if (!/^0x[0-9a-fA-F]{130}$/.test(p.signature)) throw new Error("the signature must be 0x followed by 130 hex digits");
  if (!Number.isSafeInteger(p.issuedAt) || p.issuedAt < 0) throw new Error("issuedAt must be Unix seconds");
  const text = `${handle} registers a wallet for Like2Earn. ${p.tag} wallet=${getAddress(p.wallet)} issued=${p.issuedAt} sig=${p.signature.toLowerCase()}`;
  if (postLength(text) > MAX_POST_LENGTH) throw new Error(`the post would be ${postLength(text)} characters, more than X's ${MAX_POST_LENGTH}: use a shorter tag`);
  return text;
}

/** True when `tag` occurs in `text` as a whole word, in any case (`#like2earnid,` counts, `#Like2EarnIDs` does not). */
export function hasTag(text: string, tag: string): boolean {
  const body = tag.replace(/^#/, "");
  const re = new RegExp(`(?:^|[^A-Za-z0-9_#])#${body}(?![A-Za-z0-9_])`, "i");
  return re.test(text);
}

export type ParsedPost =
  | {
      readonly ok: true;
      readonly wallet: string;
      readonly issuedAt: number;
      readonly signature: string;
      /** Words of the text that could be handles (lowercased), to explain a signature made for another handle. */
      readonly words: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

const TOKENS = ["wallet", "issued", "sig"] as const;
type TokenName = (typeof TOKENS)[number];

function tokenProblem(name: TokenName, value: string): string | undefined {
  switch (name) {
    case "wallet":
      if (!/^0x[0-9a-fA-F]{40}$/.test(value)) return `wallet=${value} is not an address (0x followed by 40 hex digits)`;
      try {
        getAddress(value);
      } catch {
        return `wallet=${value} has a bad EIP-55 checksum (a typo): copy the text from the page again`;
      }
      return undefined;
    case "issued":
      if (!/^\d{1,15}$/.test(value) || !Number.isSafeInteger(Number(value))) return `issued=${value} is not a time in Unix seconds`;
      return undefined;
    case "sig":
      if (!/^0x[0-9a-fA-F]{130}$/.test(value)) return `sig=${value.length > 20 ? value.slice(0, 20) + "…" : value} is not a signature (0x followed by 130 hex digits)`;
      return undefined;
  }
}

/**
 * Reads the tokens of a registration post. Refuses a text without the tag, without one of the tokens, with a
 * token that is malformed, or with two different values for one token. Pure.
 */
export function parseRegistrationPost(text: string, tag: string): ParsedPost {
  if (!hasTag(text, tag)) return { ok: false, reason: `not a registration: the text lacks the tag ${tag}` };
  const found = new Map<TokenName, string>();
  const words: string[] = [];
  for (const word of text.split(/\s+/)) {
    const m = /^(wallet|issued|sig)=(.*)$/i.exec(word);
    if (!m) {
      const h = normalizeHandle(word.replace(/[.,:;!?'")]+$/, "").replace(/^[("']+/, ""));
      if (h && !words.includes(h)) words.push(h);
      continue;
    }
    const name = m[1].toLowerCase() as TokenName;
    const value = m[2];
    const problem = tokenProblem(name, value);
    if (problem) return { ok: false, reason: `malformed token: ${problem}` };
    const before = found.get(name);
    if (before !== undefined && before.toLowerCase() !== value.toLowerCase()) {
      return { ok: false, reason: `malformed token: ${name}= appears twice with different values` };
    }
    found.set(name, value);
  }
  const missing = TOKENS.filter((t) => !found.has(t));
  if (missing.length === TOKENS.length) return { ok: false, reason: "not a registration: the post has the tag but no wallet=, issued= or sig= tokens" };
  if (missing.length > 0) return { ok: false, reason: `malformed token: ${missing.map((t) => `${t}=`).join(", ")} missing (copy the whole text from the page)` };
  return {
    ok: true,
    wallet: getAddress(found.get("wallet")!),
    issuedAt: Number(found.get("issued")),
    signature: canonicalSignature(found.get("sig")!),
    words,
  };
}

// -------------------------------------------------------------------------------------- registry lines

/** One line of `registry.ndjson`: an X account and the wallet it registered, with the evidence. */
export interface RegistryEntry {
  /** X user id (decimal string). */
  readonly userId: string;
  /** X username at the time of the post, as X spells it. */
  readonly username: string;
  /** EIP-55. */
  readonly wallet: string;
  /** Unix seconds, as signed. */
  readonly issuedAt: number;
  /** 0x + 130 hex digits, lowercase. */
  readonly signature: string;
  /** The registration post's id. */
  readonly postId: string;
  /** The post's created_at, ISO 8601. */
  readonly postedAt: string;
}

export const REGISTRY_FIELDS = ["userId", "username", "wallet", "issuedAt", "signature", "postId", "postedAt"] as const;

/** One line of `registry.rejected.ndjson`. */
export interface RejectedPost {
  readonly postId: string;
  readonly authorId: string;
  readonly reason: string;
}

/** The registry line for an entry, fields in the fixed order (same entry, same bytes). */
export function formatRegistryLine(e: RegistryEntry): string {
  return JSON.stringify({
    userId: e.userId,
    username: e.username,
    wallet: e.wallet,
    issuedAt: e.issuedAt,
    signature: e.signature,
    postId: e.postId,
    postedAt: e.postedAt,
  });
}

export function formatRejectedLine(r: RejectedPost): string {
  return JSON.stringify({ postId: r.postId, authorId: r.authorId, reason: r.reason });
}

const ID_RE = /^\d{1,25}$/;
const USERNAME_RE = /^[A-Za-z0-9_]{1,15}$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/** A registry line's problem: which field and what is wrong. */
export interface LineProblem {
  readonly field: string;
  readonly problem: string;
}

/** Checks one parsed registry line. Returns the entry or the first problem. Pure; signatures are checked elsewhere. */
export function checkRegistryEntry(json: unknown): RegistryEntry | LineProblem {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return { field: "(line)", problem: "expected a JSON object" };
  const o = json as Record<string, unknown>;
  const extra = Object.keys(o).find((k) => !(REGISTRY_FIELDS as readonly string[]).includes(k));
  if (extra) return { field: extra, problem: `unknown field; a registry line has ${REGISTRY_FIELDS.join(", ")}` };
  const str = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
  if (!str("userId") || !ID_RE.test(str("userId")!)) return { field: "userId", problem: `${JSON.stringify(o.userId)} is not an X user id (a decimal string)` };
  if (!str("username") || !USERNAME_RE.test(str("username")!)) return { field: "username", problem: `${JSON.stringify(o.username)} is not an X username` };
  const wallet = str("wallet");
  if (!wallet || !/^0x[0-9a-fA-F]{40}$/.test(wallet)) return { field: "wallet", problem: `${JSON.stringify(o.wallet)} is not an address` };
  let checksummed: string;
  try {
    checksummed = getAddress(wallet);
  } catch {
    return { field: "wallet", problem: `${wallet} has a bad EIP-55 checksum` };
  }
  if (checksummed !== wallet) return { field: "wallet", problem: `${wallet} is not EIP-55 checksummed (expected ${checksummed})` };
  if (BigInt(wallet) === 0n) return { field: "wallet", problem: "the zero address cannot register" };
  if (typeof o.issuedAt !== "number" || !Number.isSafeInteger(o.issuedAt) || o.issuedAt < 0) {
    return { field: "issuedAt", problem: `${JSON.stringify(o.issuedAt)} is not Unix seconds (a JSON number)` };
  }
  const sig = str("signature");
  if (!sig || !/^0x[0-9a-f]{130}$/.test(sig)) return { field: "signature", problem: "expected 0x followed by 130 lowercase hex digits" };
  if (!str("postId") || !ID_RE.test(str("postId")!)) return { field: "postId", problem: `${JSON.stringify(o.postId)} is not a post id (a decimal string)` };
  const postedAt = str("postedAt");
  if (!postedAt || !ISO_RE.test(postedAt) || Number.isNaN(Date.parse(postedAt))) return { field: "postedAt", problem: `${JSON.stringify(o.postedAt)} is not an ISO 8601 date-time` };
  return { userId: str("userId")!, username: str("username")!, wallet, issuedAt: o.issuedAt, signature: sig, postId: str("postId")!, postedAt };
}

export function isLineProblem(x: RegistryEntry | LineProblem): x is LineProblem {
  return "problem" in x;
}

/** Orders registry lines: by X user id as a number (X ids are), so the file's bytes do not depend on run order. */
export function compareUserIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

// ------------------------------------------------------------------------------ manifest record

export const REGISTRY_FORMAT = "like2earn-registry-v1";

/**
 * What a score run records about a registry given as `--participants` (manifest field `registryCheck`, optional
 * in v1): the registry's bytes are hashed in `inputs.participants`; this says for which chain every signature was
 * re-checked, and which wallets are contracts whose EIP-1271 answer at `eip1271Block` (the snapshot block) was
 * relied on. `verify` re-checks EOA signatures offline, and the contract wallets through an RPC when given one.
 */
export const RegistryManifestRecordSchema = z.object({
  format: z.literal(REGISTRY_FORMAT),
  chainId: z.string().regex(/^\d+$/, "must be a decimal chain id"),
  entries: z.number().int().nonnegative(),
  eip1271Wallets: z.array(z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address")),
  eip1271Block: z.number().int().nonnegative(),
});

export type RegistryManifestRecord = z.infer<typeof RegistryManifestRecordSchema>;
