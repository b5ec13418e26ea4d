/**
 * The pool's error policy, in-process on real worker threads (tests/fixtures/execution/workers): a
 * task whose thread fails rejects with a RunError in the caller's words; an error of the pool outside
 * any task fails the tasks waiting and every later one ("the worker pool failed: ..."), instead of
 * leaving them waiting for a thread that never comes; an aborted task, or one in flight at close,
 * rejects with CancelledError, and the pool goes on with the next task after an abort.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/execution/evaluator.js';
import { PoolEvaluator } from '../../src/execution/pool-evaluator.js';
import { RunError } from '../../src/util/diagnostics.js';

const WORKERS = resolve(import.meta.dirname, '../fixtures/execution/workers');

type Task =
  | { op: 'double'; value: number }
  | { op: 'array'; length: number }
  | { op: 'throw' }
  | { op: 'exit' }
  | { op: 'hang'; started: Int32Array };

function pool<R = number>(script = 'tasks.cjs', workers = 1): PoolEvaluator<Task, R> {
  return new PoolEvaluator<Task, R>({
    workers,
    filename: resolve(WORKERS, script),
    failure: (task, reason) => `task '${task.op}' failed: ${reason}`,
  });
}

/** `work` on a pool of `workers` threads running `script`, closed however the work ends. */
async function withPool<R = number>(
  o: { script?: string; workers?: number },
  work: (ev: PoolEvaluator<Task, R>) => Promise<void>,
): Promise<void> {
  const ev = pool<R>(o.script, o.workers);
  try {
    await work(ev);
  } finally {
    await ev.close();
  }
}

/** What a promise rejected with (or 'resolved'). */
const outcome = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'resolved',
    (e: unknown) => e,
  );

/** A 'hang' task and a promise that resolves once a thread has started it. */
function hangTask(): { task: Task; running: Promise<void> } {
  const started = new Int32Array(new SharedArrayBuffer(4));
  const running = (async () => {
    while (Atomics.load(started, 0) === 0) await new Promise((r) => setTimeout(r, 5));
  })();
  return { task: { op: 'hang', started }, running };
}

describe('PoolEvaluator', () => {
  it('computes tasks on its threads', async () => {
    await withPool({ workers: 2 }, async (ev) => {
      expect(ev.workers).toBe(2);
      expect(await Promise.all([1, 2, 3].map((value) => ev.evaluate({ op: 'double', value })))).toEqual([2, 4, 6]);
    });
  });

  it('a task that throws in its thread: a RunError worded by the caller, with the worker message', async () => {
    await withPool({}, async (ev) => {
      const e = await outcome(ev.evaluate({ op: 'throw' }));
      expect(e).toBeInstanceOf(RunError);
      expect((e as Error).message).toBe("task 'throw' failed: boom in the task");
      // The thread survived its task's exception: the next task is computed.
      expect(await ev.evaluate({ op: 'double', value: 5 })).toBe(10);
    });
  });

  it('a thread that dies mid-task: a RunError saying it exited', async () => {
    await withPool({}, async (ev) => {
      const e = await outcome(ev.evaluate({ op: 'exit' }));
      expect(e).toBeInstanceOf(RunError);
      expect((e as Error).message).toMatch(/^task 'exit' failed: .*exit.*7/i);
    });
  });

  it('an error of the pool outside any task fails the waiting task and every later one', async () => {
    await withPool({ script: 'fails-to-load.cjs' }, async (ev) => {
      // The first thread fails to load with this task already given to it: the task's failure.
      const first = await outcome(ev.evaluate({ op: 'double', value: 1 }));
      expect(first).toBeInstanceOf(RunError);
      expect((first as Error).message).toBe("task 'double' failed: boom while loading");
      // Its replacement fails before it is ready, with no task: an error of the pool. The task waiting
      // for a thread would otherwise wait for ever (piscina starts no more threads).
      const waiting = await outcome(ev.evaluate({ op: 'double', value: 2 }));
      expect(waiting).toBeInstanceOf(RunError);
      expect((waiting as Error).message).toBe('the worker pool failed: boom while loading');
      const later = await outcome(ev.evaluate({ op: 'double', value: 3 }));
      expect(later).toBe(waiting);
    });
  });

  it('an aborted task rejects with CancelledError; the pool computes the next task on a fresh thread', async () => {
    await withPool({}, async (ev) => {
      const stop = new AbortController();
      const { task, running } = hangTask();
      const hung = outcome(ev.evaluate(task, stop.signal));
      await running;
      stop.abort();
      expect(await hung).toBeInstanceOf(CancelledError);
      expect(await ev.evaluate({ op: 'double', value: 21 })).toBe(42);
      // A signal aborted before the task is submitted: nothing is run.
      expect(await outcome(ev.evaluate({ op: 'double', value: 1 }, stop.signal))).toBeInstanceOf(CancelledError);
    });
  });

  it('close abandons the tasks in flight (CancelledError) and refuses later ones', async () => {
    const ev = pool('tasks.cjs', 2);
    const { task, running } = hangTask();
    const hung = outcome(ev.evaluate(task));
    await running;
    await ev.close();
    expect(await hung).toBeInstanceOf(CancelledError);
    expect(await outcome(ev.evaluate({ op: 'double', value: 1 }))).toBeInstanceOf(CancelledError);
    await ev.close(); // idempotent
  });

  it('keeps no result once its task is done (results are garbage for the caller to drop)', async () => {
    // A full collection on demand: V8's gc(), exposed to a fresh context.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await withPool<{ values: Float64Array }>({}, async (ev) => {
      const results: WeakRef<object>[] = [];
      for (let i = 0; i < 4; i++) results.push(new WeakRef(await ev.evaluate({ op: 'array', length: 1000 })));
      await new Promise((r) => setImmediate(r));
      gc();
      // Each task used to race a promise living as long as the pool, which held on to its result
      // (a block's 2 MB of statistics, every block until the pool closed).
      expect(results.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    });
  });

  it('refuses a worker script that is an ES module: piscina would require() it (it aborted a CI run)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policysim-esm-worker-'));
    const esm = join(dir, 'worker.mjs');
    writeFileSync(esm, 'export default () => 1;\n');
    try {
      expect(() => new PoolEvaluator({ workers: 1, filename: esm, failure: () => '' })).toThrow(
        new Error(`a worker script must be CommonJS (.cjs): ${esm}`),
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('a missing worker script is a RunError before any thread starts', () => {
    const missing = resolve(WORKERS, 'no-such-worker.cjs');
    expect(() => pool('no-such-worker.cjs')).toThrow(
      new RunError(`worker script not found at ${missing}: run 'npm run build' first`),
    );
  });
});
