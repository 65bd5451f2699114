/**
 * An open-addressing hash table from byte strings (ranges of a Buffer) to small integers. Ingest looks
 * every user and content id up by its bytes in the input buffer, so a JS string is made only the first
 * time an id is seen: a million rows carry three million ids but only ~150,000 distinct ones, and a
 * `Map<string, number>` lookup of a fresh string per id was the slowest part of reading a file.
 */

/** FNV-1a over `buf[s, e)`. */
function hashBytes(buf: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h >>> 0;
}

export class ByteInterner {
  /** The keys' bytes, back to back. */
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  /** Per slot: value + 1 (0 = empty), key offset in the arena, key length, hash. */
  private vals = new Int32Array(1 << 10);
  private offs = new Int32Array(1 << 10);
  private lens = new Int32Array(1 << 10);
  private hashes = new Uint32Array(1 << 10);
  private size = 0;

  /** The value stored for `buf[s, e)`, or -1. */
  get(buf: Uint8Array, s: number, e: number): number {
    const h = hashBytes(buf, s, e);
    const mask = this.vals.length - 1;
    const n = e - s;
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
    this.insert(hashBytes(buf, s, e), this.arenaUsed, n, value + 1);
    this.arenaUsed += n;
    this.size++;
  }

  private sameBytes(off: number, buf: Uint8Array, s: number, n: number): boolean {
    const a = this.arena;
    for (let i = 0; i < n; i++) if (a[off + i] !== buf[s + i]) return false;
    return true;
  }

  private insert(h: number, off: number, n: number, v: number): void {
    const mask = this.vals.length - 1;
    let slot = h & mask;
    while (this.vals[slot] !== 0) slot = (slot + 1) & mask;
    this.vals[slot] = v;
    this.offs[slot] = off;
    this.lens[slot] = n;
    this.hashes[slot] = h;
  }

  private grow(): void {
    const { vals, offs, lens, hashes } = this;
    const size = vals.length * 2;
    this.vals = new Int32Array(size);
    this.offs = new Int32Array(size);
    this.lens = new Int32Array(size);
    this.hashes = new Uint32Array(size);
    for (let i = 0; i < vals.length; i++) if (vals[i] !== 0) this.insert(hashes[i], offs[i], lens[i], vals[i]);
  }
}
