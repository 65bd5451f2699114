/**
 * A byte-level line splitter: reads a file in large chunks and hands each line to a callback as a range
 * of a Buffer, without creating a string per line (readline decodes and allocates every line, which
 * capped ingest at ~30 MB/s). Lines end at `\n`; a `\r` before it is dropped; a UTF-8 byte-order mark
 * at the start of the file is skipped. A line longer than the buffer grows the buffer.
 */
import { open } from "node:fs/promises";

/** Called once per line: `buf[start, end)` is the line without its line break; `line` is 1-based. */
export type LineFn = (buf: Buffer, start: number, end: number, line: number) => void;

const CHUNK = 4 << 20;

/**
 * Calls `onLine` for every line of `path` (a sync callback; throw to stop). `onBytes` reports the bytes
 * read so far after each chunk.
 */
export async function forEachLine(path: string, onLine: LineFn, onBytes?: (bytes: number) => void): Promise<void> {
  const fh = await open(path, "r");
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let filled = 0; // bytes of buf holding data
    let pos = 0; // start of the current (unfinished) line
    let line = 0;
    let bytesRead = 0;
    let first = true;
    for (;;) {
      if (pos > 0) {
        buf.copyWithin(0, pos, filled);
        filled -= pos;
        pos = 0;
      }
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const { bytesRead: n } = await fh.read(buf, filled, buf.length - filled, null);
      bytesRead += n;
      filled += n;
      if (first) {
        // The first read fills the buffer (or holds the whole file), so a byte-order mark is in it.
        first = false;
        if (filled >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      }
      const view = buf.subarray(0, filled);
      for (;;) {
        const nl = view.indexOf(10, pos);
        if (nl === -1) break;
        const end = nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl;
        onLine(buf, pos, end, ++line);
        pos = nl + 1;
      }
      if (n > 0) onBytes?.(bytesRead);
      if (n === 0) {
        if (pos < filled) {
          const end = buf[filled - 1] === 13 ? filled - 1 : filled;
          onLine(buf, pos, end, ++line);
        }
        return;
      }
    }
  } finally {
    await fh.close();
  }
}
