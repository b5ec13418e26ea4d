import type { Evaluator } from '../execution/evaluator.js';
import { evaluateInOrder } from '../execution/in-order.js';
import { openEvaluator } from '../execution/open-evaluator.js';
import { resolveWorkers, type Workers } from '../execution/workers.js';
import type { Manifest } from '../manifest/manifest.js';
import { NonFiniteRun } from '../project/projector.js';
import type { Scenario } from '../scenario/scenario.js';
import { slotBytes } from './block-slots.js';
import { CheckpointCadence } from './checkpoint-cadence.js';
import type { BlockResult, BlockTask, McSetup } from './messages.js';
import type { McState } from './partial-state.js';
import type { McContext } from './prepare-mc.js';
import type { RunBlockEvaluator } from './run-block.js';
import { McRunFailed, type ModelFailure, modelFailure } from './run-failure.js';
import { type Binning, Counter, LEAF_SIZE, StatsMerger, type StatsResult } from './stats.js';
import { checkpoints, intervals, precisionMet, type StoppingRule, type StopReport } from './stopping-rule.js';
import type { UncertaintySpec } from './uncertainty-spec.js';

export const PILOT_RUNS = 2000;
export const DEFAULT_CHUNK = 8192;
/**
 * Runs per block in this thread unless told: no worker to keep busy or slot to fill, and each block
 * costs a fixed ~1.6 ms beside its runs (the accumulator's set-up, its counts copied out and merged:
 * 798 cells × 514 slots on paper-proposals), ~0.2 µs per run at 8,192 runs, ~0.05 at this size. A
 * block is ~0.25 s of runs, so an interrupt or a progress report still waits little.
 */
export const MAIN_THREAD_CHUNK = 32768;

/**
 * Runs per block on worker threads unless told: as large as MAIN_THREAD_CHUNK, which halves the
 * blocks' fixed cost (on 2 cores the main thread's merge of each block takes its CPU from the workers),
 * while keeping at least BLOCKS_PER_WORKER blocks per thread, so that the last blocks leave no thread
 * idle for long; never below DEFAULT_CHUNK. A leaf multiple (see simulate); results never depend on it.
 */
export function pooledChunk(runs: number, workers: number): number {
  const balanced = Math.floor(runs / (BLOCKS_PER_WORKER * Math.max(1, workers)) / LEAF_SIZE) * LEAF_SIZE;
  return Math.min(MAIN_THREAD_CHUNK, Math.max(DEFAULT_CHUNK, balanced));
}
const BLOCKS_PER_WORKER = 8;

export interface SimulateOptions {
  /** Runs of the whole job: [0, runs) (with a stopping rule, its maxRuns). */
  readonly runs: number;
  readonly seed: number;
  /**
   * Runs per block (default: pooledChunk on worker threads, MAIN_THREAD_CHUNK in this thread); rounded
   * up to a multiple of the statistics leaf (256). Does not change results.
   */
  readonly chunk?: number;
  /** Compute only runs [first, end) of the job (a shard; `first` on a leaf boundary). Default: all. */
  readonly range?: { readonly first: number; readonly end: number };
  /** Continue from this state (a checkpoint of the same job and range) instead of from scratch. */
  readonly resume?: McState;
  /** Stop early once every target probability is precise enough (see stopping-rule.ts). */
  readonly stopping?: StoppingRule;
  /**
   * Called with the merged state after a merged block, at most every `checkpointEveryMs` and never
   * sooner than 49 times the last call's duration after it (checkpoint-cadence.ts: at most 2% of the
   * time). The state is a view of the live one: use it (write it) before returning, do not keep it.
   */
  readonly onCheckpoint?: (state: McState) => void;
  readonly checkpointEveryMs?: number;
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

export interface RunMonteCarloOptions extends SimulateOptions {
  /** Worker threads; 0 computes in this thread; `auto`: this thread for small jobs, else every core. */
  readonly workers: Workers;
  /** Called once the worker count is decided, before the first run (the CLI announces it). */
  readonly onStart?: (workers: number) => void;
  /** The worker script (default: the built src/execution/worker.js); tests substitute one that fails. */
  readonly workerFile?: string;
  /** Old-generation heap limit of each worker thread, MB (default WORKER_HEAP_MB). */
  readonly workerHeapMb?: number;
}

export interface McResult {
  readonly setup: McSetup;
  readonly scenario: Scenario;
  readonly spec: UncertaintySpec;
  readonly local: RunBlockEvaluator;
  readonly seed: number;
  readonly runsRequested: number;
  /** Runs in the statistics: [range.first, range.first + runsCompleted). */
  readonly runsCompleted: number;
  /** Stopped before the end of its range (interrupted). A stopping rule's early stop is not partial. */
  readonly partial: boolean;
  readonly binning: Binning;
  readonly stats: StatsResult;
  /** Per target: runs that met it in its year. */
  readonly reached: Counter;
  /** Per target × (horizon years + 1): runs by first year reached; the last column is "never". */
  readonly firstYear: Counter;
  /** The runs this result was asked for (a shard's, or [0, runs)). */
  readonly range: { readonly first: number; readonly end: number };
  /** The exact state, for a shard file or a checkpoint. */
  readonly state: McState;
  /** With a stopping rule: why and when it stopped; undefined when interrupted before deciding. */
  readonly stop?: StopReport;
  /** Manifest of the job, when the caller gave one (see src/manifest/). */
  readonly manifest?: Manifest;
}

/**
 * Monte Carlo over `runs` futures: a deterministic pilot fixes the histogram bins, then blocks of
 * runs are evaluated (in any order, on any number of threads) and merged strictly in run order, so
 * the result is the same byte for byte whatever the worker count or chunk size. Owns its evaluator:
 * the pool is closed however the simulation ends.
 */
export async function runMonteCarlo(
  ctx: McContext,
  local: RunBlockEvaluator,
  o: RunMonteCarloOptions,
): Promise<McResult> {
  const range = o.range ?? { first: 0, end: o.runs };
  const workers = resolveWorkers(o.workers, range.end - range.first);
  o.onStart?.(workers);
  // Opened before the pilot, so that the threads start while the pilot runs here.
  const evaluator = openEvaluator<BlockTask, BlockResult>(workers, () => (t) => local.evaluate(t.request, t.binning), {
    ...(o.workerFile !== undefined ? { filename: o.workerFile } : {}),
    ...(o.workerHeapMb !== undefined ? { heapMb: o.workerHeapMb } : {}),
    failure: ({ request: r }, reason) =>
      `a worker thread failed on runs ${r.firstRun}-${r.firstRun + r.runCount - 1}: ${reason}`,
  });
  try {
    return await simulate(ctx, local, evaluator, o, workers > 0);
  } finally {
    await evaluator.close();
  }
}

async function simulate(
  ctx: McContext,
  local: RunBlockEvaluator,
  evaluator: Evaluator<BlockTask, BlockResult>,
  o: SimulateOptions,
  /** Blocks are computed on worker threads, which hand their statistics back in shared slots. */
  pooled: boolean,
): Promise<McResult> {
  const { setup } = ctx;
  const { runs, seed } = o;
  const range = o.range ?? { first: 0, end: runs };
  if (range.first % LEAF_SIZE !== 0) throw new RangeError(`a range must start on a leaf boundary (got ${range.first})`);
  // Every shard and every resumed run computes the same pilot: the first runs of the whole job.
  const binning = o.resume?.binning ?? pilotBinning(setup, local, seed, runs);
  const merger = new StatsMerger(binning, o.resume?.stats ?? range.first);
  const targets = ctx.image.targets.length;
  const span = ctx.image.horizon.end - ctx.image.horizon.start + 1;
  const reached = new Counter(targets);
  const firstYear = new Counter(targets * (span + 1));
  if (o.resume) {
    reached.merge(o.resume.reached);
    firstYear.merge(o.resume.firstYear);
  }
  const chunk = Math.max(
    LEAF_SIZE,
    Math.ceil(
      (o.chunk ?? (pooled ? pooledChunk(range.end - merger.endRun, evaluator.workers) : MAIN_THREAD_CHUNK)) / LEAF_SIZE,
    ) * LEAF_SIZE,
  );
  const maxInFlight = Math.max(2, evaluator.workers * 2);
  // One slot per block outstanding (block b uses slot b mod maxInFlight: see block-slots.ts).
  const slots = pooled
    ? Array.from({ length: maxInFlight }, () => new SharedArrayBuffer(slotBytes(binning, chunk, targets, span)))
    : [];
  const cadence = new CheckpointCadence(o.checkpointEveryMs ?? 10_000);
  let stopped = false;

  /** Runs [merger.endRun, to) in blocks of `chunk`, merged in run order. Resolves when done or stopped. */
  const runUntil = async (to: number): Promise<void> => {
    const from = merger.endRun;
    const blocks = Math.ceil((to - from) / chunk);
    let failed: McRunFailed | undefined;
    const task = (b: number): BlockTask => {
      const firstRun = from + b * chunk;
      return {
        kind: 'mc-block',
        image: ctx.image,
        request: {
          seed,
          firstRun,
          runCount: Math.min(chunk, to - firstRun),
          save: o.onRecords !== undefined,
          ...(o.cells && o.onCells ? { cells: o.cells } : {}),
        },
        binning,
        ...(pooled ? { slot: slots[b % maxInFlight]! } : {}),
      };
    };
    // A block is merged once every block before it is: the statistics, --save-runs and checkpoints
    // see the runs in order. A failure while merging (writing --save-runs, say) stops the run like a
    // failed block.
    const merge = (_b: number, r: BlockResult): boolean => {
      if (!r.ok) {
        failed = failure(setup, seed, r.run, r.failure);
        return false;
      }
      merger.add(r.summary);
      reached.merge(r.reached);
      firstYear.merge(r.firstYear);
      if (r.saved && o.onRecords) o.onRecords(r.saved, local.saveColumns.length);
      if (o.onCells && o.cells) o.onCells(r.cellValues ?? new Float64Array(0), r.summary.firstRun, r.summary.runCount);
      o.onProgress?.(merger.endRun - range.first, range.end - range.first);
      const onCheckpoint = o.onCheckpoint;
      if (onCheckpoint && cadence.due()) {
        // Written synchronously before the next merge, so a view of the live state will do.
        cadence.take(() =>
          onCheckpoint({ binning, stats: merger.view(), reached: reached.counts, firstYear: firstYear.counts }),
        );
      }
      return true;
    };
    const merged = await evaluateInOrder(evaluator, Math.max(0, blocks), task, merge, {
      maxInFlight,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (failed) throw failed;
    if (merged < blocks) stopped = true;
  };

  let stop: StopReport | undefined;
  if (o.stopping) {
    // Sharded stopping rules are refused by the CLI: the decision needs every run's counts.
    const rule = o.stopping;
    const checkedAt: number[] = [];
    for (const n of checkpoints(rule.maxRuns)) {
      if (n < merger.endRun) {
        // Resumed past this count: it was looked at, and the rule did not stop the job there.
        checkedAt.push(n);
        continue;
      }
      await runUntil(n);
      if (stopped) break;
      checkedAt.push(n);
      const met = precisionMet(rule, reached.counts, n);
      if (met || n === rule.maxRuns) {
        stop = {
          precision: rule.precision,
          maxRuns: rule.maxRuns,
          reason: met ? 'precision' : 'max-runs',
          runs: n,
          checkedAt,
          intervals: intervals(reached.counts, n),
        };
        break;
      }
    }
  } else await runUntil(range.end);

  return mcResultOf(ctx, local, {
    seed,
    runsRequested: o.stopping ? o.stopping.maxRuns : runs,
    range: { first: range.first, end: stop ? stop.runs : range.end },
    // The merger's own arrays, not copies: it is not used again (a copy of its 3 MB of counts, with
    // the one mcResultOf makes for the statistics, was the peak of a pooled run's memory).
    state: { binning, stats: merger.view(), reached: reached.counts, firstYear: firstYear.counts },
    ...(stop ? { stop } : {}),
  });
}

/**
 * The result of a state: what a finished simulation returns, and what `merge` rebuilds from the
 * shards' states (so both go through the same statistics and the same reports).
 */
export function mcResultOf(
  ctx: McContext,
  local: RunBlockEvaluator,
  r: {
    seed: number;
    runsRequested: number;
    range: { first: number; end: number };
    state: McState;
    stop?: StopReport;
    manifest?: Manifest;
  },
): McResult {
  const { state } = r;
  const runsCompleted = state.stats.runs;
  return {
    setup: ctx.setup,
    scenario: ctx.scenario,
    spec: ctx.spec,
    local,
    seed: r.seed,
    runsRequested: r.runsRequested,
    runsCompleted,
    partial: state.stats.firstRun + runsCompleted < r.range.end,
    binning: state.binning,
    stats: new StatsMerger(state.binning, state.stats).result(),
    reached: new Counter(Float64Array.from(state.reached)),
    firstYear: new Counter(Float64Array.from(state.firstYear)),
    range: r.range,
    state,
    ...(r.stop ? { stop: r.stop } : {}),
    ...(r.manifest ? { manifest: r.manifest } : {}),
  };
}

/** Bins from a deterministic pilot of the first runs (scanned run by run, not kept: see PilotScan). */
function pilotBinning(setup: McSetup, local: RunBlockEvaluator, seed: number, runs: number): Binning {
  const pilotRuns = Math.min(runs, PILOT_RUNS);
  try {
    return local.pilotBinning(seed, 0, pilotRuns);
  } catch (e) {
    if (e instanceof NonFiniteRun) throw failure(setup, seed, firstFailingRun(local, seed, pilotRuns), modelFailure(e));
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

function failure(setup: McSetup, seed: number, run: number, f: ModelFailure): McRunFailed {
  return new McRunFailed({ scenarioFile: setup.scenarioFile, run, seed, ...f });
}
