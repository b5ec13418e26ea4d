import { withUncertainties } from '../model/compile.js';
import type { CompiledModel } from '../model/compiled-model.js';
import { instantiateKernel, type KernelImage, kernelImage, type RunnableModel } from '../model/kernel-image.js';
import { leverSlot, projectionGrid, seriesOfCell } from '../model/layout.js';
import { RunSampler } from '../montecarlo/run-sampler.js';
import type { UncertaintySpec } from '../montecarlo/uncertainty-spec.js';
import { NonFiniteRun, Projector } from '../project/projector.js';
import { type ScenarioImage, scenarioImage } from '../project/scenario-image.js';
import { TargetMeasure } from '../project/targets.js';
import { adjust } from '../scenario/adjustment.js';
import type { Diagnostic } from '../util/diagnostics.js';
import { perObject } from '../util/per-object.js';
import type { Factor, Sweep, SweepOutput } from './load-sweep.js';

/**
 * A sweep reduced to plain data for worker threads: the kernel image, the scenario's arrays, how each
 * factor is applied, and the outputs. Rows arrive as factor values, so no mapping functions cross.
 */
export interface SweepImage extends ScenarioImage {
  readonly spec: UncertaintySpec;
  readonly factors: readonly Pick<Factor, 'apply' | 'paramSlots' | 'lever'>[];
  readonly outputs: readonly SweepOutput[];
  readonly mc: { readonly runs: number; readonly seed: number } | undefined;
  /** Last year any output reads: the rows are projected to here, not to the horizon's end. */
  readonly endYear: number;
}

/**
 * The kernel a sweep's rows run: generated for this sweep (compile.ts, withUncertainties) from what
 * it varies and what it reads. The factors' parameters count as drawn and their levers as varying,
 * so the per-year table holds only what no factor moves and is prepared once for all rows; only the
 * equations the outputs depend on are computed (output pruning), up to the last year an output
 * reads, their indicators only in the years the outputs read. Running powers stay off: every row's outputs are bit for bit those of `policysim run` on
 * the same inputs (the straightforward kernel's arithmetic). Powers, calls and divisions of the
 * factors' parameters and the year are memoised per distinct parameter value (rowMemo): successive
 * rows of a design mostly share them (sobol-trade-gap: 15 Math.pow per row were 2/3 of its kernel).
 */
export function sweepKernel(sweep: Sweep): { model: CompiledModel; endYear: number } {
  const { scenario, factors, outputs, spec } = sweep;
  const model = scenario.model;
  const grid = projectionGrid(model);
  const futures = sweep.mc !== undefined && outputs.some((o) => o.kind === 'target' && o.metric === 'probability');
  const series = new Set<number>();
  const years = new Set<number>();
  let endYear = model.baseYear;
  const { horizon } = scenario;
  for (const o of outputs) {
    if (o.kind === 'series') {
      const year = grid.firstYear + Math.floor(o.at / grid.seriesCount);
      series.add(seriesOfCell(grid, o.at));
      years.add(year);
      endYear = Math.max(endYear, year);
      continue;
    }
    const t = scenario.targets[o.target]!;
    series.add(t.series);
    if (t.reference.kind === 'series') series.add(t.reference.series);
    // value, gap, reached and probability read the target year; first_year scans the horizon. Futures
    // draw their shocks for every horizon year, so a sweep with futures projects to the horizon's end.
    if (o.metric === 'first_year') for (let y = horizon.start; y <= horizon.end; y++) years.add(y);
    else years.add(t.year);
    endYear = Math.max(endYear, o.metric === 'value' || o.metric === 'gap' ? t.year : horizon.end);
  }
  const paramNames = factors.filter((f) => f.kind === 'parameter').map((f) => f.name);
  const specialised = withUncertainties(model, {
    shocked: model.shockSlots.map((s) => s.equation),
    drawn: [...new Set([...paramNames, ...(futures ? spec.parameters.map((p) => p.name) : [])])],
    varyingLevers: factors.filter((f) => f.kind === 'lever').map((f) => f.name),
    strengthReduction: false,
    rowMemo: true,
    series: [...series].sort((a, b) => a - b),
    years: [...years].map((y) => y - model.baseYear).sort((a, b) => a - b),
  });
  return { model: specialised, endYear: Math.min(endYear, scenario.horizon.end) };
}

/**
 * A loaded sweep is immutable, so its image (the sweep's kernel generated from the checked model, ~3 ms
 * for the built-in model) is made once, however many times it is run. The image is a function of what
 * the sweep varies and reads (its file, scenario, uncertainties, factors, outputs, Monte Carlo), not
 * of its design (`raw`: design, samples, bootstrap), so sweeps that share those objects (a loaded sweep
 * with another number of samples, as the sweep bench's probes are) share one image, and so one kernel:
 * a second kernel function in the thread would make V8 throw away the row loop's optimised code (a
 * call target it had not seen) and optimise it again.
 */
export function sweepImage(sweep: Sweep): SweepImage {
  const parts = imageParts(sweep);
  let made = images.get(sweep.factors);
  if (!made) images.set(sweep.factors, (made = []));
  const hit = made.find((m) => m.parts.every((p, i) => p === parts[i]));
  if (hit) return hit.image;
  const image = makeSweepImage(sweep);
  made.push({ parts, image });
  return image;
}

/** Everything makeSweepImage reads from a sweep. */
const imageParts = (s: Sweep): readonly unknown[] => [s.file, s.scenario, s.spec, s.factors, s.outputs, s.mc];

/** Images by the sweep's factors (the parts compared by identity; kept as long as the factors live). */
const images = new WeakMap<readonly Factor[], { readonly parts: readonly unknown[]; readonly image: SweepImage }[]>();

/**
 * Kernels instantiated from an image, by image: a new Function per run of the same sweep would also
 * start V8's optimisation of the kernel over again (measured: the first few thousand rows of a
 * fresh kernel cost about twice the rest). The kernel functions hold no state but caches of their
 * own inputs, so sharing them gives the same numbers.
 */
const kernelOf: (image: KernelImage) => RunnableModel = perObject(instantiateKernel);

function makeSweepImage(sweep: Sweep): SweepImage {
  const { scenario } = sweep;
  const { model, endYear } = sweepKernel(sweep);
  return {
    ...scenarioImage(scenario, sweep.file),
    kernel: kernelImage(model),
    endYear,
    spec: sweep.spec,
    factors: sweep.factors.map((f) => ({
      apply: f.apply,
      paramSlots: f.paramSlots,
      ...(f.lever ? { lever: f.lever } : {}),
    })),
    outputs: sweep.outputs,
    mc: sweep.mc,
  };
}

/** What a block of rows gives: every row's outputs, or the first row (index within the block) that failed. */
export type RowsResult =
  | { readonly ok: true; readonly Y: Float64Array }
  | {
      readonly ok: false;
      readonly row: number;
      /** The Monte Carlo future that failed, or −1: the row's deterministic projection. */
      readonly future: number;
      /** Where and why: the failing equation, region and year (a NonFiniteRun's diagnostic). */
      readonly diagnostic: Diagnostic;
    };

/**
 * Evaluates design rows (factor values) to outputs. Each row is independent of every other, so rows
 * computed on any thread in any order give the same numbers; with Monte Carlo inside, every row sees
 * the same futures 0..N−1 (common random numbers), so differences between rows are the levers'.
 */
export class RowEvaluator {
  private readonly projector: Projector;
  private readonly params: Float64Array;
  private readonly levers: Float64Array;
  private readonly mcParams: Float64Array;
  private readonly shocks: Float64Array;
  private readonly sampler: RunSampler | undefined;
  private readonly noShocks = new Float64Array(0);

  /** One measure per scenario target, on the projection's grid. */
  private readonly measures: readonly TargetMeasure[];

  /**
   * Per factor, the lever cells it sets — the lever in its regions, each year from its first — as
   * each region's cell in that first year (empty: not a lever); the region's later years follow
   * every leverStride cells, below leverEnd. Stepping by the stride instead of reading a list of
   * cells took sobol-trade-gap's rows (42 lever cells each) from ~13.0 to ~12.5 ms a sweep.
   */
  private readonly leverFirst: readonly Int32Array[];
  private readonly leverStride: number;
  private readonly leverEnd: number;

  constructor(readonly sweep: SweepImage) {
    const model: RunnableModel = kernelOf(sweep.kernel);
    this.measures = sweep.targets.map((t) => new TargetMeasure(t, projectionGrid(model), sweep.horizon));
    this.projector = new Projector(model, sweep.endYear);
    // Every row writes the same cells (each factor's), so the scenario's values are copied once.
    this.params = Float64Array.from(sweep.params);
    this.levers = Float64Array.from(sweep.levers);
    this.mcParams = new Float64Array(model.paramCount);
    this.shocks = new Float64Array(this.projector.years * model.shockBlock);
    // The sampler reads its base parameters from `params`, which each row rewrites.
    this.sampler = sweep.mc ? new RunSampler(model, sweep.spec, this.params, this.projector.years) : undefined;
    const years = this.projector.years;
    this.leverStride = model.leverBlock;
    this.leverEnd = years * model.leverBlock;
    this.leverFirst = sweep.factors.map((f) =>
      f.lever && f.lever.fromYi < years
        ? Int32Array.from(f.lever.regions, (r) => leverSlot(model, model.baseYear + f.lever!.fromYi, f.lever!.index, r))
        : new Int32Array(0),
    );
    this.paramCells = sweep.factors.map((f) => Int32Array.from(f.lever ? [] : f.paramSlots));
    // The per-year table from the scenario's values, here rather than in the first row: it reads no
    // factor (their parameters count as drawn, their levers as varying), so rows reuse it, and the row
    // loop's optimised code never meets a first call to prepare (V8 threw that code away at the start
    // of every sweep after the first: measured with --trace-deopt). run() still checks the inputs.
    this.projector.fix(this.params, this.levers);
    this.lastValue = new Float64Array(sweep.factors.length).fill(NaN);
  }

  /** Per factor, the parameter slots it sets, or empty (a lever). */
  private readonly paramCells: readonly Int32Array[];

  /**
   * Per factor, the value the last row gave it: a row sets only the factors whose value changed, since
   * the cells hold the rest already (a Saltelli row differs from the one before it in one or two
   * factors). Every cell a factor sets is a function of its value alone.
   */
  private readonly lastValue: Float64Array;

  /**
   * Rows × D factor values in, rows × outputs out. A row whose projection gives NaN or ±Infinity (the
   * deterministic run or one of its Monte Carlo futures) stops the evaluation there: the result names
   * that row (the first failing one of these rows) with the diagnostic, as plain data that crosses
   * threads intact, so the caller can report the same error whichever thread evaluated the row.
   */
  evaluate(X: Float64Array, rows: number): RowsResult {
    const D = this.sweep.factors.length;
    const O = this.sweep.outputs.length;
    const Y = new Float64Array(rows * O);
    for (let i = 0; i < rows; i++) {
      this.future = -1;
      try {
        this.evaluateRow(X, i * D, Y, i * O);
      } catch (e) {
        if (!(e instanceof NonFiniteRun)) throw e;
        return {
          ok: false,
          row: i,
          future: this.future,
          diagnostic: e.diagnostics[0] ?? { path: '', message: e.message },
        };
      }
    }
    return { ok: true, Y };
  }

  /** Whether the shock buffer holds a future's shocks (then the next deterministic run clears it). */
  private shocksUsed = false;

  /** The Monte Carlo future being run, −1 for the deterministic projection (read when a run fails). */
  private future = -1;

  /** Row factor values X[xo..xo+D) → outputs Y[yo..yo+O). */
  private evaluateRow(X: Float64Array, xo: number, Y: Float64Array, yo: number): void {
    const { sweep, params, levers, measures, leverFirst, leverStride, leverEnd, paramCells, lastValue } = this;
    const factors = sweep.factors;
    const base = sweep.params;
    for (let j = 0; j < factors.length; j++) {
      const v = X[xo + j]!;
      // Object.is: −0 and +0 are different values to a kernel (1 / x). lastValue starts as NaN, which
      // no design value is (designs map to finite values only): the first row sets every factor.
      if (Object.is(v, lastValue[j])) continue;
      lastValue[j] = v;
      const firsts = leverFirst[j]!;
      for (let k = 0; k < firsts.length; k++) for (let c = firsts[k]!; c < leverEnd; c += leverStride) levers[c] = v;
      const slots = paramCells[j]!;
      if (slots.length === 0) continue;
      const apply = factors[j]!.apply;
      for (let c = 0; c < slots.length; c++) params[slots[c]!] = adjust(apply, base[slots[c]!]!, v);
    }
    // The deterministic run has no shocks; the buffer may still hold the last future of the previous row.
    if (this.shocksUsed) this.shocks.fill(0);
    this.shocksUsed = false;
    const out = this.projector.run(params, levers, this.shocks.length ? this.shocks : this.noShocks);
    // Deterministic outputs first: `out` is reused by the Monte Carlo below.
    let needMc = false;
    const outputs = sweep.outputs;
    for (let k = 0; k < outputs.length; k++) {
      const o = outputs[k]!;
      if (o.kind === 'series') {
        Y[yo + k] = out[o.at]!;
        continue;
      }
      const m = measures[o.target]!;
      switch (o.metric) {
        case 'value':
          Y[yo + k] = m.value(out);
          break;
        case 'gap':
          Y[yo + k] = m.value(out) - m.reference(out);
          break;
        case 'reached':
          Y[yo + k] = m.reached(out) ? 1 : 0;
          break;
        case 'first_year':
          // The internal "never" (the year after the horizon) is already a number every design can analyse.
          Y[yo + k] = m.firstYear(out);
          break;
        case 'probability':
          needMc = true;
          break;
      }
    }
    if (!needMc || !this.sampler || !sweep.mc) return;
    const hits = new Float64Array(measures.length);
    this.shocksUsed = true;
    for (let run = 0; run < sweep.mc.runs; run++) {
      this.future = run;
      this.sampler.sample(sweep.mc.seed, run, this.mcParams, this.shocks);
      const o = this.projector.run(this.mcParams, levers, this.shocks);
      for (let k = 0; k < measures.length; k++) if (measures[k]!.reached(o)) hits[k]!++;
    }
    sweep.outputs.forEach((o, k) => {
      if (o.kind === 'target' && o.metric === 'probability') Y[yo + k] = hits[o.target]! / sweep.mc!.runs;
    });
  }
}
