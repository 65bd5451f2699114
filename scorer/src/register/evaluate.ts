/**
 * The registration rules (issue 12, SPEC §9): which posts register their author, and the registry that
 * results when they are applied in post order to the registry so far. Pure apart from the signature
 * checker (EIP-1271 answers come from the chain).
 */
import { formatIsoTime, parseIsoTime } from "../time";
import {
  canonicalSignature,
  compareUserIds,
  parseRegistrationPost,
  recoverRegistrationSigner,
  type RegistryEntry,
  type RejectedPost,
} from "../format/registry";
import type { RegistrationsConfig } from "./config";
import { checkRegistrationSignature, type Erc1271Checker } from "./signature";

/** A post as the search returned it (X API v2 tweet fields the rules need). */
export interface SearchPost {
  readonly id: string;
  readonly text: string;
  readonly authorId: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** `referenced_tweets[].type`: a "retweeted" post is a retweet. */
  readonly referencedTypes?: readonly string[];
}

/** A post's author as the search's `includes.users` gave it. */
export interface SearchUser {
  readonly id: string;
  readonly username: string;
  /** Account creation time, ISO 8601. */
  readonly createdAt?: string;
  readonly followers?: number;
}

/** How late `issuedAt` may be after the post's `created_at` (clock skew between the wallet's device and X). */
export const ISSUED_AFTER_POST_TOLERANCE_S = 300;

const DAY_S = 86_400;

export interface EvaluateInput {
  readonly config: RegistrationsConfig;
  readonly posts: readonly SearchPost[];
  readonly users: ReadonlyMap<string, SearchUser>;
  /** The registry so far (the existing `--out`). */
  readonly existing: readonly RegistryEntry[];
  /** The rejects so far (beside the existing `--out`). */
  readonly existingRejected?: readonly RejectedPost[];
  /** EIP-1271 checks for contract wallets; without one, only EOA signatures register. */
  readonly contracts?: Erc1271Checker;
}

export interface EvaluateResult {
  /** One entry per X account, by user id. */
  readonly registry: RegistryEntry[];
  /** Every refused post so far, by post id; a post that registers later is dropped from here. */
  readonly rejected: RejectedPost[];
  /** What this run did. */
  readonly stats: {
    readonly posts: number;
    readonly beforeSince: number;
    /** Posts already in the registry, or older than their author's registration there. */
    readonly alreadyRegistered: number;
    /** Posts refused by an earlier run (final refusals are not re-judged). */
    readonly alreadyRefused: number;
    readonly registered: number;
    readonly rejected: number;
  };
  /** This run's refusals, in post order. */
  readonly refusedNow: RejectedPost[];
  /** This run's new registrations, in post order. */
  readonly registeredNow: RegistryEntry[];
}

const byNumericId = (a: string, b: string) => compareUserIds(a, b);

/**
 * Refusals a later run may overturn: they depend on what that run could check (an RPC for contract wallets,
 * the author's data), not on the post. Every other refusal is final, so re-running over the same posts gives
 * the same registry and rejects even when the state has moved on since (a wallet freed later does not
 * retroactively register a post that was refused while it was taken).
 */
export function isRetryableRefusal(reason: string): boolean {
  return reason.startsWith("unknown author:") || reason.includes("checked only with --rpc");
}

function eligibilityProblem(config: RegistrationsConfig, user: SearchUser, postedMs: number): string | undefined {
  if (config.minAccountAgeDays > 0) {
    const created = user.createdAt === undefined ? undefined : parseIsoTime(user.createdAt);
    if (created === undefined) return `not eligible: X gave no creation date for @${user.username}, and accounts must be ${config.minAccountAgeDays} days old`;
    const ageDays = Math.floor((postedMs - created) / 1000 / DAY_S);
    if (ageDays < config.minAccountAgeDays) {
      return `not eligible: @${user.username} was created ${user.createdAt}, ${ageDays} days before the post; this campaign needs accounts at least ${config.minAccountAgeDays} days old`;
    }
  }
  if (config.minFollowers > 0) {
    if (user.followers === undefined) return `not eligible: X gave no follower count for @${user.username}, and ${config.minFollowers} followers are required`;
    if (user.followers < config.minFollowers) {
      return `not eligible: @${user.username} has ${user.followers} followers; this campaign needs at least ${config.minFollowers}`;
    }
  }
  return undefined;
}

/**
 * Applies the rules to `posts` in post order (created_at, then id) on top of `existing`:
 * a post registers its author when it is not a retweet, its tokens parse, the author is eligible,
 * `issuedAt ≤ created_at + 300 s`, the signature is the wallet's (EOA or EIP-1271) over the author's
 * lowercased username, `issuedAt` is later than the author's current registration, and the wallet is not
 * registered to another X account. The latest valid registration of an account replaces its older one.
 */
export async function evaluateRegistrations(input: EvaluateInput): Promise<EvaluateResult> {
  const { config } = input;
  const chainId = config.chainId;
  const byUser = new Map<string, RegistryEntry>(input.existing.map((e) => [e.userId, e]));
  const byWallet = new Map<string, string>(input.existing.map((e) => [e.wallet, e.userId]));
  const registeredPosts = new Set(input.existing.map((e) => e.postId));
  const rejected = new Map<string, RejectedPost>((input.existingRejected ?? []).map((r) => [r.postId, r]));

  // Every place a signature appears, to recognise a post copied from someone else's.
  const signatureSeen = new Map<string, { postId: string; authorId: string }[]>();
  const seen = (sig: string, postId: string, authorId: string) => {
    const list = signatureSeen.get(sig) ?? [];
    if (!list.some((x) => x.postId === postId)) list.push({ postId, authorId });
    signatureSeen.set(sig, list);
  };
  for (const e of input.existing) seen(e.signature, e.postId, e.userId);
  for (const p of input.posts) {
    for (const m of p.text.matchAll(/(?:^|\s)sig=(0x[0-9a-fA-F]{130})(?=\s|$)/g)) seen(canonicalSignature(m[1]), p.id, p.authorId);
  }
  const usernameOf = (userId: string) => input.users.get(userId)?.username ?? byUser.get(userId)?.username ?? userId;
  /** The post a copied signature came from: the one whose author it was signed for, else the earliest. */
  const originalOf = (sig: string, wallet: string, issuedAt: number, copier: string) => {
    const others = (signatureSeen.get(sig) ?? []).filter((x) => x.authorId !== copier).sort((a, b) => byNumericId(a.postId, b.postId));
    const signedFor = others.find((x) => {
      const name = input.users.get(x.authorId)?.username ?? byUser.get(x.authorId)?.username;
      return name !== undefined && recoverRegistrationSigner(chainId, { wallet, handle: name.toLowerCase(), issuedAt }, sig) === wallet;
    });
    return signedFor ?? others[0];
  };

  const timed = input.posts.map((p) => ({ p, ms: parseIsoTime(p.createdAt) }));
  const ordered = timed
    .filter((x): x is { p: SearchPost; ms: number } => x.ms !== undefined && x.ms >= config.sinceMs)
    .sort((a, b) => a.ms - b.ms || byNumericId(a.p.id, b.p.id));
  const refusedNow: RejectedPost[] = [];
  const registeredNow: RegistryEntry[] = [];
  let alreadyRegistered = 0;
  let alreadyRefused = 0;
  const refuse = (p: SearchPost, reason: string) => {
    const r = { postId: p.id, authorId: p.authorId, reason };
    rejected.set(p.id, r);
    refusedNow.push(r);
  };
  const badTime = timed.filter((x) => x.ms === undefined);
  for (const { p } of badTime) refuse(p, `malformed post: created_at ${JSON.stringify(p.createdAt)} is not a time`);

  for (const { p, ms } of ordered) {
    if (registeredPosts.has(p.id)) {
      alreadyRegistered++;
      continue;
    }
    const before = rejected.get(p.id);
    if (before && !isRetryableRefusal(before.reason)) {
      alreadyRefused++;
      continue;
    }
    const current0 = byUser.get(p.authorId);
    if (current0 && (ms < Date.parse(current0.postedAt) || (ms === Date.parse(current0.postedAt) && byNumericId(p.id, current0.postId) < 0))) {
      // Older than the account's registration: applied and replaced in an earlier run, or never newer.
      alreadyRegistered++;
      continue;
    }
    if ((p.referencedTypes ?? []).includes("retweeted") || /^RT @/.test(p.text)) {
      refuse(p, "retweet: a retweet registers nobody; post the registration text from your own account");
      continue;
    }
    const author = input.users.get(p.authorId);
    if (!author) {
      refuse(p, `unknown author: the search gave no user ${p.authorId} for this post (run again later)`);
      continue;
    }
    const parsed = parseRegistrationPost(p.text, config.tag);
    if (!parsed.ok) {
      refuse(p, parsed.reason);
      continue;
    }
    const notEligible = eligibilityProblem(config, author, ms);
    if (notEligible) {
      refuse(p, notEligible);
      continue;
    }
    const postedS = Math.floor(ms / 1000);
    if (parsed.issuedAt > postedS + ISSUED_AFTER_POST_TOLERANCE_S) {
      refuse(
        p,
        `issued after the post: issued=${parsed.issuedAt} (${formatIsoTime(parsed.issuedAt * 1000)}) is ${parsed.issuedAt - postedS} s after the post's time ${formatIsoTime(ms)} (at most ${ISSUED_AFTER_POST_TOLERANCE_S} s allowed); sign again on the page and post right away`,
      );
      continue;
    }
    const handle = author.username.toLowerCase();
    const registration = { wallet: parsed.wallet, handle, issuedAt: parsed.issuedAt };
    const sig = await checkRegistrationSignature(chainId, registration, parsed.signature, input.contracts);
    if (!sig.ok) {
      const original = originalOf(parsed.signature, parsed.wallet, parsed.issuedAt, p.authorId);
      if (original) {
        refuse(
          p,
          `copied post: this signature is from @${usernameOf(original.authorId)}'s registration (post ${original.postId}); a post registers only the account the wallet signed for`,
        );
        continue;
      }
      const signedFor = parsed.words.find((w) => w !== handle && recoverRegistrationSigner(chainId, { ...registration, handle: w }, parsed.signature) === parsed.wallet);
      if (signedFor) {
        refuse(p, `handle mismatch: the wallet signed for @${signedFor}, but the post is by @${author.username}; register again on the page with the handle ${author.username}`);
        continue;
      }
      refuse(p, `bad signature: ${sig.problem}`);
      continue;
    }
    const current = byUser.get(p.authorId);
    if (current && parsed.issuedAt <= current.issuedAt) {
      refuse(
        p,
        `superseded: issued=${parsed.issuedAt} is not later than @${author.username}'s registration in post ${current.postId} (issued=${current.issuedAt}); a new registration must be signed later than the last one`,
      );
      continue;
    }
    const owner = byWallet.get(parsed.wallet);
    if (owner !== undefined && owner !== p.authorId) {
      refuse(p, `wallet taken: ${parsed.wallet} is already registered to X account @${usernameOf(owner)} (id ${owner}); one wallet serves one X account`);
      continue;
    }
    const entry: RegistryEntry = {
      userId: p.authorId,
      username: author.username,
      wallet: parsed.wallet,
      issuedAt: parsed.issuedAt,
      signature: parsed.signature,
      postId: p.id,
      postedAt: formatIsoTime(ms),
    };
    if (current) byWallet.delete(current.wallet);
    byUser.set(entry.userId, entry);
    byWallet.set(entry.wallet, entry.userId);
    registeredPosts.add(entry.postId);
    rejected.delete(entry.postId);
    registeredNow.push(entry);
  }

  return {
    registry: [...byUser.values()].sort((a, b) => compareUserIds(a.userId, b.userId)),
    rejected: [...rejected.values()].sort((a, b) => byNumericId(a.postId, b.postId)),
    refusedNow,
    registeredNow,
    stats: {
      posts: input.posts.length,
      beforeSince: timed.length - ordered.length - badTime.length,
      alreadyRegistered,
      alreadyRefused,
      registered: registeredNow.length,
      rejected: refusedNow.length,
    },
  };
}
