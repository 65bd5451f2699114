/**
 * Writes a tree's outputs: `tree.json` (the `@openzeppelin/merkle-tree` standard-v1 dump, loadable by
 * `StandardMerkleTree.load`) and the proof shards `proofs/XX.json` (format/proof-shards.ts, all 256).
 *
 * The JSON is written straight from the tree's node bytes (a 1M-leaf dump is ~240 MB and all proofs ~1.4 GB: far
 * beyond one JSON.stringify): tree.json streamed in ~1 MiB chunks; the 256 shards filled in one walk of the leaves
 * in tree order, each shard serialised start to end into its own reused buffer and written in ~64 KiB pieces
 * (shard-by-shard serialisation measured ~2x slower: see writeShards). Atomicity is the caller's: the
 * scorer writes into a fresh temporary directory that replaces the output directory only when complete
 * (output.ts), so nothing here renames files.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { PROOFS_DIR, shardFileName } from "./format/proof-shards";
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
import { HashEachJob, getHasher, hashEachKernel, newCtrl, openPool, publishChunks, runJob } from "./tree-pool";

export interface WriteTreeOutputsOptions {
  /** fsync every file once written (default true), so a directory renamed into place afterwards is durable. */
  fsync?: boolean;
  /** Called as stages progress (e.g. to drive a progress bar): stage name, units done, units in the stage. */
  onProgress?: (stage: "checksums" | "tree" | "proofs", done: number, total: number) => void;
}

const CHUNK = 1 << 20;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** PAIR[b] & 255 = ASCII of b's high hex digit, PAIR[b] >>> 8 = of its low digit. */
const PAIR = new Uint16Array(256);
for (let b = 0; b < 256; b++) PAIR[b] = "0123456789abcdef".charCodeAt(b >> 4) | ("0123456789abcdef".charCodeAt(b & 15) << 8);

/** Bytes of one quoted node, `"0x<64 hex digits>"`. */
const NODE_JSON = 68;

/** The node bytes as native-endian 32-bit words (for the fast hex writer) and as bytes. */
interface Nodes {
  readonly words: Uint32Array;
  readonly bytes: Uint8Array;
}

/** Writes `"0x<64 hex digits>"` of node `node` at `p` in `dst`; returns the end. */
function quotedNode(nodes: Nodes, node: number, dst: Uint8Array, p: number): number {
  dst[p++] = 34;
  dst[p++] = 48;
  dst[p++] = 120;
  if (LITTLE_ENDIAN) {
    const words = nodes.words;
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
  } else {
    p = writeHex(nodes.bytes, node * 32, 32, dst, p);
  }
  dst[p++] = 34;
  return p;
}

/** An output file written from a reused buffer, one write in flight (two buffers, swapped per write). */
class OutputFile {
  buf: Buffer;
  pos = 0;
  /** True once a flush has started: the buffer no longer holds the file's beginning. */
  written = false;
  private spare: Buffer;
  private inFlight: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly handle: fs.FileHandle,
    size: number,
  ) {
    this.buf = Buffer.allocUnsafe(size);
    this.spare = Buffer.allocUnsafe(size);
  }

  static async open(file: string, size = CHUNK): Promise<OutputFile> {
    return new OutputFile(await fs.open(file, "w", 0o644), size);
  }

  /** Room for `bytes` more before the next flush. */
  has(bytes: number): boolean {
    return this.pos + bytes <= this.buf.length;
  }

  ascii(s: string): void {
    this.pos += this.buf.write(s, this.pos, "latin1");
  }

  /** Starts writing what is buffered; returns once the previous write is done (its buffer is free again). */
  async flush(): Promise<void> {
    await this.inFlight;
    const data = this.buf.subarray(0, this.pos);
    const write = writeAll(this.handle, data);
    write.catch(() => undefined); // awaited at the next flush or close
    this.inFlight = write;
    [this.buf, this.spare] = [this.spare, this.buf];
    this.pos = 0;
    this.written = true;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
      await this.inFlight;
    } finally {
      await this.handle.close();
    }
  }
}

async function writeAll(handle: fs.FileHandle, data: Uint8Array): Promise<void> {
  for (let off = 0; off < data.length; ) off += (await handle.write(data, off, data.length - off)).bytesWritten;
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
  // Opened first: its workers start while the addresses are prepared below.
  const pool = openPool(n >= PARALLEL_MIN_LEAVES);
  try {
    return await checksumAccounts(values, accountField, onProgress, pool);
  } finally {
    await pool?.close();
  }
}

async function checksumAccounts(
  values: readonly LeafValue[],
  accountField: number,
  onProgress: WriteTreeOutputsOptions["onProgress"],
  pool: ReturnType<typeof openPool>,
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
  await runJob(job, pool, () => {
    publishChunks(job.ctrl, Math.ceil(n / job.chunk));
    hashEachKernel(job, hasher);
  });
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


/** tree.json: `{"format":"standard-v1","leafEncoding":…,"tree":[nodes],"values":[{"value":…,"treeIndex":…}]}`. */
async function writeDump(
  file: string,
  tree: BufferMerkleTree,
  values: readonly LeafValue[],
  report: (done: number) => void,
): Promise<void> {
  const out = await OutputFile.open(file);
  try {
    out.ascii(`{"format":"standard-v1","leafEncoding":${JSON.stringify(tree.leafEncoding)},"tree":[`);
    const nodes: Nodes = { words: nodeWords(tree), bytes: tree.nodes };
    for (let i = 0, count = tree.nodeCount; i < count; ) {
      // A buffer's worth of nodes at a time, in locals (the hot loop of a 240 MB file).
      const buf = out.buf;
      const limit = buf.length - NODE_JSON - 1;
      let p = out.pos;
      for (; i < count && p <= limit; i++) {
        if (i > 0) buf[p++] = 44; // ,
        p = quotedNode(nodes, i, buf, p);
      }
      out.pos = p;
      if (i < count) await out.flush();
    }
    if (!out.has(16)) await out.flush();
    out.ascii('],"values":[');
    const treeIndices = tree.treeIndices;
    for (let i = 0; i < values.length; i++) {
      const entry = `${i > 0 ? "," : ""}{"value":${valueJson(values[i])},"treeIndex":${treeIndices[i]}}`;
      if (!out.has(entry.length + 2)) {
        await out.flush();
        report(i);
      }
      out.ascii(entry);
    }
    out.ascii("]}");
  } finally {
    await out.close();
  }
}

/**
 * Appends the entry of the leaf at tree position `k` (value `i`) to `dst` at `p`:
 * `"0xChecksummed":{"value":[…],"proof":["0x…",…]}`, the layout of format/proof-shards.ts `serializeShard`.
 * Returns the end offset.
 */
function writeEntry(dst: Buffer, p: number, nodes: Nodes, n: number, k: number, i: number, value: LeafValue, checksummed: Uint8Array): number {
  dst[p++] = 34; // "
  dst[p++] = 48; // 0
  dst[p++] = 120; // x
  for (let c = i * 40, e = c + 40; c < e; c++) dst[p++] = checksummed[c];
  p += dst.write(`":{"value":${valueJson(value)},"proof":[`, p, "latin1");
  // The proof: the sibling at each level, from the leaf (tree index n-1+k) up to the root.
  for (let t = n - 1 + k, first = true; t > 0; t = (t - 1) >> 1, first = false) {
    if (!first) dst[p++] = 44;
    p = quotedNode(nodes, t & 1 ? t + 1 : t - 1, dst, p);
  }
  dst[p++] = 93; // ]
  dst[p++] = 125; // }
  return p;
}

/** Buffer per proof shard before it is written out. */
const SHARD_CHUNK = 1 << 16;

/**
 * Writes the 256 shards in one walk of the leaves in tree order: consecutive leaves share most of their proof, so
 * the node reads stay in cache (serialising shard by shard instead — each shard's leaves lie ~256 apart in the
 * tree — measured slower on this machine). Each shard is one OutputFile (serialised start to end, in ~64 KiB writes).
 */
async function writeShards(
  dir: string,
  tree: BufferMerkleTree,
  values: readonly LeafValue[],
  raw: Uint8Array,
  checksummed: Uint8Array,
  report: (done: number) => void,
): Promise<void> {
  const n = values.length;
  const leafAt = new Uint32Array(n);
  const treeIndices = tree.treeIndices;
  for (let i = 0; i < n; i++) leafAt[treeIndices[i] - (n - 1)] = i;
  const depth = 32 - Math.clz32(tree.nodeCount);
  /** Bytes one entry may take: key, value (≤ 78 digits a field), the proof, punctuation. */
  const entryBytes = 64 + tree.leafEncoding.length * 82 + (NODE_JSON + 1) * depth + 64;
  // Small trees: room for a whole shard; large ones: SHARD_CHUNK (256 shards × 2 buffers).
  const size = Math.max(2 * entryBytes, Math.min(SHARD_CHUNK, Math.ceil((n * entryBytes) / 256) + 2 * entryBytes));
  const files: OutputFile[] = [];
  try {
    for (let s = 0; s < 256; s++) {
      files.push(await OutputFile.open(path.join(dir, shardFileName(s)), size));
      files[s].ascii("{");
    }
    const nodes: Nodes = { words: nodeWords(tree), bytes: tree.nodes };
    for (let k = 0; k < n; k++) {
      const i = leafAt[k];
      const out = files[raw[i * 20]];
      if (!out.has(entryBytes)) await out.flush();
      if (out.pos > 1 || out.written) out.buf[out.pos++] = 44; // ,
      out.pos = writeEntry(out.buf, out.pos, nodes, n, k, i, values[i], checksummed);
      if ((k & 0xffff) === 0xffff) report(k + 1);
    }
    for (const out of files) out.ascii("}");
  } finally {
    await Promise.all(files.map((f) => f.close()));
  }
}

async function writeFile(file: string, data: Uint8Array): Promise<void> {
  const handle = await fs.open(file, "w", 0o644);
  try {
    await writeAll(handle, data);
  } finally {
    await handle.close();
  }
}

/** fsync of every file, several at a time (the disk orders them better than one after the other). */
async function syncAll(files: readonly string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const handle = await fs.open(files[next++], "r+");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/**
 * Writes `dir/tree.json` (standard-v1 dump, byte-identical to `JSON.stringify(StandardMerkleTree.of(values, enc).dump())`
 * with bigints as decimal strings) and `dir/proofs/00.json` … `ff.json` (all 256, `{}` when a shard is empty), each
 * `{ [checksummedAccount]: { value: string[], proof: string[] } }`, entries in tree order.
 *
 * `values` must be the values the tree was built from (the same arrays: checked by reference; otherwise the tree
 * is rebuilt from `values` and must have the same root). `accountField` is the index of the account in a leaf
 * (an `address` field); every account must appear once. Mixed-case accounts must carry a valid EIP-55 checksum.
 * Files are written in place: write into a fresh directory and move it into place when done (`writeDirAtomically`).
 * Do not mutate `values` between `buildTree` and this call.
 *
 * @throws LeafValueError for a duplicate account or a bad checksum (naming the leaf and field); RangeError for a
 *   wrong `accountField` or count; Error when `values` do not give the tree's root; I/O errors. Input errors are
 *   thrown before anything is written.
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
  if (!Number.isInteger(accountField) || accountField < 0 || accountField >= enc.length || enc[accountField] !== "address") {
    throw new RangeError(`writeTreeOutputs: accountField ${accountField} is not an address field of [${enc.join(", ")}]`);
  }
  const own = await resolveTree(tree, values);
  const n = values.length;
  const { checksummed, raw } = await accounts(values, accountField, options.onProgress);
  checkDistinctAccounts(raw, checksummed, accountField, n);

  await fs.mkdir(path.join(dir, PROOFS_DIR), { recursive: true });
  await writeDump(path.join(dir, "tree.json"), own, values, (done) => options.onProgress?.("tree", done, n));
  options.onProgress?.("tree", n, n);
  await writeShards(path.join(dir, PROOFS_DIR), own, values, raw, checksummed, (done) => options.onProgress?.("proofs", done, n));
  if (options.fsync ?? true) {
    await syncAll([path.join(dir, "tree.json"), ...Array.from({ length: 256 }, (_, s) => path.join(dir, PROOFS_DIR, shardFileName(s)))]);
  }
  options.onProgress?.("proofs", n, n);
}

/** An account twice would make two proofs under one JSON key: refused, naming both leaves. */
function checkDistinctAccounts(raw: Uint8Array, checksummed: Buffer, accountField: number, n: number): void {
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
}
