import { createHash } from 'node:crypto';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { describe, expect, it } from 'vitest';
import {
  compileQuantile,
  type Distribution,
  lognormalFromMeanSd,
  normalQuantileStd,
  quantile,
  theoreticalMean,
  theoreticalVariance,
  validateDistribution,
  validateLognormalMeanSd,
} from '../../src/montecarlo/distributions.js';
import { runStream } from '../../src/montecarlo/rng.js';

const Phi = (x: number) => normalCdf(x, 0, 1);
const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

describe('normalQuantileStd', () => {
  it('matches known values, including far tails where erfinv(2p-1) breaks down', () => {
    expect(normalQuantileStd(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantileStd(0.5)).toBe(0);
    expect(normalQuantileStd(0.8413447460685429)).toBeCloseTo(1, 12);
    // R: qnorm(1e-10) = -6.361340902404056, qnorm(1e-20) = -9.262340089798408
    expect(normalQuantileStd(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantileStd(1e-20)).toBeCloseTo(-9.262340089798408, 12);
    expect(normalQuantile(1e-20, 0, 1)).toBe(-Infinity);
  });

  it('agrees with @stdlib in the body of the distribution', () => {
    for (let p = 0.001; p < 1; p += 0.001)
      expect(Math.abs(normalQuantileStd(p) - normalQuantile(p, 0, 1))).toBeLessThan(1e-12);
  });
});

describe("normalQuantileStd on the streams' grid", () => {
  it('gives the recorded bytes on a grid of the stream midpoints (a rewrite of the formulas changes no draw)', () => {
    // The sha256 of the quantiles of every 2^12-th stream midpoint, recorded before the tail formula
    // wrote into an array instead of returning (session 7). shocks.wat's normals() is held to
    // normalQuantileStd on the streams' grid (shocks-wasm.test.ts).
    const grid: number[] = [];
    for (let k = 0; k < 2 ** 32; k += 2 ** 12 - 1) grid.push((k + 0.5) / 2 ** 32);
    const sha = (x: Float64Array) => createHash('sha256').update(Buffer.from(x.buffer)).digest('hex');
    const recorded = 'a7c8da5361919d6680b7ac6f247c7b1c2a670c685201be1179009e9a37153002';
    expect(sha(Float64Array.from(grid, normalQuantileStd))).toBe(recorded);
  });
});

describe('quantile at known points', () => {
  it('normal', () => {
    expect(quantile({ kind: 'normal', mean: 10, sd: 2 }, 0.975)).toBeCloseTo(10 + 2 * 1.959963984540054, 12);
    expect(quantile({ kind: 'normal', mean: 10, sd: 2 }, 0.5)).toBe(10);
  });

  it('truncated normal inverts its own CDF, in the body and far in the upper tail', () => {
    const body: Distribution = { kind: 'truncnormal', mean: 0, sd: 1, min: -1, max: 1 };
    const F = (x: number) => (Phi(x) - Phi(-1)) / (Phi(1) - Phi(-1));
    expect(quantile(body, 0.5)).toBeCloseTo(0, 14);
    expect(quantile(body, F(0.5))).toBeCloseTo(0.5, 12);
    expect(quantile(body, F(-0.9))).toBeCloseTo(-0.9, 12);

    // [8, 9] sd above the mean: Φ(8) rounds to 1 - 6e-16, so only the reflected form can sample it.
    const tail: Distribution = { kind: 'truncnormal', mean: 100, sd: 10, min: 180, max: 190 };
    const Ft = (x: number) => (Phi(-8) - Phi(-(x - 100) / 10)) / (Phi(-8) - Phi(-9));
    for (const x of [180.1, 180.5, 182, 185]) expect(quantile(tail, Ft(x))).toBeCloseTo(x, 8);
    expect(quantile(tail, 1e-9)).toBeGreaterThanOrEqual(180);
    expect(quantile(tail, 1 - 1e-9)).toBeLessThanOrEqual(190);
  });

  it('lognormal, uniform, triangular, beta', () => {
    expect(quantile({ kind: 'lognormal', median: 100, sigma: 0.5 }, 0.5)).toBeCloseTo(100, 12);
    expect(quantile({ kind: 'lognormal', median: 100, sigma: 0.5 }, 0.975)).toBeCloseTo(
      100 * Math.exp(0.5 * 1.959963984540054),
      10,
    );
    expect(quantile({ kind: 'uniform', min: 2, max: 6 }, 0.25)).toBe(3);
    // min 0, mode 1, max 4: F(mode) = 1/4; above it x = 4 − √((1−u)·4·3).
    const tri: Distribution = { kind: 'triangular', min: 0, mode: 1, max: 4 };
    expect(quantile(tri, 0.25)).toBeCloseTo(1, 14);
    expect(quantile(tri, 0.5)).toBeCloseTo(4 - Math.sqrt(6), 14);
    expect(quantile(tri, 0.01)).toBeCloseTo(Math.sqrt(0.04), 14);
    // Beta(2,1) has CDF x², so on [0,10] x = 10·√u.
    expect(quantile({ kind: 'beta', alpha: 2, beta: 1, min: 0, max: 10 }, 0.25)).toBeCloseTo(5, 10);
    expect(quantile({ kind: 'beta', alpha: 3, beta: 3, min: -1, max: 1 }, 0.5)).toBeCloseTo(0, 10);
  });

  it('choice steps through cumulative weights and never picks a zero weight', () => {
    const d: Distribution = { kind: 'choice', values: [10, 20, 30], weights: [1, 0, 3] };
    const q = compileQuantile(d);
    expect(q(0.001)).toBe(10);
    expect(q(0.2499)).toBe(10);
    expect(q(0.25)).toBe(30);
    expect(q(0.9999)).toBe(30);
    const trailing = compileQuantile({ kind: 'choice', values: [1, 2, 3], weights: [0.1, 0.2, 0] });
    expect(trailing(1 - 2 ** -33)).toBe(2);
    // cum = [1/3, 1, 1]
    expect(trailing(0.33)).toBe(1);
    expect(trailing(0.34)).toBe(2);
  });
});

const cases: { name: string; d: Distribution; mean: number; variance: number }[] = [
  { name: 'normal', d: { kind: 'normal', mean: 3, sd: 2 }, mean: 3, variance: 4 },
  // Half-normal: mean √(2/π), variance 1 − 2/π. [0,40] reflects to the lower tail, [-40,0] does not.
  {
    name: 'truncnormal (upper half)',
    d: { kind: 'truncnormal', mean: 0, sd: 1, min: 0, max: 40 },
    mean: Math.sqrt(2 / Math.PI),
    variance: 1 - 2 / Math.PI,
  },
  {
    name: 'truncnormal (lower half)',
    d: { kind: 'truncnormal', mean: 0, sd: 1, min: -40, max: 0 },
    mean: -Math.sqrt(2 / Math.PI),
    variance: 1 - 2 / Math.PI,
  },
  // [mean ± sd]: mean unchanged, variance sd²·(1 − 2φ(1)/(Φ(1) − Φ(−1))) = 0.2911·sd²
  {
    name: 'truncnormal (±1 sd)',
    d: { kind: 'truncnormal', mean: 5, sd: 2, min: 3, max: 7 },
    mean: 5,
    variance: 4 * (1 - (2 * phi(1)) / (Phi(1) - Phi(-1))),
  },
  // [1, 3] sd: Z = Φ(3) − Φ(1); mean (φ(1) − φ(3))/Z; variance 1 + (φ(1) − 3φ(3))/Z − mean²
  {
    name: 'truncnormal (one tail)',
    d: { kind: 'truncnormal', mean: 0, sd: 1, min: 1, max: 3 },
    mean: (phi(1) - phi(3)) / (Phi(3) - Phi(1)),
    variance: 1 + (phi(1) - 3 * phi(3)) / (Phi(3) - Phi(1)) - ((phi(1) - phi(3)) / (Phi(3) - Phi(1))) ** 2,
  },
  // median·e^{σ²/2} and median²·e^{σ²}(e^{σ²} − 1)
  {
    name: 'lognormal',
    d: { kind: 'lognormal', median: 50, sigma: 0.6 },
    mean: 50 * Math.exp(0.18),
    variance: 2500 * Math.exp(0.36) * (Math.exp(0.36) - 1),
  },
  { name: 'uniform', d: { kind: 'uniform', min: -2, max: 10 }, mean: 4, variance: 12 },
  // (a+b+c)/3 and (a²+b²+c²−ab−ac−bc)/18 with a=0, c=1, b=4: 5/3 and 13/18
  { name: 'triangular', d: { kind: 'triangular', min: 0, mode: 1, max: 4 }, mean: 5 / 3, variance: 13 / 18 },
  // Beta(2,5) on [10,20]: 10 + 10·2/7 and 100·10/(49·8)
  { name: 'beta', d: { kind: 'beta', alpha: 2, beta: 5, min: 10, max: 20 }, mean: 10 + 20 / 7, variance: 1000 / 392 },
  {
    name: 'choice',
    d: { kind: 'choice', values: [1, 2, 10], weights: [2, 1, 1] },
    mean: 3.5,
    variance: (2 * 6.25 + 2.25 + 42.25) / 4,
  },
];

describe('sampling by inversion reproduces the closed-form moments', () => {
  it.each(cases)('theoretical moments of $name', ({ d, mean, variance }) => {
    expect(theoreticalMean(d)).toBeCloseTo(mean, 12);
    expect(theoreticalVariance(d)).toBeCloseTo(variance, 12);
  });

  /*
   * Tolerance: with n = 200,000 independent draws the sample mean has standard error σ/√n, and the
   * sample variance has standard error √((μ₄ − σ⁴)/n), with μ₄ the fourth central moment (estimated
   * from the same sample, which covers heavy-tailed kinds like the lognormal). A correct sampler lands
   * within 5 standard errors except with probability < 1e-6; the seed is fixed, so the test is
   * deterministic. 5 SE is still tight: for the normal case it is 0.011·σ on the mean and 1.6% on the
   * variance, so a wrong scale, shift or missing truncation fails.
   */
  it.each(cases)('200k draws of $name', ({ d }) => {
    const n = 200_000;
    const q = compileQuantile(d);
    const next = runStream(20240601, 0);
    const xs = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += xs[i] = q(next());
    const m = sum / n;
    let m2 = 0;
    let m4 = 0;
    for (const x of xs) {
      const dx = (x - m) * (x - m);
      m2 += dx;
      m4 += dx * dx;
    }
    const s2 = m2 / (n - 1);
    m4 /= n;
    const mu = theoreticalMean(d);
    const v = theoreticalVariance(d);
    expect(Math.abs(m - mu)).toBeLessThan(5 * Math.sqrt(v / n));
    expect(Math.abs(s2 - v)).toBeLessThan(5 * Math.sqrt((m4 - s2 * s2) / n));
    if (d.kind === 'truncnormal') expect(xs.filter((x) => x < d.min || x > d.max).length).toBe(0);
  });
});

describe('quantile is non-decreasing in u for every kind', () => {
  // The copula relies on it: a variable's rank must follow its uniform's rank.
  it.each(cases)('$name', ({ d }) => {
    const q = compileQuantile(d);
    let prev = -Infinity;
    let decreases = 0;
    for (let i = 1; i < 10_000; i++) {
      const x = q(i / 10_000);
      if (x < prev) decreases++;
      prev = x;
    }
    expect(decreases).toBe(0);
  });
});

describe('lognormalFromMeanSd', () => {
  it('converts the mean and sd of the variable into median and log-space sigma', () => {
    const d = lognormalFromMeanSd(100, 50);
    // σ² = ln(1 + 0.25), median = 100/√1.25
    expect(d.sigma).toBeCloseTo(Math.sqrt(Math.log(1.25)), 14);
    expect(d.median).toBeCloseTo(100 / Math.sqrt(1.25), 12);
    expect(theoreticalMean(d)).toBeCloseTo(100, 10);
    expect(Math.sqrt(theoreticalVariance(d))).toBeCloseTo(50, 10);
  });

  it('validates its inputs', () => {
    expect(validateLognormalMeanSd(-1, 0, ['x'])).toEqual([
      { path: ['x', 'mean'], message: 'mean of a lognormal must be > 0 (got -1)' },
      { path: ['x', 'sd'], message: 'standard deviation must be > 0 (got 0)' },
    ]);
    expect(validateLognormalMeanSd(1, 0.5)).toEqual([]);
  });
});

describe('validateDistribution', () => {
  const check = (d: unknown) => validateDistribution(d as Distribution);

  it('accepts every valid kind', () => {
    for (const { d } of cases) expect(validateDistribution(d)).toEqual([]);
  });

  it('reports each problem with an actionable message', () => {
    expect(check({ kind: 'normal', mean: 0, sd: -0.1 })).toEqual([
      { path: ['sd'], message: 'standard deviation must be > 0 (got -0.1)' },
    ]);
    expect(check({ kind: 'normal', mean: NaN, sd: 0 })).toEqual([
      { path: ['mean'], message: 'mean must be a finite number (got NaN)' },
      { path: ['sd'], message: 'standard deviation must be > 0 (got 0)' },
    ]);
    expect(check({ kind: 'uniform', min: 5, max: 2 })).toEqual([
      { path: ['min'], message: 'min (5) must be below max (2)' },
    ]);
    expect(check({ kind: 'uniform', min: 1, max: Infinity })).toEqual([
      { path: ['max'], message: 'max must be a finite number (got Infinity)' },
    ]);
    expect(check({ kind: 'truncnormal', mean: 0, sd: 1, min: 3, max: 3 })).toEqual([
      { path: ['min'], message: 'min (3) must be below max (3)' },
    ]);
    expect(check({ kind: 'truncnormal', mean: 0, sd: 1, min: 40, max: 41 })).toEqual([
      {
        path: ['min'],
        message:
          'the range [40, 41] starts 40 standard deviations from the mean (0), too far out to sample; move it closer to the mean or increase sd',
      },
    ]);
    expect(check({ kind: 'lognormal', median: 0, sigma: -1 })).toEqual([
      { path: ['median'], message: 'median must be > 0 (got 0)' },
      { path: ['sigma'], message: 'sigma (the standard deviation of log x) must be > 0 (got -1)' },
    ]);
    expect(check({ kind: 'triangular', min: 0, mode: 7, max: 5 })).toEqual([
      { path: ['mode'], message: 'mode (7) must be between min (0) and max (5)' },
    ]);
    expect(check({ kind: 'beta', alpha: 0, beta: -2, min: 0, max: 1 })).toEqual([
      { path: ['alpha'], message: 'alpha must be > 0 (got 0)' },
      { path: ['beta'], message: 'beta must be > 0 (got -2)' },
    ]);
  });

  it('checks choice weights and values', () => {
    expect(check({ kind: 'choice', values: [1, 2], weights: [0, 0] })).toEqual([
      { path: ['weights'], message: 'weights must sum to a positive number (got 0)' },
    ]);
    expect(check({ kind: 'choice', values: [1, 2, 3], weights: [1, -1] })).toEqual([
      { path: ['weights'], message: 'values and weights must have the same length (got 3 values and 2 weights)' },
      { path: ['weights', 1], message: 'weight must be >= 0 (got -1)' },
    ]);
    expect(check({ kind: 'choice', values: [NaN], weights: [1] })).toEqual([
      { path: ['values', 0], message: 'value must be a finite number (got NaN)' },
    ]);
    expect(check({ kind: 'choice', values: [], weights: [] })).toEqual([
      { path: ['values'], message: 'values must list at least one number' },
    ]);
  });

  it('prefixes paths and names unknown kinds', () => {
    expect(validateDistribution({ kind: 'choice', values: [1], weights: [-2] }, ['uncertain', 'gdp'])).toEqual([
      { path: ['uncertain', 'gdp', 'weights', 0], message: 'weight must be >= 0 (got -2)' },
    ]);
    expect(check({ kind: 'gamma' })).toEqual([
      {
        path: ['kind'],
        message:
          'unknown distribution kind "gamma"; expected one of normal, truncnormal, lognormal, uniform, triangular, beta, choice, empirical',
      },
    ]);
  });
});
