import { evaluateInOrder } from '../execution/in-order.js';
import { openEvaluator } from '../execution/open-evaluator.js';
import { resolveWorkers, type Workers } from '../execution/workers.js';
import type { CellsResult, CellsTask } from '../montecarlo/messages.js';
import type { McContext } from '../montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../montecarlo/run-block.js';
import { McRunFailed } from '../montecarlo/run-failure.js';
import { DEFAULT_CHUNK } from '../montecarlo/simulate.js';
import { UserError } from '../util/diagnostics.js';

/**
 * The Monte Carlo futures of a scenario, kept per run for a few chosen cells only (the observed ones,
 * or the series a posterior is reported for): exact values instead of the histogram `policysim mc`
 * keeps, at 8 bytes per run and cell. Run k is the same future as run k of `policysim mc` with the
 * same seed (same sampler, same stream); runs are computed in blocks on the evaluator mc uses (this
 * thread or a pool) and each lands at its own row, so results do not depend on the worker count.
 */
export interface Ensemble {
  readonly runs: number;
  /** Projection indices ((year − base year) × series count + series) of the kept cells. */
  readonly cells: readonly number[];
  /** runs × cells, row-major. */
  readonly values: Float64Array;
  /** Column labels of `draws`: one per parameter draw group (as in --save-runs). */
  readonly drawLabels: readonly string[];
  /** runs × drawLabels, row-major. */
  readonly draws: Float64Array;
  /** runs × targets: 1 when the run met the target in its year. */
  readonly reached: Uint8Array;
}

/** Largest runs × cells kept in memory (8 bytes each: 400 MB). */
export const MAX_ENSEMBLE_VALUES = 50_000_000;

/**
 * Runs per task. In the main thread: the runs between two yields to the event loop (where a SIGINT
 * handler runs) and between progress reports. On a pool: mc's block size, because every task carries
 * the scenario's image (measured: 256-run tasks made 2 workers slower than the main thread). Each
 * run lands at its own row, so the size changes nothing in the result.
 */
const MAIN_THREAD_BLOCK = 256;

/** The ensemble stopped because `signal` was aborted (Ctrl-C): no result. */
export class EnsembleInterrupted extends Error {
  constructor(readonly done: number) {
    super(`interrupted after ${done} runs`);
  }
}

export interface EnsembleOptions {
  /** Worker threads (as mc's --workers; default 0, this thread). Results do not depend on it. */
  readonly workers?: Workers;
  /** Called once the worker count is decided, before the first run (the CLI announces it). */
  readonly onStart?: (workers: number) => void;
  /** The worker script (default: the built src/execution/worker.js); tests substitute one that fails. */
  readonly workerFile?: string;
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborted: stop at the next slice of runs with EnsembleInterrupted. */
  readonly signal?: AbortSignal;
}

export async function collectEnsemble(
  ctx: McContext,
  cells: readonly number[],
  runs: number,
  seed: number,
  o: EnsembleOptions = {},
): Promise<Ensemble> {
  if (runs * Math.max(1, cells.length) > MAX_ENSEMBLE_VALUES)
    throw new UserError({
      path: '--runs',
      message: `${runs} runs × ${cells.length} kept values per run exceed the ${MAX_ENSEMBLE_VALUES} values kept in memory`,
      hint: `use at most ${Math.floor(MAX_ENSEMBLE_VALUES / Math.max(1, cells.length))} runs`,
    });
  // The same `auto` rule and the same evaluators as mc: this thread for small work, else a pool.
  const workers = resolveWorkers(o.workers ?? 0, runs);
  o.onStart?.(workers);
  const local = new RunBlockEvaluator(ctx.image);
  const evaluator = openEvaluator<CellsTask, CellsResult>(workers, () => (t) => local.keepCells(t.request), {
    ...(o.workerFile !== undefined ? { filename: o.workerFile } : {}),
    failure: ({ request: r }, reason) =>
      `a worker thread failed on runs ${r.firstRun}-${r.firstRun + r.runCount - 1}: ${reason}`,
  });
  const C = cells.length;
  const D = local.sampler.drawLabels.length;
  const T = ctx.image.targets.length;
  const values = new Float64Array(runs * C);
  const draws = new Float64Array(runs * D);
  const reached = new Uint8Array(runs * T);
  const request = Int32Array.from(cells);
  const block = workers === 0 ? MAIN_THREAD_BLOCK : DEFAULT_CHUNK;
  const blocks = Math.ceil(runs / block);
  let failed: McRunFailed | undefined;
  // Each run's values land at its own rows, so neither the worker count nor the order blocks finish
  // in can change the ensemble; blocks are accepted in run order all the same (progress, first failure).
  const accept = (b: number, r: CellsResult): boolean => {
    if (!r.ok) {
      // The core says what failed; the CLI adds how to replay it (src/cli/replay-hint.ts).
      failed = new McRunFailed({ scenarioFile: ctx.setup.scenarioFile, run: r.run, seed, ...r.failure });
      return false;
    }
    const first = b * block;
    values.set(r.values, first * C);
    draws.set(r.draws, first * D);
    reached.set(r.reached, first * T);
    o.onProgress?.(Math.min(runs, first + block), runs);
    return true;
  };
  let done: number;
  try {
    done = await evaluateInOrder(
      evaluator,
      blocks,
      (b): CellsTask => ({
        kind: 'mc-cells',
        image: ctx.image,
        request: {
          seed,
          firstRun: b * block,
          runCount: Math.min(block, runs - b * block),
          cells: request,
        },
      }),
      accept,
      { maxInFlight: Math.max(2, 2 * evaluator.workers), ...(o.signal ? { signal: o.signal } : {}) },
    );
  } finally {
    await evaluator.close();
  }
  if (failed) throw failed;
  if (done < blocks) throw new EnsembleInterrupted(Math.min(runs, done * block));
  return { runs, cells, values, drawLabels: local.sampler.drawLabels, draws, reached };
}

/** Column c of a runs × width table. */
export function column(table: Float64Array, width: number, c: number): Float64Array {
  const runs = table.length / width;
  const out = new Float64Array(runs);
  for (let k = 0; k < runs; k++) out[k] = table[k * width + c]!;
  return out;
}
