/**
 * Per-cell Monte Carlo statistics in memory independent of the number of runs, with a result that is
 * byte-identical however the runs [0, N) are cut into chunks and whichever worker computes a chunk.
 *
 * - Sums are not associative in floating point, so their order of addition is fixed by run index:
 *   runs are grouped into leaves of LEAF_SIZE consecutive runs; inside a leaf a worker adds in run
 *   order, and the main thread adds each leaf's sums into exact totals (exact-sum.ts), rounded once
 *   when the result is read. Chunks start on leaf boundaries, so no leaf is ever split between
 *   workers, and leaves combine the same way on one machine, across shards or after a resume.
 * - Min, max and histogram counts are order-independent (min and max are exact, with −0 reported
 *   as +0; counts are integers), so chunks merge them in any grouping.
 * - Percentiles come from a fixed-bin histogram whose range was set from a deterministic pilot.
 *
 * Non-finite values are counted per cell and left out of everything else. The Monte Carlo never
 * feeds them (a run whose equations give NaN or Infinity stops the whole simulation, naming the run),
 * so this is a guard for other callers: one bad value must not silently turn a cell's mean into NaN.
 */

import { align16 } from '../util/wasm.js';
import { addExactStrided, ExactSums } from './exact-sum.js';
import { acquireFold, type FoldInstance, releaseFold } from './wasm-fold.js';

export const LEAF_SIZE = 256;
/**
 * Runs buffered before they are folded cell by cell: small enough for the buffer to stay in cache
 * (32 × 800 cells × 8 bytes = 200 KB). Folding sub-blocks in run order continues each leaf's sums in
 * exactly the same sequence of additions, so the results do not depend on it.
 */
const SUB_BLOCK = 32;
export const DEFAULT_BINS = 512;
export const DEFAULT_PERCENTILES: readonly number[] = [5, 25, 50, 75, 95];

/** Fixed histogram geometry and centring constants per cell; plain data, so it can be posted to workers. */
export interface Binning {
  readonly cells: number;
  /** Regular bins per cell, not counting the underflow and overflow slots. */
  readonly bins: number;
  /** Lower edge of bin 0, per cell. */
  readonly lo: Float64Array;
  /** Bin width per cell: the resolution of that cell's percentiles. */
  readonly width: Float64Array;
  /** Subtracted before summing, to keep Σ(x−c)² free of cancellation. */
  readonly centre: Float64Array;
}

/**
 * Bins from a pilot (the first P runs, P×C row-major): range [min − m, max + m] with m = (max − min)/2,
 * so the bulk of the full run lands in bins of width (max − min)/(bins/2); centre = pilot mean.
 *
 * A cell constant in the pilot gets a tiny range around its value (1e-6 relative, at least 1e-9
 * absolute): it is most likely constant in every run, and percentiles are clamped to the exact min and
 * max, so it reports its exact value; a rare later deviation lands in the under/overflow count. So
 * does a cell whose pilot range is negligible (at most 1e-9 of its magnitude: values that differ by
 * float rounding only): bins of 2·range/bins would be narrower than the spacing of doubles there, and
 * `min − range/2` rounds to whole ulps, which pushed pilot values into the under/overflow slots.
 * Whatever the rule, the bins are checked to hold the pilot's min and max with the arithmetic that
 * ChunkAccumulator uses (subnormal ranges can fail that), falling back to the constant-cell range if
 * they do not. (A range that overflows, max − min > 1.8e308, is not handled: it gets that fallback too.)
 */
export function makeBinning(pilotValues: Float64Array, pilotRuns: number, cells: number, bins = DEFAULT_BINS): Binning {
  checkBins(bins);
  if (pilotValues.length !== pilotRuns * cells) {
    throw new RangeError(
      `pilot has ${pilotValues.length} values; expected ${pilotRuns} runs × ${cells} cells = ${pilotRuns * cells}`,
    );
  }
  const scan = new PilotScan(cells);
  for (let r = 0; r < pilotRuns; r++) scan.add(pilotValues.subarray(r * cells, (r + 1) * cells));
  return scan.binning(bins);
}

function checkBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a whole number >= 1 (got ${bins})`);
}

/**
 * What makeBinning takes from the pilot, gathered run by run: per cell the finite values' min, max,
 * sum (added in run order, as makeBinning's loop adds them) and count. The Monte Carlo scans its
 * pilot this way instead of keeping all of it (12.8 MB for 2,000 runs × 800 cells); the bins are
 * the same bit for bit.
 */
export class PilotScan {
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly sum: Float64Array;
  private readonly n: Float64Array;

  constructor(readonly cells: number) {
    this.min = new Float64Array(cells).fill(Infinity);
    this.max = new Float64Array(cells).fill(-Infinity);
    this.sum = new Float64Array(cells);
    this.n = new Float64Array(cells);
  }

  /** One run's cells (`cells` values; the array is not kept). */
  add(values: Float64Array): void {
    if (values.length !== this.cells)
      throw new RangeError(`a pilot run has ${values.length} values; expected ${this.cells}`);
    const { min, max, sum, n } = this;
    for (let c = 0; c < values.length; c++) {
      const v = values[c]!;
      if (!Number.isFinite(v)) continue;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
      sum[c]! += v;
      n[c]!++;
    }
  }

  /** The bins of the runs added (see makeBinning). */
  binning(bins = DEFAULT_BINS): Binning {
    checkBins(bins);
    const { cells } = this;
    const lo = new Float64Array(cells);
    const width = new Float64Array(cells);
    const centre = new Float64Array(cells);
    for (let c = 0; c < cells; c++) {
      const min = this.min[c]!;
      const max = this.max[c]!;
      const sum = this.sum[c]!;
      const n = this.n[c]!;
      if (n === 0) {
        lo[c] = -1;
        width[c] = 2 / bins;
        centre[c] = 0;
        continue;
      }
      const mean = sum / n;
      const range = max - min;
      const scale = Math.max(Math.abs(min), Math.abs(max));
      let l = min - 0.5 * range;
      let w = (2 * range) / bins;
      if (!(range > 1e-9 * scale && Number.isFinite(range) && holds(l, w, bins, min) && holds(l, w, bins, max))) {
        // A constant cell, or one whose range is negligible or not representable (see above).
        const half = Math.max(scale * 1e-6, 1e-9);
        l = min - half;
        w = (2 * half) / bins;
      }
      lo[c] = l;
      width[c] = w;
      // The mean can round outside [min, max] by an ulp; keep the centre inside the data.
      centre[c] = Math.min(Math.max(mean, min), max);
    }
    return { cells, bins, lo, width, centre };
  }
}

/** Whether v lands in a regular bin (not under/overflow) of [lo, lo + bins·width), computed as ChunkAccumulator does. */
function holds(lo: number, width: number, bins: number, v: number): boolean {
  const t = (v - lo) * (1 / width);
  return t >= 0 && t < bins;
}

/** What a worker sends back for one chunk; every field is a plain typed array or number (see transferList). */
export interface ChunkSummary {
  readonly firstRun: number;
  readonly runCount: number;
  /** Per leaf, per cell: [Σ(x−c), Σ(x−c)²] over the leaf's finite values, added in run order. Leaves × cells × 2. */
  readonly leafSums: Float64Array<ArrayBuffer>;
  readonly min: Float64Array<ArrayBuffer>;
  readonly max: Float64Array<ArrayBuffer>;
  /**
   * Per cell: [underflow, bin 0 … bin B−1, overflow]; cells × (bins + 2). Uint32 even for chunks of
   * fewer than 65536 runs: Uint16 would halve its 1.6 MB (800 cells) but saved only ~65 µs of
   * allocation per chunk (< 0.01 µs per run at the default chunk) and the merge costs the same.
   */
  readonly hist: Uint32Array<ArrayBuffer>;
  /** Per cell count of NaN/±Infinity values (left out of everything else). */
  readonly nonFinite: Uint32Array<ArrayBuffer>;
}

/** Buffers to transfer (not copy) when posting a summary from a worker. */
export function transferList(summary: ChunkSummary): ArrayBuffer[] {
  return [
    summary.leafSums.buffer,
    summary.min.buffer,
    summary.max.buffer,
    summary.hist.buffer,
    summary.nonFinite.buffer,
  ];
}

/** How a ChunkAccumulator folds (both give the same bytes). */
export interface FoldOptions {
  /** Cells known to hold the same value in every run (checked run by run all the same). */
  readonly constantCells?: readonly number[] | Int32Array;
  /** Fold in WebAssembly (default) or only in JavaScript: the reference the tests compare with. */
  readonly wasm?: boolean;
  /**
   * Every value added is finite (the Monte Carlo: its projector checks each run), so the WebAssembly
   * fold need not scan the buffered runs for one first. A non-finite value then gives wrong statistics.
   */
  readonly finite?: boolean;
  /**
   * Arrays the summary is written into (of the chunk's sizes), instead of fresh ones: a worker's
   * shared block slot (src/montecarlo/block-slots.ts), reused block after block. Zeroed here.
   */
  readonly into?: SummaryBuffers;
  /**
   * A region of another WebAssembly module's memory for the fold's arrays, with an instance of the
   * fold on that memory (foldOn): the two-run kernel then writes runs straight into the buffer
   * (slotAddress). Not used when the chunk's arrays (foldLayout) do not fit in `bytes`, or without
   * WebAssembly: the accumulator then has a memory of its own, as without this option.
   */
  readonly shared?: { readonly fold: FoldInstance; readonly base: number; readonly bytes: number };
}

/**
 * Byte offsets (16-byte aligned, from 0) and sizes of a chunk's arrays in the fold's memory (see
 * fold.wat): for `cells` cells of which `constantCount` are constant, `bins` bins and `runCount` runs.
 */
export function foldLayout(cells: number, bins: number, constantCount: number, runCount: number) {
  const n = cells + 1;
  const pairs = Math.ceil((cells - constantCount) / 2);
  const constantPairs = Math.ceil(constantCount / 2);
  const sizes = {
    pairs: 8 * pairs,
    constantCells: 8 * constantPairs,
    constantValues: 16 * constantPairs,
    centre: 8 * n,
    lo: 8 * n,
    invWidth: 8 * n,
    min: 8 * n,
    max: 8 * n,
    sums: 16 * n,
    // An even number of rows, for a kernel that writes runs two at a time (slotAddress), and one more
    // value: a pair's spare lane reads one cell past the last run.
    leaf: 8 * (Math.min(runCount + (runCount % 2), SUB_BLOCK) * cells + 1),
    hist: 2 * n * (bins + 2),
  };
  let end = 0;
  const at = {} as Record<keyof typeof sizes | 'end', number>;
  for (const [k, size] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
    at[k] = end;
    end += align16(size);
  }
  at.end = end;
  return { sizes, at, end };
}

/** The arrays of a ChunkSummary, to be written in place. */
export type SummaryBuffers = Pick<ChunkSummary, 'leafSums' | 'min' | 'max' | 'hist' | 'nonFinite'>;

/**
 * Worker side: accumulates the runs [firstRun, firstRun + runCount), which must arrive in order.
 *
 * add() only copies a run into a buffer of SUB_BLOCK runs (× cells); a full buffer (or the chunk's
 * last, partial one) is then processed cell by cell. Run-major processing touched a different
 * 2 KB histogram row for every value (1.6 MB of rows for 800 cells, evicted by the model between runs)
 * and was dominated by cache misses; cell-major, one cell's row and counters stay in L1 for the whole
 * buffer. Each cell still sees its values in run order, so the sums, min and max are the same bit for
 * bit (tests/montecarlo/stats.test.ts compares with the run-major code).
 *
 * The fold runs in WebAssembly (fold.wat), two cells per SIMD instruction, each lane doing the
 * JavaScript fold's operations in the same order: measured on paper-proposals (798 cells, 63 of them
 * constant), copying and checks included, ~4.8 µs per run in JavaScript, ~2.3 µs in WebAssembly. All its state lives in the instance's memory. A buffer holding a
 * NaN or an infinite value (never, in the Monte Carlo, which stops on one) is folded by the JavaScript
 * code on the same state, which counts and skips them.
 *
 * Constant cells (given by the caller: cells that no draw and no shock can move, found from the
 * model's dependency graph) hold the same value in every run, so they are not folded run by run:
 * their value is taken from the chunk's first run and each leaf adds it once with the leaf's run
 * count, giving the same bytes as folding it run after run (see addConstant). Every later run is
 * still compared with it, buffer by buffer before each fold (checkConstant), so that a wrong claim is
 * an error rather than wrong statistics.
 *
 * Memory: the buffer (SUB_BLOCK × cells × 8 bytes), the histogram (cells × (bins + 2) × 4 bytes, 1.6
 * MB for 800 cells, and 0.8 MB of 16-bit counts, see `hist`) and cells × 16 bytes per leaf of the
 * chunk, so chunks should be kept to a bounded number of leaves.
 */
export class ChunkAccumulator {
  private readonly cells: number;
  private readonly bins: number;
  private readonly nonFinite: Uint32Array<ArrayBuffer>;
  private readonly leafSums: Float64Array<ArrayBuffer>;
  private readonly into: SummaryBuffers | undefined;
  /** The cells folded run by run, and the constant ones with their value (from the chunk's first run). */
  private readonly folded: Int32Array;
  private readonly constant: Int32Array;
  /**
   * In pairs for fold.wat's sameAsConstant (an odd last constant paired with itself): the cells, and
   * their values in the chunk's first run.
   */
  private readonly constantPairs: number;
  private readonly constantValue: Float64Array;
  private readonly wasm: FoldInstance | undefined;
  /** Whether the arrays are in options.shared's region (and slotAddress() tells where a run goes). */
  readonly inShared: boolean;
  /** Byte offsets of the arrays below in the instance's memory (see fold.wat). */
  private readonly at: Record<
    | 'pairs'
    | 'constantCells'
    | 'constantValues'
    | 'centre'
    | 'lo'
    | 'invWidth'
    | 'min'
    | 'max'
    | 'sums'
    | 'leaf'
    | 'hist'
    | 'end',
    number
  >;
  // Views of the memory (or plain arrays without WebAssembly). Per cell, with one spare cell after the
  // last for the odd cell of a pair (its results are never read).
  private readonly centre: Float64Array;
  private readonly lo: Float64Array;
  private readonly invWidth: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  /** The current leaf's sums: [Σ(x−c), Σ(x−c)²] per cell. */
  private readonly sums: Float64Array;
  /**
   * Counts since the last flush, per cell (bins + 2), in 16 bits: 0.8 MB for 800 cells instead of 1.6,
   * so that more of the rows the fold touches stay in the 1 MB L2 cache with the buffered runs. On
   * paper-proposals (add() and the fold of 8,192-run chunks, best of 6 alternating, load ~2.5) ~3.39 µs
   * per run against ~3.55 with 32-bit counts: small, within the noise of a loaded machine. They are
   * added into `counts` before any can pass 65,535 (see closeLeaf) and at finish().
   */
  private readonly hist: Uint16Array;
  /** The chunk's counts (the summary's histogram). */
  private readonly counts: Uint32Array<ArrayBuffer>;
  /** Runs counted in `hist` since it was last added into `counts`. */
  private histRuns = 0;
  private flushes = 0;
  /** The buffered runs, run-major: buffered run i at [i × cells, (i + 1) × cells). */
  private readonly leaf: Float64Array;
  /** Views of the buffered runs' rows in `leaf`, made when nextSlot() first asks for one. */
  private readonly slots: Float64Array[] = [];
  private readonly finite: boolean;
  private leafRuns = 0;
  private bufferedRuns = 0;
  private nextRun: number;
  private leafOffset = 0;
  private finished = false;

  constructor(
    binning: Binning,
    readonly firstRun: number,
    readonly runCount: number,
    options: FoldOptions = {},
  ) {
    if (!Number.isSafeInteger(firstRun) || firstRun < 0 || firstRun % LEAF_SIZE !== 0) {
      throw new RangeError(`a chunk must start on a multiple of ${LEAF_SIZE} runs (got first run ${firstRun})`);
    }
    if (!Number.isSafeInteger(runCount) || runCount < 0)
      throw new RangeError(`run count must be a whole number >= 0 (got ${runCount})`);
    const { cells, bins } = binning;
    this.cells = cells;
    this.bins = bins;
    const isConstant = new Uint8Array(cells);
    for (const c of options.constantCells ?? []) {
      if (!(Number.isInteger(c) && c >= 0 && c < cells))
        throw new RangeError(`constant cell ${c} is not one of ${cells}`);
      isConstant[c] = 1;
    }
    this.constant = Int32Array.from({ length: cells }, (_, c) => c).filter((c) => isConstant[c] === 1);
    this.folded = Int32Array.from({ length: cells }, (_, c) => c).filter((c) => isConstant[c] === 0);
    this.constantPairs = Math.ceil(this.constant.length / 2);
    const leafValues = Math.ceil(runCount / LEAF_SIZE) * cells * 2;
    const into = options.into;
    if (into) {
      const sizes = [into.leafSums.length, into.min.length, into.max.length, into.hist.length, into.nonFinite.length];
      const want = [leafValues, cells, cells, cells * (bins + 2), cells];
      if (sizes.some((n, i) => n !== want[i]))
        throw new RangeError(`summary buffers of ${sizes.join(', ')} values for ${want.join(', ')}`);
    }
    this.into = into;
    this.nonFinite = into ? into.nonFinite.fill(0) : new Uint32Array(cells);
    this.leafSums = into ? into.leafSums.fill(0) : new Float64Array(leafValues);
    this.nextRun = firstRun;

    const pairs = Math.ceil(this.folded.length / 2);
    const layout = foldLayout(cells, bins, this.constant.length, runCount);
    const { sizes } = layout;
    // fold.wat clamps the bin position before truncating it, which gives the JavaScript slot for every
    // finite position; bins whose edges or width are not finite numbers (a binning not made by
    // makeBinning) are left to JavaScript.
    const finiteBins =
      binning.centre.every(Number.isFinite) &&
      binning.lo.every(Number.isFinite) &&
      binning.width.every((w) => Number.isFinite(w) && Number.isFinite(1 / w));
    const shared = options.shared;
    const wasm = options.wasm !== false && finiteBins;
    this.inShared = wasm && shared !== undefined && layout.end <= shared.bytes;
    const base = this.inShared ? shared!.base : 0;
    this.at = Object.fromEntries(Object.entries(layout.at).map(([k, v]) => [k, base + v])) as typeof layout.at;
    const at = this.at;
    this.wasm = !wasm ? undefined : this.inShared ? shared!.fold : acquireFold(layout.end);
    const buffer = this.wasm?.memory.buffer ?? new ArrayBuffer(layout.end);
    const f64 = (k: keyof typeof sizes) => new Float64Array(buffer, at[k], sizes[k] / 8);
    this.centre = f64('centre');
    this.lo = f64('lo');
    this.invWidth = f64('invWidth');
    this.min = f64('min');
    this.max = f64('max');
    this.sums = f64('sums');
    this.leaf = f64('leaf');
    this.finite = options.finite === true;
    this.hist = new Uint16Array(buffer, at.hist, sizes.hist / 2);
    // Zero: a chunk without runs never flushes.
    this.counts = into ? into.hist.fill(0) : new Uint32Array(cells * (bins + 2));
    // A reused instance holds the last chunk's state: every array is set here (the buffer is written
    // before it is read).
    this.centre.set(binning.centre);
    this.lo.set(binning.lo);
    for (let c = 0; c < cells; c++) this.invWidth[c] = 1 / binning.width[c]!;
    this.centre[cells] = 0;
    this.lo[cells] = 0;
    this.invWidth[cells] = 1;
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.sums.fill(0);
    this.hist.fill(0);
    const pairCells = new Int32Array(buffer, at.pairs, 2 * pairs);
    pairCells.set(this.folded);
    if (this.folded.length % 2 === 1) pairCells[2 * pairs - 1] = cells;
    const constantCells = new Int32Array(buffer, at.constantCells, 2 * this.constantPairs);
    constantCells.set(this.constant);
    if (this.constant.length % 2 === 1) constantCells[2 * this.constantPairs - 1] = this.constant.at(-1)!;
    this.constantValue = f64('constantValues');
  }

  /** Adds run `runIndex`; `values` (cells long, possibly a view the caller reuses) is copied. */
  add(runIndex: number, values: Float64Array): void {
    if (this.finished) throw new Error(`run ${runIndex} added after the chunk was finished`);
    if (runIndex !== this.nextRun)
      throw new Error(`runs must be added in order: expected run ${this.nextRun}, got ${runIndex}`);
    if (runIndex >= this.firstRun + this.runCount) {
      throw new Error(`run ${runIndex} is outside this chunk [${this.firstRun}, ${this.firstRun + this.runCount})`);
    }
    const cells = this.cells;
    if (values.length !== cells) throw new Error(`run ${runIndex} has ${values.length} values; expected ${cells}`);
    if (runIndex === this.firstRun) {
      const { constant, constantValue } = this;
      for (let k = 0; k < constant.length; k++) constantValue[k] = values[constant[k]!]!;
      if (constant.length % 2 === 1) constantValue[constant.length] = constantValue[constant.length - 1]!;
    }
    // A row written in place (nextSlot()) is where it belongs already.
    if (values !== this.slots[this.bufferedRuns]) this.leaf.set(values, this.bufferedRuns * cells);
    this.nextRun++;
    this.leafRuns++;
    // The chunk's last run is folded here too, so that a changed constant cell is reported by add().
    const last = this.nextRun === this.firstRun + this.runCount;
    if (++this.bufferedRuns === SUB_BLOCK || this.leafRuns === LEAF_SIZE || last) this.fold();
    if (this.leafRuns === LEAF_SIZE) this.closeLeaf();
  }

  /**
   * The row of the buffer that the next run's values go to: a caller that computes them there passes
   * it to add(), which then copies nothing. Valid until the next add().
   */
  nextSlot(): Float64Array {
    const i = this.bufferedRuns;
    this.slots[i] ??= this.leaf.subarray(i * this.cells, (i + 1) * this.cells);
    return this.slots[i]!;
  }

  /**
   * Where nextSlot()'s row starts in options.shared's memory (a byte offset), for a WebAssembly kernel
   * on that memory to write the next run's values there; the row after it holds one more run, for a
   * kernel that writes two (the buffer has an even number of rows). Only when inShared.
   */
  slotAddress(): number {
    if (!this.inShared) throw new Error('slotAddress() of an accumulator outside a shared memory');
    return this.at.leaf + 8 * this.bufferedRuns * this.cells;
  }

  /**
   * Whether every value of the next row (nextSlot()) is finite: one SIMD scan in WebAssembly
   * (fold.wat allFinite), several times cheaper than a JavaScript loop over 800 values.
   */
  nextSlotFinite(): boolean {
    const { cells } = this;
    const i = this.bufferedRuns;
    if (this.wasm) return this.wasm.allFinite(this.at.leaf + 8 * i * cells, cells) === 1;
    const leaf = this.leaf;
    for (let k = i * cells; k < (i + 1) * cells; k++) if (!Number.isFinite(leaf[k]!)) return false;
    return true;
  }

  /** Folds the buffered runs into the statistics cell by cell, continuing the current leaf's sums. */
  private fold(): void {
    this.checkConstant();
    const w = this.wasm;
    const { at, cells, bufferedRuns: runs } = this;
    if (w && (this.finite || w.allFinite(at.leaf, runs * cells) === 1)) {
      const pairs = Math.ceil(this.folded.length / 2);
      const histRow = 2 * (this.bins + 2);
      w.fold(
        at.pairs,
        pairs,
        at.leaf,
        8 * cells,
        runs,
        at.centre,
        at.lo,
        at.invWidth,
        at.min,
        at.max,
        at.sums,
        at.hist,
        histRow,
        this.bins,
      );
    } else this.foldJs();
    this.bufferedRuns = 0;
  }

  /**
   * Throws if a buffered run moved a cell declared constant. In WebAssembly two cells per comparison
   * (fold.wat sameAsConstant), else cell by cell over the buffer; either way one comparison per value
   * and no test for NaN. On paper-proposals (98 constant cells, 1M runs) ~0.31 µs per run in add()
   * run by run, which tested each value for NaN too, ~0.14 in this JavaScript loop, ~0.04 in
   * WebAssembly. Only when some value differs (or a constant is NaN) does constantChanged() look
   * again, run by run.
   */
  private checkConstant(): void {
    const { constant, constantValue, leaf, cells, wasm, at } = this;
    if (constant.length === 0) return;
    if (wasm) {
      const rowBytes = 8 * cells;
      const pairs = this.constantPairs;
      if (wasm.sameAsConstant(at.constantCells, pairs, at.constantValues, at.leaf, rowBytes, this.bufferedRuns) !== 1)
        this.constantChanged();
      return;
    }
    const end = this.bufferedRuns * cells;
    let differ = 0;
    for (let k = 0; k < constant.length; k++) {
      const was = constantValue[k]!;
      for (let i = constant[k]!; i < end; i += cells) differ |= leaf[i] !== was ? 1 : 0;
    }
    if (differ !== 0) this.constantChanged();
  }

  /**
   * The first buffered run, in run order, with a constant cell unlike the chunk's first run's: an
   * internal error naming both. Equal, or both NaN, is the same value: −0 for +0 or another NaN changes
   * no statistic (see addConstant).
   */
  private constantChanged(): void {
    const { constant, constantValue, leaf, cells } = this;
    const first = this.nextRun - this.bufferedRuns;
    for (let r = 0; r < this.bufferedRuns; r++) {
      for (let k = 0; k < constant.length; k++) {
        const v = leaf[r * cells + constant[k]!]!;
        const was = constantValue[k]!;
        if (v !== was && !(Number.isNaN(v) && Number.isNaN(was))) {
          throw new Error(
            `internal error: cell ${constant[k]} of run ${first + r} is ${v}, but ${was} in run ${this.firstRun}, although it was declared constant`,
          );
        }
      }
    }
  }

  /** The fold in JavaScript: what fold.wat does, and non-finite values counted and skipped. */
  private foldJs(): void {
    const { cells, bins, leaf, hist, centre, lo, invWidth, min, max, nonFinite, sums, folded } = this;
    const stride = bins + 2;
    const end = this.bufferedRuns * cells;
    for (let k = 0; k < folded.length; k++) {
      const c = folded[k]!;
      const h = c * stride;
      const cc = centre[c]!;
      const l = lo[c]!;
      const iw = invWidth[c]!;
      let mn = min[c]!;
      let mx = max[c]!;
      let bad = 0;
      let s1 = sums[2 * c]!;
      let s2 = sums[2 * c + 1]!;
      for (let i = c; i < end; i += cells) {
        const v = leaf[i]!;
        // v − v is 0 for every finite v and NaN for NaN and ±Infinity.
        if (v - v !== 0) {
          bad++;
          continue;
        }
        const d = v - cc;
        s1 += d;
        s2 += d * d;
        // Plain comparisons keep whichever of −0 and +0 came first; result() normalises −0 to +0.
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        // Range tests on the double before truncating: cheaper than Math.floor, and safe for huge t.
        const t = (v - l) * iw;
        hist[h + (t < 0 ? 0 : t < bins ? (t | 0) + 1 : bins + 1)]!++;
      }
      min[c] = mn;
      max[c] = mx;
      nonFinite[c]! += bad;
      sums[2 * c] = s1;
      sums[2 * c + 1] = s2;
    }
  }

  /**
   * The current leaf is complete: its constant cells get their `leafRuns` values at once, its sums go
   * into the chunk's, and the next runs start a new leaf's sums.
   */
  private closeLeaf(): void {
    const { constant, constantValue } = this;
    for (let k = 0; k < constant.length; k++) this.addConstant(constant[k]!, constantValue[k]!, this.leafRuns);
    this.leafSums.set(this.sums.subarray(0, 2 * this.cells), this.leafOffset);
    this.sums.fill(0);
    this.leafOffset += 2 * this.cells;
    this.histRuns += this.leafRuns;
    this.leafRuns = 0;
    // The next leaf adds at most LEAF_SIZE to any count.
    if (this.histRuns > 0xffff - LEAF_SIZE) this.flushCounts();
  }

  /**
   * Adds the 16-bit counts into the chunk's (the first time, a copy: the usual chunk of at most 65,279
   * runs flushes once) and, unless the chunk is finished, starts them again from 0.
   */
  private flushCounts(last = false): void {
    const { counts, hist } = this;
    if (this.flushes++ === 0) counts.set(hist.subarray(0, counts.length));
    else for (let i = 0; i < counts.length; i++) counts[i]! += hist[i]!;
    if (!last) hist.fill(0);
    this.histRuns = 0;
  }

  /**
   * What fold() would make of n runs of value v in cell c of the current leaf, in O(1) in the usual
   * case. The sums start the leaf at +0 and d = v − centre is the same for every run; when d is 0
   * (the centre is a constant cell's value, as makeBinning makes it) they stay +0 whatever the sign of
   * d, and otherwise d is added n times in turn, as fold() would. Min and max become v (a −0 or +0
   * first seen stays, as in fold()); the histogram slot gets n.
   */
  private addConstant(c: number, v: number, n: number): void {
    if (v - v !== 0) {
      this.nonFinite[c]! += n;
      return;
    }
    const d = v - this.centre[c]!;
    if (d !== 0) {
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        s1 += d;
        s2 += d * d;
      }
      this.sums[2 * c] = s1;
      this.sums[2 * c + 1] = s2;
    }
    if (v < this.min[c]!) this.min[c] = v;
    if (v > this.max[c]!) this.max[c] = v;
    const bins = this.bins;
    const t = (v - this.lo[c]!) * this.invWidth[c]!;
    this.hist[c * (bins + 2) + (t < 0 ? 0 : t < bins ? (t | 0) + 1 : bins + 1)]! += n;
  }

  /** The chunk's summary; every run of the chunk must have been added. The accumulator cannot be reused. */
  finish(): ChunkSummary {
    const end = this.firstRun + this.runCount;
    if (this.finished) throw new Error(`chunk [${this.firstRun}, ${end}) was already finished`);
    if (this.nextRun !== end)
      throw new Error(`chunk [${this.firstRun}, ${end}) finished after only ${this.nextRun - this.firstRun} runs`);
    if (this.bufferedRuns > 0) this.fold();
    if (this.leafRuns > 0) this.closeLeaf();
    this.finished = true;
    const { cells, firstRun, runCount, leafSums, nonFinite } = this;
    const { into } = this;
    // Copies of the memory's arrays (their own buffers, to transfer, or the caller's), without the spare cell.
    if (this.histRuns > 0) this.flushCounts(true);
    const hist = this.counts;
    const min = into ? into.min : new Float64Array(cells);
    const max = into ? into.max : new Float64Array(cells);
    min.set(this.min.subarray(0, cells));
    max.set(this.max.subarray(0, cells));
    const summary: ChunkSummary = { firstRun, runCount, leafSums, min, max, hist, nonFinite };
    if (this.wasm) releaseFold(this.wasm);
    return summary;
  }
}

export interface PercentileResult {
  /** The requested percentile, 0–100. */
  readonly p: number;
  readonly value: Float64Array;
  /**
   * 1 where the percentile fell in the under/overflow tail (outside the pilot-based range) and was
   * clamped to the exact min or max; its error is then not bounded by the bin width.
   */
  readonly clamped: Uint8Array;
}

export interface StatsResult {
  readonly runs: number;
  readonly cells: number;
  /** Finite values per cell (runs − nonFinite). */
  readonly count: Float64Array;
  readonly nonFinite: Float64Array;
  readonly mean: Float64Array;
  /** Sample standard deviation (n − 1); NaN with fewer than 2 values. */
  readonly sd: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly percentiles: readonly PercentileResult[];
  /**
   * Bin width per cell. An unclamped percentile is within one bin width of the order statistic
   * x₍⌈p·n/100⌉₎ (both lie in the same bin); other percentile definitions differ from that one by at
   * most the gap to the neighbouring order statistic.
   */
  readonly resolution: Float64Array;
}

/**
 * The merged statistics of a contiguous range of runs as plain data: what a shard, a checkpoint or a
 * merge carries. Every field merges exactly (integer counts, min/max, exact sums), so the states of
 * disjoint ranges combine in any order into the state of their union.
 */
export interface MergerState {
  readonly firstRun: number;
  readonly runs: number;
  readonly sum1: ExactSums;
  readonly sum2: ExactSums;
  readonly min: Float64Array;
  readonly max: Float64Array;
  /**
   * Counts per cell and slot; Float64 when they may pass 2³² (a state read from a file may be narrower,
   * or sparse: a shard of a few leaves fills a sixth of its histogram).
   */
  readonly hist: Float64Array | Uint32Array | Uint16Array | SparseCounts;
  readonly nonFinite: Float64Array;
}

/** Whole counts held by their nonzero entries: `count[k]` at `index[k]` (increasing), zero elsewhere. */
export class SparseCounts {
  constructor(
    readonly length: number,
    readonly index: Uint32Array,
    readonly count: Float64Array | Uint32Array | Uint16Array,
  ) {}

  dense(): Float64Array {
    const out = new Float64Array(this.length);
    this.addTo(out);
    return out;
  }

  /** Add these counts into `into` (of the same length). */
  addTo(into: Float64Array): void {
    const { index, count } = this;
    for (let k = 0; k < index.length; k++) into[index[k]!]! += count[k]!;
  }
}

/** `into += counts`, dense or sparse. */
function addCounts(into: Float64Array, counts: MergerState['hist']): void {
  if (counts instanceof SparseCounts) counts.addTo(into);
  else for (let i = 0; i < into.length; i++) into[i]! += counts[i]!;
}

/**
 * Main side: folds chunk summaries, which must be added in run order from `firstRun` (0 unless the
 * merger continues a shard or a checkpoint). Each leaf's sums (added in run order by a worker) go into
 * exact per-cell totals, so totals do not depend on how leaves are grouped (see exact-sum.ts).
 */
export class StatsMerger {
  private readonly cells: number;
  private readonly bins: number;
  private readonly sum1: ExactSums;
  private readonly sum2: ExactSums;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  /** Float64 so that counts stay exact past 2³² runs. */
  private readonly hist: Float64Array;
  private readonly nonFinite: Float64Array;
  private readonly firstRun: number;
  /** Runs merged so far: [firstRun, firstRun + merged). */
  private merged = 0;

  constructor(
    private readonly binning: Binning,
    from: number | MergerState = 0,
  ) {
    this.cells = binning.cells;
    this.bins = binning.bins;
    if (typeof from === 'number') {
      if (from % LEAF_SIZE !== 0) throw new RangeError(`a merger must start on a leaf boundary (got run ${from})`);
      this.firstRun = from;
      this.sum1 = new ExactSums(this.cells);
      this.sum2 = new ExactSums(this.cells);
      this.min = new Float64Array(this.cells).fill(Infinity);
      this.max = new Float64Array(this.cells).fill(-Infinity);
      this.hist = new Float64Array(this.cells * (this.bins + 2));
      this.nonFinite = new Float64Array(this.cells);
    } else {
      const st = from;
      if (
        st.min.length !== this.cells ||
        st.hist.length !== this.cells * (this.bins + 2) ||
        st.sum1.cells !== this.cells
      )
        throw new Error(`state does not match this binning (${this.cells} cells, ${this.bins} bins)`);
      this.firstRun = st.firstRun;
      this.merged = st.runs;
      this.sum1 = copySums(st.sum1);
      this.sum2 = copySums(st.sum2);
      this.min = Float64Array.from(st.min);
      this.max = Float64Array.from(st.max);
      this.hist = new Float64Array(this.cells * (this.bins + 2));
      addCounts(this.hist, st.hist);
      this.nonFinite = Float64Array.from(st.nonFinite);
    }
  }

  /** Runs covered: [firstRun, endRun). */
  get endRun(): number {
    return this.firstRun + this.merged;
  }

  add(summary: ChunkSummary): void {
    const end = this.endRun;
    if (summary.firstRun !== end) {
      throw new Error(
        `chunks must be merged in run order: expected a chunk starting at run ${end}, got one starting at run ${summary.firstRun}`,
      );
    }
    if (end % LEAF_SIZE !== 0) {
      throw new Error(
        `the chunk ending at run ${end} ends inside a leaf of ${LEAF_SIZE} runs, so it must be the last one`,
      );
    }
    const { cells, bins } = this;
    const leaves = Math.ceil(summary.runCount / LEAF_SIZE);
    if (
      summary.leafSums.length !== leaves * cells * 2 ||
      summary.hist.length !== cells * (bins + 2) ||
      summary.min.length !== cells
    ) {
      throw new Error(`chunk at run ${summary.firstRun} does not match this binning (${cells} cells, ${bins} bins)`);
    }
    const s1 = this.sum1.parts;
    const s2 = this.sum2.parts;
    // Each cell's leaves in leaf order (its partials depend on nothing else).
    const leafSums = summary.leafSums;
    for (let c = 0; c < cells; c++) {
      addExactStrided(s1[c]!, leafSums, 2 * c, 2 * cells, leaves);
      addExactStrided(s2[c]!, leafSums, 2 * c + 1, 2 * cells, leaves);
    }
    for (let c = 0; c < cells; c++) {
      this.min[c] = Math.min(this.min[c]!, summary.min[c]!);
      this.max[c] = Math.max(this.max[c]!, summary.max[c]!);
      this.nonFinite[c]! += summary.nonFinite[c]!;
    }
    const hist = this.hist;
    for (let i = 0; i < hist.length; i++) hist[i]! += summary.hist[i]!;
    this.merged += summary.runCount;
  }

  /**
   * Adds the state of another range (a shard): exact, so any order gives the same totals. The caller
   * checks that the ranges are disjoint; the merger then covers runs counted from the lowest start.
   */
  absorb(st: MergerState): void {
    if (st.min.length !== this.cells || st.hist.length !== this.hist.length)
      throw new Error(`state does not match this binning (${this.cells} cells, ${this.bins} bins)`);
    this.sum1.merge(st.sum1);
    this.sum2.merge(st.sum2);
    for (let c = 0; c < this.cells; c++) {
      this.min[c] = Math.min(this.min[c]!, st.min[c]!);
      this.max[c] = Math.max(this.max[c]!, st.max[c]!);
      this.nonFinite[c]! += st.nonFinite[c]!;
    }
    // Only the nonzero counts of a sparse (shard) histogram are touched: most of merging 1,000 shards.
    addCounts(this.hist, st.hist);
    this.merged += st.runs;
  }

  /**
   * The merged state without copies: valid only until the next add() or absorb(). For a checkpoint
   * written synchronously between two merges, where copying 3 MB of counts would be the main cost.
   */
  view(): MergerState {
    const { firstRun, merged: runs, sum1, sum2, min, max, hist, nonFinite } = this;
    return { firstRun, runs, sum1, sum2, min, max, hist, nonFinite };
  }

  /** The merged state (copies: the merger can go on). */
  state(): MergerState {
    return {
      firstRun: this.firstRun,
      runs: this.merged,
      sum1: copySums(this.sum1),
      sum2: copySums(this.sum2),
      min: Float64Array.from(this.min),
      max: Float64Array.from(this.max),
      hist: new Float64Array(this.hist),
      nonFinite: Float64Array.from(this.nonFinite),
    };
  }

  /** Statistics of the runs merged so far. */
  result(percentiles: readonly number[] = DEFAULT_PERCENTILES): StatsResult {
    for (const p of percentiles) {
      if (!(p >= 0 && p <= 100)) throw new RangeError(`percentiles must be between 0 and 100 (got ${p})`);
    }
    const { cells, bins, binning } = this;
    const stride = bins + 2;
    const count = new Float64Array(cells);
    const mean = new Float64Array(cells);
    const sd = new Float64Array(cells);
    const pct = percentiles.map((p) => ({ p, value: new Float64Array(cells), clamped: new Uint8Array(cells) }));
    // −0 and +0 compare equal, so which one a min or max holds depends on the order values arrived in.
    const min = Float64Array.from(this.min, (v) => (v === Infinity ? NaN : v + 0));
    const max = Float64Array.from(this.max, (v) => (v === -Infinity ? NaN : v + 0));
    for (let c = 0; c < cells; c++) {
      const n = this.merged - this.nonFinite[c]!;
      count[c] = n;
      const s1 = this.sum1.value(c);
      mean[c] = n > 0 ? binning.centre[c]! + s1 / n : NaN;
      sd[c] = n > 1 ? Math.sqrt(Math.max(0, (this.sum2.value(c) - (s1 * s1) / n) / (n - 1))) : NaN;
      for (const out of pct) {
        const { value, clamped } = percentileFromHistogram(
          this.hist,
          c * stride,
          bins,
          n,
          out.p,
          binning.lo[c]!,
          binning.width[c]!,
          min[c]!,
          max[c]!,
        );
        out.value[c] = value;
        out.clamped[c] = clamped ? 1 : 0;
      }
    }
    return {
      runs: this.merged,
      cells,
      count,
      nonFinite: Float64Array.from(this.nonFinite),
      mean,
      sd,
      min,
      max,
      percentiles: pct,
      resolution: Float64Array.from(binning.width),
    };
  }
}

function copySums(s: ExactSums): ExactSums {
  const c = new ExactSums(s.cells);
  s.parts.forEach((p, i) => c.parts[i]!.push(...p));
  return c;
}

/**
 * Percentile p of n values from one cell's histogram (slots [under, bins…, over] at `offset`): find the
 * bin holding rank q = p·n/100 and interpolate linearly inside it, treating its values as spread
 * evenly. The result is clamped to the exact [min, max], which makes a cell that is constant exact.
 */
function percentileFromHistogram(
  hist: Float64Array,
  offset: number,
  bins: number,
  n: number,
  p: number,
  lo: number,
  width: number,
  min: number,
  max: number,
): { value: number; clamped: boolean } {
  if (n === 0) return { value: NaN, clamped: false };
  if (p === 0) return { value: min, clamped: false };
  if (p === 100) return { value: max, clamped: false };
  const q = (p / 100) * n;
  let cum = hist[offset]!;
  if (q <= cum) return { value: min, clamped: true };
  for (let b = 0; b < bins; b++) {
    const h = hist[offset + 1 + b]!;
    if (h > 0 && q <= cum + h) {
      const x = lo + width * (b + (q - cum) / h);
      return { value: x < min ? min : Math.min(x, max), clamped: false };
    }
    cum += h;
  }
  return { value: max, clamped: true };
}

/** Integer tallies (e.g. runs reaching a target, first year reached) that merge by exact addition. */
export class Counter {
  /** Float64 keeps integer counts exact up to 2⁵³ and posts like any typed array. */
  readonly counts: Float64Array<ArrayBuffer>;

  constructor(sizeOrCounts: number | Float64Array<ArrayBuffer>) {
    this.counts = typeof sizeOrCounts === 'number' ? new Float64Array(sizeOrCounts) : sizeOrCounts;
  }

  get size(): number {
    return this.counts.length;
  }

  increment(index: number, by = 1): void {
    if (!(index >= 0 && index < this.counts.length))
      throw new RangeError(`counter index ${index} out of range [0, ${this.counts.length})`);
    this.counts[index]! += by;
  }

  get(index: number): number {
    return this.counts[index] ?? 0;
  }

  total(): number {
    let t = 0;
    for (const v of this.counts) t += v;
    return t;
  }

  merge(other: Counter | Float64Array): void {
    const src = other instanceof Counter ? other.counts : other;
    if (src.length !== this.counts.length)
      throw new Error(`cannot merge a counter of size ${src.length} into one of size ${this.counts.length}`);
    for (let i = 0; i < src.length; i++) this.counts[i]! += src[i]!;
  }
}
