/**
 * Atomic file output: every file is written to `<path>.tmp-<pid>-<random>` in its own directory, flushed
 * (fsync, unless disabled) and renamed over `<path>`, so a reader sees the old file or the complete new
 * one, never a half-written one. On failure the temporary files are removed.
 *
 * `AtomicBatch` groups several files: none is renamed until all are written, so a failure while writing
 * leaves every target untouched.
 */
import { randomBytes } from "crypto";
import { promises as fs } from "fs";
import * as path from "path";

export interface AtomicOptions {
  /** fsync each file before the rename, and its directory after (default true). */
  fsync?: boolean;
}

/** A temporary file that becomes `path` on commit. */
export class AtomicFile {
  private closed = false;
  private finishing: Promise<void> | undefined;
  private pending: Promise<unknown> = Promise.resolve();

  private constructor(
    /** The final path. */
    readonly path: string,
    /** Where the data goes until commit. */
    readonly tempPath: string,
    private readonly handle: fs.FileHandle,
    private readonly sync: boolean,
  ) {}

  /** Creates the temporary file (exclusively) next to `target`. */
  static async open(target: string, options: AtomicOptions = {}): Promise<AtomicFile> {
    const tempPath = `${target}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
    const handle = await fs.open(tempPath, "wx", 0o644);
    return new AtomicFile(target, tempPath, handle, options.fsync ?? true);
  }

  /**
   * Appends `data`. Writes are queued in order; the returned promise settles when this write is done, so
   * a caller can keep one write in flight while it prepares the next buffer (do not modify `data` before then).
   */
  write(data: Uint8Array | string): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.path}: write after close`));
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    const next = this.pending.then(async () => {
      let off = 0;
      while (off < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, off, bytes.length - off);
        off += bytesWritten;
      }
    });
    this.pending = next.catch(() => undefined);
    return next;
  }

  /** Waits for queued writes, flushes and closes the temporary file (does not rename). Idempotent. */
  finish(): Promise<void> {
    if (!this.finishing) {
      this.closed = true;
      this.finishing = (async () => {
        try {
          await this.pending;
          if (this.sync) await this.handle.sync();
        } finally {
          await this.handle.close();
        }
      })();
    }
    return this.finishing;
  }

  /** finish() then rename the temporary file over the target. */
  async commit(): Promise<void> {
    await this.finish();
    await fs.rename(this.tempPath, this.path);
  }

  /** Closes (if needed) and deletes the temporary file; never throws. */
  async discard(): Promise<void> {
    if (this.finishing) {
      await this.finishing.catch(() => undefined);
    } else {
      this.closed = true;
      this.finishing = Promise.resolve();
      await this.pending.catch(() => undefined);
      await this.handle.close().catch(() => undefined);
    }
    await fs.rm(this.tempPath, { force: true }).catch(() => undefined);
  }
}

async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, "r");
    await handle.sync();
  } catch {
    // Directories cannot be opened or fsync'ed on some platforms (Windows); the renames are still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Files that are all written first and renamed into place together. */
export class AtomicBatch {
  private readonly files: AtomicFile[] = [];
  private done = false;

  constructor(private readonly options: AtomicOptions = {}) {}

  /** Opens a temporary file for `target` (its directory must exist). */
  async open(target: string): Promise<AtomicFile> {
    if (this.done) throw new Error("AtomicBatch already committed or aborted");
    const file = await AtomicFile.open(target, this.options);
    this.files.push(file);
    return file;
  }

  /** Flushes every file, then renames each over its target, then syncs the directories. */
  async commit(): Promise<void> {
    if (this.done) throw new Error("AtomicBatch already committed or aborted");
    try {
      await Promise.all(this.files.map((f) => f.finish()));
    } catch (error) {
      await this.abort();
      throw error;
    }
    this.done = true;
    for (const f of this.files) await fs.rename(f.tempPath, f.path);
    if (this.options.fsync ?? true) {
      await Promise.all([...new Set(this.files.map((f) => path.dirname(f.path)))].map(syncDir));
    }
  }

  /** Removes every temporary file. */
  async abort(): Promise<void> {
    this.done = true;
    await Promise.all(this.files.map((f) => f.discard()));
  }
}

/**
 * Runs `fn` with a batch and commits it; if `fn` (or the commit's flush) throws, removes the temporary files
 * and rethrows.
 */
export async function withAtomicBatch<T>(
  fn: (batch: AtomicBatch) => Promise<T>,
  options: AtomicOptions = {},
): Promise<T> {
  const batch = new AtomicBatch(options);
  let result: T;
  try {
    result = await fn(batch);
  } catch (error) {
    await batch.abort();
    throw error;
  }
  await batch.commit();
  return result;
}

/** Writes `data` to `target` atomically (creating its directory if needed). */
export async function writeFileAtomic(
  target: string,
  data: Uint8Array | string,
  options: AtomicOptions = {},
): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const file = await AtomicFile.open(target, options);
  try {
    await file.write(data);
    await file.commit();
  } catch (error) {
    await file.discard();
    throw error;
  }
}
