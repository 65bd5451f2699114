/**
 * Multicall3 on local chains: the claim page and the brand console batch their reads through the canonical
 * address 0xcA11bde05977b3631167028862bE2a173976CA11, which exists on most public chains but not on a fresh
 * Hardhat node. This installs the runtime code of contracts/vendor/Multicall3.sol (compiled, from Hardhat's
 * artifacts) there with `hardhat_setCode` when nothing is deployed at that address yet.
 */
import fs from "node:fs";
import path from "node:path";

export const MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11";

/** Anything with a JSON-RPC `send` (ethers' JsonRpcProvider, Hardhat's network provider via a wrapper). */
export interface RpcSender {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/** The deployed bytecode of the vendored Multicall3, from Hardhat's artifacts. */
export function multicall3RuntimeCode(repoDir: string): string {
  const file = path.join(repoDir, "artifacts", "contracts", "vendor", "Multicall3.sol", "Multicall3.json");
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npx hardhat compile\` first`);
  const code = (JSON.parse(fs.readFileSync(file, "utf8")) as { deployedBytecode?: string }).deployedBytecode;
  if (!code || code === "0x") throw new Error(`${file} has no deployedBytecode`);
  return code;
}

/** Installs Multicall3 at its canonical address unless code is already there; returns true when it installed it. */
export async function ensureMulticall3(provider: RpcSender, repoDir: string): Promise<boolean> {
  const existing = String(await provider.send("eth_getCode", [MULTICALL3_ADDRESS, "latest"]));
  if (existing !== "0x" && existing !== "0x0") return false;
  await provider.send("hardhat_setCode", [MULTICALL3_ADDRESS, multicall3RuntimeCode(repoDir)]);
  return true;
}
