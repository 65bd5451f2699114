/**
 * An open-addressing hash table from byte strings (ranges of a Buffer) to small integers. Ingest looks
 * every user and content id up by its bytes in the input buffer, so a JS string is made only the first
 * time an id is seen: a million rows carry three million ids but only ~150,000 distinct ones, and a
 * `Map<string, number>` lookup of a fresh string per id was the slowest part of reading a file.
 *
 * X ids are decimal strings of up to 19 digits. The pass that hashes a key also reads such a key as two exact
 * numbers (all digits but the last nine, and the last nine), so a lookup confirms a numeric key by comparing
 * length and those two numbers instead of every byte (the byte comparison was ~20% of ingest). Keys that are
 * not 1–19 ASCII digits are compared byte by byte. Both comparisons are exact: equal length, equal leading
 * part and equal last nine digits mean equal digit strings.
 */

/** Longest key read as numbers: 10 leading digits (< 1e10, exact in a double) + 9 trailing (< 1e9). */
const MAX_NUMERIC_KEY = 19;

export class ByteInterner {
  /** The current key's hash and numeric parts, filled by one pass of {@link readKey} (no allocation per lookup). */
  private keyHash = 0;
  /** Value of the key's digits but the last nine; NaN when the key is not 1–19 ASCII digits. */
  private keyHigh = NaN;
  /** Value of the key's last nine digits (or all of them, for keys of up to nine). */
  private keyLow = 0;
  /** The keys' bytes, back to back. */
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  /**
   * Per slot: value + 1 (0 = empty), key offset in the arena, key length, hash, and the key's numeric parts
   * (high NaN for a key that is not numeric, so a numeric lookup never matches it by numbers).
   */
  private vals = new Int32Array(1 << 10);
  private offs = new Int32Array(1 << 10);
  private lens = new Int32Array(1 << 10);
  private hashes = new Uint32Array(1 << 10);
  private highs = new Float64Array(1 << 10);
  private lows = new Int32Array(1 << 10);
  private size = 0;

  /** The value stored for `buf[s, e)`, or -1. */
  get(buf: Uint8Array, s: number, e: number): number {
    this.readKey(buf, s, e);
    const h = this.keyHash;
    const mask = this.vals.length - 1;
    const n = e - s;
    const high = this.keyHigh;
    if (high === high) {
      // A numeric key (high is not NaN): equal length and equal parts mean equal bytes.
      const low = this.keyLow;
      for (let slot = h & mask; ; slot = (slot + 1) & mask) {
        const v = this.vals[slot];
        if (v === 0) return -1;
        if (this.hashes[slot] === h && this.lens[slot] === n && this.highs[slot] === high && this.lows[slot] === low) return v - 1;
      }
    }
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const v = this.vals[slot];
      if (v === 0) return -1;
      if (this.hashes[slot] === h && this.lens[slot] === n && this.sameBytes(this.offs[slot], buf, s, n)) return v - 1;
    }
  }

  /** Stores `value` (≥ 0) for `buf[s, e)`, which must not be present yet. */
  set(buf: Uint8Array, s: number, e: number, value: number): void {
    if ((this.size + 1) * 2 > this.vals.length) this.grow();
    const n = e - s;
    while (this.arenaUsed + n > this.arena.length) {
      const bigger = new Uint8Array(this.arena.length * 2);
      bigger.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = bigger;
    }
    this.arena.set(buf.subarray(s, e), this.arenaUsed);
    this.readKey(buf, s, e);
    this.insert(this.keyHash, this.arenaUsed, n, value + 1, this.keyHigh, this.keyLow);
    this.arenaUsed += n;
    this.size++;
  }

  /** FNV-1a over `buf[s, e)` into keyHash, and keyHigh / keyLow as described at the top. */
  private readKey(buf: Uint8Array, s: number, e: number): void {
    let h = 0x811c9dc5;
    const n = e - s;
    let numeric = n > 0 && n <= MAX_NUMERIC_KEY;
    const split = e - 9;
    let high = 0;
    let low = 0;
    for (let i = s; i < e; i++) {
      const c = buf[i];
      h = Math.imul(h ^ c, 0x01000193);
      const d = c - 48;
      if (d < 0 || d > 9) numeric = false;
      else if (i < split) high = high * 10 + d;
      else low = low * 10 + d;
    }
    this.keyHash = h >>> 0;
    this.keyHigh = numeric ? high : NaN;
    this.keyLow = low;
  }

  private sameBytes(off: number, buf: Uint8Array, s: number, n: number): boolean {
    const a = this.arena;
    for (let i = 0; i < n; i++) if (a[off + i] !== buf[s + i]) return false;
    return true;
  }

  private insert(h: number, off: number, n: number, v: number, high: number, low: number): void {
    const mask = this.vals.length - 1;
    let slot = h & mask;
    while (this.vals[slot] !== 0) slot = (slot + 1) & mask;
    this.vals[slot] = v;
    this.offs[slot] = off;
    this.lens[slot] = n;
    this.hashes[slot] = h;
    this.highs[slot] = high;
    this.lows[slot] = low;
  }

  private grow(): void {
    const { vals, offs, lens, hashes, highs, lows } = this;
    const size = vals.length * 2;
    this.vals = new Int32Array(size);
    this.offs = new Int32Array(size);
    this.lens = new Int32Array(size);
    this.hashes = new Uint32Array(size);
    this.highs = new Float64Array(size);
    this.lows = new Int32Array(size);
    for (let i = 0; i < vals.length; i++) if (vals[i] !== 0) this.insert(hashes[i], offs[i], lens[i], vals[i], highs[i], lows[i]);
  }
}
