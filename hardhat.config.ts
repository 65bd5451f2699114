import { subtask, vars } from "hardhat/config";
import type { HardhatUserConfig, NetworkUserConfig } from "hardhat/types";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import "./tasks";
import { requestedNetwork, unknownNetworkProblem } from "./scripts/lib/network-errors";

// Hardhat downloads solc from a host that is unreachable here; compile with the wasm build that the
// npm package `solc` ships instead. Its version is the single source of truth for `solidity.version`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SOLC_VERSION: string = require("solc/package.json").version;

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  if (args.solcVersion !== SOLC_VERSION) {
    throw new Error(
      `Only solc ${SOLC_VERSION} (the npm package "solc") is available offline; a contract asked for ${args.solcVersion}.`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc");
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: String(solc.version()).replace(/\.Emscripten\.clang$/, ""),
  };
});

/**
 * Any EVM network from the environment: L2E_RPC_URL and L2E_CHAIN_ID name it, and the deployer's key
 * comes from Hardhat's configuration variables (`npx hardhat vars set L2E_DEPLOYER_KEY`), never a file.
 */
function remoteNetwork(): Record<string, NetworkUserConfig> {
  const url = process.env.L2E_RPC_URL;
  if (!url) return {};
  const chainId = process.env.L2E_CHAIN_ID ? Number(process.env.L2E_CHAIN_ID) : undefined;
  const accounts = vars.has("L2E_DEPLOYER_KEY") ? [vars.get("L2E_DEPLOYER_KEY")] : [];
  return { remote: { url, chainId, accounts } };
}

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: "cancun",
      // runs: 130, not more: Like2EarnRewards must stay under the 24,576-byte code-size limit (EIP-170);
      // higher runs inline more and save ~300 gas per claim but push it over.
      optimizer: { enabled: true, runs: 130 },
    },
  },
  networks: {
    hardhat: {},
    localhost: { url: process.env.L2E_LOCALHOST_URL ?? "http://127.0.0.1:8545" },
    ...remoteNetwork(),
  },
  paths: {
    ignition: "./deploy",
    tests: "./test",
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: process.env.REPORT_GAS === "true", offline: true },
  mocha: { timeout: 120_000 },
};

// An unknown `--network` fails in Hardhat before any task runs (HH100, with a stack trace on some terminals):
// say it in one line with the fix instead. Only for the Hardhat command line, not for `require("hardhat")` in tests.
if (/hardhat[\\/]internal[\\/]cli[\\/]/.test(require.main?.filename ?? "")) {
  const problem = unknownNetworkProblem(requestedNetwork(process.argv, process.env), Object.keys(config.networks ?? {}));
  if (problem) {
    console.error(`error: ${problem}`);
    process.exit(1);
  }
}

export default config;
