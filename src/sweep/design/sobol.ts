/**
 * Variance-based (Sobol') sensitivity indices from a Saltelli design, as SALib's `saltelli.sample`
 * and `sobol.analyze`.
 *
 * Row-count contract: rows = N·(2D+2) with second order, N·(D+2) without.
 *
 * Sampling: the base points are points skip .. skip+N−1 of the unscrambled 2D-dimensional Sobol'
 * sequence (Joe–Kuo direction numbers; see sobol-sequence.ts). Columns 0..D−1 of a point form the row
 * of A, columns D..2D−1 the row of B. Default skip = max(2^⌈log2 N⌉, 16) — SALib >= 1.4.6's default
 * (scipy's fast_forward): the origin and the first points are dropped and the skipped block is a whole
 * power of two. The design is laid out in row groups, one per base point n (SALib's layout):
 *   A_n, AB_n^(1), ..., AB_n^(D), [BA_n^(1), ..., BA_n^(D),] B_n
 * where AB^(i) is A with column i taken from B, and BA^(i) is B with column i taken from A (only with
 * second order). With the default skip the design equals SALib's `saltelli.sample(problem, N,
 * calc_second_order, scramble=False)` in the unit cube.
 *
 * Analysis (SALib's estimators; Y is first standardised with its mean and population sd over all rows,
 * as SALib does — the indices are ratios, this only guards the arithmetic). Var = population variance
 * of the 2N values f(A), f(B).
 *   S1_i  = mean(f(B)·(f(AB^(i)) − f(A))) / Var                        (Saltelli et al. 2010)
 *   ST_i  = mean((f(A) − f(AB^(i)))²) / (2·Var)                         (Jansen 1999)
 *   S2_ij = mean(f(BA^(i))·f(AB^(j)) − f(A)·f(B)) / Var − S1_i − S1_j   (Saltelli 2002), i < j
 * Confidence: bootstrap over the N row groups — B resamples of N groups drawn with replacement (the
 * same resample for every index), every index recomputed on each; reported as the percentile interval
 * (the (1−c)/2 and (1+c)/2 quantiles of the replicates, type 7) in `*Low`/`*High`, and as SALib's
 * `*_conf` half-width z·sd(replicates) in `*Conf`. Stream: Alea seeded `${seed}/saltelli-bootstrap`.
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
import { SOBOL_MAX_DIMENSION, sobolPoints } from './sobol-sequence.js';
import {
  checkConfLevel,
  checkPositiveInteger,
  checkSeed,
  randomIndex,
  rankDescending,
  stream,
  summarizeReplicates,
} from './stats.js';

export interface SobolSampleOptions {
  /** N, the number of base points (rows of A and of B). A power of 2 is best. */
  readonly samples: number;
  /** Include the BA^(i) blocks for second-order indices. Default true (as SALib). */
  readonly secondOrder?: boolean;
  /** Points of the Sobol' sequence to skip. Default max(2^⌈log2 N⌉, 16). */
  readonly skip?: number;
}

export interface SobolDesign {
  readonly method: 'saltelli';
  readonly names: readonly string[];
  readonly samples: number;
  readonly secondOrder: boolean;
  readonly skip: number;
  /** 2D + 2 or D + 2: rows per base point. */
  readonly groupSize: number;
  readonly rows: number;
  /** The row-count contract in words, e.g. `N·(2D+2) with N=100, D=5`. */
  readonly contract: string;
  /** Unit-hypercube coordinates, rows × D. */
  readonly unit: Matrix;
  /** Factor values (`problem.toValue` applied), rows × D. */
  readonly X: Matrix;
  /** Non-fatal remarks on the parameters (SALib prints these as warnings). */
  readonly notes: string[];
}

export interface SobolAnalyzeOptions {
  /** Bootstrap resamples. Default 1000 (SALib uses 100; percentile bounds need more). */
  readonly resamples?: number;
  /** Default 0.95. */
  readonly confLevel?: number;
  /** Seed of the bootstrap stream. Default 0. */
  readonly seed?: number;
}

export interface SobolResult {
  readonly names: readonly string[];
  readonly S1: number[];
  readonly S1Low: number[];
  readonly S1High: number[];
  readonly S1Conf: number[];
  readonly ST: number[];
  readonly STLow: number[];
  readonly STHigh: number[];
  readonly STConf: number[];
  /** D × D, entry [i][j] for i < j; NaN elsewhere (as SALib). Absent without second order. */
  readonly S2?: number[][];
  readonly S2Low?: number[][];
  readonly S2High?: number[][];
  readonly S2Conf?: number[][];
  /** Factor indices by ST, largest first; ties by name. */
  readonly ranking: number[];
  readonly samples: number;
  readonly resamples: number;
  readonly confLevel: number;
  readonly notes: string[];
}

function isPowerOfTwo(n: number): boolean {
  return n >= 2 && Number.isSafeInteger(n) && (n & (n - 1)) === 0 && n <= 2 ** 30;
}

/** Rows of a Saltelli design: N base samples over D factors, with or without second-order indices. */
export function rowCount(N: number, D: number, secondOrder: boolean): RowCount {
  const { rows, text } = saltelliContract(N, D, secondOrder);
  return { rows, contract: text };
}

function saltelliContract(
  N: number,
  D: number,
  secondOrder: boolean,
): { rows: number; groupSize: number; text: string } {
  const groupSize = secondOrder ? 2 * D + 2 : D + 2;
  return { rows: N * groupSize, groupSize, text: `N·(${secondOrder ? '2D+2' : 'D+2'}) with N=${N}, D=${D}` };
}

export function sample(problem: Problem, options: SobolSampleOptions): SobolDesign {
  const D = factorCount(problem);
  const N = checkPositiveInteger('samples', options.samples);
  const secondOrder = options.secondOrder ?? true;
  if (typeof secondOrder !== 'boolean')
    throw new DesignError('secondOrder', `must be true or false (got ${String(secondOrder)})`);
  if (2 * D > SOBOL_MAX_DIMENSION) {
    throw new DesignError(
      'names',
      `Saltelli sampling needs a 2D-dimensional Sobol' sequence; D=${D} exceeds ${Math.floor(SOBOL_MAX_DIMENSION / 2)}`,
    );
  }
  const notes: string[] = [];
  if (!isPowerOfTwo(N)) {
    notes.push(
      `samples: N=${N} is not a power of 2; the Sobol' sequence's balance (and convergence) properties hold for N = 2^k`,
    );
  }
  let skip: number;
  if (options.skip === undefined) {
    skip = Math.max(2 ** Math.ceil(Math.log2(N)), 16);
  } else {
    skip = options.skip;
    if (typeof skip !== 'number' || !Number.isSafeInteger(skip) || skip < 0) {
      throw new DesignError('skip', `must be a whole number >= 0 (got ${String(skip)})`);
    }
    if (skip === 0) {
      notes.push(
        'skip: 0 keeps the origin (point 0) as the first base point; duplicate points are taken when nothing is skipped',
      );
    } else {
      if (!isPowerOfTwo(skip))
        notes.push(`skip: ${skip} is not a power of 2; the Sobol' sequence's convergence properties hold when it is`);
      if (Math.floor(Math.log2(N)) > Math.floor(Math.log2(skip))) {
        notes.push(
          `skip: N=${N} is larger than skip=${skip}; convergence may not hold when N exceeds the skipped block`,
        );
      }
    }
  }
  const { rows, groupSize, text } = saltelliContract(N, D, secondOrder);
  const base = sobolPoints(2 * D, skip, N);
  const unit = createMatrix(rows, D);
  const u = unit.data;
  for (let n = 0; n < N; n++) {
    const a = n * 2 * D; // A_n = base[a .. a+D), B_n = base[a+D .. a+2D)
    let row = n * groupSize;
    u.set(base.subarray(a, a + D), row * D); // A
    row++;
    for (let i = 0; i < D; i++, row++) {
      u.set(base.subarray(a, a + D), row * D); // AB^(i): A with column i from B
      u[row * D + i] = base[a + D + i]!;
    }
    if (secondOrder) {
      for (let i = 0; i < D; i++, row++) {
        u.set(base.subarray(a + D, a + 2 * D), row * D); // BA^(i): B with column i from A
        u[row * D + i] = base[a + i]!;
      }
    }
    u.set(base.subarray(a + D, a + 2 * D), row * D); // B
  }
  return {
    method: 'saltelli',
    names: [...problem.names],
    samples: N,
    secondOrder,
    skip,
    groupSize,
    rows,
    contract: text,
    unit,
    X: toValues(problem, unit),
    notes,
  };
}

interface Blocks {
  N: number;
  D: number;
  A: Float64Array;
  B: Float64Array;
  /** AB[i][n] */
  AB: Float64Array[];
  /** BA[i][n], empty without second order */
  BA: Float64Array[];
}

interface Estimates {
  S1: Float64Array;
  ST: Float64Array;
  /** S2[i * D + j] for i < j */
  S2: Float64Array | null;
}

/** All indices on the row groups listed in `pick` (N group numbers, repeats allowed). */
function estimate(blocks: Blocks, pick: Int32Array, secondOrder: boolean, out: Estimates): void {
  const { N, D, A, B, AB, BA } = blocks;
  // Population variance of f(A) ∪ f(B).
  let s = 0;
  for (let k = 0; k < N; k++) {
    const n = pick[k]!;
    s += A[n]! + B[n]!;
  }
  const m = s / (2 * N);
  let ss = 0;
  for (let k = 0; k < N; k++) {
    const n = pick[k]!;
    const da = A[n]! - m;
    const db = B[n]! - m;
    ss += da * da + db * db;
  }
  const variance = ss / (2 * N);
  if (!(variance > 0)) {
    // Constant f over A and B: SALib returns 0 for every index.
    out.S1.fill(0);
    out.ST.fill(0);
    out.S2?.fill(0);
    return;
  }
  for (let i = 0; i < D; i++) {
    const ab = AB[i]!;
    let first = 0;
    let total = 0;
    for (let k = 0; k < N; k++) {
      const n = pick[k]!;
      const a = A[n]!;
      const x = ab[n]!;
      first += B[n]! * (x - a);
      total += (a - x) * (a - x);
    }
    out.S1[i] = first / N / variance;
    out.ST[i] = total / N / (2 * variance);
  }
  if (secondOrder && out.S2 !== null) {
    for (let i = 0; i < D; i++) {
      const ba = BA[i]!;
      for (let j = i + 1; j < D; j++) {
        const ab = AB[j]!;
        let v = 0;
        for (let k = 0; k < N; k++) {
          const n = pick[k]!;
          v += ba[n]! * ab[n]! - A[n]! * B[n]!;
        }
        out.S2[i * D + j] = v / N / variance - out.S1[i]! - out.S1[j]!;
      }
    }
  }
}

function upperTriangle(D: number, value: (i: number, j: number) => number): number[][] {
  return Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => (j > i ? value(i, j) : NaN)));
}

export function analyze(
  problem: Problem,
  design: Pick<SobolDesign, 'samples' | 'secondOrder'> & { readonly names?: readonly string[] },
  Y: Outputs,
  options: SobolAnalyzeOptions = {},
): SobolResult {
  const D = factorCount(problem);
  checkSameFactors(problem, design.names);
  const N = checkPositiveInteger('samples', design.samples);
  const secondOrder = design.secondOrder;
  if (typeof secondOrder !== 'boolean')
    throw new DesignError('secondOrder', `must be true or false (got ${String(secondOrder)})`);
  const resamples = checkPositiveInteger('resamples', options.resamples ?? 1000, 2);
  const confLevel = checkConfLevel(options.confLevel ?? 0.95);
  const seed = options.seed ?? 0;
  checkSeed(seed);
  const { rows, groupSize, text } = saltelliContract(N, D, secondOrder);
  const y = checkOutputs(Y, rows, text);
  const notes: string[] = [];

  // Standardise as SALib does.
  let sum = 0;
  for (const v of y) sum += v;
  const m = sum / rows;
  let ss = 0;
  for (const v of y) ss += (v - m) * (v - m);
  const sd = Math.sqrt(ss / rows);
  const scale = sd > 0 ? 1 / sd : 1;
  if (!(sd > 0)) notes.push('outputs: every value is the same; all indices are 0');

  const blocks: Blocks = {
    N,
    D,
    A: new Float64Array(N),
    B: new Float64Array(N),
    AB: Array.from({ length: D }, () => new Float64Array(N)),
    BA: secondOrder ? Array.from({ length: D }, () => new Float64Array(N)) : [],
  };
  for (let n = 0; n < N; n++) {
    const first = n * groupSize;
    const at = (r: number): number => (y[first + r]! - m) * scale;
    blocks.A[n] = at(0);
    for (let i = 0; i < D; i++) blocks.AB[i]![n] = at(1 + i);
    if (secondOrder) for (let i = 0; i < D; i++) blocks.BA[i]![n] = at(1 + D + i);
    blocks.B[n] = at(groupSize - 1);
  }

  const point: Estimates = {
    S1: new Float64Array(D),
    ST: new Float64Array(D),
    S2: secondOrder ? new Float64Array(D * D) : null,
  };
  const pick = new Int32Array(N);
  for (let k = 0; k < N; k++) pick[k] = k;
  estimate(blocks, pick, secondOrder, point);

  const rng = stream(seed, 'saltelli-bootstrap');
  const repS1 = Array.from({ length: D }, () => new Float64Array(resamples));
  const repST = Array.from({ length: D }, () => new Float64Array(resamples));
  // Replicates of S2 for pair (i, j), i < j, at repS2[i * D + j] (other slots stay empty).
  const repS2: Float64Array[] = [];
  if (secondOrder)
    for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) repS2[i * D + j] = new Float64Array(resamples);
  const rep: Estimates = {
    S1: new Float64Array(D),
    ST: new Float64Array(D),
    S2: secondOrder ? new Float64Array(D * D) : null,
  };
  for (let b = 0; b < resamples; b++) {
    for (let k = 0; k < N; k++) pick[k] = randomIndex(rng, N);
    estimate(blocks, pick, secondOrder, rep);
    for (let i = 0; i < D; i++) {
      repS1[i]![b] = rep.S1[i]!;
      repST[i]![b] = rep.ST[i]!;
      if (secondOrder) for (let j = i + 1; j < D; j++) repS2[i * D + j]![b] = rep.S2![i * D + j]!;
    }
  }
  const s1 = repS1.map((r) => summarizeReplicates(r, confLevel));
  const st = repST.map((r) => summarizeReplicates(r, confLevel));
  const S1 = Array.from(point.S1);
  const ST = Array.from(point.ST);
  const result: SobolResult = {
    names: [...problem.names],
    S1,
    S1Low: s1.map((s) => s.low),
    S1High: s1.map((s) => s.high),
    S1Conf: s1.map((s) => s.halfWidth),
    ST,
    STLow: st.map((s) => s.low),
    STHigh: st.map((s) => s.high),
    STConf: st.map((s) => s.halfWidth),
    ranking: rankDescending(ST, problem.names),
    samples: N,
    resamples,
    confLevel,
    notes,
  };
  if (!secondOrder) return result;
  const s2 = new Map<number, ReturnType<typeof summarizeReplicates>>();
  for (let i = 0; i < D; i++)
    for (let j = i + 1; j < D; j++) s2.set(i * D + j, summarizeReplicates(repS2[i * D + j]!, confLevel));
  return {
    ...result,
    S2: upperTriangle(D, (i, j) => point.S2![i * D + j]!),
    S2Low: upperTriangle(D, (i, j) => s2.get(i * D + j)!.low),
    S2High: upperTriangle(D, (i, j) => s2.get(i * D + j)!.high),
    S2Conf: upperTriangle(D, (i, j) => s2.get(i * D + j)!.halfWidth),
  };
}
