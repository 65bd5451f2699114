/**
 * Readable failures. {@link decodeRevert} turns an ethers / Hardhat error into one line naming the
 * contract's custom error and its arguments, decoded with the contracts' ABI.
 */
import { ErrorFragment, Interface, formatEther, type InterfaceAbi } from "ethers";
import { Like2EarnError, ScorerError } from "../../scorer/src/errors";

// The error classes are the project's one error module (scorer/src/errors.ts); this file decodes reverts.
export { Like2EarnError, PublishRefusedError } from "../../scorer/src/errors";

const ERROR_STRING = "0x08c379a0";
const PANIC = "0x4e487b71";

/** Merges the error fragments of several ABIs into one Interface (deduplicated by selector). */
export function errorInterface(abis: InterfaceAbi[]): Interface {
  const seen = new Map<string, ErrorFragment>();
  for (const abi of abis) {
    for (const fragment of new Interface(abi).fragments) {
      if (fragment instanceof ErrorFragment && !seen.has(fragment.selector)) seen.set(fragment.selector, fragment);
    }
  }
  return new Interface([...seen.values()]);
}

/** Finds revert data (0x + 4-byte selector + args) anywhere in an ethers / Hardhat error. */
export function findRevertData(err: unknown, depth = 0): string | undefined {
  if (err === null || typeof err !== "object" || depth > 6) return undefined;
  const e = err as Record<string, unknown>;
  for (const key of ["data", "revertData"]) {
    const v = e[key];
    if (typeof v === "string" && /^0x[0-9a-fA-F]{8}/.test(v)) return v;
    if (v && typeof v === "object") {
      const nested = findRevertData(v, depth + 1);
      if (nested) return nested;
    }
  }
  for (const key of ["error", "info", "cause", "parent"]) {
    const nested = findRevertData(e[key], depth + 1);
    if (nested) return nested;
  }
  return undefined;
}

const AMOUNT_LIKE = /amount|total|funded|balance|pot|owed|available|remaining|paid|claimed/i;
const TIME_LIKE = /^(start|end|claimableAt|closesAt|closedAt|publishDeadline|rootDeadline|claimsCloseAt|currentTime|effectiveAt|rateEffectiveAt)$/;

function formatArg(name: string, type: string, value: unknown): string {
  const label = name ? `${name}=` : "";
  if (typeof value === "bigint" && TIME_LIKE.test(name) && value > 0n && value < 1n << 40n) {
    return `${label}${value} (${new Date(Number(value) * 1000).toISOString().replace(".000Z", "Z")})`;
  }
  if (typeof value === "bigint" && type.startsWith("uint") && AMOUNT_LIKE.test(name)) {
    return `${label}${value} (${formatEther(value)} ETH)`;
  }
  return `${label}${String(value)}`;
}

/** Decodes revert data with `iface`: `Name(arg=value, …)`, `Error("reason")`, `Panic(0x11)` or undefined. */
export function decodeRevertData(data: string, iface?: Interface): string | undefined {
  const selector = data.slice(0, 10).toLowerCase();
  if (selector === ERROR_STRING) {
    const [reason] = Interface.from(["error Error(string)"]).decodeErrorResult("Error", data);
    return `Error("${reason}")`;
  }
  if (selector === PANIC) {
    const [code] = Interface.from(["error Panic(uint256)"]).decodeErrorResult("Panic", data);
    return `Panic(0x${(code as bigint).toString(16)})`;
  }
  if (!iface) return undefined;
  try {
    const parsed = iface.parseError(data);
    if (!parsed) return undefined;
    const args = parsed.fragment.inputs.map((input, i) => formatArg(input.name, input.type, parsed.args[i]));
    return `${parsed.name}(${args.join(", ")})`;
  } catch {
    return undefined;
  }
}

/**
 * One readable line for any failure: a contract revert becomes `reverted with Name(arg=value, …)`;
 * an unknown selector is shown raw; anything else gives its own short message.
 */
export function decodeRevert(err: unknown, iface?: Interface): string {
  if (err instanceof ScorerError) return err.message;
  const data = findRevertData(err);
  if (data) {
    const decoded = decodeRevertData(data, iface);
    return decoded ? `reverted with ${decoded}` : `reverted with unknown error data ${data}`;
  }
  const e = err as { shortMessage?: string; reason?: string; message?: string } | undefined;
  const message = e?.shortMessage ?? e?.reason ?? e?.message ?? String(err);
  // Hardhat's own wording when it already decoded a custom error: keep just that part.
  const custom = /reverted with custom error '([^']+)'/.exec(message);
  if (custom) return `reverted with ${custom[1]}`;
  return message.split("\n")[0];
}

/** Runs `fn`; on failure throws a {@link Like2EarnError} whose message starts with `what` and decodes the revert. */
export async function explain<T>(what: string, fn: () => Promise<T>, iface?: Interface): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ScorerError) throw err;
    const wrapped = new Like2EarnError(`${what} failed: ${decodeRevert(err, iface)}`);
    (wrapped as { cause?: unknown }).cause = err;
    throw wrapped;
  }
}
