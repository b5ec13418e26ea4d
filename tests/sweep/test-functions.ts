/**
 * Benchmark functions for the sensitivity designs, with their analytic indices computed from the
 * published formulas (not pasted numbers).
 */
import { expect } from 'vitest';
import type { Matrix, SobolResult } from '../../src/sweep/design/index.js';

// ---------------------------------------------------------------------------------------------
// Ishigami & Homma (1990): f = sin x1 + a sin² x2 + b x3⁴ sin x1, x_i ~ U(−π, π).
// Variance decomposition (e.g. Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, §4.9;
// Sobol' & Levitan 1999):
//   V   = a²/8 + b π⁴/5 + b² π⁸/18 + 1/2
//   V1  = (1 + b π⁴/5)² / 2,   V2 = a²/8,   V3 = 0
//   V13 = b² π⁸ (1/18 − 1/50) = 8 b² π⁸ / 225,   V12 = V23 = V123 = 0
//   S_i = V_i / V,   ST1 = (V1 + V13)/V,   ST2 = V2/V,   ST3 = V13/V
// ---------------------------------------------------------------------------------------------
export const ISHIGAMI_A = 7;
export const ISHIGAMI_B = 0.1;

export const ishigamiProblem = {
  names: ['x1', 'x2', 'x3'],
  toValue: (_i: number, u: number): number => -Math.PI + 2 * Math.PI * u,
};

export function ishigami(x: ArrayLike<number>): number {
  const x1 = x[0]!;
  const x2 = x[1]!;
  const x3 = x[2]!;
  return Math.sin(x1) + ISHIGAMI_A * Math.sin(x2) ** 2 + ISHIGAMI_B * x3 ** 4 * Math.sin(x1);
}

export function ishigamiAnalytic(a = ISHIGAMI_A, b = ISHIGAMI_B): { S1: number[]; ST: number[]; S13: number } {
  const pi = Math.PI;
  const V = (a * a) / 8 + (b * pi ** 4) / 5 + (b * b * pi ** 8) / 18 + 0.5;
  const V1 = 0.5 * (1 + (b * pi ** 4) / 5) ** 2;
  const V2 = (a * a) / 8;
  const V3 = 0;
  const V13 = b * b * pi ** 8 * (1 / 18 - 1 / 50);
  return {
    S1: [V1 / V, V2 / V, V3 / V],
    ST: [(V1 + V13) / V, V2 / V, V13 / V],
    S13: V13 / V,
  };
}

// ---------------------------------------------------------------------------------------------
// Sobol' G-function: f = Π (|4x_i − 2| + a_i)/(1 + a_i), x_i ~ U(0,1).
//   V_i = (1/3)/(1 + a_i)²,  V = Π(1 + V_i) − 1,  S_i = V_i/V,  ST_i = V_i Π_{j≠i}(1 + V_j) / V
// ---------------------------------------------------------------------------------------------
export const G_A = [0, 1, 4.5, 9, 99, 99, 99, 99];

export const gProblem = { names: G_A.map((_, i) => `x${i + 1}`) };

export function gFunction(x: ArrayLike<number>): number {
  let p = 1;
  for (let i = 0; i < G_A.length; i++) p *= (Math.abs(4 * x[i]! - 2) + G_A[i]!) / (1 + G_A[i]!);
  return p;
}

export function gAnalytic(a: readonly number[] = G_A): { S1: number[]; ST: number[] } {
  const Vi = a.map((ai) => 1 / 3 / (1 + ai) ** 2);
  const V = Vi.reduce((p, v) => p * (1 + v), 1) - 1;
  return {
    S1: Vi.map((v) => v / V),
    ST: Vi.map((v, i) => (v * Vi.reduce((p, w, j) => (j === i ? p : p * (1 + w)), 1)) / V),
  };
}

/** Evaluates f on every row of X. */
export function evaluate(X: Matrix, f: (x: Float64Array) => number): Float64Array {
  const Y = new Float64Array(X.rows);
  for (let r = 0; r < X.rows; r++) Y[r] = f(X.data.subarray(r * X.cols, (r + 1) * X.cols));
  return Y;
}

/** S1 and ST of every factor within `tol` of the analytic values. */
export function expectNearAnalytic(s: SobolResult, analytic: { S1: number[]; ST: number[] }, tol: number): void {
  for (let i = 0; i < analytic.S1.length; i++) {
    expect(Math.abs(s.S1[i]! - analytic.S1[i]!), `S1 x${i + 1}`).toBeLessThanOrEqual(tol);
    expect(Math.abs(s.ST[i]! - analytic.ST[i]!), `ST x${i + 1}`).toBeLessThanOrEqual(tol);
  }
}

/** The bootstrap percentile intervals of S1 and ST contain the analytic values, for every factor. */
export function expectIntervalsContain(s: SobolResult, analytic: { S1: number[]; ST: number[] }): void {
  for (let i = 0; i < analytic.S1.length; i++) {
    expect(s.S1Low[i]! <= analytic.S1[i]! && analytic.S1[i]! <= s.S1High[i]!, `S1 x${i + 1}`).toBe(true);
    expect(s.STLow[i]! <= analytic.ST[i]! && analytic.ST[i]! <= s.STHigh[i]!, `ST x${i + 1}`).toBe(true);
  }
}
