/**
 * The main thread's side of the parallel keccak kernels (`tree-kernels.ts`): a pool of worker threads
 * (`tree-worker.ts`, loaded from its file) that run a job's kernel next to the main thread.
 */
import { availableParallelism } from "node:os";
import { extname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { createKeccak } from "hash-wasm";
import { abortJob, CTRL_ABORT, CTRL_READY, type KernelJob, type KeccakHasher } from "./tree-kernels";

export { abortJob, hashEachKernel, newCtrl, nodesKernel, type HashEachJob, type KeccakHasher, type KernelJob, type NodesJob } from "./tree-kernels";

// ---------------------------------------------------------------------------------------------------
// Main-thread side
// ---------------------------------------------------------------------------------------------------

/** The main thread's keccak256 hasher, created once (a WASM instance; every caller reuses it). */
const mainHasher = lazy(() => createKeccak(256) as Promise<KeccakHasher>);

export function getHasher(): Promise<KeccakHasher> {
  return mainHasher();
}

function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/**
 * Starts tree-worker beside this file: the compiled `tree-worker.js`, or, when the scorer runs from its
 * TypeScript sources (ts-node, mocha), `tree-worker.ts` through ts-node's transpiler, registered in the worker.
 */
function startWorker(): Worker {
  const fromSource = extname(__filename) === ".ts";
  const file = join(__dirname, `tree-worker${fromSource ? ".ts" : ".js"}`);
  if (!fromSource) return new Worker(file);
  // Under scorer/bin/scorer.js the worker uses the same cached transpile hook (no TypeScript compiler load).
  const hook = process.env.L2E_SCORER_TS_HOOK;
  const register = hook ? `require(${JSON.stringify(hook)});` : `require("ts-node").register({ transpileOnly: true, projectSearchDir: ${JSON.stringify(__dirname)} });`;
  const boot = `${register} require(${JSON.stringify(file)});`;
  return new Worker(boot, { eval: true });
}

/** Publishes `ready` chunks of a hashEach job's input. */
export function publishChunks(ctrl: SharedArrayBuffer, ready: number): void {
  const c = new Int32Array(ctrl);
  Atomics.store(c, CTRL_READY, ready);
  Atomics.notify(c, CTRL_READY);
}

interface PoolWorker {
  worker: Worker;
  pending?: { resolve(): void; reject(error: Error): void };
}

/**
 * Worker threads that help the main thread with kernel jobs, one job at a time. Open one for a piece of work
 * and close it right after: a worker keeps the SharedArrayBuffers it saw alive until its own garbage
 * collection, which an idle worker never runs, so a long-lived pool would pin hundreds of MB. Workers start
 * in the background (~30 ms); the main thread begins at once and they join when ready.
 */
export class KernelPool {
  private readonly workers: PoolWorker[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const entry: PoolWorker = { worker: startWorker() };
      entry.worker.on("message", (m: { ok: boolean; error?: string }) => {
        const p = entry.pending;
        entry.pending = undefined;
        if (!p) return;
        if (m.ok) p.resolve();
        else p.reject(new Error(`keccak worker failed: ${m.error}`));
      });
      const fail = (error: Error) => {
        const p = entry.pending;
        entry.pending = undefined;
        p?.reject(error);
      };
      entry.worker.on("error", fail);
      entry.worker.on("exit", (code) => fail(new Error(`keccak worker exited with code ${code}`)));
      this.workers.push(entry);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs `job` on every worker and `onMain` (which should run the same kernel) on the main thread;
   * resolves when all have finished. On any failure the job is aborted and the first error is thrown.
   */
  run(job: KernelJob, onMain: () => void): Promise<void> {
    const result = this.queue.then(() => this.runNow(job, onMain));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow(job: KernelJob, onMain: () => void): Promise<void> {
    if (this.closed) throw new Error("KernelPool is closed");
    const done = this.workers.map(
      (entry) =>
        new Promise<void>((resolve, reject) => {
          entry.pending = { resolve, reject };
          entry.worker.postMessage(job);
        }),
    );
    let mainError: unknown;
    try {
      onMain();
    } catch (error) {
      mainError = error;
      abortJob(job.ctrl);
    }
    const settled = await Promise.allSettled(done);
    if (mainError !== undefined) throw mainError;
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    if (Atomics.load(new Int32Array(job.ctrl), CTRL_ABORT) !== 0) throw new Error("keccak job aborted");
  }

  /** Terminates the workers (which frees the shared buffers they saw). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

/** Number of helper workers for large jobs: one per extra core, at most 7 (env SCORER_TREE_WORKERS overrides). */
export function helperCount(): number {
  const env = process.env.SCORER_TREE_WORKERS;
  if (env !== undefined && /^[0-9]+$/.test(env)) return Math.min(Number(env), 15);
  return Math.max(0, Math.min(availableParallelism() - 1, 7));
}

/** A pool for one piece of work, or undefined when not `parallel` or this machine has one core. Close it after. */
export function openPool(parallel: boolean): KernelPool | undefined {
  const size = parallel ? helperCount() : 0;
  return size > 0 ? new KernelPool(size) : undefined;
}

/** Runs a job on `pool` and the main thread, or on the main thread alone when there is no pool. */
export async function runJob(job: KernelJob, pool: KernelPool | undefined, onMain: () => void): Promise<void> {
  if (pool) {
    await pool.run(job, onMain);
    return;
  }
  onMain();
  if (Atomics.load(new Int32Array(job.ctrl), CTRL_ABORT) !== 0) throw new Error("keccak job aborted");
}
