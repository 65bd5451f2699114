/**
 * `npm run demo`, then the README's local-node flow, as a user runs them (real processes, a real `hardhat node`
 * on a free 127.0.0.1 port, so L2E_LOCALHOST_URL is needed): the README's deploy, the demo against the node, the
 * deploy again. One deployment is recorded, and `out/demo/claim-page.config.json` names that deployment and the
 * node it lives on, whose rewards contract holds the roots of the campaigns the config lists.
 *
 * The commands run in a copy of the project in a temp folder (node_modules linked), so the deployment record
 * they write (`deploy/deployments/chain-31337/`) and `out/demo/` never touch the working tree's.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import { rootPosted } from "../../scorer/src/deployment";
import { readManifestFile } from "../../scorer/src/manifest";

const ROOT = path.resolve(__dirname, "../..");
const HARDHAT = path.join(ROOT, "node_modules/hardhat/internal/cli/cli.js");
const RECORD = "deploy/deployments/chain-31337/deployed_addresses.json";
const README_DEPLOY = ["ignition", "deploy", "deploy/modules/Like2Earn.ts", "--network", "localhost", "--parameters", "deploy/parameters/local.json"];

/** A copy of what the Hardhat commands read; compiled artifacts included (the cache's paths moved along). */
function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l2e-node-flow-"));
  for (const entry of ["contracts", "artifacts", "cache", "typechain-types", "scripts", "scorer", "tasks", "data", "test", "hardhat.config.ts", "tsconfig.json", "package.json"]) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, filter: (src) => !src.includes(`${path.sep}out${path.sep}`) });
  }
  for (const entry of ["modules", "parameters"]) fs.cpSync(path.join(ROOT, "deploy", entry), path.join(dir, "deploy", entry), { recursive: true });
  const cache = path.join(dir, "cache", "solidity-files-cache.json");
  if (fs.existsSync(cache)) fs.writeFileSync(cache, fs.readFileSync(cache, "utf8").split(`${ROOT}${path.sep}`).join(`${dir}${path.sep}`));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** Runs `hardhat <args>` in `cwd`; resolves with its output, rejects (with the output) on a non-zero exit. */
function hardhat(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [HARDHAT, ...args], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    proc.on("error", reject);
    proc.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`hardhat ${args.join(" ")} exited ${code}:\n${out.slice(-3000)}`))));
  });
}

/** `hardhat node` on a free port of 127.0.0.1. */
async function startNode(cwd: string): Promise<{ url: string; proc: ChildProcess }> {
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const proc = spawn(process.execPath, [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(port)], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((ok, fail) => {
    let text = "";
    proc.stdout!.on("data", (d: Buffer) => {
      text += d.toString();
      if (text.includes("Started HTTP")) ok();
    });
    proc.on("exit", (code) => fail(new Error(`hardhat node exited (${code}): ${text.slice(-2000)}`)));
  });
  proc.stdout!.resume();
  proc.stderr!.resume();
  return { url: `http://127.0.0.1:${port}`, proc };
}

const deployedAddresses = (output: string) => ({
  rewards: /Like2EarnRewards#Like2EarnRewards - (0x[0-9a-fA-F]{40})/.exec(output)?.[1],
  staking: /PowerStaking#PowerStaking - (0x[0-9a-fA-F]{40})/.exec(output)?.[1],
});

interface ClaimPageConfig {
  chainId: number;
  chainName: string;
  rpcUrl?: string;
  rewards: string;
  staking: string;
  campaigns: { kind: "event" | "channel"; id: number; proofsBaseUrl: string }[];
}

describe("e2e: npm run demo, then the README's local-node flow", function () {
  this.timeout(600_000);
  let dir: string;
  let node: { url: string; proc: ChildProcess } | undefined;

  before(() => {
    dir = copyProject();
  });
  after(() => {
    node?.proc.kill("SIGTERM");
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("leaves one deployment, and the claim-page config points at it and at the node", async () => {
    const configFile = path.join(dir, "out/demo/claim-page.config.json");
    const readConfig = () => JSON.parse(fs.readFileSync(configFile, "utf8")) as ClaimPageConfig;

    // 1. `npm run demo`: the in-process chain. It records no deployment, and its config names no node.
    await hardhat(dir, ["run", "scripts/demo.ts"], {});
    expect(fs.existsSync(path.join(dir, RECORD))).to.equal(false);
    const inProcess = readConfig();
    expect(inProcess.rpcUrl).to.equal(undefined);
    expect(inProcess.chainName).to.contain("in-process");

    // 2. The README: a node (on another port than 8545), the deploy, the demo against the node.
    node = await startNode(dir);
    const env = { L2E_LOCALHOST_URL: node.url };
    const deployed = deployedAddresses(await hardhat(dir, README_DEPLOY, env));
    expect(deployed.rewards).to.match(/^0x/);
    const demoLog = await hardhat(dir, ["run", "scripts/demo.ts", "--network", "localhost"], env);
    expect(demoLog).to.contain("reusing the deployment recorded in");
    // Deploying again (the README says it can be skipped) changes nothing.
    expect(deployedAddresses(await hardhat(dir, README_DEPLOY, env))).to.deep.equal(deployed);

    // One deployment: the record holds the addresses the deploy printed, and Ignition's journal started each
    // contract's deployment once.
    const record = JSON.parse(fs.readFileSync(path.join(dir, RECORD), "utf8")) as Record<string, string>;
    expect(record).to.deep.equal({ "Like2EarnRewards#Like2EarnRewards": deployed.rewards, "PowerStaking#PowerStaking": deployed.staking });
    const journal = fs
      .readFileSync(path.join(dir, "deploy/deployments/chain-31337/journal.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; futureId?: string });
    const starts = journal.filter((e) => e.type === "DEPLOYMENT_EXECUTION_STATE_INITIALIZE").map((e) => e.futureId);
    expect(starts.filter((id) => id === "Like2EarnRewards#Like2EarnRewards")).to.have.length(1);
    expect(starts.filter((id) => id === "PowerStaking#PowerStaking")).to.have.length(1);

    // The claim-page config: that deployment, on that node, with campaigns whose roots it holds.
    const config = readConfig();
    expect(config.chainId).to.equal(31337);
    expect(config.rpcUrl).to.equal(node.url);
    expect(config.rewards).to.equal(deployed.rewards);
    expect(config.staking).to.equal(deployed.staking);
    const provider = new JsonRpcProvider(node.url, 31337, { staticNetwork: true });
    try {
      expect(await provider.getCode(config.rewards)).to.not.equal("0x");
      expect(config.campaigns.map((c) => c.kind)).to.deep.equal(["event", "channel"]);
      for (const c of config.campaigns) {
        const manifest = await readManifestFile(path.join(dir, "out/demo", c.proofsBaseUrl, "manifest.json"));
        expect(manifest.campaign.id, c.proofsBaseUrl).to.equal(String(c.id));
        expect((await rootPosted(provider, config.rewards, manifest)).posted, `${c.kind} ${c.id}: root posted on the config's rewards contract`).to.equal(true);
      }
    } finally {
      provider.destroy();
    }
  });
});
