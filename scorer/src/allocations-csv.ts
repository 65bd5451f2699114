/**
 * `allocations.csv`: `account,handle,score,amount`, one leaf a row in leaf order. `score` is an 18-decimal
 * fixed string; `amount` is wei (event) or the leaf's cumulative score integer (channel). The next channel
 * epoch reads it back (the cumulative scores that may only grow).
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { checkAddress } from "./address";
import type { Allocation } from "./allocate";
import { InputError } from "./errors";
import { formatWadFixed } from "./fixed";
import { csvField, readCsvRows } from "./ingest/lines";

export const ALLOCATIONS_COLUMNS = ["account", "handle", "score", "amount"] as const;

/** Writes `allocations` to `path`, streamed. */
export async function writeAllocationsCsv(path: string, allocations: readonly Allocation[]): Promise<void> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, "drain");
  };
  await write(`${ALLOCATIONS_COLUMNS.join(",")}\n`);
  for (const a of allocations) await write(`${a.address},${csvField(a.handle)},${formatWadFixed(a.score)},${a.amount}\n`);
  out.end();
  await once(out, "finish");
}

/** Reads an `allocations.csv`: account → amount (a channel's cumulative score). Errors name file, line and field. */
export async function readAllocationsCsv(path: string): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  for await (const { values, line } of readCsvRows(path, ALLOCATIONS_COLUMNS)) {
    const [rawAccount, , , amount] = values;
    const account = checkAddress(rawAccount);
    if (!account.ok) throw new InputError({ file: path, line, field: "account" }, account.problem);
    if (!/^\d+$/.test(amount)) throw new InputError({ file: path, line, field: "amount" }, `${JSON.stringify(amount)} is not a decimal integer`);
    out.set(account.address, BigInt(amount));
  }
  return out;
}
