/**
 * Command line: `npm run scorer -- score ...`, `... verify ...` and `... collect ...` (collect/cli.ts).
 * Parses and validates arguments, then hands plain options to run.ts / verify.ts.
 */
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { JsonRpcProvider, Network } from "ethers";
import { checkAddress } from "./address";
import { addCollectCommand } from "./collect/cli";
import { ChainError, ScorerError } from "./errors";
import { formatWadFixed } from "./fixed";
import type { ChainReader } from "./onchain";
import { postedCheck, readDeploymentRecord } from "./deployment";
import { BALANCE_READER_MODES, type BalanceReaderMode } from "./multicall";
import { createProgressReporter } from "./progress";
import { runScore } from "./run";
import { XClient } from "./collect/x-client";
import { runRegistrations } from "./register/run";
import { verifyManifest } from "./verify";

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Opens a chain reader for an RPC URL (tests inject one). */
  readonly connect: (url: string) => Promise<ChainReader & { destroy?: () => void }>;
  /** The environment (X_BEARER_TOKEN); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Wall clock in ms (tests pin it to the local X server's clock); default Date.now. */
  readonly now?: () => number;
}

/** Connects to a JSON-RPC URL, failing fast (10 s) instead of retrying forever when it is down. */
export async function connectRpc(url: string): Promise<JsonRpcProvider & Required<Pick<ChainReader, "rawCall" | "callWithCode">>> {
  let chainId: bigint;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { result?: string; error?: { message?: string } };
    if (typeof body.result !== "string") throw new Error(body.error?.message ?? `HTTP ${res.status}`);
    chainId = BigInt(body.result);
  } catch (e) {
    throw new ChainError(`cannot reach the RPC at ${url}: ${(e as Error).message}`, { cause: e });
  }
  const network = Network.from(chainId);
  const provider = new JsonRpcProvider(url, network, { staticNetwork: network, batchMaxCount: 50 });
  let id = 0;
  // Balance batches go straight over HTTP (see MulticallReader.rawCall).
  const ethCall = async (params: unknown[]): Promise<string> => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method: "eth_call", params }),
    });
    const body = (await res.json()) as { result?: string; error?: { message?: string } };
    if (typeof body.result !== "string") throw new Error(body.error?.message ?? `HTTP ${res.status}`);
    return body.result;
  };
  const block = (n: number) => `0x${n.toString(16)}`;
  const rawCall = (tx: { to: string; data: string; blockTag: number }) => ethCall([{ to: tx.to, data: tx.data }, block(tx.blockTag)]);
  const callWithCode = (tx: { to: string; data: string; blockTag: number }, code: string) =>
    ethCall([{ to: tx.to, data: tx.data }, block(tx.blockTag), { [tx.to]: { code } }]);
  return Object.assign(provider, { rawCall, callWithCode });
}

const defaultIo: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  connect: connectRpc,
};

type Reader = ChainReader & { destroy?: () => void };

/**
 * A chain reader that connects on first use: `runScore` validates every input file before it reads the
 * chain, so a bad file is reported even when the RPC is down, and nothing is asked of the network first.
 */
export function lazyReader(connect: () => Promise<Reader>): Required<Reader> {
  let connection: Promise<Reader> | undefined;
  const reader = () => (connection ??= connect());
  return {
    getNetwork: async () => (await reader()).getNetwork(),
    getBlockNumber: async () => (await reader()).getBlockNumber(),
    getBlock: async (tag) => (await reader()).getBlock(tag),
    getBalance: async (address, tag) => (await reader()).getBalance(address, tag),
    getLogs: async (filter) => (await reader()).getLogs(filter),
    call: async (tx) => (await reader()).call(tx),
    getCode: async (address, tag) => (await reader()).getCode(address, tag),
    rawCall: async (tx) => {
      const r = await reader();
      return r.rawCall ? r.rawCall(tx) : r.call(tx);
    },
    callWithCode: async (tx, code) => {
      const r = await reader();
      if (!r.callWithCode) throw new Error("this connection cannot send an eth_call with a state override");
      return r.callWithCode(tx, code);
    },
    destroy: () => void connection?.then((r) => r.destroy?.(), () => undefined),
  };
}

/** The Like2EarnRewards address of the chain's deployment record, or null when there is none. */
async function rewardsFromRecord(reader: ChainReader): Promise<string | null> {
  const chainId = (await reader.getNetwork()).chainId;
  return readDeploymentRecord(chainId)?.rewards ?? null;
}

/** The PowerStaking address of the chain's deployment record, or null (no stakes) when there is none. */
async function stakingFromRecord(reader: ChainReader): Promise<string | null> {
  const chainId = (await reader.getNetwork()).chainId;
  return readDeploymentRecord(chainId)?.staking ?? null;
}

function parseBlock(v: string): number | "latest" | "period-end" {
  if (v === "latest" || v === "period-end") return v;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError('expected a block number, "latest" or "period-end"');
  return Number(v);
}

function parsePositive(v: string): number {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0)) throw new InvalidArgumentError("expected a positive number");
  return n;
}

function parseBalanceReader(v: string): BalanceReaderMode {
  if (!(BALANCE_READER_MODES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${BALANCE_READER_MODES.join(", ")}`);
  return v as BalanceReaderMode;
}

function parseStaking(v: string): string {
  const c = checkAddress(v);
  if (!c.ok) throw new InvalidArgumentError(c.problem);
  return c.address;
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 failure or verification mismatch). */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let code = 0;
  const program = new Command()
    .name("scorer")
    .description("Like2Earn scorer: engagement data and stakes in, exact allocations and a Merkle tree out.")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError("(add --help for usage)");

  program
    .command("score")
    .description("Score a campaign and write tree.json, proofs/, allocations.csv, onchain.json and manifest.json into --out.")
    .argument("<config>", "campaign config JSON (see scorer/README.md)")
    .requiredOption("--engagements <files...>", "engagement files: .csv, .ndjson, or X API page files (.ndjson with a like2earn-xapi-v1 header)")
    .requiredOption("--participants <file>", "registered participants: a registry (registry.ndjson, signatures re-checked) or CSV / JSON with userId, handle, address")
    .requiredOption("--rpc <url>", "JSON-RPC URL of the chain holding balances and the PowerStaking contract")
    .option(
      "--staking <address>",
      "PowerStaking contract address (default: from the chain's deployment record deploy/deployments/chain-<id>/; needed by model social-ai; adds powered-up ETH to k_user assets)",
      parseStaking,
    )
    .option("--no-staking", "read no stakes (model like2earn only: k_user assets are the ETH balance alone)")
    .option("--rewards <address>", "Like2EarnRewards address, to check whether an output in --out is posted and to read an event's funded pot when the config has no pot (default: the deployment record)", parseStaking)
    .option("--force", "replace an --out that is not a scorer output, or one whose root is posted on chain (kept as a backup sibling)")
    .option("--snapshot-block <n>", 'block for balances and stakes: N, "latest" or "period-end" (the default: the last block at or before the period end); overrides the config, recorded as a number', parseBlock)
    .option("--balance-reader <mode>", 'how ETH balances are read (k_user tiers): "multicall3", "state-override" (one eth_call with a code override, no nested calls; ~10x faster on a Hardhat node) or "auto" (the default: state-override on local chains 31337/1337, Multicall3 elsewhere)', parseBalanceReader)
    .option("--balance-batch <n>", "ETH balances per call (default 1000 through Multicall3, 4000 through the state override; lower it for providers that limit call size or gas)", parsePositive)
    .option("--balance-rate <n>", "at most N balance calls per second (hosted RPC rate limits; default unlimited)", parsePositive)
    .option("--previous <dir>", "channel epochs after the first: the previous epoch's output directory")
    .requiredOption("--out <dir>", "output folder: new, empty, or an earlier scorer output (kept as OUT.replaced-<time>); written atomically, untouched on failure")
    .option("--quiet", "no progress bar and no summary")
    .action(async (config: string, o: { engagements: string[]; participants: string; rpc: string; staking?: string | false; rewards?: string; force?: boolean; snapshotBlock?: number | "latest" | "period-end"; balanceReader?: BalanceReaderMode; balanceBatch?: number; balanceRate?: number; previous?: string; out: string; quiet?: boolean }) => {
      const progress = o.quiet ? undefined : createProgressReporter();
      const reader = lazyReader(() => io.connect(o.rpc));
      try {
        const r = await runScore({
          configPath: config,
          engagementPaths: o.engagements,
          participantsPath: o.participants,
          outDir: o.out,
          chain: { reader, staking: o.staking === false ? null : (o.staking ?? (() => stakingFromRecord(reader))) },
          rewards: o.rewards ?? (() => rewardsFromRecord(reader)),
          force: o.force,
          isPosted: postedCheck(reader, o.rewards),
          snapshotBlock: o.snapshotBlock,
          balanceBatch: { reader: o.balanceReader, batchSize: o.balanceBatch, ratePerSecond: o.balanceRate },
          previousDir: o.previous,
          onProgress: progress?.onProgress,
        });
        progress?.stop();
        if (!o.quiet) {
          const m = r.manifest;
          const s = m.stats;
          io.out(`${m.campaign.kind} ${m.campaign.id}${m.campaign.epoch !== null ? ` epoch ${m.campaign.epoch}` : ""} (${m.campaign.model})`);
          io.out(`  engagements: ${s.rows} read, ${s.inPeriod} counted in period, ${s.duplicates} repeats dropped, ${s.contents} contents`);
          io.out(`  snapshot block ${m.onchain.snapshotBlock} on chain ${m.onchain.chainId}`);
          io.out(`  recipients: ${m.recipientCount} of ${s.participants} participants`);
          io.out(`  total: ${m.totalUnit === "wei" ? `${m.total} wei` : `${formatWadFixed(BigInt(m.total))} score`}${m.potSource === "chain" ? " (the pot read from the chain)" : ""}`);
          io.out(`  root: ${m.root}`);
          io.out(`  written to ${r.outDir}`);
          if (r.backupDir) io.out(`  the previous output was moved to ${r.backupDir}`);
          for (const n of r.notes) io.out(`  note: ${n}`);
        }
      } finally {
        progress?.stop();
        reader.destroy();
      }
    });

  addCollectCommand(program, io);

  program
    .command("verify")
    .description("Re-run the scorer from a manifest's recorded inputs; exit 1 unless it gives the same root.")
    .requiredOption("--manifest <path>", "manifest.json of a published output directory")
    .option("--rpc <url>", "also read balances and stakes again from this chain (needs the snapshot block's state)")
    .option("--inputs <dir>", "a folder holding the inputs (for a copied output folder); each file is recognised by its SHA-256")
    .option("--rewards <address>", 'with --rpc, an event whose pot was read from the chain (potSource "chain"): the Like2EarnRewards contract to read it again from (default: the deployment record)', parseStaking)
    .option("--quiet", "no progress bar")
    .action(async (o: { manifest: string; rpc?: string; inputs?: string; rewards?: string; quiet?: boolean }) => {
      const progress = o.quiet ? undefined : createProgressReporter();
      const reader = o.rpc ? await io.connect(o.rpc) : undefined;
      try {
        const rewards = o.rewards ?? (reader ? () => rewardsFromRecord(reader) : null);
        const r = await verifyManifest({ manifestPath: o.manifest, inputsDir: o.inputs, reader, rewards, onProgress: progress?.onProgress });
        progress?.stop();
        if (r.ok) {
          io.out(`OK: same root ${r.root} (${r.manifest.recipientCount} recipients, total ${r.manifest.total})`);
        } else {
          io.err(`MISMATCH for ${o.manifest}:`);
          for (const p of r.problems) io.err(`  ${p}`);
          code = 1;
        }
      } finally {
        progress?.stop();
        reader?.destroy?.();
      }
    });

  program
    .command("registrations")
    .description("Find registration posts (recent search for the tag), check them, and merge them into the registry --out; refused posts go to <out>.rejected.ndjson.")
    .argument("<registrations.json>", 'which posts: {"tag", "chainId", "since", "minAccountAgeDays"?, "minFollowers"?} (see scorer/README.md)')
    .requiredOption("--out <registry.ndjson>", "the registry: merged with what it holds already, replaced atomically")
    .option("--api-base <url>", "X API origin (default https://api.x.com); the bearer token comes from X_BEARER_TOKEN")
    .option("--rpc <url>", "JSON-RPC URL of the chain: contract wallets are checked with EIP-1271 at the latest block")
    .option("--quiet", "no summary")
    .action(async (configPath: string, o: { out: string; apiBase?: string; rpc?: string; quiet?: boolean }) => {
      const env = io.env ?? process.env;
      const client = new XClient({
        bearerToken: env.X_BEARER_TOKEN ?? "",
        apiBase: o.apiBase,
        onEvent: (e) => {
          if (!o.quiet && e.kind === "rate-limited") io.err(`rate limited on ${e.request.split("?")[0]}: waiting ${Math.ceil(e.waitMs / 1000)} s`);
        },
      });
      const reader = o.rpc ? lazyReader(() => io.connect(o.rpc!)) : undefined;
      try {
        const r = await runRegistrations({ configPath, outPath: o.out, client, reader, now: io.now?.() });
        if (!o.quiet) {
          const s = r.result.stats;
          io.out(`searched ${r.config.tag} from ${r.search.startTime}: ${s.posts} posts (${r.search.pagesFetched} pages${r.search.pagesResumed ? `, ${r.search.pagesResumed} resumed` : ""})`);
          io.out(`  ${s.registered} registered now, ${s.alreadyRegistered} already registered, ${s.rejected} refused, ${s.beforeSince} before since`);
          const SHOWN = 20;
          for (const x of r.result.refusedNow.slice(0, SHOWN)) io.out(`  refused post ${x.postId} by ${x.authorId}: ${x.reason}`);
          if (r.result.refusedNow.length > SHOWN) io.out(`  … and ${r.result.refusedNow.length - SHOWN} more refused posts (all in ${r.rejectedPath})`);
          io.out(`  registry: ${r.result.registry.length} X accounts in ${r.outPath}; refused posts in ${r.rejectedPath}`);
        }
      } finally {
        reader?.destroy();
      }
    });

  try {
    await program.parseAsync(["node", "scorer", ...argv]);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof ScorerError) {
      io.err(`error: ${e.message}`);
      return 1;
    }
    // A system error (a file, the network) is the user's to fix: one line. Anything else is a bug: the stack.
    const sys = e as NodeJS.ErrnoException;
    if (typeof sys?.code === "string" && typeof sys.message === "string") io.err(`error: ${sys.message}`);
    else io.err(`unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
  return code;
}

/** Runs {@link main} on this process's arguments and sets its exit code (the launcher's and `node cli.ts`'s entry). */
export function runMain(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runMain();
