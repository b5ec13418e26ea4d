import { describe, expect, it } from 'vitest';
import { DesignError, matrixToRows, sobol } from '../../src/sweep/design/index.js';
import { toValues } from '../../src/sweep/design/problem.js';
import {
  evaluate,
  expectIntervalsContain,
  gAnalytic,
  gFunction,
  gProblem,
  ishigami,
  ishigamiAnalytic,
  ishigamiProblem,
} from './test-functions.js';

describe('sobol.sample (Saltelli design)', () => {
  it("matches the unscrambled Sobol' points SALib uses, in SALib's row-group layout", () => {
    // Reference: scipy.stats.qmc.Sobol(d=4, scramble=False); fast_forward(16); random(2) — the base
    // sequence of SALib's saltelli.sample for D=2, N=2 (default skip max(2^⌈log2 N⌉, 16) = 16):
    //   [0.09375, 0.46875, 0.46875, 0.65625], [0.59375, 0.96875, 0.96875, 0.15625]
    const d = sobol.sample({ names: ['p', 'q'] }, { samples: 2 });
    expect(d.skip).toBe(16);
    expect(d.rows).toBe(2 * (2 * 2 + 2));
    expect(d.groupSize).toBe(6);
    expect(d.contract).toBe('N·(2D+2) with N=2, D=2');
    const A = [0.09375, 0.46875];
    const B = [0.46875, 0.65625];
    expect(matrixToRows(d.unit).slice(0, 6)).toEqual([
      A, // A
      [B[0], A[1]], // AB^(1)
      [A[0], B[1]], // AB^(2)
      [A[0], B[1]], // BA^(1)
      [B[0], A[1]], // BA^(2)
      B, // B
    ]);
    expect(matrixToRows(d.unit)[6]).toEqual([0.59375, 0.96875]);
    expect(matrixToRows(d.unit)[11]).toEqual([0.96875, 0.15625]);
    expect(d.notes).toEqual([]);
  });

  it('without second order lays out A, AB^(i)..., B: N·(D+2) rows', () => {
    const d = sobol.sample({ names: ['p', 'q', 'r'] }, { samples: 8, secondOrder: false });
    expect(d.rows).toBe(8 * 5);
    expect(d.contract).toBe('N·(D+2) with N=8, D=3');
    const rows = matrixToRows(d.unit);
    const [A, AB1, AB2, AB3, B] = rows.slice(0, 5) as [number[], number[], number[], number[], number[]];
    expect(AB1).toEqual([B[0], A[1], A[2]]);
    expect(AB2).toEqual([A[0], B[1], A[2]]);
    expect(AB3).toEqual([A[0], A[1], B[2]]);
  });

  it('applies toValue to make X and keeps the unit design', () => {
    const d = sobol.sample(ishigamiProblem, { samples: 4 });
    for (let k = 0; k < d.unit.data.length; k++) {
      expect(d.X.data[k]).toBeCloseTo(-Math.PI + 2 * Math.PI * d.unit.data[k]!, 14);
    }
  });

  it('maps the base points once: X equals toValues(problem, unit) bit for bit', () => {
    // A different nonlinear map per factor, so a coordinate mapped with another factor's map shows.
    const problem = {
      names: ['a', 'b', 'c', 'd'],
      toValue: (i: number, u: number): number => Math.exp((i + 1) * u) - i * Math.sqrt(u),
    };
    for (const secondOrder of [false, true]) {
      const d = sobol.sample(problem, { samples: 32, secondOrder });
      const want = toValues(problem, d.unit);
      expect(d.X.rows).toBe(want.rows);
      expect(d.X.cols).toBe(want.cols);
      expect(d.X.data.every((x, k) => Object.is(x, want.data[k]))).toBe(true);
    }
    // Without toValue, X is a copy of the unit design.
    const plain = sobol.sample({ names: ['p', 'q'] }, { samples: 8 });
    expect(plain.X.data).toEqual(plain.unit.data);
    expect(plain.X.data).not.toBe(plain.unit.data);
  });

  it('names the first row whose factor value is not finite, as toValues does', () => {
    // skip 0 keeps the origin: u = 0 in the first rows of group 0.
    const bad = { names: ['x', 'y'], toValue: (i: number, u: number): number => (i === 1 && u === 0 ? -Infinity : u) };
    expect(() => sobol.sample(bad, { samples: 4, skip: 0 })).toThrow(
      'toValue: factor "y" mapped u=0 to -Infinity (row 0); the mapping must give a finite number',
    );
  });

  it('notes (non-fatal) when N is not a power of 2, and skips the next power of 2', () => {
    const d = sobol.sample(ishigamiProblem, { samples: 100 });
    expect(d.skip).toBe(128);
    expect(d.rows).toBe(800);
    expect(d.notes).toEqual([
      "samples: N=100 is not a power of 2; the Sobol' sequence's balance (and convergence) properties hold for N = 2^k",
    ]);
    expect(sobol.sample(ishigamiProblem, { samples: 1 }).skip).toBe(16);
    expect(sobol.sample(ishigamiProblem, { samples: 64, skip: 0 }).notes[0]).toMatch(/^skip: 0 keeps the origin/);
    expect(sobol.sample(ishigamiProblem, { samples: 64, skip: 16 }).notes).toEqual([
      'skip: N=64 is larger than skip=16; convergence may not hold when N exceeds the skipped block',
    ]);
  });

  it('refuses to run past the points the sobol package generates exactly', () => {
    expect(() => sobol.sample(ishigamiProblem, { samples: 2 ** 19, skip: 2 ** 19 + 1 })).toThrow(
      "samples: skip + N = 524289 + 524288 = 1048577 exceeds 1048576 (2^20), the number of points the 'sobol' package generates exactly",
    );
  });
});

describe('sobol.analyze on Ishigami (a=7, b=0.1), N=8192', () => {
  // Saltelli design with N = 2^13 and second order: 8192·8 = 65,536 runs. Measured errors against the
  // analytic values: S1 ≤ 0.0021, ST ≤ 0.0004, S2_13 0.0019 (the design is deterministic, so these
  // are fixed numbers, not draws). The tolerance 0.01 is ~5× the worst measured error and half the
  // bootstrap 95% half-width at this N (S1Conf ≈ 0.02), i.e. tighter than the method's own stated
  // uncertainty; at N=1024 the S1 error is 0.012–0.016 and would not pass.
  const N = 8192;
  const exact = ishigamiAnalytic();
  const design = sobol.sample(ishigamiProblem, { samples: N });
  const Y = evaluate(design.X, ishigami);
  const result = sobol.analyze(ishigamiProblem, design, Y, { resamples: 500, seed: 1 });

  it('analytic values come out as published (S1 ≈ [0.3139, 0.4424, 0], ST ≈ [0.5576, 0.4424, 0.2437])', () => {
    expect(exact.S1.map((v) => +v.toFixed(4))).toEqual([0.3139, 0.4424, 0]);
    expect(exact.ST.map((v) => +v.toFixed(4))).toEqual([0.5576, 0.4424, 0.2437]);
  });

  it('estimates S1 and ST within 0.01 of the analytic values', () => {
    expect(result.S1).toHaveLength(3);
    result.S1.forEach((s, i) => expect(Math.abs(s - exact.S1[i]!)).toBeLessThan(0.01));
    result.ST.forEach((s, i) => expect(Math.abs(s - exact.ST[i]!)).toBeLessThan(0.01));
  });

  it('estimates S2: S13 = V13/V, S12 = S23 = 0', () => {
    const S2 = result.S2!;
    expect(Math.abs(S2[0]![2]! - exact.S13)).toBeLessThan(0.01);
    expect(Math.abs(S2[0]![1]!)).toBeLessThan(0.01);
    expect(Math.abs(S2[1]![2]!)).toBeLessThan(0.01);
    expect(S2[1]![0]).toBeNaN(); // lower triangle and diagonal left NaN, as SALib
    expect(S2[0]![0]).toBeNaN();
  });

  it('bootstrap percentile intervals contain the analytic values and bracket the estimates', () => {
    expectIntervalsContain(result, exact);
    for (let i = 0; i < 3; i++) {
      expect(result.S1Low[i]!).toBeLessThan(result.S1[i]!);
      expect(result.S1High[i]!).toBeGreaterThan(result.S1[i]!);
      // SALib-style half-width: also covers the analytic value here.
      expect(Math.abs(result.S1[i]! - exact.S1[i]!)).toBeLessThan(result.S1Conf[i]!);
      expect(result.S1Conf[i]!).toBeGreaterThan(0);
      expect(result.S1Conf[i]!).toBeLessThan(0.05);
    }
    expect(result.S2Low![0]![2]!).toBeLessThanOrEqual(exact.S13);
    expect(result.S2High![0]![2]!).toBeGreaterThanOrEqual(exact.S13);
  });

  it('ranks by ST: x1, x2, x3', () => {
    expect(result.ranking).toEqual([0, 1, 2]);
  });

  it('is deterministic: same bootstrap seed → identical, other seed → different intervals, same estimates', () => {
    const again = sobol.analyze(ishigamiProblem, design, Y, { resamples: 500, seed: 1 });
    expect(again).toEqual(result);
    const other = sobol.analyze(ishigamiProblem, design, Y, { resamples: 500, seed: 2 });
    expect(other.S1).toEqual(result.S1);
    expect(other.S1Low).not.toEqual(result.S1Low);
    const d2 = sobol.sample(ishigamiProblem, { samples: N });
    expect(d2.unit.data).toEqual(design.unit.data);
  });
});

describe('sobol.analyze on the G-function (a = [0, 1, 4.5, 9, 99, 99, 99, 99]), N=4096', () => {
  // N = 2^12 without second order: 4096·10 = 40,960 runs. Measured errors: S1 ≤ 0.0011, ST ≤ 0.0015.
  // Tolerance 0.005 (~3× that); the bootstrap half-width for S1 of x1 is ≈ 0.03 at this N.
  const exact = gAnalytic();
  const design = sobol.sample(gProblem, { samples: 4096, secondOrder: false });
  const Y = evaluate(design.X, gFunction);
  const result = sobol.analyze(gProblem, design, Y, { resamples: 500, seed: 3 });

  it('estimates S1 and ST within 0.005 of the analytic values', () => {
    expect(result.S2).toBeUndefined();
    result.S1.forEach((s, i) => expect(Math.abs(s - exact.S1[i]!)).toBeLessThan(0.005));
    result.ST.forEach((s, i) => expect(Math.abs(s - exact.ST[i]!)).toBeLessThan(0.005));
  });

  it('bootstrap percentile intervals contain the analytic S1 and ST of every factor', () => {
    expectIntervalsContain(result, exact);
  });

  it('ranks the important factors in order of a_i', () => {
    expect(result.ranking.slice(0, 4)).toEqual([0, 1, 2, 3]);
  });

  it('gives the same S1/ST from a second-order design (same A, B, AB blocks)', () => {
    // ST is exactly the same. S1 differs in the 9th digit: Y is centred on the mean of all rows (as
    // SALib does), the BA rows shift that mean, and the S1 estimator mean(f_B·(f_AB − f_A)) is not
    // shift-invariant in a finite sample (it moves by c·mean(f_AB − f_A)).

    const d2 = sobol.sample(gProblem, { samples: 512, secondOrder: true });
    const d1 = sobol.sample(gProblem, { samples: 512, secondOrder: false });
    const r2 = sobol.analyze(gProblem, d2, evaluate(d2.X, gFunction), { resamples: 10 });
    const r1 = sobol.analyze(gProblem, d1, evaluate(d1.X, gFunction), { resamples: 10 });
    r1.S1.forEach((s, i) => expect(s).toBeCloseTo(r2.S1[i]!, 6));
    r1.ST.forEach((s, i) => expect(s).toBeCloseTo(r2.ST[i]!, 12));
  });
});

describe('sobol.analyze edge cases', () => {
  it('a constant output gives zero indices and a note', () => {
    const d = sobol.sample(ishigamiProblem, { samples: 16, secondOrder: false });
    const r = sobol.analyze(ishigamiProblem, d, new Float64Array(d.rows).fill(3), { resamples: 10 });
    expect(r.S1).toEqual([0, 0, 0]);
    expect(r.ST).toEqual([0, 0, 0]);
    expect(r.notes).toEqual(['outputs: every value is the same; all indices are 0']);
  });

  it('accepts a plain { samples, secondOrder } description of the design', () => {
    const d = sobol.sample(ishigamiProblem, { samples: 32 });
    const Y = evaluate(d.X, ishigami);
    const full = sobol.analyze(ishigamiProblem, d, Y, { resamples: 20 });
    const plain = sobol.analyze(ishigamiProblem, { samples: 32, secondOrder: true }, Array.from(Y), { resamples: 20 });
    expect(plain).toEqual(full);
  });

  it('throws DesignError when the design was made for other factors', () => {
    const d = sobol.sample(ishigamiProblem, { samples: 4 });
    expect(() => sobol.analyze({ names: ['a', 'b', 'c'] }, d, evaluate(d.X, ishigami))).toThrow(DesignError);
  });
});
