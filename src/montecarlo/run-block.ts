import { instantiateKernel, type RunnableModel } from '../model/kernel-image.js';
import { projectionGrid, rowStart } from '../model/layout.js';
import { PairProjector } from '../project/pair-projector.js';
import { NonFiniteRun, Projector } from '../project/projector.js';
import type { ScenarioImage } from '../project/scenario-image.js';
import { TargetMeasure } from '../project/targets.js';
import type { BlockRequest, BlockResult, CellsRequest, CellsResult } from './messages.js';
import { modelFailure } from './run-failure.js';
import { RunSampler } from './run-sampler.js';
import {
  type Binning,
  ChunkAccumulator,
  DEFAULT_BINS,
  type FoldOptions,
  foldLayout,
  LEAF_SIZE,
  PilotScan,
  type SummaryBuffers,
  transferList,
} from './stats.js';
import { TargetMeter } from './target-meter.js';
import type { UncertaintySpec } from './uncertainty-spec.js';
import { foldOn } from './wasm-fold.js';

/**
 * Everything a thread needs to compute runs of one scenario, as plain data: the kernel image, the
 * scenario's parameter and lever arrays, its targets and horizon, and the uncertainties. Built once
 * in the main thread (see prepare-mc.ts) and posted to the workers.
 */
export interface RunBlockImage extends ScenarioImage {
  readonly spec: UncertaintySpec;
}

/**
 * Arrays for a block's statistics and target counts that the caller provides (a worker thread's
 * shared slot, see block-slots.ts) instead of fresh ones; evaluate() overwrites them.
 */
export interface BlockBuffers extends SummaryBuffers {
  readonly reached: Float64Array<ArrayBuffer>;
  readonly firstYear: Float64Array<ArrayBuffer>;
}

/**
 * Computes blocks of runs from an image: the kernel instantiated once, the sampler and the reusable
 * buffers. Built once per thread (worker or main) and kept.
 */
export class RunBlockEvaluator {
  readonly model: RunnableModel;
  readonly sampler: RunSampler;
  readonly projector: Projector;
  /** Values per run that enter the statistics: the horizon years × all series. */
  readonly cells: number;
  private readonly cellOffset: number;
  private readonly measures: readonly TargetMeasure[];
  /**
   * Per target, the first target with the same first-year scan (its own index if none before it):
   * targets on one indicator and reference by different years ("by 2020", "by 2030") scan the same
   * years, so each run scans them once (paper-proposals: 3 scans for 4 targets).
   */
  private readonly firstYearFrom: Int32Array;
  /** The statistics cells of the projector's output buffer (which every run overwrites): one view, made once. */
  private readonly cellView: Float64Array;
  /**
   * Whether runs are projected straight into the accumulator's buffer (ChunkAccumulator.nextSlot):
   * when the statistics cells are the whole projection and the kernel writes every one of them in
   * every run, instead of copying them there after each run (~0.3 µs per run for 798 cells).
   */
  readonly inPlace: boolean;
  /**
   * Statistics cells that no draw and no shock can move: in each reported year, the kernel's
   * fixedSeriesByYear for that year (on paper-proposals 98 of 798 cells, against 63 for the series
   * fixed in every year).
   */
  readonly constantCells: Int32Array;
  private readonly params: Float64Array;
  private readonly shocks: Float64Array;
  /**
   * The model's two-run WebAssembly kernel, when it has one (src/model/compile/generate-pair.ts):
   * evaluate() projects runs two at a time through it, each lane's outputs the same bits as
   * projector.runFixed()'s; a run it does not pass as finite is projected again by runFixed().
   */
  readonly pair: PairProjector | undefined;
  /** Each lane's statistics cells (views of pair.out). */
  private readonly pairCells: readonly Float64Array[];
  /** pair.project()'s bits for the lanes last projected (see pairStep). */
  private passed = 0;
  /**
   * In place with the two-run kernel: a region of its memory where each block's accumulator keeps its
   * arrays, so that the kernel writes both runs straight into the accumulator's buffer instead of
   * add() copying them there (798 cells: ~0.1 µs per run less, measured over 1M runs).
   */
  private readonly shared: FoldOptions['shared'];
  /**
   * With `shared`: the target counts of runs in the accumulator's buffer, in WebAssembly on the same
   * memory, after the fold's region (~0.07 µs a run against ~0.17 for the measures in JavaScript,
   * measured each on its own; ~0.05 CPU-s less per 1M runs of the whole process).
   */
  private readonly meter: TargetMeter | undefined;
  /** Whether evaluate()'s two-run kernel writes runs into the accumulator's buffer (see `shared`). */
  get pairInPlace(): boolean {
    return this.shared !== undefined;
  }
  /** Per-run record layout for --save-runs. */
  readonly saveColumns: string[];

  constructor(readonly image: RunBlockImage) {
    const model = instantiateKernel(image.kernel);
    const { horizon } = image;
    this.model = model;
    this.projector = new Projector(model, horizon.end);
    // The scenario's levers and undrawn parameters are the same in every run: prepare them once.
    this.projector.fix(image.params, image.levers);
    this.sampler = new RunSampler(model, image.spec, image.params, this.projector.years);
    this.params = new Float64Array(model.paramCount);
    this.shocks = new Float64Array(this.projector.years * model.shockBlock);
    this.cellOffset = rowStart(projectionGrid(model), horizon.start);
    this.measures = image.targets.map((t) => new TargetMeasure(t, projectionGrid(model), horizon));
    const keys = this.measures.map((m) => m.firstYearKey);
    this.firstYearFrom = Int32Array.from(keys, (key) => keys.indexOf(key));
    this.cells = (horizon.end - horizon.start + 1) * model.seriesCount;
    this.cellView = this.projector.out.subarray(this.cellOffset, this.cellOffset + this.cells);
    this.inPlace =
      this.cellOffset === 0 &&
      this.cells === this.projector.out.length &&
      model.optimised.computedSeries.length === model.seriesCount;
    const byYear = model.optimised.fixedSeriesByYear;
    const years = horizon.end - horizon.start + 1;
    const skipped = horizon.start - model.baseYear;
    this.constantCells = Int32Array.from(
      Array.from({ length: years }, (_, y) =>
        byYear[Math.min(skipped + y, byYear.length - 1)]!.map((s) => y * model.seriesCount + s),
      ).flat(),
    );
    const pairModule = model.optimised.pair;
    // A block of any size fits: the fold buffers at most SUB_BLOCK runs (a LEAF_SIZE block is as large).
    const sharedBytes =
      pairModule && this.inPlace ? foldLayout(this.cells, DEFAULT_BINS, this.constantCells.length, LEAF_SIZE).end : 0;
    const meterBytes = sharedBytes > 0 ? TargetMeter.bytes(this.measures, years) : 0;
    this.pair = pairModule
      ? new PairProjector(model, pairModule, this.projector.years, image.params, image.levers, sharedBytes + meterBytes)
      : undefined;
    this.pairCells = this.pair
      ? this.pair.out.map((o) => o.subarray(this.cellOffset, this.cellOffset + this.cells))
      : [];
    this.shared =
      this.pair && sharedBytes > 0
        ? { fold: foldOn(this.pair.memory), base: this.pair.extraBase, bytes: sharedBytes }
        : undefined;
    this.meter =
      this.pair && meterBytes > 0
        ? new TargetMeter(this.pair.memory, this.pair.extraBase + sharedBytes, this.measures, years)
        : undefined;
    this.saveColumns = [
      'run',
      ...this.sampler.drawLabels,
      ...image.targets.flatMap((_, i) => [
        `target${i + 1}_value`,
        `target${i + 1}_reached`,
        `target${i + 1}_first_year`,
      ]),
    ];
  }

  /** Run k's full projection (all simulated years), in a fresh array. */
  replay(seed: number, run: number): Float64Array {
    this.sampler.sample(seed, run, this.params, this.shocks);
    return this.projector.runFixed(this.params, this.shocks).slice();
  }

  /** Parameter vector of run k (for reports). */
  paramsOf(seed: number, run: number): Float64Array {
    this.sampler.sample(seed, run, this.params, this.shocks);
    return this.params.slice();
  }

  /** The statistics cells of `count` runs from `first`, row-major: for the pilot that sets the bins. */
  pilot(seed: number, first: number, count: number): Float64Array {
    const out = new Float64Array(count * this.cells);
    for (let i = 0; i < count; i++) {
      this.sampler.sample(seed, first + i, this.params, this.shocks);
      const values = this.projector.runFixed(this.params, this.shocks);
      out.set(values.subarray(this.cellOffset, this.cellOffset + this.cells), i * this.cells);
    }
    return out;
  }

  /**
   * The bins from a pilot of `count` runs from `first`: makeBinning(pilot(seed, first, count), ...)
   * without keeping the pilot's values.
   */
  pilotBinning(seed: number, first: number, count: number): Binning {
    const scan = new PilotScan(this.cells);
    const pair = this.pair;
    for (let i = 0; i < count; i++) {
      if (pair && this.pairStep(seed, first, count, i)) scan.add(this.pairCells[i & 1]!);
      else {
        this.sampler.sample(seed, first + i, this.params, this.shocks);
        this.projector.runFixed(this.params, this.shocks);
        // runFixed() returns projector.out, so the view made once holds this run's cells.
        scan.add(this.cellView);
      }
    }
    return scan.binning();
  }

  /**
   * Run i of [first, first + count) through the two-run kernel, runs taken in order from i = 0: an
   * even i samples it and the next run (if any) into the lanes and projects both; whether lane i & 1
   * passed (its outputs in pair.out[i & 1]). A run that did not pass is projected again by the caller
   * (Projector.runFixed, which names the failure). Lane 1 of an odd last run holds the run before:
   * computed, not read. With `rows`, the lanes' outputs go to its next two rows (slotAddress), not to
   * pair.out.
   */
  private pairStep(seed: number, first: number, count: number, i: number, rows?: ChunkAccumulator): boolean {
    const pair = this.pair!;
    const lane = i & 1;
    if (lane === 0) {
      this.sampler.sample(seed, first + i, pair.params[0], pair.shocks[0]);
      if (i + 1 < count) this.sampler.sample(seed, first + i + 1, pair.params[1], pair.shocks[1]);
      if (rows) {
        const row = rows.slotAddress();
        this.passed = pair.project(row, row + 8 * this.cells);
      } else this.passed = pair.project();
    }
    return ((this.passed >> lane) & 1) === 1;
  }

  /** Runs [req.firstRun, + req.runCount) into statistics: in fresh arrays, or in `into` (overwritten). */
  evaluate(req: BlockRequest, binning: Binning, into?: BlockBuffers): BlockResult {
    const { projector, sampler, image, measures, firstYearFrom } = this;
    const { horizon, targets } = image;
    const span = horizon.end - horizon.start + 1;
    // finite: the projector has checked every value of each run it returns.
    const acc = new ChunkAccumulator(binning, req.firstRun, req.runCount, {
      constantCells: this.constantCells,
      finite: true,
      ...(into ? { into } : {}),
      ...(this.shared ? { shared: this.shared } : {}),
    });
    const inPlace = this.inPlace;
    // In place, the projector's check that a run's outputs are finite is the accumulator's SIMD scan.
    const slotFinite = (): boolean => acc.nextSlotFinite();
    const reached = into ? into.reached.fill(0) : new Float64Array(targets.length);
    // Per target: counts of the first year reached, horizon years then "never".
    const firstYear = into ? into.firstYear.fill(0) : new Float64Array(targets.length * (span + 1));
    const saveWidth = this.saveColumns.length;
    const saved = req.save ? new Float64Array(req.runCount * saveWidth) : undefined;
    const cells = req.cells;
    const cellValues = cells && cells.length > 0 ? new Float64Array(req.runCount * cells.length) : undefined;
    // Two runs at a time through the two-run kernel, unless the runs' draws are saved (sampler.draws
    // holds the last sampled run's).
    const pair = saved ? undefined : this.pair;
    // The kernel writes both runs into the accumulator's rows: nothing to copy (a lane that did not
    // pass is projected again into its row by runFixed, which leaves the other lane's row alone).
    const direct = pair !== undefined && acc.inShared ? acc : undefined;
    // Every run's row is then in the kernel's memory (a lane that did not pass is projected again into
    // its row): the meter counts the targets there.
    const meter = direct ? this.meter : undefined;
    meter?.reset();
    const firsts = new Float64Array(measures.length);
    for (let i = 0; i < req.runCount; i++) {
      const run = req.firstRun + i;
      const lane = i & 1;
      let out: Float64Array;
      let values: Float64Array;
      if (pair && this.pairStep(req.seed, req.firstRun, req.runCount, i, direct)) {
        out = direct ? acc.nextSlot() : pair.out[lane]!;
        values = direct ? out : this.pairCells[lane]!;
      } else {
        sampler.sample(req.seed, run, this.params, this.shocks);
        try {
          out = inPlace
            ? projector.runFixed(this.params, this.shocks, acc.nextSlot(), slotFinite)
            : projector.runFixed(this.params, this.shocks);
        } catch (e) {
          if (e instanceof NonFiniteRun) return { ok: false, run, failure: modelFailure(e) };
          throw e;
        }
        // In place, out is the accumulator's row; else runFixed() returns projector.out, so the view
        // made once holds this run's cells.
        values = inPlace ? out : this.cellView;
      }
      // Before add(), which may fold the buffer and start it again.
      meter?.add(acc.slotAddress());
      acc.add(run, values);
      if (cellValues) for (let c = 0; c < cells!.length; c++) cellValues[i * cells!.length + c] = out[cells![c]!]!;
      let s = saved ? i * saveWidth : 0;
      if (saved) {
        saved[s++] = run;
        saved.set(sampler.draws, s);
        s += sampler.draws.length;
      }
      // With the meter, saved is undefined (no two-run kernel) and every count is the meter's.
      for (let k = 0; meter === undefined && k < measures.length; k++) {
        const m = measures[k]!;
        const ok = m.reached(out);
        if (ok) reached[k]!++;
        const from = firstYearFrom[k]!;
        const first = from < k ? firsts[from]! : m.firstYear(out);
        firsts[k] = first;
        // Histogram columns: the horizon years, then "never" (neverReached is the year after the horizon).
        firstYear[k * (span + 1) + (first - horizon.start)]!++;
        if (saved) {
          saved[s++] = m.value(out);
          saved[s++] = ok ? 1 : 0;
          // The saved-runs table's edge: "never" is an empty (NaN) cell.
          saved[s++] = first > horizon.end ? NaN : first;
        }
      }
    }
    meter?.drain(reached, firstYear);
    return {
      ok: true,
      summary: acc.finish(),
      reached,
      firstYear,
      ...(saved ? { saved } : {}),
      ...(cellValues ? { cellValues } : {}),
    };
  }

  /**
   * Runs [firstRun, firstRun + runCount) kept at `cells` only, with their draws and target verdicts:
   * the evidence commands' ensemble (src/evidence/ensemble.ts), exact values instead of statistics.
   */
  keepCells(req: CellsRequest): CellsResult {
    const { projector, sampler, measures } = this;
    const { cells, runCount } = req;
    const C = cells.length;
    const D = sampler.drawLabels.length;
    const T = measures.length;
    const values = new Float64Array(runCount * C);
    const draws = new Float64Array(runCount * D);
    const reached = new Uint8Array(runCount * T);
    for (let i = 0; i < runCount; i++) {
      const run = req.firstRun + i;
      sampler.sample(req.seed, run, this.params, this.shocks);
      let out: Float64Array;
      try {
        out = projector.runFixed(this.params, this.shocks);
      } catch (e) {
        if (e instanceof NonFiniteRun) return { ok: false, run, failure: modelFailure(e) };
        throw e;
      }
      for (let c = 0; c < C; c++) values[i * C + c] = out[cells[c]!]!;
      draws.set(sampler.draws, i * D);
      for (let k = 0; k < T; k++) reached[i * T + k] = measures[k]!.reached(out) ? 1 : 0;
    }
    return { ok: true, values, draws, reached };
  }
}

/** The summary in `into` (the accumulator's arrays are short-lived: they die in the young generation). */
export function cellsTransferList(r: CellsResult): ArrayBuffer[] {
  return r.ok ? ([r.values.buffer, r.draws.buffer, r.reached.buffer] as ArrayBuffer[]) : [];
}

export function blockTransferList(r: BlockResult): ArrayBuffer[] {
  if (!r.ok) return [];
  return [
    ...transferList(r.summary),
    r.reached.buffer as ArrayBuffer,
    r.firstYear.buffer as ArrayBuffer,
    ...(r.saved ? [r.saved.buffer as ArrayBuffer] : []),
    ...(r.cellValues ? [r.cellValues.buffer as ArrayBuffer] : []),
  ];
}
