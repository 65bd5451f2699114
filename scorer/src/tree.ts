/**
 * A fast Merkle tree, byte-identical to `@openzeppelin/merkle-tree`'s `StandardMerkleTree.of(values, leafEncoding)`:
 * same root, same node array, same `treeIndex` per value, same proofs and the same `dump()` (format `standard-v1`).
 *
 * How OZ builds it (dist/standard.js, merkletree.js, core.js), and what this file does the same way:
 * - leaf = keccak256(keccak256(abi.encode(leafEncoding, value)));
 * - leaves sorted ascending by hash (stable: equal hashes keep input order);
 * - `tree` has 2n-1 nodes; sorted leaf r sits at index 2n-2-r (so the largest hash comes first among the leaves),
 *   internal node i = keccak256(min(tree[2i+1], tree[2i+2]) ++ max(...)) for i = n-2 .. 0; root = tree[0];
 * - the proof of a value walks from its treeIndex to the root collecting siblings.
 *
 * How it is fast: values are ABI-encoded by hand into one shared buffer (32-byte words); keccak256 is hash-wasm's
 * WASM keccak with one reused hasher per thread; leaf hashes and node levels are split across worker threads
 * (`tree-pool.ts`, `tree-worker.ts`) for large trees; leaves are sorted through a Float64Array of (hash prefix, index) keys;
 * proofs read the node array and never hash.
 *
 * Supported ABI types: `uint256` and `address`. Numbers are `bigint` (decimal strings are accepted too), addresses
 * are `0x` + 40 hex digits in any case (checksums are checked by `writeTreeOutputs`, which derives them anyway).
 */
import { ScorerError, show } from "./errors";
import type { LeafValue } from "./format/leaves";
import {
  HashEachJob,
  KernelPool,
  KeccakHasher,
  NodesJob,
  getHasher,
  hashEachKernel,
  newCtrl,
  nodesKernel,
  openPool,
  publishChunks,
  runJob,
} from "./tree-pool";

// The leaf encodings and value type are the format's (format/leaves.ts); re-exported for the tree's callers.
export { CHANNEL_LEAF_ENCODING, EVENT_LEAF_ENCODING, type LeafValue } from "./format/leaves";

export interface FastMerkleTree {
  /** 0x-prefixed 32-byte hex. */
  readonly root: string;
  readonly leafEncoding: readonly string[];
  /** Number of leaves. */
  readonly length: number;
  /** Proof of the value at `leafIndex` in the input `values` array (hex nodes, leaf to root). */
  getProof(leafIndex: number): string[];
  /** Same object as OZ's `StandardMerkleTree.dump()`: `values[i].value` is the input value itself. */
  dump(): {
    format: "standard-v1";
    leafEncoding: string[];
    tree: string[];
    values: { value: unknown[]; treeIndex: number }[];
  };
}

/** Thrown for a leaf value that cannot be ABI-encoded; names the leaf (input index) and field. */
export class LeafValueError extends ScorerError {
  override name = "LeafValueError";
  constructor(
    /** Index of the value in the input array. */
    readonly leafIndex: number,
    /** Index of the field in the leaf, or undefined when the leaf itself is malformed. */
    readonly field: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown for a leaf encoding this builder does not support. */
export class LeafEncodingError extends ScorerError {
  override name = "LeafEncodingError";
}

const KIND_UINT256 = 0;
const KIND_ADDRESS = 1;
const MAX_UINT256 = (1n << 256n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const DECIMAL = /^[0-9]{1,78}$/;

/** Leaves at or above which hashing is shared with worker threads (below, thread hand-off costs more than it saves). */
export const PARALLEL_MIN_LEAVES = 16_384;
const LEAF_CHUNK = 2_048;
const NODE_CHUNK = 4_096;

function parseEncoding(leafEncoding: readonly string[]): number[] {
  if (!Array.isArray(leafEncoding) || leafEncoding.length === 0) {
    throw new LeafEncodingError('leafEncoding must be a non-empty array of ABI types, e.g. ["uint256", "address"]');
  }
  return leafEncoding.map((type, j) => {
    if (type === "uint256") return KIND_UINT256;
    if (type === "address") return KIND_ADDRESS;
    throw new LeafEncodingError(
      `Unsupported ABI type ${JSON.stringify(type)} at leafEncoding[${j}]: this tree supports "uint256" and "address" only`,
    );
  });
}

function fieldError(i: number, j: number, type: string, problem: string, v: unknown): LeafValueError {
  return new LeafValueError(i, j, `Invalid leaf ${i}, field ${j} (${type}): ${problem}, got ${show(v)}`);
}

/** ABI-encodes value `i` (32-byte words) into `buf` at `off`; `buf` must be zero there. Throws LeafValueError. */
function encodeInto(buf: Buffer, off: number, value: unknown, i: number, kinds: readonly number[]): void {
  if (!Array.isArray(value) || value.length !== kinds.length) {
    const got = Array.isArray(value) ? `${value.length} fields` : show(value);
    throw new LeafValueError(
      i,
      undefined,
      `Invalid leaf ${i}: expected an array of ${kinds.length} fields, got ${got}`,
    );
  }
  for (let j = 0; j < kinds.length; j++, off += 32) {
    const v: unknown = value[j];
    if (kinds[j] === KIND_ADDRESS) {
      if (typeof v !== "string" || v.length !== 42 || v.charCodeAt(0) !== 48 || v.charCodeAt(1) !== 120) {
        throw fieldError(i, j, "address", "expected 0x followed by 40 hex digits", v);
      }
      if (buf.write(v.substring(2), off + 12, 20, "hex") !== 20) {
        throw fieldError(i, j, "address", "expected 0x followed by 40 hex digits", v);
      }
    } else {
      let x: bigint;
      if (typeof v === "bigint") x = v;
      else if (typeof v === "string" && DECIMAL.test(v)) x = BigInt(v);
      else throw fieldError(i, j, "uint256", "expected a bigint (or a decimal string)", v);
      if (x <= MAX_SAFE) {
        if (x < 0n) throw fieldError(i, j, "uint256", "negative number", v);
        // Fast path (3x faster than writeBigUInt64BE): the low 8 bytes from a double.
        const num = Number(x);
        const hi = Math.floor(num / 4294967296);
        const lo = num >>> 0;
        const o = off + 24;
        buf[o] = hi >>> 24;
        buf[o + 1] = hi >>> 16;
        buf[o + 2] = hi >>> 8;
        buf[o + 3] = hi;
        buf[o + 4] = lo >>> 24;
        buf[o + 5] = lo >>> 16;
        buf[o + 6] = lo >>> 8;
        buf[o + 7] = lo;
      } else if (x <= MAX_UINT64) {
        buf.writeBigUInt64BE(x, off + 24);
      } else {
        if (x > MAX_UINT256) throw fieldError(i, j, "uint256", "number above 2^256-1", v);
        let h = x.toString(16);
        if (h.length & 1) h = "0" + h;
        buf.write(h, off + 32 - h.length / 2, "hex");
      }
    }
  }
}

/**
 * `abi.encode` of one leaf value (as `@metamask/abi-utils`' `encode(leafEncoding, value)`, the input of the leaf hash).
 * Throws LeafValueError / LeafEncodingError like `buildTree`.
 */
export function encodeLeaf(value: LeafValue, leafEncoding: readonly string[], leafIndex = 0): Buffer {
  const kinds = parseEncoding(leafEncoding);
  const buf = Buffer.alloc(kinds.length * 32);
  encodeInto(buf, 0, value, leafIndex, kinds);
  return buf;
}

/** keccak256(keccak256(abi.encode(value))) as 0x hex: OZ's `standardLeafHash`, the leaf the contracts recompute. */
export async function hashLeaf(value: LeafValue, leafEncoding: readonly string[]): Promise<string> {
  const h = await getHasher();
  const once = h.init().update(encodeLeaf(value, leafEncoding)).digest("binary");
  return "0x" + Buffer.from(h.init().update(once).digest("binary")).toString("hex");
}

// ---------------------------------------------------------------------------------------------------
// Hex helpers (also used by proofs.ts to write JSON straight from node bytes)
// ---------------------------------------------------------------------------------------------------

const HEX_CHARS = "0123456789abcdef";
/** ASCII code of the high / low hex digit of each byte value. */
export const HEX_HI = new Uint8Array(256);
export const HEX_LO = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  HEX_HI[b] = HEX_CHARS.charCodeAt(b >> 4);
  HEX_LO[b] = HEX_CHARS.charCodeAt(b & 15);
}

/** Writes `len` bytes of `src` from `srcOff` as lowercase hex ASCII into `dst` at `dstOff`; returns the end offset. */
export function writeHex(src: Uint8Array, srcOff: number, len: number, dst: Uint8Array, dstOff: number): number {
  for (let k = 0; k < len; k++) {
    const b = src[srcOff + k];
    dst[dstOff++] = HEX_HI[b];
    dst[dstOff++] = HEX_LO[b];
  }
  return dstOff;
}

/** The byte pair at a little-endian Uint16 position: ASCII of both hex digits of a byte. */
const HEX_PAIR = new Uint16Array(256);
{
  const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  for (let b = 0; b < 256; b++) HEX_PAIR[b] = le ? HEX_HI[b] | (HEX_LO[b] << 8) : (HEX_HI[b] << 8) | HEX_LO[b];
}
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const PAIR_0X = LITTLE_ENDIAN ? 0x7830 : 0x3078;

/** "0x" + hex of nodes [from, to) (32 bytes each, read as 8 native-endian words), 66 ASCII bytes per node. */
function asciiHexNodes(words: Uint32Array, from: number, to: number): Uint16Array {
  const out = new Uint16Array((to - from) * 33);
  const pair = HEX_PAIR;
  for (let i = from, p = 0, q = from * 8; i < to; i++) {
    out[p++] = PAIR_0X;
    for (let k = 0; k < 8; k++) {
      const x = words[q++];
      if (LITTLE_ENDIAN) {
        out[p++] = pair[x & 255];
        out[p++] = pair[(x >>> 8) & 255];
        out[p++] = pair[(x >>> 16) & 255];
        out[p++] = pair[x >>> 24];
      } else {
        out[p++] = pair[x >>> 24];
        out[p++] = pair[(x >>> 16) & 255];
        out[p++] = pair[(x >>> 8) & 255];
        out[p++] = pair[x & 255];
      }
    }
  }
  return out;
}

function compareBytes(data: Uint8Array, a: number, b: number, len: number): number {
  for (let k = 0; k < len; k++) {
    const d = data[a + k] - data[b + k];
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Indices 0..n-1 of `n` records (`stride` bytes apart in `data`) sorted by the first `keyLen` (≥ 4) bytes as an
 * unsigned big-endian number, ties in index order (a stable sort). One Float64Array sort of (prefix, index) keys,
 * then byte-wise comparison only inside runs of equal prefixes.
 */
export function sortIndicesByBytes(data: Uint8Array, stride: number, n: number, keyLen: number): Uint32Array {
  const idxBits = Math.max(1, Math.ceil(Math.log2(n)));
  const prefixBits = Math.min(32, 53 - idxBits);
  const shift = 32 - prefixBits;
  const scale = 2 ** idxBits;
  const keys = new Float64Array(n);
  for (let i = 0, p = 0; i < n; i++, p += stride) {
    const word = ((data[p] << 24) | (data[p + 1] << 16) | (data[p + 2] << 8) | data[p + 3]) >>> shift;
    keys[i] = word * scale + i;
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let r = 0; r < n; r++) order[r] = keys[r] % scale;
  for (let r = 0; r < n;) {
    const prefix = Math.floor(keys[r] / scale);
    let e = r + 1;
    while (e < n && Math.floor(keys[e] / scale) === prefix) e++;
    if (e - r > 1) {
      const run = Array.from(order.subarray(r, e));
      run.sort((a, b) => compareBytes(data, a * stride, b * stride, keyLen) || a - b);
      order.set(run, r);
    }
    r = e;
  }
  return order;
}

// ---------------------------------------------------------------------------------------------------
// The tree
// ---------------------------------------------------------------------------------------------------

/** Nodes per hex string segment (each node is 66 characters; V8 strings stop at ~536M characters). */
const HEX_SEGMENT = 1 << 18;

/** The `FastMerkleTree` built by `buildTree`; exposes its node bytes for writers that skip hex strings. */
export class BufferMerkleTree implements FastMerkleTree {
  readonly root: string;
  readonly leafEncoding: readonly string[];
  readonly length: number;
  private segments: string[] | undefined;
  private cache: (string | undefined)[] = [];
  private cacheBelow = 0;

  constructor(
    /** The input values (the same array `buildTree` received). */
    readonly values: readonly LeafValue[],
    leafEncoding: readonly string[],
    /** (2n-1) * 32 bytes in OZ's array layout: node i at i * 32. */
    readonly nodes: Buffer,
    /** treeIndices[i] = tree index of values[i]. */
    readonly treeIndices: Uint32Array,
  ) {
    this.leafEncoding = Object.freeze([...leafEncoding]);
    this.length = values.length;
    this.root = "0x" + nodes.toString("hex", 0, 32);
  }

  /** Number of nodes (2n-1). */
  get nodeCount(): number {
    return this.nodes.length / 32;
  }

  /**
   * Hex of the nodes as latin1 strings of HEX_SEGMENT * 66 characters ("0x" + 64 digits per node), built once.
   * A node's string is a slice of its segment.
   */
  private hexSegments(): string[] {
    if (this.segments) return this.segments;
    const count = this.nodeCount;
    const aligned = this.nodes.byteOffset % 4 === 0 ? this.nodes : new Uint8Array(this.nodes);
    const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
    const segments: string[] = [];
    for (let s = 0; s < count; s += HEX_SEGMENT) {
      const ascii = asciiHexNodes(words, s, Math.min(count, s + HEX_SEGMENT));
      segments.push(Buffer.from(ascii.buffer, ascii.byteOffset, ascii.byteLength).toString("latin1"));
    }
    this.segments = segments;
    // Nodes below the cache line (the leaves and the level above: each in one or two proofs) are sliced per call
    // and die young; the upper nodes, shared by many proofs, are cached.
    this.cacheBelow = (count - 1) >>> 2;
    this.cache = new Array<string>(this.cacheBelow);
    return segments;
  }

  /** "0x…" of node `i`. */
  private hexOf(i: number): string {
    if (i < this.cacheBelow) {
      const cached = this.cache[i];
      if (cached !== undefined) return cached;
    }
    const segment = this.segments![Math.floor(i / HEX_SEGMENT)];
    const p = (i % HEX_SEGMENT) * 66;
    const hex = segment.slice(p, p + 66);
    if (i < this.cacheBelow) this.cache[i] = hex;
    return hex;
  }

  /** Hex of every node (tree order). */
  private allHex(): string[] {
    this.hexSegments();
    const count = this.nodeCount;
    const out = new Array<string>(count);
    for (let i = 0; i < count; i++) out[i] = this.hexOf(i);
    return out;
  }

  /** Tree index of values[leafIndex] (as OZ's `dump().values[leafIndex].treeIndex`). */
  treeIndexOf(leafIndex: number): number {
    this.checkIndex(leafIndex);
    return this.treeIndices[leafIndex];
  }

  /** The leaf hash of values[leafIndex] as 0x hex. */
  leafHashOf(leafIndex: number): string {
    const t = this.treeIndexOf(leafIndex);
    this.hexSegments();
    return this.hexOf(t);
  }

  getProof(leafIndex: number): string[] {
    this.checkIndex(leafIndex);
    this.hexSegments();
    let t = this.treeIndices[leafIndex];
    const proof = new Array<string>(31 - Math.clz32(t + 1));
    for (let k = 0; t > 0; t = (t - 1) >> 1) proof[k++] = this.hexOf(t & 1 ? t + 1 : t - 1);
    return proof;
  }

  dump(): {
    format: "standard-v1";
    leafEncoding: string[];
    tree: string[];
    values: { value: unknown[]; treeIndex: number }[];
  } {
    const treeIndices = this.treeIndices;
    return {
      format: "standard-v1",
      leafEncoding: [...this.leafEncoding],
      tree: this.allHex(),
      values: this.values.map((value, i) => ({ value: value as unknown[], treeIndex: treeIndices[i] })),
    };
  }

  private checkIndex(leafIndex: number): void {
    if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= this.length) {
      throw new RangeError(`leafIndex ${leafIndex} out of range: the tree has ${this.length} leaves`);
    }
  }
}

/**
 * Builds the OpenZeppelin standard Merkle tree of `values` (same result as `StandardMerkleTree.of(values, leafEncoding)`).
 *
 * @throws LeafEncodingError for an encoding other than uint256/address fields; LeafValueError naming the leaf index and
 *   field for a value that does not fit (bad address, negative or > 2^256-1 number, wrong number of fields); an Error
 *   for an empty `values`.
 * @example
 *   const tree = await buildTree([[1n, 0n, "0x1111111111111111111111111111111111111111", 5n]], EVENT_LEAF_ENCODING);
 *   tree.root; tree.getProof(0);
 */
export async function buildTree(
  values: readonly LeafValue[],
  leafEncoding: readonly string[],
): Promise<FastMerkleTree> {
  return buildBufferTree(values, leafEncoding);
}

/** `buildTree` with the concrete result type. */
export async function buildBufferTree(
  values: readonly LeafValue[],
  leafEncoding: readonly string[],
): Promise<BufferMerkleTree> {
  const kinds = parseEncoding(leafEncoding);
  if (!Array.isArray(values)) throw new TypeError("buildTree: values must be an array of leaf values");
  const n = values.length;
  if (n === 0) throw new RangeError("buildTree: expected at least one leaf value");
  const hasher = await getHasher();
  const pool = openPool(n >= PARALLEL_MIN_LEAVES);
  try {
    return await build(values, leafEncoding, kinds, hasher, pool);
  } finally {
    await pool?.close();
  }
}

async function build(
  values: readonly LeafValue[],
  leafEncoding: readonly string[],
  kinds: readonly number[],
  hasher: KeccakHasher,
  pool: KernelPool | undefined,
): Promise<BufferMerkleTree> {
  const n = values.length;
  const width = kinds.length * 32;

  // 1. Encode (main thread, publishing chunk by chunk) and double-hash (all threads).
  const encoded = new SharedArrayBuffer(n * width);
  const hashes = new SharedArrayBuffer(n * 32);
  const leafJob: HashEachJob = {
    kind: "hashEach",
    ctrl: newCtrl(),
    input: encoded,
    inLen: width,
    output: hashes,
    n,
    rounds: 2,
    chunk: LEAF_CHUNK,
  };
  const encodedBuf = Buffer.from(encoded);
  await runJob(leafJob, pool, () => {
    const chunks = Math.ceil(n / LEAF_CHUNK);
    for (let c = 0; c < chunks; c++) {
      const end = Math.min(n, (c + 1) * LEAF_CHUNK);
      for (let i = c * LEAF_CHUNK; i < end; i++) encodeInto(encodedBuf, i * width, values[i], i, kinds);
      publishChunks(leafJob.ctrl, c + 1);
    }
    hashEachKernel(leafJob, hasher);
  });

  // 2. Sort leaves by hash and lay them out as OZ does: sorted leaf r at tree index 2n-2-r.
  const leafBytes = new Uint8Array(hashes);
  const order = sortIndicesByBytes(leafBytes, 32, n, 32);
  const treeBuf = new SharedArrayBuffer((2 * n - 1) * 32);
  const t32 = new Int32Array(treeBuf);
  const h32 = new Int32Array(hashes);
  const treeIndices = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    const t = 2 * n - 2 - r;
    treeIndices[i] = t;
    const src = i * 8;
    const dst = t * 8;
    for (let k = 0; k < 8; k++) t32[dst + k] = h32[src + k];
  }

  // 3. Internal nodes, level by level.
  const nodeJob: NodesJob = { kind: "nodes", ctrl: newCtrl(), tree: treeBuf, leaves: n, chunk: NODE_CHUNK };
  await runJob(nodeJob, pool, () => nodesKernel(nodeJob, hasher));

  return new BufferMerkleTree(values, leafEncoding, Buffer.from(treeBuf), treeIndices);
}
