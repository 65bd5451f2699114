/**
 * `npm run relay` (= `hardhat run relay/main.ts`, so Hardhat's configuration variables are available): starts the
 * gasless-claim relay (relay/server.ts).
 *
 * Environment: L2E_RELAY_RPC_URL (default http://127.0.0.1:8545), L2E_RELAY_CONTRACT (the Like2EarnRewards address;
 * default: deploy/deployments/chain-<id>/deployed_addresses.json), L2E_RELAY_HOST (default 127.0.0.1),
 * L2E_RELAY_PORT (default 8787). The relayer's key comes from Hardhat's configuration variables:
 * `npx hardhat vars set L2E_RELAYER_KEY` (or HARDHAT_VAR_L2E_RELAYER_KEY in the environment) — never from a file
 * in the repo. Local development only: L2E_RELAY_DEV=1 on chain 31337 uses the Hardhat node's public test
 * account #19 instead.
 */
import fs from "node:fs";
import path from "node:path";
import { HDNodeWallet, JsonRpcProvider, Wallet, getAddress } from "ethers";
import { vars } from "hardhat/config";
import { startRelay } from "./server";

const HARDHAT_TEST_MNEMONIC = "test test test test test test test test test test test junk";

function relayerKey(chainId: bigint): string {
  if (vars.has("L2E_RELAYER_KEY")) return vars.get("L2E_RELAYER_KEY");
  if (process.env.L2E_RELAY_DEV === "1") {
    if (chainId !== 31337n) throw new Error(`L2E_RELAY_DEV=1 works only on a local Hardhat chain (31337), not chain ${chainId}`);
    return HDNodeWallet.fromPhrase(HARDHAT_TEST_MNEMONIC, undefined, "m/44'/60'/0'/0/19").privateKey;
  }
  throw new Error("no relayer key: run `npx hardhat vars set L2E_RELAYER_KEY` (or, on a local node only, set L2E_RELAY_DEV=1)");
}

function contractAddress(chainId: bigint): string {
  if (process.env.L2E_RELAY_CONTRACT) return getAddress(process.env.L2E_RELAY_CONTRACT);
  const file = path.resolve(__dirname, "..", "deploy", "deployments", `chain-${chainId}`, "deployed_addresses.json");
  if (!fs.existsSync(file)) throw new Error(`set L2E_RELAY_CONTRACT (no deployment record at ${file})`);
  const address = (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>)["Like2EarnRewards#Like2EarnRewards"];
  if (!address) throw new Error(`${file} has no Like2EarnRewards#Like2EarnRewards`);
  return getAddress(address);
}

async function main(): Promise<void> {
  const rpcUrl = process.env.L2E_RELAY_RPC_URL ?? "http://127.0.0.1:8545";
  const provider = new JsonRpcProvider(rpcUrl, undefined, { cacheTimeout: -1 });
  const chainId = (await provider.getNetwork()).chainId;
  const signer = new Wallet(relayerKey(chainId), provider);
  const contract = contractAddress(chainId);
  const host = process.env.L2E_RELAY_HOST ?? "127.0.0.1";
  const port = Number(process.env.L2E_RELAY_PORT ?? 8787);
  const running = await startRelay({ provider, signer, contract, chainId, log: (l) => console.log(l) }, host, port);
  console.log(`relay for ${contract} on chain ${chainId} as ${signer.address}: ${running.url}`);
  const stop = (): void => void running.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: Error) => {
  console.error(`relay: ${e.message}`);
  process.exit(1);
});
