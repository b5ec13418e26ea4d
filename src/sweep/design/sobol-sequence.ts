/**
 * Typed wrapper around the CommonJS `sobol` package (1.1.4, no type declarations): its direction
 * numbers, its recurrence run over a typed array (see sobolPoints).
 *
 * The package generates the unscrambled Sobol' sequence with Joe & Kuo's new-joe-kuo-6.21201
 * direction numbers; its points are identical to scipy.stats.qmc.Sobol(d, scramble=False), the
 * generator SALib's `saltelli.sample` uses (checked for d = 6, 16, 200 over 1000 points after a skip
 * of 16). Point 0 is the origin.
 *
 * Limit: the package does its bit arithmetic with 32-bit shifts, so it is exact for points
 * 0 .. 2^20 − 1 only (coordinates are multiples of 2^-20); point 2^20 onwards is garbage. `sobolPoints`
 * refuses to go past that. The package reads its direction-number file from disk when a generator is
 * made (dims161.txt for d <= 161, else dims21201.txt) — the only I/O in src/sweep/design/.
 */
import { createRequire } from 'node:module';
import { DesignError } from './matrix.js';

interface SobolGenerator {
  /** direction[d][c]: the package's direction integers, dimension d, bit c (1-based). */
  readonly direction: readonly (readonly number[])[];
  nextVector(): number[];
}
interface SobolPackage {
  SobolSequenceGenerator: new (dimension: number) => SobolGenerator;
}

const require = createRequire(import.meta.url);
const { SobolSequenceGenerator } = require('sobol') as SobolPackage;

/** The package's divisor (its SCALE, `2 << 51` in 32-bit shift arithmetic): coordinates are x / 2^20. */
const SCALE = 2 ** 20;

/** Points 0 .. SOBOL_MAX_POINTS − 1 are exact. */
export const SOBOL_MAX_POINTS = 2 ** 20;
export const SOBOL_MAX_DIMENSION = 21201;

/**
 * Points skip .. skip + count − 1 of the d-dimensional sequence, row-major (count × d).
 */
export function sobolPoints(dimension: number, skip: number, count: number): Float64Array {
  if (!Number.isSafeInteger(dimension) || dimension < 1 || dimension > SOBOL_MAX_DIMENSION) {
    throw new DesignError(
      'dimension',
      `the Sobol' generator supports 1..${SOBOL_MAX_DIMENSION} dimensions (got ${dimension})`,
    );
  }
  if (skip + count > SOBOL_MAX_POINTS) {
    throw new DesignError(
      'samples',
      `skip + N = ${skip} + ${count} = ${skip + count} exceeds ${SOBOL_MAX_POINTS} (2^20), the number of points the 'sobol' package generates exactly`,
    );
  }
  // The package's direction numbers, and its recurrence (Antonov–Saleev: point p = point p−1 XOR
  // direction[1 + ctz(p)]) run here into one typed array: nextVector() allocates two arrays per point
  // and cannot jump, so the skipped points cost as much as the kept ones. Point `skip` itself is the
  // XOR of the directions of the bits of its Gray code, the same integer the recurrence reaches.
  const { direction } = new SobolSequenceGenerator(dimension);
  const x = new Int32Array(dimension);
  const gray = skip ^ (skip >>> 1);
  for (let j = 0; 2 ** j <= gray; j++) {
    if ((gray >>> j) & 1) for (let d = 0; d < dimension; d++) x[d]! ^= direction[d]![j + 1]!;
  }
  const out = new Float64Array(count * dimension);
  for (let n = 0; n < count; n++) {
    const p = skip + n;
    if (n > 0) {
      const c = 32 - Math.clz32(p & -p); // 1 + the trailing zero bits of p
      for (let d = 0; d < dimension; d++) x[d]! ^= direction[d]![c]!;
    }
    const row = n * dimension;
    for (let d = 0; d < dimension; d++) {
      const v = x[d]! / SCALE;
      if (!(v >= 0 && v < 1))
        throw new Error(`sobol direction numbers gave ${String(v)} for point ${p}, dimension ${d}`);
      out[row + d] = v;
    }
  }
  return out;
}
