import { createRequire } from 'node:module';
import type betaQuantileFn from '@stdlib/stats-base-dists-beta-quantile';
import { normalCdfStd, normalPdfStd } from '../montecarlo/distributions.js';

/**
 * Scores of a probabilistic forecast against what happened, from an ensemble of Monte Carlo values:
 * the central band an observation fell in, the probability integral transform, the continuous ranked
 * probability score, and binomial intervals for coverage. Pure functions on sorted samples.
 */

const require = createRequire(import.meta.url);
let betaQuantile: typeof betaQuantileFn | undefined;

/** Sorted copy (ascending). */
export function sorted(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** Quantile p in [0,1] of a sorted sample, linear between order statistics (R's type 7). */
export function quantileSorted(xs: Float64Array, p: number): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return xs[lo]! + (h - lo) * (xs[hi]! - xs[lo]!);
}

/**
 * PIT of y under the empirical distribution: P(X < y) + ½ P(X = y). Uniform on (0,1) when y is a draw
 * from the same distribution as the ensemble (ties split evenly so a discrete ensemble is not biased).
 */
export function pitSorted(xs: Float64Array, y: number): number {
  const below = lowerBound(xs, y);
  let upTo = below;
  while (upTo < xs.length && xs[upTo] === y) upTo++;
  return (below + 0.5 * (upTo - below)) / xs.length;
}

function lowerBound(xs: Float64Array, y: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * CRPS of the empirical distribution of the ensemble for observation y, exactly:
 * E|X − y| − ½ E|X − X′| with X, X′ independent draws from the ensemble (Gneiting & Raftery 2007,
 * eq. 21), computed in O(n) from the sorted sample: E|X − X′| = (2/n²) Σ (2i − n − 1) x₍ᵢ₎.
 * In the indicator's unit; lower is better; equals the absolute error for a point forecast.
 */
export function crpsSorted(xs: Float64Array, y: number): number {
  const n = xs.length;
  let absErr = 0;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    absErr += Math.abs(x - y);
    spread += (2 * (i + 1) - n - 1) * x;
  }
  return absErr / n - spread / (n * n);
}

/** CRPS of a normal forecast N(mean, sd²) for y, closed form (Gneiting et al. 2005). */
export function crpsNormal(mean: number, sd: number, y: number): number {
  const z = (y - mean) / sd;
  return sd * (z * (2 * normalCdfStd(z) - 1) + 2 * normalPdfStd(z) - 1 / Math.sqrt(Math.PI));
}

/**
 * Clopper–Pearson (exact) interval for a binomial proportion with k successes in n trials, at
 * confidence 1 − alpha: the range of true coverage rates the observed count is consistent with.
 */
export function binomialInterval(k: number, n: number, alpha = 0.05): [number, number] {
  if (n === 0) return [0, 1];
  betaQuantile ??= require('@stdlib/stats-base-dists-beta-quantile') as typeof betaQuantileFn;
  const lo = k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1);
  const hi = k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k);
  return [lo, hi];
}

/**
 * Where a nominal coverage rate sits against the observed count: 'low' when the observed rate is
 * significantly below nominal (bands too narrow), 'high' when above (too wide), 'ok' otherwise.
 * Exact two-sided binomial test at level alpha.
 */
export function coverageTest(k: number, n: number, nominal: number, alpha = 0.05): 'low' | 'ok' | 'high' {
  if (n === 0) return 'ok';
  const pLow = binomialCdf(k, n, nominal); // P(K <= k)
  const pHigh = 1 - binomialCdf(k - 1, n, nominal); // P(K >= k)
  if (pLow < alpha / 2) return 'low';
  if (pHigh < alpha / 2) return 'high';
  return 'ok';
}

/** P(K <= k) for K ~ Binomial(n, p), summed in log space (n up to the observation limit). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let sum = 0;
  let logC = 0; // log C(n, 0)
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    sum += Math.exp(logC + i * lp + (n - i) * lq);
  }
  return Math.min(1, sum);
}

/** Counts of PIT values in `bins` equal bins of [0, 1]. */
export function pitHistogram(pits: readonly number[], bins = 5): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const u of pits) counts[Math.min(bins - 1, Math.floor(u * bins))]!++;
  return counts;
}

/**
 * Weighted quantiles of values (weights ≥ 0, any scale) for several p at once, sorting once: for
 * each p the smallest x whose cumulative weight reaches p of the total.
 */
export function weightedQuantiles(values: Float64Array, weights: ArrayLike<number>, ps: readonly number[]): number[] {
  // Only runs with weight above 1e-16 of the largest can move a quantile (N ≤ 1e7 of them add up to
  // at most 1e-9 of the total); after a likelihood update they are usually few, so sort just those.
  let maxW = 0;
  for (let i = 0; i < values.length; i++) if (weights[i]! > maxW) maxW = weights[i]!;
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) if (weights[i]! > maxW * 1e-16) kept.push(i);
  const order = Uint32Array.from(kept).sort((a, b) => values[a]! - values[b]! || a - b);
  const n = order.length;
  let total = 0;
  for (const i of order) total += weights[i]!;
  const out: number[] = [];
  for (const p of ps) {
    let acc = 0;
    let x = values[order[n - 1]!]!;
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      acc += weights[i]!;
      if (acc >= p * total) {
        x = values[i]!;
        break;
      }
    }
    out.push(x);
  }
  return out;
}

/** The same quantiles with equal weights: the order statistic ⌈pN⌉, from a native numeric sort. */
export function equalWeightQuantiles(values: Float64Array, ps: readonly number[]): number[] {
  const xs = Float64Array.from(values).sort();
  return ps.map((p) => xs[Math.max(0, Math.ceil(p * xs.length) - 1)]!);
}

/** Weighted quantile p of values (weights ≥ 0, any scale): the smallest x with cumulative weight ≥ p. */
export function weightedQuantile(values: ArrayLike<number>, weights: ArrayLike<number>, p: number): number {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  let acc = 0;
  for (const i of order) {
    acc += weights[i]!;
    if (acc >= p * total) return values[i]!;
  }
  return values[order[n - 1]!]!;
}
