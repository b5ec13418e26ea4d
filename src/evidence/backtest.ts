import { cellIndex, projectionGrid } from '../model/layout.js';
import type { McContext } from '../montecarlo/prepare-mc.js';
import { collectEnsemble, type EnsembleOptions } from './ensemble.js';
import type { BasisBreak, Observation, ObservedSet } from './observed-file.js';
import {
  binomialInterval,
  coverageTest,
  crpsSorted,
  pitHistogram,
  pitSorted,
  quantileSorted,
  sorted,
} from './scores.js';

/**
 * A backtest grades a scenario's Monte Carlo bands against observed values: for each observation
 * after the base year, the band it fell in, its PIT and CRPS, and the error of the median; then the
 * coverage of the 50% and 90% bands per series and overall against nominal.
 */

export type Band = 'below90' | 'below50' | 'inside50' | 'above50' | 'above90';
export type Verdict = 'too narrow' | 'about right' | 'too wide';

export interface ObservationScore {
  readonly observation: Observation;
  readonly p5: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p95: number;
  /** Which part of the distribution the observation fell in. */
  readonly band: Band;
  readonly pit: number;
  readonly crps: number;
  /** Median − observed, and that as a percent of |observed|. */
  readonly error: number;
  readonly errorPercent: number;
}

export interface CoverageSummary {
  readonly n: number;
  readonly inside50: number;
  readonly inside90: number;
  readonly coverage50: number;
  readonly coverage90: number;
  /** 95% Clopper–Pearson intervals for the true coverage rate. */
  readonly interval50: [number, number];
  readonly interval90: [number, number];
  readonly test50: 'low' | 'ok' | 'high';
  readonly test90: 'low' | 'ok' | 'high';
  /** PIT counts in five bins of width 0.2. */
  readonly pitHistogram: number[];
  readonly meanCrps: number;
  /** Mean of median − observed (unit of the series; NaN overall, where units differ). */
  readonly bias: number;
  readonly biasPercent: number;
  readonly medianAbsError: number;
  readonly medianAbsErrorPercent: number;
  readonly verdict: Verdict;
}

export interface SeriesSummary extends CoverageSummary {
  readonly indicator: string;
  readonly region: string;
  readonly breaks: readonly BasisBreak[];
}

export interface BacktestResult {
  readonly runs: number;
  readonly seed: number;
  readonly observedFile: string;
  readonly scores: readonly ObservationScore[];
  /**
   * Observations not scored: at the base year (data, not a forecast), or where every run gives the
   * same value (a value the model holds fixed, such as an anchor year: there is no band to grade).
   */
  readonly skipped: readonly { readonly observation: Observation; readonly reason: 'base year' | 'fixed' }[];
  readonly series: readonly SeriesSummary[];
  readonly overall: CoverageSummary;
  readonly breaks: readonly BasisBreak[];
}

export async function backtest(
  ctx: McContext,
  observed: ObservedSet,
  runs: number,
  seed: number,
  o: EnsembleOptions = {},
): Promise<BacktestResult> {
  const model = ctx.scenario.model;
  const forecast = observed.observations.filter((o) => o.year > model.baseYear);
  const skipped: BacktestResult['skipped'][number][] = observed.observations
    .filter((o) => o.year <= model.baseYear)
    .map((observation) => ({ observation, reason: 'base year' as const }));
  const grid = projectionGrid(model);
  const cells = forecast.map((o) => cellIndex(grid, o.year, o.series));
  const ens = await collectEnsemble(ctx, cells, runs, seed, o);
  const C = cells.length;
  const scores: ObservationScore[] = [];
  forecast.forEach((o, c) => {
    const col = new Float64Array(runs);
    for (let k = 0; k < runs; k++) col[k] = ens.values[k * C + c]!;
    const xs = sorted(col);
    // Spread at rounding level only (an aggregate of fixed values weighted by uncertain ones) is no band either.
    const spread = xs[runs - 1]! - xs[0]!;
    if (spread <= 1e-9 * Math.max(1, Math.abs(xs[0]!))) skipped.push({ observation: o, reason: 'fixed' });
    else scores.push(scoreObservation(o, xs));
  });
  const groups = new Map<number, ObservationScore[]>();
  for (const s of scores) {
    const list = groups.get(s.observation.series) ?? [];
    list.push(s);
    groups.set(s.observation.series, list);
  }
  const series: SeriesSummary[] = [...groups.values()].map((list) => {
    const o = list[0]!.observation;
    return {
      indicator: o.indicator,
      region: o.region,
      breaks: observed.breaks.filter((b) => b.indicator === o.indicator && b.region === o.region),
      ...summarize(list, true),
    };
  });
  return {
    runs,
    seed,
    observedFile: observed.file,
    scores,
    skipped,
    series,
    overall: summarize(scores, false),
    breaks: observed.breaks,
  };
}

export function scoreObservation(o: Observation, xs: Float64Array): ObservationScore {
  const q = (p: number) => quantileSorted(xs, p);
  const [p5, p25, p50, p75, p95] = [q(0.05), q(0.25), q(0.5), q(0.75), q(0.95)];
  const y = o.value;
  const band: Band =
    y < p5 ? 'below90' : y < p25 ? 'below50' : y <= p75 ? 'inside50' : y <= p95 ? 'above50' : 'above90';
  const error = p50 - y;
  return {
    observation: o,
    p5,
    p25,
    p50,
    p75,
    p95,
    band,
    pit: pitSorted(xs, y),
    crps: crpsSorted(xs, y),
    error,
    errorPercent: y === 0 ? NaN : (100 * error) / Math.abs(y),
  };
}

function median(xs: number[]): number {
  return quantileSorted(sorted(xs), 0.5);
}

export function summarize(list: readonly ObservationScore[], sameUnit: boolean): CoverageSummary {
  const n = list.length;
  const inside50 = list.filter((s) => s.band === 'inside50').length;
  const inside90 = list.filter((s) => s.band !== 'below90' && s.band !== 'above90').length;
  const test50 = coverageTest(inside50, n, 0.5);
  const test90 = coverageTest(inside90, n, 0.9);
  const mean = (f: (s: ObservationScore) => number) => (n === 0 ? NaN : list.reduce((a, s) => a + f(s), 0) / n);
  return {
    n,
    inside50,
    inside90,
    coverage50: n === 0 ? NaN : inside50 / n,
    coverage90: n === 0 ? NaN : inside90 / n,
    interval50: binomialInterval(inside50, n),
    interval90: binomialInterval(inside90, n),
    test50,
    test90,
    pitHistogram: pitHistogram(list.map((s) => s.pit)),
    meanCrps: sameUnit ? mean((s) => s.crps) : NaN,
    bias: sameUnit ? mean((s) => s.error) : NaN,
    biasPercent: mean((s) => s.errorPercent),
    medianAbsError: sameUnit && n > 0 ? median(list.map((s) => Math.abs(s.error))) : NaN,
    medianAbsErrorPercent: n > 0 ? median(list.map((s) => Math.abs(s.errorPercent))) : NaN,
    verdict: verdictOf(test50, test90),
  };
}

/**
 * Bands too narrow when either band holds significantly fewer observations than nominal; too wide
 * when either holds significantly more (and neither fewer); about right otherwise — which with few
 * observations only means the test cannot tell.
 */
export function verdictOf(test50: 'low' | 'ok' | 'high', test90: 'low' | 'ok' | 'high'): Verdict {
  if (test50 === 'low' || test90 === 'low') return 'too narrow';
  if (test50 === 'high' || test90 === 'high') return 'too wide';
  return 'about right';
}
