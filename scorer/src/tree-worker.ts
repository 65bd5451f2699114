/**
 * A keccak worker thread: a real file, started by `tree-pool.ts` (as tree-worker.js when compiled, through
 * ts-node when the scorer runs from its TypeScript sources). It runs the kernel of each job it is sent, next to
 * the main thread and the other workers, and answers `{ok}` when its share is done.
 */
import { parentPort } from "node:worker_threads";
import { createKeccak } from "hash-wasm";
import { abortJob, runKernel, type KernelJob, type KeccakHasher } from "./tree-kernels";

const port = parentPort;
if (!port) throw new Error("tree-worker.ts is a worker thread: start it through tree-pool.ts");
const hasherReady: Promise<KeccakHasher> = createKeccak(256);
port.on("message", async (job: KernelJob) => {
  try {
    runKernel(job, await hasherReady);
    port.postMessage({ ok: true });
  } catch (error) {
    abortJob(job.ctrl);
    port.postMessage({ ok: false, error: String((error as Error)?.stack ?? error) });
  }
});
