/**
 * Network failures of the Hardhat tasks are one line with the fix, no stack trace: an unknown `--network`
 * (caught in hardhat.config.ts before Hardhat's HH100), a node that is not running (HH108) and a node on
 * another chain than L2E_CHAIN_ID says (HH101). Real `npx hardhat` processes; the "wrong chain" node is
 * this test's in-process Hardhat chain served over HTTP on 127.0.0.1.
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import hre from "hardhat";
import { expect } from "chai";
import { hardhatNetworkProblem, requestedNetwork, unknownNetworkProblem } from "../../scripts/lib/network-errors";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "../..");

/** Runs `npx hardhat ...args` with `env` on top of a clean environment; resolves to its exit code and output. */
async function hardhat(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string; stdout: string }> {
  const base = { ...process.env };
  for (const k of ["HARDHAT_NETWORK", "L2E_RPC_URL", "L2E_CHAIN_ID", "L2E_LOCALHOST_URL"]) delete base[k];
  try {
    const r = await run("npx", ["hardhat", ...args], { cwd: ROOT, env: { ...base, ...env } });
    return { code: 0, ...r };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

/** The one error line, and nothing that looks like a stack frame or Hardhat's own report. */
function expectOneLine(stderr: string, expected: string): void {
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).to.deep.equal([expected]);
  expect(stderr).not.to.match(/^\s+at /m);
  expect(stderr).not.to.contain("HardhatError");
}

describe("e2e: network failures are one line with the fix", function () {
  this.timeout(180_000);
  let server: Server | undefined;
  after(() => server?.close());

  it("an unknown --network, and `remote` without L2E_RPC_URL", async () => {
    const unknown = await hardhat(["publish", "--network", "nosuch", "--dir", "x"]);
    expect(unknown.code).to.equal(1);
    expectOneLine(
      unknown.stderr,
      'error: unknown network "nosuch": use --network hardhat | localhost | remote (localhost: run `npx hardhat node` in another terminal (another port: set L2E_LOCALHOST_URL); remote: set L2E_RPC_URL (and L2E_CHAIN_ID) to define the `remote` network)',
    );
    const remote = await hardhat(["publish", "--dir", "x"], { HARDHAT_NETWORK: "remote" });
    expect(remote.code).to.equal(1);
    expectOneLine(remote.stderr, 'error: network "remote" is not defined: set L2E_RPC_URL (and L2E_CHAIN_ID) to define the `remote` network');
  });

  it("a node that is not running, and a node on another chain than L2E_CHAIN_ID", async () => {
    // Serve this process's Hardhat chain (chain id 31337) over HTTP.
    const provider = hre.network.provider;
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", async () => {
        const call = JSON.parse(body) as { id: unknown; method: string; params?: unknown[] };
        const result = await provider.request({ method: call.method, params: call.params ?? [] }).catch(() => null);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ jsonrpc: "2.0", id: call.id, result }));
      });
    });
    await new Promise<void>((ok) => server!.listen(0, "127.0.0.1", ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const wrong = await hardhat(["publish", "--network", "remote", "--dir", "x"], { L2E_RPC_URL: url, L2E_CHAIN_ID: "1" });
    expect(wrong.code).to.equal(1);
    expectOneLine(wrong.stderr, `error: wrong chain: network "remote" expects chain id 1, but the node at ${url} is chain 31337: set L2E_CHAIN_ID to the node's chain id, or L2E_RPC_URL to a node of chain 1`);

    // A port nothing listens on (the server above, closed).
    await new Promise<void>((ok) => server!.close(() => ok()));
    server = undefined;
    const down = await hardhat(["publish", "--network", "localhost", "--dir", "x"], { L2E_LOCALHOST_URL: url });
    expect(down.code).to.equal(1);
    expectOneLine(down.stderr, `error: cannot connect to network "localhost" at ${url}: run \`npx hardhat node\` in another terminal (another port: set L2E_LOCALHOST_URL)`);
  });

  it("leaves other errors alone and reads --network / HARDHAT_NETWORK", () => {
    expect(hardhatNetworkProblem(new Error("boom"), { name: "localhost" })).to.equal(undefined);
    expect(hardhatNetworkProblem({ _isHardhatError: true, number: 700 }, { name: "localhost" })).to.equal(undefined);
    expect(requestedNetwork(["node", "hardhat", "publish", "--network", "x"], {})).to.equal("x");
    expect(requestedNetwork(["node", "hardhat", "publish"], { HARDHAT_NETWORK: "y" })).to.equal("y");
    expect(requestedNetwork(["node", "hardhat", "publish"], {})).to.equal(undefined);
    expect(unknownNetworkProblem("localhost", ["hardhat", "localhost"])).to.equal(undefined);
    expect(unknownNetworkProblem(undefined, ["hardhat"])).to.equal(undefined);
  });
});
