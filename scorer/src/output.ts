/**
 * Output directories: written in a temporary sibling, renamed into place when complete, and never at the
 * cost of what was there. `--out` may be a new path, an empty folder, or an earlier scorer output (its
 * manifest.json says so); an earlier output is kept as a backup sibling (`OUT.replaced-<time>`), and one
 * whose root is posted on chain, or a folder that is not a scorer output, is refused unless forced. A
 * regular file is never replaced.
 */
import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { ScorerError } from "./errors";
import { loadManifest, type Manifest } from "./format/manifest";

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** What `--out` points at now. */
export type OutTarget =
  | { readonly kind: "absent" }
  | { readonly kind: "empty" }
  | { readonly kind: "scorer-output"; readonly manifest: Manifest }
  | {
      readonly kind: "other";
      readonly entries: readonly string[];
      readonly why: string;
    }
  | { readonly kind: "not-a-directory" };

export async function inspectOutTarget(outDir: string): Promise<OutTarget> {
  let s;
  try {
    s = await lstat(outDir);
  } catch {
    return { kind: "absent" };
  }
  if (!s.isDirectory()) return { kind: "not-a-directory" };
  const entries = (await readdir(outDir)).sort();
  if (entries.length === 0) return { kind: "empty" };
  const manifestPath = join(outDir, "manifest.json");
  let text: string;
  try {
    text = await readFile(manifestPath, "utf8");
  } catch {
    return { kind: "other", entries, why: "it has no manifest.json" };
  }
  try {
    return {
      kind: "scorer-output",
      manifest: loadManifest(text, manifestPath),
    };
  } catch (e) {
    return {
      kind: "other",
      entries,
      why: `its manifest.json is not a scorer manifest (${(e as Error).message.split("\n")[0]})`,
    };
  }
}

/** Whether a manifest's root is posted on chain: true, false, or undefined when it cannot be told. */
export type PostedCheck = (
  manifest: Manifest,
) => Promise<{ posted: boolean; where: string } | undefined>;

export interface OutGuardOptions {
  /** `--force`: replace a non-scorer folder or an output whose root is posted (still kept as a backup). */
  readonly force?: boolean;
  readonly isPosted?: PostedCheck;
}

/** What replacing `--out` will do, once it is allowed. */
export interface OutPlan {
  readonly outDir: string;
  /** Where the current content goes (null: nothing to keep). */
  readonly backupDir: string | null;
  /** Notes for the user (e.g. "could not check whether the root is posted"). */
  readonly notes: readonly string[];
}

function stamp(d = new Date()): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

/**
 * Decides whether `--out` may be written, before any work is done. Throws a {@link ScorerError} that says
 * why not and how to proceed.
 */
export async function planOutput(
  outDir: string,
  options: OutGuardOptions = {},
): Promise<OutPlan> {
  const out = resolve(outDir);
  const target = await inspectOutTarget(out);
  const notes: string[] = [];
  if (target.kind === "absent" || target.kind === "empty")
    return { outDir: out, backupDir: null, notes };
  if (target.kind === "not-a-directory") {
    throw new ScorerError(
      `--out ${outDir} is a file, not a folder: the scorer never replaces a file`,
      {
        details: [
          "Give a new folder name (or an earlier scorer output folder) for --out.",
        ],
      },
    );
  }
  if (target.kind === "other") {
    if (!options.force) {
      const shown =
        target.entries.slice(0, 5).join(", ") +
        (target.entries.length > 5
          ? `, … (${target.entries.length} entries)`
          : "");
      throw new ScorerError(
        `--out ${outDir} is not a scorer output (${target.why}; it holds ${shown}): refusing to replace it`,
        {
          details: [
            "Give a new folder for --out, or add --force to move this folder aside (it is kept as a backup sibling).",
          ],
        },
      );
    }
    notes.push(`--out ${outDir} was not a scorer output (--force)`);
  } else {
    const m = target.manifest;
    const posted = options.isPosted ? await options.isPosted(m) : undefined;
    const what = `${m.campaign.kind} ${m.campaign.id}${m.campaign.epoch !== null ? ` epoch ${m.campaign.epoch}` : ""}`;
    if (posted?.posted && !options.force) {
      throw new ScorerError(
        `--out ${outDir} holds ${what} whose root ${m.root} is posted on chain (${posted.where}): refusing to replace it`,
        {
          details: [
            "Claims are proven against these files; write the new run to another folder.",
            "If you really mean to replace it, add --force (the current folder is then kept as a backup sibling).",
          ],
        },
      );
    }
    if (posted === undefined)
      notes.push(
        `could not check whether the root of ${what} in ${outDir} is posted (no rewards contract known); kept as a backup`,
      );
  }
  let backupDir = `${out}.replaced-${stamp()}`;
  for (let k = 2; await exists(backupDir); k++)
    backupDir = `${out}.replaced-${stamp()}-${k}`;
  return { outDir: out, backupDir, notes };
}

/**
 * Calls `write(tmpDir)` on a fresh temporary sibling of `outDir`, then puts it in place of `outDir`.
 * If `write` throws, nothing changes (the temporary directory is removed). What was at `outDir` is
 * moved to `backupDir` (a plan from {@link planOutput}) only once the new output is complete; without a
 * backup path an existing folder must be empty. If the final rename fails, the old folder is put back.
 */
export async function writeDirAtomically<T>(
  outDir: string,
  write: (tmpDir: string) => Promise<T>,
  backupDir: string | null = null,
): Promise<T> {
  const out = resolve(outDir);
  const parent = dirname(out);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const tmp = join(parent, `.${basename(out)}.tmp-${tag}`);
  await mkdir(tmp);
  let result: T;
  try {
    result = await write(tmp);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const hadOld = await exists(out);
  if (hadOld) {
    const s = await stat(out);
    const empty = s.isDirectory() && (await readdir(out)).length === 0;
    if (!s.isDirectory() || (!empty && backupDir === null)) {
      await rm(tmp, { recursive: true, force: true });
      throw new ScorerError(
        `--out ${outDir} changed while scoring (it is now ${s.isDirectory() ? "a non-empty folder" : "a file"}): nothing written`,
      );
    }
  }
  const aside = backupDir ?? join(parent, `.${basename(out)}.old-${tag}`);
  try {
    if (hadOld) await rename(out, aside);
    await rename(tmp, out);
  } catch (e) {
    if (hadOld && !(await exists(out)) && (await exists(aside)))
      await rename(aside, out);
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  if (hadOld && backupDir === null)
    await rm(aside, { recursive: true, force: true });
  return result;
}

/**
 * A temporary sibling of `target` holding `data`, flushed to disk; the caller renames it into place (or removes
 * it). For writes that commit several files together, such as the registry and its rejections.
 */
export async function writeTempSibling(target: string, data: Uint8Array | string): Promise<string> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    const handle = await open(tmp, "wx", 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return tmp;
}

/**
 * Writes one file atomically (a temporary sibling, flushed, renamed over `target`): for a lone file outside an
 * output directory, such as the benchmark's report. Files inside an output directory need nothing of the kind:
 * the directory is swapped as a whole (`writeDirAtomically`).
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const tmp = await writeTempSibling(target, data);
  try {
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
