import type { Evaluator } from './evaluator.js';

export interface InOrderOptions {
  /** Blocks submitted and not yet accepted, at most (a few per thread keeps every thread busy). */
  readonly maxInFlight: number;
  /** Stop early: blocks already accepted stay accepted. */
  readonly signal?: AbortSignal;
}

/**
 * Blocks 0 … blocks−1 through `evaluator`: submitted in order with at most `maxInFlight` outstanding
 * (not all at once: 100,000 queued tasks take seconds to queue, and as long again to cancel), their
 * results handed to `accept` strictly in block order, whatever order they finish in — so what the
 * caller builds from them does not depend on the worker count or the timing, and the first failing
 * block accepted is the lowest failing one.
 *
 * Stops (no more submissions, the tasks in flight aborted) when `accept` returns false, the signal
 * aborts, or a task rejects. Resolves with the number of blocks accepted (`blocks` when all were);
 * rejects with a task's error or with what `accept` or `makeTask` threw.
 */
export function evaluateInOrder<Task, Result>(
  evaluator: Evaluator<Task, Result>,
  blocks: number,
  makeTask: (block: number) => Task,
  accept: (block: number, result: Result) => boolean,
  o: InOrderOptions,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    /** Finished blocks waiting for the ones before them. */
    const finished = new Map<number, Result>();
    const inFlight = new Map<number, AbortController>();
    let next = 0;
    let accepted = 0;
    let stopped = false;
    const stop = (settle: () => void): void => {
      if (stopped) return;
      stopped = true;
      o.signal?.removeEventListener('abort', onAbort);
      for (const cancel of inFlight.values()) cancel.abort();
      inFlight.clear();
      finished.clear();
      settle();
    };
    const onAbort = (): void => stop(() => resolve(accepted));
    const pump = (): void => {
      while (!stopped && next < blocks && next - accepted < o.maxInFlight) {
        const b = next++;
        let task: Task;
        try {
          task = makeTask(b);
        } catch (e) {
          return stop(() => reject(e));
        }
        const cancel = new AbortController();
        inFlight.set(b, cancel);
        // Every task's promise is handled, the abandoned ones' included (they reject once aborted).
        evaluator.evaluate(task, cancel.signal).then(
          (r) => {
            if (stopped) return;
            inFlight.delete(b);
            finished.set(b, r);
            acceptReady();
          },
          (e: unknown) => {
            if (stopped) return;
            inFlight.delete(b);
            stop(() => reject(e));
          },
        );
      }
    };
    /** Accept every finished block that is next in order, then submit more. */
    const acceptReady = (): void => {
      while (finished.has(accepted)) {
        const r = finished.get(accepted) as Result;
        finished.delete(accepted);
        let more: boolean;
        try {
          more = accept(accepted, r);
        } catch (e) {
          return stop(() => reject(e));
        }
        if (stopped) return;
        if (!more) return stop(() => resolve(accepted));
        accepted++;
      }
      if (accepted === blocks) return stop(() => resolve(accepted));
      pump();
    };
    if (o.signal?.aborted) return resolve(0);
    if (blocks <= 0) return resolve(0);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    pump();
  });
}
