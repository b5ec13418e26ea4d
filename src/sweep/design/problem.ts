/**
 * The "problem" every design takes (SALib's term): the factor names, and how a unit-hypercube
 * coordinate becomes a factor value.
 *
 * Designs work in [0,1]^D. `toValue(i, u)` maps the unit coordinate `u` of factor `i` (index into
 * `names`) to the value the model receives — a range (`lo + u·(hi − lo)`), an inverse CDF, a lookup
 * of discrete options, ... Default: identity. Grid and OAT designs take explicit factor values instead
 * and do not call it.
 */
import { DesignError, type Matrix } from './matrix.js';

export interface Problem {
  readonly names: readonly string[];
  readonly toValue?: (factorIndex: number, u: number) => number;
}

/** One model output per design row, in row order. */
export type Outputs = Float64Array | readonly number[];

/**
 * A design's row-count contract for given design parameters: how many rows (model evaluations) it
 * has, and the formula as users read it in messages. Each design exports its own `rowCount`, which
 * its sampler, its analysis and the sweep loader's size check all use.
 */
export interface RowCount {
  readonly rows: number;
  readonly contract: string;
}

/** Checks the names and returns D, the number of factors. */
export function factorCount(problem: Problem): number {
  const names = problem.names;
  if (!Array.isArray(names) || names.length === 0) {
    throw new DesignError('names', `must list at least one factor (got ${Array.isArray(names) ? 0 : typeof names})`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string' || name === '')
      throw new DesignError('names', `every factor needs a non-empty name (got ${JSON.stringify(name)})`);
    if (seen.has(name)) throw new DesignError('names', `duplicate factor name "${name}"`);
    seen.add(name);
  }
  return names.length;
}

/**
 * Maps a unit-hypercube design to factor values with `problem.toValue` (a copy when there is none).
 * Every mapped value must be finite: an unbounded inverse CDF at u = 0 or 1 is reported, since Morris
 * and some Saltelli points sit on the faces of the cube.
 */
export function toValues(problem: Problem, unit: Matrix): Matrix {
  const toValue = problem.toValue;
  if (toValue === undefined) return { rows: unit.rows, cols: unit.cols, data: new Float64Array(unit.data) };
  const data = new Float64Array(unit.data.length);
  const { rows, cols } = unit;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const u = unit.data[r * cols + c]!;
      const v = toValue(c, u);
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new DesignError(
          'toValue',
          `factor "${problem.names[c]}" mapped u=${u} to ${String(v)} (row ${r}); the mapping must give a finite number ` +
            'for every u in [0,1] — truncate unbounded distributions, since designs such as Morris use u = 0 and 1',
        );
      }
      data[r * cols + c] = v;
    }
  }
  return { rows, cols, data };
}

/**
 * Checks an output vector against a design's row-count contract and returns it as a Float64Array.
 * `contract` is the design's own statement of the count, e.g. `N·(2D+2) with N=100, D=5`.
 */
export function checkOutputs(Y: Outputs, expected: number, contract: string): Float64Array {
  if (!(Y instanceof Float64Array) && !Array.isArray(Y)) {
    throw new DesignError('outputs', `must be a Float64Array or an array of numbers (got ${typeof Y})`);
  }
  if (Y.length !== expected) {
    throw new DesignError('outputs', `expected ${expected} values (${contract}), got ${Y.length}`);
  }
  const out = Y instanceof Float64Array ? Y : Float64Array.from(Y);
  for (let i = 0; i < out.length; i++) {
    const y = Y[i];
    if (typeof y !== 'number' || !Number.isFinite(y)) {
      throw new DesignError('outputs', `value for row ${i} is ${String(y)}; every output must be a finite number`);
    }
  }
  return out;
}

/** Checks that a design built for some factors is analysed with the same problem. */
export function checkSameFactors(problem: Problem, designNames: readonly string[] | undefined): void {
  if (designNames === undefined) return;
  const names = problem.names;
  if (designNames.length !== names.length || designNames.some((n, i) => n !== names[i])) {
    throw new DesignError(
      'design',
      `was made for factors [${designNames.join(', ')}] but the problem has [${names.join(', ')}]`,
    );
  }
}
