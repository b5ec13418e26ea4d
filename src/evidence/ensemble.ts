import { projectionGrid } from '../model/layout.js';
import type { McContext } from '../montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../montecarlo/run-block.js';
import { McRunFailed, modelFailure } from '../montecarlo/run-failure.js';
import { NonFiniteRun } from '../project/projector.js';
import { TargetMeasure } from '../project/targets.js';
import { UserError } from '../util/diagnostics.js';

/**
 * The Monte Carlo futures of a scenario, kept per run for a few chosen cells only (the observed ones,
 * or the series a posterior is reported for): exact values instead of the histogram `policysim mc`
 * keeps, at 8 bytes per run and cell. Run k is the same future as run k of `policysim mc` with the
 * same seed (same sampler, same stream), computed here in the main thread, so results do not depend
 * on any worker count.
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

/** Runs between two yields to the event loop (where a SIGINT handler runs) and progress reports. */
const RUNS_PER_SLICE = 250;

/** The ensemble stopped because `signal` was aborted (Ctrl-C): no result. */
export class EnsembleInterrupted extends Error {
  constructor(readonly done: number) {
    super(`interrupted after ${done} runs`);
  }
}

export interface EnsembleOptions {
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
  const ev = new RunBlockEvaluator(ctx.image);
  const { sampler, projector, model } = ev;
  const { targets, levers, horizon } = ctx.image;
  const measures = targets.map((t) => new TargetMeasure(t, projectionGrid(model), horizon));
  const params = new Float64Array(model.paramCount);
  const shocks = new Float64Array(projector.years * model.shockBlock);
  const C = cells.length;
  const D = sampler.drawLabels.length;
  const values = new Float64Array(runs * C);
  const draws = new Float64Array(runs * D);
  const reached = new Uint8Array(runs * targets.length);
  for (let k = 0; k < runs; k++) {
    if (k % RUNS_PER_SLICE === 0) {
      // The loop is synchronous work: yield so that a signal handler gets to run.
      await new Promise<void>((r) => setImmediate(r));
      if (o.signal?.aborted) throw new EnsembleInterrupted(k);
    }
    sampler.sample(seed, k, params, shocks);
    let out: Float64Array;
    try {
      out = projector.run(params, levers, shocks);
    } catch (e) {
      if (e instanceof NonFiniteRun)
        throw new McRunFailed({ scenarioFile: ctx.setup.scenarioFile, run: k, seed, ...modelFailure(e) });
      throw e;
    }
    for (let c = 0; c < C; c++) values[k * C + c] = out[cells[c]!]!;
    draws.set(sampler.draws, k * D);
    measures.forEach((m, i) => {
      reached[k * targets.length + i] = m.reached(out) ? 1 : 0;
    });
    if (o.onProgress && ((k + 1) % RUNS_PER_SLICE === 0 || k === runs - 1)) o.onProgress(k + 1, runs);
  }
  return { runs, cells, values, drawLabels: sampler.drawLabels, draws, reached };
}

/** Column c of a runs × width table. */
export function column(table: Float64Array, width: number, c: number): Float64Array {
  const runs = table.length / width;
  const out = new Float64Array(runs);
  for (let k = 0; k < runs; k++) out[k] = table[k * width + c]!;
  return out;
}
