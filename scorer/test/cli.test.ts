import { expect } from "chai";
import { execFile, execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { installMulticall3 } from "../src/multicall";
import { connectRpc, main, type CliIo } from "../src/cli";
import { tmpDir } from "./helpers";

const run = promisify(execFile);
const ROOT = join(__dirname, "../..");
const SAMPLE = join(ROOT, "data/sample");

/** Serves Hardhat's in-process network over HTTP JSON-RPC (a fresh chain: accounts #0..#19 hold 10,000 ETH). */
async function hardhatRpc(): Promise<{ url: string; server: Server; methods: string[] }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hre = require("hardhat");
  const provider = hre.network.provider as { request(a: { method: string; params?: unknown[] }): Promise<unknown> };
  // Balances are read through Multicall3, which a fresh Hardhat chain lacks (the deploy flow installs it).
  await installMulticall3({ send: (method, params) => provider.request({ method, params }) });
  const methods: string[] = [];
  const answer = async (call: { id: unknown; method: string; params?: unknown[] }) => {
    methods.push(call.method === "eth_call" && (call.params ?? []).length > 2 ? "eth_call+override" : call.method);
    try {
      return { jsonrpc: "2.0", id: call.id, result: await provider.request({ method: call.method, params: call.params ?? [] }) };
    } catch (e) {
      return { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: (e as Error).message } };
    }
  };
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", async () => {
      const parsed = JSON.parse(body);
      const out = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, methods };
}

function captureIo(connect?: CliIo["connect"]): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    connect: connect ?? (async () => Promise.reject(new Error("no chain in this test"))),
  };
}

describe("cli", function () {
  this.timeout(120_000);
  let rpc: { url: string; server: Server; methods: string[] } | undefined;
  after(() => rpc?.server.close());

  it("score then verify on the sample data (real processes, Hardhat chain over HTTP)", async () => {
    rpc = await hardhatRpc();
    const out = join(tmpDir(), "event-1");
    const xapi = readdirSync(join(SAMPLE, "xapi")).map((f) => join(SAMPLE, "xapi", f));
    const score = await run(
      "npm",
      [
        "run",
        "--silent",
        "scorer",
        "--",
        "score",
        join(SAMPLE, "event.config.json"),
        "--engagements",
        join(SAMPLE, "engagements.ndjson"),
        join(SAMPLE, "engagements.csv"),
        ...xapi,
        "--participants",
        join(SAMPLE, "participants.csv"),
        "--rpc",
        rpc.url,
        "--out",
        out,
      ],
      { cwd: ROOT },
    );
    expect(score.stdout).to.contain("event 1 (like2earn)");
    expect(score.stdout).to.contain("recipients: 40 of 40 participants");
    expect(score.stdout).to.contain("total: 10000000000000000000 wei");
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(score.stdout).to.contain(`root: ${manifest.root}`);
    // Hardhat accounts #4..#15 hold 10,000 ETH: the top k_user tier (1.5).
    const onchain = JSON.parse(readFileSync(join(out, "onchain.json"), "utf8"));
    expect(Object.keys(onchain.accounts)).to.have.length(12);
    expect(onchain.chainId).to.equal("31337");

    const verify = await run(process.execPath, ["-r", "ts-node/register/transpile-only", "scorer/src/cli.ts", "verify", "--manifest", join(out, "manifest.json"), "--rpc", rpc.url], {
      cwd: ROOT,
    });
    expect(verify.stdout).to.contain(`OK: same root ${manifest.root}`);

    // The balances (three k_user tiers) came through one state-override eth_call (the default on chain 31337);
    // through Multicall3 (in-process, same chain and block) they are the same, hence the same root.
    expect(rpc.methods.filter((m) => m === "eth_call+override").length).to.be.at.least(1);
    rpc.methods.length = 0;
    const viaMulticall = join(tmpDir(), "event-1-multicall3");
    const args = ["score", join(SAMPLE, "event.config.json"), "--engagements", join(SAMPLE, "engagements.ndjson"), join(SAMPLE, "engagements.csv"), ...xapi];
    const mio = captureIo(connectRpc);
    const opts = ["--participants", join(SAMPLE, "participants.csv"), "--rpc", rpc.url, "--snapshot-block", String(manifest.onchain.snapshotBlock), "--balance-reader", "multicall3", "--out", viaMulticall, "--quiet"];
    expect(await main([...args, ...opts], mio), mio.stderr.join("\n")).to.equal(0);
    expect(rpc.methods).to.not.include("eth_call+override");
    expect(readFileSync(join(viaMulticall, "onchain.json"), "utf8")).to.equal(readFileSync(join(out, "onchain.json"), "utf8"));
    expect(JSON.parse(readFileSync(join(viaMulticall, "manifest.json"), "utf8")).root).to.equal(manifest.root);
    const bad = captureIo(connectRpc);
    expect(await main([...args, ...opts.slice(0, -5), "--balance-reader", "fast", "--out", viaMulticall], bad)).to.equal(1);
    expect(bad.stderr.join("\n")).to.contain("expected one of auto, multicall3, state-override");

    // A tampered manifest root: verify exits 1 and says why (in-process, same code path).
    const m = { ...manifest, root: `0x${"11".repeat(32)}` };
    writeFileSync(join(out, "manifest.json"), JSON.stringify(m));
    const io = captureIo();
    expect(await main(["verify", "--manifest", join(out, "manifest.json"), "--quiet"], io)).to.equal(1);
    expect(io.stderr.join("\n")).to.match(/root 0x[0-9a-f]{64} differs from the manifest's 0x1111/);
  });

  it("--help on every command", async () => {
    for (const argv of [["--help"], ["score", "--help"], ["verify", "--help"]]) {
      const io = captureIo();
      expect(await main(argv, io)).to.equal(0);
      expect(io.stdout.join("\n")).to.contain("Usage: scorer");
    }
  });

  it("reports bad input as file:line field and exits 1", async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, "e.ndjson"), '{"id":"1","type":"like","contentId":"p","contentAuthorId":"a","userId":"b","timestamp":"2024-13-01"}\n');
    const fake = (await import("./helpers")).fakeChain({});
    const io = captureIo(async () => fake);
    const code = await main(
      ["score", join(SAMPLE, "event.config.json"), "--engagements", join(dir, "e.ndjson"), "--participants", join(SAMPLE, "participants.csv"), "--rpc", "http://x", "--out", join(dir, "out"), "--quiet"],
      io,
    );
    expect(code).to.equal(1);
    expect(io.stderr.join("\n")).to.contain(`e.ndjson:1 field "timestamp": "2024-13-01" is not an ISO 8601 date-time`);
    expect(readdirSync(dir)).to.deep.equal(["e.ndjson"]);
  });

  it("validates every input file before it touches the chain: a bad file is reported even with the RPC down", async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, "e.ndjson"), '{"id":"1","type":"like","contentId":"p","contentAuthorId":"a","userId":"b","timestamp":"2024-13-01"}\n');
    let connects = 0;
    const io = captureIo(async () => {
      connects++;
      throw new Error("RPC down");
    });
    const code = await main(
      ["score", join(SAMPLE, "event.config.json"), "--engagements", join(dir, "e.ndjson"), "--participants", join(SAMPLE, "participants.csv"), "--rpc", "http://x", "--out", join(dir, "out"), "--quiet"],
      io,
    );
    expect(code).to.equal(1);
    expect(connects).to.equal(0);
    expect(io.stderr.join("\n")).to.contain(`e.ndjson:1 field "timestamp"`);
    expect(readdirSync(dir)).to.deep.equal(["e.ndjson"]);
  });

  it("rejects a bad --staking address before doing anything", async () => {
    const io = captureIo();
    const code = await main(["score", "c.json", "--engagements", "e", "--participants", "p", "--rpc", "http://x", "--out", "o", "--staking", "0x123"], io);
    expect(code).to.equal(1);
    expect(io.stderr.join("\n")).to.contain("is not an address");
  });
});

describe("scorer/bin/scorer.js (the npm run scorer launcher)", () => {
  it("transpiles each module once into its cache, then starts from the cache alone", async () => {
    const cache = join(tmpDir(), "cache");
    const env = { ...process.env, L2E_SCORER_CACHE: cache };
    const first = await run(process.execPath, ["scorer/bin/scorer.js", "--help"], { cwd: ROOT, env });
    expect(first.stdout).to.contain("Usage: scorer");
    const files = readdirSync(cache).sort();
    expect(files.length).to.be.greaterThan(10);
    expect(files.every((f) => f.endsWith(".js"))).to.equal(true);
    const second = await run(process.execPath, ["scorer/bin/scorer.js", "--help"], { cwd: ROOT, env });
    expect(second.stdout).to.equal(first.stdout);
    expect(readdirSync(cache).sort()).to.deep.equal(files);
    // A bad command still exits 1 through the launcher.
    const bad = await run(process.execPath, ["scorer/bin/scorer.js", "nope"], { cwd: ROOT, env }).then(
      () => 0,
      (e: { code: number }) => e.code,
    );
    expect(bad).to.equal(1);
  });

  it("runs the CLI in a child with the V8 flags of node-flags.js, which a SIGTERM to the launcher ends too", async function () {
    this.timeout(60_000);
    // A node that accepts the connection and never answers: the CLI waits on it until it is stopped.
    const sockets: import("node:net").Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const launcher = spawn(
        process.execPath,
        ["scorer/bin/scorer.js", "score", join(SAMPLE, "event.config.json"), "--engagements", join(SAMPLE, "engagements.ndjson"), "--participants", join(SAMPLE, "participants.csv"), "--rpc", url, "--out", join(tmpDir(), "out")],
        { cwd: ROOT, stdio: "ignore" },
      );
      const exited = new Promise<string | null>((resolve) => launcher.on("exit", (_code, signal) => resolve(signal)));
      // Wait until the CLI (the launcher's child) has connected to the silent node.
      for (let i = 0; i < 200 && sockets.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(sockets.length, "the CLI never reached the node").to.be.greaterThan(0);
      const children = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(launcher.pid)], { encoding: "utf8" }).trim().split("\n");
      expect(children).to.have.length(1);
      const [childPid, ...args] = children[0].trim().split(/\s+/);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect(args.slice(1, 1 + (require("../bin/node-flags") as string[]).length)).to.deep.equal(require("../bin/node-flags"));
      launcher.kill("SIGTERM");
      expect(await exited).to.equal("SIGTERM");
      // The child got the signal too: no scorer is left running.
      let alive = true;
      for (let i = 0; i < 50 && alive; i++) {
        try {
          process.kill(Number(childPid), 0);
          await new Promise((r) => setTimeout(r, 100));
        } catch {
          alive = false;
        }
      }
      expect(alive, `the CLI (pid ${childPid}) outlived its launcher`).to.equal(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
