/**
 * Typed wrapper around the CommonJS `sobol` package (1.1.4, no type declarations).
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
  nextVector(): number[];
}
interface SobolPackage {
  SobolSequenceGenerator: new (dimension: number) => SobolGenerator;
}

const require = createRequire(import.meta.url);
const { SobolSequenceGenerator } = require('sobol') as SobolPackage;

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
  const gen = new SobolSequenceGenerator(dimension);
  for (let i = 0; i < skip; i++) gen.nextVector();
  const out = new Float64Array(count * dimension);
  for (let n = 0; n < count; n++) {
    const v = gen.nextVector();
    for (let j = 0; j < dimension; j++) {
      const x = v[j];
      if (x === undefined || !(x >= 0 && x < 1)) {
        throw new Error(`sobol package returned ${String(x)} for point ${skip + n}, dimension ${j}`);
      }
      out[n * dimension + j] = x;
    }
  }
  return out;
}
