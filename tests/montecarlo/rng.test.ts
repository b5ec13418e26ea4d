import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { RANDOM_STREAM, RunStream, runStream } from '../../src/montecarlo/rng.js';

function take(next: () => number, n: number): number[] {
  return Array.from({ length: n }, () => next());
}

describe('runStream', () => {
  it('is pinned: changing these numbers changes every published result (and needs a new RANDOM_STREAM)', () => {
    expect(RANDOM_STREAM).toBe('tychei-indexed/2');
    expect(take(runStream(42, 0), 3)).toEqual([0.8563186932587996, 0.41434085357468575, 0.7099939488107339]);
    expect(take(runStream(42, 1), 3)).toEqual([0.11288392113056034, 0.6249448825838044, 0.44789629557635635]);
  });

  it('is Tyche-i: stream 0 of a seed is seedrandom.tychei(seed), for negative and 64-bit-wide seeds too', () => {
    for (const seed of [0, 1, 42, -7, 2016, 2 ** 40 + 5, -(2 ** 45) - 3, Number.MAX_SAFE_INTEGER]) {
      // seedrandom accepts a number (its integer seeding); its types only declare strings.
      const ref = seedrandom.tychei(seed as unknown as string);
      const expected = Array.from({ length: 100 }, () => ((ref.int32() >>> 0) + 0.5) / 2 ** 32);
      expect(take(runStream(seed, 0), 100)).toEqual(expected);
    }
  });

  it('a reused RunStream gives the same draws as a fresh one; run indices past 2^32 are streams of their own', () => {
    const s = new RunStream();
    s.reset(3, 10);
    take(s.next, 17);
    s.reset(3, 11);
    expect(take(s.next, 20)).toEqual(take(runStream(3, 11), 20));
    expect(take(runStream(3, 2 ** 32 + 11), 5)).not.toEqual(take(runStream(3, 11), 5));
  });

  it('fill() writes the same uniforms as next() calls, and the stream goes on from there', () => {
    const s = new RunStream();
    const out = new Float64Array(70).fill(-1);
    for (const [seed, run] of [
      [2016, 0],
      [-(2 ** 45) - 3, 2 ** 32 + 11],
      [42, 999_999],
    ] as const) {
      s.fill(seed, run, out, 64, 3);
      const expected = take(runStream(seed, run), 69);
      expect([...out.subarray(3, 67)]).toEqual(expected.slice(0, 64));
      expect(take(s.next, 5)).toEqual(expected.slice(64, 69));
    }
    expect([...out.subarray(0, 3)]).toEqual([-1, -1, -1]);
    expect([...out.subarray(67)]).toEqual([-1, -1, -1]);
  });

  it('neighbouring runs are unrelated: first draws of consecutive runs have lag-1 correlation within noise', () => {
    const n = 100_000;
    const first = Array.from({ length: n }, (_, k) => runStream(2016, k)());
    let sx = 0;
    let sxy = 0;
    let sxx = 0;
    for (let k = 0; k < n; k++) {
      sx += first[k]!;
      sxx += first[k]! ** 2;
      if (k > 0) sxy += first[k]! * first[k - 1]!;
    }
    const mean = sx / n;
    const r = (sxy / (n - 1) - mean * mean) / (sxx / n - mean * mean);
    // Under independence r has sd 1/√n = 0.0032; 5 sd.
    expect(Math.abs(r)).toBeLessThan(5 / Math.sqrt(n));
  });

  it('depends only on (seed, run index), not on what was drawn before', () => {
    const a = runStream(7, 123);
    take(runStream(7, 122), 1000);
    const b = runStream(7, 123);
    expect(take(a, 50)).toEqual(take(b, 50));
    expect(take(runStream(7, 124), 5)).not.toEqual(take(runStream(7, 123), 5));
    expect(take(runStream(8, 123), 5)).not.toEqual(take(runStream(7, 123), 5));
  });

  it('draws from the open interval on the 2^-32 midpoint grid', () => {
    const next = runStream(1, 0);
    const n = 100_000;
    let sum = 0;
    let offGrid = 0;
    for (let i = 0; i < n; i++) {
      const u = next();
      // (k + 0.5)·2^-32 times 2^32 is exactly k + 0.5, with 0 <= k < 2^32.
      const scaled = u * 2 ** 32;
      if (!(scaled >= 0.5 && scaled <= 2 ** 32 - 0.5 && scaled % 1 === 0.5)) offGrid++;
      sum += u;
    }
    expect(offGrid).toBe(0);
    // Uniform(0,1) has sd 1/√12, so the mean of 100k draws has SE 0.000913; 5 SE = 0.0046.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
  });

  it('rejects seeds and run indices that would not reproduce', () => {
    expect(() => runStream(1.5, 0)).toThrow('seed must be a whole number (got 1.5)');
    expect(() => runStream(1, -1)).toThrow('run index must be a whole number >= 0 (got -1)');
  });
});
