/**
 * How tasks (Monte Carlo blocks, sweep rows) get computed. The sequential and the pooled evaluator
 * share this interface, so the experiment code does not know (and the results do not depend on) how
 * it is executed. Whoever creates an evaluator closes it.
 */
export interface Evaluator<Task, Result> {
  /** Tasks computed at the same time (1 in this thread). */
  readonly workers: number;
  /**
   * The task's result. Rejects with CancelledError once `signal` aborts or the evaluator is closed,
   * with a RunError when the machine fails (a worker crashed or ran out of memory).
   */
  evaluate(task: Task, signal?: AbortSignal): Promise<Result>;
  /** Abandon tasks in flight (their promises reject with CancelledError) and release threads. */
  close(): Promise<void>;
}

/** A task abandoned because its signal aborted or its evaluator was closed: a stop, not a failure. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

/** In this thread: small work, replays, tests, and `--workers 0`. */
export class SequentialEvaluator<Task, Result> implements Evaluator<Task, Result> {
  readonly workers = 1;
  private closed = false;
  constructor(private readonly compute: (task: Task) => Result) {}
  async evaluate(task: Task, signal?: AbortSignal): Promise<Result> {
    // Yield before each task so that a SIGINT handler (or any other callback) gets to run.
    await new Promise<void>((r) => setImmediate(r));
    if (this.closed || signal?.aborted) throw new CancelledError();
    return this.compute(task);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}
