/**
 * Latin hypercube sampling (McKay, Beckman & Conover 1979), as SALib's `latin.sample`.
 *
 * Row-count contract: rows = n (`samples`).
 * Each factor's [0,1) is cut into n equal strata; each stratum holds exactly one row. For each factor
 * independently: draw one uniform position inside every stratum j, u_j = (j + U)/n, then shuffle those
 * n values over the rows (Fisher–Yates). Stream: Alea seeded `${seed}/lhs`, consumed factor by factor
 * (n position draws, then n − 1 shuffle draws).
 *
 * analyze gives the output's summary and, per factor, Pearson and Spearman correlations between the
 * factor's value and the output — a screening measure (monotone association), not a variance share.
 */
import { createMatrix, DesignError, type Matrix } from './matrix.js';
import {
  checkOutputs,
  checkSameFactors,
  factorCount,
  type Outputs,
  type Problem,
  type RowCount,
  toValues,
} from './problem.js';
import { checkPositiveInteger, checkSeed, mean, rankDescending, sampleSd, shuffle, stream } from './stats.js';

export interface LhsSampleOptions {
  /** n, the number of rows (and of strata per factor). */
  readonly samples: number;
  readonly seed: number;
}

export interface LhsDesign {
  readonly method: 'lhs';
  readonly names: readonly string[];
  readonly samples: number;
  readonly seed: number;
  readonly rows: number;
  /** The row-count contract in words, e.g. `n with n=50`. */
  readonly contract: string;
  /** Unit-hypercube coordinates, n × D. */
  readonly unit: Matrix;
  /** Factor values (`problem.toValue` applied), n × D. */
  readonly X: Matrix;
}

export interface LhsResult {
  readonly names: readonly string[];
  readonly mean: number;
  /** Output standard deviation (n − 1). */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  /** Per factor: Pearson correlation of factor value and output (NaN if either is constant). */
  readonly pearson: number[];
  /** Per factor: Spearman rank correlation (average ranks for ties). */
  readonly spearman: number[];
  /** Factor indices by |Spearman|, largest first; ties by name. */
  readonly ranking: number[];
}

/** Rows of a Latin hypercube of n samples. */
export function rowCount(n: number): RowCount {
  return { rows: n, contract: `n with n=${n}` };
}

function lhsContract(n: number): string {
  return rowCount(n).contract;
}

export function sample(problem: Problem, options: LhsSampleOptions): LhsDesign {
  const D = factorCount(problem);
  const n = checkPositiveInteger('samples', options.samples);
  checkSeed(options.seed);
  const rng = stream(options.seed, 'lhs');
  const unit = createMatrix(n, D);
  const column = new Float64Array(n);
  for (let c = 0; c < D; c++) {
    for (let j = 0; j < n; j++) column[j] = (j + rng()) / n;
    shuffle(rng, column);
    for (let r = 0; r < n; r++) unit.data[r * D + c] = column[r]!;
  }
  return {
    method: 'lhs',
    names: [...problem.names],
    samples: n,
    seed: options.seed,
    rows: n,
    contract: lhsContract(n),
    unit,
    X: toValues(problem, unit),
  };
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  const mx = mean(x);
  const my = mean(y);
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
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Ranks 1..n, ties get their average rank. */
function ranks(a: ArrayLike<number>): Float64Array {
  const n = a.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i]! - a[j]!);
  const out = new Float64Array(n);
  let k = 0;
  while (k < n) {
    let m = k;
    while (m + 1 < n && a[order[m + 1]!]! === a[order[k]!]!) m++;
    const r = (k + m) / 2 + 1;
    for (let t = k; t <= m; t++) out[order[t]!] = r;
    k = m + 1;
  }
  return out;
}

export function analyze(problem: Problem, design: Pick<LhsDesign, 'names' | 'samples' | 'X'>, Y: Outputs): LhsResult {
  const D = factorCount(problem);
  checkSameFactors(problem, design.names);
  const n = checkPositiveInteger('samples', design.samples);
  if (design.X.rows !== n || design.X.cols !== D) {
    throw new DesignError('design', `X is ${design.X.rows}×${design.X.cols}, expected ${n}×${D} (${lhsContract(n)})`);
  }
  const y = checkOutputs(Y, n, lhsContract(n));
  let min = Infinity;
  let max = -Infinity;
  for (const v of y) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const ry = ranks(y);
  const p: number[] = [];
  const s: number[] = [];
  const x = new Float64Array(n);
  for (let c = 0; c < D; c++) {
    for (let r = 0; r < n; r++) x[r] = design.X.data[r * D + c]!;
    p.push(pearson(x, y));
    s.push(pearson(ranks(x), ry));
  }
  return {
    names: [...problem.names],
    mean: mean(y),
    sd: sampleSd(y),
    min,
    max,
    pearson: p,
    spearman: s,
    ranking: rankDescending(s.map(Math.abs), problem.names),
  };
}
