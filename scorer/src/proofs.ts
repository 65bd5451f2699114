/**
 * Writes a tree's outputs: `tree.json` (the `@openzeppelin/merkle-tree` standard-v1 dump, loadable by
 * `StandardMerkleTree.load`) and `proofs/XX.json` shards (XX = first byte of the account, "00".."ff").
 *
 * Everything is streamed from the tree's node bytes in ~1 MiB chunks (a 1M-leaf dump is ~240 MB and all
 * proofs ~1.4 GB: far beyond one JSON.stringify), and written atomically as one batch (see atomic.ts).
 */
import { promises as fs } from "fs";
import * as path from "path";
import { AtomicBatch, AtomicFile, withAtomicBatch } from "./atomic";
import {
  BufferMerkleTree,
  FastMerkleTree,
  LeafValue,
  LeafValueError,
  PARALLEL_MIN_LEAVES,
  buildBufferTree,
  sortIndicesByBytes,
  writeHex,
} from "./tree";
import { PROOFS_DIR, shardFileName } from "./format/proof-shards";
import { HashEachJob, getHasher, hashEachKernel, newCtrl, openPool, publishChunks, runJob } from "./tree-worker";

export interface WriteTreeOutputsOptions {
  /** fsync every file before it is renamed into place (default true). */
  fsync?: boolean;
  /** Called as stages progress (e.g. to drive a progress bar): stage name, units done, units in the stage. */
  onProgress?: (stage: "checksums" | "tree" | "proofs", done: number, total: number) => void;
}

const CHUNK = 1 << 20;
/** Buffer size per proof shard (256 of them, two buffers each). */
const SHARD_CHUNK = 1 << 16;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** PAIR[b] & 255 = ASCII of b's high hex digit, PAIR[b] >>> 8 = of its low digit. */
const PAIR = new Uint16Array(256);
for (let b = 0; b < 256; b++)
  PAIR[b] = "0123456789abcdef".charCodeAt(b >> 4) | ("0123456789abcdef".charCodeAt(b & 15) << 8);

/** Writes `"0x<64 hex digits>"` of node `node` (words = the node bytes as native Uint32s); returns the end. */
function quotedNodeLE(words: Uint32Array, bytes: Uint8Array, node: number, dst: Uint8Array, p: number): number {
  dst[p++] = 34;
  dst[p++] = 48;
  dst[p++] = 120;
  for (let q = node * 8, e = q + 8; q < e; q++) {
    const x = words[q];
    let v = PAIR[x & 255];
    dst[p++] = v;
    dst[p++] = v >>> 8;
    v = PAIR[(x >>> 8) & 255];
    dst[p++] = v;
    dst[p++] = v >>> 8;
    v = PAIR[(x >>> 16) & 255];
    dst[p++] = v;
    dst[p++] = v >>> 8;
    v = PAIR[x >>> 24];
    dst[p++] = v;
    dst[p++] = v >>> 8;
  }
  dst[p++] = 34;
  return p;
}

function quotedNodeBytes(words: Uint32Array, bytes: Uint8Array, node: number, dst: Uint8Array, p: number): number {
  dst[p++] = 34;
  dst[p++] = 48;
  dst[p++] = 120;
  p = writeHex(bytes, node * 32, 32, dst, p);
  dst[p++] = 34;
  return p;
}

const quotedNode = LITTLE_ENDIAN ? quotedNodeLE : quotedNodeBytes;

/** End offset of the last fill* call. */
let filled = 0;

/** Writes nodes i.. as `"0x…",` until `limit` or `count`; returns the next node, `filled` = end offset. */
function fillNodes(
  words: Uint32Array,
  bytes: Uint8Array,
  i: number,
  count: number,
  dst: Uint8Array,
  p: number,
  limit: number,
): number {
  for (; i < count && p < limit; i++) {
    if (i > 0) dst[p++] = 44;
    p = quotedNode(words, bytes, i, dst, p);
  }
  filled = p;
  return i;
}

/** One output buffer per proof shard (first address byte), each flushed to its file with one write in flight. */
class ShardSinks {
  readonly bufs: Buffer[] = [];
  readonly pos = new Int32Array(256);
  /** Entries written per shard (a comma precedes every entry but the first). */
  readonly entries = new Int32Array(256);
  private readonly spares: Buffer[] = [];
  private readonly inFlight: Promise<void>[] = [];

  constructor(
    private readonly files: readonly AtomicFile[],
    size: number,
    /** Bytes one entry may take. */
    readonly reserve: number,
  ) {
    for (let s = 0; s < 256; s++) {
      this.bufs.push(Buffer.allocUnsafe(size));
      this.spares.push(Buffer.allocUnsafe(size));
      this.inFlight.push(Promise.resolve());
      this.bufs[s][0] = 123; // {
      this.pos[s] = 1;
    }
  }

  /** Offset from which a shard buffer must be flushed. */
  get limit(): number {
    return this.bufs[0].length - this.reserve;
  }

  async flush(s: number): Promise<void> {
    await this.inFlight[s]; // the spare buffer is free again
    const data = this.bufs[s];
    const write = this.files[s].write(data.subarray(0, this.pos[s]));
    write.catch(() => undefined); // awaited at the next flush or close
    this.inFlight[s] = write;
    this.bufs[s] = this.spares[s];
    this.spares[s] = data;
    this.pos[s] = 0;
  }

  /** Writes the closing brace of every shard and waits for all writes. */
  async close(): Promise<void> {
    for (let s = 0; s < 256; s++) {
      this.bufs[s][this.pos[s]++] = 125; // }
      await this.flush(s);
    }
    await Promise.all(this.inFlight);
  }
}

/** Shard whose buffer filled up in the last fillShards call, or -1. */
let fullShard = -1;

/**
 * Appends the shard entries of leaves in tree order (tree index n-1+k for k = from..n-1) to their shards' buffers,
 * until one buffer reaches the limit (`fullShard`, returns the next k) or the end. Walking the leaves in tree order
 * keeps consecutive proofs on shared, cached paths of the node array.
 */
function fillShards(
  tree: BufferMerkleTree,
  words: Uint32Array,
  values: readonly LeafValue[],
  leafAt: Uint32Array,
  raw: Uint8Array,
  checksummed: Uint8Array,
  k: number,
  sinks: ShardSinks,
): number {
  const bytes = tree.nodes;
  const n = leafAt.length;
  const bufs = sinks.bufs;
  const pos = sinks.pos;
  const entries = sinks.entries;
  const limit = sinks.limit;
  for (; k < n;) {
    const i = leafAt[k];
    const s = raw[i * 20];
    const dst = bufs[s];
    let p = pos[s];
    if (entries[s]++ > 0) dst[p++] = 44; // ,
    dst[p++] = 34; // "
    dst[p++] = 48; // 0
    dst[p++] = 120; // x
    for (let c = i * 40, e = c + 40; c < e; c++) dst[p++] = checksummed[c];
    p += dst.write(`":{"value":${valueJson(values[i])},"proof":[`, p, "latin1");
    let t = n - 1 + k;
    if (t > 0) {
      p = quotedNode(words, bytes, t & 1 ? t + 1 : t - 1, dst, p);
      for (t = (t - 1) >> 1; t > 0; t = (t - 1) >> 1) {
        dst[p++] = 44;
        p = quotedNode(words, bytes, t & 1 ? t + 1 : t - 1, dst, p);
      }
    }
    dst[p++] = 93; // ]
    dst[p++] = 125; // }
    pos[s] = p;
    k++;
    if (p >= limit) {
      fullShard = s;
      return k;
    }
  }
  fullShard = -1;
  return k;
}

/**
 * Buffers bytes for one AtomicFile at a time; flushes in ~1 MiB chunks with one write in flight. Two buffers,
 * reused (allocating a fresh 1 MiB ArrayBuffer per chunk makes V8 run full garbage collections).
 */
class ByteSink {
  buf: Buffer;
  pos = 0;
  private spare: Buffer;
  private file: AtomicFile | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    /** Bytes a caller may write while `full` is false. */
    readonly reserve: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, reserve * 2));
    this.spare = Buffer.allocUnsafe(this.buf.length);
  }

  /** Where the next bytes go (call close() before switching). */
  open(file: AtomicFile): void {
    this.file = file;
    this.pos = 0;
  }

  /** Offset from which the caller must flush. */
  get limit(): number {
    return this.buf.length - this.reserve;
  }

  /** True when fewer than `reserve` bytes are left: the caller must `await flush()`. */
  get full(): boolean {
    return this.pos >= this.buf.length - this.reserve;
  }

  ascii(s: string): void {
    this.pos += this.buf.write(s, this.pos, "latin1");
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  async flush(): Promise<void> {
    if (this.pos === 0) return;
    if (!this.file) throw new Error("ByteSink: no file open");
    await this.inFlight; // the spare buffer is free again
    const data = this.buf;
    this.inFlight = this.file.write(data.subarray(0, this.pos));
    this.inFlight.catch(() => undefined); // awaited at the next flush or close
    this.buf = this.spare;
    this.spare = data;
    this.pos = 0;
  }

  /** Writes what is buffered and waits for it. */
  async close(): Promise<void> {
    await this.flush();
    await this.inFlight;
    this.file = undefined;
  }
}

/** Returns the BufferMerkleTree of `values`, checking that `tree` is that tree. */
async function resolveTree(tree: FastMerkleTree, values: readonly LeafValue[]): Promise<BufferMerkleTree> {
  if (tree.length !== values.length) {
    throw new RangeError(`writeTreeOutputs: the tree has ${tree.length} leaves but ${values.length} values were given`);
  }
  if (tree instanceof BufferMerkleTree) {
    const own = tree.values;
    let same = own === values;
    if (!same) {
      same = true;
      for (let i = 0; i < values.length && same; i++) same = own[i] === values[i];
    }
    if (same) return tree;
  }
  // Not the arrays the tree was built from: rebuild (validating the values) and require the same root.
  const rebuilt = await buildBufferTree(values, tree.leafEncoding);
  if (rebuilt.root !== tree.root) {
    throw new Error(`writeTreeOutputs: the values give root ${rebuilt.root}, not the tree's root ${tree.root}`);
  }
  return rebuilt;
}

/**
 * Checksummed (EIP-55) account addresses as 40 ASCII bytes each, and the raw 20-byte addresses. Checks a
 * mixed-case input against its checksum.
 */
async function accounts(
  values: readonly LeafValue[],
  accountField: number,
  onProgress: WriteTreeOutputsOptions["onProgress"],
): Promise<{ checksummed: Buffer; raw: Buffer }> {
  const n = values.length;
  const lower = new SharedArrayBuffer(n * 40);
  const ascii = Buffer.from(lower);
  const raw = Buffer.alloc(n * 20);
  const mixed: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = values[i][accountField] as string;
    const off = i * 40;
    ascii.write(s.substring(2), off, 40, "latin1");
    let upper = 0;
    let low = 0;
    for (let k = off; k < off + 40; k++) {
      const c = ascii[k];
      if (c >= 65 && c <= 70) {
        ascii[k] = c + 32;
        upper = 1;
      } else if (c >= 97) low = 1;
    }
    if (upper & low) mixed.push(i);
  }
  raw.write(ascii.toString("latin1"), "hex");

  const hashes = new SharedArrayBuffer(n * 32);
  const job: HashEachJob = {
    kind: "hashEach",
    ctrl: newCtrl(),
    input: lower,
    inLen: 40,
    output: hashes,
    n,
    rounds: 1,
    chunk: 2048,
  };
  const hasher = await getHasher();
  const pool = openPool(n >= PARALLEL_MIN_LEAVES);
  try {
    await runJob(job, pool, () => {
      publishChunks(job.ctrl, Math.ceil(n / job.chunk));
      hashEachKernel(job, hasher);
    });
  } finally {
    await pool?.close();
  }
  onProgress?.("checksums", n, n);

  // EIP-55: hex letter k is upper case when nibble k of keccak256(lowercase hex) is >= 8.
  const h = new Uint8Array(hashes);
  for (let i = 0; i < n; i++) {
    const off = i * 40;
    const ho = i * 32;
    for (let k = 0; k < 40; k++) {
      const c = ascii[off + k];
      if (c >= 97) {
        const b = h[ho + (k >> 1)];
        if ((k & 1 ? b & 15 : b >> 4) >= 8) ascii[off + k] = c - 32;
      }
    }
  }
  for (const i of mixed) {
    const s = values[i][accountField] as string;
    const want = "0x" + ascii.toString("latin1", i * 40, i * 40 + 40);
    if (s !== want) {
      throw new LeafValueError(
        i,
        accountField,
        `Invalid leaf ${i}, field ${accountField} (address): bad EIP-55 checksum, got "${s}", expected "${want}"`,
      );
    }
  }
  return { checksummed: ascii, raw };
}

function nodeWords(tree: BufferMerkleTree): Uint32Array {
  const b = tree.nodes;
  return b.byteOffset % 4 === 0
    ? new Uint32Array(b.buffer, b.byteOffset, b.length / 4)
    : new Uint32Array(new Uint8Array(b).buffer);
}

function valueJson(value: LeafValue): string {
  let s = '["';
  for (let j = 0; j < value.length; j++) {
    const v = value[j];
    s += (j === 0 ? "" : '","') + (typeof v === "bigint" ? v.toString() : v);
  }
  return s + '"]';
}

async function writeDump(
  sink: ByteSink,
  file: AtomicFile,
  tree: BufferMerkleTree,
  values: readonly LeafValue[],
  report: (done: number) => void,
): Promise<void> {
  sink.open(file);
  sink.ascii(`{"format":"standard-v1","leafEncoding":${JSON.stringify(tree.leafEncoding)},"tree":[`);
  const words = nodeWords(tree);
  const count = tree.nodeCount;
  for (let i = 0; i < count;) {
    i = fillNodes(words, tree.nodes, i, count, sink.buf, sink.pos, sink.limit);
    sink.pos = filled;
    if (sink.full) await sink.flush();
  }
  sink.ascii('],"values":[');
  const treeIndices = tree.treeIndices;
  for (let i = 0; i < values.length; i++) {
    sink.ascii(`${i > 0 ? "," : ""}{"value":${valueJson(values[i])},"treeIndex":${treeIndices[i]}}`);
    if (sink.full) {
      await sink.flush();
      report(i + 1);
    }
  }
  sink.ascii("]}");
  await sink.close();
}

/**
 * Writes `dir/tree.json` (standard-v1 dump, byte-identical to `JSON.stringify(StandardMerkleTree.of(values, enc).dump())`
 * with bigints as decimal strings) and `dir/proofs/00.json` … `ff.json` (all 256, `{}` when a shard is empty), each
 * `{ [checksummedAccount]: { value: string[], proof: string[] } }`, entries in tree order.
 *
 * `values` must be the values the tree was built from (the same arrays: checked by reference; otherwise the tree
 * is rebuilt from `values` and must have the same root). `accountField` is the index of the account in a leaf
 * (an `address` field); every account must appear once. Mixed-case accounts must carry a valid EIP-55 checksum.
 * All files are written to temporary names first and renamed at the end: on error nothing is replaced and no
 * temporary file is left. Do not mutate `values` between `buildTree` and this call.
 *
 * @throws LeafValueError for a duplicate account or a bad checksum (naming the leaf and field); RangeError for a
 *   wrong `accountField` or count; Error when `values` do not give the tree's root; I/O errors.
 * @example
 *   const tree = await buildTree(leaves, EVENT_LEAF_ENCODING);
 *   await writeTreeOutputs("out/event-1", tree, leaves, 2); // out/event-1/tree.json, out/event-1/proofs/00.json … ff.json
 */
export async function writeTreeOutputs(
  dir: string,
  tree: FastMerkleTree,
  values: readonly LeafValue[],
  accountField: number,
  options: WriteTreeOutputsOptions = {},
): Promise<void> {
  const enc = tree.leafEncoding;
  if (
    !Number.isInteger(accountField) ||
    accountField < 0 ||
    accountField >= enc.length ||
    enc[accountField] !== "address"
  ) {
    throw new RangeError(
      `writeTreeOutputs: accountField ${accountField} is not an address field of [${enc.join(", ")}]`,
    );
  }
  const own = await resolveTree(tree, values);
  const n = values.length;
  const { checksummed, raw } = await accounts(values, accountField, options.onProgress);

  // An account twice would make two proofs under one JSON key.
  const order = sortIndicesByBytes(raw, 20, n, 20);
  for (let r = 1; r < n; r++) {
    const a0 = order[r - 1] * 20;
    const b0 = order[r] * 20;
    let k = 0;
    while (k < 20 && raw[a0 + k] === raw[b0 + k]) k++;
    if (k === 20) {
      const [a, b] = [order[r - 1], order[r]].sort((x, y) => x - y);
      throw new LeafValueError(
        b,
        accountField,
        `Invalid leaf ${b}, field ${accountField} (address): account 0x${checksummed.toString("latin1", b * 40, b * 40 + 40)} already in leaf ${a}`,
      );
    }
  }

  const proofsDir = path.join(dir, PROOFS_DIR);
  await fs.mkdir(proofsDir, { recursive: true });
  await withAtomicBatch(
    async (batch: AtomicBatch) => {
      const depth = 32 - Math.clz32(own.nodeCount);
      const sink = new ByteSink(64 + enc.length * 82 + 70 * depth + 256);
      const dumpFile = await batch.open(path.join(dir, "tree.json"));
      await writeDump(sink, dumpFile, own, values, (done) => options.onProgress?.("tree", done, n));
      options.onProgress?.("tree", n, n);

      const words = nodeWords(own);
      const files: AtomicFile[] = [];
      for (let shard = 0; shard < 256; shard++) {
        files.push(await batch.open(path.join(proofsDir, shardFileName(shard))));
      }
      const reserve = 64 + enc.length * 82 + 70 * depth + 256;
      // Room for a whole shard when shards are small (a few hundred bytes per entry), else SHARD_CHUNK.
      const perShard = Math.ceil((n * (reserve - 256)) / 256) + 2 * reserve;
      const sinks = new ShardSinks(files, Math.min(SHARD_CHUNK, Math.max(perShard, 2 * reserve)), reserve);
      const leafAt = new Uint32Array(n);
      const treeIndices = own.treeIndices;
      for (let i = 0; i < n; i++) leafAt[treeIndices[i] - (n - 1)] = i;
      let nextReport = 1 << 16;
      for (let k = 0; k < n;) {
        k = fillShards(own, words, values, leafAt, raw, checksummed, k, sinks);
        if (fullShard >= 0) await sinks.flush(fullShard);
        if (k >= nextReport) {
          options.onProgress?.("proofs", k, n);
          nextReport = k + (1 << 16);
        }
      }
      await sinks.close();
      options.onProgress?.("proofs", n, n);
    },
    { fsync: options.fsync },
  );
}
