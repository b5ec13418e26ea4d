import { instantiateKernel, type RunnableModel } from '../model/kernel-image.js';
import { leverSlot, projectionGrid } from '../model/layout.js';
import { RunSampler } from '../montecarlo/run-sampler.js';
import type { UncertaintySpec } from '../montecarlo/uncertainty-spec.js';
import { NonFiniteRun, Projector } from '../project/projector.js';
import { type ScenarioImage, scenarioImage } from '../project/scenario-image.js';
import { TargetMeasure } from '../project/targets.js';
import { adjust } from '../scenario/adjustment.js';
import type { Diagnostic } from '../util/diagnostics.js';
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
}

export function sweepImage(sweep: Sweep): SweepImage {
  const { scenario } = sweep;
  return {
    ...scenarioImage(scenario, sweep.file),
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

  private readonly model: RunnableModel;
  /** One measure per scenario target, on the projection's grid. */
  private readonly measures: readonly TargetMeasure[];

  constructor(readonly sweep: SweepImage) {
    const model = instantiateKernel(sweep.kernel);
    this.model = model;
    this.measures = sweep.targets.map((t) => new TargetMeasure(t, projectionGrid(model), sweep.horizon));
    this.projector = new Projector(model, sweep.horizon.end);
    this.params = new Float64Array(model.paramCount);
    this.levers = new Float64Array(sweep.levers.length);
    this.mcParams = new Float64Array(model.paramCount);
    this.shocks = new Float64Array(this.projector.years * model.shockBlock);
    // The sampler reads its base parameters from `params`, which each row rewrites.
    this.sampler = sweep.mc ? new RunSampler(model, sweep.spec, this.params, this.projector.years) : undefined;
  }

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
        this.evaluateRow(X.subarray(i * D, (i + 1) * D), Y.subarray(i * O, (i + 1) * O));
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

  /** The Monte Carlo future being run, −1 for the deterministic projection (read when a run fails). */
  private future = -1;

  private evaluateRow(x: Float64Array, y: Float64Array): void {
    const { sweep, params, levers, model, measures } = this;
    const scenario = sweep;
    params.set(scenario.params);
    levers.set(scenario.levers);
    sweep.factors.forEach((f, j) => {
      const v = x[j]!;
      if (f.lever) {
        for (let yi = f.lever.fromYi; yi < this.projector.years; yi++) {
          for (const r of f.lever.regions) levers[leverSlot(model, model.baseYear + yi, f.lever.index, r)] = v;
        }
      } else {
        for (const s of f.paramSlots) params[s] = adjust(f.apply, scenario.params[s]!, v);
      }
    });
    // The deterministic run has no shocks; the buffer may still hold the last future of the previous row.
    this.shocks.fill(0);
    const out = this.projector.run(params, levers, this.shocks.length ? this.shocks : this.noShocks);
    // Deterministic outputs first: `out` is reused by the Monte Carlo below.
    let needMc = false;
    sweep.outputs.forEach((o, k) => {
      if (o.kind === 'series') return void (y[k] = out[o.at]!);
      const m = measures[o.target]!;
      switch (o.metric) {
        case 'value':
          y[k] = m.value(out);
          break;
        case 'gap':
          y[k] = m.value(out) - m.reference(out);
          break;
        case 'reached':
          y[k] = m.reached(out) ? 1 : 0;
          break;
        case 'first_year':
          // The internal "never" (the year after the horizon) is already a number every design can analyse.
          y[k] = m.firstYear(out);
          break;
        case 'probability':
          needMc = true;
          break;
      }
    });
    if (!needMc || !this.sampler || !sweep.mc) return;
    const hits = new Float64Array(measures.length);
    for (let run = 0; run < sweep.mc.runs; run++) {
      this.future = run;
      this.sampler.sample(sweep.mc.seed, run, this.mcParams, this.shocks);
      const o = this.projector.run(this.mcParams, levers, this.shocks);
      for (let k = 0; k < measures.length; k++) if (measures[k]!.reached(o)) hits[k]!++;
    }
    sweep.outputs.forEach((o, k) => {
      if (o.kind === 'target' && o.metric === 'probability') y[k] = hits[o.target]! / sweep.mc!.runs;
    });
  }
}
