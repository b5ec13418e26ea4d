/**
 * Small shared pieces for the designs: seeded streams, parameter checks, bootstrap summaries, ranking.
 */
import quickselect from 'quickselect';
import seedrandom from 'seedrandom';
import { DesignError } from './matrix.js';

/**
 * A seeded uniform stream on [0,1) for one purpose of one design (`lhs`, `morris`,
 * `morris-bootstrap`, `saltelli-bootstrap`): seedrandom's Alea seeded with `${seed}/${purpose}`.
 * The same seed and purpose always give the same numbers; different purposes are independent.
 */
export function stream(seed: number, purpose: string): () => number {
  checkSeed(seed);
  return seedrandom.alea(`${String(seed)}/${purpose}`);
}

export function checkSeed(seed: unknown): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new DesignError('seed', `must be a whole number (got ${String(seed)})`);
  }
}

/** A uniform integer in [0, n). */
export function randomIndex(rng: () => number, n: number): number {
  const k = Math.floor(rng() * n);
  return k < n ? k : n - 1;
}

/**
 * The draws randomIndex(stream(seed, purpose), n) would give, in bulk: `fill(out)` puts the next
 * out.length of them into `out`. It runs Alea's recurrence (Baagøe's, as seedrandom's lib/alea.js:
 * t = 2091639·s0 + c·2^−32, s0 ← s1, s1 ← s2, c ← t | 0, s2 ← t − c) on local state taken from the
 * seeded seedrandom generator, so the numbers are seedrandom's to the bit; a bootstrap draws
 * resamples × N of them, where a call per draw through the closure's object state costs several
 * times the arithmetic.
 */
export class IndexStream {
  private c: number;
  private s0: number;
  private s1: number;
  private s2: number;

  constructor(seed: number, purpose: string) {
    checkSeed(seed);
    const st = seedrandom.alea(`${String(seed)}/${purpose}`, { state: true }).state();
    this.c = st.c;
    this.s0 = st.s0;
    this.s1 = st.s1;
    this.s2 = st.s2;
  }

  /** The generator's state (c, s0, s1, s2) into to[at .. at + 4), for a copy of fill() elsewhere (bootstrap.wat). */
  saveState(to: Float64Array, at = 0): void {
    to[at] = this.c;
    to[at + 1] = this.s0;
    to[at + 2] = this.s1;
    to[at + 3] = this.s2;
  }

  /** The state saveState() wrote, once that copy has drawn from it. */
  loadState(from: Float64Array, at = 0): void {
    this.c = from[at]!;
    this.s0 = from[at + 1]!;
    this.s1 = from[at + 2]!;
    this.s2 = from[at + 3]!;
  }

  /** out[k] = a uniform integer in [0, n), k = 0 .. out.length − 1, in stream order. */
  fill(out: Int32Array, n: number): void {
    let { c, s0, s1, s2 } = this;
    for (let k = 0; k < out.length; k++) {
      const u = 2091639 * s0;
      const t = u + c * 2.3283064365386963e-10;
      s0 = s1;
      s1 = s2;
      // c = t | 0 (0 <= t < 2^31), found without waiting for t: t = u + c'·2^−32 with 0 <= c'·2^−32 <
      // 2^−11, so t | 0 is ⌊u⌋, or ⌊u⌋ + 1 when the addition crosses an integer (rarely; the branch is
      // predicted). The chain from one draw to the next then no longer runs through the truncation
      // and its conversions back: ~3x faster fills, the same numbers.
      c = Math.floor(u);
      if (t >= c + 1) c += 1;
      s2 = t - c;
      const i = Math.floor(s2 * n);
      out[k] = i < n ? i : n - 1;
    }
    this.c = c;
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
  }
}

/** In-place Fisher–Yates shuffle (n − 1 draws, from the last position down). */
export function shuffle(rng: () => number, a: { length: number; [i: number]: number }): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

export function checkPositiveInteger(param: string, value: unknown, min = 1, why = ''): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const want = min === 1 ? 'a positive integer' : `an integer >= ${min}`;
    throw new DesignError(param, `must be ${want} (got ${String(value)})${why === '' ? '' : `; ${why}`}`);
  }
  return value;
}

export function checkConfLevel(value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new DesignError('confLevel', `must be a number strictly between 0 and 1 (got ${String(value)})`);
  }
  return value;
}

/** The bootstrap of an analysis's confidence intervals (Morris's μ*, Sobol' indices). */
export interface BootstrapOptions {
  /** Bootstrap resamples. Default 1000 (as SALib's Morris; its Sobol' uses 100; percentile bounds need more). */
  readonly resamples?: number;
  /** Default 0.95. */
  readonly confLevel?: number;
  /** Seed of the bootstrap stream. Default 0. */
  readonly seed?: number;
}

/** The bootstrap options checked, with their defaults. */
export function checkBootstrap(o: BootstrapOptions): { resamples: number; confLevel: number; seed: number } {
  const resamples = checkPositiveInteger('resamples', o.resamples ?? 1000, 2);
  const confLevel = checkConfLevel(o.confLevel ?? 0.95);
  const seed = o.seed ?? 0;
  checkSeed(seed);
  return { resamples, confLevel, seed };
}

export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

/** Standard deviation with the n − 1 divisor (NaN for fewer than two values). */
export function sampleSd(a: ArrayLike<number>): number {
  const n = a.length;
  if (n < 2) return NaN;
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - m;
    s += d * d;
  }
  return Math.sqrt(s / (n - 1));
}

/**
 * The q-quantile of already sorted values, linear interpolation between order statistics
 * (Hyndman–Fan type 7, numpy's default): position (n − 1)·q.
 */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  return a + (h - lo) * (sorted[hi]! - a);
}

/**
 * Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9), for the
 * SALib-style half-width z·sd. Only used at confidence levels, so p is well inside (0,1).
 */
export function normalQuantile(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const A = (i: number): number => a[i]!;
  const B = (i: number): number => b[i]!;
  const C = (i: number): number => c[i]!;
  const D = (i: number): number => d[i]!;
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C(0) * q + C(1)) * q + C(2)) * q + C(3)) * q + C(4)) * q + C(5)) /
      ((((D(0) * q + D(1)) * q + D(2)) * q + D(3)) * q + 1)
    );
  }
  if (p > 1 - pLow) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A(0) * r + A(1)) * r + A(2)) * r + A(3)) * r + A(4)) * r + A(5)) * q) /
    (((((B(0) * r + B(1)) * r + B(2)) * r + B(3)) * r + B(4)) * r + 1)
  );
}

/** What a bootstrap gives for one statistic. */
export interface BootstrapSummary {
  /** Lower bound of the percentile interval: the (1 − confLevel)/2 quantile of the replicates. */
  low: number;
  /** Upper bound of the percentile interval: the (1 + confLevel)/2 quantile of the replicates. */
  high: number;
  /** SALib's `_conf`: z_{(1+confLevel)/2} × sd(replicates, n − 1), a normal-approximation half-width. */
  halfWidth: number;
}

export function summarizeReplicates(replicates: Float64Array, confLevel: number): BootstrapSummary {
  const n = replicates.length;
  if (n === 0) return { low: NaN, high: NaN, halfWidth: NaN };
  const alpha = (1 - confLevel) / 2;
  const low = (n - 1) * alpha;
  const high = (n - 1) * (1 - alpha);
  // The two percentile bounds read four order statistics: selected (O(n)), not sorted. Sorting the
  // replicates was most of the summaries' cost (~30 µs for 500; a Sobol sweep makes one per index
  // per output).
  const at = orderStatistics(Float64Array.from(replicates), [
    Math.floor(low),
    Math.min(Math.floor(low) + 1, n - 1),
    Math.floor(high),
    Math.min(Math.floor(high) + 1, n - 1),
  ]);
  return {
    low: interpolate(at[0]!, at[1]!, low),
    high: interpolate(at[2]!, at[3]!, high),
    halfWidth: normalQuantile(0.5 + confLevel / 2) * sampleSd(replicates),
  };
}

/** sortedQuantile's interpolation between order statistics a (at ⌊h⌋) and b (the next one). */
function interpolate(a: number, b: number, h: number): number {
  return a + (h - Math.floor(h)) * (b - a);
}

/**
 * The order of Float64Array.prototype.sort: ascending, −0 before +0, NaN last (equal to NaN). The
 * selection below uses it so that the k-th value selected is exactly sorted[k], sign of zero and NaN
 * included.
 */
function sortOrder(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return a !== 0 || Object.is(a, b) ? 0 : Object.is(a, -0) ? -1 : 1;
  const aNaN = Number.isNaN(a);
  return aNaN === Number.isNaN(b) ? 0 : aNaN ? 1 : -1;
}

/**
 * sorted[k] for each k of `ks` (any order, repeats allowed, each in [0, n)), where sorted is `values`
 * sorted as Float64Array.prototype.sort sorts; reorders `values`. The distinct ks are selected in
 * ascending order: once k is selected on [left, n), every value before it precedes it and every value
 * after it follows it, so values[k] is final and the next k is selected among the values after it.
 */
export function orderStatistics(values: Float64Array, ks: readonly number[]): number[] {
  const n = values.length;
  for (const k of ks)
    if (!(Number.isInteger(k) && k >= 0 && k < n))
      throw new RangeError(`orderStatistics: index ${k} outside [0, ${n})`);
  // quickselect's declaration takes arrays; it only reads, writes and compares elements by index.
  const a = values as unknown as number[];
  let left = 0;
  for (const k of [...new Set(ks)].sort((x, y) => x - y)) {
    quickselect(a, k, left, n - 1, sortOrder);
    left = k + 1;
  }
  return ks.map((k) => values[k]!);
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Factor indices ordered by `score` descending; NaN scores last; ties broken by name (code-unit
 * order), so the ranking does not depend on the order of `names`.
 */
export function rankDescending(score: readonly number[], names: readonly string[]): number[] {
  const idx = score.map((_, i) => i);
  idx.sort((i, j) => {
    const a = score[i]!;
    const b = score[j]!;
    const an = Number.isNaN(a);
    const bn = Number.isNaN(b);
    if (an !== bn) return an ? 1 : -1;
    if (!an && a !== b) return b - a;
    return compareNames(names[i]!, names[j]!) || i - j;
  });
  return idx;
}
