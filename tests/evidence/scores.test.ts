import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  binomialInterval,
  coverageTest,
  crpsNormal,
  crpsSorted,
  equalWeightQuantiles,
  pitHistogram,
  pitSorted,
  quantileSorted,
  sorted,
  weightedQuantiles,
} from '../../src/evidence/scores.js';
import { normalCdfStd, normalQuantileStd } from '../../src/montecarlo/distributions.js';

/** n evenly spaced quantiles of N(mean, sd²): an ensemble whose empirical distribution is the normal's. */
function normalGrid(n: number, mean = 0, sd = 1): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => mean + sd * normalQuantileStd((i + 0.5) / n));
}

function normals(n: number, seed: string): number[] {
  const rng = seedrandom.tychei(seed);
  return Array.from({ length: n }, () => normalQuantileStd((Math.floor(rng.double() * 2 ** 32) + 0.5) / 2 ** 32));
}

describe('CRPS', () => {
  it('of a normal ensemble matches the closed form (Gneiting et al. 2005)', () => {
    // Closed form at y = mean: sd·(2φ(0) − 1/√π) = sd·0.233695...
    expect(crpsNormal(3, 2, 3)).toBeCloseTo(2 * (2 / Math.sqrt(2 * Math.PI) - 1 / Math.sqrt(Math.PI)), 12);
    const xs = normalGrid(40_000, 3, 2);
    for (const y of [3, 1.5, 6, -4]) {
      // The grid's CRPS differs from the continuous one by O(sd/n·log n): well under 1e-3·sd here.
      expect(Math.abs(crpsSorted(xs, y) - crpsNormal(3, 2, y))).toBeLessThan(2e-3);
    }
  });

  it('is E|X − y| − ½E|X − X′| computed pair by pair', () => {
    const sample = [0.3, -1.2, 2.5, 0.3, 4.1, -0.7, 1.9];
    const y = 0.8;
    const n = sample.length;
    let a = 0;
    let b = 0;
    for (const x of sample) a += Math.abs(x - y) / n;
    for (const x of sample) for (const z of sample) b += Math.abs(x - z) / (n * n);
    expect(crpsSorted(sorted(sample), y)).toBeCloseTo(a - 0.5 * b, 12);
  });

  it('of a point forecast is the absolute error', () => {
    expect(crpsSorted(sorted([5, 5, 5]), 7.5)).toBeCloseTo(2.5, 12);
  });
});

describe('PIT', () => {
  it('under the forecast distribution equals its CDF', () => {
    const xs = normalGrid(10_000);
    for (const y of [-2, -0.5, 0, 1.3]) expect(pitSorted(xs, y)).toBeCloseTo(normalCdfStd(y), 3);
  });

  it('of observations drawn from the forecast distribution is uniform (chi-square, 10 bins)', () => {
    const xs = sorted(normals(2000, 'ensemble'));
    const pits = normals(5000, 'truth').map((y) => pitSorted(xs, y));
    const counts = pitHistogram(pits, 10);
    const expected = pits.length / 10;
    const chi2 = counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
    // 99.9% point of chi-square with 9 degrees of freedom: 27.88. The ensemble of 2000 adds a little spread.
    expect(chi2).toBeLessThan(27.88);
  });

  it('splits ties evenly', () => {
    expect(pitSorted(sorted([1, 2, 2, 3]), 2)).toBe(0.5);
    expect(pitSorted(sorted([1, 2, 3]), 0)).toBe(0);
    expect(pitSorted(sorted([1, 2, 3]), 4)).toBe(1);
  });
});

describe('coverage statistics', () => {
  it('Clopper–Pearson intervals match published values', () => {
    // Values as given by R's binom.test (exact 95% intervals).
    const [lo, hi] = binomialInterval(5, 10);
    expect(lo).toBeCloseTo(0.187086, 5);
    expect(hi).toBeCloseTo(0.812914, 5);
    expect(binomialInterval(0, 10)[1]).toBeCloseTo(0.308497, 5);
    expect(binomialInterval(10, 10)[0]).toBeCloseTo(0.691503, 5);
    expect(binomialInterval(0, 0)).toEqual([0, 1]);
  });

  it('binomial CDF sums the probabilities', () => {
    expect(binomialCdf(1, 3, 0.5)).toBeCloseTo(0.5, 12);
    expect(binomialCdf(8, 10, 0.9)).toBeCloseTo(1 - 10 * 0.9 ** 9 * 0.1 - 0.9 ** 10, 12);
  });

  it('flags a coverage rate far from nominal, and not one near it', () => {
    expect(coverageTest(90, 100, 0.9)).toBe('ok');
    expect(coverageTest(70, 100, 0.9)).toBe('low');
    expect(coverageTest(100, 100, 0.5)).toBe('high');
    expect(coverageTest(2, 3, 0.9)).toBe('ok'); // three observations cannot tell
  });
});

describe('quantiles', () => {
  it('type 7 on a sorted sample', () => {
    const xs = sorted([4, 1, 3, 2]);
    expect(quantileSorted(xs, 0)).toBe(1);
    expect(quantileSorted(xs, 0.5)).toBe(2.5);
    expect(quantileSorted(xs, 1)).toBe(4);
  });

  it('weighted quantiles follow the weights; equal weights give the order statistic', () => {
    const v = Float64Array.from([10, 20, 30, 40]);
    expect(weightedQuantiles(v, [0.1, 0.1, 0.7, 0.1], [0.05, 0.5, 0.95])).toEqual([10, 30, 40]);
    expect(weightedQuantiles(v, [0, 0, 1, 0], [0.05, 0.95])).toEqual([30, 30]);
    expect(equalWeightQuantiles(v, [0.25, 0.5, 1])).toEqual([10, 20, 40]);
  });
});
