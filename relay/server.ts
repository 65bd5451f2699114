/**
 * The gasless-claim relay: a small HTTP service (127.0.0.1 by default) that takes a signed claim, checks it,
 * simulates it, refuses it when the fee it may take does not cover the gas, submits it with the relayer's key and
 * returns the transaction hash. One submission at a time (the relayer's nonces stay in order), a per-account rate
 * limit, and a clear 4xx for every bad request.
 *
 *   GET  /v1/quote?kind=event|channel&proofLength=N → { relayer, chainId, contract, fee, gasEstimate, gasPrice, validFor }
 *   POST /v1/claims  (signed-claim JSON)              → { txHash, fee, relayer }
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { Contract, getAddress, Interface, verifyTypedData, ZeroAddress, type InterfaceAbi, type Provider, type Signer } from "ethers";
import { parseSignedClaim, signedClaimDomain, signedClaimTypes, SignedClaimFormatError, type SignedClaim } from "../scorer/src/format/signed-claim";

/** Most proof elements a request may carry (a tree of 2^64 leaves): bounds the work a request can ask for. */
const MAX_PROOF = 64;

/**
 * The rewards contract's ABI (interface plus every custom error of the compiled contracts, to decode reverts), from
 * Hardhat's artifacts: the relay calls what was compiled, not a hand-copied signature.
 */
export function loadRewardsAbi(repoDir = path.resolve(__dirname, "..")): InterfaceAbi {
  const file = path.join(repoDir, "artifacts", "contracts", "Like2EarnRewards.sol", "Like2EarnRewards.json");
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npx hardhat compile\` first`);
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { abi: InterfaceAbi }).abi;
}

export interface RelayOptions {
  provider: Provider;
  signer: Signer;
  /** The Like2EarnRewards address this relay serves (requests for another contract are refused). */
  contract: string;
  chainId: bigint;
  /** The rewards contract's ABI (default: {@link loadRewardsAbi}); its custom errors decode simulation reverts. */
  abi?: InterfaceAbi;
  /** Requests per account per window (default 5 per 60 s). */
  rateLimit?: { max: number; windowMs: number };
  /** Fee margin over the estimated gas cost in a quote, in percent (default 25). */
  quoteMarginPct?: bigint;
  /** Seconds a quoted signature should stay valid (default 900). */
  validFor?: number;
  /** Origins allowed to call from a browser (default "*": the relay holds no user secrets). */
  allowOrigin?: string;
  log?: (line: string) => void;
}

const MAX_BODY = 64 * 1024;
/** Gas upper bounds used for quotes only (the submission is estimated on the real call): base + per proof element. */
const QUOTE_GAS: Record<"event" | "channel", bigint> = { event: 130_000n, channel: 170_000n };
const QUOTE_GAS_PER_PROOF = 3_000n;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The relay's request handling, without the socket: used by {@link startRelay} and testable on its own. */
export class Relay {
  private readonly contract: Contract;
  private readonly hits = new Map<string, number[]>();
  private queue: Promise<unknown> = Promise.resolve();

  private readonly iface: Interface;

  constructor(readonly opts: RelayOptions) {
    this.iface = new Interface(opts.abi ?? loadRewardsAbi());
    this.contract = new Contract(opts.contract, this.iface, opts.signer);
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  async gasPrice(): Promise<bigint> {
    const fee = await this.opts.provider.getFeeData();
    const price = fee.maxFeePerGas ?? fee.gasPrice;
    if (price === null) throw new HttpError(503, "the node reports no gas price");
    return price;
  }

  async quote(kind: string | null, proofLength: string | null): Promise<Record<string, string | number>> {
    if (kind !== "event" && kind !== "channel") throw new HttpError(400, 'query parameter "kind" must be "event" or "channel"');
    const n = proofLength === null ? 0 : Number(proofLength);
    if (!Number.isInteger(n) || n < 0 || n > 64) throw new HttpError(400, 'query parameter "proofLength" must be an integer 0…64');
    const price = await this.gasPrice();
    const gas = QUOTE_GAS[kind] + QUOTE_GAS_PER_PROOF * BigInt(n);
    const fee = (gas * price * (100n + (this.opts.quoteMarginPct ?? 25n))) / 100n;
    return {
      relayer: await this.opts.signer.getAddress(),
      chainId: this.opts.chainId.toString(),
      contract: this.opts.contract,
      fee: fee.toString(),
      gasEstimate: gas.toString(),
      gasPrice: price.toString(),
      validFor: this.opts.validFor ?? 900,
    };
  }

  private rateLimit(account: string): void {
    const { max, windowMs } = this.opts.rateLimit ?? { max: 5, windowMs: 60_000 };
    const now = Date.now();
    const recent = (this.hits.get(account) ?? []).filter((t) => now - t < windowMs);
    if (recent.length >= max) {
      const retry = Math.ceil((windowMs - (now - recent[0])) / 1000);
      throw new HttpError(429, `too many requests for ${account}: at most ${max} per ${windowMs / 1000} s; retry in ${retry} s`, { "retry-after": String(retry) });
    }
    recent.push(now);
    this.hits.set(account, recent);
  }

  private decode(e: unknown): string {
    const data = findData(e);
    if (data) {
      try {
        const d = this.iface.parseError(data);
        if (d) return `${d.name}(${[...d.args].map(String).join(", ")})`;
      } catch {
        /* unknown error */
      }
    }
    const o = e as { shortMessage?: string; message?: string };
    return (o.shortMessage ?? o.message ?? String(e)).slice(0, 300);
  }

  /** Checks, simulates and submits the signed claim in `text` (the signed-claim JSON of scorer/src/format). */
  async claim(text: string): Promise<Record<string, string>> {
    let c: SignedClaim;
    try {
      c = parseSignedClaim(text, "request body");
    } catch (e) {
      if (e instanceof SignedClaimFormatError) throw new HttpError(400, e.message);
      throw e;
    }
    if (c.proof.length > MAX_PROOF) throw new HttpError(400, `request body: proof: at most ${MAX_PROOF} elements, got ${c.proof.length}`);
    if (BigInt(c.claim.recipient) === 0n) throw new HttpError(400, "request body: claim.recipient: must not be the zero address");
    if (c.chainId !== this.opts.chainId) throw new HttpError(400, `request body: chainId: this relay serves chain ${this.opts.chainId}, not ${c.chainId}`);
    if (c.contract.toLowerCase() !== this.opts.contract.toLowerCase()) throw new HttpError(400, `request body: contract: this relay serves ${this.opts.contract}, not ${c.contract}`);
    const account = getAddress(c.claim.account);
    this.rateLimit(account);
    const block = await this.opts.provider.getBlock("latest");
    if (block && BigInt(c.claim.deadline) <= BigInt(block.timestamp)) throw new HttpError(400, `request body: claim.deadline: the signature expired at ${c.claim.deadline} (chain time ${block.timestamp})`);
    let signer: string | undefined;
    try {
      signer = verifyTypedData(signedClaimDomain(c.chainId, c.contract), signedClaimTypes(c.kind), c.claim as unknown as Record<string, unknown>, c.signature);
    } catch {
      signer = undefined;
    }
    if (signer !== account) {
      // A contract wallet (EIP-1271) signs differently: the contract checks it; the simulation below decides.
      const code = await this.opts.provider.getCode(account);
      if (code === "0x") throw new HttpError(400, `request body: signature: it is not ${account}'s signature of this claim`);
    }
    const fee = BigInt(c.claim.maxFee);
    await this.refuseToken(c);
    if (c.kind === "channel") await this.refusePartial(c);
    const fn = c.kind === "event" ? "claimEventBySig" : "claimChannelBySig";
    const args = [c.claim, c.proof, fee, c.signature];
    let gas: bigint;
    try {
      await this.contract.getFunction(fn).staticCall(...args);
      gas = await this.contract.getFunction(fn).estimateGas(...args);
    } catch (e) {
      throw new HttpError(422, `the claim would fail on chain: ${this.decode(e)}`);
    }
    const price = await this.gasPrice();
    const cost = gas * price;
    if (fee < cost) throw new HttpError(422, `the fee (maxFee ${fee} wei) does not cover the gas: ${gas} gas × ${price} wei = ${cost} wei; ask for a new quote`);
    // One submission at a time, so the relayer's nonces stay in order.
    const run = this.queue.then(async () => {
      const tx = await this.contract.getFunction(fn).send(...args, { gasLimit: (gas * 12n) / 10n });
      return tx.hash as string;
    });
    this.queue = run.catch(() => undefined);
    let txHash: string;
    try {
      txHash = await run;
    } catch (e) {
      throw new HttpError(502, `submitting failed: ${this.decode(e)}`);
    }
    this.log(`relayed ${c.kind} claim of ${account} (fee ${fee} wei): ${txHash}`);
    return { txHash, fee: fee.toString(), relayer: await this.opts.signer.getAddress() };
  }

  /** The fee pays the relayer's gas in ETH: a campaign paying an ERC-20 would pay it in tokens of unknown worth. */
  private async refuseToken(c: SignedClaim): Promise<void> {
    let token: string;
    try {
      token =
        c.kind === "event"
          ? String((await this.contract.getFunction("getEventBounty").staticCall(c.claim.eventId)).token)
          : String((await this.contract.getFunction("getChannel").staticCall(c.claim.channelId)).token);
    } catch (e) {
      throw new HttpError(422, `the claim would fail on chain: ${this.decode(e)}`);
    }
    if (token !== ZeroAddress) throw new HttpError(422, `this relay takes its fee in ETH and relays ETH campaigns only; ${c.kind} ${c.kind === "event" ? c.claim.eventId : c.claim.channelId} pays in the token ${token}`);
  }

  /**
   * A channel claim the pool can pay only in part carries no fee (the contract takes it only from a claim that
   * converts everything owed), so the relay would pay the gas for nothing: refuse it with the reason.
   */
  private async refusePartial(c: Extract<SignedClaim, { kind: "channel" }>): Promise<void> {
    const id = c.claim.channelId;
    const account = String(c.claim.account);
    const score = BigInt(c.claim.cumulativeScore);
    let converted: bigint;
    let preview: { amount: bigint; scoreConverted: bigint };
    try {
      converted = await this.contract.getFunction("convertedScore").staticCall(id, account);
      preview = await this.contract.getFunction("previewChannelClaim").staticCall(id, account, score);
    } catch (e) {
      throw new HttpError(422, `the claim would fail on chain: ${this.decode(e)}`);
    }
    const owed = score > converted ? score - converted : 0n;
    if (owed > 0n && preview.scoreConverted < owed) {
      throw new HttpError(422, `channel ${id}'s pool pays only part of this claim (${preview.amount} wei now), and a partial relayed claim carries no fee: claim after a top-up, or with gas`);
    }
  }

  /** Node http handler. */
  handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, {
        "content-type": "application/json",
        "access-control-allow-origin": this.opts.allowOrigin ?? "*",
        "access-control-allow-methods": "GET, POST, OPTIONS",
        "access-control-allow-headers": "content-type",
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    const fail = (e: unknown): void => {
      if (e instanceof HttpError) send(e.status, { error: e.message }, e.headers);
      else {
        this.log(`internal error: ${(e as Error).message}`);
        send(500, { error: "internal error" });
      }
    };
    const url = new URL(req.url ?? "/", "http://relay");
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "access-control-allow-origin": this.opts.allowOrigin ?? "*",
        "access-control-allow-methods": "GET, POST, OPTIONS",
        "access-control-allow-headers": "content-type",
        "access-control-max-age": "600",
      });
      res.end();
      return;
    }
    if (url.pathname === "/v1/quote" && req.method === "GET") {
      void this.quote(url.searchParams.get("kind"), url.searchParams.get("proofLength")).then((q) => send(200, q), fail);
      return;
    }
    if (url.pathname === "/v1/claims") {
      if (req.method !== "POST") return send(405, { error: "POST a signed claim to /v1/claims" }, { allow: "POST" });
      if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) return send(415, { error: "the body must be application/json" });
      let size = 0;
      const chunks: Buffer[] = [];
      let tooBig = false;
      req.on("data", (b: Buffer) => {
        size += b.length;
        if (size > MAX_BODY) tooBig = true;
        else chunks.push(b);
      });
      req.on("end", () => {
        if (tooBig) return send(413, { error: `the body is larger than ${MAX_BODY} bytes` });
        void this.claim(Buffer.concat(chunks).toString("utf8")).then((r) => send(200, r), fail);
      });
      return;
    }
    send(404, { error: `no route ${req.method} ${url.pathname}; use GET /v1/quote or POST /v1/claims` });
  };
}

function findData(e: unknown, depth = 0): string | undefined {
  if (depth > 6 || e === null || typeof e !== "object") return typeof e === "string" && /^0x([0-9a-f]{2}){4,}$/i.test(e) ? e : undefined;
  const o = e as Record<string, unknown>;
  for (const k of ["data", "error", "info", "cause"]) {
    const d = findData(o[k], depth + 1);
    if (d) return d;
  }
  return undefined;
}

export interface RunningRelay {
  url: string;
  relay: Relay;
  stop(): Promise<void>;
}

/** Listens on `host:port` (127.0.0.1 and a free port by default). */
export async function startRelay(opts: RelayOptions, host = "127.0.0.1", port = 0): Promise<RunningRelay> {
  const relay = new Relay(opts);
  const server = http.createServer(relay.handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const addr = server.address() as { port: number };
  return {
    url: `http://${host}:${addr.port}`,
    relay,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
