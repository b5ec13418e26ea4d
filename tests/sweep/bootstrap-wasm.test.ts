/**
 * The WebAssembly bootstrap sums (src/sweep/design/bootstrap.wat) equal the plain loops
 * (sumsInJs, the fallback) bit for bit: every column and the variance sum, over random picks.
 */
import { describe, expect, it } from 'vitest';
import { groupSums, SUM_BLOCK, sumsInJs } from '../../src/sweep/design/bootstrap-sums.js';
import { IndexStream } from '../../src/sweep/design/stats.js';

describe('bootstrap-wasm.ts', () => {
  it.each([
    [2, 16],
    [2, 22],
    [2, 30],
    [3, 40],
    [5, 64],
  ])('gives the plain loops’ sums to the bit (%i blocks, f(A) at column %i, 3 tables)', (blocks, ab) => {
    const N = 333;
    const width = blocks * SUM_BLOCK;
    const u = new IndexStream(11, 'test');
    const draw = new Int32Array(N * width);
    const tables = [0, 1, 2].map(() => {
      u.fill(draw, 1 << 30);
      // Values of very different sizes, so that the order of the additions shows in the last bits.
      return Float64Array.from(draw, (x, i) => (x / 2 ** 30 - 0.5) * 10 ** ((i % 7) - 3));
    });
    const wasm = groupSums(tables, N, width, ab);
    const js = sumsInJs(tables, N, width, ab);
    for (let r = 0; r < 4; r++) {
      const picks = new IndexStream(r, 'picks');
      picks.fill(wasm.pick, N);
      js.pick.set(wasm.pick);
      for (let t = 0; t < tables.length; t++) {
        const ssW = wasm.sum(t);
        const ssJ = js.sum(t);
        expect(Object.is(ssW, ssJ)).toBe(true);
        expect(Array.from(wasm.sums.subarray(0, ab))).toEqual(Array.from(js.sums.subarray(0, ab)));
      }
    }
  });

  // An odd N: the indices are made two at a time, the last pair's second written past the N picks.
  it.each([1000, 333, 1])(
    'draws the next picks while summing as IndexStream.fill does, over many resamples (N = %i)',
    (N) => {
      const width = 2 * SUM_BLOCK;
      const table = Float64Array.from({ length: N * width }, (_, i) => Math.sin(i) * 10 ** ((i % 5) - 2));
      const g = groupSums([table], N, width, 22);
      const draw = new IndexStream(5, 'saltelli-bootstrap');
      const ref = new IndexStream(5, 'saltelli-bootstrap');
      const want = new Int32Array(N);
      ref.fill(want, N);
      draw.fill(g.pick, N);
      // 300 resamples of 1,000 = 300,000 draws: the generator's rare carry (about 1 in 4,000) is taken many times.
      for (let b = 0; b < 300; b++) {
        expect(Array.from(g.pick)).toEqual(Array.from(want));
        g.sum(0, draw);
        g.next();
        ref.fill(want, N);
      }
      // The stream goes on where the drawn picks left it.
      const after = new Int32Array(10);
      const refAfter = new Int32Array(10);
      draw.fill(after, 17);
      ref.fill(refAfter, 17);
      expect(after).toEqual(refAfter);
    },
  );
});
