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
import { HashEachJob, getHasher, hashEachKernel, newCtrl, openPool, publishChunks, runJob } from "./tree-worker";

export interface WriteTreeOutputsOptions {
  /** fsync every file before it is renamed into place (default true). */
  fsync?: boolean;
  /** Called as stages progress (e.g. to drive a progress bar): stage name, units done, units in the stage. */
  onProgress?: (stage: "checksums" | "tree" | "proofs", done: number, total: number) => void;
}

/** One shard's content: checksummed account → its leaf value (as in tree.json) and proof. */
export type ProofShard = Record<string, { value: string[]; proof: string[] }>;

/** The shard file name (without directory) of an account: first address byte as two lowercase hex digits + ".json". */
export function shardFileName(account: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(account)) throw new TypeError(`not an address: ${JSON.stringify(account)}`);
  return `${account.slice(2, 4).toLowerCase()}.json`;
}

/** JSON text of a leaf value as the dump writes it: bigint as a decimal string, strings as given. */
export function serializeValue(value: LeafValue): string[] {
  return value.map((v) => (typeof v === "bigint" ? v.toString() : v));
}

const CHUNK = 1 << 20;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** PAIR[b] & 255 = ASCII of b's high hex digit, PAIR[b] >>> 8 = of its low digit. */
const PAIR = new Uint16Array(256);
for (let b = 0; b < 256; b++) PAIR[b] = "0123456789abcdef".charCodeAt(b >> 4) | ("0123456789abcdef".charCodeAt(b & 15) << 8);

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
function fillNodes(words: Uint32Array, bytes: Uint8Array, i: number, count: number, dst: Uint8Array, p: number, limit: number): number {
  for (; i < count && p < limit; i++) {
    if (i > 0) dst[p++] = 44;
    p = quotedNode(words, bytes, i, dst, p);
  }
  filled = p;
  return i;
}

/** Writes the shard entries of sorted positions r..end-1 until `limit`; returns the next r, `filled` = end offset. */
function fillShard(
  tree: BufferMerkleTree,
  words: Uint32Array,
  values: readonly LeafValue[],
  order: Uint32Array,
  checksummed: Uint8Array,
  r: number,
  start: number,
  end: number,
  dst: Buffer,
  p: number,
  limit: number,
): number {
  const bytes = tree.nodes;
  const treeIndices = tree.treeIndices;
  for (; r < end && p < limit; r++) {
    const i = order[r];
    if (r > start) dst[p++] = 44; // ,
    dst[p++] = 34; // "
    dst[p++] = 48; // 0
    dst[p++] = 120; // x
    for (let k = i * 40, e = k + 40; k < e; k++) dst[p++] = checksummed[k];
    p += dst.write(`":{"value":${valueJson(values[i])},"proof":[`, p, "latin1");
    let t = treeIndices[i];
    if (t > 0) {
      p = quotedNode(words, bytes, t & 1 ? t + 1 : t - 1, dst, p);
      for (t = (t - 1) >> 1; t > 0; t = (t - 1) >> 1) {
        dst[p++] = 44;
        p = quotedNode(words, bytes, t & 1 ? t + 1 : t - 1, dst, p);
      }
    }
    dst[p++] = 93; // ]
    dst[p++] = 125; // }
  }
  filled = p;
  return r;
}

/** Buffers bytes for an AtomicFile; flushes in ~1 MiB chunks, one write in flight. */
class ByteSink {
  buf: Buffer;
  pos = 0;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: AtomicFile,
    /** Bytes a caller may write after `full` returned false. */
    readonly reserve: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, reserve * 2));
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
    await this.inFlight;
    const data = this.buf.subarray(0, this.pos);
    this.inFlight = this.file.write(data);
    this.inFlight.catch(() => undefined); // awaited at the next flush or close

    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, this.reserve * 2));
    this.pos = 0;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.inFlight;
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
  const job: HashEachJob = { kind: "hashEach", ctrl: newCtrl(), input: lower, inLen: 40, output: hashes, n, rounds: 1, chunk: 2048 };
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
      throw new LeafValueError(i, accountField, `Invalid leaf ${i}, field ${accountField} (address): bad EIP-55 checksum, got "${s}", expected "${want}"`);
    }
  }
  return { checksummed: Buffer.from(ascii), raw };
}

function nodeWords(tree: BufferMerkleTree): Uint32Array {
  const b = tree.nodes;
  return b.byteOffset % 4 === 0 ? new Uint32Array(b.buffer, b.byteOffset, b.length >> 2) : new Uint32Array(Buffer.from(b).buffer);
}

function valueJson(value: LeafValue): string {
  let s = '["';
  for (let j = 0; j < value.length; j++) {
    const v = value[j];
    s += (j === 0 ? "" : '","') + (typeof v === "bigint" ? v.toString() : v);
  }
  return s + '"]';
}

async function writeDump(file: AtomicFile, tree: BufferMerkleTree, values: readonly LeafValue[], report: (done: number) => void): Promise<void> {
  const maxValue = tree.leafEncoding.length * 82 + 64;
  const sink = new ByteSink(file, maxValue + 256);
  sink.ascii(`{"format":"standard-v1","leafEncoding":${JSON.stringify(tree.leafEncoding)},"tree":[`);
  const words = nodeWords(tree);
  const count = tree.nodeCount;
  for (let i = 0; i < count; ) {
    i = fillNodes(words, tree.nodes, i, count, sink.buf, sink.pos, sink.buf.length - sink.reserve);
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
 * `{ [checksummedAccount]: { value: string[], proof: string[] } }` with accounts in ascending address order.
 *
 * `values` must be the values the tree was built from (the same arrays: checked by reference; otherwise the tree
 * is rebuilt from `values` and must have the same root). `accountField` is the index of the account in a leaf
 * (an `address` field); every account must appear once. All files appear together or, on error, none changes.
 */
export async function writeTreeOutputs(
  dir: string,
  tree: FastMerkleTree,
  values: readonly LeafValue[],
  accountField: number,
  options: WriteTreeOutputsOptions = {},
): Promise<void> {
  const enc = tree.leafEncoding;
  if (!Number.isInteger(accountField) || accountField < 0 || accountField >= enc.length || enc[accountField] !== "address") {
    throw new RangeError(`writeTreeOutputs: accountField ${accountField} is not an address field of [${enc.join(", ")}]`);
  }
  const own = await resolveTree(tree, values);
  const n = values.length;
  const { checksummed, raw } = await accounts(values, accountField, options.onProgress);

  // Shards in address order; an account twice would make two proofs under one JSON key.
  const order = sortIndicesByBytes(raw, 20, n, 20);
  for (let r = 1; r < n; r++) {
    const a0 = order[r - 1] * 20;
    const b0 = order[r] * 20;
    let k = 0;
    while (k < 20 && raw[a0 + k] === raw[b0 + k]) k++;
    if (k === 20) {
      const [a, b] = [order[r - 1], order[r]].sort((x, y) => x - y);
      throw new LeafValueError(b, accountField, `Invalid leaf ${b}, field ${accountField} (address): account 0x${checksummed.toString("latin1", b * 40, b * 40 + 40)} already in leaf ${a}`);
    }
  }

  const proofsDir = path.join(dir, "proofs");
  await fs.mkdir(proofsDir, { recursive: true });
  await withAtomicBatch(async (batch: AtomicBatch) => {
    const dumpFile = await batch.open(path.join(dir, "tree.json"));
    await writeDump(dumpFile, own, values, (done) => options.onProgress?.("tree", done, n));
    options.onProgress?.("tree", n, n);

    const words = nodeWords(own);
    const depth = 32 - Math.clz32(own.nodeCount);
    const reserve = 64 + enc.length * 82 + 70 * depth + 256;
    const finishing: Promise<void>[] = [];
    let r = 0;
    for (let shard = 0; shard < 256; shard++) {
      const name = (shard < 16 ? "0" : "") + shard.toString(16) + ".json";
      const file = await batch.open(path.join(proofsDir, name));
      const sink = new ByteSink(file, reserve);
      sink.byte(123); // {
      const start = r;
      let end = r;
      while (end < n && raw[order[end] * 20] === shard) end++;
      while (r < end) {
        r = fillShard(own, words, values, order, checksummed, r, start, end, sink.buf, sink.pos, sink.buf.length - sink.reserve);
        sink.pos = filled;
        if (sink.full) {
          await sink.flush();
          options.onProgress?.("proofs", r, n);
        }
      }
      sink.byte(125); // }
      await sink.close();
      // Flush and close in the background while the next shard is built; the batch renames at the end.
      const finished = file.finish();
      finished.catch(() => undefined); // awaited below
      finishing.push(finished);
    }
    await Promise.all(finishing);
    options.onProgress?.("proofs", n, n);
  }, { fsync: options.fsync });
}

/** Reads the shard of `account` from `dir/proofs` (undefined when the account has no proof). */
export async function readProof(dir: string, account: string): Promise<{ value: string[]; proof: string[] } | undefined> {
  const shard = JSON.parse(await fs.readFile(path.join(dir, "proofs", shardFileName(account)), "utf8")) as ProofShard;
  const wanted = account.toLowerCase();
  for (const [key, entry] of Object.entries(shard)) if (key.toLowerCase() === wanted) return entry;
  return undefined;
}
