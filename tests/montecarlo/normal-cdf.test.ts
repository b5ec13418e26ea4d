/**
 * normal-cdf.ts computes @stdlib's normal CDF, erfc and exp by the same operations: every copula
 * uniform and every truncated normal's window depends on those doubles, so they must be stdlib's bit
 * for bit, across each branch of erfc (|x| < 2^-56, < 0.84375 around 1/4, < 1.25, < 1/0.35, < 28, below
 * −6) and of exp and its ldexp (near 0, overflow, underflow, subnormal results). params.wat computes
 * them again for the sampler's copula in WebAssembly: its exports are held to stdlib the same way.
 */
import stdlibErfcRef from '@stdlib/math-base-special-erfc';
import stdlibExpRef from '@stdlib/math-base-special-exp';
import stdlibCdf from '@stdlib/stats-base-dists-normal-cdf';
import { describe, expect, it } from 'vitest';
import { normalCdfStd, stdlibErfc, stdlibExp } from '../../src/montecarlo/normal-cdf.js';
import { instantiateParams } from '../../src/montecarlo/param-stage.js';
import { RunStream } from '../../src/montecarlo/rng.js';
import { wasmMemory } from '../../src/util/wasm.js';

const wasm = instantiateParams(wasmMemory(0));
/** Each implementation under test: normal-cdf.ts's, and params.wat's. */
const impls = [
  ['normal-cdf.ts', { exp: stdlibExp, erfc: stdlibErfc, cdf: normalCdfStd }],
  ['params.wat', { exp: wasm.exp, erfc: wasm.erfc, cdf: wasm.cdf }],
] as const;

const bits = (x: number): string => {
  if (Number.isNaN(x)) return 'NaN';
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  return b.getBigUint64(0).toString(16).padStart(16, '0');
};

/** `count` doubles spread over [lo, hi), from a fixed stream. */
const spread = (count: number, lo: number, hi: number, run = 0): number[] => {
  const u = new Float64Array(count);
  new RunStream().fill(77, run, u, count);
  return Array.from(u, (v) => lo + (hi - lo) * v);
};

/** Each value next to x: x itself and its neighbours a few ulps either side. */
const around = (x: number): number[] => {
  const out = [x];
  const view = new DataView(new ArrayBuffer(8));
  for (const step of [-2n, -1n, 1n, 2n]) {
    view.setFloat64(0, x);
    view.setBigInt64(0, view.getBigInt64(0) + step);
    out.push(view.getFloat64(0));
  }
  return out;
};

function expectSame(xs: readonly number[], got: (x: number) => number, want: (x: number) => number): void {
  const diff = xs.find((x) => bits(got(x)) !== bits(want(x)));
  expect(diff === undefined ? undefined : { x: diff, got: got(diff), want: want(diff) }).toBeUndefined();
}

describe.each(impls)('%s: exp', (_, impl) => {
  it("is @stdlib's exp bit for bit", () => {
    const edges = [
      0,
      -0,
      1,
      -1,
      NaN,
      Infinity,
      -Infinity,
      2 ** -29,
      -(2 ** -29),
      2 ** -28,
      -(2 ** -28),
      709.782712893384,
      709.79,
      -745.1332191019411,
      -745.14,
      -708.4,
      -708.39641853226410622,
      -709.5,
      -744.44,
      -744.8,
      -745.1,
      0.5 * Math.LN2,
      -0.5 * Math.LN2,
      Math.LN2,
      1.5 * Math.LN2,
    ].flatMap(around);
    const wide = [
      ...spread(200_000, -20, 20),
      ...spread(100_000, -745.2, 709.8, 1),
      ...spread(20_000, -746, -700, 2),
      ...spread(20_000, 700, 710, 3),
    ];
    expectSame([...edges, ...wide], impl.exp, stdlibExpRef);
  });
});

describe.each(impls)('%s: erfc', (_, impl) => {
  it("is @stdlib's erfc bit for bit on every branch", () => {
    const edges = [
      0,
      -0,
      NaN,
      Infinity,
      -Infinity,
      1.3877787807814457e-17,
      1e-17,
      1e-300,
      0.25,
      0.84375,
      1.25,
      2.857142857142857,
      6,
      28,
      27.9,
      26.5,
      1,
    ].flatMap((x) => [...around(x), ...around(-x)]);
    const wide = [
      ...spread(200_000, -7, 7),
      ...spread(50_000, -30, 30, 1),
      ...spread(20_000, -1e-8, 1e-8, 2),
      ...spread(20_000, 25, 28, 3),
    ];
    expectSame([...edges, ...wide], impl.erfc, stdlibErfcRef);
  });
});

describe.each(impls)('%s: normal CDF', (_, impl) => {
  it("is @stdlib's cdf(x, 0, 1) bit for bit", () => {
    const xs = [...spread(200_000, -9, 9), ...spread(20_000, -40, 40, 1), 0, -0, NaN, Infinity, -Infinity, 1e-310];
    expectSame(xs, impl.cdf, (x) => stdlibCdf(x, 0, 1));
    // Published values of Φ, to the digits printed in tables.
    expect(impl.cdf(1.959963984540054)).toBeCloseTo(0.975, 15);
    expect(impl.cdf(-1)).toBeCloseTo(0.15865525393145707, 16);
  });
});
