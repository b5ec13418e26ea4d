import { describe, expect, it } from 'vitest';
import { compileQuantile } from '../../src/montecarlo/distributions.js';
import { runStream } from '../../src/montecarlo/rng.js';
import {
  type Binning,
  ChunkAccumulator,
  type ChunkSummary,
  Counter,
  LEAF_SIZE,
  makeBinning,
  StatsMerger,
  type StatsResult,
  transferList,
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
    JSON.stringify(res, (_k, v: unknown) =>
      ArrayBuffer.isView(v) ? Array.from(v as Float64Array, (x) => (Number.isNaN(x) ? 'NaN' : x)) : v,
    ),
  );
}

function bytes(res: StatsResult): string {
  const arrays = [
    res.count,
    res.nonFinite,
    res.mean,
    res.sd,
    res.min,
    res.max,
    res.resolution,
    ...res.percentiles.flatMap((p) => [p.value, p.clamped]),
  ];
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
  const results = Object.fromEntries(
    Object.entries(chunkings).map(([name, sizes]) => [name, simulate(binning, sizes)]),
  );
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
      const xs = runs
        .map((v) => v[c]!)
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
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
    expect(() => new ChunkAccumulator(binning, 100, 256)).toThrow(
      'a chunk must start on a multiple of 256 runs (got first run 100)',
    );
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

/**
 * The run-major accumulator as it was before leaves were buffered and processed cell by cell (commit
 * 2714b3e), kept as the reference the buffered one must match bit for bit.
 */
class ReferenceAccumulator {
  private readonly state: Float64Array;
  private readonly hist: Uint32Array<ArrayBuffer>;
  private readonly leafSums: Float64Array<ArrayBuffer>;
  private leafOffset = 0;
  private leftInLeaf = LEAF_SIZE;

  constructor(
    private readonly binning: Binning,
    readonly firstRun: number,
    readonly runCount: number,
  ) {
    const { cells, bins } = binning;
    this.state = new Float64Array(cells * 8);
    for (let c = 0; c < cells; c++) {
      this.state.set([binning.centre[c]!, binning.lo[c]!, 1 / binning.width[c]!, Infinity, -Infinity, 0, 0, 0], c * 8);
    }
    this.hist = new Uint32Array(cells * (bins + 2));
    this.leafSums = new Float64Array(Math.ceil(runCount / LEAF_SIZE) * cells * 2);
  }

  add(values: Float64Array): void {
    const { cells, bins } = this.binning;
    const st = this.state;
    for (let c = 0, o = 0, h = 0; c < cells; c++, o += 8, h += bins + 2) {
      const v = values[c]!;
      if (v - v !== 0) {
        st[o + 7]!++;
        continue;
      }
      const d = v - st[o]!;
      st[o + 5]! += d;
      st[o + 6]! += d * d;
      if (v < st[o + 3]!) st[o + 3] = v;
      if (v > st[o + 4]!) st[o + 4] = v;
      const t = (v - st[o + 1]!) * st[o + 2]!;
      this.hist[h + (t < 0 ? 0 : t < bins ? (t | 0) + 1 : bins + 1)]!++;
    }
    if (--this.leftInLeaf === 0) this.closeLeaf();
  }

  private closeLeaf(): void {
    for (let o = 0; o < this.state.length; o += 8, this.leafOffset += 2) {
      this.leafSums[this.leafOffset] = this.state[o + 5]!;
      this.leafSums[this.leafOffset + 1] = this.state[o + 6]!;
      this.state[o + 5] = 0;
      this.state[o + 6] = 0;
    }
    this.leftInLeaf = LEAF_SIZE;
  }

  finish(): ChunkSummary {
    if (this.leftInLeaf !== LEAF_SIZE) this.closeLeaf();
    const { cells } = this.binning;
    const pick = (k: number) => Float64Array.from({ length: cells }, (_, c) => this.state[c * 8 + k]!);
    return {
      firstRun: this.firstRun,
      runCount: this.runCount,
      leafSums: this.leafSums,
      min: pick(3),
      max: pick(4),
      hist: this.hist,
      nonFinite: Uint32Array.from(pick(7)),
    };
  }
}

/** Every field of a summary as hex bytes (so −0 and +0, and NaN payloads, count as different). */
function summaryBytes(s: ChunkSummary): string {
  const hex = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
  return [s.firstRun, s.runCount, hex(s.leafSums), hex(s.min), hex(s.max), hex(s.hist), hex(s.nonFinite)].join('|');
}

describe('ChunkAccumulator (leaf-buffered, cell-major) against the run-major reference', () => {
  /** Deterministic uniforms in [0, 1) (mulberry32). */
  function uniforms(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const RUNS = 3000;
  const PILOT_RUNS = 600;
  const KINDS = 12;
  const cells = 3 * KINDS;
  const u = uniforms(20240601);
  const specials = [NaN, Infinity, -Infinity, 0, -0, Number.MIN_VALUE, -Number.MAX_VALUE, 1e300];
  /** Cell c of run r; the kinds repeat three times over the cells with different draws. */
  function value(r: number, c: number): number {
    const x = u();
    switch (c % KINDS) {
      case 0:
        return 5 + 3 * (x - 0.5);
      case 1:
        return 1e9 + 1e-3 * x; // large offset
      case 2:
        return 42.5; // constant
      case 3:
        return x < 0.5 ? -0 : 0; // signed zeros only
      case 4:
        return x < 0.02 ? NaN : x < 0.03 ? Infinity : x < 0.04 ? -Infinity : x; // non-finite
      case 5:
        return r < PILOT_RUNS ? x : 100 * (x - 0.5); // escapes the pilot's range on both sides
      case 6:
        return Math.floor(x * 3) - 1; // discrete, with ±0 from Math.floor
      case 7:
        return -23.83306262114758 + (x < 0.5 ? 0 : 3.552713678800501e-15); // one ulp apart
      case 8:
        return r % 7 === 0 ? NaN : -x * 1e-300; // tiny values
      case 9:
        return specials[Math.floor(x * specials.length)]!; // every awkward value
      case 10:
        return Math.exp(20 * (x - 0.5)); // heavy tail
      default:
        return r < PILOT_RUNS ? 7 : 7 + (x - 0.5) * 1e-3; // constant in the pilot only
    }
  }
  const data = new Float64Array(RUNS * cells);
  for (let r = 0; r < RUNS; r++) for (let c = 0; c < cells; c++) data[r * cells + c] = value(r, c);
  const binning = makeBinning(data.subarray(0, PILOT_RUNS * cells), PILOT_RUNS, cells);

  /** Chunk sizes: multiples of the leaf, drawn at random, then whatever is left (partial last leaf). */
  function chunking(seed: number, maxLeaves: number): number[] {
    const draw = uniforms(seed);
    const sizes: number[] = [];
    let left = RUNS;
    while (left > 0) {
      const size = Math.min(left, LEAF_SIZE * (1 + Math.floor(draw() * maxLeaves)));
      sizes.push(size);
      left -= size;
    }
    return sizes;
  }
  const chunkings: Record<string, number[]> = {
    whole: [RUNS],
    leaves: chunking(1, 1),
    random3: chunking(2, 3),
    random6: chunking(3, 6),
    lastAlone: [RUNS - (RUNS % LEAF_SIZE), RUNS % LEAF_SIZE],
  };

  function summaries(
    sizes: number[],
    make: (first: number, size: number) => { add(r: number, v: Float64Array): void; finish(): ChunkSummary },
    values: Float64Array = data,
  ) {
    let first = 0;
    return sizes.map((size) => {
      const acc = make(first, size);
      // One scratch row reused for every run, as RunBlockEvaluator passes a view of the projector's output.
      const scratch = new Float64Array(cells + 2);
      const view = scratch.subarray(1, 1 + cells);
      for (let r = first; r < first + size; r++) {
        view.set(values.subarray(r * cells, (r + 1) * cells));
        acc.add(r, view);
        view.fill(12345);
      }
      first += size;
      return structuredClone(acc.finish());
    });
  }

  function merged(list: ChunkSummary[]): StatsResult {
    const m = new StatsMerger(binning);
    for (const s of list) m.add(s);
    return m.result([0, 1, 5, 25, 50, 75, 95, 99, 100]);
  }

  const reference = summaries(chunkings['whole']!, (first, size) => {
    const acc = new ReferenceAccumulator(binning, first, size);
    return { add: (_r, v) => acc.add(v), finish: () => acc.finish() };
  });
  const referenceResult = merged(reference);

  it('covers values under and over the bins, non-finite values, signed zeros and constant cells', () => {
    const s = reference[0]!;
    const stride = binning.bins + 2;
    const under = (c: number) => s.hist[c * stride]!;
    const over = (c: number) => s.hist[c * stride + stride - 1]!;
    expect(under(5)).toBeGreaterThan(0);
    expect(over(5)).toBeGreaterThan(0);
    expect(s.nonFinite[4]).toBeGreaterThan(0);
    expect(s.nonFinite[9]).toBeGreaterThan(0);
    expect(referenceResult.sd[2]).toBe(0);
    expect(Object.is(s.min[3], -0) || Object.is(s.max[3], -0)).toBe(true);
  });

  for (const [name, sizes] of Object.entries(chunkings)) {
    it(`gives the reference's result byte for byte: ${name} chunks (${sizes.length})`, () => {
      const res = merged(summaries(sizes, (first, size) => new ChunkAccumulator(binning, first, size)));
      expect(JSON.stringify(toPlain(res))).toBe(JSON.stringify(toPlain(referenceResult)));
      expect(bytes(res)).toBe(bytes(referenceResult));
    });
  }

  it('gives the reference chunk summaries byte for byte, signed zeros in min/max included', () => {
    const sizes = chunkings['random3']!;
    const mine = summaries(sizes, (first, size) => new ChunkAccumulator(binning, first, size));
    const theirs = summaries(sizes, (first, size) => {
      const acc = new ReferenceAccumulator(binning, first, size);
      return { add: (_r, v) => acc.add(v), finish: () => acc.finish() };
    });
    expect(mine.map(summaryBytes)).toEqual(theirs.map(summaryBytes));
  });

  it('handles chunks shorter than a leaf and empty chunks', () => {
    for (const size of [0, 1, 37, LEAF_SIZE - 1, LEAF_SIZE, LEAF_SIZE + 1]) {
      const mine = summaries([size], (first, n) => new ChunkAccumulator(binning, first, n));
      const theirs = summaries([size], (first, n) => {
        const acc = new ReferenceAccumulator(binning, first, n);
        return { add: (_r, v) => acc.add(v), finish: () => acc.finish() };
      });
      expect(summaryBytes(mine[0]!), `${size} runs`).toBe(summaryBytes(theirs[0]!));
    }
  });

  describe('in WebAssembly and in JavaScript, with and without constant cells', () => {
    // Cells 2, 14, 26 hold 42.5 in every run, 3, 15, 27 ±0 (equal, though not the same bits). Copies of
    // the data make 14 NaN and 26 −Infinity in every run, and a binning whose centres are not those
    // values exercises the sums that are not 0.
    const constantCells = [2, 3, 14, 15, 26, 27];
    const withNonFinite = data.slice();
    for (let r = 0; r < RUNS; r++) {
      withNonFinite[r * cells + 14] = NaN;
      withNonFinite[r * cells + 26] = -Infinity;
    }
    // Every block of the data holds a non-finite value, which the JavaScript fold handles: the same
    // data with those replaced by finite awkward values is what the WebAssembly fold sees.
    const awkward = [0, -0, Number.MIN_VALUE, -Number.MAX_VALUE, Number.MAX_VALUE, 1e300, -1e-300, 7];
    const finite = data.map((v, i) => (Number.isFinite(v) ? v : awkward[i % awkward.length]!));
    const offCentre: Binning = {
      ...binning,
      centre: binning.centre.map((x, c) => (c === 2 ? 41.7 : c === 3 ? 1e-3 : c === 27 ? -2.5 : x)),
    };
    const cases = { 'pilot binning': binning, 'centres off the constant values': offCentre };
    const sets = { 'all finite': finite, 'with non-finite values': data, 'constant non-finite cells': withNonFinite };
    for (const [label, b] of Object.entries(cases)) {
      for (const [name, sizes] of Object.entries(chunkings)) {
        it(`give the reference chunk summaries byte for byte: ${label}, ${name} chunks`, () => {
          for (const [set, values] of Object.entries(sets)) {
            const theirs = summaries(
              sizes,
              (first, size) => {
                const acc = new ReferenceAccumulator(b, first, size);
                return { add: (_r, v) => acc.add(v), finish: () => acc.finish() };
              },
              values,
            ).map(summaryBytes);
            for (const wasm of [true, false])
              for (const constant of set === 'constant non-finite cells' ? [constantCells] : [[], constantCells]) {
                const mine = summaries(
                  sizes,
                  (first, size) => new ChunkAccumulator(b, first, size, { constantCells: constant, wasm }),
                  values,
                );
                expect(mine.map(summaryBytes), `${set}, wasm ${wasm}, ${constant.length} constant`).toEqual(theirs);
              }
          }
        });
      }
    }

    it('runs written in place (nextSlot) and finite: true give the bytes of copied runs', () => {
      const sizes = chunkings['random3']!;
      const theirs = summaries(sizes, (first, size) => new ChunkAccumulator(binning, first, size), finite);
      for (const wasm of [true, false]) {
        let first = 0;
        const mine = sizes.map((size) => {
          const acc = new ChunkAccumulator(binning, first, size, { wasm, finite: true, constantCells });
          for (let r = first; r < first + size; r++) {
            const slot = acc.nextSlot();
            slot.set(finite.subarray(r * cells, (r + 1) * cells));
            acc.add(r, slot);
          }
          first += size;
          return summaryBytes(acc.finish());
        });
        expect(mine, `wasm ${wasm}`).toEqual(theirs.map(summaryBytes));
      }
    });

    it('nextSlotFinite tells whether the next row holds only finite values', () => {
      for (const wasm of [true, false]) {
        const acc = new ChunkAccumulator(binning, 0, 3, { wasm });
        const answers: boolean[] = [];
        for (const bad of [undefined, NaN, -Infinity]) {
          const slot = acc.nextSlot();
          slot.set(finite.subarray(0, cells));
          if (bad !== undefined) slot[cells - 1 - answers.length] = bad;
          answers.push(acc.nextSlotFinite());
          slot.set(finite.subarray(0, cells));
          acc.add(answers.length - 1, slot);
        }
        expect(answers, `wasm ${wasm}`).toEqual([true, false, false]);
      }
    });

    it('bins of a subnormal width (1/width infinite) are left to JavaScript, with the same bytes', () => {
      // Not from makeBinning (which widens such bins): a binning read from elsewhere may hold anything.
      const tiny: Binning = {
        cells: 2,
        bins: 4,
        lo: Float64Array.of(0, 0),
        width: Float64Array.of(Number.MIN_VALUE, 1),
        centre: Float64Array.of(0, 0),
      };
      expect(1 / tiny.width[0]!).toBe(Infinity);
      const runs = [0, Number.MIN_VALUE, 2 * Number.MIN_VALUE, -Number.MIN_VALUE, 5, 0];
      const run = (
        make: (first: number, size: number) => { add(r: number, v: Float64Array): void; finish(): ChunkSummary },
      ) => {
        const acc = make(0, runs.length);
        runs.forEach((v, r) => acc.add(r, Float64Array.of(v, v / 2)));
        return summaryBytes(acc.finish());
      };
      const theirs = run((first, size) => {
        const acc = new ReferenceAccumulator(tiny, first, size);
        return { add: (_r, v) => acc.add(v), finish: () => acc.finish() };
      });
      expect(run((first, size) => new ChunkAccumulator(tiny, first, size))).toBe(theirs);
    });

    it('the constant cells were folded: sums 0 about their own value, min = max, one histogram slot', () => {
      const [s] = summaries([RUNS], (first, size) => new ChunkAccumulator(binning, first, size, { constantCells }));
      const stride = binning.bins + 2;
      for (const c of [2, 3]) {
        // == 0: the ±0 cell keeps its first run's zero, as folding run by run does.
        expect(s!.min[c] === (c === 2 ? 42.5 : 0)).toBe(true);
        expect(s!.max[c] === (c === 2 ? 42.5 : 0)).toBe(true);
        expect(Math.max(...s!.hist.subarray(c * stride, (c + 1) * stride))).toBe(RUNS);
        for (let leaf = 0; leaf < Math.ceil(RUNS / LEAF_SIZE); leaf++)
          expect([s!.leafSums[(leaf * cells + c) * 2], s!.leafSums[(leaf * cells + c) * 2 + 1]]).toEqual([0, 0]);
      }
    });

    it('refuses a cell declared constant whose value changes, naming the cell and the runs', () => {
      const acc = new ChunkAccumulator(binning, 256, 3, { constantCells: [0, 2] });
      const row = (v: number) => Float64Array.from({ length: cells }, (_, c) => (c === 2 ? 42.5 : v));
      acc.add(256, row(1));
      acc.add(257, row(1));
      expect(() => acc.add(258, row(-0.5))).toThrow(
        'internal error: cell 0 of run 258 is -0.5, but 1 in run 256, although it was declared constant',
      );
      expect(() => new ChunkAccumulator(binning, 0, 1, { constantCells: [cells] })).toThrow(
        `constant cell ${cells} is not one of ${cells}`,
      );
    });

    it('checks every run of a buffer and the odd last constant cell, in WebAssembly and JavaScript', () => {
      for (const wasm of [true, false]) {
        // 40 runs: more than one buffer of 32; run 37 moves cell 2, the third of three constant cells.
        const acc = new ChunkAccumulator(binning, 0, 40, { constantCells: [0, 1, 2], wasm });
        const row = (r: number) =>
          Float64Array.from({ length: cells }, (_, c) => (c === 2 && r === 37 ? 39 : c < 3 ? c : r + c));
        for (let r = 0; r < 37; r++) acc.add(r, row(r));
        expect(() => {
          for (let r = 37; r < 40; r++) acc.add(r, row(r));
        }, `wasm ${wasm}`).toThrow(
          'internal error: cell 2 of run 37 is 39, but 2 in run 0, although it was declared constant',
        );
      }
    });
  });

  it('counts past 65,535 in one bin (its 16-bit counts are added into the chunk before they wrap)', () => {
    // 70,000 runs: one cell always in the same bin (folded, and declared constant), one in two bins.
    const b = makeBinning(Float64Array.of(1, 0, 1, 0, 1, 1), 2, 3, 4);
    const runs = 70_000;
    const row = (r: number) => Float64Array.of(1, r % 2, 1);
    const ref = new ReferenceAccumulator(b, 0, runs);
    for (let r = 0; r < runs; r++) ref.add(row(r));
    const theirs = ref.finish();
    expect([Math.max(...theirs.hist), theirs.hist.reduce((a, x) => a + x, 0)]).toEqual([runs, 3 * runs]);
    for (const wasm of [true, false])
      for (const constantCells of [[], [2]]) {
        const acc = new ChunkAccumulator(b, 0, runs, { wasm, constantCells });
        for (let r = 0; r < runs; r++) acc.add(r, row(r));
        expect(summaryBytes(acc.finish()), `wasm ${wasm}, ${constantCells.length} constant`).toBe(summaryBytes(theirs));
      }
  });

  it('refuses runs after finish()', () => {
    const acc = new ChunkAccumulator(binning, 0, 1);
    acc.add(0, data.subarray(0, cells));
    acc.finish();
    expect(() => acc.add(1, data.subarray(cells, 2 * cells))).toThrow('run 1 added after the chunk was finished');
    expect(() => acc.finish()).toThrow('chunk [0, 1) was already finished');
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

  it('treats a pilot range of float rounding (<= 1e-9 of the magnitude) as constant', () => {
    const a = -23.83306262114758;
    const b = -23.833062621147576; // a + 1 ulp
    const near = makeBinning(Float64Array.of(a, b), 2, 1);
    const constant = makeBinning(Float64Array.of(a, a), 2, 1);
    expect(Array.from(near.lo)).toEqual(Array.from(constant.lo));
    expect(Array.from(near.width)).toEqual(Array.from(constant.width));
    // Just above the threshold the pilot's own range sets the bins; well above an ulp of the values.
    const top = 1000 + 2e-6;
    const wide = makeBinning(Float64Array.of(1000, top), 2, 1);
    expect(wide.width[0]).toBe((2 * (top - 1000)) / 512);
    expect(wide.width[0]! / (1000 * Number.EPSILON)).toBeGreaterThan(1000);
  });

  it('puts every pilot value into a regular bin, even for ranges of a few ulps or subnormals', () => {
    const pilots: number[][] = [
      [-23.83306262114758, -23.833062621147576],
      [1, 1 + Number.EPSILON, 1 + 2 * Number.EPSILON, 1 + 3 * Number.EPSILON],
      [0, Number.MIN_VALUE],
      [0, 2 * Number.MIN_VALUE, Number.MIN_VALUE],
      [-Number.MIN_VALUE, Number.MIN_VALUE],
      [1e-300, 1.0000000001e-300],
      [1e300, 1e300 * (1 + 1e-12)],
      [-0, 0],
      [5e-324 * 3, 5e-324 * 1000],
      [0.1, 0.1 + 0.2 - 0.3, 0.30000000000000004, 0.3],
    ];
    for (const values of pilots) {
      const b = makeBinning(Float64Array.from(values), values.length, 1);
      const acc = new ChunkAccumulator(b, 0, values.length);
      values.forEach((v, r) => acc.add(r, Float64Array.of(v)));
      const s = acc.finish();
      expect({ values, under: s.hist[0], over: s.hist[b.bins + 1] }).toEqual({ values, under: 0, over: 0 });
      const m = new StatsMerger(b);
      m.add(s);
      for (const p of m.result().percentiles) expect(p.clamped[0], `${values.join(', ')}: p${p.p}`).toBe(0);
    }
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
    for (const [a, b] of [
      [0, 256],
      [256, 700],
      [700, 1000],
    ] as const) {
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
