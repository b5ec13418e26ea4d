import { NonFiniteRun } from '../project/projector.js';
import type { Scenario } from '../scenario/scenario.js';
import { RunError } from '../util/diagnostics.js';
import { type BlockEvaluator, CancelledError } from './evaluators.js';
import type { BlockResult, McSetup } from './messages.js';
import type { McContext } from './prepare-mc.js';
import type { RunBlockEvaluator } from './run-block.js';
import { type Binning, Counter, LEAF_SIZE, makeBinning, StatsMerger, type StatsResult } from './stats.js';
import type { UncertaintySpec } from './uncertainty-spec.js';

export const PILOT_RUNS = 2000;
export const DEFAULT_CHUNK = 8192;

export interface SimulateOptions {
  readonly runs: number;
  readonly seed: number;
  /** Runs per block; rounded up to a multiple of the statistics leaf (256). Does not change results. */
  readonly chunk?: number;
  /** Called with each block's per-run records, in run order. */
  readonly onRecords?: (records: Float64Array, columns: number) => void;
  /** Cells of each run's projection (indices into its output array) to pass to onCells. */
  readonly cells?: Int32Array;
  /** Called with each block's requested cells (runs × cells, row-major), in run order. */
  readonly onCells?: (values: Float64Array, firstRun: number, runCount: number) => void;
  readonly onProgress?: (runsDone: number, total: number) => void;
  /** Stop early: blocks already merged make a partial result. */
  readonly signal?: AbortSignal;
}

export interface McResult {
  readonly setup: McSetup;
  readonly scenario: Scenario;
  readonly spec: UncertaintySpec;
  readonly local: RunBlockEvaluator;
  readonly seed: number;
  readonly runsRequested: number;
  /** Runs [0, runsCompleted) are in the statistics. */
  readonly runsCompleted: number;
  readonly partial: boolean;
  readonly binning: Binning;
  readonly stats: StatsResult;
  /** Per target: runs that met it in its year. */
  readonly reached: Counter;
  /** Per target × (horizon years + 1): runs by first year reached; the last column is "never". */
  readonly firstYear: Counter;
}

/**
 * Monte Carlo over `runs` futures: a deterministic pilot fixes the histogram bins, then blocks of
 * runs are evaluated (in any order, on any number of threads) and merged strictly in run order, so
 * the result is the same byte for byte whatever the evaluator, worker count or chunk size.
 */
export async function simulate(
  ctx: McContext,
  local: RunBlockEvaluator,
  evaluator: BlockEvaluator,
  o: SimulateOptions,
): Promise<McResult> {
  const { setup } = ctx;
  const { runs, seed } = o;
  const binning = pilotBinning(setup, local, seed, runs);
  const merger = new StatsMerger(binning);
  const targets = ctx.image.targets.length;
  const span = ctx.image.horizon.end - ctx.image.horizon.start + 1;
  const reached = new Counter(targets);
  const firstYear = new Counter(targets * (span + 1));

  const chunk = Math.max(LEAF_SIZE, Math.ceil((o.chunk ?? DEFAULT_CHUNK) / LEAF_SIZE) * LEAF_SIZE);
  const blocks = Math.ceil(runs / chunk);
  const maxInFlight = Math.max(2, evaluator.workers * 2);
  const done = new Map<number, BlockResult>();
  let nextToSubmit = 0;
  let nextToMerge = 0;
  let runsCompleted = 0;
  let stopped = false;
  let fatal: unknown;

  await new Promise<void>((resolve) => {
    const onAbort = (): void => {
      stopped = true;
      resolve();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      o.signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const pump = (): void => {
      while (!stopped && nextToSubmit < blocks && nextToSubmit - nextToMerge < maxInFlight) {
        const b = nextToSubmit++;
        const firstRun = b * chunk;
        const runCount = Math.min(chunk, runs - firstRun);
        const request = {
          seed,
          firstRun,
          runCount,
          save: o.onRecords !== undefined,
          ...(o.cells && o.onCells ? { cells: o.cells } : {}),
        };
        evaluator.evaluate(request, binning).then(
          (res) => {
            if (stopped) return;
            done.set(b, res);
            try {
              mergeReady();
            } catch (e) {
              // A failure while merging (writing --save-runs, say) stops the run like a failed block.
              stopped = true;
              fatal = e;
              return finish();
            }
            if (stopped) return;
            if (nextToMerge === blocks) return finish();
            pump();
          },
          (err) => {
            if (stopped) return;
            stopped = true;
            if (!(err instanceof CancelledError)) fatal = err;
            finish();
          },
        );
      }
    };
    /** Merge every finished block that is next in run order. */
    const mergeReady = (): void => {
      while (done.has(nextToMerge)) {
        const r = done.get(nextToMerge)!;
        done.delete(nextToMerge);
        if (!r.ok) {
          stopped = true;
          fatal = failure(setup, seed, r.run, r.message);
          return finish();
        }
        merger.add(r.summary);
        reached.merge(r.reached);
        firstYear.merge(r.firstYear);
        if (r.saved && o.onRecords) o.onRecords(r.saved, local.saveColumns.length);
        if (o.onCells && o.cells)
          o.onCells(r.cellValues ?? new Float64Array(0), r.summary.firstRun, r.summary.runCount);
        runsCompleted += r.summary.runCount;
        nextToMerge++;
        o.onProgress?.(runsCompleted, runs);
      }
    };
    if (blocks === 0) return finish();
    if (o.signal?.aborted) return onAbort();
    pump();
  });
  await evaluator.close();
  if (fatal) throw fatal;
  return {
    setup,
    scenario: ctx.scenario,
    spec: ctx.spec,
    local,
    seed,
    runsRequested: runs,
    runsCompleted,
    partial: runsCompleted < runs,
    binning,
    stats: merger.result(),
    reached,
    firstYear,
  };
}

/**
 * Bins from a deterministic pilot of the first runs. A function of its own so that the pilot's values
 * (12 MB for 2,000 runs) are garbage once the bins are set, not kept alive by the suspended simulation.
 */
function pilotBinning(setup: McSetup, local: RunBlockEvaluator, seed: number, runs: number): Binning {
  const pilotRuns = Math.min(runs, PILOT_RUNS);
  try {
    return makeBinning(local.pilot(seed, 0, pilotRuns), pilotRuns, local.cells);
  } catch (e) {
    if (e instanceof NonFiniteRun) {
      const d = e.diagnostics[0];
      throw failure(setup, seed, firstFailingRun(local, seed, pilotRuns), d ? `${d.path}: ${d.message}` : e.message);
    }
    throw e;
  }
}

function firstFailingRun(local: RunBlockEvaluator, seed: number, upTo: number): number {
  for (let k = 0; k < upTo; k++) {
    try {
      local.replay(seed, k);
    } catch {
      return k;
    }
  }
  return -1;
}

function failure(setup: McSetup, seed: number, run: number, message: string): RunError {
  const file = setup.scenarioFile;
  const sets = setup.overrides.map((s) => ` --set ${s}`).join('');
  return new RunError(
    `Monte Carlo run ${run} (seed ${seed}) failed: ${message}\n  replay it with: policysim run ${file} --mc-run ${run} --seed ${seed}${sets}`,
  );
}
