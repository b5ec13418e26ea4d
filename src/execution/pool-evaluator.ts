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
  /**
   * The tasks in flight: a pool error rejects them, so that they do not wait for ever, and close()
   * aborts them. A set of the tasks rather than a Promise.race with one long-lived "failed" promise:
   * every race leaves a reaction on that promise which holds the race's result, so each block's
   * summary (2 MB for 800 cells) stayed reachable until the pool closed (measured: 394 MB peak RSS
   * for 1M runs on 2 workers, growing with the runs).
   */
  private readonly inFlight = new Set<{ readonly stop: AbortController; readonly reject: (e: unknown) => void }>();

  constructor(o: PoolOptions<Task>) {
    const filename = o.filename ?? WORKER_FILE;
    if (!existsSync(filename)) throw new RunError(`worker script not found at ${filename}: run 'npm run build' first`);
    // piscina require()s the file first; a require() of an ES module can abort the whole process on
    // Node 20.19+ (worker-entry.cts says how), so only CommonJS files reach it.
    if (!filename.endsWith('.cjs')) throw new Error(`a worker script must be CommonJS (.cjs): ${filename}`);
    this.workers = o.workers;
    this.heapMb = o.heapMb ?? WORKER_HEAP_MB;
    this.failure = o.failure;
    this.pool = new Piscina({
      filename,
      minThreads: o.workers,
      maxThreads: o.workers,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GEN_MB, maxOldGenerationSizeMb: this.heapMb },
    });
    this.pool.on('error', (e: unknown) => {
      if (this.abandoned || this.closing.signal.aborted || this.poolError) return;
      const poolError = new RunError(`the worker pool failed: ${(e as Error)?.message ?? String(e)}`);
      this.poolError = poolError;
      for (const t of this.inFlight) t.reject(poolError);
    });
  }

  async evaluate(task: Task, signal?: AbortSignal): Promise<Result> {
    if (this.poolError) throw this.poolError;
    if (this.closing.signal.aborted || signal?.aborted) throw new CancelledError();
    // One controller per task, aborted by the caller's signal or by close() (not AbortSignal.any,
    // whose composite signals stay registered with the long-lived closing signal).
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let entry: { stop: AbortController; reject: (e: unknown) => void } | undefined;
    try {
      return await new Promise<Result>((resolve, reject) => {
        entry = { stop, reject };
        this.inFlight.add(entry);
        (this.pool.run(task, { signal: stop.signal }) as Promise<Result>).then(resolve, reject);
      });
    } catch (e) {
      if (stop.signal.aborted) {
        this.abandoned = true;
        throw new CancelledError();
      }
      if (e === this.poolError) throw e;
      throw new RunError(this.failure(task, workerFailure(e, this.heapMb)));
    } finally {
      if (entry) this.inFlight.delete(entry);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  close(): Promise<void> {
    this.closing.abort();
    for (const t of this.inFlight) t.stop.abort();
    this.closed ??= this.pool.destroy();
    return this.closed;
  }
}
