/**
 * Reading and writing `registry.ndjson` and `registry.rejected.ndjson` (an edge: files). Lines are checked
 * by the shared format; writes are atomic (temporary file + rename), so a reader sees the old file or the
 * new one.
 */
import { readFile, rename, rm } from "node:fs/promises";
import { InputError } from "../errors";
import { writeTempSibling } from "../output";
import {
  checkRegistryEntry,
  formatRegistryLine,
  formatRejectedLine,
  isLineProblem,
  rejectedPathFor,
  type RegistryEntry,
  type RejectedPost,
} from "../format/registry";
import { parseJsonText } from "../json-locate";

/** A registry entry and the line it came from. */
export interface RegistryLine {
  readonly entry: RegistryEntry;
  readonly line: number;
}

async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/**
 * Parses registry text: one JSON object a line (blank lines skipped), each a valid entry; an X account or a
 * wallet on two lines is an error naming both lines.
 */
export function parseRegistryText(text: string, file: string): RegistryLine[] {
  const out: RegistryLine[] = [];
  const users = new Map<string, number>();
  const wallets = new Map<string, number>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, "");
    if (raw.trim() === "") continue;
    const line = i + 1;
    const checked = checkRegistryEntry(parseJsonText(raw, file, i));
    if (isLineProblem(checked)) throw new InputError({ file, line, field: checked.field }, checked.problem);
    const u = users.get(checked.userId);
    if (u !== undefined) throw new InputError({ file, line, field: "userId" }, `X account ${checked.userId} is already on line ${u}; a registry has one line per X account`);
    const w = wallets.get(checked.wallet);
    if (w !== undefined) throw new InputError({ file, line, field: "wallet" }, `wallet ${checked.wallet} is already registered on line ${w}; one wallet serves one X account`);
    users.set(checked.userId, line);
    wallets.set(checked.wallet, line);
    out.push({ entry: checked, line });
  }
  return out;
}

/** Reads a registry file; a missing file is an empty registry only when `missingOk`. */
export async function readRegistryFile(path: string, options: { missingOk?: boolean; file?: string } = {}): Promise<RegistryLine[]> {
  const file = options.file ?? path;
  const text = await readTextOrNull(path);
  if (text === null) {
    if (options.missingOk) return [];
    throw new InputError({ file, line: 0, field: "(file)" }, "the registry file does not exist");
  }
  return parseRegistryText(text, file);
}

/** Reads `registry.rejected.ndjson` (missing = none). Lines must be `{postId, authorId, reason}`. */
export async function readRejectedFile(path: string): Promise<RejectedPost[]> {
  const text = await readTextOrNull(path);
  if (text === null) return [];
  const out: RejectedPost[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    const o = parseJsonText(lines[i], path, i) as Record<string, unknown> | null;
    for (const k of ["postId", "authorId", "reason"]) {
      if (!o || typeof o[k] !== "string") throw new InputError({ file: path, line: i + 1, field: k }, "expected a string");
    }
    out.push({ postId: o!.postId as string, authorId: o!.authorId as string, reason: o!.reason as string });
  }
  return out;
}

/** The registry's bytes: one line per entry, in the given order, each ending in "\n". */
export function registryText(entries: readonly RegistryEntry[]): string {
  return entries.map((e) => formatRegistryLine(e) + "\n").join("");
}

/**
 * Writes the registry and its rejects: both temporary files are complete and flushed before either is renamed
 * into place, the rejects first. A reader sees each file old or new, never half-written. If the process dies
 * between the two renames, the next run reads the new rejects beside the old registry: the posts registered
 * in between are in neither and register again, every refusal stays what it was; nothing is lost.
 */
export async function writeRegistryFiles(path: string, registry: readonly RegistryEntry[], rejected: readonly RejectedPost[]): Promise<void> {
  const rejectedPath = rejectedPathFor(path);
  const tmpRejected = await writeTempSibling(rejectedPath, rejected.map((r) => formatRejectedLine(r) + "\n").join(""));
  let tmpRegistry: string;
  try {
    tmpRegistry = await writeTempSibling(path, registryText(registry));
  } catch (e) {
    await rm(tmpRejected, { force: true });
    throw e;
  }
  try {
    await rename(tmpRejected, rejectedPath);
    await rename(tmpRegistry, path);
  } catch (e) {
    await Promise.all([rm(tmpRejected, { force: true }), rm(tmpRegistry, { force: true })]);
    throw e;
  }
}
