/**
 * Parallel keccak256 kernels for the Merkle tree builder (`tree.ts`) and the proof writer (`proofs.ts`).
 *
 * A kernel runs on the main thread and, for large inputs, at the same time on worker threads (`tree-worker.ts`,
 * started by `tree-pool.ts`). All threads share the input and output through `SharedArrayBuffer`s and take
 * fixed-size chunks of work from one atomic counter, so the split balances itself. No Node imports.
 *
 * Control block (`Int32Array` over `ctrl`):
 * - `[CTRL_NEXT]`  next chunk number to take (`Atomics.add`);
 * - `[CTRL_ABORT]` non-zero when a thread failed or the producer gave up: every thread stops;
 * - `[CTRL_READY]` hashEach: number of chunks whose input is written (the producer publishes them);
 * - `[CTRL_LEVEL + d]` nodes: number of finished chunks of tree level d.
 */

/** The subset of hash-wasm's `IHasher` the kernels use. */
export interface KeccakHasher {
  init(): KeccakHasher;
  update(data: Uint8Array): KeccakHasher;
  digest(outputType: "binary"): Uint8Array;
}

export const CTRL_NEXT = 0;
export const CTRL_ABORT = 1;
export const CTRL_READY = 2;
export const CTRL_LEVEL = 3;
/** Int32 slots in a control block: 3 fixed + one per tree level (a tree has at most 64 levels). */
export const CTRL_SLOTS = CTRL_LEVEL + 64;

/** out[i] = keccak256(input[i]) (rounds = 1) or keccak256(keccak256(input[i])) (rounds = 2), fixed-size items. */
export interface HashEachJob {
  kind: "hashEach";
  ctrl: SharedArrayBuffer;
  input: SharedArrayBuffer;
  /** Bytes per input item. */
  inLen: number;
  /** n * 32 bytes. */
  output: SharedArrayBuffer;
  n: number;
  rounds: 1 | 2;
  /** Items per chunk. */
  chunk: number;
}

/**
 * Internal nodes of an OpenZeppelin `makeMerkleTree` array: tree[i] = keccak256(sort(tree[2i+1], tree[2i+2])),
 * for i from `leaves - 2` down to 0, level by level (a level waits until the level below is finished).
 */
export interface NodesJob {
  kind: "nodes";
  ctrl: SharedArrayBuffer;
  /** (2 * leaves - 1) * 32 bytes; the leaves are already in place. */
  tree: SharedArrayBuffer;
  leaves: number;
  /** Nodes per chunk. */
  chunk: number;
}

export type KernelJob = HashEachJob | NodesJob;

export function newCtrl(): SharedArrayBuffer {
  return new SharedArrayBuffer(CTRL_SLOTS * 4);
}

// ---------------------------------------------------------------------------------------------------
// Kernels: run by the main thread and by every worker (tree-worker.ts) on the same job.
// ---------------------------------------------------------------------------------------------------

/** Runs a hashEach job's chunks until none is left. Returns quietly when the job is aborted. */
export function hashEachKernel(job: HashEachJob, hasher: KeccakHasher): void {
  const ctrl = new Int32Array(job.ctrl);
  const input = new Uint8Array(job.input);
  const output = new Uint8Array(job.output);
  const inLen = job.inLen;
  const inWords = inLen >> 2;
  const words = inLen % 4 === 0 ? new Int32Array(job.input, 0, job.n * inWords) : undefined;
  const item = new Uint8Array(inLen);
  const itemWords = new Int32Array(item.buffer, 0, inWords);
  const chunks = Math.ceil(job.n / job.chunk);
  for (;;) {
    const c = Atomics.add(ctrl, CTRL_NEXT, 1);
    if (c >= chunks) return;
    for (;;) {
      if (Atomics.load(ctrl, CTRL_ABORT) !== 0) return;
      const ready = Atomics.load(ctrl, CTRL_READY);
      if (ready > c) break;
      Atomics.wait(ctrl, CTRL_READY, ready, 1000);
    }
    const end = Math.min(job.n, (c + 1) * job.chunk);
    for (let i = c * job.chunk; i < end; i++) {
      // Copy the item into a reused buffer: cheaper than a subarray view per hash (allocation + GC).
      if (words) {
        for (let k = 0, q = i * inWords; k < inWords; k++) itemWords[k] = words[q + k];
      } else {
        for (let k = 0, q = i * inLen; k < inLen; k++) item[k] = input[q + k];
      }
      let d = hasher.init().update(item).digest("binary");
      if (job.rounds === 2) d = hasher.init().update(d).digest("binary");
      output.set(d, i * 32);
    }
  }
}

/** Runs a nodes job's chunks until none is left. Returns quietly when the job is aborted. */
export function nodesKernel(job: NodesJob, hasher: KeccakHasher): void {
  const n = job.leaves;
  if (n < 2) return;
  const ctrl = new Int32Array(job.ctrl);
  const tree = new Uint8Array(job.tree);
  const t32 = new Int32Array(job.tree);
  const pair = new Uint8Array(64);
  const p32 = new Int32Array(pair.buffer);
  // Internal nodes are 0 .. n-2; level d holds indices 2^d - 1 .. 2^(d+1) - 2. Chunks are numbered
  // from the deepest level up, so a chunk's inputs are produced by chunks with smaller numbers.
  const lastInternal = n - 2;
  const deepest = Math.floor(Math.log2(lastInternal + 1));
  const starts: number[] = [];
  const ends: number[] = [];
  const levels: number[] = [];
  const perLevel: number[] = [];
  for (let d = deepest; d >= 0; d--) {
    const first = 2 ** d - 1;
    const last = Math.min(2 ** (d + 1) - 2, lastInternal);
    let count = 0;
    for (let s = first; s <= last; s += job.chunk) {
      starts.push(s);
      ends.push(Math.min(s + job.chunk - 1, last));
      levels.push(d);
      count++;
    }
    perLevel[d] = count;
  }
  const chunks = starts.length;
  for (;;) {
    const c = Atomics.add(ctrl, CTRL_NEXT, 1);
    if (c >= chunks) return;
    const d = levels[c];
    if (d < deepest) {
      const slot = CTRL_LEVEL + d + 1;
      for (;;) {
        if (Atomics.load(ctrl, CTRL_ABORT) !== 0) return;
        const done = Atomics.load(ctrl, slot);
        if (done >= perLevel[d + 1]) break;
        Atomics.wait(ctrl, slot, done, 1000);
      }
    }
    // Walk the chunk from its last node down, as OZ does; order inside a level does not matter.
    for (let i = ends[c]; i >= starts[c]; i--) {
      const l = (2 * i + 1) * 32;
      const r = l + 32;
      let k = 0;
      while (k < 32 && tree[l + k] === tree[r + k]) k++;
      const lw = (2 * i + 1) * 8;
      const rw = lw + 8;
      if (k < 32 && tree[l + k] > tree[r + k]) {
        for (let j = 0; j < 8; j++) {
          p32[j] = t32[rw + j];
          p32[8 + j] = t32[lw + j];
        }
      } else {
        for (let j = 0; j < 8; j++) {
          p32[j] = t32[lw + j];
          p32[8 + j] = t32[rw + j];
        }
      }
      tree.set(hasher.init().update(pair).digest("binary"), i * 32);
    }
    const slot = CTRL_LEVEL + d;
    if (Atomics.add(ctrl, slot, 1) + 1 === perLevel[d]) Atomics.notify(ctrl, slot);
  }
}

/** Runs `job`'s kernel with `hasher`. */
export function runKernel(job: KernelJob, hasher: KeccakHasher): void {
  if (job.kind === "hashEach") hashEachKernel(job, hasher);
  else nodesKernel(job, hasher);
}

/** Sets the abort flag and wakes every waiting thread. */
export function abortJob(ctrl: SharedArrayBuffer): void {
  const c = new Int32Array(ctrl);
  Atomics.store(c, CTRL_ABORT, 1);
  for (let s = 0; s < c.length; s++) Atomics.notify(c, s);
}
