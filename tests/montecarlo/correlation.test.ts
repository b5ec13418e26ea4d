import { describe, expect, it } from 'vitest';
import {
  type CorrelationKind,
  choleskySemidefinite,
  fillStandardNormals,
  type Matrix,
  makeCopula,
  rankToGaussian,
  symmetricEigenvalues,
  validateCorrelation,
} from '../../src/montecarlo/correlation.js';
import { compileQuantile, type Distribution, normalQuantileStd } from '../../src/montecarlo/distributions.js';
import { runStream } from '../../src/montecarlo/rng.js';

/** n draws of k correlated uniforms, one run stream per draw as in a real simulation. */
function sampleUniforms(matrix: Matrix, kind: CorrelationKind, n: number): Float64Array[] {
  const k = matrix.length;
  const copula = makeCopula(matrix, kind);
  const z = new Float64Array(k);
  const u = new Float64Array(k);
  const out = Array.from({ length: k }, () => new Float64Array(n));
  for (let r = 0; r < n; r++) {
    fillStandardNormals(runStream(99, r), z);
    copula.correlate(z, u);
    for (let i = 0; i < k; i++) out[i]![r] = u[i]!;
  }
  return out;
}

function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function ranks(x: Float64Array): Float64Array {
  const order = Array.from(x.keys()).sort((a, b) => x[a]! - x[b]!);
  const r = new Float64Array(x.length);
  order.forEach((idx, rank) => (r[idx] = rank));
  return r;
}

const spearman = (x: Float64Array, y: Float64Array) => pearson(ranks(x), ranks(y));

describe('validateCorrelation', () => {
  it('accepts valid matrices, including singular ones with perfect correlation', () => {
    expect(validateCorrelation([[1]])).toEqual([]);
    expect(
      validateCorrelation([
        [1, 0.3],
        [0.3, 1],
      ]),
    ).toEqual([]);
    expect(
      validateCorrelation([
        [1, 1],
        [1, 1],
      ]),
    ).toEqual([]);
    expect(
      validateCorrelation(
        [
          [1, -1],
          [-1, 1],
        ],
        'rank',
      ),
    ).toEqual([]);
    expect(
      validateCorrelation([
        [1, 1, 0.5],
        [1, 1, 0.5],
        [0.5, 0.5, 1],
      ]),
    ).toEqual([]);
  });

  it('rejects a matrix that is not positive semi-definite, naming its smallest eigenvalue', () => {
    // a~b 0.9, b~c 0.9 but a~c −0.9: eigenvalues −0.8, 1.9, 1.9.
    expect(
      validateCorrelation(
        [
          [1, 0.9, -0.9],
          [0.9, 1, 0.9],
          [-0.9, 0.9, 1],
        ],
        'gaussian',
        ['correlation', 'matrix'],
      ),
    ).toEqual([
      {
        path: ['correlation', 'matrix'],
        message:
          'correlation matrix is not positive semi-definite (smallest eigenvalue -0.8); some correlations contradict each other, weaken the strongest ones',
      },
    ]);
  });

  it('checks rank correlations after conversion to the copula', () => {
    // Equicorrelation −0.5 for three variables is exactly singular (1 + 2ρ = 0); converted,
    // r = 2·sin(−π/12) = −0.5176 and 1 + 2r = −0.035.
    const m = [
      [1, -0.5, -0.5],
      [-0.5, 1, -0.5],
      [-0.5, -0.5, 1],
    ];
    expect(validateCorrelation(m, 'gaussian')).toEqual([]);
    expect(validateCorrelation(m, 'rank')).toEqual([
      {
        path: [],
        message:
          'correlation matrix is not positive semi-definite (smallest eigenvalue -0.035 after converting rank correlations with r = 2·sin(π·ρ/6)); some correlations contradict each other, weaken the strongest ones',
      },
    ]);
  });

  it('reports shape and entry problems by position', () => {
    expect(validateCorrelation([[1, 0.2], [0.2]])).toEqual([
      { path: [1], message: 'row 1 has 1 entries; a matrix for 2 variables needs 2 in every row' },
    ]);
    expect(
      validateCorrelation(
        [
          [0.9, 1.2],
          [0.5, 1],
        ],
        'gaussian',
        ['m'],
      ),
    ).toEqual([
      { path: ['m', 0, 0], message: 'diagonal entries must be 1 (got 0.9)' },
      { path: ['m', 0, 1], message: 'correlation must be between -1 and 1 (got 1.2)' },
    ]);
    expect(
      validateCorrelation([
        [1, 0.4],
        [0.3, 1],
      ]),
    ).toEqual([{ path: [1, 0], message: 'matrix must be symmetric: [1][0] is 0.3 but [0][1] is 0.4' }]);
    expect(validateCorrelation([])).toEqual([{ path: [], message: 'correlation matrix must have at least one row' }]);
  });
});

describe('linear algebra', () => {
  it('finds eigenvalues of a known matrix', () => {
    // Equicorrelation ρ for k variables: 1 + (k−1)ρ once and 1 − ρ (k−1 times).
    const e = symmetricEigenvalues([
      [1, 0.3, 0.3, 0.3],
      [0.3, 1, 0.3, 0.3],
      [0.3, 0.3, 1, 0.3],
      [0.3, 0.3, 0.3, 1],
    ]);
    expect(Array.from(e).map((v) => Number(v.toFixed(12)))).toEqual([0.7, 0.7, 0.7, 1.9]);
  });

  it('factors a semi-definite matrix without dividing by a zero pivot', () => {
    const l = choleskySemidefinite([
      [1, 1, 0.5],
      [1, 1, 0.5],
      [0.5, 0.5, 1],
    ]);
    const s = Math.sqrt(0.75);
    expect(Array.from(l).map((v) => Number(v.toFixed(14)))).toEqual([1, 0, 0, 1, 0, 0, 0.5, 0, Number(s.toFixed(14))]);
  });

  it('converts Spearman to Pearson of the normal scores', () => {
    expect(rankToGaussian(0.5)).toBeCloseTo(2 * Math.sin(Math.PI / 12), 15);
    expect(rankToGaussian(1)).toBe(1);
    expect(rankToGaussian(-1)).toBe(-1);
  });
});

/** The pairs of the three factors of a target. */
const PAIRS = [
  [0, 1],
  [0, 2],
  [1, 2],
] as const;

describe('copula sampling', () => {
  const target = [
    [1, 0.7, -0.3],
    [0.7, 1, 0.2],
    [-0.3, 0.2, 1],
  ];
  const n = 100_000;

  /*
   * Pearson r of n bivariate normal pairs has standard error ≈ (1 − r²)/√n (≤ 0.0032 here); Spearman's
   * ρ under a normal copula has ≈ √(1.06/n)·(1 − ρ²) (Fieller, Hartley & Pearson 1957). 5 SE is under
   * 0.017, the size of the error that skipping the 2·sin(πρ/6) conversion would cause at ρ = 0.7, so
   * these tolerances detect a missing or wrong conversion.
   */
  it('gaussian: Pearson correlation of the normal scores matches the target', () => {
    const u = sampleUniforms(target, 'gaussian', n);
    const scores = u.map((col) => col.map(normalQuantileStd));
    for (const [i, j] of PAIRS) {
      const r = target[i]![j]!;
      expect(Math.abs(pearson(scores[i]!, scores[j]!) - r)).toBeLessThan((5 * (1 - r * r)) / Math.sqrt(n));
    }
    // The marginals stay uniform: mean 1/2, variance 1/12 (SE of the mean 0.0009).
    for (const col of u) expect(Math.abs(col.reduce((a, b) => a + b, 0) / n - 0.5)).toBeLessThan(0.005);
  });

  it('rank: Spearman correlation of non-normal marginals matches the target', () => {
    const u = sampleUniforms(target, 'rank', n);
    const marginals: Distribution[] = [
      { kind: 'lognormal', median: 10, sigma: 1 },
      { kind: 'triangular', min: 0, mode: 1, max: 10 },
      { kind: 'beta', alpha: 0.5, beta: 0.5, min: -1, max: 1 },
    ];
    const xs = u.map((col, i) => col.map(compileQuantile(marginals[i]!)));
    for (const [i, j] of PAIRS) {
      const rho = target[i]![j]!;
      expect(Math.abs(spearman(xs[i]!, xs[j]!) - rho)).toBeLessThan(5 * Math.sqrt(1.06 / n) * (1 - rho * rho));
    }
  });

  it('perfect correlation gives identical (or mirrored) uniforms', () => {
    const [a, b] = sampleUniforms(
      [
        [1, 1],
        [1, 1],
      ],
      'gaussian',
      1000,
    );
    expect(Array.from(b!)).toEqual(Array.from(a!));
    const [c, d] = sampleUniforms(
      [
        [1, -1],
        [-1, 1],
      ],
      'rank',
      1000,
    );
    for (let r = 0; r < 1000; r++) expect(c![r]! + d![r]!).toBeCloseTo(1, 12);
  });

  it('keeps uniforms inside (0,1) even for extreme normal inputs', () => {
    const copula = makeCopula(
      [
        [1, 0.5],
        [0.5, 1],
      ],
      'gaussian',
    );
    const u = new Float64Array(2);
    copula.correlate(Float64Array.of(40, 40), u);
    expect(u[0]! < 1 && u[1]! < 1).toBe(true);
    copula.correlate(Float64Array.of(-40, -40), u);
    expect(u[0]! > 0 && u[1]! > 0).toBe(true);
  });
});
