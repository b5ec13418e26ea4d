import type { Workers } from '../execution/workers.js';
import type { McContext } from '../montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../montecarlo/run-block.js';
import { type McResult, runMonteCarlo } from '../montecarlo/simulate.js';
import {
  analyzePaired,
  checkPairable,
  type DifferenceCell,
  differenceCells,
  type PairedAnalysis,
  PairedRecords,
  type PairedTarget,
  pairedCells,
  unionTargets,
} from './paired.js';

export interface PairedOptions {
  /** Worker threads of each scenario's Monte Carlo (see runMonteCarlo). */
  readonly workers: Workers;
  readonly runs: number;
  readonly seed: number;
  readonly chunk?: number;
  readonly indicators?: readonly string[];
  readonly regions?: readonly string[];
  readonly years?: readonly number[];
  readonly signal?: AbortSignal;
  /** Called with the worker count decided for the first scenario, before its first run. */
  readonly onStart?: (workers: number) => void;
  readonly onProgress?: (scenario: number, done: number, total: number) => void;
}

export interface PairedResult {
  readonly seed: number;
  readonly runsRequested: number;
  /** Runs [0, runs) completed by every scenario: what the paired statistics cover. */
  readonly runs: number;
  readonly partial: boolean;
  readonly results: McResult[];
  readonly targets: PairedTarget[];
  readonly diffs: DifferenceCell[];
  readonly analysis: PairedAnalysis;
}

/**
 * Each scenario through the ordinary Monte Carlo (its own statistics, on `o.workers` threads), with
 * the same seed, so run k is the same future for all of them; the cells the paired statistics need
 * come back with each block, in run order, so the result does not depend on workers or chunks.
 */
export async function simulatePaired(ctxs: readonly McContext[], o: PairedOptions): Promise<PairedResult> {
  checkPairable(ctxs);
  const scenarios = ctxs.map((c) => c.scenario);
  const model = scenarios[0]!.model;
  const targets = unionTargets(scenarios);
  const diffs = differenceCells(model, targets, o);
  const layout = pairedCells(model, targets, diffs);
  const records = new PairedRecords(ctxs.length, o.runs, layout.cells.length);
  const results: McResult[] = [];
  for (const [i, ctx] of ctxs.entries()) {
    if (o.signal?.aborted && results.length > 0) break;
    const local = new RunBlockEvaluator(ctx.image);
    results.push(
      await runMonteCarlo(ctx, local, {
        workers: o.workers,
        ...(i === 0 && o.onStart ? { onStart: o.onStart } : {}),
        runs: o.runs,
        seed: o.seed,
        ...(o.chunk !== undefined ? { chunk: o.chunk } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.onProgress ? { onProgress: (d: number, t: number) => o.onProgress!(i, d, t) } : {}),
        cells: layout.cells,
        onCells: records.sink(i),
      }),
    );
  }
  const runs = results.length < ctxs.length ? 0 : Math.min(...results.map((r) => r.runsCompleted));
  return {
    seed: o.seed,
    runsRequested: o.runs,
    runs,
    partial: runs < o.runs,
    results,
    targets,
    diffs,
    analysis: analyzePaired(records, runs, targets, diffs, layout),
  };
}
