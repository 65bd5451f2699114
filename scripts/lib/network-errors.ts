/**
 * Readable network failures for the Hardhat tasks: an unknown `--network`, a node that is not running, a node
 * on another chain than the config says. Hardhat reports these as HH100 / HH108 / HH101 with a stack trace;
 * the tasks print one line with the fix instead. Pure: Hardhat's runtime is passed in, never imported.
 */

/** How to get each network this project knows, for the messages below. */
const HOW_TO: Record<string, string> = {
  localhost: "run `npx hardhat node` in another terminal (another port: set L2E_LOCALHOST_URL)",
  remote: "set L2E_RPC_URL (and L2E_CHAIN_ID) to define the `remote` network",
};

/** `--network X` (or HARDHAT_NETWORK) from a Hardhat command line, or undefined when none is given. */
export function requestedNetwork(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string | undefined {
  const i = argv.indexOf("--network");
  if (i >= 0 && i + 1 < argv.length) return argv[i + 1];
  return env.HARDHAT_NETWORK || undefined;
}

/**
 * The one-line problem with a requested network that the config does not define (Hardhat's HH100), or undefined
 * when it is defined (or none was requested).
 */
export function unknownNetworkProblem(requested: string | undefined, defined: readonly string[]): string | undefined {
  if (requested === undefined || defined.includes(requested)) return undefined;
  if (requested === "remote") return `network "remote" is not defined: ${HOW_TO.remote}`;
  const names = defined.includes("remote") ? defined : [...defined, "remote"];
  return `unknown network "${requested}": use --network ${names.join(" | ")} (localhost: ${HOW_TO.localhost}; remote: ${HOW_TO.remote})`;
}

/** What the tasks need to know about the network in use. */
export interface NetworkInfo {
  readonly name: string;
  /** The RPC URL (undefined for the in-process `hardhat` network). */
  readonly url?: string;
}

/**
 * One line with the fix for a Hardhat network error thrown while a task runs: HH101 (the node is on another
 * chain than the config's chainId) or HH108 (nothing answers at the URL). Undefined for any other error.
 */
export function hardhatNetworkProblem(err: unknown, network: NetworkInfo): string | undefined {
  const e = err as { _isHardhatError?: boolean; number?: number; messageArguments?: Record<string, unknown> };
  if (e?._isHardhatError !== true) return undefined;
  const at = network.url ? ` at ${network.url}` : "";
  if (e.number === 101) {
    const want = e.messageArguments?.configChainId;
    const got = e.messageArguments?.connectionChainId;
    const fix = network.name === "remote" ? "set L2E_CHAIN_ID to the node's chain id, or L2E_RPC_URL to a node of chain " + String(want) : `fix the chainId of network "${network.name}" in hardhat.config.ts`;
    return `wrong chain: network "${network.name}" expects chain id ${String(want)}, but the node${at} is chain ${String(got)}: ${fix}`;
  }
  if (e.number === 108) {
    const fix = HOW_TO[network.name] ?? `check the URL of network "${network.name}" in hardhat.config.ts`;
    return `cannot connect to network "${network.name}"${at}: ${fix}`;
  }
  return undefined;
}
