import { existsSync } from 'node:fs';
import { Piscina } from 'piscina';
import { RunError } from '../util/diagnostics.js';
import { workerScript } from '../util/worker-script.js';
import { CancelledError, type Evaluator } from './evaluator.js';
import { WORKER_HEAP_MB, workerFailure } from './worker-limits.js';

export interface PoolOptions<Task> {
  readonly workers: number;
  /** The worker script (default: the built src/execution/worker.js); tests substitute one that fails. */
  readonly filename?: string;
  /** Old-generation heap limit of each thread, MB (default WORKER_HEAP_MB). */
  readonly heapMb?: number;
  /** What the user reads when a worker fails on `task` (it crashed, threw, ran out of heap); `reason` says how. */
  readonly failure: (task: Task, reason: string) => string;
}

// A CommonJS entry that import()s worker.js (see worker-entry.cts for why not worker.js itself).
const WORKER_FILE = workerScript(new URL('./worker-entry.cjs', import.meta.url));
// A small young generation: tasks allocate only short-lived garbage, and V8 would otherwise grow each
// thread's nursery to tens of MB (measured on 1M Monte Carlo runs, 2 workers: peak RSS 335 MB at V8's
// default, 270 MB at 4 MB, same speed).
const YOUNG_GEN_MB = 4;

/**
 * Worker threads through piscina: the one pool of the program (Monte Carlo blocks and sweep rows go
 * to the same worker module, which instantiates each image once per thread and keeps it).
 *
 * Idle policy: minThreads = maxThreads = workers, so the pool neither grows nor shrinks while its
 * owner uses it; an idle thread waits (unreferenced: it does not keep the process alive) until close.
 *
 * Error policy: a task whose worker fails rejects with a RunError worded by `failure`; an error the
 * pool reports outside any task (a thread that died between tasks) fails the tasks in flight and
 * every later one with "the worker pool failed: ..."; once a task was aborted or the pool closed,
 * such errors are ignored (a thread busy with an abandoned task can still post its result, which
 * piscina reports as an error), and abandoned tasks reject with CancelledError.
 */
export class PoolEvaluator<Task, Result> implements Evaluator<Task, Result> {
  readonly workers: number;
  private readonly pool: Piscina;
  private readonly closing = new AbortController();
  private readonly heapMb: number;
  private readonly failure: (task: Task, reason: string) => string;
  private closed: Promise<void> | undefined;
  /** A task was abandoned: later pool errors may be its late result. */
  private abandoned = false;
  /** The pool's error outside any task, once there was one. */
  private poolError: RunError | undefined;
  /** Rejects with poolError when it happens, so that the tasks in flight do not wait for ever. */
  private readonly failed: Promise<never>;
  private fail: (e: RunError) => void = () => {};

  constructor(o: PoolOptions<Task>) {
    const filename = o.filename ?? WORKER_FILE;
    if (!existsSync(filename)) throw new RunError(`worker script not found at ${filename}: run 'npm run build' first`);
    this.workers = o.workers;
    this.heapMb = o.heapMb ?? WORKER_HEAP_MB;
    this.failure = o.failure;
    this.failed = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    this.failed.catch(() => {});
    this.pool = new Piscina({
      filename,
      minThreads: o.workers,
      maxThreads: o.workers,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GEN_MB, maxOldGenerationSizeMb: this.heapMb },
    });
    this.pool.on('error', (e: unknown) => {
      if (this.abandoned || this.closing.signal.aborted || this.poolError) return;
      this.poolError = new RunError(`the worker pool failed: ${(e as Error)?.message ?? String(e)}`);
      this.fail(this.poolError);
    });
  }

  async evaluate(task: Task, signal?: AbortSignal): Promise<Result> {
    if (this.poolError) throw this.poolError;
    if (this.closing.signal.aborted || signal?.aborted) throw new CancelledError();
    const stop = signal ? AbortSignal.any([this.closing.signal, signal]) : this.closing.signal;
    try {
      return await Promise.race([this.pool.run(task, { signal: stop }) as Promise<Result>, this.failed]);
    } catch (e) {
      if (stop.aborted) {
        this.abandoned = true;
        throw new CancelledError();
      }
      if (e === this.poolError) throw e;
      throw new RunError(this.failure(task, workerFailure(e, this.heapMb)));
    }
  }

  close(): Promise<void> {
    this.closing.abort();
    this.closed ??= this.pool.destroy();
    return this.closed;
  }
}
