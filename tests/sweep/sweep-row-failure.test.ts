/**
 * A design row whose projection gives NaN or ±Infinity is a failure while running (exit 1, as in
 * `run` and `mc`: the sweep file was valid, the model failed), reported the
 * same way whatever the worker count: the lowest failing row of the design, its factor values, the
 * Monte Carlo future when one failed, then the failing equation, region and year. Rows travel across
 * threads in blocks, several of which fail, and finish in any order.
 *
 * And a worker that crashes or throws (not a row of the design) stops the sweep promptly with a
 * RunError: the remaining tasks are cancelled, none left hanging, no unhandled rejection.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSweep } from '../../src/sweep/load-sweep.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { RunError } from '../../src/util/diagnostics.js';
import { cli, ROOT } from '../cli/harness.js';
import { FIX } from '../fixtures/sweep/helpers.js';

const DIR = `${FIX}/regional`;
const MODEL = resolve(ROOT, DIR, 'model.yaml');
const HINT = '(check divisions by zero, logs of non-positive numbers and parameter values)';

/** model.yaml's `next:` of state x, as line:column of the equation. */
function equationAt(): string {
  const lines = readFileSync(MODEL, 'utf8').split('\n');
  const i = lines.findIndex((l) => /^\s+next: x \+ k/.test(l));
  return `${i + 1}:${lines[i]!.indexOf('x + k') + 1}`;
}

describe('a row whose equation gives Infinity', () => {
  // nonfinite.yaml: k ∈ {1, 2, 3, 4} × push ∈ {0, 0.5, 1}; push = 0.5 divides by zero in 2016, so
  // rows 1, 4, 7 and 10 fail. With two workers the 12 rows go in 6 tasks of 2, four of which fail.
  const expected = (): string =>
    `policysim: failed: ${MODEL}:${equationAt()}: row 1 (k=1, push=0.5): states.x.next: equation gave Infinity for Region A in 2016 ${HINT}\n`;

  it('exit 1, the lowest failing row with its factor values, the same line for --workers 0, 1, 2 and 3', async () => {
    const file = `${DIR}/nonfinite.yaml`;
    // The pooled counts twice each: blocks finish in another order from one run to the next.
    for (const w of ['0', '1', '2', '3', '2', '3']) {
      const r = await cli('sweep', file, '--workers', w);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(expected());
      expect(r.code).toBe(1);
    }
  });

  it('in-process (--workers 0): a RunError', async () => {
    const e = await runSweep(loadSweep(`${DIR}/nonfinite.yaml`), { workers: 0 }).then(
      () => 'completed',
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(RunError);
    expect(`policysim: failed: ${(e as RunError).message}\n`).toBe(expected());
  });
});

describe('a Monte Carlo future of a row that gives -Infinity', () => {
  // fragile-grid.yaml: the scenario draws d from {0, 1}; a future with d = 0 divides by zero. The first
  // such future is 3 (seed 7), in row 0 — and in row 1, which a second worker evaluates at the same time.
  const line = (): string =>
    `policysim: failed: ${MODEL}:${equationAt()}: row 0 (push=0), Monte Carlo future 3: states.x.next: equation gave -Infinity for Region A in 2016 ${HINT}\n`;

  it('exit 1, the row and the future, the same line for --workers 0 and 2', async () => {
    for (const w of ['0', '2']) {
      const r = await cli('sweep', `${DIR}/fragile-grid.yaml`, '--workers', w);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(line());
      expect(r.code).toBe(1);
    }
  });

  it("the future named is the first that fails: `run --mc-run K` with the row's setting replays it", async () => {
    const replays = await Promise.all(
      [0, 1, 2, 3, 4].map((k) =>
        cli('run', `${DIR}/fragile.yaml`, '--mc-run', String(k), '--set', 'push=0', '--format', 'csv'),
      ),
    );
    expect(replays.map((r) => r.code)).toEqual([0, 0, 0, 1, 0]);
    expect(replays[3]!.stderr).toBe(
      `policysim: failed: ${MODEL}:${equationAt()}: states.x.next: equation gave -Infinity for Region A in 2016 ${HINT}\n`,
    );
  });
});

describe('a worker that fails (not a row): RunError, the other tasks cancelled', () => {
  const failWith = async (script: string, workerHeapMb?: number): Promise<unknown> => {
    const started = Date.now();
    const outcome = await runSweep(loadSweep(`${DIR}/nonfinite.yaml`), {
      workers: 2,
      workerFile: resolve(ROOT, FIX, 'workers', script),
      ...(workerHeapMb ? { workerHeapMb } : {}),
    }).then(
      () => 'completed',
      (e: unknown) => e,
    );
    // The other worker never finishes its task (throws-or-hangs.cjs): only cancelling it ends the sweep.
    expect(Date.now() - started).toBeLessThan(15_000);
    return outcome;
  };

  it('throws on one task while the other thread hangs: rejects promptly with the worker message', async () => {
    const e = await failWith('throws-or-hangs.cjs');
    expect(e).toBeInstanceOf(RunError);
    expect((e as Error).message).toBe('a sweep worker failed: boom in the sweep worker');
  });

  it('exits mid-task', async () => {
    const e = await failWith('exits.cjs');
    expect(e).toBeInstanceOf(RunError);
    expect((e as Error).message).toMatch(/^a sweep worker failed: .*exit/i);
  });

  it('runs out of its heap limit (lowered to 32 MB here): a RunError saying so', async () => {
    const e = await failWith('hogs-memory.cjs', 32);
    expect(e).toBeInstanceOf(RunError);
    expect((e as Error).message).toBe(
      'a sweep worker failed: it ran out of memory (each worker thread may use 32 MB of heap)',
    );
  });
});
