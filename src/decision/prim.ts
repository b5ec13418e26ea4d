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

/** The box around every run: each input's minimum and maximum. */
export function fullBox(d: PrimData): { lo: Float64Array; hi: Float64Array } {
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

/** The peeling trajectory: box 0 holds every run; each next box is one peel. */
export function peel(d: PrimData, o: PrimOptions = {}): PrimBox[] {
  const alpha = o.alpha ?? DEFAULT_ALPHA;
  const minCount = (o.minMass ?? DEFAULT_MIN_MASS) * d.n;
  let totalHits = 0;
  for (let i = 0; i < d.n; i++) totalHits += d.y[i]!;
  const { lo, hi } = fullBox(d);
  const boxes: PrimBox[] = [boxStats(d, lo, hi, totalHits)];
  let inside = Int32Array.from({ length: d.n }, (_, i) => i);
  for (;;) {
    const cur = boxes[boxes.length - 1]!;
    if (cur.density === 1 || cur.hits === 0) break;
    const m = inside.length;
    const k = Math.max(1, Math.floor(alpha * m));
    let best: Move | undefined;
    const vals = new Float64Array(m);
    for (let j = 0; j < d.D; j++) {
      for (let t = 0; t < m; t++) vals[t] = d.X[inside[t]! * d.D + j]!;
      const sorted = vals.slice().sort();
      if (sorted[0] === sorted[m - 1]) continue;
      // Lower cut: keep x >= b, b the k-th smallest (or the next distinct value when ties would keep all).
      let b = sorted[k]!;
      if (b === sorted[0]) b = sorted.find((x) => x > sorted[0]!)!;
      const cands: ['lower' | 'upper', number][] = [['lower', b]];
      let u = sorted[m - 1 - k]!;
      if (u === sorted[m - 1]) {
        let t = m - 1;
        while (sorted[t] === sorted[m - 1]) t--;
        u = sorted[t]!;
      }
      cands.push(['upper', u]);
      for (const [side, bound] of cands) {
        let count = 0;
        let hits = 0;
        for (let t = 0; t < m; t++) {
          const x = vals[t]!;
          if (side === 'lower' ? x >= bound : x <= bound) {
            count++;
            hits += d.y[inside[t]!]!;
          }
        }
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
    inside = inside.filter((i) => {
      const x = d.X[i * d.D + best!.dim]!;
      return best!.side === 'lower' ? x >= best!.bound : x <= best!.bound;
    });
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
