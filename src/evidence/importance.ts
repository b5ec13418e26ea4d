import seedrandom from 'seedrandom';
import { cellIndex, projectionGrid } from '../model/layout.js';
import type { McContext } from '../montecarlo/prepare-mc.js';
import { collectEnsemble, column, type EnsembleOptions } from './ensemble.js';
import type { ObservedSet } from './observed-file.js';
import { observationSd } from './point-fit.js';
import { equalWeightQuantiles, weightedQuantiles } from './scores.js';

/**
 * Bayesian update by importance reweighting: the scenario's uncertainties are the prior, each Monte
 * Carlo run is a draw from it, and its weight is the likelihood of the observations under normal
 * errors with the observations' standard errors. Weighted runs are the posterior; a resample of
 * them (systematic resampling, seeded) is the joint parameter table written for `policysim mc`.
 */

/** Below this effective sample size the posterior rests on a handful of runs. */
export const ESS_WARNING = 100;

export interface PosteriorParameter {
  /** A draw column (as in --save-runs): the parameter, or `parameter.region` when drawn per region. */
  readonly label: string;
  readonly apply: 'replace' | 'scale' | 'shift';
  readonly priorMean: number;
  readonly priorLow: number;
  readonly priorHigh: number;
  readonly mean: number;
  readonly sd: number;
  /** 5% and 95% weighted quantiles: a 90% credible interval. */
  readonly low: number;
  readonly median: number;
  readonly high: number;
}

export interface PredictiveBand {
  readonly indicator: string;
  readonly region: string;
  readonly years: readonly number[];
  readonly priorP5: readonly number[];
  readonly priorP50: readonly number[];
  readonly priorP95: readonly number[];
  readonly p5: readonly number[];
  readonly p50: readonly number[];
  readonly p95: readonly number[];
}

export interface PosteriorResult {
  readonly runs: number;
  readonly seed: number;
  readonly observations: number;
  readonly relativeError: number;
  readonly effectiveSampleSize: number;
  /** Largest single normalized weight. */
  readonly maxWeight: number;
  readonly parameters: readonly PosteriorParameter[];
  readonly bands: readonly PredictiveBand[];
  readonly targets: readonly { name: string; prior: number; posterior: number }[];
  /** Resampled joint rows of the draw columns (rows × parameters.length). */
  readonly sample: readonly (readonly number[])[];
  readonly warnings: readonly string[];
}

export interface PosteriorOptions extends EnsembleOptions {
  readonly runs: number;
  readonly seed: number;
  readonly relativeError: number;
  /** Rows of the resampled table. */
  readonly sampleRows: number;
}

export async function importancePosterior(
  ctx: McContext,
  observed: ObservedSet,
  o: PosteriorOptions,
): Promise<PosteriorResult> {
  const { scenario, spec } = ctx;
  const { model, horizon } = scenario;
  const obs = observed.observations;
  const sds = obs.map((x) => observationSd(x, o.relativeError, observed.file));
  // Cells kept: every observed cell, then every horizon year of each observed series (for the bands).
  const seriesList = [...new Set(obs.map((x) => x.series))];
  const years: number[] = [];
  for (let y = horizon.start; y <= horizon.end; y++) years.push(y);
  const grid = projectionGrid(model);
  const obsCells = obs.map((x) => cellIndex(grid, x.year, x.series));
  const bandCells = seriesList.flatMap((s) => years.map((y) => cellIndex(grid, y, s)));
  const cells = [...obsCells, ...bandCells];
  const ens = await collectEnsemble(ctx, cells, o.runs, o.seed, o);
  const C = cells.length;
  const N = o.runs;

  // Log-likelihood per run; weights normalised through the maximum (log-sum-exp).
  const logLik = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    let ll = 0;
    for (let i = 0; i < obs.length; i++) {
      const z = (ens.values[k * C + i]! - obs[i]!.value) / sds[i]!;
      ll -= 0.5 * z * z;
    }
    logLik[k] = ll;
  }
  let maxLl = -Infinity;
  for (const v of logLik) if (v > maxLl) maxLl = v;
  const w = new Float64Array(N);
  let total = 0;
  for (let k = 0; k < N; k++) {
    w[k] = Math.exp(logLik[k]! - maxLl);
    total += w[k]!;
  }
  let sumSq = 0;
  let maxWeight = 0;
  for (let k = 0; k < N; k++) {
    w[k] = w[k]! / total;
    sumSq += w[k]! * w[k]!;
    if (w[k]! > maxWeight) maxWeight = w[k]!;
  }
  const ess = 1 / sumSq;

  const D = ens.drawLabels.length;
  const applyOf: ('replace' | 'scale' | 'shift')[] = spec.parameters.flatMap((p) => p.slotGroups.map(() => p.apply));
  const parameters: PosteriorParameter[] = ens.drawLabels.map((label, d) => {
    const col = column(ens.draws, D, d);
    let mean = 0;
    let priorMean = 0;
    for (let k = 0; k < N; k++) {
      mean += w[k]! * col[k]!;
      priorMean += col[k]! / N;
    }
    let v = 0;
    for (let k = 0; k < N; k++) v += w[k]! * (col[k]! - mean) ** 2;
    const [priorLow, priorHigh] = equalWeightQuantiles(col, [0.05, 0.95]) as [number, number];
    const [low, median, high] = weightedQuantiles(col, w, [0.05, 0.5, 0.95]) as [number, number, number];
    return { label, apply: applyOf[d]!, priorMean, priorLow, priorHigh, mean, sd: Math.sqrt(v), low, median, high };
  });

  const bands: PredictiveBand[] = seriesList.map((s, si) => {
    const meta = model.series[s]!;
    const out = {
      priorP5: [] as number[],
      priorP50: [] as number[],
      priorP95: [] as number[],
      p5: [] as number[],
      p50: [] as number[],
      p95: [] as number[],
    };
    years.forEach((_, yi) => {
      const c = obs.length + si * years.length + yi;
      const col = column(ens.values, C, c);
      const [a, b, c5] = equalWeightQuantiles(col, [0.05, 0.5, 0.95]) as [number, number, number];
      const [d, e, f] = weightedQuantiles(col, w, [0.05, 0.5, 0.95]) as [number, number, number];
      out.priorP5.push(a);
      out.priorP50.push(b);
      out.priorP95.push(c5);
      out.p5.push(d);
      out.p50.push(e);
      out.p95.push(f);
    });
    return { indicator: meta.indicator, region: meta.region, years, ...out };
  });

  const T = scenario.targets.length;
  const targets = scenario.targets.map((t, i) => {
    let prior = 0;
    let post = 0;
    for (let k = 0; k < N; k++) {
      const r = ens.reached[k * T + i]!;
      prior += r / N;
      post += r * w[k]!;
    }
    return { name: t.name, prior, posterior: post };
  });

  const sample = systematicResample(w, o.sampleRows, o.seed).map((k) =>
    Array.from({ length: D }, (_, d) => ens.draws[k * D + d]!),
  );

  const warnings: string[] = [];
  if (ess < ESS_WARNING)
    warnings.push(
      `effective sample size ${ess.toFixed(1)} of ${N} runs: the posterior rests on a few runs and is not to be trusted; run more (--runs), loosen the observation errors, or check that the prior covers the data`,
    );
  if (maxWeight > 0.5)
    warnings.push(`one run carries ${(100 * maxWeight).toFixed(0)}% of the weight: the weights have collapsed`);
  if (D === 0) warnings.push('the scenario has no uncertain parameters: there is no posterior to report');
  return {
    runs: N,
    seed: o.seed,
    observations: obs.length,
    relativeError: o.relativeError,
    effectiveSampleSize: ess,
    maxWeight,
    parameters,
    bands,
    targets,
    sample,
    warnings,
  };
}

/**
 * Systematic resampling: M run indices with run k appearing about M·w_k times, from one seeded
 * uniform offset (low variance, deterministic for a seed).
 */
export function systematicResample(w: Float64Array, M: number, seed: number): number[] {
  const u0 = seedrandom.tychei(`${seed}/resample`).double() / M;
  const out: number[] = [];
  let acc = w[0] ?? 0;
  let k = 0;
  for (let m = 0; m < M; m++) {
    const u = u0 + m / M;
    while (u > acc && k < w.length - 1) acc += w[++k]!;
    out.push(k);
  }
  return out;
}
