/**
 * One-at-a-time (tornado) design: a base point, then each factor moved alone to its low and its high
 * value with every other factor at base.
 *
 * Row-count contract: rows = 1 + 2D.
 * Row order: row 0 = base; row 1 + 2i = factor i at low; row 2 + 2i = factor i at high.
 * Values are factor values as the model receives them; `problem.toValue` is not applied.
 */
import { createMatrix, DesignError, type Matrix } from './matrix.js';
import { checkOutputs, checkSameFactors, factorCount, type Outputs, type Problem, type RowCount } from './problem.js';
import { rankDescending } from './stats.js';

export interface OatSampleOptions {
  readonly base: readonly number[];
  readonly low: readonly number[];
  readonly high: readonly number[];
}

export interface OatDesign {
  readonly method: 'oat';
  readonly names: readonly string[];
  readonly base: readonly number[];
  readonly low: readonly number[];
  readonly high: readonly number[];
  readonly rows: number;
  /** The row-count contract in words, e.g. `1+2D with D=3`. */
  readonly contract: string;
  /** Factor values, (1 + 2D) × D. */
  readonly X: Matrix;
}

export interface OatResult {
  readonly names: readonly string[];
  /** Output at the base point. */
  readonly baseOutput: number;
  /** Per factor (problem order): output with the factor at its low value. */
  readonly low: number[];
  /** Per factor: output with the factor at its high value. */
  readonly high: number[];
  /** low − baseOutput and high − baseOutput: the two bars of a tornado chart. */
  readonly lowDelta: number[];
  readonly highDelta: number[];
  /** |high − low|. */
  readonly swing: number[];
  /** Factor indices by swing, largest first; ties by name. */
  readonly ranking: number[];
}

/** Rows of a one-at-a-time design over D factors. */
export function rowCount(D: number): RowCount {
  return { rows: 1 + 2 * D, contract: `1+2D with D=${D}` };
}

function oatContract(D: number): string {
  return rowCount(D).contract;
}

function checkVector(param: string, v: unknown, D: number): number[] {
  if (!Array.isArray(v)) throw new DesignError(param, `must be an array of ${D} numbers (one per factor)`);
  if (v.length !== D) throw new DesignError(param, `expected ${D} values (one per factor), got ${v.length}`);
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new DesignError(param, `value ${i} is not a finite number (${String(x)})`);
  });
  return [...(v as number[])];
}

export function sample(problem: Problem, options: OatSampleOptions): OatDesign {
  const D = factorCount(problem);
  const base = checkVector('base', options.base, D);
  const low = checkVector('low', options.low, D);
  const high = checkVector('high', options.high, D);
  const rows = 1 + 2 * D;
  const X = createMatrix(rows, D);
  for (let r = 0; r < rows; r++) X.data.set(base, r * D);
  for (let i = 0; i < D; i++) {
    X.data[(1 + 2 * i) * D + i] = low[i]!;
    X.data[(2 + 2 * i) * D + i] = high[i]!;
  }
  return { method: 'oat', names: [...problem.names], base, low, high, rows, contract: oatContract(D), X };
}

export function analyze(problem: Problem, design: Pick<OatDesign, 'names'>, Y: Outputs): OatResult {
  const D = factorCount(problem);
  checkSameFactors(problem, design.names);
  const y = checkOutputs(Y, 1 + 2 * D, oatContract(D));
  const baseOutput = y[0]!;
  const low: number[] = [];
  const high: number[] = [];
  for (let i = 0; i < D; i++) {
    low.push(y[1 + 2 * i]!);
    high.push(y[2 + 2 * i]!);
  }
  const swing = low.map((l, i) => Math.abs(high[i]! - l));
  return {
    names: [...problem.names],
    baseOutput,
    low,
    high,
    lowDelta: low.map((v) => v - baseOutput),
    highDelta: high.map((v) => v - baseOutput),
    swing,
    ranking: rankDescending(swing, problem.names),
  };
}
