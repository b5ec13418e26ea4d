/**
 * The shock stage in WebAssembly (src/montecarlo/shocks.wat, ShockStage): its logarithm is Math.log's
 * and its normal quantiles are normalQuantileStd's, bit for bit, since every published Monte Carlo result with shocks depends on
 * them. (The paths against the draw order written out one draw at a time: run-sampler.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { normalQuantileStd } from '../../src/montecarlo/distributions.js';
import { RunStream } from '../../src/montecarlo/rng.js';
import { shocksModule } from '../../src/montecarlo/shock-stage.js';

const { exports: wasm, buffer } = shocksModule.instantiate(1 << 20);
const f64 = new Float64Array(buffer);

/**
 * The bits of a double, to compare −0 exactly and to print a difference; every NaN is one (a NaN's
 * payload is not observable in JavaScript arithmetic, and outputs print every NaN alike).
 */
const bits = (x: number): string => {
  if (Number.isNaN(x)) return 'NaN';
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  return b.getBigUint64(0).toString(16).padStart(16, '0');
};

/** `count` uniforms of the grid the streams draw from ((k + 0.5)·2^-32), from a fixed stream. */
const grid = (count: number, run = 0): Float64Array => {
  const out = new Float64Array(count);
  new RunStream().fill(20161, run, out, count);
  return out;
};

/** The first x whose two results differ, as bits (undefined if none). */
function firstDifference(xs: Iterable<number>, a: (x: number) => number, b: (x: number) => number) {
  for (const x of xs) if (bits(a(x)) !== bits(b(x))) return { x, got: bits(a(x)), want: bits(b(x)) };
  return undefined;
}

describe('shocks.wat log', () => {
  it("is Math.log bit for bit on the quantile's arguments and across the doubles", () => {
    const u = grid(300_000);
    const tails = Array.from(u, (p, i) => (i % 2 === 0 ? p : 1 - p));
    // Every branch of fdlibm's log: ±0, negatives, subnormals, |f| < 2^-20 around powers of two (k = 0
    // and k ≠ 0), both sides of √2/2 and of the i | j test, the largest doubles, ∞ and NaN.
    const special = [
      0,
      -0,
      -1,
      -Number.MIN_VALUE,
      Number.MIN_VALUE,
      2.2250738585072014e-308,
      1e-310,
      1,
      1 + 2 ** -52,
      1 - 2 ** -53,
      1 + 2 ** -21,
      1 - 2 ** -22,
      2,
      4 + 2 ** -40,
      0.5,
      0.25 - 2 ** -60,
      Math.SQRT1_2,
      Math.SQRT1_2 + 1e-9,
      Math.SQRT2,
      0.70985,
      0.7092,
      1.38,
      1.42,
      Number.MAX_VALUE,
      Infinity,
      -Infinity,
      NaN,
      2 ** -33,
      1 - 2 ** -33,
    ];
    const wide = Array.from(grid(200_000, 1), (v, i) => v * 10 ** (((i * 7919) % 617) - 308));
    expect(firstDifference([...special, ...tails, ...wide], wasm.log, Math.log)).toBeUndefined();
  });
});

describe('shocks.wat normal quantiles', () => {
  it('tail() is normalQuantileStd in the tails, at the extremes of the grid and at the edges', () => {
    const u = Array.from(grid(100_000), (p) => (p < 0.5 ? p * 0.15 : 1 - (1 - p) * 0.15));
    const edges = [0, 1, NaN, -0.5, 1.5, 2 ** -33, 1 - 2 ** -33, 1e-300, 0.0749999, 0.925, 0.9250001];
    // (0.075 is central: |0.075 − 0.5| = 0.425.)
    expect(firstDifference([...edges, ...u], wasm.tail, normalQuantileStd)).toBeUndefined();
  });

  it('normals() is normalQuantileStd on every value, for odd and even counts and tails anywhere', () => {
    const src = 1024;
    const dst = 1 << 19;
    const tails = 3 << 18;
    const u = grid(20_001);
    // Tails first and last, runs of tails, the edges and NaN among central values.
    u.set([0.01, 0.99, 0.5, 0, 1, NaN, 0.075, 0.925], 0);
    u.set([0.001, 0.999], u.length - 2);
    for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 57, 58, u.length]) {
      f64.set(u.subarray(0, n), src / 8);
      f64.fill(99, dst / 8, dst / 8 + n + 3);
      wasm.normals(src, n, dst, tails);
      const got = Array.from(f64.subarray(dst / 8, dst / 8 + n), bits);
      expect(got, `${n} values`).toEqual(Array.from(u.subarray(0, n), (p) => bits(normalQuantileStd(p))));
    }
  });
});
