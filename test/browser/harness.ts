/**
 * The browser test's moving parts: a `hardhat node` on a free loopback port, a static file server for the built
 * page and the campaign data, Debian's Chromium through playwright-core, and a test wallet injected into the
 * page (EIP-1193 + EIP-6963) that forwards requests to the node, whose unlocked accounts sign.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

export const REPO = path.resolve(__dirname, "..", "..");
export const CHROMIUM = process.env.L2E_CHROMIUM ?? "/usr/bin/chromium";

/** A port the OS says is free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** One JSON-RPC call over HTTP; returns the raw response object (`result` or `error`). */
export async function rpcRaw(url: string, method: string, params: unknown[] = []): Promise<{ result?: unknown; error?: { code: number; message: string; data?: unknown } }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await res.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
}

export interface NodeHandle {
  url: string;
  proc: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Kills a detached child and its whole process group (npx → node → hardhat), then waits for it to exit. */
export async function killGroup(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  try {
    process.kill(-proc.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-(proc.pid as number), "SIGKILL");
    } catch {
      /* already gone */
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/** Starts `npx hardhat node --hostname 127.0.0.1 --port <free>` and waits until it answers JSON-RPC. */
export async function startHardhatNode(timeoutMs = 120_000): Promise<NodeHandle> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn("npx", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: REPO,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  let out = "";
  const keep = (b: Buffer): void => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  const handle: NodeHandle = { url, proc, output: () => out, stop: () => killGroup(proc) };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`hardhat node exited with ${proc.exitCode}:\n${out.slice(-4000)}`);
    try {
      const r = await rpcRaw(url, "eth_chainId");
      if (r.result) return handle;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await handle.stop();
      throw new Error(`hardhat node did not answer on ${url} within ${timeoutMs} ms:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

export interface StaticServer {
  url: string;
  stop: () => Promise<void>;
}

/**
 * Builds the claim page (`npm run app:build`, as a user deploys it) and serves it at `/` with `dataDir` at
 * `/data/` (the config, manifests and proofs).
 */
export async function buildAndServeClaimPage(dataDir: string): Promise<StaticServer> {
  const build = spawnSync("npm", ["run", "app:build"], { cwd: REPO, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run app:build failed:\n${build.stdout}\n${build.stderr}`);
  return startStaticServer({ "/data/": dataDir, "/": path.join(REPO, "claim-page", "dist") });
}

/** Serves `mounts` (URL prefix → folder) on 127.0.0.1; unknown paths are 404, as a plain static host does. */
export async function startStaticServer(mounts: Record<string, string>): Promise<StaticServer> {
  const entries = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    for (const [prefix, dir] of entries) {
      if (!urlPath.startsWith(prefix)) continue;
      const root = path.resolve(dir);
      let file = path.resolve(root, "." + urlPath.slice(prefix.length - 1));
      if (file !== root && !file.startsWith(root + path.sep)) break;
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
      if (!fs.existsSync(file)) break;
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface BrowserHandle {
  context: BrowserContext;
  userDataDir: string;
  stop: () => Promise<void>;
}

/**
 * Debian's Chromium, headless, with the flags this machine needs (no network beyond loopback), in a fresh
 * profile folder (Playwright takes it as `launchPersistentContext`'s user data dir).
 */
export async function launchChromium(options: BrowserContextOptions = {}): Promise<BrowserHandle> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's Chromium (apt-get update && apt-get install -y chromium)`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "l2e-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    ...options,
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    userDataDir,
    stop: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface TestWalletOptions {
  /** The node's JSON-RPC URL; requests are forwarded there from the test process. */
  rpcUrl: string;
  /** The unlocked node account the wallet exposes and signs with. */
  account: string;
  /** Chain id (hex) the wallet reports before the page asks it to switch; default: the node's. */
  startChainId?: string;
}

export interface TestWallet {
  /** Hashes of the transactions the page sent through the wallet, in order. */
  sent: string[];
  /** Every method the page called, in order. */
  calls: string[];
}

/**
 * Injects an EIP-1193 provider into every page of `context` (as `window.ethereum`, and announced through
 * EIP-6963) whose requests go to the node through `page.exposeFunction`. It reports `startChainId` until the
 * page calls `wallet_switchEthereumChain` to the node's chain, and signs with `account` (unlocked on the node).
 */
export async function installTestWallet(context: BrowserContext, opts: TestWalletOptions): Promise<TestWallet> {
  const wallet: TestWallet = { sent: [], calls: [] };
  const nodeChainId = String((await rpcRaw(opts.rpcUrl, "eth_chainId")).result);
  await context.exposeFunction("__l2eTestWalletRpc", async (method: string, params: unknown[]) => {
    wallet.calls.push(method);
    if (method === "eth_sendTransaction") {
      const tx = (params[0] ?? {}) as { from?: string };
      if (!tx.from || tx.from.toLowerCase() !== opts.account.toLowerCase()) {
        return { error: { code: 4100, message: `the test wallet only signs for ${opts.account}` } };
      }
    }
    const r = await rpcRaw(opts.rpcUrl, method, params);
    if (method === "eth_sendTransaction" && typeof r.result === "string") wallet.sent.push(r.result);
    return r;
  });
  await context.addInitScript(
    ({ account, startChainId, nodeChainId }) => {
      type Listener = (...args: unknown[]) => void;
      type RpcResponse = { result?: unknown; error?: { code: number; message: string; data?: unknown } };
      const w = window as unknown as {
        __l2eTestWalletRpc: (method: string, params: unknown[]) => Promise<RpcResponse>;
        ethereum?: unknown;
      };
      const listeners = new Map<string, Set<Listener>>();
      let chainId = startChainId;
      const emit = (event: string, ...args: unknown[]): void => {
        for (const fn of [...(listeners.get(event) ?? [])]) fn(...args);
      };
      const fail = (code: number, message: string, data?: unknown): never => {
        const err = new Error(message) as Error & { code: number; data?: unknown };
        err.code = code;
        if (data !== undefined) err.data = data;
        throw err;
      };
      const provider = {
        isLike2EarnTestWallet: true,
        async request(args: { method: string; params?: unknown[] }): Promise<unknown> {
          const { method } = args;
          const params = Array.isArray(args.params) ? args.params : [];
          switch (method) {
            case "eth_requestAccounts":
            case "eth_accounts":
              return [account];
            case "eth_chainId":
              return chainId;
            case "net_version":
              return String(parseInt(chainId, 16));
            case "wallet_switchEthereumChain": {
              const want = String((params[0] as { chainId?: string } | undefined)?.chainId ?? "").toLowerCase();
              if (want !== nodeChainId.toLowerCase()) return fail(4902, `Unrecognized chain ID ${want}`);
              if (chainId !== nodeChainId) {
                chainId = nodeChainId;
                emit("chainChanged", chainId);
              }
              return null;
            }
            case "wallet_addEthereumChain":
              return fail(4200, "the test wallet cannot add chains");
          }
          if (chainId !== nodeChainId) return fail(4901, `the test wallet is on chain ${chainId}, not connected to that chain`);
          const r = await w.__l2eTestWalletRpc(method, params);
          if (r.error) return fail(r.error.code, r.error.message, r.error.data);
          return r.result;
        },
        on(event: string, fn: Listener): void {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)?.add(fn);
        },
        removeListener(event: string, fn: Listener): void {
          listeners.get(event)?.delete(fn);
        },
      };
      w.ethereum = provider;
      const info = Object.freeze({
        uuid: "6b1ee0b5-3f4e-4c55-9d7a-2f0c7c1a2e11",
        name: "Like2Earn Test Wallet",
        icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='6' fill='%232456d6'/%3E%3Cpath d='M9 22V10h3v9h7v3z' fill='white'/%3E%3C/svg%3E",
        rdns: "dev.like2earn.testwallet",
      });
      const announce = (): void => {
        window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
      };
      window.addEventListener("eip6963:requestProvider", announce);
      announce();
    },
    { account: opts.account, startChainId: opts.startChainId ?? nodeChainId, nodeChainId },
  );
  return wallet;
}

/**
 * Collects console errors and uncaught page errors in `errors`; those `allow` accepts (e.g. 404s of proof shards,
 * which Chromium logs whatever the page does with them) go to `allowed` instead.
 */
export function watchConsole(page: Page, allow: (text: string, url: string) => boolean): { errors: string[]; allowed: string[] } {
  const seen = { errors: [] as string[], allowed: [] as string[] };
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const url = msg.location().url ?? "";
    (allow(msg.text(), url) ? seen.allowed : seen.errors).push(`console.error: ${msg.text()} (${url})`);
  });
  page.on("pageerror", (err) => seen.errors.push(`page error: ${err.message}`));
  return seen;
}
