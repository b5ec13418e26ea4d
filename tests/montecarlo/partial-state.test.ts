/**
 * Partial-state encoding of counts: a histogram with fewer than half of its counts nonzero (a shard of
 * a few leaves) is stored by its nonzero entries, and reads back as exactly the same counts; a fuller
 * one stays dense; damaged sparse data is an error naming the field.
 */
import { describe, expect, it } from 'vitest';
import { ExactSums } from '../../src/montecarlo/exact-sum.js';
import { stateFromJson, stateToJson } from '../../src/montecarlo/partial-state.js';
import { type Binning, type MergerState, SparseCounts, StatsMerger } from '../../src/montecarlo/stats.js';

const CELLS = 3;
const BINS = 4; // 6 slots per cell (under, 4 bins, over): 18 counts
const binning: Binning = {
  cells: CELLS,
  bins: BINS,
  lo: Float64Array.from([0, 0, 0]),
  width: Float64Array.from([1, 1, 1]),
  centre: Float64Array.from([0.5, 0.5, 0.5]),
};

function state(hist: number[], nonFinite = [0, 0, 0]): MergerState {
  const sums = new ExactSums(CELLS);
  return {
    firstRun: 0,
    runs: 70_000,
    sum1: sums,
    sum2: sums,
    min: Float64Array.from([0, 0, 0]),
    max: Float64Array.from([1, 1, 1]),
    hist: Float64Array.from(hist),
    nonFinite: Float64Array.from(nonFinite),
  };
}

/** Through JSON text, as a part file travels. */
const roundTrip = (s: MergerState) =>
  stateFromJson(JSON.parse(JSON.stringify(stateToJson({ binning, stats: s, reached: [], firstYear: [] } as never))));

describe('counts in partial-state files', () => {
  it('mostly zero: stored sparse, read back as the same counts (one past 2^16, so stored as 32-bit)', () => {
    const hist = Array(18).fill(0);
    hist[0] = 3;
    hist[7] = 70_000;
    hist[17] = 1;
    const back = roundTrip(state(hist, [0, 2, 0]));
    expect(back.stats.hist).toBeInstanceOf(SparseCounts);
    expect(Array.from((back.stats.hist as SparseCounts).dense())).toEqual(hist);
    expect(Array.from(back.stats.nonFinite)).toEqual([0, 2, 0]);
    // Absorbed into a merger, the same state as the dense original.
    const a = new StatsMerger(binning);
    a.absorb(back.stats);
    const b = new StatsMerger(binning);
    b.absorb(state(hist, [0, 2, 0]));
    const dense = (m: StatsMerger) => Array.from(m.state().hist as Float64Array);
    expect(dense(a)).toEqual(dense(b));
    expect(dense(a)).toEqual(hist);
  });

  it('more than half nonzero: stored dense', () => {
    const hist = Array.from({ length: 18 }, (_, i) => (i % 3 === 0 ? 0 : i));
    const back = roundTrip(state(hist));
    expect(back.stats.hist).not.toBeInstanceOf(SparseCounts);
    expect(Array.from(back.stats.hist as Uint16Array)).toEqual(hist);
  });

  it('damaged sparse counts: an error naming the field', () => {
    const hist = Array(18).fill(0);
    hist[5] = 2;
    const j = stateToJson({ binning, stats: state(hist), reached: [], firstYear: [] } as never) as {
      stats: { hist: { length: number } };
    };
    j.stats.hist.length = 5;
    expect(() => stateFromJson(JSON.parse(JSON.stringify(j)))).toThrow('stats.hist: an index beyond 5 values');
  });
});
