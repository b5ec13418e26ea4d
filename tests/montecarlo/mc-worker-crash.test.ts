/**
 * A worker that dies or throws is reported as a run failure (exit code 1 in the CLI), never hung
 * on: the simulation rejects promptly with a message naming the runs the worker held.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareMc } from '../../src/montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../../src/montecarlo/run-block.js';
import { runMonteCarlo } from '../../src/montecarlo/simulate.js';
import { RunError } from '../../src/util/diagnostics.js';
import { PAPER } from '../fixtures/mc/helpers.js';

async function failWith(workerScript: string, heapMb?: number): Promise<unknown> {
  const ctx = prepareMc({ scenarioFile: PAPER, overrides: [] });
  const local = new RunBlockEvaluator(ctx.image);
  const workerFile = resolve('tests/fixtures/mc/workers', workerScript);
  const started = Date.now();
  const outcome = await runMonteCarlo(ctx, local, {
    workers: 2,
    workerFile,
    ...(heapMb ? { workerHeapMb: heapMb } : {}),
    runs: 20_000,
    seed: 1,
    chunk: 4096,
  }).then(
    () => 'completed',
    (e: unknown) => e,
  );
  // "Not hung on": the failure surfaces in well under the test timeout.
  expect(Date.now() - started).toBeLessThan(20_000);
  return outcome;
}

describe('a worker thread that fails', () => {
  it('exits: the run stops with a RunError naming the block of runs', async () => {
    const e = await failWith('exits.cjs');
    expect(e).toBeInstanceOf(RunError);
    expect((e as Error).message).toMatch(/^a worker thread failed on runs \d+-\d+: .*exit/i);
  });

  it('throws: the run stops with a RunError carrying the worker message', async () => {
    const e = await failWith('throws.cjs');
    expect(e).toBeInstanceOf(RunError);
    expect((e as Error).message).toMatch(/^a worker thread failed on runs \d+-\d+: boom in the worker$/);
  });

  it('runs out of its heap limit: the run stops with a RunError saying so (not the machine out of memory)', async () => {
    // The limit is lowered for the test (WORKER_HEAP_MB in production) so that it is reached at once.
    const e = await failWith('hogs-memory.cjs', 32);
    expect(e).toBeInstanceOf(RunError);
    expect((e as Error).message).toMatch(
      /^a worker thread failed on runs \d+-\d+: it ran out of memory \(each worker thread may use 32 MB of heap\)$/,
    );
  });
});
