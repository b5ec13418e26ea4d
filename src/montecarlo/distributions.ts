import { createRequire } from 'node:module';
import type betaQuantileFn from '@stdlib/stats-base-dists-beta-quantile';
import type { PathKey } from '../util/yaml-source.js';
import { normalCdfStd } from './normal-cdf.js';

// Loaded on first use: it costs resident memory in every worker thread, and most scenarios have no
// beta marginal.
const require = createRequire(import.meta.url);
let betaQuantile: typeof betaQuantileFn | undefined;

/**
 * Marginal distributions of uncertain inputs. Every kind is sampled by inversion (x = F⁻¹(u)) so that
 * a Gaussian copula can correlate any mix of marginals: correlated uniforms in, correlated values out.
 */

export type Distribution =
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number }
  | {
      readonly kind: 'truncnormal';
      readonly mean: number;
      readonly sd: number;
      readonly min: number;
      readonly max: number;
    }
  /** `sigma` is the standard deviation of log(x); `median` = exp(mean of log(x)). */
  | { readonly kind: 'lognormal'; readonly median: number; readonly sigma: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'triangular'; readonly min: number; readonly mode: number; readonly max: number }
  /** Beta(alpha, beta) stretched from [0,1] onto [min, max]. */
  | { readonly kind: 'beta'; readonly alpha: number; readonly beta: number; readonly min: number; readonly max: number }
  /** Discrete: `values[i]` with probability weights[i] / sum(weights). */
  | { readonly kind: 'choice'; readonly values: readonly number[]; readonly weights: readonly number[] }
  /**
   * A table of equally likely rows (a resampled posterior, say): each run takes one row, picked by
   * one uniform. A row has one value, or one per region for a parameter drawn per region; parameters
   * with the same `joint` name take the same row, so their dependence survives.
   */
  | { readonly kind: 'empirical'; readonly rows: readonly (readonly number[])[]; readonly joint?: string };

export type DistributionKind = Distribution['kind'];
export type LognormalDistribution = Extract<Distribution, { kind: 'lognormal' }>;

/** A user-input problem; the caller attaches the file location. */
export interface Problem {
  /** Relative to what was checked (`['weights', 2]`); the caller's collector prefixes and formats it. */
  readonly path: readonly PathKey[];
  readonly message: string;
}

/** Inverse CDF for u in (0,1); built once per distribution so the per-draw work is arithmetic only. */
export type QuantileFn = (u: number) => number;

const INV_SQRT_2PI = 0.3989422804014327;

/** Standard normal CDF Φ (@stdlib's, bit for bit: see normal-cdf.ts). */
export { normalCdfStd };

/** Standard normal density φ. */
export function normalPdfStd(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * Standard normal quantile Φ⁻¹(p), Wichura's AS 241 (PPND16, relative error ~1e-16), the algorithm
 * behind R's qnorm.
 *
 * Not @stdlib's normal quantile: that computes erfinv(2p − 1), which rounds 2p − 1 to −1 for
 * p < ~1e-17 and returns −Infinity, and loses relative accuracy for small p well before that. A
 * truncated normal far in a tail needs exactly those small p. This is also ~2× faster.
 */
export function normalQuantileStd(p: number): number {
  const q = p - 0.5;
  return Math.abs(q) <= 0.425 ? centralQuantile(q) : tailQuantile(p);
}

/** AS 241 for |p − 0.5| <= 0.425 (q = p − 0.5): a rational function of q² (no branch). */
function centralQuantile(q: number): number {
  const r = 0.180625 - q * q;
  return (
    (q *
      (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
        45921.953931549871457) *
        r +
        13731.693765509461125) *
        r +
        1971.5909503065514427) *
        r +
        133.14166789178437745) *
        r +
        3.387132872796366608)) /
    (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) *
      r +
      5394.1960214247511077) *
      r +
      687.1870074920579083) *
      r +
      42.313330701600911252) *
      r +
      1.0)
  );
}

/** One cell for tailQuantile's argument and value (see tailQuantileAt). */
const tailOne = new Float64Array(1);

/** AS 241 in the tails, |p − 0.5| > 0.425 (q = p − 0.5), and the edges 0, 1 and NaN. */
function tailQuantile(p: number): number {
  tailOne[0] = p;
  tailQuantileAt(tailOne, 0, tailOne, 0);
  return tailOne[0]!;
}

/**
 * tailQuantile(src[i]) written to out[at]. V8 does not inline this function, and a double passed to or
 * returned from a call that is not inlined is boxed in a new heap number; read from and stored into a
 * Float64Array it is not, so a tail quantile allocates nothing.
 */
function tailQuantileAt(src: Float64Array, i: number, out: Float64Array, at: number): void {
  const p = src[i]!;
  const q = p - 0.5;
  if (!(p > 0)) {
    out[at] = p === 0 ? -Infinity : NaN;
    return;
  }
  if (!(p < 1)) {
    out[at] = p === 1 ? Infinity : NaN;
    return;
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1.0);
  } else {
    r -= 5;
    val =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1.0);
  }
  out[at] = q < 0 ? -val : val;
}

/**
 * Truncation window in standard units, reflected to the lower half when it sits mostly above the
 * mean: Φ(a) near 1 has only ~1e-16 absolute resolution, Φ(−a) near 0 keeps full relative precision.
 */
interface TruncWindow {
  readonly a: number;
  readonly b: number;
  readonly cdfA: number;
  readonly mass: number;
  /** −1 when reflected: x = mean − sd·z. */
  readonly sign: 1 | -1;
}

function truncWindow(mean: number, sd: number, min: number, max: number): TruncWindow {
  let a = (min - mean) / sd;
  let b = (max - mean) / sd;
  let sign: 1 | -1 = 1;
  if (a + b > 0) {
    [a, b] = [-b, -a];
    sign = -1;
  }
  const cdfA = normalCdfStd(a);
  return { a, b, cdfA, mass: normalCdfStd(b) - cdfA, sign };
}

/** Lognormal with the given mean and standard deviation of the variable itself (not of its log). */
export function lognormalFromMeanSd(mean: number, sd: number): LognormalDistribution {
  const cv2 = (sd / mean) * (sd / mean);
  const sigma2 = Math.log1p(cv2);
  return { kind: 'lognormal', median: mean / Math.sqrt(1 + cv2), sigma: Math.sqrt(sigma2) };
}

export function validateLognormalMeanSd(mean: number, sd: number, basePath: readonly PathKey[] = []): Problem[] {
  const problems: Problem[] = [];
  const at = (...key: PathKey[]): PathKey[] => [...basePath, ...key];
  if (!Number.isFinite(mean))
    problems.push({ path: at('mean'), message: `mean must be a finite number (got ${mean})` });
  else if (!(mean > 0)) problems.push({ path: at('mean'), message: `mean of a lognormal must be > 0 (got ${mean})` });
  if (!Number.isFinite(sd)) problems.push({ path: at('sd'), message: `sd must be a finite number (got ${sd})` });
  else if (!(sd > 0)) problems.push({ path: at('sd'), message: `standard deviation must be > 0 (got ${sd})` });
  return problems;
}

/** Inverse CDF, precomputed; only meaningful for a distribution that passed validateDistribution. */
export function compileQuantile(d: Distribution): QuantileFn {
  switch (d.kind) {
    case 'normal': {
      const { mean, sd } = d;
      return (u) => normalAt(u, mean, sd);
    }
    case 'truncnormal': {
      const { mean, sd, min, max } = d;
      const w = truncWindow(mean, sd, min, max);
      const scale = w.sign * sd;
      const { cdfA, mass } = w;
      // Reflection flips the direction of u so that x still increases with u. The clamp absorbs the
      // last-ulp rounding of Φ⁻¹(Φ(a)) at the window edges.
      return w.sign === 1
        ? (u) => clamp(mean + scale * normalQuantileStd(cdfA + u * mass), min, max)
        : (u) => clamp(mean + scale * normalQuantileStd(cdfA + (1 - u) * mass), min, max);
    }
    case 'lognormal': {
      const { median, sigma } = d;
      return (u) => median * Math.exp(sigma * normalQuantileStd(u));
    }
    case 'uniform': {
      const { min, max } = d;
      const span = max - min;
      return (u) => uniformAt(u, min, span);
    }
    case 'triangular': {
      const { min, max } = d;
      const { split, left, right } = triangularConstants(d);
      return (u) => triangularAt(u, min, split, left, max, right);
    }
    case 'beta': {
      const { min, max } = d;
      const span = max - min;
      betaQuantile ??= require('@stdlib/stats-base-dists-beta-quantile') as typeof betaQuantileFn;
      const q01 = betaQuantile.factory(d.alpha, d.beta);
      return (u) => min + span * q01(u);
    }
    case 'choice':
      return choiceQuantile(d.values, d.weights);
    case 'empirical': {
      const { rows } = d;
      return (u) => rows[empiricalRow(rows.length, u)]![0]!;
    }
  }
}

// The inverse CDFs that have a closed form (compileQuantile's; params.wat computes the same by the
// same operations in the Monte Carlo's sampler, from triangularConstants' numbers).
function normalAt(u: number, mean: number, sd: number): number {
  return mean + sd * normalQuantileStd(u);
}

function uniformAt(u: number, min: number, span: number): number {
  return min + u * span;
}

export function triangularConstants(d: Extract<Distribution, { kind: 'triangular' }>): {
  split: number;
  left: number;
  right: number;
} {
  const { min, mode, max } = d;
  const span = max - min;
  return { split: (mode - min) / span, left: span * (mode - min), right: span * (max - mode) };
}

function triangularAt(u: number, min: number, split: number, left: number, max: number, right: number): number {
  return u < split ? min + Math.sqrt(u * left) : max - Math.sqrt((1 - u) * right);
}

/** The distributions whose inverse CDF has a closed form (the sampler computes them in WebAssembly). */
export type ClosedFormDistribution = Extract<Distribution, { kind: 'triangular' | 'uniform' | 'normal' }>;

export function isClosedForm(d: Distribution): d is ClosedFormDistribution {
  return d.kind === 'triangular' || d.kind === 'uniform' || d.kind === 'normal';
}

/** The row an empirical table gives for u in (0,1): each of the n rows with probability 1/n. */
export function empiricalRow(n: number, u: number): number {
  return Math.min(n - 1, Math.floor(u * n));
}

/** Convenience form of compileQuantile for one-off use; in a loop compile once instead. */
export function quantile(d: Distribution, u: number): number {
  return compileQuantile(d)(u);
}

function choiceQuantile(values: readonly number[], weights: readonly number[]): QuantileFn {
  const n = values.length;
  const vals = Float64Array.from(values);
  const cum = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i] ?? 0;
  let acc = 0;
  let lastPositive = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i] ?? 0;
    acc += w;
    cum[i] = acc / total;
    if (w > 0) lastPositive = i;
  }
  // Rounding can leave the last cumulative weight a hair below 1; pin it so every u < 1 lands on a
  // value with positive weight (trailing zero-weight values are never reached: the search stops at
  // the first cum > u).
  for (let i = lastPositive; i < n; i++) cum[i] = 1;
  return (u) => {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u < cum[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return vals[lo]!;
  };
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : Math.min(x, hi);
}

export function theoreticalMean(d: Distribution): number {
  switch (d.kind) {
    case 'normal':
      return d.mean;
    case 'truncnormal': {
      const w = truncWindow(d.mean, d.sd, d.min, d.max);
      return d.mean + w.sign * d.sd * ((normalPdfStd(w.a) - normalPdfStd(w.b)) / w.mass);
    }
    case 'lognormal':
      return d.median * Math.exp(0.5 * d.sigma * d.sigma);
    case 'uniform':
      return 0.5 * (d.min + d.max);
    case 'triangular':
      return (d.min + d.mode + d.max) / 3;
    case 'beta':
      return d.min + ((d.max - d.min) * d.alpha) / (d.alpha + d.beta);
    case 'choice': {
      const { total, mean } = choiceMoments(d.values, d.weights);
      return mean / total;
    }
    case 'empirical':
      return d.rows.reduce((a, r) => a + r[0]!, 0) / d.rows.length;
  }
}

export function theoreticalVariance(d: Distribution): number {
  switch (d.kind) {
    case 'normal':
      return d.sd * d.sd;
    case 'truncnormal': {
      const { a, b, mass } = truncWindow(d.mean, d.sd, d.min, d.max);
      const pa = normalPdfStd(a);
      const pb = normalPdfStd(b);
      const shift = (pa - pb) / mass;
      return d.sd * d.sd * (1 + (a * pa - b * pb) / mass - shift * shift);
    }
    case 'lognormal': {
      const s2 = d.sigma * d.sigma;
      return d.median * d.median * Math.exp(s2) * Math.expm1(s2);
    }
    case 'uniform':
      return ((d.max - d.min) * (d.max - d.min)) / 12;
    case 'triangular': {
      const { min: a, mode: c, max: b } = d;
      return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
    }
    case 'beta': {
      const s = d.alpha + d.beta;
      const span = d.max - d.min;
      return (span * span * d.alpha * d.beta) / (s * s * (s + 1));
    }
    case 'choice': {
      const { total, mean } = choiceMoments(d.values, d.weights);
      const m = mean / total;
      let ss = 0;
      d.values.forEach((v, i) => {
        ss += (d.weights[i] ?? 0) * (v - m) * (v - m);
      });
      return ss / total;
    }
    case 'empirical': {
      const m = theoreticalMean(d);
      return d.rows.reduce((a, r) => a + (r[0]! - m) ** 2, 0) / d.rows.length;
    }
  }
}

function choiceMoments(values: readonly number[], weights: readonly number[]): { total: number; mean: number } {
  let total = 0;
  let mean = 0;
  values.forEach((v, i) => {
    const w = weights[i] ?? 0;
    total += w;
    mean += w * v;
  });
  return { total, mean };
}

/**
 * Everything a user can get wrong in a distribution, all at once. Paths are relative to the
 * distribution (`['sd']`, `['weights', 2]`), prefixed with `basePath` when given.
 */
export function validateDistribution(d: Distribution, basePath: readonly PathKey[] = []): Problem[] {
  const problems: Problem[] = [];
  const at = (...key: PathKey[]): PathKey[] => [...basePath, ...key];
  const finite = (key: string, v: number): boolean => {
    if (Number.isFinite(v)) return true;
    problems.push({ path: at(key), message: `${key} must be a finite number (got ${v})` });
    return false;
  };
  const positive = (key: string, v: number, what: string): void => {
    if (finite(key, v) && !(v > 0)) problems.push({ path: at(key), message: `${what} must be > 0 (got ${v})` });
  };
  const range = (min: number, max: number): boolean => {
    const ok = finite('min', min) && finite('max', max);
    if (ok && !(min < max)) problems.push({ path: at('min'), message: `min (${min}) must be below max (${max})` });
    return ok && min < max;
  };

  switch (d.kind) {
    case 'normal':
      finite('mean', d.mean);
      positive('sd', d.sd, 'standard deviation');
      break;
    case 'truncnormal': {
      const meanOk = finite('mean', d.mean);
      positive('sd', d.sd, 'standard deviation');
      const rangeOk = range(d.min, d.max);
      if (meanOk && d.sd > 0 && Number.isFinite(d.sd) && rangeOk) {
        const w = truncWindow(d.mean, d.sd, d.min, d.max);
        if (!(w.mass > 0)) {
          const far = Math.min(Math.abs(w.a), Math.abs(w.b));
          problems.push({
            path: at('min'),
            message: `the range [${d.min}, ${d.max}] starts ${formatSig(far)} standard deviations from the mean (${d.mean}), too far out to sample; move it closer to the mean or increase sd`,
          });
        }
      }
      break;
    }
    case 'lognormal':
      positive('median', d.median, 'median');
      positive('sigma', d.sigma, 'sigma (the standard deviation of log x)');
      break;
    case 'uniform':
      range(d.min, d.max);
      break;
    case 'triangular': {
      const modeOk = finite('mode', d.mode);
      if (range(d.min, d.max) && modeOk && !(d.mode >= d.min && d.mode <= d.max)) {
        problems.push({
          path: at('mode'),
          message: `mode (${d.mode}) must be between min (${d.min}) and max (${d.max})`,
        });
      }
      break;
    }
    case 'beta':
      positive('alpha', d.alpha, 'alpha');
      positive('beta', d.beta, 'beta');
      range(d.min, d.max);
      break;
    case 'choice': {
      const { values, weights } = d;
      if (values.length === 0) {
        problems.push({ path: at('values'), message: 'values must list at least one number' });
        break;
      }
      if (values.length !== weights.length) {
        problems.push({
          path: at('weights'),
          message: `values and weights must have the same length (got ${values.length} values and ${weights.length} weights)`,
        });
      }
      for (const [i, v] of values.entries()) {
        if (!Number.isFinite(v))
          problems.push({ path: at('values', i), message: `value must be a finite number (got ${v})` });
      }
      let sum = 0;
      let weightsOk = true;
      for (const [i, w] of weights.entries()) {
        if (!Number.isFinite(w)) {
          problems.push({ path: at('weights', i), message: `weight must be a finite number (got ${w})` });
          weightsOk = false;
        } else if (w < 0) {
          problems.push({ path: at('weights', i), message: `weight must be >= 0 (got ${w})` });
          weightsOk = false;
        } else sum += w;
      }
      if (weightsOk && !(sum > 0)) {
        problems.push({ path: at('weights'), message: `weights must sum to a positive number (got ${sum})` });
      }
      break;
    }
    case 'empirical': {
      if (d.rows.length === 0) {
        problems.push({ path: at('values'), message: 'values must list at least one row' });
        break;
      }
      const width = d.rows[0]!.length;
      for (const [i, row] of d.rows.entries()) {
        if (row.length !== width)
          problems.push({
            path: at('values', i),
            message: `every row must have ${width} value(s) like the first (got ${row.length})`,
          });
        for (const v of row)
          if (!Number.isFinite(v))
            problems.push({ path: at('values', i), message: `value must be a finite number (got ${v})` });
      }
      break;
    }
    default: {
      const kind = (d as { kind?: unknown }).kind;
      problems.push({
        path: at('kind'),
        message: `unknown distribution kind ${JSON.stringify(kind)}; expected one of normal, truncnormal, lognormal, uniform, triangular, beta, choice, empirical`,
      });
    }
  }
  return problems;
}

function formatSig(x: number): string {
  return Number(x.toPrecision(3)).toString();
}
