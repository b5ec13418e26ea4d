import { describe, expect, it } from 'vitest';
import { compileQuantile } from '../../src/montecarlo/distributions.js';
import { runStream } from '../../src/montecarlo/rng.js';
import {
  ChunkAccumulator,
  Counter,
  LEAF_SIZE,
  StatsMerger,
  makeBinning,
  transferList,
  type Binning,
  type StatsResult,
} from '../../src/montecarlo/stats.js';

const N = 5000;
const CELLS = 8;
const PILOT = 2000;

/**
 * Synthetic run outputs covering the awkward cases: a large offset (cancellation), a heavy tail,
 * a constant, ±0, NaN/Infinity, a discrete cell and one whose tails escape the pilot's range.
 */
function runValues(run: number, out: Float64Array): void {
  const u = runStream(5, run);
  const z = compileQuantile({ kind: 'normal', mean: 0, sd: 1 });
  out[0] = 3 + 2 * z(u());
  out[1] = 1e9 + 0.001 * z(u());
  out[2] = 100 * Math.exp(1.2 * z(u()));
  out[3] = 42.5;
  out[4] = run % 3 === 0 ? -0 : run % 3 === 1 ? 0 : u();
  out[5] = run % 97 === 0 ? NaN : run % 89 === 0 ? Infinity : z(u());
  out[6] = Math.floor(u() * 4);
  out[7] = run < PILOT ? u() : 10 * z(u());
}

function allRuns(): Float64Array[] {
  return Array.from({ length: N }, (_, r) => {
    const v = new Float64Array(CELLS);
    runValues(r, v);
    return v;
  });
}

const runs = allRuns();

function pilotBinning(): Binning {
  const pilot = new Float64Array(PILOT * CELLS);
  for (let r = 0; r < PILOT; r++) pilot.set(runs[r]!, r * CELLS);
  return makeBinning(pilot, PILOT, CELLS);
}

/** Run the chunks as workers would (each on its own accumulator), then merge in order. */
function simulate(binning: Binning, chunkSizes: number[]): StatsResult {
  expect(chunkSizes.reduce((a, b) => a + b, 0)).toBe(N);
  const merger = new StatsMerger(binning);
  let first = 0;
  const summaries = chunkSizes.map((size) => {
    const acc = new ChunkAccumulator(binning, first, size);
    for (let r = first; r < first + size; r++) acc.add(r, runs[r]!);
    first += size;
    return structuredClone(acc.finish());
  });
  for (const s of summaries) merger.add(s);
  return merger.result();
}

function toPlain(res: StatsResult): unknown {
  return JSON.parse(
    JSON.stringify(res, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array, (x) => (Number.isNaN(x) ? 'NaN' : x)) : v)),
  );
}

function bytes(res: StatsResult): string {
  const arrays = [res.count, res.nonFinite, res.mean, res.sd, res.min, res.max, res.resolution, ...res.percentiles.flatMap((p) => [p.value, p.clamped])];
  return arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex')).join('|');
}

describe('StatsMerger / ChunkAccumulator', () => {
  const binning = pilotBinning();
  // 5000 = 19 full leaves + 136 runs; every chunking below ends with the partial leaf.
  const chunkings = {
    leaves: [...Array<number>(19).fill(256), 136],
    pairs: [...Array<number>(9).fill(512), 256 + 136],
    whole: [N],
    irregular: [768, 256, 1792, 512, 1536, 136],
    lastSplit: [4864, 136],
  };
  const results = Object.fromEntries(Object.entries(chunkings).map(([name, sizes]) => [name, simulate(binning, sizes)]));
  const reference = results['whole']!;

  it('(a) gives byte-identical results however the runs are chunked', () => {
    const json = JSON.stringify(toPlain(reference));
    for (const [name, res] of Object.entries(results)) {
      expect(JSON.stringify(toPlain(res)), name).toBe(json);
      expect(bytes(res), name).toBe(bytes(reference));
    }
  });

  it('(b) mean and sd match a direct two-pass computation', () => {
    for (let c = 0; c < CELLS; c++) {
      const xs = runs.map((v) => v[c]!).filter(Number.isFinite);
      // Two passes on values shifted by the first one. Shifting matters for the 1e9 + 0.001·z cell: the
      // unshifted mean is only good to an ulp of 1e9 (1.2e-7), and that error δ adds δ² to the
      // variance, 1e-8 relative here; x − x₀ is exact (Sterbenz) for such close values.
      const x0 = xs[0]!;
      const ds = xs.map((x) => x - x0);
      const dm = ds.reduce((a, b) => a + b, 0) / ds.length;
      const mean = x0 + dm;
      const sd = Math.sqrt(ds.reduce((a, d) => a + (d - dm) * (d - dm), 0) / (ds.length - 1));
      expect(reference.count[c]).toBe(xs.length);
      expect(Math.abs(reference.mean[c]! - mean)).toBeLessThanOrEqual(1e-12 * Math.abs(mean) + 1e-300);
      expect(Math.abs(reference.sd[c]! - sd)).toBeLessThanOrEqual(1e-12 * sd);
    }
    // The 1e9-offset cell: centring keeps the 0.001 spread to 12 digits despite cancellation.
    expect(reference.sd[1]! / 0.001).toBeCloseTo(1, 1);
    expect(reference.mean[3]).toBe(42.5);
    expect(reference.sd[3]).toBe(0);
  });

  it('counts non-finite values and leaves them out', () => {
    // run % 97 === 0 → NaN (52 runs), run % 89 === 0 → Infinity (57 runs, 0 and 8633 shared with 97 → 56 extra)
    let nonFinite = 0;
    for (let r = 0; r < N; r++) if (r % 97 === 0 || r % 89 === 0) nonFinite++;
    expect(nonFinite).toBe(52 + 56);
    expect(reference.nonFinite[5]).toBe(nonFinite);
    expect(reference.count[5]).toBe(N - nonFinite);
    expect(Number.isFinite(reference.mean[5]!)).toBe(true);
  });

  it('(c) percentiles are within one bin width of the exact order statistic', () => {
    for (let c = 0; c < CELLS; c++) {
      const xs = runs.map((v) => v[c]!).filter(Number.isFinite).sort((a, b) => a - b);
      for (const pr of reference.percentiles) {
        if (pr.clamped[c]) continue;
        const exact = xs[Math.ceil((pr.p / 100) * xs.length) - 1]!;
        expect(Math.abs(pr.value[c]! - exact), `cell ${c} p${pr.p}`).toBeLessThanOrEqual(reference.resolution[c]!);
      }
    }
    // The constant cell reports its value exactly, at a resolution of 2·(42.5·1e-6)/512.
    for (const pr of reference.percentiles) expect(pr.value[3]).toBe(42.5);
    expect(reference.resolution[3]).toBeCloseTo((2 * 42.5e-6) / 512, 18);
    // Discrete cell {0,1,2,3}: the median lands inside the bins holding 1s or 2s.
    const p50 = reference.percentiles.find((p) => p.p === 50)!;
    expect(Math.abs(p50.value[6]! - 1.5)).toBeLessThan(0.51 + reference.resolution[6]!);
  });

  it('(d) clamps percentiles that fall outside the pilot range to the exact min/max and flags them', () => {
    // Cell 7: the pilot saw only uniforms in (0,1) (bins span about [-0.5, 1.5]); the other 3000
    // runs are 10·N(0,1), so about 30% of all values fall below the range and 30% above.
    const min = reference.min[7]!;
    const max = reference.max[7]!;
    const pct = Object.fromEntries(reference.percentiles.map((p) => [p.p, p]));
    expect(pct[5]!.clamped[7]).toBe(1);
    expect(pct[5]!.value[7]).toBe(min);
    expect(pct[95]!.clamped[7]).toBe(1);
    expect(pct[95]!.value[7]).toBe(max);
    expect(pct[50]!.clamped[7]).toBe(0);
    expect(min).toBeLessThan(-20);
    expect(max).toBeGreaterThan(20);
    // Exact min and max regardless of the bins.
    const xs = runs.map((v) => v[7]!);
    expect(min).toBe(Math.min(...xs));
    expect(max).toBe(Math.max(...xs));
  });

  it('reports -0 as +0 whichever arrived first', () => {
    expect(Object.is(reference.min[4], 0)).toBe(true);
  });

  it('(e) refuses chunks out of order or after a partial leaf', () => {
    const make = (first: number, size: number) => {
      const acc = new ChunkAccumulator(binning, first, size);
      for (let r = first; r < first + size; r++) acc.add(r, runs[r]!);
      return acc.finish();
    };
    const merger = new StatsMerger(binning);
    expect(() => merger.add(make(256, 256))).toThrow(
      'chunks must be merged in run order: expected a chunk starting at run 0, got one starting at run 256',
    );
    merger.add(make(0, 256));
    expect(() => merger.add(make(0, 256))).toThrow('expected a chunk starting at run 256, got one starting at run 0');

    const partial = new StatsMerger(binning);
    partial.add(make(0, 100));
    expect(() => partial.add(make(256, 256))).toThrow('expected a chunk starting at run 100');
  });

  it('enforces the accumulator contract', () => {
    expect(() => new ChunkAccumulator(binning, 100, 256)).toThrow('a chunk must start on a multiple of 256 runs (got first run 100)');
    const acc = new ChunkAccumulator(binning, 256, 2);
    expect(() => acc.add(257, runs[257]!)).toThrow('runs must be added in order: expected run 256, got 257');
    acc.add(256, runs[256]!);
    expect(() => acc.finish()).toThrow('chunk [256, 258) finished after only 1 runs');
    expect(() => acc.add(257, new Float64Array(3))).toThrow('run 257 has 3 values; expected 8');
    acc.add(257, runs[257]!);
    expect(() => acc.add(258, runs[258]!)).toThrow('run 258 is outside this chunk [256, 258)');
    const summary = acc.finish();
    expect(transferList(summary)).toHaveLength(5);
    expect(summary.leafSums.length).toBe(CELLS * 2);
    expect(summary.hist.length).toBe(CELLS * (binning.bins + 2));
  });

  it('fixes leaves by run index: each leaf sum covers exactly runs [256j, 256j+256)', () => {
    const acc = new ChunkAccumulator(binning, 0, 2 * LEAF_SIZE);
    for (let r = 0; r < 2 * LEAF_SIZE; r++) acc.add(r, runs[r]!);
    const { leafSums } = acc.finish();
    let s1 = 0;
    for (let r = LEAF_SIZE; r < 2 * LEAF_SIZE; r++) s1 += runs[r]![0]! - binning.centre[0]!;
    expect(leafSums[CELLS * 2]).toBe(s1);
  });
});

describe('makeBinning', () => {
  it('spans the pilot range plus half of it on each side, centred on the pilot mean', () => {
    // One cell, pilot values 2, 4, 6: range 4, so [0, 8] in 8 bins of width 1.
    const b = makeBinning(Float64Array.of(2, 4, 6), 3, 1, 8);
    expect(Array.from(b.lo)).toEqual([0]);
    expect(Array.from(b.width)).toEqual([1]);
    expect(Array.from(b.centre)).toEqual([4]);
  });

  it('puts values into the expected bins and interpolates inside them', () => {
    const b = makeBinning(Float64Array.of(2, 4, 6), 3, 1, 8);
    const acc = new ChunkAccumulator(b, 0, 4);
    [0.5, 1.5, 1.5, 7.9].forEach((v, r) => acc.add(r, Float64Array.of(v)));
    const s = acc.finish();
    // [underflow, bins 0..7, overflow]
    expect(Array.from(s.hist)).toEqual([0, 1, 2, 0, 0, 0, 0, 0, 1, 0]);
    const m = new StatsMerger(b);
    m.add(s);
    const res = m.result([25, 50, 100]);
    // Rank q = 1 is the whole of bin 0 → its top edge 1; q = 2 is half-way through bin 1 → 1.5.
    expect(res.percentiles.map((p) => p.value[0])).toEqual([1, 1.5, 7.9]);
    expect(res.mean[0]).toBe((0.5 + 1.5 + 1.5 + 7.9) / 4);
  });

  it('gives a constant pilot cell a tiny non-zero width', () => {
    const b = makeBinning(Float64Array.of(0, 1e6, 0, 1e6), 2, 2, 512);
    expect(b.width[0]).toBeCloseTo(2e-9 / 512, 25);
    expect(b.width[1]).toBeCloseTo(2 / 512, 15);
  });

  it('rejects a pilot of the wrong size', () => {
    expect(() => makeBinning(new Float64Array(5), 2, 3)).toThrow('pilot has 5 values; expected 2 runs × 3 cells = 6');
  });
});

describe('Counter', () => {
  it('merges tallies by addition, independent of chunking', () => {
    const firstYear = (r: number) => (r * 7) % 5;
    const whole = new Counter(5);
    for (let r = 0; r < 1000; r++) whole.increment(firstYear(r));
    const merged = new Counter(5);
    for (const [a, b] of [[0, 256], [256, 700], [700, 1000]] as const) {
      const part = new Counter(5);
      for (let r = a; r < b; r++) part.increment(firstYear(r));
      merged.merge(structuredClone(part.counts));
    }
    expect(Array.from(merged.counts)).toEqual([200, 200, 200, 200, 200]);
    expect(Array.from(merged.counts)).toEqual(Array.from(whole.counts));
    expect(merged.total()).toBe(1000);
    expect(() => merged.increment(5)).toThrow('counter index 5 out of range [0, 5)');
    expect(() => merged.merge(new Counter(3))).toThrow('cannot merge a counter of size 3 into one of size 5');
  });
});
