import type { PathKey } from '../util/yaml-source.js';
import { normalCdfStd, normalQuantileStd, type Problem } from './distributions.js';

/**
 * Gaussian copula: correlate any marginals by correlating standard normals, mapping them to uniforms
 * with Φ and feeding those to each marginal's inverse CDF.
 *
 * 'gaussian': the matrix is the Pearson correlation of the normal scores, used as is.
 * 'rank': the matrix is Spearman's ρ of the variables themselves. Spearman's ρ is invariant under the
 * monotone marginal transforms, and for a Gaussian copula ρ = (6/π)·asin(r/2), so the copula gets
 * r = 2·sin(π·ρ/6).
 */
export type CorrelationKind = 'gaussian' | 'rank';

export type Matrix = readonly (readonly number[])[];

/** Smallest eigenvalue allowed: a matrix with perfect correlations is singular, and Jacobi leaves ~1e-16 of noise. */
const EIGEN_TOLERANCE = 1e-10;
/** Cholesky pivots below this are taken as exact zeros (a perfectly correlated variable). */
const PIVOT_TOLERANCE = 1e-10;
/** User matrices are typed by hand, so symmetric means equal after parsing; this only forgives noise from generated matrices. */
const SYMMETRY_TOLERANCE = 1e-12;

/** Spearman's ρ → Pearson r of the Gaussian copula; exact at 0 and ±1 (sin(π/6) rounds below 0.5). */
export function rankToGaussian(rho: number): number {
  if (rho === 1 || rho === -1 || rho === 0) return rho;
  return 2 * Math.sin((Math.PI * rho) / 6);
}

export function copulaMatrix(matrix: Matrix, kind: CorrelationKind): number[][] {
  return matrix.map((row, i) => row.map((v, j) => (i === j ? 1 : kind === 'rank' ? rankToGaussian(v) : v)));
}

/**
 * Problems with a correlation matrix given for `kind`. Paths are `[i, j]` relative to the matrix,
 * prefixed with `basePath` when given. Positive semi-definiteness is only checked once every entry is
 * valid, and for 'rank' it is checked on the converted matrix that the copula will actually use.
 */
export function validateCorrelation(
  matrix: Matrix,
  kind: CorrelationKind = 'gaussian',
  basePath: readonly PathKey[] = [],
): Problem[] {
  const problems: Problem[] = [];
  const at = (i: number, j?: number): PathKey[] => (j === undefined ? [...basePath, i] : [...basePath, i, j]);
  const k = matrix.length;
  if (k === 0) return [{ path: basePath, message: 'correlation matrix must have at least one row' }];
  let square = true;
  matrix.forEach((row, i) => {
    if (row.length !== k) {
      problems.push({
        path: at(i),
        message: `row ${i} has ${row.length} entries; a matrix for ${k} variables needs ${k} in every row`,
      });
      square = false;
    }
  });
  if (!square) return problems;

  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const v = matrix[i]![j]!;
      if (!Number.isFinite(v))
        problems.push({ path: at(i, j), message: `correlation must be a finite number (got ${v})` });
      else if (i === j) {
        if (v !== 1) problems.push({ path: at(i, j), message: `diagonal entries must be 1 (got ${v})` });
      } else if (v < -1 || v > 1)
        problems.push({ path: at(i, j), message: `correlation must be between -1 and 1 (got ${v})` });
      else if (j < i) {
        const mirror = matrix[j]![i]!;
        // An invalid mirror entry is reported on its own; comparing against it would say the same twice.
        if (mirror >= -1 && mirror <= 1 && Math.abs(v - mirror) > SYMMETRY_TOLERANCE) {
          problems.push({
            path: at(i, j),
            message: `matrix must be symmetric: [${i}][${j}] is ${v} but [${j}][${i}] is ${mirror}`,
          });
        }
      }
    }
  }
  if (problems.length > 0) return problems;

  const eig = symmetricEigenvalues(copulaMatrix(matrix, kind));
  const smallest = eig[0]!;
  if (smallest < -EIGEN_TOLERANCE) {
    const converted = kind === 'rank' ? ' after converting rank correlations with r = 2·sin(π·ρ/6)' : '';
    problems.push({
      path: basePath,
      message: `correlation matrix is not positive semi-definite (smallest eigenvalue ${Number(smallest.toPrecision(2))}${converted}); some correlations contradict each other, weaken the strongest ones`,
    });
  }
  return problems;
}

/** Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations (ascending). */
export function symmetricEigenvalues(matrix: Matrix): Float64Array {
  const k = matrix.length;
  const a = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) a[i * k + j] = matrix[i]![j]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) off += a[i * k + j]! * a[i * k + j]!;
    if (off < 1e-30) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q]!;
        if (apq === 0) continue;
        const app = a[p * k + p]!;
        const aqq = a[q * k + q]!;
        // Rotation angle chosen to zero a[p][q] with the smaller root, for stability (Numerical Recipes §11.1).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p]!;
          const arq = a[r * k + q]!;
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r]!;
          const aqr = a[q * k + r]!;
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
      }
    }
  }
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) out[i] = a[i * k + i]!;
  return out.sort();
}

/**
 * Lower Cholesky factor (row-major k×k) of a positive semi-definite matrix. A pivot that is zero up to
 * rounding means the variable is a combination of earlier ones (e.g. correlation 1); its column is left
 * zero instead of dividing by ~0. Each row is then rescaled to unit length so every correlated normal
 * has variance exactly 1 — the marginals stay exactly what the user asked for.
 */
export function choleskySemidefinite(matrix: Matrix): Float64Array {
  const k = matrix.length;
  const l = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = matrix[j]![j]!;
    for (let m = 0; m < j; m++) d -= l[j * k + m]! * l[j * k + m]!;
    if (d <= PIVOT_TOLERANCE) continue;
    const pivot = Math.sqrt(d);
    l[j * k + j] = pivot;
    for (let i = j + 1; i < k; i++) {
      let s = matrix[i]![j]!;
      for (let m = 0; m < j; m++) s -= l[i * k + m]! * l[j * k + m]!;
      l[i * k + j] = s / pivot;
    }
  }
  for (let i = 0; i < k; i++) {
    let norm = 0;
    for (let j = 0; j <= i; j++) norm += l[i * k + j]! * l[i * k + j]!;
    const scale = 1 / Math.sqrt(norm);
    for (let j = 0; j <= i; j++) l[i * k + j]! *= scale;
  }
  return l;
}

export interface Copula {
  /** Number of correlated variables k. */
  readonly size: number;
  /** Lower Cholesky factor of the copula matrix, row-major k×k. */
  readonly factor: Float64Array;
  /** k independent standard normals in, k correlated uniforms in (0,1) out. No allocation. */
  correlate(zIn: Float64Array, uOut: Float64Array): void;
}

/** Largest double below 1: Φ(x) rounds to exactly 1 for x > ~8.3, and F⁻¹(1) is infinite for most marginals. */
const U_MAX = 1 - 2 ** -53;

/**
 * Build the copula for a matrix that passed validateCorrelation with the same kind. The Monte Carlo
 * sampler takes only its factor: params.wat computes correlate()'s numbers there, four runs at a time,
 * and correlate() is the definition the tests hold it to.
 */
export function makeCopula(matrix: Matrix, kind: CorrelationKind): Copula {
  const k = matrix.length;
  const l = choleskySemidefinite(copulaMatrix(matrix, kind));
  return {
    size: k,
    factor: l,
    correlate(zIn: Float64Array, uOut: Float64Array): void {
      for (let i = 0; i < k; i++) {
        let x = 0;
        const row = i * k;
        for (let j = 0; j <= i; j++) x += l[row + j]! * zIn[j]!;
        const u = normalCdfStd(x);
        uOut[i] = u > U_MAX ? U_MAX : u > 0 ? u : Number.MIN_VALUE;
      }
    },
  };
}

/** Fill out[0..count) with independent standard normals from a uniform stream, by inversion. */
export function fillStandardNormals(next: () => number, out: Float64Array, count: number = out.length): void {
  for (let i = 0; i < count; i++) out[i] = normalQuantileStd(next());
}
