import { createRequire } from 'node:module';
import type betaincFn from '@stdlib/math-base-special-betainc';
import { perObject } from '../util/per-object.js';

/**
 * PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), as used for scenario discovery
 * (Bryant & Lempert 2010; EMA Workbench): find a box in the space of uncertain inputs inside which a
 * target is reached far more often than overall.
 *
 * Peeling: from the box around all runs, repeatedly cut off a slice holding a share `alpha` of the
 * runs still inside, at the lower or upper end of one input, choosing the cut that leaves the highest
 * share of runs reaching the target (density); each box along the way is one point of the
 * coverage–density trade-off curve. Pasting then grows the chosen box again, a slice of `alpha` at a
 * time on one side of one input, while the density does not fall.
 *
 * Deterministic: ties are broken by the larger box, then the lower input index, then lower before
 * upper. Boxes are closed intervals [lo, hi] whose ends are input values of runs.
 */

export interface PrimOptions {
  /** Share of the box's runs peeled (and pasted) per step: 0.05. */
  readonly alpha?: number;
  /** Peeling stops before a box would hold fewer than this share of all runs: 0.05. */
  readonly minMass?: number;
}

export interface PrimBox {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** Runs inside, and those of them reaching the target. */
  readonly count: number;
  readonly hits: number;
  /** hits / all runs that reach the target. */
  readonly coverage: number;
  /** hits / count: the share of runs in the box that reach the target. */
  readonly density: number;
  /** count / all runs. */
  readonly mass: number;
}

export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_MIN_MASS = 0.05;

/** Runs (n × D, row-major) with their outcome (1: target reached). */
export interface PrimData {
  readonly X: Float64Array;
  readonly y: Uint8Array;
  readonly n: number;
  readonly D: number;
}

function boxStats(d: PrimData, lo: Float64Array, hi: Float64Array, totalHits: number): PrimBox {
  let count = 0;
  let hits = 0;
  for (let i = 0; i < d.n; i++) {
    if (inBox(d, i, lo, hi)) {
      count++;
      hits += d.y[i]!;
    }
  }
  return {
    lo,
    hi,
    count,
    hits,
    coverage: totalHits > 0 ? hits / totalHits : 0,
    density: count > 0 ? hits / count : 0,
    mass: count / d.n,
  };
}

function inBox(d: PrimData, i: number, lo: Float64Array, hi: Float64Array, skip = -1): boolean {
  for (let j = 0; j < d.D; j++) {
    if (j === skip) continue;
    const x = d.X[i * d.D + j]!;
    if (x < lo[j]! || x > hi[j]!) return false;
  }
  return true;
}

/** The box around every run: each input's minimum and maximum (computed once per data set; do not modify). */
export const fullBox: (d: PrimData) => { readonly lo: Float64Array; readonly hi: Float64Array } = perObject(boxOf);

function boxOf(d: PrimData): { readonly lo: Float64Array; readonly hi: Float64Array } {
  const lo = new Float64Array(d.D).fill(Infinity);
  const hi = new Float64Array(d.D).fill(-Infinity);
  for (let i = 0; i < d.n; i++)
    for (let j = 0; j < d.D; j++) {
      const x = d.X[i * d.D + j]!;
      if (x < lo[j]!) lo[j] = x;
      if (x > hi[j]!) hi[j] = x;
    }
  return { lo, hi };
}

interface Move {
  readonly dim: number;
  readonly side: 'lower' | 'upper';
  readonly bound: number;
  readonly count: number;
  readonly hits: number;
}

/** Better move: higher density, then more runs kept, then as generated (lower dim, lower side first). */
function better(a: Move, b: Move | undefined): boolean {
  if (!b) return true;
  const da = a.hits / a.count;
  const db = b.hits / b.count;
  if (da !== db) return da > db;
  return a.count > b.count;
}

/** Run indices sorted by each input (ties by run index), computed once per peeling. */
function sortedOrders(d: PrimData): Int32Array[] {
  const v = new Float64Array(d.n);
  return Array.from({ length: d.D }, (_, j) => {
    for (let i = 0; i < d.n; i++) v[i] = d.X[i * d.D + j]!;
    const idx = new Int32Array(d.n);
    for (let i = 0; i < d.n; i++) idx[i] = i;
    // A typed array of indices sorts about twice as fast as a plain array with the same comparator.
    return idx.sort((a, b) => v[a]! - v[b]! || a - b);
  });
}

/**
 * The peeling trajectory: box 0 holds every run; each next box is one peel. Each input's runs are
 * sorted once; a peel walks that order from one end over the runs still inside, so a step costs
 * O(runs × inputs) rather than a sort per input.
 */
export function peel(d: PrimData, o: PrimOptions = {}): PrimBox[] {
  const alpha = o.alpha ?? DEFAULT_ALPHA;
  const minCount = (o.minMass ?? DEFAULT_MIN_MASS) * d.n;
  let totalHits = 0;
  for (let i = 0; i < d.n; i++) totalHits += d.y[i]!;
  const { lo, hi } = fullBox(d);
  const boxes: PrimBox[] = [boxStats(d, lo.slice(), hi.slice(), totalHits)];
  const orders = sortedOrders(d);
  const inside = new Uint8Array(d.n).fill(1);
  const x = (i: number, j: number): number => d.X[i * d.D + j]!;
  // Per input, the first and last positions in its order that may still be inside: the box only
  // shrinks, so the runs already peeled off an end are never walked again.
  const lowPtr = new Int32Array(d.D);
  const highPtr = new Int32Array(d.D).fill(d.n - 1);
  for (;;) {
    const cur = boxes[boxes.length - 1]!;
    if (cur.density === 1 || cur.hits === 0) break;
    const m = cur.count;
    const k = Math.max(1, Math.floor(alpha * m));
    let best: Move | undefined;
    for (let j = 0; j < d.D; j++) {
      const ord = orders[j]!;
      for (const side of ['lower', 'upper'] as const) {
        // Walk from this end over the runs inside: the bound is the value of the (k+1)-th (or, when
        // ties would keep them all, the next distinct value); the runs beyond it are peeled.
        const step = side === 'lower' ? 1 : -1;
        if (side === 'lower') while (lowPtr[j]! < d.n && !inside[ord[lowPtr[j]!]!]) lowPtr[j]!++;
        else while (highPtr[j]! >= 0 && !inside[ord[highPtr[j]!]!]) highPtr[j]!--;
        let t = side === 'lower' ? lowPtr[j]! : highPtr[j]!;
        let seen = 0;
        let first = Number.NaN;
        let bound = Number.NaN;
        let removed = 0;
        let removedHits = 0;
        for (; t >= 0 && t < d.n; t += step) {
          const i = ord[t]!;
          if (!inside[i]) continue;
          const v = x(i, j);
          if (seen === 0) first = v;
          if (seen >= k && v !== first) {
            bound = v;
            break;
          }
          seen++;
          removed++;
          removedHits += d.y[i]!;
        }
        if (Number.isNaN(bound)) continue;
        // Runs tied with the bound that came before it in the walk stay inside (closed bounds).
        for (let u = t - step; u >= 0 && u < d.n; u -= step) {
          const i = ord[u]!;
          if (!inside[i]) continue;
          if (x(i, j) !== bound) break;
          removed--;
          removedHits -= d.y[i]!;
        }
        const count = m - removed;
        const hits = cur.hits - removedHits;
        if (count < minCount || count === 0) continue;
        const mv = { dim: j, side, bound, count, hits };
        if (better(mv, best)) best = mv;
      }
    }
    if (!best) break;
    const nlo = cur.lo.slice();
    const nhi = cur.hi.slice();
    if (best.side === 'lower') nlo[best.dim] = best.bound;
    else nhi[best.dim] = best.bound;
    for (let i = 0; i < d.n; i++) {
      if (!inside[i]) continue;
      const v = x(i, best.dim);
      if (best.side === 'lower' ? v < best.bound : v > best.bound) inside[i] = 0;
    }
    boxes.push({
      lo: nlo,
      hi: nhi,
      count: best.count,
      hits: best.hits,
      coverage: totalHits > 0 ? best.hits / totalHits : 0,
      density: best.hits / best.count,
      mass: best.count / d.n,
    });
  }
  return boxes;
}

/** Grow a box back, one slice of `alpha` of its runs at a time, while its density does not fall. */
export function paste(d: PrimData, box: PrimBox, o: PrimOptions = {}): PrimBox {
  const alpha = o.alpha ?? DEFAULT_ALPHA;
  const full = fullBox(d);
  const totalHits = box.coverage > 0 ? box.hits / box.coverage : d.y.reduce((a, b) => a + b, 0);
  let cur = box;
  for (;;) {
    const k = Math.max(1, Math.floor(alpha * cur.count));
    let best: Move | undefined;
    for (let j = 0; j < d.D; j++) {
      for (const side of ['lower', 'upper'] as const) {
        if (side === 'lower' ? cur.lo[j]! <= full.lo[j]! : cur.hi[j]! >= full.hi[j]!) continue;
        // Runs just outside this side of the box, inside it on every other input, nearest first.
        const out: number[] = [];
        for (let i = 0; i < d.n; i++) {
          const x = d.X[i * d.D + j]!;
          if ((side === 'lower' ? x < cur.lo[j]! : x > cur.hi[j]!) && inBox(d, i, cur.lo, cur.hi, j)) out.push(i);
        }
        if (out.length === 0) continue;
        const xs = Float64Array.from(out, (i) => d.X[i * d.D + j]!).sort();
        const bound = side === 'lower' ? xs[Math.max(0, xs.length - k)]! : xs[Math.min(xs.length - 1, k - 1)]!;
        let count = cur.count;
        let hits = cur.hits;
        for (const i of out) {
          const x = d.X[i * d.D + j]!;
          if (side === 'lower' ? x >= bound : x <= bound) {
            count++;
            hits += d.y[i]!;
          }
        }
        const mv = { dim: j, side, bound, count, hits };
        if (hits / count >= cur.density && better(mv, best)) best = mv;
      }
    }
    if (!best) return cur;
    const lo = cur.lo.slice();
    const hi = cur.hi.slice();
    if (best.side === 'lower') lo[best.dim] = best.bound;
    else hi[best.dim] = best.bound;
    cur = {
      lo,
      hi,
      count: best.count,
      hits: best.hits,
      coverage: totalHits > 0 ? best.hits / totalHits : 0,
      density: best.hits / best.count,
      mass: best.count / d.n,
    };
  }
}

/**
 * The box to report from the trade-off curve: the densest with at least `minCoverage` of the runs
 * that reach the target (ties: the one with more coverage, i.e. the earlier peel).
 */
export function chooseBox(boxes: readonly PrimBox[], minCoverage: number): number {
  let best = 0;
  boxes.forEach((b, i) => {
    if (b.coverage < minCoverage) return;
    const c = boxes[best]!;
    if (b.density > c.density || (b.density === c.density && b.coverage > c.coverage)) best = i;
  });
  return best;
}

const require = createRequire(import.meta.url);
let betainc: typeof betaincFn | undefined;

/** P(X >= k) for X ~ Binomial(n, p): the regularized incomplete beta I_p(k, n − k + 1). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  betainc ??= require('@stdlib/math-base-special-betainc') as typeof betaincFn;
  return betainc(p, k, n - k + 1);
}

/** The box with input j's restriction lifted. */
export function withoutRestriction(d: PrimData, box: PrimBox, j: number): PrimBox {
  const full = fullBox(d);
  const lo = box.lo.slice();
  const hi = box.hi.slice();
  lo[j] = full.lo[j]!;
  hi[j] = full.hi[j]!;
  const totalHits = d.y.reduce((a, b) => a + b, 0);
  return boxStats(d, lo, hi, totalHits);
}

/**
 * Quasi-p-value of input j's restriction (Bryant & Lempert 2010; the EMA Workbench's qp-values): the
 * chance of at least the box's hits among its runs if they had the density of the box without that
 * restriction. Large: the restriction is indistinguishable from chance.
 */
export function quasiPValue(d: PrimData, box: PrimBox, j: number): number {
  const wider = withoutRestriction(d, box, j);
  return binomialUpperTail(box.hits, box.count, wider.density);
}

/** Restricted inputs of a box: those whose limits are inside the runs' range. */
export function restrictedInputs(d: PrimData, box: PrimBox): number[] {
  const full = fullBox(d);
  const out: number[] = [];
  for (let j = 0; j < d.D; j++) if (box.lo[j]! > full.lo[j]! || box.hi[j]! < full.hi[j]!) out.push(j);
  return out;
}

/** Drop, one at a time, the restriction with the largest quasi-p-value while it exceeds `maxP`. */
export function prune(d: PrimData, box: PrimBox, maxP: number): PrimBox {
  let cur = box;
  for (;;) {
    let worst = -1;
    let worstP = maxP;
    for (const j of restrictedInputs(d, cur)) {
      const qp = quasiPValue(d, cur, j);
      if (qp > worstP) {
        worst = j;
        worstP = qp;
      }
    }
    if (worst < 0) return cur;
    cur = withoutRestriction(d, cur, worst);
  }
}
