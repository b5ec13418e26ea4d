import { availableParallelism } from 'node:os';

/** `--workers`: a thread count (0: this thread) or `auto`. */
export type Workers = number | 'auto';

/**
 * Below this many model evaluations `auto` computes in the main thread: a pool costs more to start
 * (~0.1 s: threads, module load, the kernel instantiated per thread) than it saves. Results are the
 * same either way.
 */
export const POOL_THRESHOLD = 200_000;

/** The threads `workers` means for work of `evaluations` model evaluations: 0 is this thread. */
export function resolveWorkers(workers: Workers, evaluations: number): number {
  if (workers !== 'auto') return workers;
  return evaluations < POOL_THRESHOLD ? 0 : availableParallelism();
}
