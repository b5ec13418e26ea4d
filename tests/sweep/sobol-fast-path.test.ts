import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { sobol } from '../../src/sweep/design/index.js';
import { sobolPoints } from '../../src/sweep/design/sobol-sequence.js';
import { IndexStream, randomIndex, stream } from '../../src/sweep/design/stats.js';
import { referenceAnalyze } from './sobol-reference.js';
import { evaluate, gFunction, gProblem, ishigami, ishigamiProblem } from './test-functions.js';

/**
 * The optimised analysis (terms computed once, gathered per resample in lanes; one bootstrap stream for
 * several outputs) against the textbook loops of tests/sweep/sobol-reference.ts: bit for bit (Object.is)
 * on designs of 1 to 13 factors, with and without second order, and on a constant output.
 */
const same = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

function upper(m: readonly number[][] | undefined, D: number): number[] {
  const out: number[] = [];
  if (m) for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) out.push(m[i]![j]!);
  return out;
}

function expectSame(r: sobol.SobolResult, ref: ReturnType<typeof referenceAnalyze>, D: number): void {
  for (const k of ['S1', 'S1Low', 'S1High', 'S1Conf', 'ST', 'STLow', 'STHigh', 'STConf'] as const)
    expect(same(r[k], ref[k]), k).toBe(true);
  for (const k of ['S2', 'S2Low', 'S2High', 'S2Conf'] as const) expect(same(upper(r[k], D), ref[k]), k).toBe(true);
}

/** A smooth test function of any number of factors with interactions (so S2 is not all zero). */
function mixed(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (i + 1) * x[i]! + Math.sin(3 * x[i]! * x[(i + 1) % x.length]!);
  return s;
}

describe('sobol.analyze (optimised) equals the textbook estimators bit for bit', () => {
  const cases: { name: string; D: number; N: number; secondOrder: boolean; f: (x: ArrayLike<number>) => number }[] = [
    { name: 'Ishigami, second order', D: 3, N: 256, secondOrder: true, f: ishigami },
    { name: 'Ishigami, first/total only', D: 3, N: 100, secondOrder: false, f: ishigami },
    { name: 'G-function, 8 factors', D: 8, N: 128, secondOrder: false, f: gFunction },
    { name: '1 factor', D: 1, N: 64, secondOrder: true, f: mixed },
    { name: '5 factors, second order', D: 5, N: 64, secondOrder: true, f: mixed },
    { name: '10 factors, first/total', D: 10, N: 128, secondOrder: false, f: mixed },
    { name: '13 factors, second order', D: 13, N: 32, secondOrder: true, f: mixed },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const problem =
        c.f === ishigami
          ? ishigamiProblem
          : c.f === gFunction
            ? gProblem
            : { names: Array.from({ length: c.D }, (_, i) => `x${i}`) };
      const design = sobol.sample(problem, { samples: c.N, secondOrder: c.secondOrder });
      const Y = evaluate(design.X, c.f);
      const r = sobol.analyze(problem, design, Y, { resamples: 57, seed: 11 });
      expectSame(r, referenceAnalyze(c.D, c.N, c.secondOrder, Y, 57, 11), c.D);
    });
  }

  it('several outputs analysed together give each its own analysis, and a constant output all zeros', () => {
    const problem = { names: ['a', 'b', 'c', 'd'] };
    const design = sobol.sample(problem, { samples: 64 });
    const outputs = [
      evaluate(design.X, mixed),
      new Float64Array(design.rows).fill(3),
      evaluate(design.X, (x) => x[0]! * x[3]!),
    ];
    const options = { resamples: 40, seed: 5, confLevel: 0.9 };
    const together = sobol.analyzePrepared(outputs.map((y) => sobol.prepare(problem, design, y, options)));
    outputs.forEach((y, k) => {
      expect(together[k]).toEqual(sobol.analyze(problem, design, y, options));
      expectSame(together[k]!, referenceAnalyze(4, 64, true, y, 40, 5, 0.9), 4);
    });
    expect(together[1]!.S1).toEqual([0, 0, 0, 0]);
    expect(together[1]!.notes).toEqual(['outputs: every value is the same; all indices are 0']);
  });
});

describe('IndexStream', () => {
  it('draws what randomIndex on the seeded stream draws, across fills of any length', () => {
    for (const [seed, purpose, n] of [
      [0, 'saltelli-bootstrap', 1024],
      [7, 'saltelli-bootstrap', 3],
      [-12, 'x', 1],
      [2 ** 40, 'morris-bootstrap', 100_003],
    ] as const) {
      const rng = stream(seed, purpose);
      const expected = Int32Array.from({ length: 5000 }, () => randomIndex(rng, n));
      const s = new IndexStream(seed, purpose);
      const got = new Int32Array(5000);
      for (const [from, to] of [
        [0, 1],
        [1, 1000],
        [1000, 1001],
        [1001, 5000],
      ] as const)
        s.fill(got.subarray(from, to), n);
      expect(got).toEqual(expected);
      if (n > 1) expect(new Set(got).size).toBeGreaterThan(1);
    }
  });

  it('stays on the seeded stream over a million draws (the rare carry of its integer part included)', () => {
    // fill() finds Alea's integer part from 2091639·s0 alone and corrects it when adding the carry
    // crosses an integer, about once in 4,000 draws: a million draws take that path a few hundred times.
    const n = 2 ** 31 - 1;
    const rng = stream(3, 'saltelli-bootstrap');
    const expected = Int32Array.from({ length: 1_000_000 }, () => randomIndex(rng, n));
    const got = new Int32Array(expected.length);
    new IndexStream(3, 'saltelli-bootstrap').fill(got, n);
    let differ = 0;
    for (let k = 0; k < got.length; k++) if (got[k] !== expected[k]) differ++;
    expect(differ).toBe(0);
  });
});

describe('sobolPoints', () => {
  // The package's own generator, point by point (nextVector), is the reference.
  const { SobolSequenceGenerator } = createRequire(import.meta.url)('sobol') as {
    SobolSequenceGenerator: new (d: number) => { nextVector(): number[] };
  };
  const reference = (d: number, skip: number, count: number): number[] => {
    const g = new SobolSequenceGenerator(d);
    for (let i = 0; i < skip; i++) g.nextVector();
    return Array.from({ length: count }, () => g.nextVector()).flat();
  };
  it("equals the sobol package's points after any skip, in any dimension", () => {
    for (const [d, skip, count] of [
      [1, 0, 70],
      [2, 16, 64],
      [6, 1, 300],
      [20, 1024, 1024],
      [20, 777, 33],
      [161, 64, 40],
      [200, 4096, 20],
    ] as const)
      expect(Array.from(sobolPoints(d, skip, count)), `d=${d} skip=${skip}`).toEqual(reference(d, skip, count));
  });
  it('reaches the last exact point, 2^20 − 1', () => {
    expect(Array.from(sobolPoints(3, 2 ** 20 - 5, 5))).toEqual(reference(3, 2 ** 20 - 5, 5));
  });
});
