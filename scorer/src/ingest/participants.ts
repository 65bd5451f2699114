/**
 * Registered participants (X-Hunters / X-Creators): `userId, handle, address`, from CSV or JSON.
 * One X account has one wallet and one wallet one X account; addresses must pass EIP-55.
 */
import { readFile } from "node:fs/promises";
import { addressHasherReady, checkAddress } from "../address";
import { InputError, show } from "../errors";
import { inputFileSize, readCsvRows } from "./lines";
import { locateJson, parseJsonText } from "../json-locate";

export interface Participant {
  /** X user id. */
  readonly userId: string;
  /** X handle without the @. */
  readonly handle: string;
  /** EIP-55 checksummed wallet address. */
  readonly address: string;
}

/** A participant row as read, before validation. */
export interface ParticipantRecord {
  readonly userId: unknown;
  readonly handle: unknown;
  readonly address: unknown;
  /** 1-based line in the file. */
  readonly line: number;
  /** Line of each field when fields sit on different lines (JSON). */
  readonly fieldLines?: Readonly<Record<string, number>>;
}

export const PARTICIPANT_COLUMNS = ["userId", "handle", "address"] as const;

const USER_ID_RE = /^[^\s,"]{1,64}$/;
const HANDLE_RE = /^@?[A-Za-z0-9_]{1,15}$/;

/** Checks one X user id; returns a problem or undefined. */
export function userIdProblem(v: unknown): string | undefined {
  if (typeof v === "number") return `${v} is a number: give X ids as strings (ids above 2^53 lose digits as numbers)`;
  if (typeof v !== "string") return v === undefined || v === null ? "missing" : `${show(v)} is not a string`;
  if (!USER_ID_RE.test(v)) return `${show(v)} is not an id (1 to 64 characters, no spaces, commas or quotes)`;
  return undefined;
}

/**
 * Validates participant records. Pure. Rejects bad fields, bad checksums, an X account with two
 * wallets and a wallet for two X accounts; an exact repeat of a row is accepted once.
 */
export function validateParticipants(records: Iterable<ParticipantRecord>, file: string): Participant[] {
  const byUser = new Map<string, { p: Participant; line: number }>();
  const byAddress = new Map<string, { p: Participant; line: number }>();
  const out: Participant[] = [];
  for (const r of records) {
    const at = (field: string) => ({ file, line: r.fieldLines?.[field] ?? r.line, field });
    const idProblem = userIdProblem(r.userId);
    if (idProblem) throw new InputError(at("userId"), idProblem);
    const userId = r.userId as string;
    if (typeof r.handle !== "string" || !HANDLE_RE.test(r.handle)) {
      throw new InputError(at("handle"), `${show(r.handle)} is not an X handle (1 to 15 letters, digits or _, optional @)`);
    }
    const handle = r.handle.replace(/^@/, "");
    const check = checkAddress(r.address);
    if (!check.ok) throw new InputError(at("address"), check.problem);
    if (BigInt(check.address) === 0n) throw new InputError(at("address"), "the zero address cannot receive anything");
    const p: Participant = { userId, handle, address: check.address };
    const sameUser = byUser.get(userId);
    const sameAddress = byAddress.get(check.address);
    if (sameUser && sameUser.p.address === p.address && sameUser.p.handle === p.handle) continue;
    if (sameUser && sameUser.p.address !== p.address) {
      throw new InputError(
        at("address"),
        `X account ${userId} already has wallet ${sameUser.p.address} (line ${sameUser.line}); one X account may register one wallet`,
      );
    }
    if (sameUser) {
      throw new InputError(at("handle"), `X account ${userId} is listed with handle ${sameUser.p.handle} on line ${sameUser.line}`);
    }
    if (sameAddress) {
      throw new InputError(
        at("address"),
        `wallet ${check.address} is already registered to X account ${sameAddress.p.userId} (line ${sameAddress.line}); one wallet may serve one X account`,
      );
    }
    byUser.set(userId, { p, line: r.line });
    byAddress.set(p.address, { p, line: r.line });
    out.push(p);
  }
  return out;
}

/** Reads participant records from CSV (header `userId,handle,address`). */
export async function* readParticipantCsv(path: string, file = path): AsyncGenerator<ParticipantRecord> {
  for await (const { values, line } of readCsvRows(path, PARTICIPANT_COLUMNS, file)) {
    yield { userId: values[0], handle: values[1], address: values[2], line };
  }
}

/** Reads participant records from a JSON array of `{userId, handle, address}`. */
export async function readParticipantJson(path: string, file = path): Promise<ParticipantRecord[]> {
  const text = await readFile(path, "utf8");
  const json = parseJsonText(text, file);
  const locate = locateJson(text);
  if (!Array.isArray(json)) throw new InputError({ file, line: 1, field: "(root)" }, "expected a JSON array of {userId, handle, address}");
  return json.map((row: unknown, i) => {
    const line = locate([i]);
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      throw new InputError({ file, line, field: String(i) }, "expected an object {userId, handle, address}");
    }
    const o = row as Record<string, unknown>;
    const extra = Object.keys(o).find((k) => !(PARTICIPANT_COLUMNS as readonly string[]).includes(k));
    if (extra) throw new InputError({ file, line: locate([i, extra]), field: extra }, "unknown field; expected userId, handle, address");
    const fieldLines = Object.fromEntries(PARTICIPANT_COLUMNS.map((k) => [k, locate([i, k])]));
    return { userId: o.userId, handle: o.handle, address: o.address, line, fieldLines };
  });
}

/** Reads and validates a participants file; `.json` is JSON, anything else CSV. */
export async function readParticipants(path: string, file = path): Promise<Participant[]> {
  await inputFileSize(path); // `file not found: PATH` / `PATH is a directory`
  await addressHasherReady; // fast EIP-55 checks for every row
  if (path.toLowerCase().endsWith(".json")) return validateParticipants(await readParticipantJson(path, file), file);
  const records: ParticipantRecord[] = [];
  for await (const r of readParticipantCsv(path, file)) records.push(r);
  return validateParticipants(records, file);
}
