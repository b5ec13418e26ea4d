/**
 * evaluateInOrder: blocks submitted in order with a bounded window, results accepted strictly in block
 * order whatever order they finish in, and a clean stop (no more submissions, the tasks in flight
 * aborted, their late results ignored) when accept says so, the signal aborts, or a task fails.
 *
 * The evaluator here finishes each task when the test says so, which makes every completion order
 * reproducible without timing.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError, type Evaluator, SequentialEvaluator } from '../../src/execution/evaluator.js';
import { evaluateInOrder } from '../../src/execution/in-order.js';

/** Tasks are block numbers; each one's result is given (or its failure) by the test. */
class ManualEvaluator implements Evaluator<number, string> {
  readonly workers = 2;
  readonly submitted: number[] = [];
  readonly aborted: number[] = [];
  private readonly pending = new Map<number, { ok: (r: string) => void; fail: (e: unknown) => void }>();
  evaluate(task: number, signal?: AbortSignal): Promise<string> {
    this.submitted.push(task);
    return new Promise<string>((ok, fail) => {
      this.pending.set(task, { ok, fail });
      signal?.addEventListener('abort', () => {
        this.aborted.push(task);
        fail(new CancelledError());
      });
    });
  }
  finish(task: number): void {
    this.pending.get(task)!.ok(`result ${task}`);
  }
  failTask(task: number, e: unknown): void {
    this.pending.get(task)!.fail(e);
  }
  async close(): Promise<void> {}
}

/** evaluateInOrder of `blocks` blocks whose task is the block number, `maxInFlight` at a time. */
function blocksInOrder<R>(
  ev: Evaluator<number, R>,
  blocks: number,
  accept: (block: number, result: R) => boolean,
  maxInFlight: number,
  signal?: AbortSignal,
): Promise<number> {
  return evaluateInOrder(ev, blocks, (b) => b, accept, { maxInFlight, ...(signal ? { signal } : {}) });
}

/** Let every callback already due run (the promise reactions of finished tasks). */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('evaluateInOrder', () => {
  it('accepts results in block order under out-of-order completion, with at most maxInFlight outstanding', async () => {
    const ev = new ManualEvaluator();
    const accepted: [number, string][] = [];
    const outstanding: number[] = [];
    const done = blocksInOrder(
      ev,
      6,
      (b, r) => {
        accepted.push([b, r]);
        return true;
      },
      3,
    );
    const step = async (task: number): Promise<void> => {
      ev.finish(task);
      await settle();
      outstanding.push(ev.submitted.length - accepted.length);
    };
    expect(ev.submitted).toEqual([0, 1, 2]);
    await step(2); // finished before 0 and 1: held back, and it still counts against the window
    expect(accepted).toEqual([]);
    expect(ev.submitted).toEqual([0, 1, 2]);
    await step(0);
    expect(accepted.map(([b]) => b)).toEqual([0]);
    expect(ev.submitted).toEqual([0, 1, 2, 3]);
    await step(1); // releases 1 and the waiting 2
    expect(accepted.map(([b]) => b)).toEqual([0, 1, 2]);
    expect(ev.submitted).toEqual([0, 1, 2, 3, 4, 5]);
    await step(5);
    await step(4);
    expect(accepted.map(([b]) => b)).toEqual([0, 1, 2]);
    await step(3);
    expect(await done).toBe(6);
    expect(accepted).toEqual([0, 1, 2, 3, 4, 5].map((b) => [b, `result ${b}`]));
    expect(Math.max(...outstanding)).toBeLessThanOrEqual(3);
    expect(ev.aborted).toEqual([]);
  });

  it('stops when accept returns false: resolves with the blocks accepted, aborts the rest, submits no more', async () => {
    const ev = new ManualEvaluator();
    const accepted: number[] = [];
    const done = blocksInOrder(
      ev,
      10,
      (b) => {
        if (b === 1) return false;
        accepted.push(b);
        return true;
      },
      4,
    );
    ev.finish(3); // a later block finished first: never accepted
    ev.finish(0);
    await settle();
    ev.finish(1);
    expect(await done).toBe(1);
    expect(accepted).toEqual([0]);
    expect(ev.submitted).toEqual([0, 1, 2, 3, 4]);
    expect(ev.aborted).toEqual([2, 4]);
    ev.finish(4); // a late result of an aborted task changes nothing
    await settle();
    expect(accepted).toEqual([0]);
    expect(ev.submitted).toEqual([0, 1, 2, 3, 4]);
  });

  it('the first failing block accepted is the lowest one, whichever fails first', async () => {
    const ev = new ManualEvaluator();
    const failed: number[] = [];
    const done = blocksInOrder(
      ev,
      4,
      (b) => {
        // Blocks 1 and 3 "fail" (a row of the design gave NaN): the result says so, as data.
        if (b === 1 || b === 3) failed.push(b);
        return failed.length === 0;
      },
      4,
    );
    ev.finish(3);
    await settle();
    ev.finish(0);
    ev.finish(1);
    expect(await done).toBe(1);
    expect(failed).toEqual([1]);
  });

  it('stops when the signal aborts: the blocks accepted stay, the tasks in flight are aborted', async () => {
    const ev = new ManualEvaluator();
    const stop = new AbortController();
    const accepted: number[] = [];
    const done = blocksInOrder(ev, 100, (b) => accepted.push(b) > 0, 2, stop.signal);
    ev.finish(0);
    await settle();
    stop.abort();
    expect(await done).toBe(1);
    expect(accepted).toEqual([0]);
    expect(ev.submitted).toEqual([0, 1, 2]);
    expect(ev.aborted).toEqual([1, 2]);
  });

  it('an already aborted signal submits nothing', async () => {
    const ev = new ManualEvaluator();
    const stop = new AbortController();
    stop.abort();
    expect(await blocksInOrder(ev, 5, () => true, 2, stop.signal)).toBe(0);
    expect(ev.submitted).toEqual([]);
  });

  it('a task that rejects stops everything at once, even with earlier blocks unfinished, and rejects with its error', async () => {
    const ev = new ManualEvaluator();
    const accepted: number[] = [];
    const done = blocksInOrder(ev, 10, (b) => accepted.push(b) > 0, 3);
    const crash = new Error('the worker crashed');
    ev.failTask(2, crash);
    await expect(done).rejects.toBe(crash);
    expect(ev.aborted).toEqual([0, 1]);
    expect(ev.submitted).toEqual([0, 1, 2]);
    ev.finish(0);
    await settle();
    expect(accepted).toEqual([]);
  });

  it('an exception in accept (a write that failed) stops the blocks and rejects with it', async () => {
    const ev = new ManualEvaluator();
    const full = new Error('ENOSPC: no space left on device');
    const done = blocksInOrder(
      ev,
      10,
      () => {
        throw full;
      },
      3,
    );
    ev.finish(0);
    await expect(done).rejects.toBe(full);
    expect(ev.aborted).toEqual([1, 2]);
  });

  it('no blocks: resolves with 0 and submits nothing', async () => {
    const ev = new ManualEvaluator();
    expect(await blocksInOrder(ev, 0, () => true, 2)).toBe(0);
    expect(ev.submitted).toEqual([]);
  });
});

describe('SequentialEvaluator with evaluateInOrder', () => {
  it('computes every block in this thread, in order', async () => {
    const ev = new SequentialEvaluator((b: number) => b * b);
    const seen: number[] = [];
    const n = await evaluateInOrder(
      ev,
      5,
      (b) => b + 1,
      (_b, r) => seen.push(r) > 0,
      { maxInFlight: 2 },
    );
    expect(n).toBe(5);
    expect(seen).toEqual([1, 4, 9, 16, 25]);
  });

  it('yields between tasks, so a signal raised from a callback (a SIGINT handler) stops it', async () => {
    const computed: number[] = [];
    const ev = new SequentialEvaluator((b: number) => computed.push(b));
    const stop = new AbortController();
    // As a signal handler would: from the event loop, between two blocks.
    const done = blocksInOrder(
      ev,
      1000,
      (b) => {
        if (b === 2) setImmediate(() => stop.abort());
        return true;
      },
      2,
      stop.signal,
    );
    const n = await done;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThan(1000);
    expect(computed.length).toBeLessThanOrEqual(n + 2);
  });

  it('rejects with CancelledError once its signal aborted or it was closed', async () => {
    const ev = new SequentialEvaluator((b: number) => b);
    const stop = new AbortController();
    stop.abort();
    await expect(ev.evaluate(1, stop.signal)).rejects.toBeInstanceOf(CancelledError);
    expect(await ev.evaluate(2)).toBe(2);
    await ev.close();
    await expect(ev.evaluate(3)).rejects.toBeInstanceOf(CancelledError);
  });
});
