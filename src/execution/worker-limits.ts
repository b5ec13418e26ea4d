/**
 * Limits of the worker threads (Monte Carlo and sweep pools). A worker holds one kernel, a block's
 * statistics and its typed arrays (outside the heap): tens of MB. A cap on its old-generation heap
 * makes a runaway worker fail with a message instead of taking the machine's memory (one reached
 * 8.3 GB before failing without a cap).
 */
export const WORKER_HEAP_MB = 1024;

/** A worker's failure as the user reads it; running out of heap says which limit. */
export function workerFailure(e: unknown, heapMb: number = WORKER_HEAP_MB): string {
  const err = e as NodeJS.ErrnoException | undefined;
  if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY')
    return `it ran out of memory (each worker thread may use ${heapMb} MB of heap)`;
  return err?.message ?? String(e);
}
