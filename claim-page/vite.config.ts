import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const pageDir = dirname(fileURLToPath(import.meta.url));
const repoDir = resolve(pageDir, "..");
const artifactsDir = join(repoDir, "artifacts");

interface AbiItem {
  type: string;
  name?: string;
  inputs?: { type: string; components?: unknown[] }[];
  [key: string]: unknown;
}

function readAbi(rel: string): AbiItem[] {
  const file = join(artifactsDir, rel);
  if (!existsSync(file)) {
    throw new Error(`claim-page: ${file} is missing. Run \`npx hardhat compile\` first.`);
  }
  return (JSON.parse(readFileSync(file, "utf8")) as { abi: AbiItem[] }).abi;
}

function listArtifacts(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) listArtifacts(full, out);
    else if (name.endsWith(".json") && !name.endsWith(".dbg.json")) out.push(full);
  }
  return out;
}

/** Canonical signature of an ABI error, to drop duplicates (the same error appears in many artifacts). */
function errorKey(item: AbiItem): string {
  const type = (p: { type: string; components?: unknown[] }): string =>
    p.type.startsWith("tuple")
      ? `(${(p.components as { type: string }[]).map(type).join(",")})${p.type.slice(5)}`
      : p.type;
  return `${item.name}(${(item.inputs ?? []).map(type).join(",")})`;
}

/**
 * `virtual:l2e-abi`: the ABIs the page needs, read from Hardhat's artifacts at build time — the rewards and
 * staking interfaces, Multicall3 (reads are batched through it), OpenZeppelin's IERC20Metadata, plus every custom error any compiled contract (ours, OpenZeppelin's) declares, so a
 * failed transaction decodes to a readable reason. Contracts under contracts/test/ (mocks) are left out.
 */
function abiPlugin(): Plugin {
  const id = "virtual:l2e-abi";
  const resolved = "\0" + id;
  return {
    name: "l2e-abi",
    resolveId(source) {
      return source === id ? resolved : undefined;
    },
    load(loadId) {
      if (loadId !== resolved) return undefined;
      const rewardsAbi = readAbi("contracts/interfaces/ILike2EarnRewards.sol/ILike2EarnRewards.json");
      const stakingAbi = readAbi("contracts/interfaces/IPowerStaking.sol/IPowerStaking.json");
      const multicallAbi = readAbi("contracts/vendor/Multicall3.sol/Multicall3.json");
      const erc20Abi = readAbi("@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol/IERC20Metadata.json");
      const errors = new Map<string, AbiItem>();
      const testDir = join(artifactsDir, "contracts", "test") + sep;
      for (const file of listArtifacts(artifactsDir)) {
        if (file.startsWith(testDir) || file.includes(`${sep}build-info${sep}`)) continue;
        this.addWatchFile(file);
        let abi: AbiItem[] | undefined;
        try {
          abi = (JSON.parse(readFileSync(file, "utf8")) as { abi?: AbiItem[] }).abi;
        } catch {
          continue; // a file another process is writing right now; the next build picks it up
        }
        for (const item of abi ?? []) if (item.type === "error") errors.set(errorKey(item), item);
      }
      const errorsAbi = [...errors.values()].sort((a, b) => errorKey(a).localeCompare(errorKey(b)));
      return [
        `export const rewardsAbi = ${JSON.stringify(rewardsAbi)};`,
        `export const stakingAbi = ${JSON.stringify(stakingAbi)};`,
        `export const errorsAbi = ${JSON.stringify(errorsAbi)};`,
        `export const multicallAbi = ${JSON.stringify(multicallAbi)};`,
        `export const erc20Abi = ${JSON.stringify(erc20Abi)};`,
      ].join("\n");
    },
  };
}

/**
 * `npm run app` (dev server) also serves a campaign data folder at /data/ — by default `out/`, or the folder
 * named by L2E_CLAIM_DATA — so `?config=/data/<path>/claim-page.config.json` works without another server.
 */
function devDataPlugin(): Plugin {
  const dataDir = resolve(repoDir, process.env.L2E_CLAIM_DATA ?? "out");
  return {
    name: "l2e-dev-data",
    apply: "serve",
    configureServer(server) {
      server.middlewares.use("/data", (req, res, next) => {
        const path = decodeURIComponent((req.url ?? "/").split("?")[0]);
        const file = resolve(dataDir, "." + path);
        if (!file.startsWith(dataDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
          res.statusCode = 404;
          res.end("not found");
          return;
        }
        res.setHeader("Content-Type", file.endsWith(".json") ? "application/json" : "application/octet-stream");
        res.setHeader("Cache-Control", "no-cache");
        res.end(readFileSync(file));
        void next;
      });
    },
  };
}

export default defineConfig({
  root: pageDir,
  base: "./",
  publicDir: false,
  plugins: [abiPlugin(), devDataPlugin()],
  // The file formats (leaves, proof shards, batch-skip reasons) are the scorer's, shared as source.
  resolve: { alias: { "@like2earn/format": join(repoDir, "scorer", "src", "format", "index.ts") } },
  build: {
    outDir: join(pageDir, "dist"),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1000,
  },
  server: { host: "127.0.0.1" },
});
