/**
 * Exact sums of doubles (Shewchuk's non-overlapping partials, as Python's math.fsum keeps them).
 *
 * The Monte Carlo folds each 256-run leaf's sums into its totals. A plain running sum would make the
 * totals depend on the order leaves arrive in, so a shard could not pre-fold its own leaves: the merge
 * would need every leaf's sums (a file growing with the number of runs). Kept exactly, the total of
 * any set of leaves is one real number whatever the grouping or order, and rounding it once at the end
 * (correctly, half to even) gives the same double for one machine, any shard plan and any resume
 * point. A cell typically needs 2–4 partials. Intermediate overflow (sums beyond 1.8e308) is not handled.
 */

/** Adds x to the partials in place (increasing magnitude, non-overlapping). */
export function addExact(partials: number[], x: number): void {
  if (x === 0) return;
  const n = partials.length;
  let i = 0;
  for (let j = 0; j < n; j++) {
    let y = partials[j]!;
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) partials[i++] = lo;
    x = hi;
  }
  // Every partial was read before its slot is written (i <= j), so the sum's top goes in place, and
  // the length is set only when it changed: setting it was a third of the main thread's merge time.
  if (x !== 0) partials[i++] = x;
  if (i !== n) partials.length = i;
}

/** Working copy of a cell's partials for addExactStrided (grown on demand; a cell has 2–4 usually). */
let scratch = new Float64Array(64);

/**
 * addExact(partials, xs[from + k·stride]) for k = 0 … count − 1, in that order: the same partials
 * afterwards. The partials are worked on in a Float64Array and written back once, instead of an
 * array whose length changes add after add: the main thread's merge of a chunk's leaves (32 values
 * per cell for an 8,192-run chunk), measured ~4× cheaper per value than addExact on paper-proposals.
 */
export function addExactStrided(
  partials: number[],
  xs: Float64Array,
  from: number,
  stride: number,
  count: number,
): void {
  // Each value adds at most one partial.
  if (scratch.length < partials.length + count) scratch = new Float64Array(2 * (partials.length + count));
  const p = scratch;
  let n = partials.length;
  for (let j = 0; j < n; j++) p[j] = partials[j]!;
  for (let k = 0, at = from; k < count; k++, at += stride) {
    let x = xs[at]!;
    if (x === 0) continue;
    let i = 0;
    for (let j = 0; j < n; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    if (x !== 0) p[i++] = x;
    n = i;
  }
  for (let j = 0; j < n; j++) partials[j] = p[j]!;
  if (partials.length !== n) partials.length = n;
}

/** The correctly rounded value of the partials (+0 for none). */
export function roundExact(partials: readonly number[]): number {
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n]!;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // Half-way cases: round to even unless the partials below push the tie one way.
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi + 0;
}

/** One exact sum per cell; flattens to (lengths, values) for files and merges by exact addition. */
export class ExactSums {
  readonly parts: number[][];

  constructor(cells: number) {
    this.parts = Array.from({ length: cells }, () => []);
  }

  get cells(): number {
    return this.parts.length;
  }

  add(cell: number, x: number): void {
    addExact(this.parts[cell]!, x);
  }

  /** Adds every partial of `other` (the same number of cells). */
  merge(other: ExactSums): void {
    if (other.cells !== this.cells) throw new Error(`cannot merge ${other.cells} exact sums into ${this.cells}`);
    for (let c = 0; c < this.parts.length; c++) {
      const mine = this.parts[c]!;
      for (const x of other.parts[c]!) addExact(mine, x);
    }
  }

  value(cell: number): number {
    return roundExact(this.parts[cell]!);
  }

  /** Flat form: partials per cell, then all partials cell after cell. */
  flatten(): { lengths: Uint32Array; values: Float64Array } {
    const lengths = Uint32Array.from(this.parts, (p) => p.length);
    const values = new Float64Array(lengths.reduce((a, b) => a + b, 0));
    let k = 0;
    for (const p of this.parts) for (const x of p) values[k++] = x;
    return { lengths, values };
  }

  static fromFlat(lengths: ArrayLike<number>, values: ArrayLike<number>): ExactSums {
    const s = new ExactSums(lengths.length);
    let k = 0;
    for (let c = 0; c < lengths.length; c++) {
      const p = s.parts[c]!;
      for (let j = 0; j < lengths[c]!; j++) addExact(p, values[k++]!);
    }
    if (k !== values.length) throw new Error(`exact sums: ${values.length} values for ${k} partials`);
    return s;
  }
}
