/** Atomic output directories: everything is written in a temporary sibling, then renamed into place. */
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Calls `write(tmpDir)` on a fresh temporary sibling of `outDir`, then puts it in place of `outDir`.
 * If `write` throws, nothing changes (the temporary directory is removed). An existing `outDir` is
 * replaced only once the new one is complete; if the final rename fails it is put back.
 */
export async function writeDirAtomically<T>(outDir: string, write: (tmpDir: string) => Promise<T>): Promise<T> {
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
  const old = join(parent, `.${basename(out)}.old-${tag}`);
  const hadOld = await exists(out);
  try {
    if (hadOld) await rename(out, old);
    await rename(tmp, out);
  } catch (e) {
    if (hadOld && !(await exists(out)) && (await exists(old))) await rename(old, out);
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
  return result;
}

/**
 * Writes one file atomically (a temporary sibling, flushed, renamed over `target`): for a lone file outside an
 * output directory, such as the benchmark's report. Files inside an output directory need nothing of the kind:
 * the directory is swapped as a whole (`writeDirAtomically`).
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
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
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
