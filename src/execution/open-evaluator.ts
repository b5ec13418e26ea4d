import { type Evaluator, SequentialEvaluator } from './evaluator.js';
import { PoolEvaluator, type PoolOptions } from './pool-evaluator.js';

/**
 * The evaluator for `workers` threads (see resolveWorkers): in this thread (0) with `compute`, made
 * only then, or on a pool of that many worker threads. The caller owns it and closes it.
 */
export function openEvaluator<Task, Result>(
  workers: number,
  compute: () => (task: Task) => Result,
  pool: Omit<PoolOptions<Task>, 'workers'>,
): Evaluator<Task, Result> {
  return workers === 0 ? new SequentialEvaluator(compute()) : new PoolEvaluator<Task, Result>({ ...pool, workers });
}
