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
import { type GroupSums, groupSums, SUM_BLOCK } from './bootstrap-sums.js';
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
  type BootstrapOptions,
  checkBootstrap,
  checkPositiveInteger,
  IndexStream,
  rankDescending,
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

/** The bootstrap of the indices' intervals. */
export type SobolAnalyzeOptions = BootstrapOptions;

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
  // Every design row takes each factor's coordinate from A_n or B_n, so the factor values are the
  // base points' coordinates mapped once (2D·N calls of toValue, not D·rows) and copied as the unit
  // coordinates are: toValue is a function of the factor and the coordinate, so X is what
  // toValues(problem, unit) gives, value for value. A value that is not finite is left to
  // toValues below, which names the first such row as it does for every design.
  const mapped = problem.toValue ? mapBasePoints(problem.toValue, base, D) : base;
  // The unit coordinates only when read: a sweep evaluates and analyses X, and filling a second
  // rows × D matrix cost ~0.35 ms of sobol-trade-gap's ~23 ms.
  let unit: Matrix | undefined;
  const unitMatrix = (): Matrix => {
    if (unit === undefined) {
      unit = createMatrix(rows, D);
      fillSaltelli(unit.data, base, N, D, groupSize, secondOrder);
    }
    return unit;
  };
  let X: Matrix;
  if (mapped) {
    X = createMatrix(rows, D);
    fillSaltelli(X.data, mapped, N, D, groupSize, secondOrder);
  } else X = toValues(problem, unitMatrix());
  return {
    method: 'saltelli',
    names: [...problem.names],
    samples: N,
    secondOrder,
    skip,
    groupSize,
    rows,
    contract: text,
    get unit(): Matrix {
      return unitMatrix();
    },
    X,
    notes,
  };
}

/**
 * The base points' coordinates (N × 2D, factor c mod D in column c) mapped to factor values, or
 * undefined when a value is not finite. Loops live in functions of their own here and below: V8
 * compiles a long loop while it first runs (on-stack replacement), before the code after it has run,
 * and that code then threw the compiled loop away at every sweep.
 */
function mapBasePoints(
  toValue: NonNullable<Problem['toValue']>,
  base: Float64Array,
  D: number,
): Float64Array | undefined {
  const mapped = new Float64Array(base.length);
  let finite = true;
  for (let k = 0; k < base.length; k++) {
    const c = k % (2 * D);
    const v = toValue(c < D ? c : c - D, base[k]!);
    if (typeof v !== 'number' || !Number.isFinite(v)) finite = false;
    mapped[k] = v;
  }
  return finite ? mapped : undefined;
}

/**
 * The Saltelli rows (see the header's layout) from the base points, N × 2D: point n's columns
 * 0..D−1 are A_n, columns D..2D−1 are B_n. Element by element: a subarray() view per row costs more
 * than the row's few values.
 */
function fillSaltelli(
  u: Float64Array,
  base: Float64Array,
  N: number,
  D: number,
  groupSize: number,
  secondOrder: boolean,
): void {
  for (let n = 0; n < N; n++) {
    const a = n * 2 * D; // A_n = base[a .. a+D), B_n = base[a+D .. a+2D)
    let row = n * groupSize;
    copyRow(u, row * D, base, a, D); // A
    row++;
    for (let i = 0; i < D; i++, row++) {
      copyRow(u, row * D, base, a, D); // AB^(i): A with column i from B
      u[row * D + i] = base[a + D + i]!;
    }
    if (secondOrder) {
      for (let i = 0; i < D; i++, row++) {
        copyRow(u, row * D, base, a + D, D); // BA^(i): B with column i from A
        u[row * D + i] = base[a + i]!;
      }
    }
    copyRow(u, row * D, base, a + D, D); // B
  }
}

function copyRow(to: Float64Array, at: number, from: Float64Array, start: number, D: number): void {
  for (let j = 0; j < D; j++) to[at + j] = from[start + j]!;
}

/**
 * One output's Saltelli row groups reduced to what the estimators sum: per group n, a row of `width`
 * terms (row-major, `terms[n * width + c]`):
 *   column 0:          f(A) + f(B)                  (the mean of f(A) ∪ f(B))
 *   columns 1 + 2i:    f(B)·(f(AB^(i)) − f(A))       (S1_i)
 *   columns 2 + 2i:    (f(A) − f(AB^(i)))²           (ST_i)
 *   then per pair i<j: f(BA^(i))·f(AB^(j)) − f(A)·f(B)  (S2_ij, second order only)
 * then f(A), f(B) at the next even column, at least SUM_BLOCK (for the variance, whose terms depend
 * on each resample's mean: the mean comes from the first block's pass, the variance from the last's),
 * then zero columns up to a multiple of SUM_BLOCK. Each term is the expression the textbook loop
 * sums (the same operations on the same values, so the same double), computed once instead of once
 * per bootstrap resample; every resample then only gathers and adds, in the same order (k = 0..N−1
 * of its picks) as the textbook loop, so every sum — and every index — is the same to the bit.
 */
interface Terms {
  readonly N: number;
  readonly D: number;
  readonly secondOrder: boolean;
  readonly width: number;
  /** Column of f(A); f(B) is the next one. */
  readonly ab: number;
  readonly terms: Float64Array;
}

function termsOf(y: Float64Array, m: number, scale: number, N: number, D: number, secondOrder: boolean): Terms {
  const pairs = secondOrder ? (D * (D - 1)) / 2 : 0;
  // f(A), f(B) after the sums' columns (at an even column, past the first block), in the last block.
  const abCol = Math.max(SUM_BLOCK, 2 * Math.ceil((1 + 2 * D + pairs) / 2));
  const width = Math.ceil((abCol + 2) / SUM_BLOCK) * SUM_BLOCK;
  const terms = new Float64Array(N * width);
  fillTerms(terms, y, m, scale, N, D, secondOrder, width, abCol);
  return { N, D, secondOrder, width, ab: abCol, terms };
}

/** termsOf's table, row by row (a function of its own: see mapBasePoints). */
function fillTerms(
  terms: Float64Array,
  y: Float64Array,
  m: number,
  scale: number,
  N: number,
  D: number,
  secondOrder: boolean,
  width: number,
  abCol: number,
): void {
  const groupSize = secondOrder ? 2 * D + 2 : D + 2;
  const ab = new Float64Array(D);
  const ba = new Float64Array(D);
  for (let n = 0; n < N; n++) {
    const first = n * groupSize;
    const a = (y[first]! - m) * scale;
    const b = (y[first + groupSize - 1]! - m) * scale;
    for (let i = 0; i < D; i++) ab[i] = (y[first + 1 + i]! - m) * scale;
    if (secondOrder) for (let i = 0; i < D; i++) ba[i] = (y[first + 1 + D + i]! - m) * scale;
    const row = n * width;
    terms[row + abCol] = a;
    terms[row + abCol + 1] = b;
    terms[row] = a + b;
    for (let i = 0; i < D; i++) {
      const x = ab[i]!;
      terms[row + 1 + 2 * i] = b * (x - a);
      terms[row + 2 + 2 * i] = (a - x) * (a - x);
    }
    if (secondOrder) {
      let c = row + 1 + 2 * D;
      for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) terms[c++] = ba[i]! * ab[j]! - a * b;
    }
  }
}

interface Estimates {
  S1: Float64Array;
  ST: Float64Array;
  /** S2[i * D + j] for i < j */
  S2: Float64Array | null;
}

/**
 * All indices of output `o` on the row groups in `g.pick` (N group numbers, repeats allowed). The
 * estimators (Var = population variance of f(A) ∪ f(B) over the picked groups):
 *   S1_i = (Σ f(B)·(f(AB^(i)) − f(A)) / N) / Var,  ST_i = (Σ (f(A) − f(AB^(i)))² / N) / (2·Var),
 *   S2_ij = (Σ (f(BA^(i))·f(AB^(j)) − f(A)·f(B)) / N) / Var − S1_i − S1_j.
 */
function estimate(t: Terms, g: GroupSums, o: number, out: Estimates, draw?: IndexStream): void {
  const { N, D } = t;
  const ss = g.sum(o, draw);
  const sums = g.sums;
  const variance = ss / (2 * N);
  if (!(variance > 0)) {
    // Constant f over A and B: SALib returns 0 for every index.
    out.S1.fill(0);
    out.ST.fill(0);
    out.S2?.fill(0);
    return;
  }
  for (let i = 0; i < D; i++) {
    out.S1[i] = sums[1 + 2 * i]! / N / variance;
    out.ST[i] = sums[2 + 2 * i]! / N / (2 * variance);
  }
  if (t.secondOrder && out.S2 !== null) {
    let c = 1 + 2 * D;
    for (let i = 0; i < D; i++)
      for (let j = i + 1; j < D; j++) out.S2[i * D + j] = sums[c++]! / N / variance - out.S1[i]! - out.S1[j]!;
  }
}

/**
 * Room for one set of indices. A function of the module, not a closure made per analysis: the
 * resample loop calls it, and a new closure per call is a call target V8's optimised loop has not
 * seen (it threw that code away at the next sweep).
 */
function newEstimates(D: number, secondOrder: boolean): Estimates {
  return { S1: new Float64Array(D), ST: new Float64Array(D), S2: secondOrder ? new Float64Array(D * D) : null };
}

function upperTriangle(D: number, value: (i: number, j: number) => number): number[][] {
  return Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => (j > i ? value(i, j) : NaN)));
}

/** One output checked and reduced to its terms, ready for the (shared) bootstrap: see prepare(). */
export interface PreparedOutput {
  readonly names: readonly string[];
  readonly terms: Terms;
  readonly resamples: number;
  readonly confLevel: number;
  readonly seed: number;
  readonly notes: readonly string[];
}

/**
 * Checks the design, the options and one output vector, standardises the output as SALib does and
 * reduces it to the estimators' terms. Every problem with this output is thrown here, so a caller
 * analysing several outputs can name the output at fault.
 */
export function prepare(
  problem: Problem,
  design: Pick<SobolDesign, 'samples' | 'secondOrder'> & { readonly names?: readonly string[] },
  Y: Outputs,
  options: SobolAnalyzeOptions = {},
): PreparedOutput {
  const D = factorCount(problem);
  checkSameFactors(problem, design.names);
  const N = checkPositiveInteger('samples', design.samples);
  const secondOrder = design.secondOrder;
  if (typeof secondOrder !== 'boolean')
    throw new DesignError('secondOrder', `must be true or false (got ${String(secondOrder)})`);
  const { resamples, confLevel, seed } = checkBootstrap(options);
  const { rows, text } = saltelliContract(N, D, secondOrder);
  const y = checkOutputs(Y, rows, text);
  const notes: string[] = [];

  // Standardise as SALib does.
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += y[r]!;
  const m = sum / rows;
  let ss = 0;
  for (let r = 0; r < rows; r++) ss += (y[r]! - m) * (y[r]! - m);
  const sd = Math.sqrt(ss / rows);
  const scale = sd > 0 ? 1 / sd : 1;
  if (!(sd > 0)) notes.push('outputs: every value is the same; all indices are 0');
  return {
    names: [...problem.names],
    terms: termsOf(y, m, scale, N, D, secondOrder),
    resamples,
    confLevel,
    seed,
    notes,
  };
}

export function analyze(
  problem: Problem,
  design: Pick<SobolDesign, 'samples' | 'secondOrder'> & { readonly names?: readonly string[] },
  Y: Outputs,
  options: SobolAnalyzeOptions = {},
): SobolResult {
  return analyzePrepared([prepare(problem, design, Y, options)])[0]!;
}

/**
 * The indices of several outputs of one design with the same options (prepare()), each exactly what
 * analyze() gives for it alone: the bootstrap's resamples depend only on the seed and N, so one stream
 * of picks serves every output.
 */
export function analyzePrepared(outputs: readonly PreparedOutput[]): SobolResult[] {
  const first = outputs[0];
  if (first === undefined) return [];
  const { N, D, secondOrder } = first.terms;
  const { resamples, seed } = first;
  for (const o of outputs) {
    const t = o.terms;
    if (t.N !== N || t.D !== D || t.secondOrder !== secondOrder || o.resamples !== resamples || o.seed !== seed)
      throw new Error('analyzePrepared: the outputs were prepared for different designs or options');
  }
  const g = groupSums(
    outputs.map((o) => o.terms.terms),
    N,
    first.terms.width,
    first.terms.ab,
  );
  const identity = g.pick;
  for (let k = 0; k < N; k++) identity[k] = k;
  const points = outputs.map((o, k) => {
    const point = newEstimates(D, secondOrder);
    estimate(o.terms, g, k, point);
    return point;
  });

  const draws = new IndexStream(seed, 'saltelli-bootstrap');
  // Per output: replicates of S1_i and ST_i; of S2 for pair (i, j), i < j, at repS2[i * D + j].
  const reps = outputs.map(() => {
    const repS2: Float64Array[] = [];
    if (secondOrder)
      for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) repS2[i * D + j] = new Float64Array(resamples);
    return {
      S1: Array.from({ length: D }, () => new Float64Array(resamples)),
      ST: Array.from({ length: D }, () => new Float64Array(resamples)),
      S2: repS2,
    };
  });
  const rep = newEstimates(D, secondOrder);
  // Each resample's first sum also draws the next resample's picks (the same stream, in order).
  draws.fill(g.pick, N);
  for (let b = 0; b < resamples; b++) {
    for (let o = 0; o < outputs.length; o++) {
      estimate(outputs[o]!.terms, g, o, rep, o === 0 && b + 1 < resamples ? draws : undefined);
      const r = reps[o]!;
      for (let i = 0; i < D; i++) {
        r.S1[i]![b] = rep.S1[i]!;
        r.ST[i]![b] = rep.ST[i]!;
        if (secondOrder) for (let j = i + 1; j < D; j++) r.S2[i * D + j]![b] = rep.S2![i * D + j]!;
      }
    }
    g.next();
  }
  g.release();
  return outputs.map((o, k) => result(o, points[k]!, reps[k]!));
}

function result(
  o: PreparedOutput,
  point: Estimates,
  reps: { S1: Float64Array[]; ST: Float64Array[]; S2: Float64Array[] },
): SobolResult {
  const { N, D, secondOrder } = o.terms;
  const { confLevel, resamples } = o;
  const s1 = reps.S1.map((r) => summarizeReplicates(r, confLevel));
  const st = reps.ST.map((r) => summarizeReplicates(r, confLevel));
  const S1 = Array.from(point.S1);
  const ST = Array.from(point.ST);
  const base: SobolResult = {
    names: [...o.names],
    S1,
    S1Low: s1.map((s) => s.low),
    S1High: s1.map((s) => s.high),
    S1Conf: s1.map((s) => s.halfWidth),
    ST,
    STLow: st.map((s) => s.low),
    STHigh: st.map((s) => s.high),
    STConf: st.map((s) => s.halfWidth),
    ranking: rankDescending(ST, o.names),
    samples: N,
    resamples,
    confLevel,
    notes: [...o.notes],
  };
  if (!secondOrder) return base;
  const s2 = new Map<number, ReturnType<typeof summarizeReplicates>>();
  for (let i = 0; i < D; i++)
    for (let j = i + 1; j < D; j++) s2.set(i * D + j, summarizeReplicates(reps.S2[i * D + j]!, confLevel));
  return {
    ...base,
    S2: upperTriangle(D, (i, j) => point.S2![i * D + j]!),
    S2Low: upperTriangle(D, (i, j) => s2.get(i * D + j)!.low),
    S2High: upperTriangle(D, (i, j) => s2.get(i * D + j)!.high),
    S2Conf: upperTriangle(D, (i, j) => s2.get(i * D + j)!.halfWidth),
  };
}
