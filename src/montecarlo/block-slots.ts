import type { BlockBuffers } from './run-block.js';
import { type Binning, LEAF_SIZE } from './stats.js';

/**
 * Where a worker thread puts a block's statistics: one of a few shared buffers that the main thread
 * allocates once per simulation, instead of a fresh set of buffers per block (2 MB for 800 cells)
 * transferred to the main thread. Those were garbage on both sides once merged, and neither thread
 * collected them soon (the main thread allocates little else; in a worker they outlive a block, so
 * they wait for a full collection): tens of MB of dead summaries at a time, measured on 1M runs on
 * 2 workers. The worker copies a block's summary into the slot as it finishes (the accumulator's own
 * arrays die young), and the views of the slot it returns cross the thread boundary without a copy.
 *
 * A slot is reused: block b writes slot b mod slots, and evaluateInOrder submits block b + slots only
 * once block b is merged (at most `slots` blocks outstanding), so a slot is never written while the
 * statistics of its previous block are still to be read.
 *
 * Layout for a block of n runs: the Float64 arrays first (so that every view is aligned) — leaf sums
 * (leaves × cells × 2), min, max (cells), reached (targets), first year (targets × (span + 1)) —
 * then the Uint32 ones: histogram (cells × (bins + 2)), non-finite counts (cells).
 */
function lengths(binning: Binning, runs: number, targets: number, span: number): number[] {
  const { cells, bins } = binning;
  return [
    Math.ceil(runs / LEAF_SIZE) * cells * 2,
    cells,
    cells,
    targets,
    targets * (span + 1),
    cells * (bins + 2),
    cells,
  ];
}
const FLOAT64_ARRAYS = 5;

/** Bytes of a slot for blocks of up to `chunk` runs. */
export function slotBytes(binning: Binning, chunk: number, targets: number, span: number): number {
  return lengths(binning, chunk, targets, span).reduce((bytes, n, i) => bytes + n * (i < FLOAT64_ARRAYS ? 8 : 4), 0);
}

/** The arrays of a block of `runs` runs in `slot` (views of it). */
export function slotBuffers(
  slot: SharedArrayBuffer,
  binning: Binning,
  runs: number,
  targets: number,
  span: number,
): BlockBuffers {
  let offset = 0;
  const views = lengths(binning, runs, targets, span).map((n, i) => {
    const bytes = n * (i < FLOAT64_ARRAYS ? 8 : 4);
    if (offset + bytes > slot.byteLength) throw new RangeError(`a block of ${runs} runs is larger than its slot`);
    const view = i < FLOAT64_ARRAYS ? new Float64Array(slot, offset, n) : new Uint32Array(slot, offset, n);
    offset += bytes;
    return view;
  });
  const [leafSums, min, max, reached, firstYear, hist, nonFinite] = views as unknown as [
    Float64Array<ArrayBuffer>,
    Float64Array<ArrayBuffer>,
    Float64Array<ArrayBuffer>,
    Float64Array<ArrayBuffer>,
    Float64Array<ArrayBuffer>,
    Uint32Array<ArrayBuffer>,
    Uint32Array<ArrayBuffer>,
  ];
  return { leafSums, min, max, hist, nonFinite, reached, firstYear };
}
